// FHIR coding system URIs and the runtime's code-system tokens.
#include <array>
#include <utility>

#include "concord/fhir/read.hpp"

namespace concord::fhir {

namespace {

namespace cs = runtime::code_system;

// Canonical URIs from the FHIR terminology registry and NHS England's FHIR guidance.
constexpr std::array<std::pair<std::string_view, std::string_view>, 9> kSystems{{
    {"http://snomed.info/sct", cs::snomed},
    {"http://loinc.org", cs::loinc},
    {"http://hl7.org/fhir/sid/cvx", cs::cvx},
    {"http://hl7.org/fhir/sid/icd-10", cs::icd10},
    {"http://hl7.org/fhir/sid/icd-10-uk", cs::icd10},
    {"https://dmd.nhs.uk", cs::dmd},
    {"https://fhir.nhs.uk/Id/dmd-code", cs::dmd},
    {"http://read.info/readv2", cs::read2},
    {"http://read.info/ctv3", cs::ctv3},
}};

}  // namespace

std::string_view system_token(std::string_view uri) {
  for (const auto& [known, token] : kSystems) {
    if (uri == known) return token;
  }
  return uri;
}

}  // namespace concord::fhir
