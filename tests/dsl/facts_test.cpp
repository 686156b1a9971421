// Conditions whose presence needs more than a diagnosis (a medicine issued recently, an age),
// and recorded facts tested in expressions: from ruleset text to the evaluated result.
#include <gtest/gtest.h>

#include <algorithm>

#include "concord/dsl/format_source.hpp"
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
using runtime::RecordedDate;

// The codes are test tokens in a non-SNOMED system: these tests are about the language.
const std::string asthma =
    "ruleset asthma version \"1\"\n"
    "codes asthma_dx = loinc [\"AST\"]\n"
    "codes asthma_drugs = dmd [\"ICS\"]\n"
    "codes asthma_reviewed = loinc [\"REV\"]\n"
    "condition asthma \"Asthma\"\n"
    "  present when diagnosis in asthma_dx and medication in asthma_drugs within 12 months\n"
    "check asthma_control \"Asthma control\" stage tests every 12 months\n"
    "  done by record in asthma_reviewed\n";

runtime::Record with_asthma() {
  return test::with_diagnosis("loinc", "AST");
}

runtime::Medication inhaler(const char* start, bool active) {
  runtime::Medication m;
  m.id = "ics";
  m.codes = {runtime::Code("dmd", "ICS")};
  m.start = on(start);
  m.active = active;
  return m;
}

bool has_condition(const runtime::Program& program, const runtime::Evaluation& e,
                   std::string_view id) {
  return std::any_of(e.conditions.begin(), e.conditions.end(),
                     [&](const auto& c) { return program.conditions[c.condition].id == id; });
}

TEST(PresenceTest, AsthmaCountsOnlyWithADrugIssuedInTheLastTwelveMonths) {
  const LoadResult result = load_one(asthma);
  ASSERT_TRUE(result.program) << format_text(result.diagnostics, result.sources);
  const runtime::Program& program = *result.program;

  runtime::Record none = with_asthma();
  EXPECT_FALSE(
      has_condition(program, runtime::evaluate(program, none, day("2026-12-01")), "asthma"));

  runtime::Record recent = with_asthma();
  recent.medications.push_back(inhaler("2026-06-01", false));
  EXPECT_TRUE(
      has_condition(program, runtime::evaluate(program, recent, day("2026-12-01")), "asthma"));

  runtime::Record stopped = with_asthma();
  stopped.medications.push_back(inhaler("2025-06-01", false));
  EXPECT_FALSE(
      has_condition(program, runtime::evaluate(program, stopped, day("2026-12-01")), "asthma"));

  // An active repeat started long ago is a current prescription: it is still being issued.
  runtime::Record repeat = with_asthma();
  repeat.medications.push_back(inhaler("2019-06-01", true));
  EXPECT_TRUE(
      has_condition(program, runtime::evaluate(program, repeat, day("2026-12-01")), "asthma"));

  // A medicine started after the evaluation date is not seen.
  runtime::Record future = with_asthma();
  future.medications.push_back(inhaler("2027-01-01", true));
  EXPECT_FALSE(
      has_condition(program, runtime::evaluate(program, future, day("2026-12-01")), "asthma"));
}

// UK record systems (GP Connect, GP2GP) send medicines in the SNOMED CT system with their dm+d
// ids, which are SNOMED CT concept ids: a dm+d value set matches them.
TEST(PresenceTest, ADmdValueSetMatchesTheSameIdSentAsSnomed) {
  const LoadResult result = load_one(asthma);
  ASSERT_TRUE(result.program) << format_text(result.diagnostics, result.sources);
  runtime::Record record = with_asthma();
  runtime::Medication m = inhaler("2026-06-01", true);
  m.codes = {runtime::Code(runtime::code_system::snomed, "ICS")};
  record.medications.push_back(m);
  EXPECT_TRUE(has_condition(
      *result.program, runtime::evaluate(*result.program, record, day("2026-12-01")), "asthma"));
  record.medications.back().codes = {runtime::Code("loinc", "ICS")};  // any other system: no
  EXPECT_FALSE(has_condition(
      *result.program, runtime::evaluate(*result.program, record, day("2026-12-01")), "asthma"));
}

TEST(PresenceTest, CompilesToAFactTestJoinedToTheDiagnosis) {
  const LoadResult result = load_one(asthma);
  ASSERT_TRUE(result.program);
  const runtime::ConditionDef& condition = result.program->conditions.at(0);
  ASSERT_EQ(condition.also.nodes.size(), 1u);
  const runtime::ExprNode& fact = condition.also.nodes[0];
  EXPECT_EQ(fact.op, runtime::ExprNode::Op::has_fact);
  EXPECT_EQ(fact.kind, runtime::FactKind::medication);
  EXPECT_EQ(fact.within.count, 12);
  EXPECT_EQ(fact.within.unit, runtime::IntervalUnit::months);
  EXPECT_EQ(result.program->value_sets[fact.lhs].name, "asthma_drugs");
}

TEST(PresenceTest, AnotherConditionInPresenceIsCircular) {
  const LoadResult result = load_one(
      "ruleset lib version \"1\"\n"
      "codes a_dx = loinc [\"A\"]\n"
      "codes b_dx = loinc [\"B\"]\n"
      "condition a \"A\" present when diagnosis in a_dx and b\n"
      "condition b \"B\" present when diagnosis in b_dx and conditions >= 1\n");
  const auto circular = with_code(result, "circular-presence");
  ASSERT_EQ(circular.size(), 2u) << format_text(result.diagnostics, result.sources);
  EXPECT_EQ(circular[0].line, 4);
  EXPECT_EQ(circular[0].column, 52);
  EXPECT_NE(circular[0].message.find("'b'"), std::string::npos);
  EXPECT_EQ(circular[1].line, 5);
  EXPECT_FALSE(circular[1].hint.empty());
  EXPECT_FALSE(result.program);
}

TEST(PresenceTest, UnknownCodesAndBadWindowsAreReported) {
  const LoadResult result = load_one(
      "ruleset lib version \"1\"\n"
      "codes a_dx = loinc [\"A\"]\n"
      "condition a \"A\" present when diagnosis in a_dx and medication in drugz within 0 months\n"
      "  and record in a_dx within 11 years\n");
  ASSERT_EQ(with_code(result, "unknown-name").size(), 1u);
  const auto bad = with_code(result, "bad-interval");
  ASSERT_EQ(bad.size(), 2u) << format_text(result.diagnostics, result.sources);
  EXPECT_EQ(bad[0].line, 3);
  EXPECT_EQ(bad[1].line, 4);
}

TEST(PresenceTest, MissingCodesAfterAFactKindIsASyntaxErrorNamingWhatWasExpected) {
  const LoadResult result = load_one(
      "ruleset lib version \"1\"\n"
      "codes a_dx = loinc [\"A\"]\n"
      "condition a \"A\" present when diagnosis in a_dx and medication in\n");
  const auto syntax = with_code(result, "syntax");
  ASSERT_EQ(syntax.size(), 1u);
  EXPECT_NE(syntax[0].message.find("the name of a codes list"), std::string::npos)
      << syntax[0].message;
}

TEST(FactTestTest, RecentObservationChoosesTheTargetThatApplies) {
  const LoadResult result = load_one(
      "ruleset lib version \"1\"\n"
      "codes dx = loinc [\"DM\"]\n"
      "codes hba1c = loinc [\"4548-4\"] measured in mmol/mol\n"
      "codes hypo = loinc [\"HYPO\"]\n"
      "condition diabetes \"Diabetes\" present when diagnosis in dx\n"
      "check hba1c \"HbA1c\" stage tests every 12 months\n"
      "  done by observation in hba1c\n"
      "  target latest hba1c <= 58 mmol/mol\n"
      "  target latest hba1c <= 64 mmol/mol when record in hypo within 6 months\n");
  ASSERT_TRUE(result.program) << format_text(result.diagnostics, result.sources);
  const runtime::Program& program = *result.program;
  runtime::Record record;
  runtime::Diagnosis dx;
  dx.codes = {runtime::Code("loinc", "DM")};
  dx.onset = on("2010-01-01");
  record.diagnoses.push_back(dx);
  runtime::Event value;
  value.codes = {runtime::Code("loinc", "4548-4")};
  value.date = on("2026-10-01");
  value.quantity = runtime::Quantity{60, "mmol/mol"};
  record.events.push_back(value);

  const auto limit = [&](Date date) {
    const runtime::Evaluation e = runtime::evaluate(program, record, date);
    EXPECT_EQ(e.reminders.size(), 1u);
    return e.reminders.at(0).target->bounds.at(0).bound->limit;
  };
  EXPECT_EQ(limit(day("2026-12-01")), 58);
  runtime::Event hypo;
  hypo.codes = {runtime::Code("loinc", "HYPO")};
  hypo.date = on("2026-09-01");
  record.events.push_back(hypo);
  EXPECT_EQ(limit(day("2026-12-01")), 64);
  EXPECT_EQ(limit(day("2027-03-02")), 58);  // the hypoglycaemia is over 6 months ago by then
}

// `only when`: a check asked for only while the person is on a medicine of a class.
const std::string on_treatment =
    "ruleset af version \"1\"\n"
    "codes af_dx = loinc [\"AF\"]\n"
    "codes anticoagulants = dmd [\"OAC\"]\n"
    "codes reviewed = loinc [\"REV\"]\n"
    "condition af \"AF\" present when diagnosis in af_dx\n"
    "check anticoagulation_review \"Anticoagulation review\" stage tests every 12 months\n"
    "  only when medication in anticoagulants within 12 months\n"
    "  done by record in reviewed\n";

TEST(OnlyWhenTest, TheCheckIsAskedForOnlyWhileItsConditionHolds) {
  const LoadResult result = load_one(on_treatment);
  ASSERT_TRUE(result.program) << format_text(result.diagnostics, result.sources);
  const runtime::Program& program = *result.program;
  runtime::Record record = test::with_diagnosis("loinc", "AF");
  const auto reminders = [&] {
    return runtime::evaluate(program, record, day("2026-12-01")).reminders.size();
  };
  EXPECT_EQ(reminders(), 0u);
  const auto why =
      runtime::explain(program, record, runtime::evaluate(program, record, day("2026-12-01")));
  ASSERT_EQ(why.size(), 2u);
  EXPECT_EQ(why[1].subject, "af/anticoagulation_review");
  EXPECT_EQ(why[1].decision, "not asked");
  EXPECT_EQ(why[1].facts.at(0),
            "asked for only when medication in anticoagulants within 12 months (none on record): "
            "no");
  runtime::Medication warfarin;
  warfarin.codes = {runtime::Code("dmd", "OAC")};
  warfarin.start = on("2025-06-01");
  warfarin.active = false;  // issued 18 months ago, stopped
  record.medications.push_back(warfarin);
  EXPECT_EQ(reminders(), 0u);
  record.medications.back().active = true;  // a current prescription
  EXPECT_EQ(reminders(), 1u);
}

TEST(OnlyWhenTest, PrintedCanonicallyAndMisplacedClausesNamed) {
  std::vector<Diagnostic> diagnostics;
  const std::string messy =
      "ruleset af version \"1\"\ncodes af_dx = loinc [\"AF\"]\n"
      "condition af \"AF\" present when diagnosis in af_dx\n"
      "check k \"K\" stage tests every 12 months only   when age>=80 done by record in af_dx\n";
  const auto formatted = format_source(SourceFile{"t.concord", messy}, diagnostics);
  ASSERT_TRUE(formatted);
  EXPECT_NE(formatted->find("check k \"K\" stage tests every 12 months\n  only when age >= 80\n"
                            "  done by record in af_dx\n"),
            std::string::npos)
      << *formatted;
  const LoadResult late = load_one(
      "ruleset af version \"1\"\ncodes af_dx = loinc [\"AF\"]\n"
      "condition af \"AF\" present when diagnosis in af_dx\n"
      "check k \"K\" stage tests every 12 months done by record in af_dx only when age >= 80\n");
  const auto syntax = with_code(late, "syntax");
  ASSERT_EQ(syntax.size(), 1u);
  EXPECT_EQ(syntax[0].line, 4);
  EXPECT_EQ(syntax[0].column, 65);  // at 'only', which must come before 'done by'
}

}  // namespace
}  // namespace concord::dsl
