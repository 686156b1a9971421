#include <algorithm>
#include <cctype>

#include "assess.hpp"

namespace concord::runtime {
namespace {

// Units compare as UCUM writes them, with the common spellings records use folded in
// ("mmHg" for "mm[Hg]") and without regard to case ("mmol/l" is "mmol/L").
std::string canonical_unit(std::string_view unit) {
  std::string out;
  for (char c : unit) {
    if (c != ' ') out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  if (out == "mmhg") return "mm[hg]";
  return out;
}

BoundResult measure(const Program& program, const Bound& bound, const FactIndex& facts) {
  BoundResult out;
  out.bound = &bound;
  const auto& latest = facts.latest_value(bound.value_set);
  if (!latest) return out;
  out.measured = latest->date;
  const Quantity& q = *latest->quantity;
  const ValueSetDef& set = program.value_sets[bound.value_set];
  const std::string unit = canonical_unit(q.unit);
  std::optional<double> value;
  if (unit == canonical_unit(set.unit)) {
    value = q.value;
  } else {
    for (const UnitConversion& c : set.conversions) {
      if (unit == canonical_unit(c.from)) value = q.value * c.scale + c.offset;
    }
  }
  if (!value) {
    out.recorded_unit = q.unit.empty() ? "(no unit)" : q.unit;
    return out;
  }
  out.value = *value;
  out.met = compare(*value, bound.comparison, bound.limit);
  return out;
}

}  // namespace

std::optional<TargetResult> assess_target(const Program& program, const CheckDef& check,
                                          const FactIndex& facts, const Measures& person) {
  const TargetDef* applies = nullptr;
  for (const TargetDef& t : check.targets) {
    if (holds(t.when, person)) applies = &t;
  }
  if (!applies) return std::nullopt;
  TargetResult result;
  result.target = applies;
  for (const Bound& b : applies->bounds)
    result.bounds.push_back(measure(program, b, facts));
  // One bound known to be missed is enough to say the target is missed; it is met only when
  // every bound could be compared and holds.
  const auto missed = [](const BoundResult& b) { return b.met == false; };
  const auto known = [](const BoundResult& b) { return b.met.has_value(); };
  if (std::any_of(result.bounds.begin(), result.bounds.end(), missed)) {
    result.met = false;
  } else if (std::all_of(result.bounds.begin(), result.bounds.end(), known)) {
    result.met = true;
  }
  return result;
}

}  // namespace concord::runtime
