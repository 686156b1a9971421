// Messages by id per locale, formatted with ICU: plural forms, dates and numbers follow the
// locale, and a text one locale lacks comes from its language or not at all.
#include <gtest/gtest.h>

#include "concord/runtime/messages.hpp"

namespace concord::runtime {
namespace {

Date day(const char* iso) {
  return *Date::parse_iso(iso);
}

constexpr std::string_view reminders = "{count, plural, one {# reminder} other {# reminders}}";
// Welsh has six plural categories; each branch is marked so the test sees which was chosen.
constexpr std::string_view welsh_reminders =
    "{count, plural, zero {dim: # nodyn} one {un: # nodyn} two {dau: # nodyn} "
    "few {ychydig: # nodyn} many {llawer: # nodyn} other {arall: # nodyn}}";

TEST(MessagesTest, EnglishPluralsChooseOneOrOther) {
  Messages m;
  ASSERT_FALSE(m.add("en-GB", "view.reminders", reminders));
  EXPECT_EQ(m.format("en-GB", "view.reminders", {{"count", std::int64_t{1}}}), "1 reminder");
  EXPECT_EQ(m.format("en-GB", "view.reminders", {{"count", std::int64_t{7}}}), "7 reminders");
  EXPECT_EQ(m.format("en-GB", "view.reminders", {{"count", std::int64_t{0}}}), "0 reminders");
}

TEST(MessagesTest, WelshPluralsUseAllSixCategories) {
  Messages m;
  ASSERT_FALSE(m.add("cy", "view.reminders", welsh_reminders));
  const auto count = [&](std::int64_t n) {
    return *m.format("cy", "view.reminders", {{"count", n}});
  };
  EXPECT_EQ(count(0), "dim: 0 nodyn");
  EXPECT_EQ(count(1), "un: 1 nodyn");
  EXPECT_EQ(count(2), "dau: 2 nodyn");
  EXPECT_EQ(count(3), "ychydig: 3 nodyn");
  EXPECT_EQ(count(6), "llawer: 6 nodyn");
  EXPECT_EQ(count(4), "arall: 4 nodyn");
  EXPECT_EQ(count(11), "arall: 11 nodyn");
}

// The test runs with TZ set far from UTC (see CMakeLists.txt), so a date formatted as a UTC
// midnight instant would show the wrong day.
TEST(MessagesTest, LongDatesAreWrittenTheLocalesWay) {
  Messages m;
  ASSERT_FALSE(m.add("en-GB", "view.date", "{date, date, long}"));
  ASSERT_FALSE(m.add("cy", "view.date", "{date, date, long}"));
  EXPECT_EQ(m.format("en-GB", "view.date", {{"date", day("2026-12-01")}}), "1 December 2026");
  EXPECT_EQ(m.format("cy", "view.date", {{"date", day("2026-12-01")}}), "1 Rhagfyr 2026");
  EXPECT_EQ(m.format("en-GB", "view.date", {{"date", day("2026-03-03")}}), "3 March 2026");
  EXPECT_EQ(m.format("cy", "view.date", {{"date", day("2026-03-03")}}), "3 Mawrth 2026");
}

TEST(MessagesTest, NumbersUseTheLocalesSeparators) {
  Messages m;
  ASSERT_FALSE(m.add("en-GB", "n", "{value, number}"));
  ASSERT_FALSE(m.add("de", "n", "{value, number}"));
  EXPECT_EQ(m.format("en-GB", "n", {{"value", 12345.5}}), "12,345.5");
  EXPECT_EQ(m.format("de", "n", {{"value", 12345.5}}), "12.345,5");
}

TEST(MessagesTest, RegionalTagFallsBackToItsLanguage) {
  Messages m;
  ASSERT_FALSE(m.add("cy", "prompt.what_matters", "Beth sydd bwysicaf i chi?"));
  EXPECT_EQ(m.format("cy-GB", "prompt.what_matters"), "Beth sydd bwysicaf i chi?");
  EXPECT_FALSE(m.format("fr", "prompt.what_matters"));
  EXPECT_FALSE(m.format("cy", "prompt.goals"));
  EXPECT_TRUE(m.has("cy", "prompt.what_matters"));
  EXPECT_FALSE(m.has("cy-GB", "prompt.what_matters"));
}

TEST(MessagesTest, UnparsablePatternIsRefusedWithItsOffset) {
  Messages m;
  const auto error = m.add("en-GB", "view.reminders", "You have {count, plural, one {# reminder}");
  ASSERT_TRUE(error);
  EXPECT_NE(error->message.find("not a valid ICU MessageFormat pattern"), std::string::npos);
  EXPECT_GT(error->offset, 8);
  EXPECT_FALSE(m.has("en-GB", "view.reminders"));
}

TEST(MessagesTest, ApostrophesInWelshAreLiteral) {
  Messages m;
  ASSERT_FALSE(m.add("cy", "x", "Sut ydych chi'n ymdopi â'ch meddyginiaethau?"));
  EXPECT_EQ(m.format("cy", "x"), "Sut ydych chi'n ymdopi â'ch meddyginiaethau?");
}

TEST(MessagesTest, TextArgumentsAreInsertedAsGiven) {
  Messages m;
  ASSERT_FALSE(m.add("en-GB", "x", "Your {what} was {value}."));
  EXPECT_EQ(
      m.format("en-GB", "x",
               {{"what", std::string_view("blood pressure")}, {"value", std::string_view("<b>")}}),
      "Your blood pressure was <b>.");
}

}  // namespace
}  // namespace concord::runtime
