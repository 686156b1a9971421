// Checks due once a season (`every season from 1 September`, CLINICAL R6.flu), intervals that
// run from the onset (`every 12 months from onset`, CLINICAL R3.dep), checks raised for
// a frailty level (`for frailty >= severe`, CLINICAL R3/R6) and counts of recorded facts
// (`count record in CODES within 12 months >= 2`, CLINICAL R5.invite): how they read, what
// the checker says about them, how they evaluate and how `concord fmt` prints them.
#include <gtest/gtest.h>

#include "concord/dsl/format_source.hpp"
#include "concord/dsl/library.hpp"
#include "concord/runtime/evaluate.hpp"
#include "concord/runtime/render.hpp"
#include "loading.hpp"

namespace concord::dsl {
namespace {

using test::day;
using test::load_one;
using test::with_code;

using runtime::ReminderStatus;

// Test tokens, not clinical codes.
const std::string seasonal =
    "ruleset lib version \"1\"\n"
    "codes dx = loinc [\"D\"]\n"
    "codes vaccine = loinc [\"V\"]\n"
    "condition c \"C\" present when diagnosis in dx\n"
    "check flu \"Flu\" stage tests every season from 1 September\n"
    "  done by record in vaccine\n";

std::string format(const std::string& text) {
  std::vector<Diagnostic> diagnostics;
  const auto formatted = format_source(SourceFile{"test.concord", text}, diagnostics);
  EXPECT_TRUE(formatted) << format_text(diagnostics, {{"test.concord", text}});
  return formatted.value_or("");
}

runtime::Record diagnosed() {
  return test::with_diagnosis("loinc", "D", "2010-01-01");
}

void add_event(runtime::Record& record, const char* code, const char* date) {
  test::add_event(record, "loinc", code, date);
}

runtime::Reminder only_reminder(const runtime::Program& program, const runtime::Record& record,
                                const char* date) {
  const runtime::Evaluation e = runtime::evaluate(program, record, day(date));
  EXPECT_EQ(e.reminders.size(), 1u);
  return e.reminders.at(0);
}

TEST(SeasonTest, LastSeasonsVaccineCountsUntilTheNextFirstOfSeptember) {
  const LoadResult result = load_one(seasonal);
  ASSERT_TRUE(result.program) << format_text(result.diagnostics, result.sources);
  runtime::Record record = diagnosed();
  add_event(record, "V", "2025-10-05");
  auto r = only_reminder(*result.program, record, "2026-08-15");
  EXPECT_EQ(r.status, ReminderStatus::due);
  EXPECT_EQ(r.due_date, day("2026-09-01"));
  r = only_reminder(*result.program, record, "2026-09-01");
  EXPECT_EQ(r.status, ReminderStatus::overdue);
  EXPECT_EQ(r.due_date, day("2026-09-01"));
  add_event(record, "V", "2026-09-20");
  r = only_reminder(*result.program, record, "2026-12-01");
  EXPECT_EQ(r.status, ReminderStatus::not_due);
  EXPECT_EQ(r.due_date, day("2027-09-01"));
}

TEST(SeasonTest, AMissedSeasonIsOverdueUntil31MarchThenTheNextIsAwaited) {
  const LoadResult result = load_one(seasonal);
  ASSERT_TRUE(result.program);
  const runtime::Record record = diagnosed();
  auto r = only_reminder(*result.program, record, "2027-03-31");
  EXPECT_EQ(r.status, ReminderStatus::overdue);
  EXPECT_EQ(r.due_date, day("2026-09-01"));
  r = only_reminder(*result.program, record, "2027-04-01");
  EXPECT_EQ(r.status, ReminderStatus::not_due);
  EXPECT_EQ(r.due_date, day("2027-09-01"));
  r = only_reminder(*result.program, record, "2027-06-01");
  EXPECT_EQ(r.status, ReminderStatus::due);
}

TEST(SeasonTest, ASeasonStartsOnADayEveryYearHas) {
  const LoadResult result = load_one(
      "ruleset lib version \"1\"\n"
      "codes dx = loinc [\"D\"]\n"
      "condition c \"C\" present when diagnosis in dx\n"
      "check a \"A\" stage tests every season from 29 February done by record in dx\n"
      "check b \"B\" stage tests every season from 31 April done by record in dx\n");
  const auto bad = with_code(result, "bad-date");
  ASSERT_EQ(bad.size(), 2u) << format_text(result.diagnostics, result.sources);
  EXPECT_EQ(bad[0].line, 4);
  EXPECT_EQ(bad[0].column, 31);  // at 'season'
  EXPECT_NE(bad[0].message.find("'29 February' is not a day that every year has"),
            std::string::npos);
  EXPECT_NE(bad[0].hint.find("every season from 1 September"), std::string::npos);
  EXPECT_EQ(bad[1].line, 5);
}

TEST(SeasonTest, AMisspeltMonthIsASyntaxErrorNamingWhatWasExpected) {
  const LoadResult result = load_one(
      "ruleset lib version \"1\"\n"
      "codes dx = loinc [\"D\"]\n"
      "condition c \"C\" present when diagnosis in dx\n"
      "check a \"A\" stage tests every season from 1 Septembre done by record in dx\n");
  const auto syntax = with_code(result, "syntax");
  ASSERT_EQ(syntax.size(), 1u) << format_text(result.diagnostics, result.sources);
  EXPECT_EQ(syntax[0].line, 4);
  EXPECT_EQ(syntax[0].column, 45);
  EXPECT_NE(syntax[0].message.find("a month's name"), std::string::npos) << syntax[0].message;
}

const std::string frail =
    "ruleset lib version \"1\"\n"
    "codes dx = loinc [\"D\"]\n"
    "codes severe = loinc [\"S\"]\n"
    "codes moderate = loinc [\"M\"]\n"
    "codes reviewed = loinc [\"R\"]\n"
    "frailty moderate when record in moderate\n"
    "frailty severe when record in severe\n"
    "condition c \"C\" present when diagnosis in dx\n"
    "check k \"K\" stage tests every 12 months done by record in dx\n"
    "check medication_review \"Medication review\" for frailty >= severe stage tests\n"
    "  every 12 months done by record in reviewed\n";

TEST(FrailtyCheckTest, RaisedAtTheLevelOrAboveForThePseudoConditionFrailty) {
  const LoadResult result = load_one(frail);
  ASSERT_TRUE(result.program) << format_text(result.diagnostics, result.sources);
  const runtime::Program& program = *result.program;
  runtime::Record record;  // no condition at all
  add_event(record, "M", "2026-01-01");
  EXPECT_TRUE(runtime::evaluate(program, record, day("2026-12-01")).reminders.empty());
  add_event(record, "S", "2026-06-01");
  const auto e = runtime::evaluate(program, record, day("2026-12-01"));
  ASSERT_EQ(e.reminders.size(), 1u);
  EXPECT_EQ(program.conditions[e.reminders[0].condition].id, "frailty");
  EXPECT_EQ(e.reminders[0].status, ReminderStatus::overdue);
  EXPECT_TRUE(e.conditions.empty());  // frailty is not a present condition
  EXPECT_EQ(e.person.conditions, 0);
}

TEST(FrailtyCheckTest, ALevelThatNoDeclarationRecordsIsAnError) {
  const LoadResult result = load_one(
      "ruleset lib version \"1\"\n"
      "codes moderate = loinc [\"M\"]\n"
      "frailty moderate when record in moderate\n"
      "check k \"K\" for frailty >= severe stage tests every 12 months done by record in "
      "moderate\n");
  const auto errors = with_code(result, "no-frailty");
  ASSERT_EQ(errors.size(), 1u) << format_text(result.diagnostics, result.sources);
  EXPECT_EQ(errors[0].line, 4);
  EXPECT_EQ(errors[0].column, 17);
  EXPECT_NE(errors[0].message.find("could never be raised"), std::string::npos);
  EXPECT_NE(errors[0].hint.find("frailty severe when record in CODES"), std::string::npos);
}

TEST(FrailtyCheckTest, MixingConditionsAndAFrailtyLevelOrNamingAConditionFrailtyAreErrors) {
  const LoadResult result = load_one(
      "ruleset lib version \"1\"\n"
      "codes s = loinc [\"S\"]\n"
      "frailty severe when record in s\n"
      "condition frailty \"F\" present when diagnosis in s\n"
      "check k \"K\" for frailty >= severe for frailty stage tests every 12 months\n"
      "  done by record in s\n"
      "check j \"J\" for frailty >= severe stage tests every 12 months done by record in s\n"
      "check j \"J\" for frailty >= mild stage tests every 12 months done by record in s\n");
  const auto mixed = with_code(result, "mixed-for");
  ASSERT_EQ(mixed.size(), 1u) << format_text(result.diagnostics, result.sources);
  EXPECT_EQ(mixed[0].line, 5);
  EXPECT_EQ(mixed[0].column, 39);
  const auto duplicates = with_code(result, "duplicate-id");
  ASSERT_EQ(duplicates.size(), 2u) << format_text(result.diagnostics, result.sources);
  EXPECT_EQ(duplicates[0].line, 4);  // the condition called 'frailty'
  EXPECT_EQ(duplicates[1].line, 8);  // the second frailty check 'j'
}

const std::string counted =
    "ruleset lib version \"1\"\n"
    "codes dx = loinc [\"D\"]\n"
    "codes invitation = loinc [\"I\", \"J\"]\n"
    "condition c \"C\" present when diagnosis in dx\n"
    "check k \"K\" stage conversation every 12 months done by record in dx\n"
    "review r \"R\" merge when conditions >= 2 gather due within 3 months\n"
    "  stage talk conversation \"Talk\"\n"
    "  ask engagement \"E?\" when count record in invitation within 12 months >= 2\n";

bool asked(const runtime::Program& program, const runtime::Record& record) {
  const auto e = runtime::evaluate(program, record, day("2026-12-01"));
  if (!e.review) return false;
  for (const auto* p : e.review->prompts) {
    if (p->id == "engagement") return true;
  }
  return false;
}

TEST(CountTest, CountsDaysWithAFactInTheWindow) {
  const LoadResult result = load_one(counted);
  ASSERT_TRUE(result.program) << format_text(result.diagnostics, result.sources);
  const runtime::Program& program = *result.program;
  runtime::Record record = diagnosed();
  add_event(record, "I", "2025-11-01");  // more than 12 months before
  add_event(record, "I", "2026-06-01");
  EXPECT_FALSE(asked(program, record));
  add_event(record, "J", "2026-06-01");  // the same day: one invitation
  EXPECT_FALSE(asked(program, record));
  add_event(record, "J", "2026-09-01");
  EXPECT_TRUE(asked(program, record));
  add_event(record, "I", "2027-01-01");  // after the evaluation date: never seen
  EXPECT_TRUE(asked(program, record));
}

TEST(CountTest, ACountIsAWholeNumber) {
  const LoadResult result = load_one(
      "ruleset lib version \"1\"\n"
      "codes dx = loinc [\"D\"]\n"
      "condition c \"C\" present when diagnosis in dx and count record in dx >= 1.5\n"
      "check k \"K\" stage tests every 12 months done by record in dx\n");
  const auto bad = with_code(result, "bad-number");
  ASSERT_EQ(bad.size(), 1u) << format_text(result.diagnostics, result.sources);
  EXPECT_EQ(bad[0].line, 3);
  EXPECT_EQ(bad[0].column, 50);  // at 'count'
  EXPECT_NE(bad[0].message.find("whole number"), std::string::npos);
}

// Test tokens, not clinical codes.
const std::string yearly_from_onset =
    "ruleset lib version \"1\"\n"
    "codes dx = loinc [\"D\"]\n"
    "codes scored = loinc [\"S\"]\n"
    "condition c \"C\" present when diagnosis in dx\n"
    "check yearly \"Yearly\" stage conversation every 12 months from onset\n"
    "  done by record in scored\n";

TEST(FromOnsetTest, ANewDiagnosisIsNotOverdueTheIntervalRunsFromTheOnset) {
  const LoadResult result = load_one(yearly_from_onset);
  ASSERT_TRUE(result.program) << format_text(result.diagnostics, result.sources);
  const runtime::Record record = test::with_diagnosis("loinc", "D", "2026-11-20");
  auto r = only_reminder(*result.program, record, "2026-12-01");
  EXPECT_EQ(r.status, ReminderStatus::not_due);
  EXPECT_EQ(r.due_date, day("2027-11-20"));
  ASSERT_TRUE(r.counted_from_onset);
  EXPECT_EQ(runtime::why(*result.program, r),
            "Yearly: none on record since the diagnosis on 2026-11-20; C needs one every 12 "
            "months from diagnosis, so it is due 2027-11-20.");
  r = only_reminder(*result.program, record, "2027-12-01");
  EXPECT_EQ(r.status, ReminderStatus::overdue);
  EXPECT_EQ(r.due_date, day("2027-11-20"));
}

TEST(FromOnsetTest, DoneSinceTheOnsetCountsAsUsualDoneOnlyBeforeItDoesNot) {
  const LoadResult result = load_one(yearly_from_onset);
  ASSERT_TRUE(result.program);
  runtime::Record record = test::with_diagnosis("loinc", "D", "2025-06-01");
  add_event(record, "S", "2024-01-10");  // before the diagnosis: the onset is later
  auto r = only_reminder(*result.program, record, "2026-01-15");
  EXPECT_EQ(r.due_date, day("2026-06-01"));
  EXPECT_EQ(r.last_done, day("2024-01-10"));
  add_event(record, "S", "2025-09-01");
  r = only_reminder(*result.program, record, "2026-01-15");
  EXPECT_EQ(r.due_date, day("2026-09-01"));
  EXPECT_FALSE(r.counted_from_onset);
}

TEST(FromOnsetTest, WithoutAnOnsetTheCheckIsDueAtOnceAsWithoutFromOnset) {
  const LoadResult result = load_one(yearly_from_onset);
  ASSERT_TRUE(result.program);
  runtime::Record record = test::with_diagnosis("loinc", "D");
  record.diagnoses[0].onset.reset();
  const auto r = only_reminder(*result.program, record, "2026-01-15");
  EXPECT_EQ(r.status, ReminderStatus::overdue);
  EXPECT_EQ(r.due_date, day("2026-01-15"));
}

TEST(FromOnsetTest, AFrailtyCheckHasNoOnsetToCountFrom) {
  const LoadResult result = load_one(
      "ruleset lib version \"1\"\n"
      "codes dx = loinc [\"D\"]\n"
      "frailty severe when record in dx\n"
      "condition c \"C\" present when diagnosis in dx\n"
      "check m \"M\" for frailty >= severe stage tests every 12 months from onset\n"
      "  done by record in dx\n"
      "check n \"N\" for frailty >= severe stage tests due 10 to 56 days after onset\n"
      "  done by record in dx\n");
  const auto found = with_code(result, "no-onset");
  ASSERT_EQ(found.size(), 2u) << format_text(result.diagnostics, result.sources);
  EXPECT_EQ(found[0].line, 5);
  EXPECT_EQ(found[0].column, 53);  // at '12'
  EXPECT_NE(found[0].hint.find("every 12 months"), std::string::npos);
  EXPECT_EQ(found[1].line, 7);
}

TEST(FromOnsetTest, AMisspeltOnsetIsASyntaxErrorNamingWhatWasExpected) {
  const LoadResult result = load_one(
      "ruleset lib version \"1\"\n"
      "codes dx = loinc [\"D\"]\n"
      "condition c \"C\" present when diagnosis in dx\n"
      "check a \"A\" stage tests every 12 months from onest done by record in dx\n");
  const auto syntax = with_code(result, "syntax");
  ASSERT_EQ(syntax.size(), 1u) << format_text(result.diagnostics, result.sources);
  EXPECT_NE(syntax[0].message.find("'onset' after 'from'"), std::string::npos) << syntax[0].message;
}

// Test tokens, not clinical codes.
// A condition staged by codes, and a check due more often at the more severe stages.
const std::string staged_head =
    "ruleset lib version \"1\"\n"
    "codes dx = loinc [\"D\", \"D4\", \"D5\"]\n"
    "codes stage4 = loinc [\"D4\"]\n"
    "codes stage5 = loinc [\"D5\"]\n"
    "codes test = loinc [\"T\"]\n"
    "condition c \"C\" present when diagnosis in dx\n"
    "check k \"K\" stage tests every 12 months\n";
const std::string staged = staged_head +
                           "  or every 6 months when record in stage4\n"
                           "  or every 3 months when record in stage5\n"
                           "  done by record in test\n";

TEST(IntervalWhenTest, TheLastIntervalWhoseWhenHoldsApplies) {
  const LoadResult result = load_one(staged);
  ASSERT_TRUE(result.program) << format_text(result.diagnostics, result.sources);
  runtime::Record record = test::with_diagnosis("loinc", "D", "2015-01-01");
  add_event(record, "T", "2026-01-10");
  auto r = only_reminder(*result.program, record, "2026-03-01");
  EXPECT_EQ(r.due_date, day("2027-01-10"));
  EXPECT_EQ(runtime::why(*result.program, r),
            "K last recorded 2026-01-10; C needs one every 12 months, so it is due 2027-01-10.");
  add_event(record, "D5", "2025-06-01");
  add_event(record, "D4", "2025-12-01");  // both recorded: the later-written interval applies
  r = only_reminder(*result.program, record, "2026-03-01");
  EXPECT_EQ(r.due_date, day("2026-04-10"));
  EXPECT_EQ(r.interval.count, 3);
  EXPECT_EQ(runtime::why(*result.program, r),
            "K last recorded 2026-01-10; C needs one every 3 months, so it is due 2026-04-10.");
}

TEST(IntervalWhenTest, OnlyARecurringCheckCanHaveAnotherInterval) {
  const LoadResult result = load_one(
      "ruleset lib version \"1\"\n"
      "codes dx = loinc [\"D\"]\n"
      "condition c \"C\" present when diagnosis in dx\n"
      "check f \"F\" stage tests every season from 1 September\n"
      "  or every 6 months when age >= 65 done by record in dx\n"
      "check g \"G\" stage tests every 12 months or every 0 months when age >= 65\n"
      "  or every 6 months when cc done by record in dx\n");
  const auto bad = with_code(result, "bad-interval");
  ASSERT_EQ(bad.size(), 2u) << format_text(result.diagnostics, result.sources);
  EXPECT_EQ(bad[0].line, 5);
  EXPECT_EQ(bad[0].column, 3);  // at 'or'
  EXPECT_NE(bad[0].message.find("is not due every N months"), std::string::npos);
  EXPECT_EQ(bad[1].line, 6);
  EXPECT_EQ(with_code(result, "unknown-name").size(), 1u);
}

// `latest KIND in CODES is in CODES`: the stage in the person's latest code decides, so a
// person re-staged to a milder stage goes back to the longer interval.
const std::string latest_staged = staged_head +
                                  "  or every 6 months when latest record in dx is in stage4\n"
                                  "  or every 3 months when latest record in dx is in stage5\n"
                                  "  done by record in test\n";

TEST(LatestIsInTest, TheStageOfTheLatestCodeDecidesNotAnyEarlierOne) {
  const LoadResult result = load_one(latest_staged);
  ASSERT_TRUE(result.program) << format_text(result.diagnostics, result.sources);
  runtime::Record record = diagnosed();  // D on 2010-01-01: unstaged
  add_event(record, "T", "2026-01-10");
  EXPECT_EQ(only_reminder(*result.program, record, "2026-03-01").interval.count, 12);
  add_event(record, "D5", "2024-06-01");
  EXPECT_EQ(only_reminder(*result.program, record, "2026-03-01").interval.count, 3);
  add_event(record, "D4", "2025-12-01");  // re-staged from 5 to 4
  EXPECT_EQ(only_reminder(*result.program, record, "2026-03-01").interval.count, 6);
  add_event(record, "D", "2026-02-01");  // re-staged again, to a code in neither stage
  EXPECT_EQ(only_reminder(*result.program, record, "2026-03-01").interval.count, 12);
  // ... but not before that code is recorded: a rule never sees the future.
  EXPECT_EQ(only_reminder(*result.program, record, "2026-01-15").interval.count, 6);
  add_event(record, "D5", "2026-02-01");  // two codes on the latest day: either will do
  EXPECT_EQ(only_reminder(*result.program, record, "2026-03-01").interval.count, 3);
}

TEST(LatestIsInTest, ExplainShowsBothLatestDates) {
  const LoadResult result = load_one(
      "ruleset lib version \"1\"\n"
      "codes dx = loinc [\"D\", \"D5\"]\n"
      "codes stage5 = loinc [\"D5\"]\n"
      "condition c \"C\" present when diagnosis in dx and latest record in dx is in stage5\n");
  ASSERT_TRUE(result.program) << format_text(result.diagnostics, result.sources);
  runtime::Record record = diagnosed();
  add_event(record, "D5", "2020-06-01");
  add_event(record, "D", "2021-03-01");
  const runtime::Evaluation e = runtime::evaluate(*result.program, record, day("2021-11-01"));
  EXPECT_TRUE(e.conditions.empty());
  const auto all = runtime::explain(*result.program, record, e);
  ASSERT_FALSE(all.empty());
  ASSERT_EQ(all[0].facts.size(), 2u);
  EXPECT_EQ(all[0].facts[1],
            "but not what the condition needs besides: latest record in dx is in stage5 (latest "
            "2021-03-01; in stage5: latest 2020-06-01): no");
}

TEST(LatestIsInTest, MistakesAreNamedWhereTheyAre) {
  const LoadResult missing_is = load_one(
      "ruleset lib version \"1\"\n"
      "codes dx = loinc [\"D\"]\n"
      "condition c \"C\" present when diagnosis in dx and latest record in dx in dx\n");
  const auto syntax = with_code(missing_is, "syntax");
  ASSERT_EQ(syntax.size(), 1u);
  EXPECT_EQ(syntax[0].line, 3);
  EXPECT_EQ(syntax[0].column, 70);  // at the second "in"
  EXPECT_NE(syntax[0].message.find("'is in'"), std::string::npos) << syntax[0].message;

  const LoadResult misspelt = load_one(
      "ruleset lib version \"1\"\n"
      "codes dx = loinc [\"D\"]\n"
      "codes stage5 = loinc [\"D5\"]\n"
      "condition c \"C\" present when diagnosis in dx and latest record in dx is in stage_5\n");
  const auto unknown = with_code(misspelt, "unknown-name");
  ASSERT_EQ(unknown.size(), 1u) << format_text(misspelt.diagnostics, misspelt.sources);
  EXPECT_NE(unknown[0].hint.find("stage5"), std::string::npos) << unknown[0].hint;
}

TEST(LatestIsInTest, PrintedCanonically) {
  const std::string messy =
      "ruleset lib version \"1\"\n"
      "codes dx = loinc [\"D\"]\n"
      "condition c \"C\" present when diagnosis in dx and latest   record in dx is  in dx\n";
  const std::string expected =
      "ruleset lib version \"1\"\n"
      "\n"
      "codes dx = loinc [\"D\"]\n"
      "\n"
      "condition c \"C\"\n"
      "  present when diagnosis in dx and latest record in dx is in dx\n";
  EXPECT_EQ(format(messy), expected);
  EXPECT_EQ(format(expected), expected);
}

TEST(SeasonFrailtyCountFormatTest, PrintedCanonicallyAndStable) {
  const std::string messy =
      "ruleset lib version \"1\"\n"
      "codes dx = loinc [\"D\"]\n"
      "frailty severe when record in dx\n"
      "condition c \"C\" present when diagnosis in dx and count   record in dx within 12 "
      "months>=2\n"
      "check flu \"Flu\" stage tests every season   from 1 September done by record in dx\n"
      "check m \"M\" for frailty>=severe stage tests every 12 months done by record in dx\n"
      "check y \"Y\" stage tests every 12   months from  onset done by record in dx\n"
      "check z \"Z\" stage tests every 12 months or every 3 months when age>=80 done by record in "
      "dx\n";
  const std::string expected =
      "ruleset lib version \"1\"\n"
      "\n"
      "codes dx = loinc [\"D\"]\n"
      "\n"
      "frailty severe when record in dx\n"
      "\n"
      "condition c \"C\"\n"
      "  present when diagnosis in dx and count record in dx within 12 months >= 2\n"
      "\n"
      "check flu \"Flu\" stage tests every season from 1 September\n"
      "  done by record in dx\n"
      "\n"
      "check m \"M\" for frailty >= severe stage tests every 12 months\n"
      "  done by record in dx\n"
      "\n"
      "check y \"Y\" stage tests every 12 months from onset\n"
      "  done by record in dx\n"
      "\n"
      "check z \"Z\" stage tests every 12 months\n"
      "  or every 3 months when age >= 80\n"
      "  done by record in dx\n";
  EXPECT_EQ(format(messy), expected);
  EXPECT_EQ(format(expected), expected);
}

}  // namespace
}  // namespace concord::dsl
