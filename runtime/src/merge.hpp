// The merge: many single-condition reminders become one review with staged dates.
#pragma once

#include <optional>

#include "concord/runtime/evaluate.hpp"

namespace concord::runtime {

// The review for this person under the policy, or nullopt when there is nothing to review
// (no condition, or nothing due: a person with nothing due gets no prompt at all).
// `person` carries which conditions are present, for prompts that ask about one.
std::optional<ReviewResult> merge(const Program& program, const ReviewPolicy& policy,
                                  const Record& record, const Evaluation& evaluation,
                                  const Measures& person);

}  // namespace concord::runtime
