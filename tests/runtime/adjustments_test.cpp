#include <gtest/gtest.h>

#include "program_fixture.hpp"

namespace concord::runtime {
namespace {

using namespace testing;

// Diabetes and hypertension both ask for BP; codes for the adjustments are the confirmed
// ones in CLINICAL.md 2.3 (HYPPCADEC 716771000000106, BPDEC 413123006, flu declined
// 315640000, palliative care 103735009).
struct AdjustmentTest : ::testing::Test {
  AdjustmentTest() {
    dm = b.condition("diabetes", b.codes("dm", {"44054006"}));
    hyp = b.condition("hypertension", b.codes("hyp", {"38341003"}));
    const auto bp = b.codes("bp", {"271649006"});
    const auto hba1c = b.codes("hba1c", {"999791000000106"});
    const auto flu = b.codes("flu", {"86198006"});
    const auto medrvw = b.codes("medrvw", {"314530002"});
    b.check("bp", dm, bp);
    b.check("hba1c", dm, hba1c);
    b.check("flu_vaccine", dm, flu);
    b.check("medication_review", dm, medrvw, 12, StageKind::conversation);
    b.check("bp", hyp, bp);
    b.suppress_condition(hyp, b.codes("hyp_dissent", {"716771000000106"}), "informed_dissent");
    b.suppress_check("bp", b.codes("bp_declined", {"413123006"}), "declined");
    b.suppress_check("flu_vaccine", b.codes("flu_declined", {"315640000"}), "declined", true);
    b.program.person.end_of_life = b.codes("palliative", {"103735009"});
    b.program.person.end_of_life_suppresses = {"hba1c", "bp"};
    b.review();
    person.diagnoses = {diagnosis("44054006", "2015-01-01"), diagnosis("38341003", "2015-01-01")};
  }
  const Reminder& find(const Evaluation& e, ConditionIndex c, const std::string& check) {
    for (const Reminder& r : e.reminders) {
      if (r.condition == c && b.program.checks[r.check].id == check) return r;
    }
    throw std::logic_error("no reminder " + check);
  }
  Evaluation run(const char* when = "2026-12-01") {
    return evaluate(b.program, person, date(when));
  }

  ProgramBuilder b;
  ConditionIndex dm{}, hyp{};
  Record person;
};

TEST_F(AdjustmentTest, ConditionScopedDissentLeavesAnotherConditionsSameCheck) {
  person.events.push_back(event("716771000000106", "2026-05-01", "dissent"));
  const Evaluation e = run();
  const Reminder& hyp_bp = find(e, hyp, "bp");
  EXPECT_EQ(hyp_bp.status, ReminderStatus::suppressed);
  EXPECT_EQ(hyp_bp.suppressed_reason, "informed_dissent");
  EXPECT_EQ(hyp_bp.suppressed_until->iso(), "2027-05-01");
  EXPECT_EQ(hyp_bp.suppressed_evidence, "dissent");
  EXPECT_EQ(find(e, dm, "bp").status, ReminderStatus::overdue);
  ASSERT_TRUE(e.review);
  EXPECT_NE(std::find(e.review->checks.begin(), e.review->checks.end(), "bp"),
            e.review->checks.end());
  ASSERT_EQ(e.review->suppressed.size(), 1u);
}

TEST_F(AdjustmentTest, CheckScopedDeclineSuppressesThatCheckForEveryCondition) {
  person.events.push_back(event("413123006", "2026-05-01"));
  const Evaluation e = run();
  EXPECT_EQ(find(e, dm, "bp").status, ReminderStatus::suppressed);
  EXPECT_EQ(find(e, hyp, "bp").status, ReminderStatus::suppressed);
  EXPECT_EQ(find(e, dm, "bp").suppressed_reason, "declined");
  ASSERT_TRUE(e.review);
  EXPECT_EQ(std::find(e.review->checks.begin(), e.review->checks.end(), "bp"),
            e.review->checks.end());
  EXPECT_EQ(e.review->replaces, 3);  // hba1c, flu, medication review
}

TEST_F(AdjustmentTest, DoneBeatsDeclined) {
  person.events.push_back(event("413123006", "2026-05-01"));
  person.events.push_back(event("271649006", "2026-09-01"));
  const Evaluation e = run();
  EXPECT_EQ(find(e, dm, "bp").status, ReminderStatus::not_due);
  EXPECT_TRUE(find(e, dm, "bp").suppressed_reason.empty());
}

TEST_F(AdjustmentTest, ExpiredDeclineAsksAgain) {
  person.events.push_back(event("413123006", "2025-11-30"));
  EXPECT_EQ(find(run(), dm, "bp").status, ReminderStatus::overdue);
  EXPECT_EQ(find(run("2026-11-30"), dm, "bp").status, ReminderStatus::suppressed);
}

TEST_F(AdjustmentTest, FluDeclineLastsUntilTheEndOfTheSeason) {
  person.events.push_back(event("315640000", "2026-10-02"));
  const Evaluation e = run();
  const Reminder& flu = find(e, dm, "flu_vaccine");
  EXPECT_EQ(flu.status, ReminderStatus::suppressed);
  EXPECT_EQ(flu.suppressed_until->iso(), "2027-03-31");
  EXPECT_EQ(find(run("2027-04-01"), dm, "flu_vaccine").status, ReminderStatus::overdue);
}

TEST_F(AdjustmentTest, EndOfLifeStopsSurveillanceButKeepsTheMedicationReview) {
  person.events.push_back(event("103735009", "2026-08-01"));
  const Evaluation e = run();
  EXPECT_TRUE(e.person.end_of_life);
  const Reminder& hba1c = find(e, dm, "hba1c");
  EXPECT_EQ(hba1c.status, ReminderStatus::suppressed);
  EXPECT_EQ(hba1c.suppressed_reason, "end_of_life");
  EXPECT_FALSE(hba1c.suppressed_until);
  EXPECT_EQ(find(e, dm, "medication_review").status, ReminderStatus::overdue);
  ASSERT_TRUE(e.review);
  EXPECT_EQ(e.review->checks, (std::vector<std::string>{"flu_vaccine", "medication_review"}));
}

TEST_F(AdjustmentTest, EverythingSuppressedMeansNoReview) {
  person.diagnoses = {diagnosis("38341003", "2015-01-01")};
  person.events.push_back(event("716771000000106", "2026-05-01"));
  const Evaluation e = run();
  EXPECT_EQ(e.conditions.size(), 1u);
  EXPECT_FALSE(e.review);
}

TEST_F(AdjustmentTest, PromptsAskedOnlyWhenTheirConditionHolds) {
  b.program.review->prompts.push_back({"treatment_burden", "How are you managing?",
                                       compare(Measure::conditions, Comparison::ge, 3)});
  Expr has_hyp{{ExprNode{ExprNode::Op::has_condition, {}, {}, 0, hyp, 0}}};
  b.program.review->prompts.push_back({"bp_at_home", "Do you check your BP at home?", has_hyp});
  const Evaluation e = run();
  ASSERT_TRUE(e.review);
  std::vector<std::string> ids;
  for (const Prompt* p : e.review->prompts)
    ids.push_back(p->id);
  EXPECT_EQ(ids, (std::vector<std::string>{"what_matters", "bp_at_home"}));
}

}  // namespace
}  // namespace concord::runtime
