// Test support for the CDS Hooks service: an HTTP client over loopback, EC P-384 and RSA keys
// made at test time with a JWKS and signed tokens, CDS Hooks requests built from a Synthea
// patient, and a service running on an ephemeral port.
#pragma once

#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "concord/cds/service.hpp"

namespace concord::cds::testing {

struct HttpResponse {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
  boost::json::value json() const;
};

// One request on a new connection (or the given one is kept open by keep-alive).
HttpResponse http_request(unsigned short port, const std::string& method, const std::string& target,
                          const std::string& body = {},
                          const std::vector<std::pair<std::string, std::string>>& headers = {});

// A signing key made for the test, with its public JWK.
class TestKey {
 public:
  static TestKey ec_p384(const std::string& kid);
  static TestKey rsa(const std::string& kid, int bits = 2048);
  TestKey(TestKey&&) noexcept;
  ~TestKey();
  boost::json::object jwk() const;
  // A compact JWS over the claims with this header alg (the signature made with SHA-384 for
  // ES384/RS384, SHA-256 for RS256/ES256).
  std::string sign(const boost::json::object& claims, const std::string& alg) const;
  const std::string& kid() const { return kid_; }

 private:
  TestKey() = default;
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string kid_;
};

// Claims a CDS Client sends: iss, aud, exp (now + 5 min), iat, jti (random).
boost::json::object client_claims(const std::string& iss, const std::string& aud);

// Writes a JWKS with these keys' public halves; returns its path.
std::filesystem::path write_jwks(const std::filesystem::path& folder,
                                 const std::vector<const TestKey*>& keys);

// The prefetch keys the service advertises, with the resource type and query behind each.
struct PrefetchKey {
  std::string key;
  std::string resource_type;  // "Patient" for the single resource
  std::string query;          // relative to the FHIR server, with the patient id filled in
};
std::vector<PrefetchKey> prefetch_keys(const std::string& patient_id);

// A Synthea Bundle as the service's prefetch: "patient" and one searchset per key.
boost::json::object prefetch_from_bundle(const std::filesystem::path& bundle,
                                         std::string& patient_id);

// A patient-view request around a prefetch (none: the request has no prefetch).
boost::json::object hook_request(const std::string& hook, const std::string& patient_id,
                                 const boost::json::object* prefetch);

std::filesystem::path synthea(const std::string& file);

// The shipped rulesets, loaded once.
std::shared_ptr<const runtime::Program> shipped_program();

// A fresh temporary folder, removed with the object.
class TempFolder {
 public:
  TempFolder();
  ~TempFolder();
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// A running service on 127.0.0.1 and an ephemeral port; log lines are kept.
class RunningService {
 public:
  explicit RunningService(ServiceOptions options, ProgramLoader loader = {});
  ~RunningService();
  unsigned short port() const { return service_->port(); }
  const std::string& base_url() const { return service_->base_url(); }
  Service& service() { return *service_; }
  std::vector<std::string> log_lines() const;

 private:
  struct Log;
  std::shared_ptr<Log> log_;
  std::unique_ptr<Service> service_;
};

}  // namespace concord::cds::testing
