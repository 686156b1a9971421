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

}  // namespace
}  // namespace concord::dsl
