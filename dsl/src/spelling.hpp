// "Did you mean 'x'?" for names that do not resolve.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace concord::dsl {

// The candidate closest to `name` by edit distance, if it is within 2 edits (and closer than
// rewriting the whole name). Ties go to the earliest candidate.
std::optional<std::string> closest_name(std::string_view name,
                                        const std::vector<std::string_view>& candidates);

}  // namespace concord::dsl
