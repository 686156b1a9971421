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
template <typename Node>
bool flag_set(const Node& resource, std::string_view key) {
  const Node v = resource.field(key);
  return v && v.boolean() == true;
}

template <typename Node>
std::string id_of(Context& cx, const Node& resource, const Path& at) {
  const auto id = string_field(cx, resource, "id", at);
  return id ? std::string(*id) : std::string();
}

template <typename Node>
runtime::Event event_base(Context& cx, EventKind kind, const Node& resource, const Path& at,
                          std::string_view code_key) {
  runtime::Event event;
  event.id = id_of(cx, resource, at);
  event.kind = kind;
  event.codes = codes_field(cx, resource, code_key, at);
  return event;
}

// The codes of a medicationCodeableConcept, or of the Medication that medicationReference
// names: contained ("#id") or elsewhere in the Bundle.
template <typename Node>
std::vector<runtime::Code> medication_codes(Context& cx, const Node& resource, const Path& at,
                                            const BundledMedications& bundled) {
  if (resource.has("medicationCodeableConcept")) {
    return codes_field(cx, resource, "medicationCodeableConcept", at);
  }
  const Node reference = object_field(cx, resource, "medicationReference", at);
  if (!reference) return {};
  const Path reference_path = at.field("medicationReference");
  const auto target = string_field(cx, reference, "reference", reference_path);
  if (!target) return {};
  if (target->starts_with('#')) {
    const std::string_view wanted = target->substr(1);
    if (const Node contained = array_field(cx, resource, "contained", at)) {
      const Path contained_path = at.field("contained");
      for (const auto& [i, item] : contained.items()) {
        const Node medication = item.object();
        if (!medication) continue;
        const Node id = medication.field("id");
        if (!id || id.string() != wanted) continue;
        const Path item_path = contained_path.item(i);
        return codes_field(cx, medication, "code", item_path.resource(medication.resource_name()));
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

template <typename Node>
void note_based_on(const Node& statement, BundledMedications& bundled) {
  const Node based_on = statement.field("basedOn");
  if (!based_on || !based_on.is_array()) return;
  for (const auto& [i, item] : based_on.items()) {
    const Node reference = item.object();
    const Node target = reference ? reference.field("reference") : Node();
    const auto target_text = target ? target.string() : std::nullopt;
    if (!target_text) continue;
    // Keep the "MedicationRequest/<id>" tail of a relative or absolute reference; a
    // "urn:uuid:<id>" becomes the same.
    const std::string_view text = *target_text;
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

template <typename Node>
std::optional<std::string_view> subject_reference(Context& cx, const Node& resource,
                                                  const Path& at) {
  for (const std::string_view key : {std::string_view("subject"), std::string_view("patient")}) {
    if (const Node subject = object_field(cx, resource, key, at)) {
      const Path subject_path = at.field(key);
      return string_field(cx, subject, "reference", subject_path);
    }
  }
  return std::nullopt;
}

template <typename Node>
std::optional<runtime::Diagnosis> read_condition(Context& cx, const Node& resource,
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

template <typename Node>
std::optional<runtime::Event> read_observation(Context& cx, const Node& resource, const Path& at) {
  if (is_one_of(string_field(cx, resource, "status", at), {"entered-in-error", "cancelled"})) {
    return std::nullopt;
  }
  runtime::Event event = event_base(cx, EventKind::observation, resource, at, "code");
  event.date = first_date(
      cx, resource, at,
      {{"effectiveDateTime"}, {"effectivePeriod", "start"}, {"effectiveInstant"}, {"issued"}});
  if (resource.has("valueQuantity")) {
    event.quantity = quantity_field(cx, resource, "valueQuantity", at);
  } else if (const Node integer = resource.field("valueInteger")) {
    // Scores are often recorded as integers, with no unit.
    if (const auto value = integer.integer()) {
      event.quantity = runtime::Quantity{static_cast<double>(*value), {}};
    }
  }
  event.value_codes = codes_field(cx, resource, "valueCodeableConcept", at);
  if (const Node components = array_field(cx, resource, "component", at)) {
    const Path components_path = at.field("component");
    const auto items = components.items();
    if constexpr (Node::kSyntax == Syntax::json) event.components.reserve(items.size());
    for (const auto& [i, item] : items) {
      const Path component_path = components_path.item(i);
      const Node component = item.object();
      if (!component) {
        cx.warn(component_path, "a component is not an object; ignored",
                cx.check_definition_hint());
        continue;
      }
      runtime::Component& added = event.components.emplace_back();
      added.codes = codes_field(cx, component, "code", component_path);
      added.quantity = quantity_field(cx, component, "valueQuantity", component_path);
    }
  }
  return event;
}

template <typename Node>
std::optional<runtime::Event> read_procedure(Context& cx, const Node& resource, const Path& at) {
  if (is_one_of(string_field(cx, resource, "status", at), {"not-done", "entered-in-error"}) ||
      flag_set(resource, "notDone")) {
    return std::nullopt;
  }
  runtime::Event event = event_base(cx, EventKind::procedure, resource, at, "code");
  event.date = first_date(cx, resource, at, {{"performedDateTime"}, {"performedPeriod", "start"}});
  return event;
}

template <typename Node>
std::optional<runtime::Event> read_immunization(Context& cx, const Node& resource, const Path& at) {
  if (is_one_of(string_field(cx, resource, "status", at), {"not-done", "entered-in-error"}) ||
      flag_set(resource, "notGiven")) {
    return std::nullopt;
  }
  runtime::Event event = event_base(cx, EventKind::immunization, resource, at, "vaccineCode");
  // GP Connect records the vaccination as a SNOMED CT procedure in a CareConnect extension
  // (the vaccineCode is often a null flavour): its codes count as the event's codes too.
  if (const Node extensions = array_field(cx, resource, "extension", at)) {
    const Path extensions_path = at.field("extension");
    for (const auto& [i, item] : extensions.items()) {
      const Node extension = item.object();
      const Node url = extension ? extension.field("url") : Node();
      const auto url_text = url ? url.string() : std::nullopt;
      if (!url_text || !url_text->ends_with("Extension-CareConnect-VaccinationProcedure-1")) {
        continue;
      }
      const Path extension_path = extensions_path.item(i);
      for (runtime::Code& code :
           codes_field(cx, extension, "valueCodeableConcept", extension_path)) {
        event.codes.push_back(std::move(code));
      }
    }
  }
  // R4 occurrenceDateTime; STU3 date.
  event.date = first_date(cx, resource, at, {{"occurrenceDateTime"}, {"date"}});
  return event;
}

template <typename Node>
std::optional<runtime::Event> read_flag(Context& cx, const Node& resource, const Path& at) {
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
template <typename Node>
std::optional<runtime::Medication> read_medication_statement(Context& cx, const Node& resource,
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
template <typename Node>
std::optional<runtime::Medication> read_medication_request(Context& cx, const Node& resource,
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
  if (const Node dispense = object_field(cx, resource, "dispenseRequest", at)) {
    const Path dispense_path = at.field("dispenseRequest");
    medication.start = first_date(cx, dispense, dispense_path, {{"validityPeriod", "start"}});
  }
  if (!medication.start) medication.start = first_date(cx, resource, at, {{"authoredOn"}});
  medication.active = is_one_of(status, {"active"});
  return medication;
}

template <typename Node>
std::optional<runtime::Goal> read_goal(Context& cx, const Node& resource, const Path& at) {
  if (is_one_of(string_field(cx, resource, "lifecycleStatus", at), {"entered-in-error"})) {
    return std::nullopt;
  }
  runtime::Goal goal;
  if (const Node description = object_field(cx, resource, "description", at)) {
    const Path description_path = at.field("description");
    if (auto text = string_field(cx, description, "text", description_path)) {
      goal.text = *text;
    } else if (const Node codings = array_field(cx, description, "coding", description_path)) {
      const auto items = codings.items();
      if (items.begin() != items.end()) {
        const Node first = (*items.begin()).node.object();
        const Path codings_path = description_path.field("coding");
        const Path first_path = codings_path.item(0);
        if (auto display = first ? string_field(cx, first, "display", first_path) : std::nullopt) {
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

#define CONCORD_FHIR_RESOURCES(Node)                                                              \
  template void note_based_on(const Node&, BundledMedications&);                                  \
  template std::optional<std::string_view> subject_reference(Context&, const Node&, const Path&); \
  template std::optional<runtime::Diagnosis> read_condition(Context&, const Node&, const Path&);  \
  template std::optional<runtime::Event> read_observation(Context&, const Node&, const Path&);    \
  template std::optional<runtime::Event> read_procedure(Context&, const Node&, const Path&);      \
  template std::optional<runtime::Event> read_immunization(Context&, const Node&, const Path&);   \
  template std::optional<runtime::Event> read_flag(Context&, const Node&, const Path&);           \
  template std::optional<runtime::Medication> read_medication_statement(                          \
      Context&, const Node&, const Path&, const BundledMedications&);                             \
  template std::optional<runtime::Medication> read_medication_request(                            \
      Context&, const Node&, const Path&, const BundledMedications&);                             \
  template std::optional<runtime::Goal> read_goal(Context&, const Node&, const Path&);
CONCORD_FHIR_RESOURCES(JsonNode)
CONCORD_FHIR_RESOURCES(XmlNode)
#undef CONCORD_FHIR_RESOURCES

}  // namespace concord::fhir::detail
