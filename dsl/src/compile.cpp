// The compiler: a checked library into a runtime::Program. Names become indices, value sets
// become one hashed code index, and the merge condition becomes a flat node list.
#include "concord/dsl/compile.hpp"

#include <map>

#include "conversion.hpp"
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

template <typename Decl, typename Visit>
void for_each_decl(const CheckedLibrary& library, Visit visit) {
  for (const ast::RulesetFile* file : library.files) {
    for (const ast::Item& item : file->items) {
      if (const Decl* decl = boost::get<Decl>(&item.get())) visit(*file, *decl);
    }
  }
}

// Names to indices; the checker has made sure every name used is here.
struct Names {
  std::map<std::string, runtime::ValueSetIndex, std::less<>> value_sets;
  std::map<std::string, runtime::ConditionIndex, std::less<>> conditions;
  const std::map<std::string, std::size_t, std::less<>>& scores;

  explicit Names(const CheckedLibrary& library) : scores(library.scores) {
    for (std::size_t i = 0; i < library.value_sets.size(); ++i) {
      value_sets.emplace(library.value_sets[i].decl->name.name,
                         static_cast<runtime::ValueSetIndex>(i));
    }
    for (std::size_t i = 0; i < library.conditions.size(); ++i) {
      conditions.emplace(library.conditions[i].decl->name.name,
                         static_cast<runtime::ConditionIndex>(i));
    }
  }
};

// Appends an expression's nodes children first, so each node only refers to earlier ones and
// the root ends up last. Returns the index of the node just added.
class ExprFlattener {
 public:
  ExprFlattener(runtime::Expr& out, const Names& names) : out_(out), names_(names) {}

  std::uint32_t add(const ast::OrExpr& expr) {
    std::uint32_t node = add(expr.first);
    for (const ast::AndExpr& term : expr.rest)
      node = join(runtime::ExprNode::Op::or_, node, add(term));
    return node;
  }

  // Operands that must all hold (a condition's `and ...` clauses); nothing when empty.
  void add_all(const std::vector<ast::Operand>& operands) {
    if (operands.empty()) return;
    std::uint32_t node = add(operands.front());
    for (std::size_t i = 1; i < operands.size(); ++i)
      node = join(runtime::ExprNode::Op::and_, node, add(operands[i]));
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
      if (const auto* level = boost::get<ast::Identifier>(&comparison->value.get())) {
        node.number = limits::frailty_level(level->name).value_or(0);
      } else {
        node.number = boost::get<double>(comparison->value.get());
      }
      return push(node);
    }
    if (const auto* fact = boost::get<ast::FactTest>(&operand.get())) {
      runtime::ExprNode node;
      node.op = runtime::ExprNode::Op::has_fact;
      node.lhs = names_.value_sets.at(fact->value_set.name);
      node.kind = fact->kind;
      if (fact->within) node.within = interval(*fact->within);
      if (fact->relation) {
        node.relation = fact->relation->after ? runtime::ExprNode::Relation::after
                                              : runtime::ExprNode::Relation::before;
        const std::string& date = fact->relation->moment.date;
        node.from_onset = date.empty();
        if (!date.empty()) node.moment = *runtime::Date::parse_iso(date);
      }
      return push(node);
    }
    if (const auto* count = boost::get<ast::CountTest>(&operand.get())) {
      runtime::ExprNode node;
      node.op = runtime::ExprNode::Op::count_facts;
      node.lhs = names_.value_sets.at(count->value_set.name);
      node.kind = count->kind;
      if (count->within) node.within = interval(*count->within);
      node.comparison = count->op;
      node.number = count->value;
      return push(node);
    }
    if (const auto* latest = boost::get<ast::LatestTest>(&operand.get())) {
      runtime::ExprNode node;
      node.op = runtime::ExprNode::Op::latest_in;
      node.lhs = names_.value_sets.at(latest->value_set.name);
      node.rhs = names_.value_sets.at(latest->within_set.name);
      node.kind = latest->kind;
      return push(node);
    }
    if (const auto* score = boost::get<ast::ScoreTest>(&operand.get())) {
      runtime::ExprNode node;
      node.op = runtime::ExprNode::Op::score;
      node.lhs = static_cast<std::uint32_t>(names_.scores.at(score->function.name));
      node.comparison = score->op;
      node.number = score->value;
      return push(node);
    }
    if (const auto* name = boost::get<ast::Identifier>(&operand.get())) {
      runtime::ExprNode node;
      if (name->name == "end_of_life") {
        node.op = runtime::ExprNode::Op::compare;
        node.measure = runtime::Measure::end_of_life;
        node.comparison = runtime::Comparison::eq;
        node.number = 1;
      } else {
        node.op = runtime::ExprNode::Op::has_condition;
        node.lhs = names_.conditions.at(name->name);
      }
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
  const Names& names_;
};

runtime::Expr flatten(const std::optional<ast::OrExpr>& expr, const Names& names) {
  runtime::Expr out;
  if (expr) ExprFlattener(out, names).add(*expr);
  return out;
}

// The value sets whose facts some rule counts: only for these does the fact index keep every
// date, so that evaluation of the others stays as cheap as before.
void mark_counted(runtime::Program& program) {
  const auto mark = [&](const runtime::Expr& expr) {
    for (const runtime::ExprNode& node : expr.nodes) {
      if (node.op == runtime::ExprNode::Op::count_facts)
        program.value_sets[node.lhs].counted = true;
    }
  };
  for (const auto& condition : program.conditions)
    mark(condition.also);
  for (const auto& check : program.checks) {
    for (const auto& target : check.targets)
      mark(target.when);
    for (const auto& other : check.intervals_when)
      mark(other.when);
    mark(check.only_when);
  }
  if (program.review) {
    mark(program.review->merge_when);
    for (const auto& prompt : program.review->prompts)
      mark(prompt.when);
  }
}

runtime::ValueSetDef value_set_def(const CheckedLibrary::ValueSet& set) {
  const ast::CodesDecl& decl = *set.decl;
  runtime::ValueSetDef def;
  def.name = decl.name.name;
  def.rule = rule_ref(*set.file, decl);
  if (decl.measured) {
    def.unit = decl.measured->unit.text;
    for (const ast::Conversion& conversion : decl.measured->conversions) {
      const LinearForm linear = linear_form(conversion.by);
      def.conversions.push_back({conversion.from.text, linear.scale, linear.offset});
    }
  }
  return def;
}

std::vector<runtime::TargetDef> targets(const ast::RulesetFile& file, const ast::CheckDecl& check,
                                        const Names& names) {
  std::vector<runtime::TargetDef> out;
  for (const ast::TargetDecl& target : check.targets) {
    runtime::TargetDef def;
    for (const ast::Bound& bound : target.bounds) {
      def.bounds.push_back(
          {names.value_sets.at(bound.value_set.name), bound.op, bound.limit, bound.unit.text});
    }
    def.when = flatten(target.when, names);
    def.rule = rule_ref(file, target);
    out.push_back(std::move(def));
  }
  return out;
}

// The person model: at most one of each modifier (the checker has seen to it). Its rule is
// the first modifier declared.
runtime::PersonModel person_model(const CheckedLibrary& library, const Names& names) {
  runtime::PersonModel person;
  bool located = false;
  const auto locate = [&](const ast::RulesetFile& file, const ast::Located& at) {
    if (!located) person.rule = rule_ref(file, at);
    located = true;
  };
  for_each_decl<ast::FrailtyDecl>(
      library, [&](const ast::RulesetFile& file, const ast::FrailtyDecl& decl) {
        std::optional<runtime::ValueSetIndex>* levels[] = {
            &person.frailty_mild, &person.frailty_moderate, &person.frailty_severe};
        *levels[decl.level - 1] = names.value_sets.at(decl.value_set.name);
        locate(file, decl);
      });
  for_each_decl<ast::EndOfLifeDecl>(
      library, [&](const ast::RulesetFile& file, const ast::EndOfLifeDecl& decl) {
        person.end_of_life = names.value_sets.at(decl.value_set.name);
        for (const ast::Identifier& check : decl.suppresses)
          person.end_of_life_suppresses.push_back(check.name);
        locate(file, decl);
      });
  for_each_decl<ast::ActivationDecl>(
      library, [&](const ast::RulesetFile& file, const ast::ActivationDecl& decl) {
        person.activation = names.value_sets.at(decl.value_set.name);
        locate(file, decl);
      });
  return person;
}

std::vector<runtime::SuppressionDef> suppressions(const CheckedLibrary& library,
                                                  const Names& names) {
  std::vector<runtime::SuppressionDef> out;
  for_each_decl<ast::SuppressDecl>(
      library, [&](const ast::RulesetFile& file, const ast::SuppressDecl& decl) {
        runtime::SuppressionDef def;
        if (const auto it = names.conditions.find(decl.scope.name); it != names.conditions.end()) {
          def.condition = it->second;
        } else {
          def.check = decl.scope.name;
        }
        def.value_set = names.value_sets.at(decl.value_set.name);
        def.reason = decl.reason.name;
        if (decl.lasts) {
          def.lasts = interval(*decl.lasts);
        } else {
          def.until_season_end = true;
        }
        def.rule = rule_ref(file, decl);
        out.push_back(std::move(def));
      });
  return out;
}

runtime::ConversationLength conversation_length(const ast::StageDecl& stage) {
  runtime::ConversationLength length;  // the runtime's defaults when the stage says nothing
  if (!stage.minutes) return length;
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

runtime::ReviewPolicy compile_review(const CheckedLibrary::Review& review, const Names& names) {
  const ast::ReviewDecl& decl = *review.decl;
  runtime::ReviewPolicy policy;
  policy.id = decl.name.name;
  policy.title = decl.title;
  policy.sources = decl.sources;
  ExprFlattener(policy.merge_when, names).add(decl.merge_when);
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
    policy.prompts.push_back({ask.name.name, ask.text, flatten(ask.when, names)});
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

  const Names names(library);
  for (const auto& set : library.value_sets) {
    const auto index = static_cast<runtime::ValueSetIndex>(program.value_sets.size());
    program.value_sets.push_back(value_set_def(set));
    for (const runtime::Code& code : set.codes)
      program.add_code(index, code.system(), code.value());
  }
  program.functions = library.functions;

  for (const auto& condition : library.conditions) {
    const ast::ConditionDecl& decl = *condition.decl;
    runtime::ConditionDef def;
    def.id = decl.name.name;
    def.title = decl.title;
    def.diagnosis = condition.diagnosis;
    def.resolved = condition.resolved;
    ExprFlattener(def.also, names).add_all(decl.also);
    def.sources = decl.sources;
    def.ruleset = condition.file->header.name.name;
    def.rule = rule_ref(*condition.file, decl);
    program.conditions.push_back(std::move(def));
  }

  // Checks `for frailty >= LEVEL` name the pseudo-condition `frailty` (CLINICAL R3), which
  // comes after every declared condition so that their indices do not move.
  std::optional<runtime::ConditionIndex> frailty;
  for (const auto& check : library.checks) {
    if (check.frailty == 0 || frailty) continue;
    frailty = static_cast<runtime::ConditionIndex>(program.conditions.size());
    runtime::ConditionDef def;
    def.id = "frailty";
    def.title = "Frailty";
    def.frailty = true;
    def.ruleset = check.file->header.name.name;
    def.rule = rule_ref(*check.file, *check.decl);
    program.conditions.push_back(std::move(def));
  }

  for (const auto& check : library.checks) {
    const ast::CheckDecl& decl = *check.decl;
    runtime::CheckDef def;
    def.id = decl.name.name;
    def.title = decl.title;
    def.condition = check.frailty ? *frailty : check.condition;
    def.frailty = check.frailty;
    def.stage = decl.stage.kind;
    if (const auto* every = boost::get<ast::Recurring>(&decl.every.get())) {
      def.interval = interval(every->interval);
      def.first_from_onset = every->from_onset;
    } else if (const auto* season = boost::get<ast::SeasonStart>(&decl.every.get())) {
      def.interval = {12, runtime::IntervalUnit::months};
      def.season = runtime::SeasonStart{season->month, season->day};
    } else {
      // Raised in the 12 months after onset (CLINICAL R3.dep: a diagnosis in the last year).
      const auto& window = boost::get<ast::OnsetWindow>(decl.every.get());
      def.interval = {12, runtime::IntervalUnit::months};
      def.after_onset = runtime::AfterOnset{{window.from, window.unit}, {window.to, window.unit}};
    }
    for (const ast::IntervalWhen& other : decl.intervals_when)
      def.intervals_when.push_back({interval(other.interval), flatten(other.when, names)});
    if (decl.only_when) def.only_when = flatten(*decl.only_when, names);
    def.done_by = check.done_by;
    def.targets = targets(*check.file, decl, names);
    def.sources = decl.sources;
    def.rule = rule_ref(*check.file, decl);
    program.checks.push_back(std::move(def));
  }

  program.suppressions = suppressions(library, names);
  program.person = person_model(library, names);
  if (library.review) program.review = compile_review(*library.review, names);
  mark_counted(program);
  return program;
}

}  // namespace concord::dsl
