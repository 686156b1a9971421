// What the runtime asks of its extensions (loaded plugins, or in-process fakes in tests):
// terminology that a ruleset names but does not list, and scores computed from a record.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "concord/runtime/date.hpp"
#include "concord/runtime/record.hpp"

namespace concord::runtime {

// Terminology the ruleset library is compiled against: named refsets are expanded and legacy
// codes (Read v2, CTV3) and description ids are mapped when the Program is built, never while
// evaluating.
class Terminology {
 public:
  virtual ~Terminology() = default;

  // The SNOMED CT concept ids in the refset, or nullopt when this terminology does not know it.
  virtual std::optional<std::vector<std::string>> refset_members(
      std::string_view refset_id) const = 0;

  // The other codes that record this SNOMED CT concept: legacy codes (system token "read2" or
  // "ctv3") that map to it, and its description ids (system token "snomed"), which GP2GP
  // extracts often carry in place of the concept id; empty when there are none.
  virtual std::vector<Code> legacy_codes_for(std::string_view snomed_concept) const = 0;
};

// Scores a ruleset can test (CHA2DS2-VASc, an electronic frailty index), computed from the whole
// record. Names are resolved to slots when the Program is built, so evaluation never looks up
// text.
class Functions {
 public:
  virtual ~Functions() = default;

  // The slot of a function, or nullopt when none of that name is loaded.
  virtual std::optional<std::size_t> find(std::string_view name) const = 0;

  // Every function's name, by slot (for messages that suggest a name).
  virtual const std::vector<std::string>& names() const = 0;

  // The score for this person on this date; nullopt when it cannot be computed (missing facts
  // or a failing plugin, which is reported, never thrown across the plugin boundary).
  virtual std::optional<double> call(std::size_t slot, const Record& record, Date date) const = 0;
};

}  // namespace concord::runtime
