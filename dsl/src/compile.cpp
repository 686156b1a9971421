// The compiler: a checked library into a runtime::Program. Names become indices, value sets
// become one hashed code index, and the merge condition becomes a flat node list.
#include "concord/dsl/compile.hpp"

#include "limits.hpp"

namespace concord::dsl {
namespace {

namespace x3 = boost::spirit::x3;

runtime::RuleRef rule_ref(const ast::RulesetFile& file, const ast::Located& at) {
  return {file.path, at.line};
}

runtime::Interval interval(const ast::Duration& d) {
  return {d.count, d.unit};
}

// Appends an expression's nodes children first, so each node only refers to earlier ones and
// the root ends up last. Returns the index of the node just added.
class ExprFlattener {
 public:
  explicit ExprFlattener(runtime::Expr& out) : out_(out) {}

  std::uint32_t add(const ast::OrExpr& expr) {
    std::uint32_t node = add(expr.first);
    for (const ast::AndExpr& term : expr.rest)
      node = join(runtime::ExprNode::Op::or_, node, add(term));
    return node;
  }

 private:
  std::uint32_t add(const ast::AndExpr& expr) {
    std::uint32_t node = add(expr.first);
    for (const ast::Operand& operand : expr.rest) {
      node = join(runtime::ExprNode::Op::and_, node, add(operand));
    }
    return node;
  }

  std::uint32_t add(const ast::Operand& operand) {
    if (const auto* comparison = boost::get<ast::Comparison>(&operand.get())) {
      runtime::ExprNode node;
      node.op = runtime::ExprNode::Op::compare;
      node.measure = comparison->measure;
      node.comparison = comparison->op;
      node.number = comparison->number;
      return push(node);
    }
    if (const auto* negation = boost::get<x3::forward_ast<ast::Not>>(&operand.get())) {
      runtime::ExprNode node;
      node.op = runtime::ExprNode::Op::not_;
      node.lhs = add(negation->get().operand);
      return push(node);
    }
    return add(boost::get<x3::forward_ast<ast::OrExpr>>(operand.get()).get());
  }

  std::uint32_t join(runtime::ExprNode::Op op, std::uint32_t lhs, std::uint32_t rhs) {
    runtime::ExprNode node;
    node.op = op;
    node.lhs = lhs;
    node.rhs = rhs;
    return push(node);
  }

  std::uint32_t push(const runtime::ExprNode& node) {
    out_.nodes.push_back(node);
    return static_cast<std::uint32_t>(out_.nodes.size() - 1);
  }

  runtime::Expr& out_;
};

runtime::ConversationLength conversation_length(const ast::StageDecl& stage) {
  runtime::ConversationLength length;  // the runtime's defaults when the stage says nothing
  if (!stage.minutes)
    return length;
  const ast::Minutes& minutes = *stage.minutes;
  length.base_minutes = minutes.base;
  length.per_extra_condition = minutes.per_extra_condition.value_or(0);
  if (minutes.up_to) {
    length.max_minutes = *minutes.up_to;
  } else {
    length.max_minutes =
        length.per_extra_condition > 0 ? limits::max_conversation_minutes : minutes.base;
  }
  return length;
}

runtime::ReviewPolicy compile_review(const CheckedLibrary::Review& review) {
  const ast::ReviewDecl& decl = *review.decl;
  runtime::ReviewPolicy policy;
  policy.id = decl.name.name;
  policy.title = decl.title;
  policy.sources = decl.sources;
  ExprFlattener(policy.merge_when).add(decl.merge_when);
  policy.gather = interval(decl.gather);
  for (const ast::StageDecl& stage : decl.stages) {
    runtime::StageDef def;
    def.id = stage.name.name;
    def.kind = stage.kind.kind;
    def.title = stage.title;
    if (stage.before) {
      def.days_before = stage.before->unit == runtime::IntervalUnit::weeks ? stage.before->count * 7
                                                                           : stage.before->count;
    }
    policy.stages.push_back(std::move(def));
    if (stage.kind.kind == runtime::StageKind::conversation) {
      policy.minutes = conversation_length(stage);
    }
  }
  for (const ast::AskDecl& ask : decl.asks)
    policy.prompts.push_back({ask.name.name, ask.text});
  policy.rule = rule_ref(*review.file, decl);
  return policy;
}

}  // namespace

runtime::Program compile(const CheckedLibrary& library) {
  runtime::Program program;

  for (const ast::RulesetFile* file : library.files) {
    const ast::Header& header = file->header;
    program.rulesets.push_back({header.name.name, header.version,
                                header.title.value_or(header.name.name), header.sources,
                                file->path});
  }

  for (const auto& set : library.value_sets) {
    const auto index = static_cast<runtime::ValueSetIndex>(program.value_sets.size());
    program.value_sets.push_back({set.decl->name.name, rule_ref(*set.file, *set.decl)});
    for (const ast::SystemCodes& list : set.decl->lists) {
      for (const ast::Code& code : list.codes)
        program.add_code(index, list.system, code.value);
    }
  }

  for (const auto& condition : library.conditions) {
    const ast::ConditionDecl& decl = *condition.decl;
    program.conditions.push_back(
        {decl.name.name, decl.title, condition.diagnosis, condition.resolved, decl.sources,
         condition.file->header.name.name, rule_ref(*condition.file, decl)});
  }

  for (const auto& check : library.checks) {
    const ast::CheckDecl& decl = *check.decl;
    program.checks.push_back({decl.name.name, decl.title, check.condition, decl.stage.kind,
                              interval(decl.every), check.done_by, decl.sources,
                              rule_ref(*check.file, decl)});
  }

  if (library.review)
    program.review = compile_review(*library.review);
  return program;
}

}  // namespace concord::dsl
