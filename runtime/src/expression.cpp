#include <array>
#include <memory>

#include "assess.hpp"
#include "fact_index.hpp"

namespace concord::runtime {
namespace {

double value_of(Measure measure, const Measures& m) {
  switch (measure) {
    case Measure::conditions:
      return m.conditions;
    case Measure::medicines:
      return m.medicines;
    case Measure::age:
      return m.age;
    case Measure::frailty:
      return m.frailty;
    case Measure::activation:
      return m.activation;
    case Measure::end_of_life:
      return m.end_of_life ? 1 : 0;
    case Measure::goals:
      return m.goals;
  }
  return 0;
}

bool compare_measure(const ExprNode& n, const Measures& m) {
  // An unknown age or activation level satisfies no comparison: a rule for people aged 80
  // or more must not fire, and neither must one for people under 80.
  if ((n.measure == Measure::age && m.age < 0) ||
      (n.measure == Measure::activation && m.activation == 0 && n.number != 0)) {
    return false;
  }
  return compare(value_of(n.measure, m), n.comparison, n.number);
}

// A fact in the value set of the kind asked for, recorded on or before the evaluation date and,
// with `within`, after the date that far back. A medication recorded as active is a current
// prescription: it counts as issued on the evaluation date.
bool has_fact(const ExprNode& n, const Measures& m) {
  if (!m.facts) return false;
  const bool medicine = n.kind == FactKind::medication || n.kind == FactKind::any;
  if (medicine && n.relation != ExprNode::Relation::before && m.facts->active_medication(n.lhs)) {
    return true;
  }
  if (n.relation == ExprNode::Relation::before) {
    const auto first = m.facts->earliest(n.lhs, n.kind);
    if (n.from_onset && !m.onset) return false;
    return first && first->date < (n.from_onset ? *m.onset : n.moment);
  }
  const auto fact = m.facts->latest(n.lhs, n.kind);
  if (!fact) return false;
  if (n.relation == ExprNode::Relation::after) {
    if (n.from_onset && !m.onset) return false;
    if (!((n.from_onset ? *m.onset : n.moment) < fact->date)) return false;
  }
  if (n.within.count == 0) return true;
  return add_interval(m.date, {-n.within.count, n.within.unit}) < fact->date;
}

// How many days have such a fact (on or before the evaluation date and, with `within`, after
// the date that far back), compared with a number. A medication counts from its start date.
bool compare_count(const ExprNode& n, const Measures& m) {
  if (!m.facts) return false;
  std::optional<Date> since;
  if (n.within.count != 0) since = add_interval(m.date, {-n.within.count, n.within.unit});
  return compare(m.facts->days_with(n.lhs, n.kind, since), n.comparison, n.number);
}

// A score compared with a number; an unknown score (no functions, or one that could not be
// computed) satisfies no comparison, as an unknown age does not.
bool compare_score(const ExprNode& n, const Measures& m) {
  if (!m.scores) return false;
  const std::optional<double> score = m.scores->get(n.lhs);
  return score && compare(*score, n.comparison, n.number);
}

}  // namespace

std::optional<double> ScoreCache::get(std::size_t slot) const {
  if (slot >= values_.size()) values_.resize(slot + 1);
  if (!values_[slot]) values_[slot] = functions_.call(slot, record_, date_);
  return *values_[slot];
}

bool compare(double lhs, Comparison op, double rhs) {
  switch (op) {
    case Comparison::lt:
      return lhs < rhs;
    case Comparison::le:
      return lhs <= rhs;
    case Comparison::gt:
      return lhs > rhs;
    case Comparison::ge:
      return lhs >= rhs;
    case Comparison::eq:
      return lhs == rhs;
    case Comparison::ne:
      return lhs != rhs;
  }
  return false;
}

// The nodes refer only to earlier nodes, so one forward pass evaluates the whole tree.
bool holds(const Expr& expr, const Measures& measures) {
  if (expr.nodes.empty()) return true;
  // Expressions are small (a policy rule, a target's `when`): keep their values on the stack
  // so that evaluation, which asks many of them per person, does not allocate.
  constexpr std::size_t kOnStack = 64;
  std::array<bool, kOnStack> small{};
  std::unique_ptr<bool[]> large;
  bool* value = small.data();
  if (expr.nodes.size() > kOnStack) {
    large = std::make_unique<bool[]>(expr.nodes.size());
    value = large.get();
  }
  for (std::size_t i = 0; i < expr.nodes.size(); ++i) {
    const ExprNode& n = expr.nodes[i];
    switch (n.op) {
      case ExprNode::Op::compare:
        value[i] = compare_measure(n, measures);
        break;
      case ExprNode::Op::and_:
        value[i] = value[n.lhs] && value[n.rhs];
        break;
      case ExprNode::Op::or_:
        value[i] = value[n.lhs] || value[n.rhs];
        break;
      case ExprNode::Op::not_:
        value[i] = !value[n.lhs];
        break;
      case ExprNode::Op::has_fact:
        value[i] = has_fact(n, measures);
        break;
      case ExprNode::Op::count_facts:
        value[i] = compare_count(n, measures);
        break;
      case ExprNode::Op::score:
        value[i] = compare_score(n, measures);
        break;
      case ExprNode::Op::has_condition:
        value[i] =
            measures.present && n.lhs < measures.present->size() && (*measures.present)[n.lhs];
        break;
    }
  }
  return value[expr.nodes.size() - 1];
}

}  // namespace concord::runtime
