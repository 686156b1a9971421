// The checker resolves names across the whole library and reports every problem at once.
#include <gtest/gtest.h>

#include <algorithm>

#include "concord/dsl/library.hpp"
#include "example_rulesets.hpp"
#include "loading.hpp"

namespace concord::dsl {
namespace {

using test::load_one;
using test::with_code;

LoadResult load(std::vector<SourceFile> sources) {
  return compile_sources(std::move(sources));
}

const std::string header = "ruleset lib version \"1\"\n";

TEST(CheckTest, ExamplesLoadWithoutDiagnostics) {
  const LoadResult result =
      load({{"hypertension.concord", test::hypertension}, {"review.concord", test::review}});
  EXPECT_TRUE(result.ok());
  EXPECT_TRUE(result.diagnostics.empty()) << format_text(result.diagnostics, result.sources);
  EXPECT_TRUE(result.program);
}

TEST(CheckTest, UnknownValueSetPointsAtItsColumnAndSuggestsTheClosestName) {
  const LoadResult result = load_one(header +
                                     "codes hyp_dx = snomed [38341003]\n"
                                     "condition hyp \"H\" present when diagnosis in hyp_xd\n");
  const auto unknown = with_code(result, "unknown-name");
  ASSERT_EQ(unknown.size(), 1u);
  EXPECT_EQ(unknown[0].line, 3);
  EXPECT_EQ(unknown[0].column, 45);
  EXPECT_EQ(unknown[0].message, "unknown codes list 'hyp_xd'");
  EXPECT_EQ(unknown[0].hint, "did you mean 'hyp_dx'?");
  EXPECT_FALSE(result.program);
}

TEST(CheckTest, UnknownNameFarFromEveryDeclarationSuggestsDeclaringIt) {
  const LoadResult result =
      load_one(header +
               "codes hyp_dx = snomed [38341003]\n"
               "condition hyp \"H\" present when diagnosis in asthma_codes\n");
  const auto unknown = with_code(result, "unknown-name");
  ASSERT_EQ(unknown.size(), 1u);
  EXPECT_EQ(unknown[0].hint,
            "declare it with 'codes asthma_codes = snomed [...]' in any ruleset file");
}

TEST(CheckTest, UnknownConditionAfterForSuggestsACondition) {
  const LoadResult result = load_one(test::hypertension +
                                     "check hba1c \"HbA1c\" for hypertention stage tests every 1 "
                                     "year done by observation in bp_codes\n");
  const auto unknown = with_code(result, "unknown-name");
  ASSERT_EQ(unknown.size(), 1u);
  EXPECT_EQ(unknown[0].message, "unknown condition 'hypertention'");
  EXPECT_EQ(unknown[0].hint, "did you mean 'hypertension'?");
  EXPECT_EQ(unknown[0].line, 17);
  EXPECT_EQ(unknown[0].column, 25);
}

TEST(CheckTest, DuplicateIdsAcrossFilesNameTheFirstDeclaration) {
  const LoadResult result =
      load({{"a.concord", header + "codes shared = snomed [38341003]\n"},
            {"b.concord", "ruleset other version \"1\"\n\ncodes shared = snomed [1201005]\n"}});
  const auto duplicates = with_code(result, "duplicate-id");
  ASSERT_EQ(duplicates.size(), 1u);
  EXPECT_EQ(duplicates[0].file, "b.concord");
  EXPECT_EQ(duplicates[0].line, 3);
  EXPECT_EQ(duplicates[0].column, 7);
  EXPECT_EQ(duplicates[0].message, "codes list 'shared' is declared twice");
  EXPECT_EQ(duplicates[0].hint, "the first is at a.concord:2; rename one of them");
}

TEST(CheckTest, SameCheckTwiceForOneConditionIsAnError) {
  const LoadResult result = load_one(test::hypertension +
                                     "check bp \"Blood pressure\" stage tests every 6 months done "
                                     "by record in bp_codes\n");
  const auto duplicates = with_code(result, "duplicate-id");
  ASSERT_EQ(duplicates.size(), 1u);
  EXPECT_EQ(duplicates[0].line, 17);
  EXPECT_EQ(duplicates[0].message, "condition 'hypertension' already has a check 'bp'");
  EXPECT_EQ(duplicates[0].hint, "the first is at lib.concord:14; rename or remove one of them");
}

TEST(CheckTest, DuplicateRulesetNamesAreAnError) {
  const LoadResult result = load({{"a.concord", header}, {"b.concord", header}});
  const auto duplicates = with_code(result, "duplicate-id");
  ASSERT_EQ(duplicates.size(), 1u);
  EXPECT_EQ(duplicates[0].file, "b.concord");
}

TEST(CheckTest, CheckWithoutForNeedsExactlyOneConditionInItsFile) {
  const std::string codes = "codes c = snomed [38341003]\n";
  const std::string check = "check x \"X\" stage tests every 1 year done by record in c\n";
  const LoadResult none = load_one(header + codes + check);
  ASSERT_EQ(with_code(none, "missing-for").size(), 1u);
  EXPECT_EQ(with_code(none, "missing-for")[0].line, 3);
  EXPECT_EQ(with_code(none, "missing-for")[0].column, 7);

  const LoadResult several = load_one(header + codes +
                                      "condition a \"A\" present when diagnosis in c\n"
                                      "condition b \"B\" present when diagnosis in c\n" +
                                      check);
  const auto missing = with_code(several, "missing-for");
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_EQ(missing[0].message,
            "check 'x' does not say which condition it is for, and this file declares several "
            "('a', 'b')");
  EXPECT_EQ(missing[0].hint, "add 'for a' (or several: 'for a, b') after the title");
}

TEST(CheckTest, IntervalsMustBeBetweenOneAndTenYears) {
  const auto interval_errors = [](const std::string& every) {
    return with_code(load_one(test::hypertension + "check x \"X\" stage tests every " + every +
                              " done by record in bp_codes\n"),
                     "bad-interval")
        .size();
  };
  EXPECT_EQ(interval_errors("0 months"), 1u);
  EXPECT_EQ(interval_errors("-2 weeks"), 1u);
  EXPECT_EQ(interval_errors("121 months"), 1u);
  EXPECT_EQ(interval_errors("11 years"), 1u);
  EXPECT_EQ(interval_errors("3653 days"), 1u);
  EXPECT_EQ(interval_errors("120 months"), 0u);
  EXPECT_EQ(interval_errors("10 years"), 0u);
  EXPECT_EQ(interval_errors("1 day"), 0u);
}

TEST(CheckTest, SnomedCodesMustBeConceptIds) {
  const LoadResult result = load_one(header +
                                     "codes c = snomed [38341003, 12345, 38341004, \"A1\", "
                                     "900000000000441003, 1234567890123456789]\n");
  const auto bad = with_code(result, "bad-code");
  ASSERT_EQ(bad.size(), 4u);
  EXPECT_EQ(bad[0].message, "'12345' is not a SNOMED CT concept id");
  EXPECT_EQ(bad[0].column, 29);
  EXPECT_EQ(bad[1].message, "'38341004' is not a SNOMED CT concept id");
  EXPECT_EQ(bad[1].hint, "its check digit is wrong: is a digit mistyped?");
  EXPECT_EQ(bad[2].message, "'A1' is not a SNOMED CT concept id");
  EXPECT_EQ(bad[3].message, "'1234567890123456789' is not a SNOMED CT concept id");
}

TEST(CheckTest, DuplicateCodeInOneValueSetIsAWarning) {
  const LoadResult result =
      load_one(test::hypertension +
               "codes extra = loinc [\"8480-6\", \"8480-6\"]\n"
               "check y \"Y\" stage tests every 1 year done by record in extra\n");
  const auto duplicates = with_code(result, "duplicate-code");
  ASSERT_EQ(duplicates.size(), 1u);
  EXPECT_EQ(duplicates[0].severity, Severity::warning);
  EXPECT_EQ(duplicates[0].column, 32);
  EXPECT_TRUE(result.ok());
  EXPECT_TRUE(result.program);
}

TEST(CheckTest, UnusedValueSetAndConditionWithoutChecksAreWarnings) {
  const LoadResult result = load_one(header +
                                     "codes c = snomed [38341003]\n"
                                     "codes spare = snomed [1201005]\n"
                                     "condition lonely \"Lonely\" present when diagnosis in c\n");
  EXPECT_TRUE(result.ok());
  const auto unused = with_code(result, "unused");
  ASSERT_EQ(unused.size(), 1u);
  EXPECT_EQ(unused[0].message, "codes list 'spare' is never used");
  EXPECT_EQ(unused[0].line, 3);
  ASSERT_EQ(with_code(result, "no-checks").size(), 1u);
  EXPECT_EQ(with_code(result, "no-checks")[0].message, "condition 'lonely' has no checks");
}

TEST(CheckTest, CheckStageMissingFromTheReviewIsAnError) {
  const LoadResult result =
      load({{"h.concord", test::hypertension +
                              "check r \"Referral\" stage referral every 1 year done by record in "
                              "bp_codes\n"},
            {"review.concord", test::review}});
  const auto missing = with_code(result, "missing-stage");
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_EQ(missing[0].line, 17);
  EXPECT_EQ(missing[0].column, 26);
  EXPECT_EQ(missing[0].message,
            "check 'r' happens at a 'referral' stage, but review 'ltc' has none");
  EXPECT_EQ(missing[0].hint,
            "add a referral stage to the review at review.concord:4, or give the check another "
            "stage");
}

TEST(CheckTest, CheckTitlesDifferingAcrossConditionsAreAWarning) {
  const LoadResult result = load_one(test::hypertension +
                                     "condition ckd \"CKD\" present when diagnosis in hyp_dx\n"
                                     "check bp \"BP\" for ckd stage tests every 1 year done by "
                                     "record in bp_codes\n");
  const auto mismatch = with_code(result, "title-mismatch");
  ASSERT_EQ(mismatch.size(), 1u);
  EXPECT_EQ(mismatch[0].severity, Severity::warning);
  EXPECT_EQ(mismatch[0].message,
            "check 'bp' is titled \"BP\" here but \"Blood pressure\" at lib.concord:14");
}

TEST(CheckTest, SecondReviewIsAnErrorNamingTheFirst) {
  const LoadResult result =
      load({{"a.concord", test::review},
            {"b.concord",
             "ruleset b version \"1\"\nreview other \"O\" merge when conditions >= 3 "
             "gather due within 1 month stage talk conversation \"Talk\"\n"}});
  const auto second = with_code(result, "duplicate-review");
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].file, "b.concord");
  EXPECT_EQ(second[0].line, 2);
  EXPECT_EQ(second[0].message,
            "a library has one review, and 'ltc' is already declared at a.concord:4");
}

TEST(CheckTest, ReviewStagesAreChecked) {
  const LoadResult result = load_one(header +
                                     "review r \"R\" merge when conditions >= -1 or medicines < 2\n"
                                     "  gather due within 0 months\n"
                                     "  stage a tests \"A\" 2 months before minutes 10\n"
                                     "  stage a letter \"B\"\n"
                                     "  ask q \"Q?\"\n"
                                     "  ask q \"Again?\"\n");
  EXPECT_EQ(with_code(result, "bad-number").size(), 1u);
  EXPECT_EQ(with_code(result, "bad-number")[0].column, 25);
  EXPECT_EQ(with_code(result, "bad-interval").size(), 2u);  // gather 0 months; 2 months before
  EXPECT_EQ(with_code(result, "duplicate-id").size(), 2u);  // stage a; ask q
  const auto stages = with_code(result, "bad-stage");
  ASSERT_EQ(stages.size(), 2u);  // minutes on a tests stage; no conversation
  EXPECT_EQ(stages[0].message, "review 'r' has no conversation stage");
  EXPECT_EQ(stages[1].message, "only the conversation stage has a length in minutes");
  EXPECT_EQ(stages[1].line, 4);
  EXPECT_EQ(stages[1].column, 37);
}

TEST(CheckTest, DiagnosticsComeInFileAndLineOrder) {
  const LoadResult result = load(
      {{"b.concord", "ruleset b version \"1\"\ncondition c \"C\" present when diagnosis in z\n"},
       {"a.concord", header + "codes x = snomed [1]\ncodes y = snomed [38341003]\n"}});
  // b.concord was given first, so it comes first; within a file, by line then column.
  const std::vector<std::tuple<std::string, int, int, std::string>> expected{
      {"b.concord", 2, 11, "no-checks"},
      {"b.concord", 2, 43, "unknown-name"},
      {"a.concord", 2, 7, "unused"},
      {"a.concord", 2, 19, "bad-code"},
      {"a.concord", 3, 7, "unused"}};
  ASSERT_EQ(result.diagnostics.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const Diagnostic& d = result.diagnostics[i];
    EXPECT_EQ(std::tuple(d.file, d.line, d.column, d.code), expected[i]) << i;
  }
}

TEST(CheckTest, NoSourcesIsAnEmptyLibrary) {
  const LoadResult result = load({});
  ASSERT_EQ(result.diagnostics.size(), 1u);
  EXPECT_EQ(result.diagnostics[0].code, "empty-library");
  EXPECT_FALSE(result.ok());
}

}  // namespace
}  // namespace concord::dsl
