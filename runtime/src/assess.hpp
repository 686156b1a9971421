// The parts of evaluation after the fact index is built: the person-level measures,
// individualised targets, and personalised care adjustments (suppressions).
#pragma once

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

bool compare(double lhs, Comparison op, double rhs);
Date add_interval(Date from, Interval interval);
std::string describe(Interval interval);

}  // namespace concord::runtime
