#include "concord/runtime/messages.hpp"

#include <unicode/locid.h>
#include <unicode/msgfmt.h>
#include <unicode/timezone.h>
#include <unicode/unistr.h>
#include <unicode/utypes.h>

#include <mutex>

namespace concord::runtime {

// ICU's MessageFormat creates its plural rules and default number format lazily inside its
// const format(), so concurrent first uses would race: each formatter has its own lock.
// Formatting is rendering, never evaluation, so the lock costs nothing that matters.
struct Messages::Compiled {
  Compiled(icu::MessageFormat f) : format(std::move(f)) {}
  mutable std::mutex lock;
  mutable icu::MessageFormat format;
};

namespace {

icu::UnicodeString unicode(std::string_view text) {
  return icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
}

std::string utf8(const icu::UnicodeString& text) {
  std::string out;
  text.toUTF8String(out);
  return out;
}

// A calendar day as the instant ICU formats: noon of that day in the process's default
// time zone, so that the date formatters (which use that zone) show the same day whatever
// the zone is.
UDate instant_of(Date date) {
  constexpr double ms_per_day = 86400000.0;
  const double noon = static_cast<double>(date.days()) * ms_per_day + ms_per_day / 2;
  std::unique_ptr<icu::TimeZone> zone(icu::TimeZone::createDefault());
  std::int32_t raw = 0, dst = 0;
  UErrorCode status = U_ZERO_ERROR;
  zone->getOffset(noon, /*local=*/true, raw, dst, status);
  return U_SUCCESS(status) ? noon - raw - dst : noon;
}

icu::Formattable formattable(const MessageArg& arg) {
  struct Visit {
    icu::Formattable operator()(std::int64_t v) const {
      return icu::Formattable(static_cast<int64_t>(v));
    }
    icu::Formattable operator()(double v) const { return icu::Formattable(v); }
    icu::Formattable operator()(Date d) const {
      return icu::Formattable(instant_of(d), icu::Formattable::kIsDate);
    }
    icu::Formattable operator()(std::string_view s) const { return icu::Formattable(unicode(s)); }
  };
  return std::visit(Visit{}, arg.value);
}

icu::Locale icu_locale(std::string_view tag) {
  UErrorCode status = U_ZERO_ERROR;
  icu::Locale locale = icu::Locale::forLanguageTag(
      icu::StringPiece(tag.data(), static_cast<int32_t>(tag.size())), status);
  return U_SUCCESS(status) ? locale : icu::Locale::getRoot();
}

}  // namespace

std::string_view language_of(std::string_view locale) {
  return locale.substr(0, locale.find_first_of("-_"));
}

std::optional<PatternError> Messages::add(std::string_view locale, std::string_view id,
                                          std::string_view pattern) {
  UErrorCode status = U_ZERO_ERROR;
  UParseError where{};
  icu::MessageFormat format(unicode(pattern), icu_locale(locale), where, status);
  if (U_FAILURE(status)) {
    return PatternError{
        std::string("not a valid ICU MessageFormat pattern (") + u_errorName(status) + ")",
        where.offset < 0 ? 0 : where.offset};
  }
  auto& table = by_locale_[std::string(locale)];
  table[std::string(id)] = std::make_shared<const Compiled>(std::move(format));
  return std::nullopt;
}

const Messages::Compiled* Messages::find(std::string_view locale, std::string_view id) const {
  for (std::string_view tag : {locale, language_of(locale)}) {
    const auto table = by_locale_.find(tag);
    if (table == by_locale_.end()) continue;
    const auto found = table->second.find(id);
    if (found != table->second.end()) return found->second.get();
  }
  return nullptr;
}

bool Messages::has(std::string_view locale, std::string_view id) const {
  const auto table = by_locale_.find(locale);
  return table != by_locale_.end() && table->second.find(id) != table->second.end();
}

std::vector<std::string> Messages::locales() const {
  std::vector<std::string> out;
  for (const auto& [tag, table] : by_locale_)
    out.push_back(tag);
  return out;
}

std::vector<std::string> Messages::ids(std::string_view locale) const {
  std::vector<std::string> out;
  const auto table = by_locale_.find(locale);
  if (table == by_locale_.end()) return out;
  for (const auto& [id, compiled] : table->second)
    out.push_back(id);
  return out;
}

std::optional<std::string> Messages::format(std::string_view locale, std::string_view id,
                                            std::initializer_list<MessageArg> args) const {
  const Compiled* compiled = find(locale, id);
  if (!compiled) return std::nullopt;
  std::vector<icu::UnicodeString> names;
  std::vector<icu::Formattable> values;
  names.reserve(args.size());
  values.reserve(args.size());
  for (const MessageArg& arg : args) {
    names.push_back(unicode(arg.name));
    values.push_back(formattable(arg));
  }
  icu::UnicodeString out;
  UErrorCode status = U_ZERO_ERROR;
  {
    std::lock_guard<std::mutex> hold(compiled->lock);
    compiled->format.format(names.data(), values.data(), static_cast<int32_t>(values.size()), out,
                            status);
  }
  if (U_FAILURE(status)) return std::nullopt;
  return utf8(out);
}

}  // namespace concord::runtime
