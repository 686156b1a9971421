// Human texts by message id, one set per locale, as ICU MessageFormat patterns. Patterns are
// compiled once when they are added; formatting only fills in the arguments, so a renderer
// needs nothing but the Program and a locale tag.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "concord/runtime/date.hpp"

namespace concord::runtime {

// One named argument of a message: a whole number (plurals), a decimal, a calendar date or
// a text (patient-provided text is passed as is and escaped by the renderer, not here).
struct MessageArg {
  std::string_view name;
  std::variant<std::int64_t, double, Date, std::string_view> value;
};

// Why a pattern could not be compiled: ICU's reason and the offset in the pattern
// (0-based, in UTF-16 code units as ICU counts them, which equal characters for the BMP).
struct PatternError {
  std::string message;
  int offset = 0;
};

class Messages {
 public:
  // The locale every other one falls back to for texts the rulesets do not carry.
  static constexpr std::string_view default_locale = "en-GB";

  // Compiles a pattern for a locale (a BCP 47 tag: "en-GB", "cy"). An id added again
  // replaces the earlier pattern. Returns the error, and keeps nothing, when it does not parse.
  std::optional<PatternError> add(std::string_view locale, std::string_view id,
                                  std::string_view pattern);

  // Whether exactly this locale has the id (no fallback).
  bool has(std::string_view locale, std::string_view id) const;
  // The locales with at least one message, sorted.
  std::vector<std::string> locales() const;
  // The ids of one locale, sorted.
  std::vector<std::string> ids(std::string_view locale) const;
  bool empty() const { return by_locale_.empty(); }

  // Formats message `id` for `locale`, trying the tag itself and then its language ("cy"
  // for "cy-GB"); nullopt when neither has it, or when the arguments do not fit the pattern.
  std::optional<std::string> format(std::string_view locale, std::string_view id,
                                    std::initializer_list<MessageArg> args = {}) const;

 private:
  struct Compiled;  // the ICU formatter, immutable once built (const use is thread-safe)
  using Table = std::map<std::string, std::shared_ptr<const Compiled>, std::less<>>;
  const Compiled* find(std::string_view locale, std::string_view id) const;
  std::map<std::string, Table, std::less<>> by_locale_;
};

// The language of a BCP 47 tag: "cy" for "cy-GB", "en" for "en-GB".
std::string_view language_of(std::string_view locale);

}  // namespace concord::runtime
