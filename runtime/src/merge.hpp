// The merge: many single-condition reminders become one review with staged dates.
#pragma once

#include <optional>

#include "concord/runtime/evaluate.hpp"

namespace concord::runtime {

// The review for this person under the policy, or nullopt when there is nothing to review
// (no condition, or nothing due: a person with nothing due gets no prompt at all).
std::optional<ReviewResult> merge(const Program& program, const ReviewPolicy& policy,
                                  const Record& record, const Evaluation& evaluation);

Date add_interval(Date from, Interval interval);
std::string describe(Interval interval);

}  // namespace concord::runtime
