// Calendar dates for clinical facts and evaluation: a day count with the precision it was
// recorded at (a partial date such as "2019" or "2019-04" keeps its precision).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace concord::runtime {

// A proleptic Gregorian calendar day, stored as days since 1970-01-01.
class Date {
 public:
  constexpr Date() = default;
  static constexpr Date from_days(std::int32_t days) {
    Date d;
    d.days_ = days;
    return d;
  }
  // Returns nullopt when the fields do not name a real day (2023-02-30, month 13, ...).
  static std::optional<Date> from_ymd(int year, int month, int day);
  // Parses "YYYY-MM-DD" exactly; nullopt otherwise.
  static std::optional<Date> parse_iso(std::string_view text);

  constexpr std::int32_t days() const { return days_; }
  int year() const;
  int month() const;
  int day() const;

  Date plus_days(std::int32_t n) const { return from_days(days_ + n); }
  // Calendar months; the day is clamped to the end of a shorter month (31 Jan + 1 month
  // = 28/29 Feb), as recall intervals are counted in general practice.
  Date plus_months(int n) const;

  std::string iso() const;  // "YYYY-MM-DD"

  friend constexpr auto operator<=>(Date, Date) = default;

 private:
  std::int32_t days_ = 0;
};

enum class DatePrecision : std::uint8_t { year, month, day };

// A date as recorded in the source: "2019" is kept as year precision (its first day is
// the comparable value), so nothing is invented and nothing is lost.
struct RecordedDate {
  Date date;
  DatePrecision precision = DatePrecision::day;

  // Parses FHIR date/dateTime forms: YYYY, YYYY-MM, YYYY-MM-DD, YYYY-MM-DDThh:mm:ss[.f](Z|±hh:mm).
  // The time of day and the zone are dropped: Concord reasons in days.
  static std::optional<RecordedDate> parse(std::string_view text);
  std::string text() const;  // at its recorded precision
  friend bool operator==(const RecordedDate&, const RecordedDate&) = default;
};

}  // namespace concord::runtime
