// The ranges the checker enforces and the compiler relies on, in one place.
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace concord::dsl::limits {

// Checks recur at most every 10 years, counted in months (or the same span in days or weeks).
inline constexpr int max_interval_months = 120;
// A stage happens at most a year before the conversation.
inline constexpr int max_days_before = 365;
// A conversation's length; also the cap when `minutes` grows per condition with no `up to`.
inline constexpr int max_conversation_minutes = 240;

// Frailty is 0 (none) to 3 (severe); the levels have names. Activation is a PAM level 1-4,
// 0 when unknown.
inline constexpr int max_frailty = 3;
// The largest count of recorded facts a rule may compare with (`count record in X >= N`).
inline constexpr int max_fact_count = 1000;
inline constexpr int max_activation = 4;
inline constexpr int max_age = 150;
inline constexpr std::array<std::string_view, 3> frailty_level_names = {"mild", "moderate",
                                                                        "severe"};
inline std::optional<int> frailty_level(std::string_view name) {
  for (std::size_t i = 0; i < frailty_level_names.size(); ++i) {
    if (frailty_level_names[i] == name) return static_cast<int>(i) + 1;
  }
  return std::nullopt;
}

// The reasons a suppression may give without a warning.
inline constexpr std::array<std::string_view, 5> known_reasons = {
    "declined", "informed_dissent", "unsuitable", "end_of_life", "frailty"};

}  // namespace concord::dsl::limits
