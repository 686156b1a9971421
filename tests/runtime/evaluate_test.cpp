#include <gtest/gtest.h>

#include "concord/runtime/render.hpp"
#include "program_fixture.hpp"

namespace concord::runtime {
namespace {

using namespace testing;

// Diabetes with an HbA1c check every 12 months (real SNOMED CT codes from CLINICAL.md).
struct EvaluateTest : ::testing::Test {
  EvaluateTest() {
    dx = b.codes("diabetes_dx", {"44054006", "73211009"});
    resolved = b.codes("diabetes_resolved", {"315051004"});
    hba1c = b.codes("hba1c", {"999791000000106"});
    diabetes = b.condition("diabetes", dx, resolved);
    b.check("hba1c", diabetes, hba1c);
  }
  Evaluation run(const Record& r, const char* when) { return evaluate(b.program, r, date(when)); }

  ProgramBuilder b;
  ValueSetIndex dx{}, resolved{}, hba1c{};
  ConditionIndex diabetes{};
};

TEST_F(EvaluateTest, ConditionPresentFromAnUnresolvedDiagnosis) {
  Record r;
  r.diagnoses.push_back(diagnosis("44054006", "2015-04-02"));
  const Evaluation e = run(r, "2026-12-01");
  ASSERT_EQ(e.conditions.size(), 1u);
  EXPECT_EQ(e.conditions[0].onset->text(), "2015-04-02");
}

TEST_F(EvaluateTest, DiagnosisAfterTheEvaluationDateDoesNotCount) {
  Record r;
  r.diagnoses.push_back(diagnosis("44054006", "2027-01-01"));
  EXPECT_TRUE(run(r, "2026-12-01").conditions.empty());
}

TEST_F(EvaluateTest, LaterResolutionCodeRemovesTheCondition) {
  Record r;
  r.diagnoses.push_back(diagnosis("44054006", "2015-04-02"));
  r.events.push_back(event("315051004", "2020-01-10"));
  EXPECT_TRUE(run(r, "2026-12-01").conditions.empty());
  // Before the resolution was recorded, the person was on the register.
  EXPECT_EQ(run(r, "2019-12-01").conditions.size(), 1u);
}

TEST_F(EvaluateTest, DiagnosisMadeAgainAfterResolutionCounts) {
  Record r;
  r.diagnoses.push_back(diagnosis("44054006", "2015-04-02"));
  r.events.push_back(event("315051004", "2020-01-10"));
  r.diagnoses.push_back(diagnosis("73211009", "2022-05-01"));
  const Evaluation e = run(r, "2026-12-01");
  ASSERT_EQ(e.conditions.size(), 1u);
  EXPECT_EQ(e.conditions[0].onset->text(), "2022-05-01");
}

TEST_F(EvaluateTest, RefutedAndAbatedDiagnosesDoNotCount) {
  Record r;
  Diagnosis refuted = diagnosis("44054006", "2015-04-02");
  refuted.refuted = true;
  Diagnosis abated = diagnosis("73211009", "2010-01-01");
  abated.abatement = on("2012-01-01");
  r.diagnoses = {refuted, abated};
  EXPECT_TRUE(run(r, "2026-12-01").conditions.empty());
}

TEST_F(EvaluateTest, NeverDoneCheckIsOverdueFromTheEvaluationDate) {
  Record r;
  r.diagnoses.push_back(diagnosis("44054006", "2015-04-02"));
  const Evaluation e = run(r, "2026-12-01");
  ASSERT_EQ(e.reminders.size(), 1u);
  EXPECT_EQ(e.reminders[0].status, ReminderStatus::overdue);
  EXPECT_FALSE(e.reminders[0].last_done);
  EXPECT_EQ(e.reminders[0].due_date.iso(), "2026-12-01");
  EXPECT_EQ(why(b.program, e.reminders[0]),
            "hba1c: none on record; diabetes needs one every 12 months.");
}

// R1: overdue if the due date is before E; due within E + 3 months; not_due after that.
TEST_F(EvaluateTest, StatusFollowsTheDueDateAndTheGatherWindow) {
  struct Case {
    const char* done;
    ReminderStatus expected;
    const char* due;
  } cases[] = {
      {"2025-11-30", ReminderStatus::overdue, "2026-11-30"},
      {"2025-12-01", ReminderStatus::due, "2026-12-01"},
      {"2026-03-01", ReminderStatus::due, "2027-03-01"},
      {"2026-03-02", ReminderStatus::not_due, "2027-03-02"},
  };
  for (const Case& c : cases) {
    Record r;
    r.diagnoses.push_back(diagnosis("44054006", "2015-04-02"));
    r.events.push_back(event("999791000000106", c.done));
    const Evaluation e = run(r, "2026-12-01");
    ASSERT_EQ(e.reminders.size(), 1u) << c.done;
    EXPECT_EQ(e.reminders[0].status, c.expected) << c.done;
    EXPECT_EQ(e.reminders[0].due_date.iso(), c.due) << c.done;
    EXPECT_EQ(e.reminders[0].last_done->iso(), c.done);
  }
}

TEST_F(EvaluateTest, TheLatestOfSeveralResultsCountsAndFutureResultsAreIgnored) {
  Record r;
  r.diagnoses.push_back(diagnosis("44054006", "2015-04-02"));
  r.events.push_back(event("999791000000106", "2024-01-01"));
  r.events.push_back(event("999791000000106", "2026-06-01", "latest"));
  r.events.push_back(event("999791000000106", "2025-01-01"));
  r.events.push_back(event("999791000000106", "2027-06-01", "future"));
  const Evaluation e = run(r, "2026-12-01");
  EXPECT_EQ(e.reminders[0].last_done->iso(), "2026-06-01");
  EXPECT_EQ(e.reminders[0].last_done_evidence, "latest");
  EXPECT_EQ(e.reminders[0].status, ReminderStatus::not_due);
}

TEST_F(EvaluateTest, NoConditionMeansNoReminders) {
  Record r;
  r.events.push_back(event("999791000000106", "2026-06-01"));
  const Evaluation e = run(r, "2026-12-01");
  EXPECT_TRUE(e.conditions.empty());
  EXPECT_TRUE(e.reminders.empty());
  EXPECT_FALSE(e.review);
}

}  // namespace
}  // namespace concord::runtime
