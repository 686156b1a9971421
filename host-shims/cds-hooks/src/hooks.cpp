#include "hooks.hpp"

#include "concord/fhir/read.hpp"
#include "fhir_fetch.hpp"

namespace concord::cds::detail {
namespace {

namespace json = boost::json;

constexpr std::string_view kPatientToken = "{{context.patientId}}";
constexpr std::size_t kMaxPages = 20;  // a search's next links followed, at most

// A FHIR id: [A-Za-z0-9-.]{1,64}. Checked before it goes into a URL.
bool is_fhir_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.') return false;
  }
  return true;
}

std::string expand(std::string_view query, std::string_view patient_id) {
  std::string out(query);
  for (auto at = out.find(kPatientToken); at != std::string::npos; at = out.find(kPatientToken)) {
    out.replace(at, kPatientToken.size(), patient_id);
  }
  return out;
}

// Adds a prefetched value to the Bundle being gathered: a Bundle's entries, or one resource.
// A null or an OperationOutcome (the client could not get it) counts as missing.
bool add_prefetched(json::value& value, json::array& entries) {
  json::object* object = value.if_object();
  if (object == nullptr) return false;
  const json::value* type = object->if_contains("resourceType");
  if (type == nullptr || !type->is_string() || type->get_string() == "OperationOutcome")
    return false;
  // Resources are moved, not copied, into the Bundle being gathered.
  const auto add = [&entries](json::value& resource) {
    json::object entry(entries.storage());
    entry.emplace("resource", std::move(resource));
    entries.push_back(std::move(entry));
  };
  if (type->get_string() == "Bundle") {
    if (json::value* list = object->if_contains("entry"); list != nullptr && list->is_array()) {
      for (json::value& entry : list->get_array()) {
        json::value* resource =
            entry.is_object() ? entry.get_object().if_contains("resource") : nullptr;
        if (resource != nullptr && resource->is_object()) add(*resource);
      }
    }
    return true;
  }
  add(value);
  return true;
}

std::string next_link(const json::value& bundle) {
  const json::object* object = bundle.if_object();
  const json::value* links = object != nullptr ? object->if_contains("link") : nullptr;
  if (links == nullptr || !links->is_array()) return {};
  for (const json::value& link : links->get_array()) {
    const json::object* l = link.if_object();
    if (l == nullptr) continue;
    const json::value* relation = l->if_contains("relation");
    const json::value* url = l->if_contains("url");
    if (relation != nullptr && url != nullptr && relation->is_string() && url->is_string() &&
        relation->get_string() == "next") {
      return std::string(url->get_string());
    }
  }
  return {};
}

std::optional<HookError> fetch_missing(const HookRequest& request, const FhirClient& client,
                                       const PrefetchTemplate& item,
                                       std::chrono::steady_clock::time_point deadline,
                                       std::size_t body_limit, json::array& entries) {
  std::string base = request.fhir_server;
  while (!base.empty() && base.back() == '/')
    base.pop_back();
  std::string url = base + "/" + expand(item.query, request.patient_id);
  for (std::size_t page = 0; page < kMaxPages && !url.empty(); ++page) {
    const FetchResult fetched =
        client.get_json(url, request.access_token, deadline, body_limit, entries.storage());
    if (fetched.timed_out) {
      return HookError{504, std::string("prefetch '") + item.key + "': " + fetched.error};
    }
    if (!fetched.document) {
      return HookError{
          412, std::string("prefetch '") + item.key +
                   "' was not given and could not be read from fhirServer: " + fetched.error};
    }
    url = next_link(*fetched.document);
    json::value document = std::move(*fetched.document);
    add_prefetched(document, entries);
    // Only follow pages on the same server the client named.
    if (!url.empty() && !url.starts_with(base + "/")) url.clear();
  }
  return std::nullopt;
}

}  // namespace

const std::vector<ServiceDef>& service_defs() {
  static const std::vector<ServiceDef> defs{
      {"concord-ltc-review", "patient-view", "Concord long-term conditions review",
       "One person-centred review in place of the single-condition reminders for a person with "
       "long-term conditions: tests, a results letter and one care and support planning "
       "conversation."},
      {"concord-ltc-review-booking", "appointment-book",
       "Concord long-term conditions review (booking)",
       "While an appointment is booked: whether a combined long-term conditions review is due, "
       "so that one visit can cover it."},
      {"concord-ltc-review-encounter", "encounter-start",
       "Concord long-term conditions review (encounter)",
       "At the start of an encounter: the combined long-term conditions review that is due, "
       "with its stages and the person's own goals."},
  };
  return defs;
}

const ServiceDef* find_service(std::string_view id) {
  for (const auto& def : service_defs()) {
    if (id == def.id) return &def;
  }
  return nullptr;
}

const std::vector<PrefetchTemplate>& prefetch_templates() {
  static const std::vector<PrefetchTemplate> templates{
      {"patient", "Patient/{{context.patientId}}"},
      {"conditions", "Condition?patient={{context.patientId}}"},
      {"observations", "Observation?patient={{context.patientId}}"},
      {"medicationStatements", "MedicationStatement?patient={{context.patientId}}"},
      {"medicationRequests", "MedicationRequest?patient={{context.patientId}}"},
      {"procedures", "Procedure?patient={{context.patientId}}"},
      {"immunizations", "Immunization?patient={{context.patientId}}"},
      {"flags", "Flag?patient={{context.patientId}}"},
      {"goals", "Goal?patient={{context.patientId}}"},
  };
  return templates;
}

json::object discovery_document() {
  json::object prefetch;
  for (const auto& item : prefetch_templates())
    prefetch[item.key] = item.query;
  json::array services;
  for (const auto& def : service_defs()) {
    services.push_back(json::object{{"hook", def.hook},
                                    {"title", def.title},
                                    {"description", def.description},
                                    {"id", def.id},
                                    {"prefetch", prefetch},
                                    {"usageRequirements",
                                     "Send the prefetch, or a fhirServer (https or http) with "
                                     "fhirAuthorization, so the record can be read."}});
  }
  return json::object{{"services", std::move(services)}};
}

std::optional<json::value> parse_body(std::string_view text, json::storage_ptr storage,
                                      std::size_t& error_offset, boost::system::error_code& ec) {
  json::parse_options options;
  options.max_depth = 64;
  json::stream_parser parser({}, options);
  parser.reset(std::move(storage));
  error_offset = parser.write(text.data(), text.size(), ec);
  if (!ec) parser.finish(ec);
  if (ec) return std::nullopt;
  return parser.release();
}

std::optional<HookError> read_hook_request(json::value& body, const ServiceDef& service,
                                           HookRequest& request) {
  json::object* object = body.if_object();
  if (object == nullptr) return HookError{400, "the request body must be a JSON object"};
  request.storage = body.storage();
  const auto text = [&](const json::object& o, std::string_view name) -> const json::string* {
    const json::value* v = o.if_contains(name);
    return v != nullptr && v->is_string() ? &v->get_string() : nullptr;
  };
  const json::string* hook = text(*object, "hook");
  if (hook == nullptr) return HookError{400, "/hook: required (a string naming the hook)"};
  if (*hook != service.hook) {
    return HookError{400, "/hook: '" + std::string(*hook) +
                              "' does not match this service's hook '" + service.hook + "'"};
  }
  request.hook = std::string(*hook);
  const json::string* instance = text(*object, "hookInstance");
  if (instance == nullptr || instance->empty()) {
    return HookError{400, "/hookInstance: required (a UUID for this hook call)"};
  }
  request.hook_instance = std::string(*instance);
  const json::value* context = object->if_contains("context");
  if (context == nullptr || !context->is_object()) {
    return HookError{400, "/context: required (an object with the hook's context)"};
  }
  const json::string* patient = text(context->get_object(), "patientId");
  if (patient == nullptr || !is_fhir_id(*patient)) {
    return HookError{400,
                     "/context/patientId: required, a FHIR id (letters, digits, '-' and '.', "
                     "at most 64)"};
  }
  request.patient_id = std::string(*patient);
  if (const json::value* server = object->if_contains("fhirServer");
      server != nullptr && !server->is_null()) {
    if (!server->is_string()) return HookError{400, "/fhirServer: must be a URL string"};
    request.fhir_server = std::string(server->get_string());
  }
  if (const json::value* auth = object->if_contains("fhirAuthorization");
      auth != nullptr && !auth->is_null()) {
    const json::string* token =
        auth->is_object() ? text(auth->get_object(), "access_token") : nullptr;
    const json::string* type = auth->is_object() ? text(auth->get_object(), "token_type") : nullptr;
    if (token == nullptr || type == nullptr || *type != "Bearer") {
      return HookError{400, "/fhirAuthorization: needs access_token and token_type \"Bearer\""};
    }
    if (request.fhir_server.empty()) {
      return HookError{400, "/fhirAuthorization: given without fhirServer"};
    }
    request.access_token = std::string(*token);
  }
  if (json::value* prefetch = object->if_contains("prefetch");
      prefetch != nullptr && !prefetch->is_null()) {
    if (!prefetch->is_object()) return HookError{400, "/prefetch: must be an object"};
    request.prefetch = &prefetch->get_object();
  }
  return std::nullopt;
}

std::optional<HookError> gather_record(const HookRequest& request, const FhirClient& client,
                                       std::chrono::steady_clock::time_point deadline,
                                       std::size_t body_limit, runtime::Record& record) {
  json::array entries(request.storage);
  std::vector<const PrefetchTemplate*> missing;
  for (const auto& item : prefetch_templates()) {
    json::value* value =
        request.prefetch != nullptr ? request.prefetch->if_contains(item.key) : nullptr;
    if (value == nullptr || !add_prefetched(*value, entries)) missing.push_back(&item);
  }
  if (!missing.empty()) {
    if (request.fhir_server.empty()) {
      std::string keys;
      for (const auto* item : missing)
        keys += (keys.empty() ? "" : ", ") + std::string(item->key);
      return HookError{412, "prefetch is missing " + keys +
                                " and no fhirServer was given to read them from; send the "
                                "prefetch named in the discovery response"};
    }
    for (const auto* item : missing) {
      if (auto error = fetch_missing(request, client, *item, deadline, body_limit, entries))
        return error;
    }
  }
  json::value bundle(json::object_kind, request.storage);
  bundle.get_object().emplace("resourceType", "Bundle");
  bundle.get_object().emplace("type", "collection");
  bundle.get_object().emplace("entry", std::move(entries));
  fhir::ReadResult read = fhir::read_json_value(bundle, "prefetch");
  if (read.error)
    return HookError{400, "prefetch: " + read.error->where + ": " + read.error->message};
  for (auto& candidate : read.records) {
    if (candidate.id == request.patient_id) {
      record = std::move(candidate);
      return std::nullopt;
    }
  }
  if (read.records.size() == 1 && read.records.front().id.empty()) {
    record = std::move(read.records.front());
    record.id = request.patient_id;
    return std::nullopt;
  }
  return HookError{412,
                   "prefetch holds no Patient with id context.patientId; send the "
                   "patient's resources"};
}

}  // namespace concord::cds::detail
