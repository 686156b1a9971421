#include "resources.hpp"

#include <array>
#include <initializer_list>
#include <string>
#include <utility>

namespace concord::fhir::detail {

namespace {

using runtime::EventKind;

bool is_one_of(std::optional<std::string_view> value,
               std::initializer_list<std::string_view> candidates) {
  if (!value) return false;
  for (const std::string_view c : candidates) {
    if (*value == c) return true;
  }
  return false;
}

// STU3 says "not done" with a boolean (Immunization.notGiven, Procedure.notDone) where R4
// uses a status.
bool flag_set(const json::object& resource, std::string_view key) {
  const json::value* v = resource.if_contains(key);
  return v != nullptr && v->is_bool() && v->get_bool();
}

std::string id_of(Context& cx, const json::object& resource, const Path& at) {
  const auto id = string_field(cx, resource, "id", at);
  return id ? std::string(*id) : std::string();
}

runtime::Event event_base(Context& cx, EventKind kind, const json::object& resource, const Path& at,
                          std::string_view code_key) {
  runtime::Event event;
  event.id = id_of(cx, resource, at);
  event.kind = kind;
  event.codes = codes_field(cx, resource, code_key, at);
  return event;
}

// The codes of a medicationCodeableConcept, or of the Medication that medicationReference
// names: contained ("#id") or elsewhere in the Bundle.
std::vector<runtime::Code> medication_codes(Context& cx, const json::object& resource,
                                            const Path& at, const BundledMedications& bundled) {
  if (resource.contains("medicationCodeableConcept")) {
    return codes_field(cx, resource, "medicationCodeableConcept", at);
  }
  const json::object* reference = object_field(cx, resource, "medicationReference", at);
  if (reference == nullptr) return {};
  const Path reference_path = at.field("medicationReference");
  const auto target = string_field(cx, *reference, "reference", reference_path);
  if (!target) return {};
  if (target->starts_with('#')) {
    const std::string_view wanted = target->substr(1);
    if (const json::array* contained = array_field(cx, resource, "contained", at)) {
      const Path contained_path = at.field("contained");
      for (std::size_t i = 0; i < contained->size(); ++i) {
        const json::object* medication = (*contained)[i].if_object();
        if (medication == nullptr) continue;
        const json::value* id = medication->if_contains("id");
        if (id == nullptr || !id->is_string() || std::string_view(id->get_string()) != wanted) {
          continue;
        }
        return codes_field(cx, *medication, "code", contained_path.item(i));
      }
    }
  } else if (const auto index = bundled.index.find(*target)) {
    return bundled.codes[*index];
  }
  std::string message = "medicationReference '";
  message.append(*target).append("' names no Medication here; the medication has no codes");
  cx.warn(reference_path.field("reference"), std::move(message),
          "include the Medication in the Bundle or as a contained resource");
  return {};
}

}  // namespace

void note_based_on(const json::object& statement, BundledMedications& bundled) {
  const json::value* based_on = statement.if_contains("basedOn");
  if (based_on == nullptr || !based_on->is_array()) return;
  for (const json::value& item : based_on->get_array()) {
    const json::object* reference = item.if_object();
    const json::value* target =
        reference != nullptr ? reference->if_contains("reference") : nullptr;
    if (target == nullptr || !target->is_string()) continue;
    // Keep the "MedicationRequest/<id>" tail of a relative or absolute reference; a
    // "urn:uuid:<id>" becomes the same.
    std::string_view text(target->get_string());
    if (text.starts_with("urn:uuid:")) {
      bundled.stated_requests.insert("MedicationRequest/" + std::string(text.substr(9)));
      continue;
    }
    const auto marker = text.rfind("MedicationRequest/");
    if (marker != std::string_view::npos)
      bundled.stated_requests.insert(std::string(text.substr(marker)));
  }
}

ResourceKind kind_of(std::string_view type) {
  static constexpr std::array<std::pair<std::string_view, ResourceKind>, 10> kKinds{{
      {"Observation", ResourceKind::observation},
      {"Condition", ResourceKind::condition},
      {"Procedure", ResourceKind::procedure},
      {"Immunization", ResourceKind::immunization},
      {"MedicationRequest", ResourceKind::medication_request},
      {"MedicationStatement", ResourceKind::medication_statement},
      {"Medication", ResourceKind::medication},
      {"Patient", ResourceKind::patient},
      {"Flag", ResourceKind::flag},
      {"Goal", ResourceKind::goal},
  }};
  for (const auto& [name, kind] : kKinds) {
    if (name == type) return kind;
  }
  return ResourceKind::other;
}

std::optional<std::string_view> subject_reference(Context& cx, const json::object& resource,
                                                  const Path& at) {
  for (const std::string_view key : {std::string_view("subject"), std::string_view("patient")}) {
    if (const json::object* subject = object_field(cx, resource, key, at)) {
      const Path subject_path = at.field(key);
      return string_field(cx, *subject, "reference", subject_path);
    }
  }
  return std::nullopt;
}

std::optional<runtime::Diagnosis> read_condition(Context& cx, const json::object& resource,
                                                 const Path& at) {
  runtime::Diagnosis diagnosis;
  diagnosis.id = id_of(cx, resource, at);
  diagnosis.codes = codes_field(cx, resource, "code", at);
  diagnosis.onset = first_date(cx, resource, at, {{"onsetDateTime"}, {"onsetPeriod", "start"}});
  diagnosis.abatement =
      first_date(cx, resource, at, {{"abatementDateTime"}, {"abatementPeriod", "end"}});
  // Kept rather than dropped, so an explanation can say why a coded diagnosis did not count.
  diagnosis.refuted =
      concept_has_code(cx, resource, "verificationStatus", at, {"refuted", "entered-in-error"});
  diagnosis.resolved =
      !diagnosis.abatement &&
      concept_has_code(cx, resource, "clinicalStatus", at, {"resolved", "inactive", "remission"});
  return diagnosis;
}

std::optional<runtime::Event> read_observation(Context& cx, const json::object& resource,
                                               const Path& at) {
  if (is_one_of(string_field(cx, resource, "status", at), {"entered-in-error", "cancelled"})) {
    return std::nullopt;
  }
  runtime::Event event = event_base(cx, EventKind::observation, resource, at, "code");
  event.date = first_date(
      cx, resource, at,
      {{"effectiveDateTime"}, {"effectivePeriod", "start"}, {"effectiveInstant"}, {"issued"}});
  if (resource.contains("valueQuantity")) {
    event.quantity = quantity_field(cx, resource, "valueQuantity", at);
  } else if (const json::value* integer = resource.if_contains("valueInteger")) {
    // Scores are often recorded as integers, with no unit.
    if (integer->is_int64()) {
      event.quantity = runtime::Quantity{static_cast<double>(integer->get_int64()), {}};
    }
  }
  event.value_codes = codes_field(cx, resource, "valueCodeableConcept", at);
  if (const json::array* components = array_field(cx, resource, "component", at)) {
    const Path components_path = at.field("component");
    event.components.reserve(components->size());
    for (std::size_t i = 0; i < components->size(); ++i) {
      const Path component_path = components_path.item(i);
      const json::object* component = (*components)[i].if_object();
      if (component == nullptr) {
        cx.warn(component_path, "a component is not an object; ignored",
                cx.check_definition_hint());
        continue;
      }
      runtime::Component& added = event.components.emplace_back();
      added.codes = codes_field(cx, *component, "code", component_path);
      added.quantity = quantity_field(cx, *component, "valueQuantity", component_path);
    }
  }
  return event;
}

std::optional<runtime::Event> read_procedure(Context& cx, const json::object& resource,
                                             const Path& at) {
  if (is_one_of(string_field(cx, resource, "status", at), {"not-done", "entered-in-error"}) ||
      flag_set(resource, "notDone")) {
    return std::nullopt;
  }
  runtime::Event event = event_base(cx, EventKind::procedure, resource, at, "code");
  event.date = first_date(cx, resource, at, {{"performedDateTime"}, {"performedPeriod", "start"}});
  return event;
}

std::optional<runtime::Event> read_immunization(Context& cx, const json::object& resource,
                                                const Path& at) {
  if (is_one_of(string_field(cx, resource, "status", at), {"not-done", "entered-in-error"}) ||
      flag_set(resource, "notGiven")) {
    return std::nullopt;
  }
  runtime::Event event = event_base(cx, EventKind::immunization, resource, at, "vaccineCode");
  // GP Connect records the vaccination as a SNOMED CT procedure in a CareConnect extension
  // (the vaccineCode is often a null flavour): its codes count as the event's codes too.
  if (const json::array* extensions = array_field(cx, resource, "extension", at)) {
    const Path extensions_path = at.field("extension");
    for (std::size_t i = 0; i < extensions->size(); ++i) {
      const json::object* extension = (*extensions)[i].if_object();
      const json::value* url = extension != nullptr ? extension->if_contains("url") : nullptr;
      if (url == nullptr || !url->is_string() ||
          !std::string_view(url->get_string())
               .ends_with("Extension-CareConnect-VaccinationProcedure-1")) {
        continue;
      }
      const Path extension_path = extensions_path.item(i);
      for (runtime::Code& code :
           codes_field(cx, *extension, "valueCodeableConcept", extension_path)) {
        event.codes.push_back(std::move(code));
      }
    }
  }
  // R4 occurrenceDateTime; STU3 date.
  event.date = first_date(cx, resource, at, {{"occurrenceDateTime"}, {"date"}});
  return event;
}

std::optional<runtime::Event> read_flag(Context& cx, const json::object& resource, const Path& at) {
  // An inactive flag is still a dated fact (an exception once recorded); only an entry made
  // in error is dropped.
  if (is_one_of(string_field(cx, resource, "status", at), {"entered-in-error"})) {
    return std::nullopt;
  }
  runtime::Event event = event_base(cx, EventKind::flag, resource, at, "code");
  event.date = first_date(cx, resource, at, {{"period", "start"}});
  return event;
}

// MedicationStatement: active when the status is "active" or "intended" (being taken, or
// about to be). Completed, stopped, on-hold, not-taken and unknown are kept as inactive
// history; entered-in-error is dropped.
std::optional<runtime::Medication> read_medication_statement(Context& cx,
                                                             const json::object& resource,
                                                             const Path& at,
                                                             const BundledMedications& bundled) {
  const auto status = string_field(cx, resource, "status", at);
  if (is_one_of(status, {"entered-in-error"})) return std::nullopt;
  runtime::Medication medication;
  medication.id = id_of(cx, resource, at);
  medication.codes = medication_codes(cx, resource, at, bundled);
  medication.start =
      first_date(cx, resource, at, {{"effectivePeriod", "start"}, {"effectiveDateTime"}});
  // STU3 says "not taken" with taken = n (R4 with status not-taken).
  medication.active = is_one_of(status, {"active", "intended"}) &&
                      !is_one_of(string_field(cx, resource, "taken", at), {"n"});
  return medication;
}

// MedicationRequest: active only when the status is "active". An on-hold, draft, stopped,
// completed or cancelled request is not a current medication, so it is kept as inactive
// history; entered-in-error is dropped.
std::optional<runtime::Medication> read_medication_request(Context& cx,
                                                           const json::object& resource,
                                                           const Path& at,
                                                           const BundledMedications& bundled) {
  const auto status = string_field(cx, resource, "status", at);
  if (is_one_of(status, {"entered-in-error"})) return std::nullopt;
  runtime::Medication medication;
  medication.id = id_of(cx, resource, at);
  // A plan (GP Connect's authorisation) that a MedicationStatement is based on is that
  // statement: reading both would count one medicine twice. Orders (issues) are kept.
  if (is_one_of(string_field(cx, resource, "intent", at), {"plan"}) &&
      bundled.stated_requests.contains("MedicationRequest/" + medication.id)) {
    return std::nullopt;
  }
  medication.codes = medication_codes(cx, resource, at, bundled);
  // An issue's date is when its supply starts (GP Connect enters a course of repeat issues
  // at once, so authoredOn is when they were written, not when each was issued).
  if (const json::object* dispense = object_field(cx, resource, "dispenseRequest", at)) {
    const Path dispense_path = at.field("dispenseRequest");
    medication.start = first_date(cx, *dispense, dispense_path, {{"validityPeriod", "start"}});
  }
  if (!medication.start) medication.start = first_date(cx, resource, at, {{"authoredOn"}});
  medication.active = is_one_of(status, {"active"});
  return medication;
}

std::optional<runtime::Goal> read_goal(Context& cx, const json::object& resource, const Path& at) {
  if (is_one_of(string_field(cx, resource, "lifecycleStatus", at), {"entered-in-error"})) {
    return std::nullopt;
  }
  runtime::Goal goal;
  if (const json::object* description = object_field(cx, resource, "description", at)) {
    const Path description_path = at.field("description");
    if (auto text = string_field(cx, *description, "text", description_path)) {
      goal.text = *text;
    } else if (const json::array* codings =
                   array_field(cx, *description, "coding", description_path)) {
      if (!codings->empty() && (*codings)[0].is_object()) {
        const Path codings_path = description_path.field("coding");
        const Path first_path = codings_path.item(0);
        if (auto display = string_field(cx, (*codings)[0].get_object(), "display", first_path)) {
          goal.text = *display;
        }
      }
    }
  }
  if (goal.text.empty()) {
    cx.warn(at.field("description"), "a Goal has no description text; skipped",
            "give the Goal a description.text (or a coding with a display)");
    return std::nullopt;
  }
  goal.recorded = first_date(cx, resource, at, {{"startDate"}, {"statusDate"}});
  return goal;
}

}  // namespace concord::fhir::detail
