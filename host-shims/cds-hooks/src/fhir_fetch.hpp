// Internal: a small HTTP/1.1 client (Boost.Beast) that reads FHIR resources and searches from
// the EHR's FHIR server when the request's prefetch lacks them, over http or https (TLS with
// the server's certificate and host name verified). Every read ends by the request's deadline.
#pragma once

#include <boost/json/value.hpp>

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace boost::asio::ssl {
class context;
}

namespace concord::cds::detail {

struct FetchResult {
  std::optional<boost::json::value> document;
  int http_status = 0;  // the FHIR server's status, 0 when none came back
  bool timed_out = false;
  std::string error;  // why there is no document: what failed and on which host, never the URL
};

// One per service, shared by its threads: the TLS trust (the system's CA certificates and,
// when given, a site's own CA bundle) used for every https FHIR server.
class FhirClient {
 public:
  // `extra_ca_file` (PEM, may be empty) is trusted besides the system's CAs. Null and `error`
  // set when it cannot be read or holds no certificate.
  static std::unique_ptr<FhirClient> create(const std::filesystem::path& extra_ca_file,
                                            std::string& error);
  ~FhirClient();
  FhirClient(const FhirClient&) = delete;
  FhirClient& operator=(const FhirClient&) = delete;

  // GETs `url` (http[s]://host[:port]/path?query) with `Accept: application/fhir+json` and,
  // when `bearer` is not empty, `Authorization: Bearer <bearer>`. The document is parsed into
  // `storage`. Safe to call from several threads at once.
  FetchResult get_json(const std::string& url, const std::string& bearer,
                       std::chrono::steady_clock::time_point deadline, std::size_t body_limit,
                       boost::json::storage_ptr storage = {}) const;

 private:
  FhirClient();
  // OpenSSL's SSL_CTX may be shared by connections on several threads once it is set up; it
  // is not changed after create().
  std::unique_ptr<boost::asio::ssl::context> tls_;
};

}  // namespace concord::cds::detail
