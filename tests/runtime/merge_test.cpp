#include <gtest/gtest.h>

#include <algorithm>

#include "program_fixture.hpp"

namespace concord::runtime {
namespace {

using namespace testing;

// Diabetes, hypertension and CKD share BP; diabetes and CKD share urine ACR; CKD asks for
// it every 6 months, diabetes every 12.
struct MergeTest : ::testing::Test {
  MergeTest() {
    const auto dm = b.condition("diabetes", b.codes("dm", {"44054006"}));
    const auto hyp = b.condition("hypertension", b.codes("hyp", {"38341003"}));
    const auto ckd = b.condition("ckd", b.codes("ckd", {"433144002"}));
    const auto bp = b.codes("bp", {"271649006"});
    const auto hba1c = b.codes("hba1c", {"999791000000106"});
    const auto acr = b.codes("acr", {"1023491000000104"});
    const auto medrvw = b.codes("medrvw", {"314530002"});
    b.check("hba1c", dm, hba1c);
    b.check("bp", dm, bp);
    b.check("urine_acr", dm, acr);
    b.check("medication_review", dm, medrvw, 12, StageKind::conversation);
    b.check("bp", hyp, bp);
    b.check("medication_review", hyp, medrvw, 12, StageKind::conversation);
    b.check("bp", ckd, bp);
    b.check("urine_acr", ckd, acr, 6);
    b.review();
  }
  Record person(std::initializer_list<const char*> conditions) {
    Record r;
    for (const char* c : conditions)
      r.diagnoses.push_back(diagnosis(c, "2015-01-01"));
    return r;
  }
  ProgramBuilder b;
};

std::size_t count(const std::vector<std::string>& ids, const std::string& id) {
  return static_cast<std::size_t>(std::count(ids.begin(), ids.end(), id));
}

TEST_F(MergeTest, DiabetesAndHypertensionGetOneReviewWithOneBloodPressureCheck) {
  const Evaluation e = evaluate(b.program, person({"44054006", "38341003"}), date("2026-12-01"));
  ASSERT_TRUE(e.review);
  EXPECT_TRUE(e.review->merged);
  EXPECT_EQ(count(e.review->checks, "bp"), 1u);
  EXPECT_EQ(count(e.review->checks, "medication_review"), 1u);
  // hba1c, bp, urine_acr, medication_review for diabetes; bp and medication_review again
  // for hypertension: six single reminders, four checks.
  EXPECT_EQ(e.review->replaces, 6);
  EXPECT_EQ(e.review->checks.size(), 4u);
}

TEST_F(MergeTest, SameCheckFromThreeConditionsAppearsOnce) {
  const Evaluation e =
      evaluate(b.program, person({"44054006", "38341003", "433144002"}), date("2026-12-01"));
  ASSERT_TRUE(e.review);
  EXPECT_EQ(count(e.review->checks, "bp"), 1u);
  const auto& tests = e.review->stages.front();
  EXPECT_EQ(tests.stage->kind, StageKind::tests);
  EXPECT_EQ(count(tests.checks, "bp"), 1u);
  EXPECT_EQ(e.review->replaces, 8);
}

TEST_F(MergeTest, ShortestIntervalWinsForASharedCheck) {
  // Urine ACR done 8 months ago: not due for diabetes (12 m) but overdue for CKD (6 m).
  Record r = person({"44054006", "433144002"});
  r.events.push_back(event("1023491000000104", "2026-04-01"));
  const Evaluation e = evaluate(b.program, r, date("2026-12-01"));
  ASSERT_TRUE(e.review);
  EXPECT_EQ(count(e.review->checks, "urine_acr"), 1u);
  int acr_reminders = 0;
  for (const Reminder& rem : e.reminders) {
    if (b.program.checks[rem.check].id != "urine_acr") continue;
    ++acr_reminders;
    const bool ckd = b.program.conditions[rem.condition].id == "ckd";
    EXPECT_EQ(rem.status, ckd ? ReminderStatus::overdue : ReminderStatus::not_due);
  }
  EXPECT_EQ(acr_reminders, 2);
}

TEST_F(MergeTest, CheckDueWithinTheWindowIsPulledForwardIntoTheReview) {
  Record r = person({"44054006", "38341003"});
  // BP due in two months: inside the 3-month window, so it joins the review.
  r.events.push_back(event("271649006", "2026-02-01"));
  const Evaluation e = evaluate(b.program, r, date("2026-12-01"));
  ASSERT_TRUE(e.review);
  EXPECT_EQ(count(e.review->checks, "bp"), 1u);
  for (const Reminder& rem : e.reminders) {
    if (b.program.checks[rem.check].id == "bp") {
      EXPECT_EQ(rem.status, ReminderStatus::due);
    }
  }
}

TEST_F(MergeTest, StagesAreDatedBackFromTheConversation) {
  const Evaluation e = evaluate(b.program, person({"44054006", "38341003"}), date("2026-12-01"));
  ASSERT_TRUE(e.review);
  const ReviewResult& r = *e.review;
  // Everything is overdue, so the conversation is as soon as the tests can come first.
  EXPECT_EQ(r.due_date.iso(), "2026-12-22");
  ASSERT_EQ(r.stages.size(), 3u);
  EXPECT_EQ(r.stages[0].date.iso(), "2026-12-01");
  EXPECT_EQ(r.stages[1].date.iso(), "2026-12-08");
  EXPECT_EQ(r.stages[2].date.iso(), "2026-12-22");
  EXPECT_EQ(r.stages[2].minutes, 30);
  EXPECT_EQ(r.stages[2].checks, std::vector<std::string>{"medication_review"});
}

TEST_F(MergeTest, ConversationWaitsForTheEarliestDueDateWhenThatIsLater) {
  Record r = person({"44054006", "38341003"});
  for (const char* code : {"271649006", "999791000000106", "1023491000000104", "314530002"}) {
    r.events.push_back(event(code, "2026-02-20"));  // all due 2027-02-20
  }
  const Evaluation e = evaluate(b.program, r, date("2026-12-01"));
  ASSERT_TRUE(e.review);
  EXPECT_EQ(e.review->due_date.iso(), "2027-02-20");
  EXPECT_EQ(e.review->stages[0].date.iso(), "2027-01-30");
}

TEST_F(MergeTest, ConversationLengthIsCappedAtForty) {
  const Evaluation e =
      evaluate(b.program, person({"44054006", "38341003", "433144002"}), date("2026-12-01"));
  ASSERT_TRUE(e.review);
  EXPECT_EQ(e.review->stages.back().minutes, 40);
}

TEST_F(MergeTest, OneConditionGetsASingleReviewWithTheSamePrompts) {
  const Evaluation e = evaluate(b.program, person({"38341003"}), date("2026-12-01"));
  ASSERT_TRUE(e.review);
  EXPECT_FALSE(e.review->merged);
  ASSERT_EQ(e.review->prompts.size(), 1u);
  EXPECT_EQ(e.review->prompts[0]->id, "what_matters");
}

TEST_F(MergeTest, OneConditionWithTenMedicinesQualifiesForTheMergedReview) {
  Record r = person({"38341003"});
  for (int i = 0; i < 10; ++i) {
    Medication m;
    m.id = "med" + std::to_string(i);
    m.codes = {Code(code_system::dmd, std::to_string(1000 + i))};
    m.start = on("2020-01-01");
    r.medications.push_back(m);
  }
  const Evaluation e = evaluate(b.program, r, date("2026-12-01"));
  ASSERT_TRUE(e.review);
  EXPECT_TRUE(e.review->merged);
}

TEST_F(MergeTest, NothingDueMeansNoReviewAndNoPrompt) {
  Record r = person({"38341003"});
  r.events.push_back(event("271649006", "2026-10-01"));
  r.events.push_back(event("314530002", "2026-10-01"));
  const Evaluation e = evaluate(b.program, r, date("2026-12-01"));
  EXPECT_EQ(e.conditions.size(), 1u);
  EXPECT_FALSE(e.review);
}

TEST_F(MergeTest, TheTestsStageIsLeftOutWhenNoTestIsDue) {
  Record r = person({"38341003"});
  r.events.push_back(event("271649006", "2026-10-01"));
  const Evaluation e = evaluate(b.program, r, date("2026-12-01"));
  ASSERT_TRUE(e.review);
  ASSERT_EQ(e.review->stages.size(), 2u);
  EXPECT_EQ(e.review->stages[0].stage->kind, StageKind::letter);
}

TEST_F(MergeTest, ThePersonsGoalsAreCarriedInTheOrderRecorded) {
  Record r = person({"44054006", "38341003"});
  r.goals = {{"Walk to the shops again", on("2026-03-01")}, {"Sleep better", on("2026-05-01")}};
  const Evaluation e = evaluate(b.program, r, date("2026-12-01"));
  ASSERT_TRUE(e.review);
  ASSERT_EQ(e.review->goals.size(), 2u);
  EXPECT_EQ(e.review->goals[0]->text, "Walk to the shops again");
}

}  // namespace
}  // namespace concord::runtime
