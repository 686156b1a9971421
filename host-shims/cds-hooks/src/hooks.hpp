// Internal: the services this CDS Service offers (one per hook), their prefetch templates,
// and how a request's prefetch (or what is fetched in its place) becomes a Record.
#pragma once

#include <boost/json.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "concord/runtime/record.hpp"
#include "fhir_fetch.hpp"

namespace concord::cds::detail {

struct PrefetchTemplate {
  const char* key;
  const char* query;  // relative to the FHIR server, with {{context.patientId}}
};

struct ServiceDef {
  const char* id;
  const char* hook;
  const char* title;
  const char* description;
};

const std::vector<ServiceDef>& service_defs();
const ServiceDef* find_service(std::string_view id);
const std::vector<PrefetchTemplate>& prefetch_templates();

// GET /cds-services.
boost::json::object discovery_document();

// Why a request could not be answered, as the HTTP status and message to send.
struct HookError {
  int status = 400;
  std::string message;
};

// Parses a service call's body with the service's limits (FHIR nests deeper than Boost.JSON's
// default depth of 32 allows) into `storage`. On failure, nullopt: `ec` says why and
// `error_offset` is where the parser stopped.
std::optional<boost::json::value> parse_body(std::string_view text,
                                             boost::json::storage_ptr storage,
                                             std::size_t& error_offset,
                                             boost::system::error_code& ec);

// The parts of a hook request the service uses, checked.
struct HookRequest {
  std::string hook;
  std::string hook_instance;
  std::string patient_id;
  std::string fhir_server;                  // empty when not given
  std::string access_token;                 // from fhirAuthorization; empty when not given
  boost::json::object* prefetch = nullptr;  // in the request body; resources are moved out
  // Where the body's values live: the Bundle gathered from them (and what is fetched in
  // their place) is built there too, so resources move into it and are never copied.
  boost::json::storage_ptr storage;
};

// Checks the body of a service call against the CDS Hooks 2.0 request fields.
std::optional<HookError> read_hook_request(boost::json::value& body, const ServiceDef& service,
                                           HookRequest& request);

// The person's Record from the prefetched resources; what is missing is read from the FHIR
// server with `client` (until the deadline), or the call fails with 412 when there is no FHIR
// server or it cannot be read (504 when it does not answer in time).
std::optional<HookError> gather_record(const HookRequest& request, const FhirClient& client,
                                       std::chrono::steady_clock::time_point deadline,
                                       std::size_t body_limit, runtime::Record& record);

}  // namespace concord::cds::detail
