// Dates in rulesets: a check due in a window after the condition's onset (QOF DEP003), facts
// before or after a date or the onset, and the diagnostics for windows and dates that make no
// sense.
#include <gtest/gtest.h>

#include <algorithm>

#include "concord/dsl/library.hpp"
#include "concord/runtime/evaluate.hpp"
#include "concord/runtime/render.hpp"
#include "loading.hpp"

namespace concord::dsl {
namespace {

using test::day;
using test::load_one;
using test::on;
using test::with_code;

using runtime::Date;
using runtime::ReminderStatus;

// Test tokens, not clinical codes.
const std::string depression =
    "ruleset depression version \"1\"\n"
    "codes depression_dx = loinc [\"DEP\"]\n"
    "codes depression_reviewed = loinc [\"REV\"]\n"
    "condition depression \"Depression\" present when diagnosis in depression_dx\n"
    "check depression_review \"Depression review\" stage tests due 10 to 56 days after onset\n"
    "  done by record in depression_reviewed\n"
    "  source \"QOF DEP003: reviewed 10 to 56 days after diagnosis\"\n";

runtime::Record diagnosed(const char* onset) {
  return test::with_diagnosis("loinc", "DEP", onset);
}

void add_review(runtime::Record& record, const char* date) {
  test::add_event(record, "loinc", "REV", date);
}

std::optional<runtime::Reminder> review_reminder(const runtime::Program& program,
                                                 const runtime::Record& record, const char* date) {
  const runtime::Evaluation e = runtime::evaluate(program, record, day(date));
  if (e.reminders.empty()) return std::nullopt;
  return e.reminders.front();
}

TEST(OnsetWindowTest, NewDiagnosisIsDueByDay56AndOverdueAfter) {
  const LoadResult result = load_one(depression);
  ASSERT_TRUE(result.program) << format_text(result.diagnostics, result.sources);
  const runtime::Program& program = *result.program;
  const runtime::Record record = diagnosed("2026-10-01");

  const auto due = review_reminder(program, record, "2026-10-05");
  ASSERT_TRUE(due);
  EXPECT_EQ(due->status, ReminderStatus::due);
  EXPECT_EQ(due->due_date, day("2026-11-26"));  // onset + 56 days
  EXPECT_EQ(runtime::why(program, *due),
            "Depression review: none on record; Depression needs one 10 days to 56 days after "
            "diagnosis, so it is due 2026-11-26.");

  const auto overdue = review_reminder(program, record, "2026-12-01");
  ASSERT_TRUE(overdue);
  EXPECT_EQ(overdue->status, ReminderStatus::overdue);
}

TEST(OnsetWindowTest, AReviewFromDayTenOnEndsTheReminderButAnEarlierOneDoesNot) {
  const LoadResult result = load_one(depression);
  ASSERT_TRUE(result.program);
  runtime::Record early = diagnosed("2026-10-01");
  add_review(early, "2026-10-05");  // day 4: too early to count
  EXPECT_EQ(review_reminder(*result.program, early, "2026-12-01")->status, ReminderStatus::overdue);

  runtime::Record reviewed = diagnosed("2026-10-01");
  add_review(reviewed, "2026-10-20");  // day 19
  const auto done = review_reminder(*result.program, reviewed, "2026-12-01");
  ASSERT_TRUE(done);
  EXPECT_EQ(done->status, ReminderStatus::not_due);
  EXPECT_EQ(done->last_done, day("2026-10-20"));
}

TEST(OnsetWindowTest, OnlyANewDiagnosisRaisesIt) {
  const LoadResult result = load_one(depression);
  ASSERT_TRUE(result.program);
  // Twelve months after onset the reminder is no longer raised.
  EXPECT_FALSE(review_reminder(*result.program, diagnosed("2025-10-01"), "2026-12-01"));
  // Without an onset date there is no window to place.
  runtime::Record undated = diagnosed("2026-10-01");
  undated.diagnoses[0].onset.reset();
  EXPECT_FALSE(review_reminder(*result.program, undated, "2026-12-01"));
}

TEST(OnsetWindowTest, BackwardsOrOverlongWindowsAreErrors) {
  const LoadResult result = load_one(
      "ruleset lib version \"1\"\n"
      "codes dx = loinc [\"D\"]\n"
      "condition c \"C\" present when diagnosis in dx\n"
      "check a \"A\" stage tests due 56 to 10 days after onset done by record in dx\n"
      "check b \"B\" stage tests due 1 to 2 years after onset done by record in dx\n");
  const auto bad = with_code(result, "bad-interval");
  ASSERT_EQ(bad.size(), 2u) << format_text(result.diagnostics, result.sources);
  EXPECT_EQ(bad[0].line, 4);
  EXPECT_EQ(bad[0].column, 25);
  EXPECT_NE(bad[0].message.find("does not run forwards"), std::string::npos);
  EXPECT_EQ(bad[1].line, 5);
}

TEST(FactRelationTest, FactsAfterADateOrTheOnset) {
  // A register counting diagnoses since 1 April 2006 (as QOF's depression register does), and a
  // target that applies once a medicine was started after the condition's onset.
  const LoadResult result = load_one(
      "ruleset lib version \"1\"\n"
      "codes dx = loinc [\"D\"]\n"
      "codes drug = dmd [\"X\"]\n"
      "codes level = loinc [\"L\"] measured in mmol/L\n"
      "condition c \"C\" present when diagnosis in dx and record in dx after 2006-04-01\n"
      "check k \"K\" stage tests every 12 months done by observation in level\n"
      "  target latest level <= 5 mmol/L\n"
      "  target latest level <= 7 mmol/L when medication in drug after onset\n");
  ASSERT_TRUE(result.program) << format_text(result.diagnostics, result.sources);
  const runtime::Program& program = *result.program;

  runtime::Record old_dx;
  runtime::Diagnosis dx;
  dx.codes = {runtime::Code("loinc", "D")};
  dx.onset = on("2005-01-01");
  old_dx.diagnoses.push_back(dx);
  EXPECT_TRUE(runtime::evaluate(program, old_dx, day("2026-12-01")).conditions.empty());

  runtime::Record record;
  dx.onset = on("2010-01-01");
  record.diagnoses.push_back(dx);
  runtime::Medication before;
  before.codes = {runtime::Code("dmd", "X")};
  before.start = on("2009-01-01");
  before.active = false;
  record.medications.push_back(before);
  const auto limit = [&] {
    const auto e = runtime::evaluate(program, record, day("2026-12-01"));
    EXPECT_EQ(e.conditions.size(), 1u);
    return e.reminders.at(0).target->bounds.at(0).bound->limit;
  };
  EXPECT_EQ(limit(), 5);
  runtime::Medication after = before;
  after.start = on("2012-01-01");
  record.medications.push_back(after);
  EXPECT_EQ(limit(), 7);
}

TEST(FactRelationTest, OnsetInTheReviewAndImpossibleDatesAreErrors) {
  const LoadResult result = load_one(
      "ruleset lib version \"1\"\n"
      "codes dx = loinc [\"D\"]\n"
      "condition c \"C\" present when diagnosis in dx and record in dx before 2023-02-30\n"
      "  and record in dx within 3 months before onset\n"
      "check k \"K\" stage tests every 12 months done by record in dx\n"
      "review r \"R\" merge when record in dx after onset gather due within 3 months\n"
      "  stage talk conversation \"Talk\"\n");
  const auto dates = with_code(result, "bad-date");
  ASSERT_EQ(dates.size(), 2u) << format_text(result.diagnostics, result.sources);
  EXPECT_EQ(dates[0].line, 3);
  EXPECT_EQ(dates[0].column, 70);
  EXPECT_EQ(dates[1].line, 4);
  const auto onset = with_code(result, "no-onset");
  ASSERT_EQ(onset.size(), 1u);
  EXPECT_EQ(onset[0].line, 6);
  EXPECT_EQ(onset[0].column, 44);
}

}  // namespace
}  // namespace concord::dsl
