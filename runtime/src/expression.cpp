#include <array>
#include <memory>
#include <string>
#include <vector>

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

// The latest fact of the kind in value set lhs is also in value set rhs: no fact in lhs is
// later than the latest in rhs. Several facts on that latest day: any of them will do.
bool latest_is_in(const ExprNode& n, const Measures& m) {
  if (!m.facts) return false;
  const auto latest = m.facts->latest(n.lhs, n.kind);
  const auto in_rhs = m.facts->latest(n.rhs, n.kind);
  return latest && in_rhs && !(in_rhs->date < latest->date);
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

namespace {

// The nodes refer only to earlier nodes, so one forward pass evaluates the whole tree.
void evaluate_nodes(const Expr& expr, const Measures& measures, bool* value) {
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
      case ExprNode::Op::latest_in:
        value[i] = latest_is_in(n, measures);
        break;
      case ExprNode::Op::has_condition:
        value[i] =
            measures.present && n.lhs < measures.present->size() && (*measures.present)[n.lhs];
        break;
    }
  }
}

std::string_view symbol(Comparison op) {
  static constexpr std::string_view symbols[] = {"<", "<=", ">", ">=", "=", "!="};
  return symbols[static_cast<int>(op)];
}

std::string number_text(double v) {
  std::string text = std::to_string(v);
  text.erase(text.find_last_not_of('0') + 1);
  if (text.back() == '.') text.pop_back();
  return text;
}

std::string_view kind_word(FactKind kind) {
  static constexpr std::string_view words[] = {"observation", "procedure", "immunization",
                                               "medication", "record"};
  return words[static_cast<int>(kind)];
}

// How a leaf reads in a ruleset, and what the person's record gave it.
class ClauseText {
 public:
  ClauseText(const Program& program, const Measures& m) : program_(program), m_(m) {}

  std::string operator()(const ExprNode& n) const {
    switch (n.op) {
      case ExprNode::Op::compare:
        return measure(n);
      case ExprNode::Op::has_fact:
        return fact(n);
      case ExprNode::Op::count_facts:
        return count(n);
      case ExprNode::Op::score:
        return score(n);
      case ExprNode::Op::latest_in:
        return latest_in(n);
      case ExprNode::Op::has_condition:
        return program_.conditions[n.lhs].id;
      default:
        return {};
    }
  }

 private:
  std::string measure(const ExprNode& n) const {
    static constexpr const char* levels[] = {"none", "mild", "moderate", "severe"};
    const bool level = n.measure == Measure::frailty && n.number >= 0 && n.number <= 3;
    std::string text = std::string(to_string(n.measure)) + " " + std::string(symbol(n.comparison)) +
                       " " + (level ? levels[static_cast<int>(n.number)] : number_text(n.number));
    if (n.measure == Measure::age && m_.age < 0) return text + " (no birth date recorded)";
    if (n.measure == Measure::frailty) return text + " (frailty " + levels[m_.frailty] + ")";
    return text + " (" + std::string(to_string(n.measure)) + " " +
           number_text(value_of(n.measure, m_)) + ")";
  }

  std::string fact(const ExprNode& n) const {
    std::string text = std::string(kind_word(n.kind)) + " in " + program_.value_sets[n.lhs].name;
    if (n.within.count) text += " within " + describe(n.within);
    if (n.relation != ExprNode::Relation::any) {
      text += n.relation == ExprNode::Relation::after ? " after " : " before ";
      text += n.from_onset ? "onset" : n.moment.iso();
    }
    if (!m_.facts) return text;
    const bool before = n.relation == ExprNode::Relation::before;
    const auto found = before ? m_.facts->earliest(n.lhs, n.kind) : m_.facts->latest(n.lhs, n.kind);
    if (found) return text + " (" + (before ? "earliest " : "latest ") + found->date.iso() + ")";
    return text + " (none on record)";
  }

  std::string count(const ExprNode& n) const {
    std::string text =
        "count " + std::string(kind_word(n.kind)) + " in " + program_.value_sets[n.lhs].name;
    std::optional<Date> since;
    if (n.within.count) {
      text += " within " + describe(n.within);
      since = add_interval(m_.date, {-n.within.count, n.within.unit});
    }
    text += " " + std::string(symbol(n.comparison)) + " " + number_text(n.number);
    if (!m_.facts) return text;
    return text + " (" + std::to_string(m_.facts->days_with(n.lhs, n.kind, since)) + " days)";
  }

  std::string latest_in(const ExprNode& n) const {
    const std::string text = "latest " + std::string(kind_word(n.kind)) + " in " +
                             program_.value_sets[n.lhs].name + " is in " +
                             program_.value_sets[n.rhs].name;
    if (!m_.facts) return text;
    const auto latest = m_.facts->latest(n.lhs, n.kind);
    if (!latest) return text + " (none on record)";
    const auto in_rhs = m_.facts->latest(n.rhs, n.kind);
    return text + " (latest " + latest->date.iso() + "; in " + program_.value_sets[n.rhs].name +
           ": " + (in_rhs ? "latest " + in_rhs->date.iso() : "none on record") + ")";
  }

  std::string score(const ExprNode& n) const {
    const std::string name = program_.functions && n.lhs < program_.functions->names().size()
                                 ? program_.functions->names()[n.lhs]
                                 : "?";
    const std::string text =
        "score " + name + " " + std::string(symbol(n.comparison)) + " " + number_text(n.number);
    const std::optional<double> value = m_.scores ? m_.scores->get(n.lhs) : std::nullopt;
    return text + (value ? " (score " + number_text(*value) + ")" : " (could not be computed)");
  }

  const Program& program_;
  const Measures& m_;
};

// The clauses under node i that make it come out as it does: for a false `and`, its false
// sides; for a true `or`, its first true side; otherwise both sides.
void deciding(const Expr& expr, const std::vector<char>& value, std::size_t i, bool negated,
              const ClauseText& text, std::vector<std::string>& out) {
  const ExprNode& n = expr.nodes[i];
  switch (n.op) {
    case ExprNode::Op::and_:
    case ExprNode::Op::or_: {
      const bool is = value[i] != 0;
      const bool is_or = n.op == ExprNode::Op::or_;
      for (const std::uint32_t child : {n.lhs, n.rhs}) {
        // Skip a side that is not why: a true side of a false `and`, a false side of a true `or`.
        if ((value[child] != 0) != is && is == is_or) continue;
        deciding(expr, value, child, negated, text, out);
        if (is_or && is) break;
      }
      return;
    }
    case ExprNode::Op::not_:
      deciding(expr, value, n.lhs, !negated, text, out);
      return;
    default:
      out.push_back(std::string(negated ? "not " : "") + text(n) + ": " +
                    ((value[i] != 0) != negated ? "yes" : "no"));
  }
}

}  // namespace

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
  evaluate_nodes(expr, measures, value);
  return value[expr.nodes.size() - 1];
}

std::vector<std::string> deciding_clauses(const Program& program, const Expr& expr,
                                          const Measures& measures) {
  std::vector<std::string> out;
  if (expr.nodes.empty()) return out;
  const auto value = std::make_unique<bool[]>(expr.nodes.size());
  evaluate_nodes(expr, measures, value.get());
  const std::vector<char> values(value.get(), value.get() + expr.nodes.size());
  deciding(expr, values, expr.nodes.size() - 1, false, ClauseText(program, measures), out);
  return out;
}

}  // namespace concord::runtime
