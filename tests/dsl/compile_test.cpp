// The compiler produces the Program the runtime evaluates: indices, the code index, intervals,
// review stages and the flat merge expression.
#include <gtest/gtest.h>

#include "concord/runtime/evaluate.hpp"

#include "concord/dsl/library.hpp"
#include "concord/runtime/record.hpp"
#include "example_rulesets.hpp"

namespace concord::dsl {
namespace {

using runtime::ExprNode;

std::shared_ptr<const runtime::Program> compile_ok(std::vector<SourceFile> sources) {
  const LoadResult result = compile_sources(std::move(sources));
  EXPECT_TRUE(result.ok()) << format_text(result.diagnostics, result.sources);
  return result.program;
}

TEST(CompileTest, HypertensionExampleBecomesValueSetsConditionAndCheck) {
  const auto program = compile_ok({{"rulesets/hypertension.concord", test::hypertension}});
  ASSERT_TRUE(program);

  ASSERT_EQ(program->rulesets.size(), 1u);
  EXPECT_EQ(program->rulesets[0].name, "hypertension");
  EXPECT_EQ(program->rulesets[0].version, "1.0.0");
  EXPECT_EQ(program->rulesets[0].title, "Hypertension");
  EXPECT_EQ(program->rulesets[0].file, "rulesets/hypertension.concord");

  ASSERT_EQ(program->value_sets.size(), 3u);
  EXPECT_EQ(program->value_sets[0].name, "hyp_dx");
  EXPECT_EQ(program->value_sets[2].name, "bp_codes");
  EXPECT_EQ(program->value_sets[2].rule.file, "rulesets/hypertension.concord");
  EXPECT_EQ(program->value_sets[2].rule.line, 7);

  // 3 + 1 + 5 distinct codes, each in exactly one value set.
  EXPECT_EQ(program->code_index.size(), 9u);
  EXPECT_EQ(program->sets_of(runtime::code_key("snomed", "38341003")),
            std::vector<runtime::ValueSetIndex>{0});
  EXPECT_EQ(program->sets_of(runtime::code_key("snomed", "162659009")),
            std::vector<runtime::ValueSetIndex>{1});
  EXPECT_EQ(program->sets_of(runtime::code_key("loinc", "85354-9")),
            std::vector<runtime::ValueSetIndex>{2});
  EXPECT_TRUE(program->sets_of(runtime::code_key("loinc", "38341003")).empty());

  ASSERT_EQ(program->conditions.size(), 1u);
  const runtime::ConditionDef& condition = program->conditions[0];
  EXPECT_EQ(condition.id, "hypertension");
  EXPECT_EQ(condition.title, "Hypertension");
  EXPECT_EQ(condition.diagnosis, 0u);
  EXPECT_EQ(condition.resolved, std::optional<runtime::ValueSetIndex>(1));
  EXPECT_EQ(condition.sources, std::vector<std::string>{"QOF HYP001"});
  EXPECT_EQ(condition.ruleset, "hypertension");
  EXPECT_EQ(condition.rule.line, 9);

  ASSERT_EQ(program->checks.size(), 1u);
  const runtime::CheckDef& check = program->checks[0];
  EXPECT_EQ(check.id, "bp");
  EXPECT_EQ(check.title, "Blood pressure");
  EXPECT_EQ(check.condition, 0u);
  EXPECT_EQ(check.stage, runtime::StageKind::tests);
  EXPECT_EQ(check.interval.count, 12);
  EXPECT_EQ(check.interval.unit, runtime::IntervalUnit::months);
  ASSERT_EQ(check.done_by.size(), 2u);
  EXPECT_EQ(check.done_by[0].kind, runtime::FactKind::observation);
  EXPECT_EQ(check.done_by[0].value_set, 2u);
  EXPECT_EQ(check.done_by[1].kind, runtime::FactKind::procedure);
  EXPECT_EQ(check.sources, std::vector<std::string>{"QOF HYP003 (v46)"});
  EXPECT_EQ(check.rule.line, 14);
  EXPECT_FALSE(program->review);
}

TEST(CompileTest, CodeInSeveralValueSetsIndexesAllOfThem) {
  const auto program =
      compile_ok({{"a.concord", test::hypertension +
                                    "codes all_bp = snomed [271649006]\n"
                                    "check bp2 \"BP\" stage tests every 1 year done by record "
                                    "in all_bp\n"}});
  ASSERT_TRUE(program);
  EXPECT_EQ(program->sets_of(runtime::code_key("snomed", "271649006")),
            (std::vector<runtime::ValueSetIndex>{2, 3}));
  EXPECT_EQ(program->checks[1].done_by[0].kind, runtime::FactKind::any);
}

TEST(CompileTest, CheckForSeveralConditionsGivesOneCheckEach) {
  const auto program =
      compile_ok({{"a.concord",
                   "ruleset a version \"1\"\ncodes d1 = snomed [38341003]\n"
                   "codes d2 = snomed [1201005]\ncodes given = \"http://example.org/x\" [\"k\"]\n"
                   "condition one \"One\" present when diagnosis in d1\n"
                   "condition two \"Two\" present when diagnosis in d2\n"
                   "check review_meds \"Medicines\" for two, one stage letter every 6 weeks "
                   "done by medication in given\n"}});
  ASSERT_TRUE(program);
  ASSERT_EQ(program->checks.size(), 2u);
  EXPECT_EQ(program->checks[0].condition, 1u);  // in the order written after 'for'
  EXPECT_EQ(program->checks[1].condition, 0u);
  EXPECT_EQ(program->checks[0].id, "review_meds");
  EXPECT_EQ(program->checks[0].interval.count, 6);
  EXPECT_EQ(program->checks[0].interval.unit, runtime::IntervalUnit::weeks);
  EXPECT_EQ(program->checks[0].stage, runtime::StageKind::letter);
  EXPECT_EQ(program->sets_of(runtime::code_key("http://example.org/x", "k")),
            std::vector<runtime::ValueSetIndex>{2});
}

TEST(CompileTest, NamesResolveAcrossFiles) {
  const auto program =
      compile_ok({{"codes.concord", "ruleset shared version \"1\"\ncodes d = snomed [38341003]\n"},
                  {"cond.concord",
                   "ruleset c version \"2\"\ncondition c \"C\" present when diagnosis in d\n"
                   "check k \"K\" stage tests every 2 years done by observation in d\n"}});
  ASSERT_TRUE(program);
  ASSERT_EQ(program->rulesets.size(), 2u);
  EXPECT_EQ(program->rulesets[1].name, "c");
  EXPECT_EQ(program->rulesets[1].title, "c");  // no title: the name stands in
  EXPECT_EQ(program->conditions[0].ruleset, "c");
  EXPECT_EQ(program->conditions[0].diagnosis, 0u);
  EXPECT_EQ(program->checks[0].interval.unit, runtime::IntervalUnit::years);
  EXPECT_EQ(program->checks[0].rule.file, "cond.concord");
  EXPECT_EQ(program->checks[0].rule.line, 3);
}

TEST(CompileTest, ReviewBecomesAPolicy) {
  const auto program = compile_ok({{"h.concord", test::hypertension}, {"r.concord", test::review}});
  ASSERT_TRUE(program && program->review);
  const runtime::ReviewPolicy& review = *program->review;
  EXPECT_EQ(review.id, "ltc");
  EXPECT_EQ(review.title, "Long-term conditions review");
  EXPECT_EQ(review.sources, std::vector<std::string>{"NICE NG56"});
  EXPECT_EQ(review.gather.count, 3);
  EXPECT_EQ(review.gather.unit, runtime::IntervalUnit::months);
  ASSERT_EQ(review.stages.size(), 3u);
  EXPECT_EQ(review.stages[0].id, "tests");
  EXPECT_EQ(review.stages[0].kind, runtime::StageKind::tests);
  EXPECT_EQ(review.stages[0].title, "Blood, urine and health checks");
  EXPECT_EQ(review.stages[0].days_before, 21);
  EXPECT_EQ(review.stages[1].days_before, 14);
  EXPECT_EQ(review.stages[2].id, "talk");
  EXPECT_EQ(review.stages[2].kind, runtime::StageKind::conversation);
  EXPECT_EQ(review.stages[2].days_before, 0);
  EXPECT_EQ(review.minutes.base_minutes, 20);
  EXPECT_EQ(review.minutes.per_extra_condition, 10);
  EXPECT_EQ(review.minutes.max_minutes, 40);
  ASSERT_EQ(review.prompts.size(), 1u);
  EXPECT_EQ(review.prompts[0].id, "what_matters");
  EXPECT_EQ(review.prompts[0].text, "What matters most to you about your health at the moment?");
  EXPECT_EQ(review.rule.file, "r.concord");
  EXPECT_EQ(review.rule.line, 4);
}

TEST(CompileTest, MergeExpressionIsFlatWithChildrenBeforeParents) {
  const auto program = compile_ok({{"h.concord", test::hypertension}, {"r.concord", test::review}});
  ASSERT_TRUE(program && program->review);
  // conditions >= 2 or (conditions >= 1 and medicines >= 10)
  const std::vector<ExprNode>& nodes = program->review->merge_when.nodes;
  ASSERT_EQ(nodes.size(), 5u);
  EXPECT_EQ(nodes[0].op, ExprNode::Op::compare);
  EXPECT_EQ(nodes[0].measure, runtime::Measure::conditions);
  EXPECT_EQ(nodes[0].comparison, runtime::Comparison::ge);
  EXPECT_EQ(nodes[0].number, 2);
  EXPECT_EQ(nodes[1].op, ExprNode::Op::compare);
  EXPECT_EQ(nodes[1].number, 1);
  EXPECT_EQ(nodes[2].op, ExprNode::Op::compare);
  EXPECT_EQ(nodes[2].measure, runtime::Measure::medicines);
  EXPECT_EQ(nodes[2].number, 10);
  EXPECT_EQ(nodes[3].op, ExprNode::Op::and_);
  EXPECT_EQ(nodes[3].lhs, 1u);
  EXPECT_EQ(nodes[3].rhs, 2u);
  EXPECT_EQ(nodes[4].op, ExprNode::Op::or_);  // the root, last
  EXPECT_EQ(nodes[4].lhs, 0u);
  EXPECT_EQ(nodes[4].rhs, 3u);
}

// Evaluates a compiled expression with the runtime's own evaluator, after checking that the
// flat form refers only to earlier nodes (what makes one forward pass enough).
bool evaluate(const runtime::Expr& expr, int conditions, int medicines) {
  for (std::size_t i = 0; i < expr.nodes.size(); ++i) {
    const ExprNode& n = expr.nodes[i];
    EXPECT_TRUE(n.op == ExprNode::Op::compare ||
                (n.lhs < i && (n.op == ExprNode::Op::not_ || n.rhs < i)));
  }
  return runtime::holds(expr, {conditions, medicines});
}

TEST(CompileTest, MergeExpressionEvaluatesWithNotAndOrPrecedence) {
  const auto program =
      compile_ok({{"h.concord", test::hypertension},
                  {"r.concord",
                   "ruleset r version \"1\"\nreview r \"R\" merge when not conditions < 2 and "
                   "medicines != 3 or (medicines > 9 and not (conditions = 0))\n"
                   "gather due within 12 weeks stage bloods tests \"Bloods\" 10 days before\n"
                   "stage talk conversation \"Talk\" minutes 30\n"}});
  ASSERT_TRUE(program && program->review);
  const runtime::Expr& expr = program->review->merge_when;
  EXPECT_EQ(expr.nodes.back().op, ExprNode::Op::or_);
  EXPECT_TRUE(evaluate(expr, 2, 0));
  EXPECT_FALSE(evaluate(expr, 2, 3));
  EXPECT_FALSE(evaluate(expr, 1, 0));
  EXPECT_TRUE(evaluate(expr, 1, 10));
  EXPECT_FALSE(evaluate(expr, 0, 10));
  // `minutes 30` alone: a fixed length.
  EXPECT_EQ(program->review->minutes.base_minutes, 30);
  EXPECT_EQ(program->review->minutes.per_extra_condition, 0);
  EXPECT_EQ(program->review->minutes.max_minutes, 30);
  EXPECT_EQ(program->review->gather.unit, runtime::IntervalUnit::weeks);
}

TEST(CompileTest, NoProgramWhenThereIsAnyError) {
  const LoadResult result =
      compile_sources({{"h.concord", test::hypertension + "codes bad = snomed [12]\n"}});
  EXPECT_FALSE(result.ok());
  EXPECT_FALSE(result.program);
}

}  // namespace
}  // namespace concord::dsl
