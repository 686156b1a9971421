// Internal: one FHIR resource to one runtime fact. Each reader returns nothing for an entry
// that must not count (entered in error, not done), and warns about what it had to skip.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "fields.hpp"
#include "references.hpp"

namespace concord::fhir::detail {

// The resource types the reader knows; everything else is counted and ignored.
enum class ResourceKind {
  patient,
  condition,
  observation,
  procedure,
  immunization,
  flag,
  medication_statement,
  medication_request,
  medication,
  goal,
  other,
};
ResourceKind kind_of(std::string_view resource_type);

// Medication resources in the Bundle, read once, for medicationReference; and the
// MedicationRequests that a MedicationStatement is based on ("MedicationRequest/<id>").
struct BundledMedications {
  ReferenceIndex index;
  std::vector<std::vector<runtime::Code>> codes;
  std::unordered_set<std::string> stated_requests;
};

// The readers below take either node type of node.hpp (JsonNode, XmlNode); `resource` is an
// object node. They are instantiated for both in resources.cpp.

// Notes the MedicationRequests a MedicationStatement names in basedOn.
template <typename Node>
void note_based_on(const Node& statement, BundledMedications& bundled);

// The subject (or, for Immunization and the like, patient) reference, if any.
template <typename Node>
std::optional<std::string_view> subject_reference(Context& cx, const Node& resource,
                                                  const Path& at);

template <typename Node>
std::optional<runtime::Diagnosis> read_condition(Context& cx, const Node& resource, const Path& at);
template <typename Node>
std::optional<runtime::Event> read_observation(Context& cx, const Node& resource, const Path& at);
template <typename Node>
std::optional<runtime::Event> read_procedure(Context& cx, const Node& resource, const Path& at);
template <typename Node>
std::optional<runtime::Event> read_immunization(Context& cx, const Node& resource, const Path& at);
template <typename Node>
std::optional<runtime::Event> read_flag(Context& cx, const Node& resource, const Path& at);
template <typename Node>
std::optional<runtime::Medication> read_medication_statement(Context& cx, const Node& resource,
                                                             const Path& at,
                                                             const BundledMedications& bundled);
template <typename Node>
std::optional<runtime::Medication> read_medication_request(Context& cx, const Node& resource,
                                                           const Path& at,
                                                           const BundledMedications& bundled);
template <typename Node>
std::optional<runtime::Goal> read_goal(Context& cx, const Node& resource, const Path& at);

}  // namespace concord::fhir::detail
