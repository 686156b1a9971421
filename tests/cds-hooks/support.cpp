#include "support.hpp"

#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/uuid/random_generator.hpp>
#include <boost/uuid/uuid_io.hpp>

#include <fstream>
#include <mutex>
#include <random>
#include <sstream>
#include <stdexcept>

#include "concord/cds/jwt.hpp"
#include "concord/dsl/library.hpp"

namespace concord::cds::testing {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace json = boost::json;
using tcp = net::ip::tcp;

json::value HttpResponse::json() const {
  return json::parse(body);
}

HttpResponse http_request(unsigned short port, const std::string& method, const std::string& target,
                          const std::string& body,
                          const std::vector<std::pair<std::string, std::string>>& headers) {
  net::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  http::request<http::string_body> request{http::string_to_verb(method), target, 11};
  request.set(http::field::host, "127.0.0.1");
  if (!body.empty()) request.set(http::field::content_type, "application/json");
  for (const auto& [name, value] : headers)
    request.set(name, value);
  request.body() = body;
  request.prepare_payload();
  request.keep_alive(false);
  beast::error_code ec;
  http::write(stream, request, ec);  // a refused body may fail here: the response still comes
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64u << 20);
  http::read(stream, buffer, parser, ec);
  if (ec) throw std::runtime_error("HTTP " + method + " " + target + ": " + ec.message());
  HttpResponse out;
  out.status = static_cast<int>(parser.get().result_int());
  out.body = parser.get().body();
  for (const auto& field : parser.get()) {
    std::string name(field.name_string());
    for (auto& c : name)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.headers[name] = std::string(field.value());
  }
  return out;
}

struct TestKey::Impl {
  EVP_PKEY* key = nullptr;
  bool ec = false;
  ~Impl() { EVP_PKEY_free(key); }
};

TestKey::TestKey(TestKey&&) noexcept = default;
TestKey::~TestKey() = default;

TestKey TestKey::ec_p384(const std::string& kid) {
  TestKey key;
  key.impl_ = std::make_unique<Impl>();
  key.impl_->key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-384");
  key.impl_->ec = true;
  key.kid_ = kid;
  if (key.impl_->key == nullptr) throw std::runtime_error("EC key generation failed");
  return key;
}

TestKey TestKey::rsa(const std::string& kid, int bits) {
  TestKey key;
  key.impl_ = std::make_unique<Impl>();
  key.impl_->key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(bits));
  key.kid_ = kid;
  if (key.impl_->key == nullptr) throw std::runtime_error("RSA key generation failed");
  return key;
}

namespace {

std::string bn_param(EVP_PKEY* key, const char* name) {
  BIGNUM* bn = nullptr;
  EVP_PKEY_get_bn_param(key, name, &bn);
  std::string bytes(static_cast<std::size_t>(BN_num_bytes(bn)), '\0');
  BN_bn2bin(bn, reinterpret_cast<unsigned char*>(bytes.data()));
  BN_free(bn);
  return bytes;
}

}  // namespace

json::object TestKey::jwk() const {
  if (impl_->ec) {
    unsigned char point[200];
    std::size_t length = 0;
    EVP_PKEY_get_octet_string_param(impl_->key, OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point,
                                    &length);
    const std::string raw(reinterpret_cast<char*>(point), length);  // 0x04 || x || y
    return {{"kty", "EC"},
            {"crv", "P-384"},
            {"kid", kid_},
            {"alg", "ES384"},
            {"x", base64url_encode(raw.substr(1, 48))},
            {"y", base64url_encode(raw.substr(49, 48))}};
  }
  return {{"kty", "RSA"},
          {"kid", kid_},
          {"alg", "RS384"},
          {"n", base64url_encode(bn_param(impl_->key, OSSL_PKEY_PARAM_RSA_N))},
          {"e", base64url_encode(bn_param(impl_->key, OSSL_PKEY_PARAM_RSA_E))}};
}

std::string TestKey::sign(const json::object& claims, const std::string& alg) const {
  const json::object header{{"alg", alg}, {"typ", "JWT"}, {"kid", kid_}};
  const std::string signed_part =
      base64url_encode(json::serialize(header)) + "." + base64url_encode(json::serialize(claims));
  const EVP_MD* md = alg.ends_with("256") ? EVP_sha256() : EVP_sha384();
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  std::size_t length = 0;
  EVP_DigestSignInit(ctx, nullptr, md, nullptr, impl_->key);
  EVP_DigestSign(ctx, nullptr, &length, reinterpret_cast<const unsigned char*>(signed_part.data()),
                 signed_part.size());
  std::string signature(length, '\0');
  EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(signature.data()), &length,
                 reinterpret_cast<const unsigned char*>(signed_part.data()), signed_part.size());
  signature.resize(length);
  EVP_MD_CTX_free(ctx);
  if (impl_->ec) {  // DER to the JWS form r || s
    const auto* der = reinterpret_cast<const unsigned char*>(signature.data());
    ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &der, static_cast<long>(signature.size()));
    std::string raw(96, '\0');
    BN_bn2binpad(ECDSA_SIG_get0_r(sig), reinterpret_cast<unsigned char*>(raw.data()), 48);
    BN_bn2binpad(ECDSA_SIG_get0_s(sig), reinterpret_cast<unsigned char*>(raw.data()) + 48, 48);
    ECDSA_SIG_free(sig);
    signature = raw;
  }
  return signed_part + "." + base64url_encode(signature);
}

json::object client_claims(const std::string& iss, const std::string& aud) {
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  thread_local boost::uuids::random_generator generator;
  return {{"iss", iss},
          {"aud", aud},
          {"exp", now + 300},
          {"iat", now},
          {"jti", boost::uuids::to_string(generator())}};
}

std::filesystem::path write_jwks(const std::filesystem::path& folder,
                                 const std::vector<const TestKey*>& keys) {
  json::array list;
  for (const auto* key : keys)
    list.push_back(key->jwk());
  const auto path = folder / "jwks.json";
  std::ofstream(path) << json::serialize(json::object{{"keys", std::move(list)}});
  return path;
}

std::vector<PrefetchKey> prefetch_keys(const std::string& id) {
  return {{"patient", "Patient", "Patient/" + id},
          {"conditions", "Condition", "Condition?patient=" + id},
          {"observations", "Observation", "Observation?patient=" + id},
          {"medicationStatements", "MedicationStatement", "MedicationStatement?patient=" + id},
          {"medicationRequests", "MedicationRequest", "MedicationRequest?patient=" + id},
          {"procedures", "Procedure", "Procedure?patient=" + id},
          {"immunizations", "Immunization", "Immunization?patient=" + id},
          {"flags", "Flag", "Flag?patient=" + id},
          {"goals", "Goal", "Goal?patient=" + id}};
}

json::object prefetch_from_bundle(const std::filesystem::path& path, std::string& patient_id) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  const json::value bundle = json::parse(text.str());
  json::object patient;
  for (const auto& entry : bundle.at("entry").as_array()) {
    const auto& resource = entry.at("resource").as_object();
    if (resource.at("resourceType") == "Patient") patient = resource;
  }
  patient_id = std::string(patient.at("id").as_string());
  json::object prefetch{{"patient", patient}};
  for (const auto& key : prefetch_keys(patient_id)) {
    if (key.key == "patient") continue;
    json::array entries;
    for (const auto& entry : bundle.at("entry").as_array()) {
      const auto& resource = entry.at("resource").as_object();
      if (resource.at("resourceType") == key.resource_type.c_str()) {
        entries.push_back(json::object{{"resource", resource}});
      }
    }
    prefetch[key.key] = json::object{{"resourceType", "Bundle"},
                                     {"type", "searchset"},
                                     {"total", entries.size()},
                                     {"entry", std::move(entries)}};
  }
  return prefetch;
}

json::object hook_request(const std::string& hook, const std::string& patient_id,
                          const json::object* prefetch) {
  thread_local boost::uuids::random_generator generator;
  json::object request{
      {"hook", hook},
      {"hookInstance", boost::uuids::to_string(generator())},
      {"context", json::object{{"userId", "Practitioner/example"}, {"patientId", patient_id}}}};
  if (prefetch != nullptr) request["prefetch"] = *prefetch;
  return request;
}

std::filesystem::path synthea(const std::string& file) {
  return std::filesystem::path(CONCORD_SHARED_DATA) / "synthea" / file;
}

std::shared_ptr<const runtime::Program> shipped_program() {
  static const std::shared_ptr<const runtime::Program> program = [] {
    auto loaded = dsl::load_library({CONCORD_SOURCE_RULESETS});
    if (!loaded.ok()) throw std::runtime_error("the shipped rulesets do not load");
    return loaded.program;
  }();
  return program;
}

TempFolder::TempFolder() {
  std::random_device random;
  path_ = std::filesystem::temp_directory_path() / ("concord-cds-test-" + std::to_string(random()));
  std::filesystem::create_directories(path_);
}

TempFolder::~TempFolder() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

struct RunningService::Log {
  std::mutex mutex;
  std::vector<std::string> lines;
};

RunningService::RunningService(ServiceOptions options, ProgramLoader loader)
    : log_(std::make_shared<Log>()) {
  options.listen_address = "127.0.0.1";
  options.port = 0;
  if (options.threads == 0) options.threads = 2;
  options.log = [log = log_](const std::string& line) {
    std::lock_guard lock(log->mutex);
    log->lines.push_back(line);
  };
  if (!loader) {
    loader = [] { return LoadedProgram{shipped_program(), {}}; };
  }
  std::string error;
  service_ = Service::create(std::move(options), std::move(loader), error);
  if (!service_) throw std::runtime_error("the service did not start: " + error);
  service_->start();
}

RunningService::~RunningService() {
  service_->stop();
  service_->wait();
}

std::vector<std::string> RunningService::log_lines() const {
  std::lock_guard lock(log_->mutex);
  return log_->lines;
}

}  // namespace concord::cds::testing
