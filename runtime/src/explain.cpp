#include <algorithm>
#include <sstream>

#include "assess.hpp"
#include "concord/runtime/render.hpp"
#include "fact_index.hpp"

namespace concord::runtime {
namespace {

std::string where(const RuleRef& rule) {
  return rule.file + ":" + std::to_string(rule.line);
}

std::string number(double v) {
  std::ostringstream out;
  out << v;
  return out.str();
}

std::string measures_text(const Measures& m) {
  std::string text = "conditions " + std::to_string(m.conditions) + ", regular medicines " +
                     std::to_string(m.medicines);
  if (m.age >= 0) text += ", age " + std::to_string(m.age);
  static const char* frailty[] = {"none recorded", "mild", "moderate", "severe"};
  text += ", frailty " + std::string(frailty[m.frailty]);
  if (m.activation) text += ", activation level " + std::to_string(m.activation);
  if (m.end_of_life) text += ", on the palliative care register";
  return text;
}

void explain_target(const Program& program, const TargetResult& t,
                    std::vector<std::string>& facts) {
  for (const BoundResult& b : t.bounds) {
    const std::string& set = program.value_sets[b.bound->value_set].name;
    std::string fact = "target (" + where(t.target->rule) + "): latest " + set + " ";
    if (b.value) {
      fact += number(*b.value) + " " + b.bound->unit + " on " + b.measured->iso() +
              (*b.met ? " meets " : " misses ") + "the limit " + number(b.bound->limit);
    } else if (b.measured) {
      fact += "recorded in " + b.recorded_unit + ", which does not convert to " + b.bound->unit;
    } else {
      fact += "never measured";
    }
    facts.push_back(std::move(fact));
  }
}

std::string joined(const std::vector<std::string>& clauses) {
  std::string text;
  for (const std::string& clause : clauses)
    text += (text.empty() ? "" : "; ") + clause;
  return text;
}

// A rule's `when` and the clauses that decided it: "when age >= 80 (age 83): yes".
std::string when_text(const Program& program, const Expr& when, const Measures& about) {
  return "when " + joined(deciding_clauses(program, when, about));
}

// `or every N UNIT when`: each alternative interval with why it held or not; the last that
// holds applies, else the check's own.
void explain_interval(const Program& program, const CheckDef& check, const Reminder& r,
                      const Measures& about, std::vector<std::string>& facts) {
  if (check.intervals_when.empty()) return;
  std::string text = "every " + describe(r.interval) + " (the last interval whose 'when' holds, " +
                     "else every " + describe(check.interval) + "): ";
  bool first = true;
  for (const IntervalWhenDef& other : check.intervals_when) {
    text += std::string(first ? "" : "; ") + (holds(other.when, about) ? "" : "not ") + "every " +
            describe(other.interval) + " " + when_text(program, other.when, about);
    first = false;
  }
  facts.push_back(std::move(text));
}

// Which target applied (the last whose `when` holds) and why the later ones did not.
void explain_target_choice(const Program& program, const CheckDef& check, const Reminder& r,
                           const Measures& about, std::vector<std::string>& facts) {
  const bool chosen = check.targets.size() > 1 ||
                      (check.targets.size() == 1 && !check.targets.front().when.nodes.empty());
  if (!chosen) return;
  const TargetDef* applied = r.target ? r.target->target : nullptr;
  if (!applied) {
    facts.push_back("no target applies");
  } else if (!applied->when.nodes.empty()) {
    facts.push_back("target (" + where(applied->rule) + ") applies " +
                    when_text(program, applied->when, about));
  }
  bool after = applied == nullptr;
  for (const TargetDef& t : check.targets) {
    if (after && !t.when.nodes.empty()) {
      facts.push_back("target (" + where(t.rule) + ") does not apply " +
                      when_text(program, t.when, about));
    }
    if (&t == applied) after = true;
  }
}

}  // namespace

std::vector<Explanation> explain(const Program& program, const Record& record,
                                 const Evaluation& evaluation) {
  std::vector<Explanation> out;
  std::vector<const PresentCondition*> present(program.conditions.size(), nullptr);
  std::vector<bool> present_flags(program.conditions.size(), false);
  for (const PresentCondition& c : evaluation.conditions) {
    present[c.condition] = &c;
    present_flags[c.condition] = true;
  }
  // The rules' expressions asked again, as evaluation asked them, to name the deciding clauses.
  const FactIndex facts(program, record, evaluation.date);
  Measures person = evaluation.person;
  person.facts = &facts;
  person.date = evaluation.date;
  person.present = &present_flags;
  std::optional<ScoreCache> scores;
  if (program.functions)
    person.scores = &scores.emplace(*program.functions, record, evaluation.date);

  for (ConditionIndex i = 0; i < program.conditions.size(); ++i) {
    const ConditionDef& def = program.conditions[i];
    if (def.frailty) continue;  // not a condition: its checks explain the frailty level
    Explanation e{"condition " + def.id, present[i] ? "present" : "absent", where(def.rule), {}};
    const std::string& set = program.value_sets[def.diagnosis].name;
    const std::optional<PresentCondition> diagnosis =
        present[i] ? std::optional<PresentCondition>(*present[i]) : diagnosed(def, i, facts);
    if (diagnosis) {
      e.facts.push_back("diagnosis " + std::string(diagnosis->evidence) + " in " + set +
                        (diagnosis->onset ? ", onset " + diagnosis->onset->text() : ""));
      if (!def.also.nodes.empty()) {
        e.facts.push_back(
            std::string(present[i] ? "and" : "but not") + " what the condition needs besides: " +
            joined(deciding_clauses(program, def.also, about_condition(person, *diagnosis))));
      }
    } else {
      e.facts.push_back(
          "no active diagnosis in " + set + " on " + evaluation.date.iso() +
          (def.resolved ? " after any code in " + program.value_sets[*def.resolved].name : ""));
    }
    out.push_back(std::move(e));
  }

  for (const Reminder& r : evaluation.reminders) {
    const CheckDef& check = program.checks[r.check];
    Explanation e{program.conditions[r.condition].id + "/" + check.id,
                  std::string(to_string(r.status)),
                  where(check.rule),
                  {why(program, r)}};
    // The check's rules see the person as the condition's own rules do (its onset set).
    const PresentCondition* condition = present[r.condition];
    const Measures about = condition ? about_condition(person, *condition) : person;
    if (!check.only_when.nodes.empty())
      e.facts.push_back("asked for only " + when_text(program, check.only_when, about));
    explain_interval(program, check, r, about, e.facts);
    if (r.last_done) {
      e.facts.push_back("last done by entry " + std::string(r.last_done_evidence) + " on " +
                        r.last_done->iso());
    }
    if (r.status == ReminderStatus::suppressed) {
      e.decision += ": " + r.suppressed_reason;
      e.facts.push_back(
          "suppressed by entry " + std::string(r.suppressed_evidence) + " recorded " +
          r.suppressed_since->iso() +
          (r.suppressed_until ? ", until " + r.suppressed_until->iso() : ", no expiry") +
          (r.suppressed_rule ? " (" + where(*r.suppressed_rule) + ")" : ""));
    }
    if (r.target) explain_target(program, *r.target, e.facts);
    explain_target_choice(program, check, r, about, e.facts);
    out.push_back(std::move(e));
  }

  // A check of a present condition asked for `only when` something holds, and it did not.
  for (CheckIndex i = 0; i < program.checks.size(); ++i) {
    const CheckDef& check = program.checks[i];
    const PresentCondition* condition = present[check.condition];
    if (check.only_when.nodes.empty() || !condition) continue;
    const bool raised = std::any_of(
        evaluation.reminders.begin(), evaluation.reminders.end(),
        [&](const Reminder& r) { return r.check == i && r.condition == check.condition; });
    if (raised) continue;
    out.push_back({program.conditions[check.condition].id + "/" + check.id,
                   "not asked",
                   where(check.rule),
                   {"asked for only " +
                    when_text(program, check.only_when, about_condition(person, *condition))}});
  }

  if (program.review) {
    const ReviewPolicy& policy = *program.review;
    Explanation e{
        "review " + policy.id, "none", where(policy.rule), {measures_text(evaluation.person)}};
    if (evaluation.deceased) {
      e.facts.push_back(deceased_text(evaluation));
    } else if (evaluation.conditions.empty()) {
      e.facts.push_back("no condition is present");
    } else if (!evaluation.review) {
      e.facts.push_back("nothing is due or overdue that is not suppressed");
    } else {
      const ReviewResult& review = *evaluation.review;
      e.decision = review.merged ? "merged" : "single";
      e.facts.push_back(std::string(review.merged ? "meets" : "does not meet") +
                        " the policy's merge rule: " +
                        joined(deciding_clauses(program, policy.merge_when, person)));
      e.facts.push_back("replaces " + std::to_string(review.replaces) + " single reminders with " +
                        std::to_string(review.checks.size()) + " checks; conversation on " +
                        review.due_date.iso());
      for (const Prompt& p : policy.prompts) {
        if (p.when.nodes.empty()) continue;
        const bool asked =
            std::find(review.prompts.begin(), review.prompts.end(), &p) != review.prompts.end();
        e.facts.push_back(std::string(asked ? "asks " : "does not ask ") + p.id + " " +
                          when_text(program, p.when, person));
      }
    }
    out.push_back(std::move(e));
  }
  return out;
}

std::string render_explain_text(const Record& record, const Evaluation& evaluation,
                                const std::vector<Explanation>& explanations) {
  std::ostringstream out;
  out << "Why, for record " << (record.id.empty() ? "(no id)" : record.id) << " on "
      << evaluation.date.iso() << ":\n";
  for (const Explanation& e : explanations) {
    out << "\n" << e.subject << ": " << e.decision << "   [" << e.rule << "]\n";
    for (const std::string& f : e.facts)
      out << "  - " << f << "\n";
  }
  return out.str();
}

}  // namespace concord::runtime
