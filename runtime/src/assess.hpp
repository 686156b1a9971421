// The parts of evaluation after the fact index is built: the person-level measures,
// individualised targets, and personalised care adjustments (suppressions).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "concord/runtime/evaluate.hpp"
#include "fact_index.hpp"

namespace concord::runtime {

// Age, frailty, activation, end of life, regular medicines and goals, as the rules see them.
Measures measure_person(const Program& program, const Record& record, const FactIndex& facts,
                        Date date);

// The target that applies to this person for a check, measured; none when the check has
// no target.
std::optional<TargetResult> assess_target(const Program& program, const CheckDef& check,
                                          const FactIndex& facts, const Measures& person);

// Suppresses due and overdue reminders that a recorded adjustment covers (R5): end of life
// first, then condition-scoped, then check-scoped. A reminder that is not due stays not_due
// whatever was recorded: achievement is tested before adjustments.
void apply_adjustments(const Program& program, const FactIndex& facts, const Measures& person,
                       Date date, std::vector<Reminder>& reminders);

// R2: the diagnosis that puts a person on a condition's register (the earliest active one
// not resolved), before what else the condition asks for (`also`) is tested.
std::optional<PresentCondition> diagnosed(const ConditionDef& def, ConditionIndex index,
                                          const FactIndex& facts);
// The person's measures as a condition's own expressions see them (its onset set).
Measures about_condition(const Measures& person, const PresentCondition& condition);

// The clauses of an expression that decide its value for this person, as a ruleset writes
// them, with what the record gave each ("age < 18 (age 16): no").
std::vector<std::string> deciding_clauses(const Program& program, const Expr& expr,
                                          const Measures& measures);

bool compare(double lhs, Comparison op, double rhs);
Date add_interval(Date from, Interval interval);
std::string describe(Interval interval);

}  // namespace concord::runtime
