#include <algorithm>

#include "assess.hpp"

namespace concord::runtime {
namespace {

// The end of the flu season in force on a date: the next 31 March on or after it.
Date season_end(Date recorded) {
  const int year = recorded.month() > 3 ? recorded.year() + 1 : recorded.year();
  return *Date::from_ymd(year, 3, 31);
}

struct InForce {
  const SuppressionDef* def;
  FactRef fact;
  Date until;
};

std::optional<InForce> in_force(const SuppressionDef& def, const FactIndex& facts, Date date) {
  const auto fact = facts.latest(def.value_set, FactKind::any);
  if (!fact) return std::nullopt;
  const Date until =
      def.until_season_end ? season_end(fact->date) : add_interval(fact->date, def.lasts);
  if (until < date) return std::nullopt;  // expired: the item is asked again
  return InForce{&def, *fact, until};
}

void suppress(Reminder& r, const InForce& f) {
  r.status = ReminderStatus::suppressed;
  r.suppressed_reason = f.def->reason;
  r.suppressed_since = f.fact.date;
  r.suppressed_until = f.until;
  r.suppressed_evidence = *f.fact.id;
  r.suppressed_rule = &f.def->rule;
  r.suppressed_by = f.def;
}

}  // namespace

void apply_adjustments(const Program& program, const FactIndex& facts, const Measures& person,
                       Date date, std::vector<Reminder>& reminders) {
  // Which adjustments are in force is a property of the person, not of each reminder.
  std::vector<InForce> active;
  for (const SuppressionDef& def : program.suppressions) {
    if (auto f = in_force(def, facts, date)) active.push_back(*f);
  }
  const auto& eol = program.person.end_of_life_suppresses;
  for (Reminder& r : reminders) {
    if (r.status != ReminderStatus::due && r.status != ReminderStatus::overdue) continue;
    const CheckDef& check = program.checks[r.check];
    if (person.end_of_life && std::find(eol.begin(), eol.end(), check.id) != eol.end()) {
      const auto fact = facts.latest(*program.person.end_of_life, FactKind::any);
      r.status = ReminderStatus::suppressed;
      r.suppressed_reason = "end_of_life";
      r.suppressed_since = fact->date;
      r.suppressed_until.reset();
      r.suppressed_evidence = *fact->id;
      r.suppressed_rule = &program.person.rule;
      continue;
    }
    const InForce* scoped = nullptr;
    for (const InForce& f : active) {
      if (f.def->condition && *f.def->condition == r.condition) scoped = &f;
    }
    if (scoped) {
      suppress(r, *scoped);
      continue;
    }
    for (const InForce& f : active) {
      if (!f.def->condition && f.def->check == check.id) scoped = &f;
    }
    if (scoped) suppress(r, *scoped);
  }
}

}  // namespace concord::runtime
