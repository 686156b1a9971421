// The grammar accepts the language as documented and builds the tree it describes.
#include <gtest/gtest.h>

#include "concord/dsl/parse.hpp"
#include "example_rulesets.hpp"

namespace concord::dsl {
namespace {

std::optional<ast::RulesetFile> parse_text(const std::string& text,
                                           std::vector<Diagnostic>& diagnostics) {
  return parse(SourceFile{"test.concord", text}, diagnostics);
}

template <typename Decl>
const Decl& item_at(const ast::RulesetFile& file, std::size_t index) {
  return boost::get<Decl>(file.items.at(index).get());
}

// The n-th part of a codes list, when it is a list of codes in one system.
const ast::SystemCodes& list_at(const ast::CodesDecl& codes, std::size_t n) {
  return boost::get<ast::SystemCodes>(codes.parts.at(n).get());
}

TEST(GrammarTest, AcceptsHypertensionExample) {
  std::vector<Diagnostic> diagnostics;
  const auto file = parse_text(test::hypertension, diagnostics);
  ASSERT_TRUE(file) << (diagnostics.empty() ? "" : diagnostics[0].message);
  EXPECT_TRUE(diagnostics.empty());
  EXPECT_EQ(file->path, "test.concord");
  EXPECT_EQ(file->header.name.name, "hypertension");
  EXPECT_EQ(file->header.version, "1.0.0");
  EXPECT_EQ(file->header.title, "Hypertension");
  ASSERT_EQ(file->header.sources.size(), 1u);
  ASSERT_EQ(file->items.size(), 5u);

  const auto& bp_codes = item_at<ast::CodesDecl>(*file, 2);
  EXPECT_EQ(bp_codes.name.name, "bp_codes");
  ASSERT_EQ(bp_codes.parts.size(), 2u);
  EXPECT_EQ(list_at(bp_codes, 0).system, "snomed");
  EXPECT_EQ(list_at(bp_codes, 1).system, "loinc");
  ASSERT_EQ(list_at(bp_codes, 1).codes.size(), 3u);
  EXPECT_EQ(list_at(bp_codes, 1).codes[2].value, "85354-9");
  EXPECT_EQ(bp_codes.line, 7);
  EXPECT_EQ(bp_codes.column, 1);
  EXPECT_EQ(list_at(bp_codes, 1).codes[0].line, 7);
  EXPECT_EQ(list_at(bp_codes, 1).codes[0].column, 56);

  const auto& condition = item_at<ast::ConditionDecl>(*file, 3);
  EXPECT_EQ(condition.name.name, "hypertension");
  EXPECT_EQ(condition.title, "Hypertension");
  EXPECT_EQ(condition.diagnosis.name, "hyp_dx");
  ASSERT_TRUE(condition.resolved_by);
  EXPECT_EQ(condition.resolved_by->name, "hyp_resolved");
  EXPECT_EQ(condition.resolved_by->line, 11);
  EXPECT_EQ(condition.resolved_by->column, 15);
  EXPECT_EQ(condition.sources, std::vector<std::string>{"QOF HYP001"});

  const auto& check = item_at<ast::CheckDecl>(*file, 4);
  EXPECT_EQ(check.name.name, "bp");
  ASSERT_EQ(check.conditions.size(), 1u);
  EXPECT_EQ(check.conditions[0].name, "hypertension");
  EXPECT_EQ(check.stage.kind, runtime::StageKind::tests);
  EXPECT_EQ(boost::get<ast::Recurring>(check.every.get()).interval.count, 12);
  EXPECT_EQ(boost::get<ast::Recurring>(check.every.get()).interval.unit,
            runtime::IntervalUnit::months);
  ASSERT_EQ(check.done_by.size(), 2u);
  EXPECT_EQ(check.done_by[0].kind, runtime::FactKind::observation);
  EXPECT_EQ(check.done_by[1].kind, runtime::FactKind::procedure);
  EXPECT_EQ(check.done_by[1].value_set.name, "bp_codes");
  EXPECT_EQ(check.line, 14);
}

TEST(GrammarTest, AcceptsReviewExample) {
  std::vector<Diagnostic> diagnostics;
  const auto file = parse_text(test::review, diagnostics);
  ASSERT_TRUE(file) << (diagnostics.empty() ? "" : diagnostics[0].message);
  const auto& review = item_at<ast::ReviewDecl>(*file, 0);
  EXPECT_EQ(review.name.name, "ltc");
  EXPECT_EQ(review.sources, std::vector<std::string>{"NICE NG56"});
  EXPECT_EQ(review.merge_when.rest.size(), 1u);
  EXPECT_EQ(review.gather.count, 3);
  ASSERT_EQ(review.stages.size(), 3u);
  EXPECT_EQ(review.stages[0].name.name, "tests");
  EXPECT_EQ(review.stages[0].kind.kind, runtime::StageKind::tests);
  ASSERT_TRUE(review.stages[0].before);
  EXPECT_EQ(review.stages[0].before->count, 3);
  EXPECT_EQ(review.stages[0].before->unit, runtime::IntervalUnit::weeks);
  EXPECT_FALSE(review.stages[2].before);
  ASSERT_TRUE(review.stages[2].minutes);
  EXPECT_EQ(review.stages[2].minutes->base, 20);
  EXPECT_EQ(review.stages[2].minutes->per_extra_condition, 10);
  EXPECT_EQ(review.stages[2].minutes->up_to, 40);
  ASSERT_EQ(review.asks.size(), 1u);
  EXPECT_EQ(review.asks[0].name.name, "what_matters");
}

TEST(GrammarTest, CommentsAndLayoutAreInsignificant) {
  std::vector<Diagnostic> diagnostics;
  const auto file = parse_text(
      "# leading comment\nruleset   x version \"1\" # trailing\n"
      "codes a=snomed[38341003,1201005]# no spaces\n\n\n",
      diagnostics);
  ASSERT_TRUE(file) << (diagnostics.empty() ? "" : diagnostics[0].message);
  EXPECT_EQ(list_at(item_at<ast::CodesDecl>(*file, 0), 0).codes.size(), 2u);
}

TEST(GrammarTest, StringsKeepEscapedQuotesAndBackslashes) {
  std::vector<Diagnostic> diagnostics;
  const auto file = parse_text(R"(ruleset x version "1" title "a \"b\" \\ c")", diagnostics);
  ASSERT_TRUE(file);
  EXPECT_EQ(file->header.title, R"(a "b" \ c)");
}

TEST(GrammarTest, StageKindsAndMeasuresAreNotReservedNames) {
  std::vector<Diagnostic> diagnostics;
  const auto file = parse_text(
      "ruleset x version \"1\"\ncondition record \"R\" present when diagnosis in tests\n",
      diagnostics);
  ASSERT_TRUE(file) << (diagnostics.empty() ? "" : diagnostics[0].message);
  EXPECT_EQ(item_at<ast::ConditionDecl>(*file, 0).name.name, "record");
}

TEST(GrammarTest, KeywordPrefixesAreOrdinaryNames) {
  std::vector<Diagnostic> diagnostics;
  const auto file = parse_text(
      "ruleset x version \"1\"\ncodes format = snomed [38341003]\ncodes checks = snomed [1201005]\n"
      "codes extra = snomed [1201005]\n",
      diagnostics);
  ASSERT_TRUE(file) << (diagnostics.empty() ? "" : diagnostics[0].message);
  EXPECT_EQ(item_at<ast::CodesDecl>(*file, 0).name.name, "format");
  EXPECT_EQ(item_at<ast::CodesDecl>(*file, 1).name.name, "checks");
}

TEST(GrammarTest, CheckWithoutForAndWithSeveralConditions) {
  std::vector<Diagnostic> diagnostics;
  const auto file = parse_text(
      "ruleset x version \"1\"\n"
      "check a \"A\" stage letter every 1 year done by record in s\n"
      "check b \"B\" for c1, c2 , c3 stage referral every 6 weeks done by medication in m\n",
      diagnostics);
  ASSERT_TRUE(file) << (diagnostics.empty() ? "" : diagnostics[0].message);
  const auto& a = item_at<ast::CheckDecl>(*file, 0);
  EXPECT_TRUE(a.conditions.empty());
  EXPECT_EQ(boost::get<ast::Recurring>(a.every.get()).interval.unit, runtime::IntervalUnit::years);
  EXPECT_EQ(a.done_by[0].kind, runtime::FactKind::any);
  const auto& b = item_at<ast::CheckDecl>(*file, 1);
  ASSERT_EQ(b.conditions.size(), 3u);
  EXPECT_EQ(b.conditions[2].name, "c3");
  EXPECT_EQ(b.conditions[2].column, 26);
  EXPECT_EQ(b.stage.kind, runtime::StageKind::referral);
}

TEST(GrammarTest, ExpressionPrecedenceIsNotThenAndThenOr) {
  std::vector<Diagnostic> diagnostics;
  const auto file = parse_text(
      "ruleset x version \"1\"\nreview r \"R\" merge when not conditions < 2 and medicines != 3.5 "
      "or conditions = 0\ngather due within 1 month stage t conversation \"T\"\n",
      diagnostics);
  ASSERT_TRUE(file) << (diagnostics.empty() ? "" : diagnostics[0].message);
  const auto& expr = item_at<ast::ReviewDecl>(*file, 0).merge_when;
  ASSERT_EQ(expr.rest.size(), 1u);        // ... or conditions = 0
  ASSERT_EQ(expr.first.rest.size(), 1u);  // not ... and medicines != 3.5
  const auto& negated =
      boost::get<boost::spirit::x3::forward_ast<ast::Not>>(expr.first.first.get());
  const auto& inner = boost::get<ast::Comparison>(negated.get().operand.get());
  EXPECT_EQ(inner.op, runtime::Comparison::lt);
  const auto& second = boost::get<ast::Comparison>(expr.first.rest[0].get());
  EXPECT_EQ(second.measure, runtime::Measure::medicines);
  EXPECT_EQ(second.op, runtime::Comparison::ne);
  EXPECT_DOUBLE_EQ(boost::get<double>(second.value.get()), 3.5);
}

TEST(GrammarTest, UriCodeSystemsAndQuotedCodes) {
  std::vector<Diagnostic> diagnostics;
  const auto file = parse_text(
      "ruleset x version \"1\"\ncodes a = \"http://example.org/cs\" [\"A-1\", 42]\n", diagnostics);
  ASSERT_TRUE(file) << (diagnostics.empty() ? "" : diagnostics[0].message);
  const auto& list = list_at(item_at<ast::CodesDecl>(*file, 0), 0);
  EXPECT_EQ(list.system, "http://example.org/cs");
  EXPECT_EQ(list.codes[0].value, "A-1");
  EXPECT_EQ(list.codes[1].value, "42");
}

}  // namespace
}  // namespace concord::dsl
