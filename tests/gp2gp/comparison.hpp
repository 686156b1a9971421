// Comparing two Records of the same person read from different formats: which conditions,
// observations and medicines one has that the other lacks, by SNOMED CT code and date.
#pragma once

#include <string>
#include <vector>

#include "concord/runtime/record.hpp"

namespace concord::testing {

// A fact one Record has and the other does not.
struct Difference {
  std::string category;  // "condition", "event", "medication"
  std::string only_in;   // "gp2gp" or "gpconnect"
  std::string code;      // the fact's first SNOMED CT code (or first code), e.g. "38341003"
  std::string date;      // as recorded, "" when none
  std::string display;
};

// Facts match when they share a SNOMED CT code (concept or description id) and their dates
// are equal; each fact matches at most one other.
std::vector<Difference> compare_records(const runtime::Record& gp2gp,
                                        const runtime::Record& gpconnect);

}  // namespace concord::testing
