#include "concord/runtime/date.hpp"

#include <algorithm>
#include <ctime>

#include "concord/runtime/today.hpp"

namespace concord::runtime {
namespace {

// Howard Hinnant's days_from_civil / civil_from_days algorithms (public domain), which are
// exact for the whole proleptic Gregorian calendar.
constexpr std::int32_t days_from_civil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int>(doe) - 719468;
}

struct Civil {
  int y;
  unsigned m, d;
};

constexpr Civil civil_from_days(std::int32_t z) {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int y = static_cast<int>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2), m, d};
}

constexpr bool is_leap(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

constexpr unsigned last_day_of_month(int y, unsigned m) {
  constexpr unsigned days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

// Reads exactly `width` digits at text[pos]; returns -1 when they are not all digits.
int read_digits(std::string_view text, std::size_t pos, std::size_t width) {
  if (pos + width > text.size()) return -1;
  int value = 0;
  for (std::size_t i = pos; i < pos + width; ++i) {
    if (text[i] < '0' || text[i] > '9') return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

}  // namespace

std::optional<Date> Date::from_ymd(int year, int month, int day) {
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1) return std::nullopt;
  if (static_cast<unsigned>(day) > last_day_of_month(year, static_cast<unsigned>(month))) {
    return std::nullopt;
  }
  return from_days(days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)));
}

std::optional<Date> Date::parse_iso(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  const int y = read_digits(text, 0, 4), m = read_digits(text, 5, 2), d = read_digits(text, 8, 2);
  if (y < 0 || m < 0 || d < 0) return std::nullopt;
  return from_ymd(y, m, d);
}

int Date::year() const {
  return civil_from_days(days_).y;
}
int Date::month() const {
  return static_cast<int>(civil_from_days(days_).m);
}
int Date::day() const {
  return static_cast<int>(civil_from_days(days_).d);
}

Date Date::plus_months(int n) const {
  const Civil c = civil_from_days(days_);
  const int total = c.y * 12 + static_cast<int>(c.m) - 1 + n;
  const int y = total / 12;
  const unsigned m = static_cast<unsigned>(total % 12) + 1;
  const unsigned d = std::min(c.d, last_day_of_month(y, m));
  return from_days(days_from_civil(y, m, d));
}

std::string Date::iso() const {
  const Civil c = civil_from_days(days_);
  // Years are 1..9999 (from_ymd and the parsers never make others), so four digits hold.
  std::string out = "0000-00-00";
  auto put = [&out](std::size_t at, unsigned value, int width) {
    for (int i = width - 1; i >= 0; --i, value /= 10)
      out[at + static_cast<std::size_t>(i)] = static_cast<char>('0' + value % 10);
  };
  put(0, static_cast<unsigned>(c.y), 4);
  put(5, c.m, 2);
  put(8, c.d, 2);
  return out;
}

std::optional<RecordedDate> RecordedDate::parse(std::string_view text) {
  const int y = read_digits(text, 0, 4);
  if (y < 1) return std::nullopt;
  if (text.size() == 4) return RecordedDate{*Date::from_ymd(y, 1, 1), DatePrecision::year};
  if (text.size() < 7 || text[4] != '-') return std::nullopt;
  const int m = read_digits(text, 5, 2);
  if (m < 1 || m > 12) return std::nullopt;
  if (text.size() == 7) return RecordedDate{*Date::from_ymd(y, m, 1), DatePrecision::month};
  if (text.size() < 10 || text[7] != '-') return std::nullopt;
  auto day = Date::from_ymd(y, m, read_digits(text, 8, 2));
  if (!day) return std::nullopt;
  if (text.size() == 10) return RecordedDate{*day, DatePrecision::day};
  // A dateTime: the time must be there and well formed enough to be a time, but Concord
  // keeps only the day as recorded (no conversion across zones: a GP record's day is local).
  if (text[10] != 'T' || text.size() < 16 || text[13] != ':') return std::nullopt;
  const int hh = read_digits(text, 11, 2), mm = read_digits(text, 14, 2);
  if (hh < 0 || hh > 24 || mm < 0 || mm > 59) return std::nullopt;
  return RecordedDate{*day, DatePrecision::day};
}

std::string RecordedDate::text() const {
  const std::string full = date.iso();
  switch (precision) {
    case DatePrecision::year:
      return full.substr(0, 4);
    case DatePrecision::month:
      return full.substr(0, 7);
    case DatePrecision::day:
      break;
  }
  return full;
}

namespace {

enum class Zone { local, utc };

Date today_in(Zone zone) {
  const std::time_t now = std::time(nullptr);
  std::tm fields{};
#if defined(_WIN32)
  zone == Zone::local ? localtime_s(&fields, &now) : gmtime_s(&fields, &now);
#else
  zone == Zone::local ? localtime_r(&now, &fields) : gmtime_r(&now, &fields);
#endif
  return *Date::from_ymd(fields.tm_year + 1900, fields.tm_mon + 1, fields.tm_mday);
}

}  // namespace

Date today_local() {
  return today_in(Zone::local);
}

Date today_utc() {
  return today_in(Zone::utc);
}

}  // namespace concord::runtime
