#include <gtest/gtest.h>

#include "program_fixture.hpp"

namespace concord::runtime {
namespace {

using namespace testing;

// Diabetes with HbA1c (IFCC mmol/mol, DCCT % converted) and a BP check whose target has
// systolic and diastolic bounds; SNOMED CT codes from CLINICAL.md.
struct TargetTest : ::testing::Test {
  TargetTest() {
    const auto dm = b.condition("diabetes", b.codes("dm", {"44054006"}));
    hba1c_set = b.codes("hba1c", {"999791000000106", "1019431000000105"});
    b.measured_in(hba1c_set, "mmol/mol", {{"%", 10.929, -2.15 * 10.929}});
    systolic = b.codes("systolic", {"271649006"});
    diastolic = b.codes("diastolic", {"271650006"});
    b.measured_in(systolic, "mm[Hg]");
    b.measured_in(diastolic, "mm[Hg]");
    const auto bp_set = b.codes("bp", {"271649006", "271650006"});
    hba1c = b.check("hba1c", dm, hba1c_set);
    b.target(hba1c, {{hba1c_set, Comparison::le, 58, "mmol/mol"}});
    b.target(hba1c, {{hba1c_set, Comparison::le, 75, "mmol/mol"}},
             compare(Measure::frailty, Comparison::ge, 2));
    bp = b.check("bp", dm, bp_set);
    b.target(
        bp, {{systolic, Comparison::le, 140, "mm[Hg]"}, {diastolic, Comparison::le, 90, "mm[Hg]"}});
    b.target(bp,
             {{systolic, Comparison::le, 150, "mm[Hg]"}, {diastolic, Comparison::le, 90, "mm[Hg]"}},
             compare(Measure::age, Comparison::ge, 80));
    b.program.person.frailty_moderate = b.codes("frailty_moderate", {"925831000000107"});
    person.diagnoses.push_back(diagnosis("44054006", "2015-01-01"));
    person.birth_date = on("1950-06-15");
  }
  const Reminder& reminder(const Evaluation& e, CheckIndex check) {
    for (const Reminder& r : e.reminders) {
      if (r.check == check) return r;
    }
    throw std::logic_error("no reminder");
  }
  ProgramBuilder b;
  ValueSetIndex hba1c_set{}, systolic{}, diastolic{};
  CheckIndex hba1c{}, bp{};
  Record person;
};

TEST_F(TargetTest, LatestValueAboveTheLimitIsNotMet) {
  person.events.push_back(measurement("999791000000106", "2026-06-01", 61, "mmol/mol"));
  const Evaluation e = evaluate(b.program, person, date("2026-12-01"));
  const auto& t = reminder(e, hba1c).target;
  ASSERT_TRUE(t);
  EXPECT_EQ(t->met, false);
  EXPECT_DOUBLE_EQ(*t->bounds[0].value, 61);
  EXPECT_EQ(t->bounds[0].bound->limit, 58);
}

TEST_F(TargetTest, ModerateFrailtyRelaxesTheHbA1cTarget) {
  person.events.push_back(measurement("999791000000106", "2026-06-01", 61, "mmol/mol"));
  person.events.push_back(event("925831000000107", "2026-01-10"));
  const Evaluation e = evaluate(b.program, person, date("2026-12-01"));
  EXPECT_EQ(e.person.frailty, 2);
  const auto& t = reminder(e, hba1c).target;
  EXPECT_EQ(t->bounds[0].bound->limit, 75);
  EXPECT_EQ(t->met, true);
}

TEST_F(TargetTest, DcctPercentConvertsToIfcc) {
  // 7.5 % DCCT is (7.5 - 2.15) x 10.929 = 58.47 mmol/mol: just above 58.
  person.events.push_back(measurement("1019431000000105", "2026-06-01", 7.5, "%"));
  const Evaluation e = evaluate(b.program, person, date("2026-12-01"));
  const auto& t = reminder(e, hba1c).target;
  EXPECT_NEAR(*t->bounds[0].value, 58.47, 0.01);
  EXPECT_EQ(t->met, false);
}

TEST_F(TargetTest, ValueInAUnitWithNoConversionCannotBeCompared) {
  person.events.push_back(measurement("999791000000106", "2026-06-01", 0.07, "1"));
  const Evaluation e = evaluate(b.program, person, date("2026-12-01"));
  const auto& t = reminder(e, hba1c).target;
  EXPECT_FALSE(t->met.has_value());
  EXPECT_EQ(t->bounds[0].recorded_unit, "1");
}

TEST_F(TargetTest, BloodPressureTargetNeedsBothBoundsAndReadsPanelComponents) {
  Event panel;
  panel.id = "bp-panel";
  panel.codes = {Code(code_system::loinc, "85354-9")};
  panel.date = on("2026-06-01");
  panel.components = {{{Code(code_system::snomed, "271649006")}, Quantity{138, "mmHg"}},
                      {{Code(code_system::snomed, "271650006")}, Quantity{92, "mm[Hg]"}}};
  person.events.push_back(panel);
  const Evaluation e = evaluate(b.program, person, date("2026-12-01"));
  const auto& t = reminder(e, bp).target;
  ASSERT_EQ(t->bounds.size(), 2u);
  EXPECT_EQ(t->bounds[0].met, true);   // 138 <= 140
  EXPECT_EQ(t->bounds[1].met, false);  // 92 > 90
  EXPECT_EQ(t->met, false);
}

TEST_F(TargetTest, AgeEightyOrMoreGetsTheOlderPeoplesBloodPressureTarget) {
  person.birth_date = on("1945-01-01");  // 81 on the evaluation date
  const Evaluation e = evaluate(b.program, person, date("2026-12-01"));
  EXPECT_EQ(e.person.age, 81);
  EXPECT_EQ(reminder(e, bp).target->bounds[0].bound->limit, 150);
  EXPECT_FALSE(reminder(e, bp).target->met.has_value());  // nothing measured yet
}

TEST_F(TargetTest, UnknownAgeMatchesNoAgeRule) {
  person.birth_date.reset();
  const Evaluation e = evaluate(b.program, person, date("2026-12-01"));
  EXPECT_EQ(reminder(e, bp).target->bounds[0].bound->limit, 140);
}

TEST_F(TargetTest, TargetNeverChangesWhetherACheckIsDue) {
  person.events.push_back(measurement("999791000000106", "2026-06-01", 90, "mmol/mol"));
  const Evaluation e = evaluate(b.program, person, date("2026-12-01"));
  EXPECT_EQ(reminder(e, hba1c).status, ReminderStatus::not_due);
  EXPECT_EQ(reminder(e, hba1c).target->met, false);
}

}  // namespace
}  // namespace concord::runtime
