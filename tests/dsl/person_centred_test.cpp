// Units and conversions, targets, person-centred expressions, modifiers, suppressions and
// prompts with a condition: from text to the exact Program fields, and every new diagnostic.
#include <gtest/gtest.h>

#include <algorithm>

#include "concord/dsl/library.hpp"
#include "concord/dsl/parse.hpp"
#include "example_rulesets.hpp"
#include "loading.hpp"

namespace concord::dsl {
namespace {

using test::load_one;
using test::with_code;

using runtime::Comparison;
using runtime::ExprNode;
using runtime::Measure;

// Lines 1-6; each test adds its own lines from line 7 on.
const std::string base =
    "ruleset lib version \"1\"\n"
    "codes dx = snomed [38341003]\n"
    "codes hba1c_tests = loinc [\"4548-4\"] measured in mmol/mol converting % by (value - "
    "2.15) * 10.929\n"
    "codes sbp = loinc [\"8480-6\"] measured in mm[Hg]\n"
    "codes plain = loinc [\"X\"]\n"
    "condition diabetes \"Diabetes\" present when diagnosis in dx\n";
const std::string hba1c_check =
    "check hba1c \"HbA1c\" stage tests every 12 months done by record in hba1c_tests\n";

const runtime::ValueSetDef& value_set(const runtime::Program& program, std::string_view name) {
  const auto it = std::find_if(program.value_sets.begin(), program.value_sets.end(),
                               [&](const runtime::ValueSetDef& set) { return set.name == name; });
  EXPECT_NE(it, program.value_sets.end()) << name;
  return *it;
}

runtime::ValueSetIndex index_of(const runtime::Program& program, std::string_view name) {
  return static_cast<runtime::ValueSetIndex>(&value_set(program, name) - program.value_sets.data());
}

const runtime::CheckDef& check_named(const runtime::Program& program, std::string_view id) {
  const auto it = std::find_if(program.checks.begin(), program.checks.end(),
                               [&](const runtime::CheckDef& check) { return check.id == id; });
  EXPECT_NE(it, program.checks.end()) << id;
  return *it;
}

void expect_compare(const ExprNode& node, Measure measure, Comparison comparison, double number) {
  EXPECT_EQ(node.op, ExprNode::Op::compare);
  EXPECT_EQ(node.measure, measure);
  EXPECT_EQ(node.comparison, comparison);
  EXPECT_DOUBLE_EQ(node.number, number);
}

class PersonCentredExample : public ::testing::Test {
 protected:
  void SetUp() override {
    result_ = load_one(test::person_centred);
    ASSERT_TRUE(result_.ok()) << format_text(result_.diagnostics, result_.sources);
    EXPECT_TRUE(result_.diagnostics.empty()) << format_text(result_.diagnostics, result_.sources);
    program_ = result_.program.get();
  }
  LoadResult result_;
  const runtime::Program* program_ = nullptr;
};

// ---- Units and conversions ----

TEST_F(PersonCentredExample, MeasuredInSetsTheValueSetUnit) {
  EXPECT_EQ(value_set(*program_, "hba1c_tests").unit, "mmol/mol");
  EXPECT_EQ(value_set(*program_, "systolic_bp").unit, "mm[Hg]");
  EXPECT_EQ(value_set(*program_, "phq9").unit, "{score}");
  EXPECT_EQ(value_set(*program_, "diabetes_dx").unit, "");
  EXPECT_TRUE(value_set(*program_, "systolic_bp").conversions.empty());
}

TEST_F(PersonCentredExample, Hba1cPercentConversionCompilesToScaleAndOffset) {
  const auto& conversions = value_set(*program_, "hba1c_tests").conversions;
  ASSERT_EQ(conversions.size(), 1u);
  EXPECT_EQ(conversions[0].from, "%");
  EXPECT_DOUBLE_EQ(conversions[0].scale, 10.929);
  EXPECT_DOUBLE_EQ(conversions[0].offset, -23.49735);
}

TEST(UnitTest, UnitTokensAreUcumText) {
  const std::string text =
      "ruleset x version \"1\"\n"
      "codes a = loinc [\"1\"] measured in mL/min/{1.73_m2}\n"
      "codes b = loinc [\"2\"] measured in kg/m2 converting mg/g by value\n"
      "codes c = loinc [\"3\"] measured in mmol/L converting mg/dL by value / 18 "
      "converting g/L by value*1000/180 + 0\n";
  std::vector<Diagnostic> diagnostics;
  const auto file = parse(SourceFile{"x.concord", text}, diagnostics);
  ASSERT_TRUE(file) << (diagnostics.empty() ? "" : diagnostics[0].message);
  const auto& a = boost::get<ast::CodesDecl>(file->items[0].get());
  ASSERT_TRUE(a.measured);
  EXPECT_EQ(a.measured->unit.text, "mL/min/{1.73_m2}");
  EXPECT_EQ(a.measured->unit.line, 2);
  EXPECT_EQ(a.measured->unit.column, 35);
  const auto& c = boost::get<ast::CodesDecl>(file->items[2].get());
  ASSERT_EQ(c.measured->conversions.size(), 2u);
  EXPECT_EQ(c.measured->conversions[0].from.text, "mg/dL");
  EXPECT_EQ(c.measured->conversions[1].from.text, "g/L");
}

TEST(UnitTest, DivisionAndSumsReduceToOneScaleAndOffset) {
  const LoadResult result = load_one(
      "ruleset x version \"1\"\n"
      "codes c = loinc [\"3\"] measured in mmol/L converting mg/dL by value / 18 "
      "converting g/L by 2 * (value + 1) - value\n"
      "condition d \"D\" present when diagnosis in c\n"
      "check k \"K\" stage tests every 1 year done by record in c\n");
  ASSERT_TRUE(result.ok()) << format_text(result.diagnostics, result.sources);
  const auto& conversions = result.program->value_sets[0].conversions;
  ASSERT_EQ(conversions.size(), 2u);
  EXPECT_DOUBLE_EQ(conversions[0].scale, 1.0 / 18);
  EXPECT_DOUBLE_EQ(conversions[0].offset, 0);
  EXPECT_DOUBLE_EQ(conversions[1].scale, 1);
  EXPECT_DOUBLE_EQ(conversions[1].offset, 2);
}

TEST(UnitTest, ValueTimesValueIsANonlinearConversion) {
  const LoadResult result =
      load_one(base +
               "codes glucose = loinc [\"2345-7\"] measured in mmol/L converting mg/dL by value * "
               "value / 18\n");
  const auto found = with_code(result, "nonlinear-conversion");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].line, 7);
  EXPECT_EQ(found[0].column, 73);
  EXPECT_EQ(found[0].severity, Severity::error);
  EXPECT_EQ(found[0].message,
            "this conversion multiplies 'value' by itself, so it is not a linear conversion "
            "from mg/dL");
  EXPECT_FALSE(result.program);
}

TEST(UnitTest, DividingByValueOrNotUsingItIsANonlinearConversion) {
  const LoadResult divides =
      load_one(base +
               "codes glucose = loinc [\"2345-7\"] measured in mmol/L converting mg/dL by 18 / "
               "value\n");
  const auto found = with_code(divides, "nonlinear-conversion");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].column, 73);
  EXPECT_EQ(found[0].message,
            "this conversion divides by 'value', so it is not a linear conversion from mg/dL");

  const LoadResult constant = load_one(
      base + "codes glucose = loinc [\"2345-7\"] measured in mmol/L converting mg/dL by 18\n");
  ASSERT_EQ(with_code(constant, "nonlinear-conversion").size(), 1u);
  EXPECT_EQ(with_code(constant, "nonlinear-conversion")[0].message,
            "this conversion does not depend on 'value', so it is not a linear conversion "
            "from mg/dL");

  const LoadResult by_zero =
      load_one(base +
               "codes glucose = loinc [\"2345-7\"] measured in mmol/L converting mg/dL by value / "
               "(2 - 2)\n");
  ASSERT_EQ(with_code(by_zero, "bad-number").size(), 1u);
}

TEST(UnitTest, ConvertingFromTheMeasuredUnitOrTwiceFromOneUnitIsAnError) {
  const LoadResult result =
      load_one(base +
               "codes glucose = loinc [\"2345-7\"] measured in mmol/L converting mmol/L by value "
               "converting mg/dL by value / 18 converting mg/dL by value / 18\n");
  ASSERT_EQ(with_code(result, "bad-conversion").size(), 1u);
  ASSERT_EQ(with_code(result, "duplicate-id").size(), 1u);
}

// ---- Targets ----

TEST_F(PersonCentredExample, TargetsCompileToBoundsWhenAndRule) {
  const auto& hba1c = check_named(*program_, "hba1c");
  ASSERT_EQ(hba1c.targets.size(), 2u);
  const runtime::TargetDef& general = hba1c.targets[0];
  ASSERT_EQ(general.bounds.size(), 1u);
  EXPECT_EQ(general.bounds[0].value_set, index_of(*program_, "hba1c_tests"));
  EXPECT_EQ(general.bounds[0].comparison, Comparison::le);
  EXPECT_DOUBLE_EQ(general.bounds[0].limit, 58);
  EXPECT_EQ(general.bounds[0].unit, "mmol/mol");
  EXPECT_TRUE(general.when.nodes.empty());
  EXPECT_EQ(general.rule.file, "lib.concord");
  EXPECT_EQ(general.rule.line, 25);

  const runtime::TargetDef& frail = hba1c.targets[1];
  EXPECT_DOUBLE_EQ(frail.bounds[0].limit, 75);
  ASSERT_EQ(frail.when.nodes.size(), 1u);
  expect_compare(frail.when.nodes[0], Measure::frailty, Comparison::ge, 2);  // moderate

  const auto& bp = check_named(*program_, "bp");
  ASSERT_EQ(bp.targets.size(), 2u);
  ASSERT_EQ(bp.targets[1].bounds.size(), 2u);
  EXPECT_EQ(bp.targets[1].bounds[0].value_set, index_of(*program_, "systolic_bp"));
  EXPECT_DOUBLE_EQ(bp.targets[1].bounds[0].limit, 150);
  EXPECT_EQ(bp.targets[1].bounds[1].value_set, index_of(*program_, "diastolic_bp"));
  EXPECT_DOUBLE_EQ(bp.targets[1].bounds[1].limit, 90);
  EXPECT_EQ(bp.targets[1].bounds[1].unit, "mm[Hg]");
  ASSERT_EQ(bp.targets[1].when.nodes.size(), 1u);
  expect_compare(bp.targets[1].when.nodes[0], Measure::age, Comparison::ge, 80);
  EXPECT_EQ(bp.sources, std::vector<std::string>{"NICE NG136"});

  EXPECT_EQ(check_named(*program_, "phq").targets[0].bounds[0].comparison, Comparison::lt);
  EXPECT_TRUE(check_named(*program_, "flu_vaccine").targets.empty());
}

TEST(TargetTest, UnitMismatchNamesBothUnits) {
  const LoadResult result =
      load_one(base + hba1c_check + "  target latest hba1c_tests <= 140 mm[Hg]\n");
  const auto found = with_code(result, "unit-mismatch");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].line, 8);
  EXPECT_EQ(found[0].column, 36);
  EXPECT_EQ(found[0].message, "target is in mm[Hg] but 'hba1c_tests' is measured in mmol/mol");
  EXPECT_EQ(found[0].hint,
            "write the target in mmol/mol, the unit 'hba1c_tests' declares at lib.concord:3");
  EXPECT_FALSE(result.program);
}

TEST(TargetTest, UnitMismatchWithAConvertedUnitSaysToWriteTheMeasuredUnit) {
  const LoadResult result = load_one(base + hba1c_check + "  target latest hba1c_tests <= 7.5 %\n");
  const auto found = with_code(result, "unit-mismatch");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].column, 36);
  EXPECT_EQ(found[0].message, "target is in % but 'hba1c_tests' is measured in mmol/mol");
  EXPECT_EQ(found[0].hint,
            "'hba1c_tests' converts % to mmol/mol when it reads records, but its targets are "
            "compared in mmol/mol: write the target in mmol/mol");
}

TEST(TargetTest, ValueSetWithoutAUnitCannotHaveATarget) {
  const LoadResult result =
      load_one(base +
               "check hba1c \"HbA1c\" stage tests every 12 months done by record in plain\n"
               "  target latest plain <= 5 mmol/L\n");
  const auto found = with_code(result, "no-unit");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].line, 8);
  EXPECT_EQ(found[0].column, 17);
  EXPECT_EQ(found[0].message,
            "codes list 'plain' declares no unit, so a target cannot compare its values");
  EXPECT_EQ(found[0].hint, "add 'measured in mmol/L' to codes plain at lib.concord:5");
}

TEST(TargetTest, UnknownValueSetInATargetSuggestsTheClosest) {
  const LoadResult result =
      load_one(base + hba1c_check + "  target latest hba1c_test <= 58 mmol/mol\n");
  const auto found = with_code(result, "unknown-name");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].line, 8);
  EXPECT_EQ(found[0].column, 17);
  EXPECT_EQ(found[0].hint, "did you mean 'hba1c_tests'?");
}

TEST(TargetTest, TargetBelowZeroCanNeverBeMet) {
  const LoadResult result =
      load_one(base +
               "check bp \"BP\" stage tests every 12 months done by record in sbp\n"
               "  target latest sbp < 0 mm[Hg]\n");
  const auto found = with_code(result, "never-met");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].severity, Severity::warning);
  EXPECT_EQ(found[0].line, 8);
  EXPECT_EQ(found[0].column, 10);
  EXPECT_EQ(found[0].message,
            "'latest sbp < 0' can never be met: measured values are not negative");
  EXPECT_TRUE(result.program);  // a warning only
}

TEST(TargetTest, ContradictoryBoundsOnOneValueSetCanNeverBeMet) {
  const LoadResult result =
      load_one(base +
               "check bp \"BP\" stage tests every 12 months done by record in sbp\n"
               "  target latest sbp >= 150 mm[Hg] and latest sbp < 120 mm[Hg]\n"
               "  target latest sbp >= 120 mm[Hg] and latest sbp <= 120 mm[Hg]\n");
  const auto found = with_code(result, "never-met");
  ASSERT_EQ(found.size(), 1u);  // the second target can be met (exactly 120)
  EXPECT_EQ(found[0].line, 8);
  EXPECT_EQ(found[0].column, 39);
  EXPECT_EQ(found[0].message,
            "'latest sbp < 120' contradicts an earlier bound on 'sbp', so this target can never "
            "be met");
}

TEST(TargetTest, GeneralTargetAfterAConditionalOneWarns) {
  const LoadResult result =
      load_one(base + hba1c_check +
               "  target latest hba1c_tests <= 75 mmol/mol when frailty >= moderate\n"
               "  target latest hba1c_tests <= 58 mmol/mol\n");
  const auto found = with_code(result, "target-order");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].severity, Severity::warning);
  EXPECT_EQ(found[0].line, 9);
  EXPECT_EQ(found[0].column, 3);
  EXPECT_EQ(found[0].message,
            "the last target whose 'when' holds applies, so this general target always "
            "overrides the conditional one on line 8");
  EXPECT_EQ(found[0].hint, "write the general target first");
}

TEST(TargetTest, MissingUnitIsASyntaxErrorAtTheNextWord) {
  const LoadResult result =
      load_one(base + hba1c_check + "  target latest hba1c_tests <= 58 when age >= 80\n");
  ASSERT_EQ(result.diagnostics.size(), 1u);
  const Diagnostic& d = result.diagnostics[0];
  EXPECT_EQ(d.code, "syntax");
  EXPECT_EQ(d.line, 8);
  EXPECT_EQ(d.column, 35);
  EXPECT_EQ(d.message, "expected a unit (such as mmol/mol, %, mm[Hg] or mg/dL), found 'when'");
  EXPECT_NE(d.hint.find("a target reads"), std::string::npos);
}

// ---- Expressions ----

TEST_F(PersonCentredExample, BareConditionIsHasConditionAndFrailtyLevelsAreNumbers) {
  ASSERT_TRUE(program_->review);
  const auto& prompts = program_->review->prompts;
  ASSERT_EQ(prompts.size(), 2u);
  EXPECT_EQ(prompts[0].id, "mood");
  EXPECT_EQ(prompts[0].text, "Over the last two weeks, how have you been feeling in yourself?");
  const auto& nodes = prompts[0].when.nodes;  // depression or frailty >= mild
  ASSERT_EQ(nodes.size(), 3u);
  EXPECT_EQ(nodes[0].op, ExprNode::Op::has_condition);
  EXPECT_EQ(nodes[0].lhs, 1u);  // depression
  expect_compare(nodes[1], Measure::frailty, Comparison::ge, 1);
  EXPECT_EQ(nodes[2].op, ExprNode::Op::or_);
  EXPECT_TRUE(prompts[1].when.nodes.empty());
}

TEST_F(PersonCentredExample, BareEndOfLifeComparesTheMeasureWithOne) {
  // conditions >= 2 or (conditions >= 1 and not end_of_life)
  const auto& nodes = program_->review->merge_when.nodes;
  ASSERT_EQ(nodes.size(), 6u);
  expect_compare(nodes[2], Measure::end_of_life, Comparison::eq, 1);
  EXPECT_EQ(nodes[3].op, ExprNode::Op::not_);
  EXPECT_EQ(nodes[3].lhs, 2u);
}

TEST(ExpressionTest, EveryMeasureParsesAndFrailtyTakesLevelNames) {
  const LoadResult result = load_one(
      base + hba1c_check +
      "  target latest hba1c_tests <= 75 mmol/mol when age >= 80 and frailty = severe and "
      "activation <= 1 and goals = 0 and medicines >= 10 and conditions > 1 and diabetes\n");
  ASSERT_TRUE(result.ok()) << format_text(result.diagnostics, result.sources);
  const auto& nodes = result.program->checks[0].targets[0].when.nodes;
  ASSERT_EQ(nodes.size(), 13u);
  expect_compare(nodes[0], Measure::age, Comparison::ge, 80);
  expect_compare(nodes[1], Measure::frailty, Comparison::eq, 3);
  expect_compare(nodes[3], Measure::activation, Comparison::le, 1);
  expect_compare(nodes[5], Measure::goals, Comparison::eq, 0);
  EXPECT_EQ(nodes[11].op, ExprNode::Op::has_condition);
  EXPECT_EQ(nodes[11].lhs, 0u);
}

TEST(ExpressionTest, UnknownNameSuggestsAConditionOrMeasure) {
  const LoadResult result =
      load_one(base + hba1c_check + "  target latest hba1c_tests <= 75 mmol/mol when diabetis\n");
  const auto found = with_code(result, "unknown-name");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].line, 8);
  EXPECT_EQ(found[0].column, 49);
  EXPECT_EQ(found[0].message, "unknown condition or measure 'diabetis'");
  EXPECT_EQ(found[0].hint, "did you mean 'diabetes'?");

  const LoadResult measure =
      load_one(base + hba1c_check + "  target latest hba1c_tests <= 75 mmol/mol when end_of_lfe\n");
  ASSERT_EQ(with_code(measure, "unknown-name").size(), 1u);
  EXPECT_EQ(with_code(measure, "unknown-name")[0].hint, "did you mean 'end_of_life'?");
}

TEST(ExpressionTest, UnknownFrailtyLevelSuggestsTheClosest) {
  const LoadResult result = load_one(
      base + hba1c_check + "  target latest hba1c_tests <= 75 mmol/mol when frailty >= moderat\n");
  const auto found = with_code(result, "unknown-name");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].column, 60);
  EXPECT_EQ(found[0].message, "unknown frailty level 'moderat'");
  EXPECT_EQ(found[0].hint, "did you mean 'moderate'?");
}

TEST(ExpressionTest, LevelNameWithAnotherMeasureIsAnError) {
  const LoadResult result = load_one(
      base + hba1c_check + "  target latest hba1c_tests <= 75 mmol/mol when age >= moderate\n");
  const auto found = with_code(result, "bad-comparison");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].line, 8);
  EXPECT_EQ(found[0].column, 56);
  EXPECT_EQ(found[0].message, "'age' is a number, so it cannot be compared with 'moderate'");
}

TEST(ExpressionTest, FrailtyAndActivationOutsideTheirRangesAreErrors) {
  const LoadResult result = load_one(
      base + hba1c_check +
      "  target latest hba1c_tests <= 75 mmol/mol when frailty >= 4 or activation > 5 or age "
      "< -1\n");
  const auto found = with_code(result, "bad-number");
  ASSERT_EQ(found.size(), 3u);
  EXPECT_EQ(found[0].column, 49);
  EXPECT_EQ(found[0].message,
            "'frailty' is 0 (none) to 3 (severe), so comparing it with 4 is a mistake");
  EXPECT_EQ(found[1].message,
            "'activation' is a PAM level from 1 to 4 (0 when unknown), so comparing it with 5 is "
            "a mistake");
  EXPECT_EQ(found[2].message, "'age' is in whole years, so comparing it with -1 is a mistake");
}

TEST(ExpressionTest, MergeWhenUsesTheSameExpressions) {
  const LoadResult result = load_one(
      base + hba1c_check +
      "review r \"R\" merge when conditions >= 2 or diabetes and age >= 65 and not end_of_life\n"
      "  gather due within 3 months stage talk conversation \"Talk\" stage t tests \"T\"\n"
      "  ask mood \"How are you?\" when diabtes\n");
  const auto found = with_code(result, "unknown-name");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].line, 10);
  EXPECT_EQ(found[0].column, 32);
  EXPECT_EQ(found[0].hint, "did you mean 'diabetes'?");
}

// ---- Person modifiers ----

TEST_F(PersonCentredExample, PersonModifiersCompileToThePersonModel) {
  const runtime::PersonModel& person = program_->person;
  EXPECT_EQ(person.frailty_mild, index_of(*program_, "frailty_mild_codes"));
  EXPECT_EQ(person.frailty_moderate, index_of(*program_, "frailty_moderate_codes"));
  EXPECT_EQ(person.frailty_severe, index_of(*program_, "frailty_severe_codes"));
  EXPECT_EQ(person.end_of_life, index_of(*program_, "palliative_codes"));
  EXPECT_EQ(person.end_of_life_suppresses, (std::vector<std::string>{"hba1c", "bp"}));
  EXPECT_EQ(person.activation, index_of(*program_, "pam_codes"));
  EXPECT_EQ(person.rule.file, "lib.concord");
  EXPECT_EQ(person.rule.line, 38);
}

TEST(PersonTest, NoModifiersLeaveThePersonModelEmpty) {
  const LoadResult result = load_one(base + hba1c_check);
  ASSERT_TRUE(result.program);
  EXPECT_FALSE(result.program->person.frailty_mild);
  EXPECT_FALSE(result.program->person.end_of_life);
  EXPECT_FALSE(result.program->person.activation);
  EXPECT_TRUE(result.program->suppressions.empty());
}

TEST(PersonTest, EachModifierIsDeclaredAtMostOnce) {
  const LoadResult result = load_one(base + hba1c_check +
                                     "frailty mild when record in plain\n"
                                     "frailty mild when record in plain\n"
                                     "frailty severe when record in plain\n"
                                     "activation from observation in plain\n"
                                     "activation from observation in plain\n"
                                     "end of life when record in plain\n"
                                     "end of life when record in plain\n");
  const auto found = with_code(result, "duplicate-id");
  ASSERT_EQ(found.size(), 3u);
  EXPECT_EQ(found[0].line, 9);
  EXPECT_EQ(found[0].column, 1);
  EXPECT_EQ(found[0].message, "frailty level 'mild' is declared twice");
  EXPECT_EQ(found[0].hint, "the first is at lib.concord:8; remove one of them");
  EXPECT_EQ(found[1].message, "activation is declared twice");
  EXPECT_EQ(found[2].message, "end of life is declared twice");
}

TEST(PersonTest, EndOfLifeSuppressesOnlyKnownChecks) {
  const LoadResult result = load_one(base + hba1c_check +
                                     "codes pal = loinc [\"P\"]\n"
                                     "end of life when record in pal suppresses hba1c, hba1d\n");
  const auto found = with_code(result, "unknown-name");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].line, 9);
  EXPECT_EQ(found[0].column, 50);
  EXPECT_EQ(found[0].message, "unknown check 'hba1d'");
  EXPECT_EQ(found[0].hint, "did you mean 'hba1c'?");
}

// ---- Suppressions ----

TEST_F(PersonCentredExample, SuppressionResolvesAConditionFirstThenACheck) {
  const auto& suppressions = program_->suppressions;
  ASSERT_EQ(suppressions.size(), 3u);

  EXPECT_EQ(suppressions[0].condition, std::optional<runtime::ConditionIndex>(0));  // diabetes
  EXPECT_EQ(suppressions[0].check, "");
  EXPECT_EQ(suppressions[0].value_set, index_of(*program_, "dm_dissent"));
  EXPECT_EQ(suppressions[0].reason, "informed_dissent");
  EXPECT_EQ(suppressions[0].lasts.count, 12);
  EXPECT_EQ(suppressions[0].lasts.unit, runtime::IntervalUnit::months);
  EXPECT_FALSE(suppressions[0].until_season_end);
  EXPECT_EQ(suppressions[0].rule.line, 44);

  EXPECT_FALSE(suppressions[1].condition);
  EXPECT_EQ(suppressions[1].check, "bp");
  EXPECT_EQ(suppressions[1].reason, "declined");
  EXPECT_EQ(suppressions[1].lasts.count, 1);
  EXPECT_EQ(suppressions[1].lasts.unit, runtime::IntervalUnit::years);

  EXPECT_FALSE(suppressions[2].condition);
  EXPECT_EQ(suppressions[2].check, "flu_vaccine");
  EXPECT_TRUE(suppressions[2].until_season_end);
}

TEST(SuppressionTest, NameThatIsNeitherConditionNorCheckSuggestsEither) {
  const LoadResult condition = load_one(
      base + hba1c_check + "suppress diabetis when record in plain as declined for 12 months\n");
  const auto found = with_code(condition, "unknown-name");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].line, 8);
  EXPECT_EQ(found[0].column, 10);
  EXPECT_EQ(found[0].message, "unknown condition or check 'diabetis'");
  EXPECT_EQ(found[0].hint, "did you mean 'diabetes'?");

  const LoadResult check = load_one(
      base + hba1c_check + "suppress hba1d when record in plain as declined for 12 months\n");
  ASSERT_EQ(with_code(check, "unknown-name").size(), 1u);
  EXPECT_EQ(with_code(check, "unknown-name")[0].hint, "did you mean 'hba1c'?");
}

TEST(SuppressionTest, UnknownReasonIsAWarningAndTheDurationIsChecked) {
  const LoadResult result =
      load_one(base + hba1c_check +
               "suppress hba1c when record in plain as refused for 12 months\n"
               "suppress hba1c when record in plain as declned for 11 years\n");
  const auto reasons = with_code(result, "unknown-reason");
  ASSERT_EQ(reasons.size(), 2u);
  EXPECT_EQ(reasons[0].severity, Severity::warning);
  EXPECT_EQ(reasons[0].line, 8);
  EXPECT_EQ(reasons[0].column, 40);
  EXPECT_EQ(reasons[0].message, "'refused' is not one of the reasons the runtime knows");
  EXPECT_EQ(reasons[0].hint,
            "the known reasons are declined, informed_dissent, unsuitable, end_of_life and "
            "frailty");
  EXPECT_EQ(reasons[1].hint, "did you mean 'declined'?");
  ASSERT_EQ(with_code(result, "bad-interval").size(), 1u);
  EXPECT_EQ(with_code(result, "bad-interval")[0].line, 9);
}

TEST(SuppressionTest, MissingDurationIsASyntaxError) {
  const LoadResult result =
      load_one(base + hba1c_check + "suppress hba1c when record in plain as declined\n");
  ASSERT_EQ(result.diagnostics.size(), 1u);
  EXPECT_EQ(result.diagnostics[0].code, "syntax");
  EXPECT_EQ(result.diagnostics[0].message,
            "expected 'for N months' or 'until season end', found the end of the file");
}

}  // namespace
}  // namespace concord::dsl
