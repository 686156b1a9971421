#include "concord/runtime/program.hpp"

#include <algorithm>

#include "concord/runtime/record.hpp"

namespace concord::runtime {

std::string_view to_string(StageKind kind) {
  switch (kind) {
    case StageKind::tests:
      return "tests";
    case StageKind::letter:
      return "letter";
    case StageKind::conversation:
      return "conversation";
    case StageKind::referral:
      return "referral";
  }
  return "tests";
}

std::optional<StageKind> stage_kind_from(std::string_view name) {
  if (name == "tests") return StageKind::tests;
  if (name == "letter") return StageKind::letter;
  if (name == "conversation") return StageKind::conversation;
  if (name == "referral") return StageKind::referral;
  return std::nullopt;
}

std::string_view to_string(Measure m) {
  switch (m) {
    case Measure::conditions:
      return "conditions";
    case Measure::medicines:
      return "medicines";
    case Measure::age:
      return "age";
    case Measure::frailty:
      return "frailty";
    case Measure::activation:
      return "activation";
    case Measure::end_of_life:
      return "end_of_life";
    case Measure::goals:
      return "goals";
  }
  return "conditions";
}

void Program::add_code(ValueSetIndex set, std::string_view system, std::string_view code) {
  auto& sets = code_index[code_key(system, code)];
  const auto at = std::lower_bound(sets.begin(), sets.end(), set);
  if (at == sets.end() || *at != set) sets.insert(at, set);
  // A dm+d id is a SNOMED CT concept id (the UK drug extension), and UK record systems send
  // medicines in the SNOMED CT system (GP Connect, GP2GP): a dm+d code matches either way.
  if (system == code_system::dmd) add_code(set, code_system::snomed, code);
}

const std::vector<ValueSetIndex>& Program::sets_of(std::string_view key) const {
  static const std::vector<ValueSetIndex> none;
  const auto it = code_index.find(key);
  return it == code_index.end() ? none : it->second;
}

}  // namespace concord::runtime
