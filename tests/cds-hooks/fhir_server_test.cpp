// When the prefetch is missing, the service reads the record from the EHR's FHIR server with
// the access token it was given, within the request's time limit, over http or https (the
// server's certificate checked against the trusted CAs and the host name).
#include <gtest/gtest.h>

#include <openssl/ssl.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <fstream>
#include <mutex>
#include <optional>
#include <thread>

#include "support.hpp"
#include "tls_support.hpp"

namespace concord::cds::testing {
namespace {

namespace json = boost::json;
namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

// A tiny FHIR server on loopback answering the service's prefetch queries from one patient's
// resources, over http, or over https when given a certificate.
class FakeFhirServer {
 public:
  enum class Behaviour {
    answer,           // answers, then closes TLS with close_notify
    silent,           // accepts connections and never answers (nor completes a TLS handshake)
    answer_and_drop,  // answers, then drops the connection without close_notify
  };

  FakeFhirServer(json::object prefetch, std::string patient_id,
                 Behaviour behaviour = Behaviour::answer,
                 const ServerCertificate* certificate = nullptr)
      : prefetch_(std::move(prefetch)), patient_id_(std::move(patient_id)), behaviour_(behaviour) {
    if (certificate != nullptr) {
      tls_.emplace(ssl::context::tls_server);
      tls_->use_certificate_chain(net::buffer(certificate->certificate_pem));
      tls_->use_private_key(net::buffer(certificate->private_key_pem), ssl::context::pem);
    }
    acceptor_.open(tcp::v4());
    acceptor_.bind({net::ip::make_address("127.0.0.1"), 0});
    acceptor_.listen();
    accept();
    thread_ = std::thread([this] { ioc_.run(); });
  }
  ~FakeFhirServer() {
    ioc_.stop();
    thread_.join();
  }
  // The FHIR base URL, naming the server by `host` (which must reach 127.0.0.1).
  std::string base(const std::string& host = "127.0.0.1") const {
    return std::string(tls_ ? "https://" : "http://") + host + ":" +
           std::to_string(acceptor_.local_endpoint().port()) + "/fhir";
  }
  std::vector<std::string> authorizations() {
    std::lock_guard lock(mutex_);
    return authorizations_;
  }
  // The host names clients sent in the TLS handshake (SNI), "" for none, one per connection.
  std::vector<std::string> server_names() {
    std::lock_guard lock(mutex_);
    return server_names_;
  }

 private:
  void accept() {
    acceptor_.async_accept([this](beast::error_code ec, tcp::socket socket) {
      if (ec) return;
      if (behaviour_ == Behaviour::silent) {
        held_.push_back(std::move(socket));
      } else if (tls_) {
        answer_over_tls(std::move(socket));
      } else {
        answer(socket);
      }
      accept();
    });
  }

  void answer_over_tls(tcp::socket socket) {
    ssl::stream<tcp::socket> stream(std::move(socket), *tls_);
    beast::error_code ec;
    stream.handshake(ssl::stream_base::server, ec);
    if (ec) return;  // the client refused the certificate, or is not speaking TLS
    {
      const char* name = SSL_get_servername(stream.native_handle(), TLSEXT_NAMETYPE_host_name);
      std::lock_guard lock(mutex_);
      server_names_.emplace_back(name != nullptr ? name : "");
    }
    answer(stream);
    if (behaviour_ == Behaviour::answer) stream.shutdown(ec);
  }

  template <class Stream>
  void answer(Stream& stream) {
    beast::flat_buffer buffer;
    http::request<http::string_body> request;
    beast::error_code ec;
    http::read(stream, buffer, request, ec);
    if (ec) return;
    {
      std::lock_guard lock(mutex_);
      authorizations_.emplace_back(request[http::field::authorization]);
    }
    http::response<http::string_body> response{http::status::not_found, 11};
    const std::string target(request.target());
    for (const auto& key : prefetch_keys(patient_id_)) {
      if (target == "/fhir/" + key.query) {
        response.result(http::status::ok);
        response.body() = json::serialize(prefetch_.at(key.key));
      }
    }
    response.set(http::field::content_type, "application/fhir+json");
    response.prepare_payload();
    http::write(stream, response, ec);
  }

  json::object prefetch_;
  std::string patient_id_;
  Behaviour behaviour_;
  std::optional<ssl::context> tls_;
  net::io_context ioc_;
  tcp::acceptor acceptor_{ioc_};
  std::vector<tcp::socket> held_;
  std::thread thread_;
  std::mutex mutex_;
  std::vector<std::string> authorizations_;
  std::vector<std::string> server_names_;
};

class FhirServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    prefetch_ =
        prefetch_from_bundle(synthea("99153850-84f1-4de6-9e19-3e0d6eeedeb2.json"), patient_id_);
  }

  ServiceOptions options(std::chrono::milliseconds time_limit) {
    ServiceOptions options;
    options.insecure_dev = true;
    options.feedback_file = folder_.path() / "feedback.jsonl";
    options.time_limit = time_limit;
    options.evaluation_date = runtime::Date::from_ymd(2026, 12, 1);
    return options;
  }

  std::unique_ptr<RunningService> start(std::chrono::milliseconds time_limit) {
    return std::make_unique<RunningService>(options(time_limit));
  }

  // A service that trusts the test CA for https FHIR servers, besides the system's CAs.
  std::unique_ptr<RunningService> start_trusting_test_ca(std::chrono::milliseconds time_limit) {
    ServiceOptions o = options(time_limit);
    o.fhir_ca_file = ca_.write_certificate(folder_.path() / "site-ca.pem");
    return std::make_unique<RunningService>(o);
  }

  HttpResponse call(const RunningService& service, const std::string& fhir_server) {
    return http_request(service.port(), "POST", "/cds-services/concord-ltc-review",
                        json::serialize(request_to(fhir_server)));
  }

  json::object request_to(const std::string& fhir_server) {
    json::object request = hook_request("patient-view", patient_id_, nullptr);
    request["fhirServer"] = fhir_server;
    request["fhirAuthorization"] = json::object{{"access_token", "secret-token-123"},
                                                {"token_type", "Bearer"},
                                                {"expires_in", 300},
                                                {"scope", "patient/*.read"},
                                                {"subject", "concord"}};
    return request;
  }

  TempFolder folder_;
  TestCertificateAuthority ca_{"Concord test site CA"};
  json::object prefetch_;
  std::string patient_id_;
};

// A 200 with the one card of the sample (who has hypertension), its record read from `fhir`,
// which saw the request's token on every prefetch key.
template <typename Response>
void expect_card_read_from(const Response& response, FakeFhirServer& fhir,
                           const std::string& patient_id) {
  ASSERT_EQ(response.status, 200) << response.body;
  const auto cards = response.json().at("cards").as_array();
  ASSERT_EQ(cards.size(), 1u);
  EXPECT_NE(std::string(cards.at(0).at("summary").as_string()).find("Hypertension"),
            std::string::npos);
  const auto seen = fhir.authorizations();
  EXPECT_EQ(seen.size(), prefetch_keys(patient_id).size());
  for (const auto& authorization : seen)
    EXPECT_EQ(authorization, "Bearer secret-token-123");
}

TEST_F(FhirServerTest, RecordIsReadFromTheFhirServerWhenPrefetchIsMissing) {
  FakeFhirServer fhir(prefetch_, patient_id_);
  auto service = start(std::chrono::milliseconds(5000));
  const auto response = http_request(service->port(), "POST", "/cds-services/concord-ltc-review",
                                     json::serialize(request_to(fhir.base())));
  expect_card_read_from(response, fhir, patient_id_);
}

// FHIR nests deeper than Boost.JSON's default limit of 32 (extensions within extensions): a
// server's answer may nest as deep as a hook call's body (64).
TEST_F(FhirServerTest, DeeplyNestedExtensionsInTheServersAnswerAreRead) {
  json::object nested{{"url", "urn:test:leaf"}, {"valueString", "x"}};
  for (int level = 0; level < 20; ++level)
    nested = json::object{{"url", "urn:test:level"}, {"extension", json::array{nested}}};
  prefetch_.at("patient").as_object()["extension"] = json::array{nested};
  FakeFhirServer fhir(prefetch_, patient_id_);
  auto service = start(std::chrono::milliseconds(5000));
  expect_card_read_from(call(*service, fhir.base()), fhir, patient_id_);
}

TEST_F(FhirServerTest, OnlyTheMissingPrefetchKeysAreFetched) {
  FakeFhirServer fhir(prefetch_, patient_id_);
  auto service = start(std::chrono::milliseconds(5000));
  json::object request = request_to(fhir.base());
  json::object partial = prefetch_;
  partial.erase("observations");
  request["prefetch"] = partial;
  const auto response = http_request(service->port(), "POST", "/cds-services/concord-ltc-review",
                                     json::serialize(request));
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(fhir.authorizations().size(), 1u);
}

TEST_F(FhirServerTest, FhirServerThatDoesNotAnswerIs504WithinTheTimeLimit) {
  FakeFhirServer fhir(prefetch_, patient_id_, FakeFhirServer::Behaviour::silent);
  auto service = start(std::chrono::milliseconds(400));
  const auto started = std::chrono::steady_clock::now();
  const auto response = http_request(service->port(), "POST", "/cds-services/concord-ltc-review",
                                     json::serialize(request_to(fhir.base())));
  EXPECT_EQ(response.status, 504);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(3));
}

TEST_F(FhirServerTest, UnreachableFhirServerIs412) {
  auto service = start(std::chrono::milliseconds(2000));
  // A port nothing listens on: bind one, then close it.
  net::io_context ioc;
  tcp::acceptor probe(ioc, {net::ip::make_address("127.0.0.1"), 0});
  const auto port = probe.local_endpoint().port();
  probe.close();
  const auto response = http_request(
      service->port(), "POST", "/cds-services/concord-ltc-review",
      json::serialize(request_to("http://127.0.0.1:" + std::to_string(port) + "/fhir")));
  EXPECT_EQ(response.status, 412);
  EXPECT_NE(response.body.find("fhirServer"), std::string::npos);
}

// https: the record is read over TLS from a server whose certificate chains to a trusted CA
// and names the host; anything else is refused before the token is sent, with a 412 that says
// what failed on which host, and never falls back to http.

TEST_F(FhirServerTest, RecordIsReadOverHttpsWhenTheServersCaIsTrusted) {
  const ServerCertificate certificate = ca_.issue("127.0.0.1", "IP:127.0.0.1,DNS:localhost");
  FakeFhirServer fhir(prefetch_, patient_id_, FakeFhirServer::Behaviour::answer, &certificate);
  auto service = start_trusting_test_ca(std::chrono::milliseconds(5000));
  const auto response = call(*service, fhir.base());
  expect_card_read_from(response, fhir, patient_id_);
  // An IP address is verified against the certificate but not sent as SNI (RFC 6066).
  for (const auto& name : fhir.server_names())
    EXPECT_EQ(name, "");
}

TEST_F(FhirServerTest, HttpsByHostNameSendsTheNameAsSniAndChecksIt) {
  const ServerCertificate certificate = ca_.issue("localhost", "DNS:localhost");
  FakeFhirServer fhir(prefetch_, patient_id_, FakeFhirServer::Behaviour::answer, &certificate);
  auto service = start_trusting_test_ca(std::chrono::milliseconds(5000));
  const auto response = call(*service, fhir.base("localhost"));
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.json().at("cards").as_array().size(), 1u);
  const auto names = fhir.server_names();
  ASSERT_EQ(names.size(), prefetch_keys(patient_id_).size());
  for (const auto& name : names)
    EXPECT_EQ(name, "localhost");
}

TEST_F(FhirServerTest, HttpsServerThatClosesWithoutCloseNotifyStillGivesTheRecord) {
  const ServerCertificate certificate = ca_.issue("127.0.0.1", "IP:127.0.0.1");
  FakeFhirServer fhir(prefetch_, patient_id_, FakeFhirServer::Behaviour::answer_and_drop,
                      &certificate);
  auto service = start_trusting_test_ca(std::chrono::milliseconds(5000));
  const auto response = call(*service, fhir.base());
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.json().at("cards").as_array().size(), 1u);
}

TEST_F(FhirServerTest, HttpsServerSignedByAnUntrustedCaIsRefusedClearly) {
  const ServerCertificate certificate = ca_.issue("127.0.0.1", "IP:127.0.0.1,DNS:localhost");
  FakeFhirServer fhir(prefetch_, patient_id_, FakeFhirServer::Behaviour::answer, &certificate);
  auto service = start(std::chrono::milliseconds(5000));  // the system's CAs only
  const auto response = call(*service, fhir.base());
  EXPECT_EQ(response.status, 412);
  const std::string error(response.json().at("error").as_string());
  EXPECT_NE(error.find("fhirServer"), std::string::npos) << error;
  EXPECT_NE(error.find("127.0.0.1:"), std::string::npos) << error;
  EXPECT_NE(error.find("not signed by a CA this service trusts"), std::string::npos) << error;
  EXPECT_NE(error.find("fhir_ca_file"), std::string::npos) << error;
  EXPECT_EQ(error.find(patient_id_), std::string::npos) << error;
  EXPECT_TRUE(fhir.authorizations().empty()) << "the token went to an unverified server";
}

TEST_F(FhirServerTest, HttpsCertificateForAnotherHostIsRefused) {
  const ServerCertificate certificate =
      ca_.issue("fhir.elsewhere.example", "DNS:fhir.elsewhere.example");
  FakeFhirServer fhir(prefetch_, patient_id_, FakeFhirServer::Behaviour::answer, &certificate);
  auto service = start_trusting_test_ca(std::chrono::milliseconds(5000));
  for (const std::string& host : std::vector<std::string>{"127.0.0.1", "localhost"}) {
    const auto response = call(*service, fhir.base(host));
    EXPECT_EQ(response.status, 412) << host;
    const std::string error(response.json().at("error").as_string());
    EXPECT_NE(error.find("not issued for the host name '" + host + "'"), std::string::npos)
        << error;
    EXPECT_EQ(error.find(patient_id_), std::string::npos) << error;
  }
  EXPECT_TRUE(fhir.authorizations().empty());
}

TEST_F(FhirServerTest, HttpsUrlToAPlainHttpServerFailsTheHandshakeWithoutFallingBack) {
  FakeFhirServer fhir(prefetch_, patient_id_);  // plain http
  auto service = start_trusting_test_ca(std::chrono::milliseconds(5000));
  std::string url = fhir.base();
  url.replace(0, 4, "https");
  const auto response = call(*service, url);
  EXPECT_EQ(response.status, 412);
  const std::string error(response.json().at("error").as_string());
  EXPECT_NE(error.find("TLS handshake with the FHIR server 127.0.0.1:"), std::string::npos)
      << error;
  EXPECT_TRUE(fhir.authorizations().empty()) << "a plain http request was sent";
}

TEST_F(FhirServerTest, HttpsServerThatNeverCompletesTheHandshakeIs504WithinTheTimeLimit) {
  const ServerCertificate certificate = ca_.issue("127.0.0.1", "IP:127.0.0.1");
  FakeFhirServer fhir(prefetch_, patient_id_, FakeFhirServer::Behaviour::silent, &certificate);
  auto service = start_trusting_test_ca(std::chrono::milliseconds(400));
  const auto started = std::chrono::steady_clock::now();
  const auto response = call(*service, fhir.base());
  EXPECT_EQ(response.status, 504) << response.body;
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(3));
}

TEST_F(FhirServerTest, UnreadableFhirCaFileStopsTheServiceAtStartNamingTheKey) {
  const auto try_start = [&](const std::filesystem::path& file) {
    ServiceOptions o = options(std::chrono::milliseconds(1000));
    o.port = 0;
    o.fhir_ca_file = file;
    std::string error;
    auto service = Service::create(
        o,
        [] {
          return LoadedProgram{shipped_program(), {}};
        },
        error);
    EXPECT_EQ(service, nullptr);
    return error;
  };
  const std::string missing = try_start(folder_.path() / "no-such-ca.pem");
  EXPECT_NE(missing.find("fhir_ca_file"), std::string::npos) << missing;
  EXPECT_NE(missing.find("no-such-ca.pem"), std::string::npos) << missing;
  EXPECT_NE(missing.find("cannot be read"), std::string::npos) << missing;

  const auto not_pem = folder_.path() / "not-a-certificate.pem";
  std::ofstream(not_pem) << "this is not a certificate\n";
  const std::string unusable = try_start(not_pem);
  EXPECT_NE(unusable.find("fhir_ca_file"), std::string::npos) << unusable;
  EXPECT_NE(unusable.find("holds no CA certificate"), std::string::npos) << unusable;
}

}  // namespace
}  // namespace concord::cds::testing
