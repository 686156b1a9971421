// The ranges the checker enforces and the compiler relies on, in one place.
#pragma once

namespace concord::dsl::limits {

// Checks recur at most every 10 years, counted in months (or the same span in days or weeks).
inline constexpr int max_interval_months = 120;
// A stage happens at most a year before the conversation.
inline constexpr int max_days_before = 365;
// A conversation's length; also the cap when `minutes` grows per condition with no `up to`.
inline constexpr int max_conversation_minutes = 240;

}  // namespace concord::dsl::limits
