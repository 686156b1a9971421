// Internal: a small HTTP/1.1 client (Boost.Beast) that reads FHIR resources and searches from
// the EHR's FHIR server when the request's prefetch lacks them. Plain http only; every read
// ends by the request's deadline.
#pragma once

#include <boost/json/value.hpp>

#include <chrono>
#include <optional>
#include <string>

namespace concord::cds::detail {

struct FetchResult {
  std::optional<boost::json::value> document;
  int http_status = 0;  // the FHIR server's status, 0 when none came back
  bool timed_out = false;
  std::string error;  // why there is no document
};

// GETs `url` (http://host[:port]/path?query) with `Accept: application/fhir+json` and, when
// `bearer` is not empty, `Authorization: Bearer <bearer>`.
FetchResult fetch_fhir_json(const std::string& url, const std::string& bearer,
                            std::chrono::steady_clock::time_point deadline, std::size_t body_limit);

}  // namespace concord::cds::detail
