#include <boost/json.hpp>

#include "concord/runtime/render.hpp"

namespace concord::runtime {
namespace json = boost::json;
namespace {

json::value date_or_null(const std::optional<Date>& d) {
  return d ? json::value(d->iso()) : json::value(nullptr);
}

json::array ruleset_list(const Program& program) {
  json::array out;
  for (const RulesetInfo& r : program.rulesets) {
    out.push_back(json::object{{"name", r.name}, {"version", r.version}});
  }
  return out;
}

std::string_view comparison_text(Comparison c) {
  switch (c) {
    case Comparison::lt:
      return "<";
    case Comparison::le:
      return "<=";
    case Comparison::gt:
      return ">";
    case Comparison::ge:
      return ">=";
    case Comparison::eq:
      return "=";
    case Comparison::ne:
      return "!=";
  }
  return "<=";
}

json::value optional_number(const std::optional<double>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}

json::value optional_bool(const std::optional<bool>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}

// The contract's target object describes the first bound ("value", "unit", "limit"); a
// target of several bounds (systolic and diastolic) lists them all in "bounds".
json::value target_json(const Program& program, const TargetResult& t) {
  json::array bounds;
  for (const BoundResult& b : t.bounds) {
    json::object o{{"value_set", program.value_sets[b.bound->value_set].name},
                   {"value", optional_number(b.value)},
                   {"unit", b.bound->unit},
                   {"comparison", comparison_text(b.bound->comparison)},
                   {"limit", b.bound->limit},
                   {"measured", date_or_null(b.measured)},
                   {"met", optional_bool(b.met)}};
    if (!b.recorded_unit.empty()) o["not_comparable_unit"] = b.recorded_unit;
    bounds.push_back(std::move(o));
  }
  const BoundResult& first = t.bounds.front();
  return json::object{{"met", optional_bool(t.met)},
                      {"value", optional_number(first.value)},
                      {"unit", first.bound->unit},
                      {"limit", first.bound->limit},
                      {"bounds", std::move(bounds)}};
}

json::object reminder_json(const Program& program, const Reminder& r) {
  const CheckDef& check = program.checks[r.check];
  json::object o;
  o["condition"] = program.conditions[r.condition].id;
  o["check"] = check.id;
  o["title"] = check.title;
  o["status"] = to_string(r.status);
  o["last_done"] = date_or_null(r.last_done);
  o["due_date"] = r.due_date.iso();
  o["suppressed_reason"] =
      r.suppressed_reason.empty() ? json::value(nullptr) : json::value(r.suppressed_reason);
  o["suppressed_until"] = date_or_null(r.suppressed_until);
  o["target"] = r.target && !r.target->bounds.empty() ? target_json(program, *r.target)
                                                      : json::value(nullptr);
  o["why"] = why(program, r);
  return o;
}

json::value review_json(const Program& program, const Evaluation& evaluation,
                        const ReviewResult& review) {
  json::object o;
  o["policy"] = review.policy->id;
  o["title"] = review.policy->title;
  o["kind"] = review.merged ? "merged" : "single";
  o["due_date"] = review.due_date.iso();
  json::array conditions;
  for (ConditionIndex c : review.conditions)
    conditions.push_back(json::value(program.conditions[c].id));
  o["conditions"] = std::move(conditions);
  o["checks"] = json::value_from(review.checks);
  o["replaces"] = review.replaces;
  // Which single-condition reminders the review stands for (additive to the contract).
  json::array replaced;
  for (const Reminder& r : evaluation.reminders) {
    if (r.status != ReminderStatus::due && r.status != ReminderStatus::overdue) continue;
    replaced.push_back(json::object{{"condition", program.conditions[r.condition].id},
                                    {"check", program.checks[r.check].id}});
  }
  o["replaced"] = std::move(replaced);
  json::array stages;
  for (const StageResult& s : review.stages) {
    json::object st{{"id", s.stage->id},
                    {"kind", to_string(s.stage->kind)},
                    {"title", s.stage->title},
                    {"date", s.date.iso()}};
    if (s.stage->kind == StageKind::conversation) st["minutes"] = s.minutes;
    if (!s.checks.empty() || s.stage->kind != StageKind::letter) {
      st["checks"] = json::value_from(s.checks);
    }
    stages.push_back(std::move(st));
  }
  o["stages"] = std::move(stages);
  json::array prompts;
  for (const Prompt* p : review.prompts)
    prompts.push_back(json::object{{"id", p->id}, {"text", p->text}});
  o["prompts"] = std::move(prompts);
  json::array goals;
  for (const Goal* g : review.goals) {
    goals.push_back(json::object{
        {"text", g->text},
        {"recorded", g->recorded ? json::value(g->recorded->text()) : json::value(nullptr)}});
  }
  o["goals"] = std::move(goals);
  json::array suppressed;
  for (std::size_t i : review.suppressed) {
    const Reminder& r = evaluation.reminders[i];
    suppressed.push_back(json::object{{"condition", program.conditions[r.condition].id},
                                      {"check", program.checks[r.check].id},
                                      {"reason", r.suppressed_reason},
                                      {"until", date_or_null(r.suppressed_until)}});
  }
  o["suppressed"] = std::move(suppressed);
  return o;
}

}  // namespace

std::string render_json(const Program& program, const Record& record, const Evaluation& evaluation,
                        const std::vector<OutputNote>& notes,
                        const std::vector<Explanation>* explanations) {
  json::object out;
  out["concord_output"] = 1;
  out["record"] = json::object{{"id", record.id}, {"source", record.source}};
  out["evaluation_date"] = evaluation.date.iso();
  out["rulesets"] = ruleset_list(program);
  json::array conditions;
  for (const PresentCondition& c : evaluation.conditions) {
    const ConditionDef& def = program.conditions[c.condition];
    conditions.push_back(
        json::object{{"id", def.id},
                     {"title", def.title},
                     {"onset", c.onset ? json::value(c.onset->text()) : json::value(nullptr)}});
  }
  out["conditions"] = std::move(conditions);
  json::array reminders;
  for (const Reminder& r : evaluation.reminders)
    reminders.push_back(reminder_json(program, r));
  out["reminders"] = std::move(reminders);
  out["review"] = evaluation.review ? review_json(program, evaluation, *evaluation.review)
                                    : json::value(nullptr);
  if (evaluation.deceased) {
    // Additive to the contract: why a person with conditions has no reminders.
    out["deceased"] = json::object{
        {"date", evaluation.died ? json::value(evaluation.died->iso()) : json::value(nullptr)}};
  }
  json::array diagnostics;
  if (evaluation.deceased) {
    diagnostics.push_back(json::object{
        {"severity", "note"}, {"where", "Patient"}, {"message", deceased_text(evaluation)}});
  }
  for (const OutputNote& n : notes) {
    diagnostics.push_back(
        json::object{{"severity", n.severity}, {"where", n.where}, {"message", n.message}});
  }
  out["diagnostics"] = std::move(diagnostics);
  if (explanations) {
    json::array explain;
    for (const Explanation& e : *explanations) {
      explain.push_back(json::object{{"subject", e.subject},
                                     {"decision", e.decision},
                                     {"rule", e.rule},
                                     {"facts", json::value_from(e.facts)}});
    }
    out["explain"] = std::move(explain);
  }
  return json::serialize(out);
}

}  // namespace concord::runtime
