#include <gtest/gtest.h>

#include "concord/runtime/date.hpp"

namespace concord::runtime {
namespace {

Date d(const char* iso) {
  return *Date::parse_iso(iso);
}

TEST(DateTest, RoundTripsIsoDatesAcrossCenturies) {
  for (const char* iso : {"1900-03-01", "1970-01-01", "2000-02-29", "2024-12-31", "2026-11-25"}) {
    EXPECT_EQ(d(iso).iso(), iso);
  }
  EXPECT_EQ(d("1970-01-01").days(), 0);
  EXPECT_EQ(d("1970-01-02").days(), 1);
}

TEST(DateTest, RejectsDaysThatDoNotExist) {
  EXPECT_FALSE(Date::parse_iso("2023-02-29"));
  EXPECT_FALSE(Date::parse_iso("2023-13-01"));
  EXPECT_FALSE(Date::parse_iso("2023-1-01"));
  EXPECT_FALSE(Date::parse_iso("yesterday"));
  EXPECT_TRUE(Date::parse_iso("2024-02-29"));
}

TEST(DateTest, AddingMonthsClampsToTheEndOfAShorterMonth) {
  EXPECT_EQ(d("2025-01-31").plus_months(1).iso(), "2025-02-28");
  EXPECT_EQ(d("2024-01-31").plus_months(1).iso(), "2024-02-29");
  EXPECT_EQ(d("2025-06-01").plus_months(12).iso(), "2026-06-01");
  EXPECT_EQ(d("2025-11-15").plus_months(3).iso(), "2026-02-15");
  EXPECT_EQ(d("2026-03-15").plus_months(-3).iso(), "2025-12-15");
}

TEST(DateTest, RecordedDatesKeepTheirPrecision) {
  auto year = RecordedDate::parse("2019");
  ASSERT_TRUE(year);
  EXPECT_EQ(year->precision, DatePrecision::year);
  EXPECT_EQ(year->date.iso(), "2019-01-01");
  EXPECT_EQ(year->text(), "2019");

  auto month = RecordedDate::parse("2019-04");
  ASSERT_TRUE(month);
  EXPECT_EQ(month->text(), "2019-04");

  auto instant = RecordedDate::parse("2020-12-25T09:15:00+00:00");
  ASSERT_TRUE(instant);
  EXPECT_EQ(instant->precision, DatePrecision::day);
  EXPECT_EQ(instant->text(), "2020-12-25");

  EXPECT_FALSE(RecordedDate::parse("2019-4"));
  EXPECT_FALSE(RecordedDate::parse("2019-02-30"));
  EXPECT_FALSE(RecordedDate::parse("2019-02-03X"));
}

}  // namespace
}  // namespace concord::runtime
