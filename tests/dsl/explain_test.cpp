// `concord explain`: the rule behind each decision, and for a condition whose diagnosis is on
// record but which is absent, or a review merged or not, the clauses that decided it with
// what the record gave each.
#include <gtest/gtest.h>

#include <algorithm>

#include "concord/runtime/evaluate.hpp"
#include "concord/runtime/render.hpp"
#include "loading.hpp"

namespace concord::dsl {
namespace {

using test::day;
using test::load_one;

// Test tokens, not clinical codes.
const std::string library =
    "ruleset lib version \"1\"\n"
    "codes dx = loinc [\"D\"]\n"
    "codes drug = loinc [\"M\"]\n"
    "codes other_dx = loinc [\"O\"]\n"
    "condition c \"C\" present when diagnosis in dx and not age < 18\n"
    "  and (medication in drug within 12 months or record in dx after 2020-01-01)\n"
    "condition o \"O\" present when diagnosis in other_dx\n"
    "check k \"K\" for c, o stage tests every 12 months done by record in dx\n"
    "review r \"R\" merge when conditions >= 2 or age >= 80\n"
    "  gather due within 3 months stage talk conversation \"Talk\" stage t tests \"T\"\n";

const runtime::Explanation& about(const std::vector<runtime::Explanation>& all,
                                  const std::string& subject) {
  static const runtime::Explanation missing;
  const auto it = std::find_if(all.begin(), all.end(),
                               [&](const runtime::Explanation& e) { return e.subject == subject; });
  if (it != all.end()) return *it;
  ADD_FAILURE() << "no explanation for " << subject;
  return missing;
}

TEST(ExplainTest, AnAbsentConditionWithItsDiagnosisNamesTheClausesThatFailed) {
  const LoadResult result = load_one(library);
  ASSERT_TRUE(result.program) << format_text(result.diagnostics, result.sources);
  runtime::Record record = test::with_diagnosis("loinc", "D", "2015-03-01");
  record.birth_date = test::on("2010-05-01");
  const runtime::Evaluation e = runtime::evaluate(*result.program, record, day("2021-11-01"));
  const auto all = runtime::explain(*result.program, record, e);
  const runtime::Explanation& c = about(all, "condition c");
  EXPECT_EQ(c.decision, "absent");
  ASSERT_EQ(c.facts.size(), 2u);
  EXPECT_EQ(c.facts[0], "diagnosis dx in dx, onset 2015-03-01");
  EXPECT_EQ(c.facts[1],
            "but not what the condition needs besides: not age < 18 (age 11): no; medication in "
            "drug within 12 months (none on record): no; record in dx after 2020-01-01 (latest "
            "2015-03-01): no");
}

TEST(ExplainTest, APresentConditionNamesTheClausesThatHeld) {
  const LoadResult result = load_one(library);
  ASSERT_TRUE(result.program);
  runtime::Record record = test::with_diagnosis("loinc", "D", "2015-03-01");
  record.birth_date = test::on("1950-05-01");
  // A course that ended: it counts on the day it started.
  record.medications.push_back({"m", {runtime::Code("loinc", "M")}, test::on("2021-06-01"), false});
  const runtime::Evaluation e = runtime::evaluate(*result.program, record, day("2021-11-01"));
  const auto c_all = runtime::explain(*result.program, record, e);
  const runtime::Explanation& c = about(c_all, "condition c");
  EXPECT_EQ(c.decision, "present");
  ASSERT_EQ(c.facts.size(), 2u);
  EXPECT_EQ(c.facts[1],
            "and what the condition needs besides: not age < 18 (age 71): yes; medication in drug "
            "within 12 months (latest 2021-06-01): yes");
}

TEST(ExplainTest, WithoutTheDiagnosisTheConditionSaysSoAndNothingElse) {
  const LoadResult result = load_one(library);
  ASSERT_TRUE(result.program);
  const runtime::Record record = test::with_diagnosis("loinc", "O", "2015-03-01");
  const runtime::Evaluation e = runtime::evaluate(*result.program, record, day("2021-11-01"));
  const auto c_all = runtime::explain(*result.program, record, e);
  const runtime::Explanation& c = about(c_all, "condition c");
  EXPECT_EQ(c.facts, (std::vector<std::string>{"no active diagnosis in dx on 2021-11-01"}));
}

TEST(ExplainTest, TheReviewNamesTheMergeRuleClausesThatDecidedIt) {
  const LoadResult result = load_one(library);
  ASSERT_TRUE(result.program);
  runtime::Record record = test::with_diagnosis("loinc", "O", "2015-03-01");
  record.birth_date = test::on("1960-05-01");
  const runtime::Evaluation e = runtime::evaluate(*result.program, record, day("2021-11-01"));
  const auto r_all = runtime::explain(*result.program, record, e);
  const runtime::Explanation& r = about(r_all, "review r");
  EXPECT_EQ(r.decision, "single");
  ASSERT_GE(r.facts.size(), 2u);
  EXPECT_EQ(r.facts[1],
            "does not meet the policy's merge rule: conditions >= 2 (conditions 1): no; age >= 80 "
            "(age 61): no");
  record.birth_date = test::on("1930-05-01");
  const runtime::Evaluation old = runtime::evaluate(*result.program, record, day("2021-11-01"));
  const auto merged_all = runtime::explain(*result.program, record, old);
  const runtime::Explanation& merged = about(merged_all, "review r");
  EXPECT_EQ(merged.decision, "merged");
  EXPECT_EQ(merged.facts[1], "meets the policy's merge rule: age >= 80 (age 91): yes");
}

// The choices inside a check and the review: which interval and which target applied and why
// the others did not, and which questions the review asks.
const std::string choices =
    "ruleset lib version \"1\"\n"
    "codes dx = loinc [\"D\", \"D5\"]\n"
    "codes stage5 = loinc [\"D5\"]\n"
    "codes hba1c = loinc [\"H\"] measured in mmol/mol\n"
    "codes invite = loinc [\"I\"]\n"
    "condition c \"C\" present when diagnosis in dx\n"
    "check k \"K\" stage tests every 12 months\n"
    "  or every 3 months when latest record in dx is in stage5\n"
    "  done by observation in hba1c\n"
    "  target latest hba1c <= 58 mmol/mol\n"
    "  target latest hba1c <= 75 mmol/mol when age >= 80\n"
    "review r \"R\" merge when conditions >= 2\n"
    "  gather due within 3 months stage talk conversation \"Talk\" stage t tests \"T\"\n"
    "  ask why_not \"What made it hard to come?\" when count record in invite >= 2\n"
    "  ask matters \"What matters to you?\"\n";

TEST(ExplainTest, AReminderNamesTheIntervalAndTargetThatAppliedAndWhy) {
  const LoadResult result = load_one(choices);
  ASSERT_TRUE(result.program) << format_text(result.diagnostics, result.sources);
  runtime::Record record = test::with_diagnosis("loinc", "D5", "2015-03-01");
  record.birth_date = test::on("1960-05-01");
  const runtime::Evaluation e = runtime::evaluate(*result.program, record, day("2021-11-01"));
  const auto all = runtime::explain(*result.program, record, e);
  const runtime::Explanation& k = about(all, "c/k");
  ASSERT_EQ(k.facts.size(), 4u);
  EXPECT_EQ(k.facts[1],
            "every 3 months (the last interval whose 'when' holds, else every 12 months): every 3 "
            "months when latest record in dx is in stage5 (latest 2015-03-01; in stage5: latest "
            "2015-03-01): yes");
  EXPECT_EQ(k.facts[2], "target (lib.concord:10): latest hba1c never measured");
  EXPECT_EQ(k.facts[3], "target (lib.concord:11) does not apply when age >= 80 (age 61): no");

  record.birth_date = test::on("1930-05-01");
  const runtime::Evaluation old = runtime::evaluate(*result.program, record, day("2021-11-01"));
  const auto old_all = runtime::explain(*result.program, record, old);
  const runtime::Explanation& old_k = about(old_all, "c/k");
  ASSERT_EQ(old_k.facts.size(), 4u);
  EXPECT_EQ(old_k.facts[3], "target (lib.concord:11) applies when age >= 80 (age 91): yes");
}

TEST(ExplainTest, TheReviewSaysWhichQuestionsItAsksAndWhy) {
  const LoadResult result = load_one(choices);
  ASSERT_TRUE(result.program) << format_text(result.diagnostics, result.sources);
  runtime::Record record = test::with_diagnosis("loinc", "D", "2015-03-01");
  test::add_event(record, "loinc", "I", "2021-01-05");
  const runtime::Evaluation e = runtime::evaluate(*result.program, record, day("2021-11-01"));
  const auto all = runtime::explain(*result.program, record, e);
  const runtime::Explanation& r = about(all, "review r");
  ASSERT_EQ(r.facts.size(), 4u);
  EXPECT_EQ(r.facts[3], "does not ask why_not when count record in invite >= 2 (1 days): no");
  test::add_event(record, "loinc", "I", "2021-03-05");
  const runtime::Evaluation again = runtime::evaluate(*result.program, record, day("2021-11-01"));
  const auto again_all = runtime::explain(*result.program, record, again);
  EXPECT_EQ(about(again_all, "review r").facts.at(3),
            "asks why_not when count record in invite >= 2 (2 days): yes");
}

}  // namespace
}  // namespace concord::dsl
