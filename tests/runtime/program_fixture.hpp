// A small Program and Record builder for runtime tests, written by hand so these tests do
// not depend on the language front end.
#pragma once

#include <string>

#include "concord/runtime/evaluate.hpp"
#include "concord/runtime/program.hpp"
#include "concord/runtime/record.hpp"

namespace concord::runtime::testing {

inline Date date(const char* iso) {
  return *Date::parse_iso(iso);
}
inline RecordedDate on(const char* iso) {
  return {date(iso), DatePrecision::day};
}

class ProgramBuilder {
 public:
  ValueSetIndex codes(const std::string& name, std::initializer_list<const char*> snomed) {
    const auto index = static_cast<ValueSetIndex>(program.value_sets.size());
    program.value_sets.push_back({name, {"test.concord", 1}, "", {}});
    for (const char* c : snomed)
      program.add_code(index, code_system::snomed, c);
    return index;
  }
  ConditionIndex condition(const std::string& id, ValueSetIndex dx,
                           std::optional<ValueSetIndex> resolved = std::nullopt) {
    ConditionDef def;
    def.id = id;
    def.title = id;
    def.diagnosis = dx;
    def.resolved = resolved;
    program.conditions.push_back(def);
    return static_cast<ConditionIndex>(program.conditions.size() - 1);
  }
  CheckIndex check(const std::string& id, ConditionIndex condition, ValueSetIndex done,
                   int months = 12, StageKind stage = StageKind::tests) {
    CheckDef def;
    def.id = id;
    def.title = id;
    def.condition = condition;
    def.stage = stage;
    def.interval = {months, IntervalUnit::months};
    def.done_by = {{FactKind::any, done}};
    program.checks.push_back(def);
    return static_cast<CheckIndex>(program.checks.size() - 1);
  }
  void measured_in(ValueSetIndex set, const std::string& unit,
                   std::vector<UnitConversion> conversions = {}) {
    program.value_sets[set].unit = unit;
    program.value_sets[set].conversions = std::move(conversions);
  }
  void target(CheckIndex check, std::vector<Bound> bounds, Expr when = {}) {
    program.checks[check].targets.push_back(
        {std::move(bounds), std::move(when), {"test.concord", 9}});
  }
  void suppress_condition(ConditionIndex c, ValueSetIndex set, const std::string& reason) {
    SuppressionDef d;
    d.condition = c;
    d.value_set = set;
    d.reason = reason;
    program.suppressions.push_back(d);
  }
  void suppress_check(const std::string& check, ValueSetIndex set, const std::string& reason,
                      bool until_season_end = false) {
    SuppressionDef d;
    d.check = check;
    d.value_set = set;
    d.reason = reason;
    d.until_season_end = until_season_end;
    program.suppressions.push_back(d);
  }
  // The reference policy: merged for 2+ conditions or 1 with 10+ medicines.
  void review() {
    ReviewPolicy p;
    p.id = "ltc";
    p.title = "Long-term conditions review";
    ExprNode two{ExprNode::Op::compare, Measure::conditions, Comparison::ge, 2, 0, 0};
    ExprNode one{ExprNode::Op::compare, Measure::conditions, Comparison::ge, 1, 0, 0};
    ExprNode meds{ExprNode::Op::compare, Measure::medicines, Comparison::ge, 10, 0, 0};
    ExprNode both{ExprNode::Op::and_, {}, {}, 0, 1, 2};
    ExprNode either{ExprNode::Op::or_, {}, {}, 0, 0, 3};
    p.merge_when.nodes = {two, one, meds, both, either};
    p.stages = {{"tests", StageKind::tests, "Tests", 21},
                {"letter", StageKind::letter, "Letter", 14},
                {"talk", StageKind::conversation, "Talk", 0}};
    p.prompts = {{"what_matters", "What matters most to you?", {}}};
    program.review = p;
  }
  Program program;
};

inline Diagnosis diagnosis(const char* code, const char* onset) {
  Diagnosis d;
  d.id = std::string("dx-") + code;
  d.codes = {Code(code_system::snomed, code)};
  d.onset = on(onset);
  return d;
}

inline Expr compare(Measure m, Comparison c, double n) {
  return Expr{{ExprNode{ExprNode::Op::compare, m, c, n, 0, 0}}};
}

inline Event measurement(const char* code, const char* when, double value, const char* unit) {
  Event e;
  e.id = std::string("m-") + code + "-" + when;
  e.codes = {Code(code_system::snomed, code)};
  e.date = on(when);
  e.quantity = Quantity{value, unit};
  return e;
}

inline Event event(const char* code, const char* when, std::string id = "") {
  Event e;
  e.id = id.empty() ? std::string("ev-") + code + "-" + when : id;
  e.codes = {Code(code_system::snomed, code)};
  e.date = on(when);
  return e;
}

}  // namespace concord::runtime::testing
