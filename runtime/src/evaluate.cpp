#include "concord/runtime/evaluate.hpp"

#include <algorithm>

#include "assess.hpp"
#include "fact_index.hpp"
#include "merge.hpp"

namespace concord::runtime {

std::string_view to_string(ReminderStatus status) {
  switch (status) {
    case ReminderStatus::due:
      return "due";
    case ReminderStatus::overdue:
      return "overdue";
    case ReminderStatus::not_due:
      return "not_due";
    case ReminderStatus::suppressed:
      return "suppressed";
  }
  return "due";
}

Date add_interval(Date from, Interval interval) {
  switch (interval.unit) {
    case IntervalUnit::days:
      return from.plus_days(interval.count);
    case IntervalUnit::weeks:
      return from.plus_days(interval.count * 7);
    case IntervalUnit::months:
      return from.plus_months(interval.count);
    case IntervalUnit::years:
      return from.plus_months(interval.count * 12);
  }
  return from;
}

std::string describe(Interval interval) {
  static constexpr const char* names[][2] = {
      {"day", "days"}, {"week", "weeks"}, {"month", "months"}, {"year", "years"}};
  const auto& name = names[static_cast<int>(interval.unit)];
  return std::to_string(interval.count) + " " + name[interval.count == 1 ? 0 : 1];
}

std::string deceased_text(const Evaluation& evaluation) {
  return (evaluation.died ? "the record says the person died on " + evaluation.died->iso()
                          : std::string("the record says the person has died")) +
         ": no reminder and no review";
}

// R2: present when an active diagnosis in the set started on or before the date and no
// resolution code was recorded after it. A diagnosis made again after a resolution counts.
std::optional<PresentCondition> diagnosed(const ConditionDef& def, ConditionIndex index,
                                          const FactIndex& facts) {
  std::optional<Date> resolved_on;
  if (def.resolved) {
    if (auto r = facts.latest(*def.resolved, FactKind::any)) resolved_on = r->date;
  }
  std::optional<PresentCondition> found;
  for (const Diagnosis* d : facts.active_diagnoses(def.diagnosis)) {
    // An undated diagnosis cannot be shown to follow a resolution, so the resolution wins.
    if (resolved_on && (!d->onset || d->onset->date <= *resolved_on)) continue;
    const bool earlier =
        !found || (d->onset && (!found->onset || d->onset->date < found->onset->date));
    if (earlier) found = PresentCondition{index, d->onset, d->id};
  }
  return found;
}

Measures about_condition(const Measures& person, const PresentCondition& condition) {
  Measures about = person;
  if (condition.onset) about.onset = condition.onset->date;
  return about;
}

namespace {

// A diagnosis, and what else the condition asks for.
std::optional<PresentCondition> presence(const ConditionDef& def, ConditionIndex index,
                                         const FactIndex& facts, const Measures& person) {
  auto found = diagnosed(def, index, facts);
  if (found && !holds(def.also, about_condition(person, *found))) return std::nullopt;
  return found;
}

// R3.dep: a check due once in a window after onset is done by any fact from the window's
// start on (a late review still ends the reminder); its due date is the window's end.
std::optional<Reminder> remind_after_onset(const CheckDef& check, Reminder r,
                                           const FactIndex& facts, std::optional<Date> onset,
                                           Date date, Date window_end) {
  if (!onset || !(date < add_interval(*onset, check.interval))) return std::nullopt;
  const Date open = add_interval(*onset, check.after_onset->from);
  r.due_date = add_interval(*onset, check.after_onset->to);
  for (const DoneBy& done : check.done_by) {
    if (auto fact = facts.latest(done.value_set, done.kind); fact && open <= fact->date) {
      if (!r.last_done || *r.last_done < fact->date) {
        r.last_done = fact->date;
        r.last_done_evidence = *fact->id;
      }
    }
  }
  r.status = r.last_done                ? ReminderStatus::not_due
             : r.due_date < date        ? ReminderStatus::overdue
             : r.due_date <= window_end ? ReminderStatus::due
                                        : ReminderStatus::not_due;
  return r;
}

// R6.flu: a seasonal check is due once each season. The season in force is the one that
// started on the latest start day on or before the evaluation date, and it runs to the
// 31 March after its start. A fact since that start means done for this season (before the
// next start day, last season's vaccination still counts), and the check is next due at the
// next season's start. Not done: overdue from the start while the season runs; once it has
// ended, the next season's start is what is due (a missed season cannot be caught up).
std::optional<Reminder> remind_in_season(const CheckDef& check, Reminder r, const FactIndex& facts,
                                         Date date, Date window_end) {
  const SeasonStart& season = *check.season;
  const auto start_in = [&](int year) { return *Date::from_ymd(year, season.month, season.day); };
  const Date start = start_in(start_in(date.year()) <= date ? date.year() : date.year() - 1);
  const Date next_start = start_in(start.year() + 1);
  const Date season_end =
      *Date::from_ymd(start.month() > 3 ? start.year() + 1 : start.year(), 3, 31);
  for (const DoneBy& done : check.done_by) {
    if (auto fact = facts.latest(done.value_set, done.kind)) {
      if (!r.last_done || *r.last_done < fact->date) {
        r.last_done = fact->date;
        r.last_done_evidence = *fact->id;
      }
    }
  }
  if (!r.last_done || *r.last_done < start) {
    if (!(season_end < date)) {
      r.due_date = start;
      r.status = ReminderStatus::overdue;
      return r;
    }
  }
  r.due_date = next_start;
  r.status = r.due_date <= window_end ? ReminderStatus::due : ReminderStatus::not_due;
  return r;
}

std::optional<Reminder> remind(const Program& program, const CheckDef& check, CheckIndex index,
                               const FactIndex& facts, const Measures& person,
                               std::optional<Date> onset, Date date, Date window_end) {
  Measures about = person;
  about.onset = onset;
  if (!holds(check.only_when, about)) return std::nullopt;  // `only when`: not asked for now
  Reminder r;
  r.condition = check.condition;
  r.check = index;
  r.target = assess_target(program, check, facts, about);
  r.interval = check.interval;
  for (const IntervalWhenDef& other : check.intervals_when) {
    if (holds(other.when, about)) r.interval = other.interval;
  }
  if (check.after_onset)
    return remind_after_onset(check, std::move(r), facts, onset, date, window_end);
  if (check.season) return remind_in_season(check, std::move(r), facts, date, window_end);
  for (const DoneBy& done : check.done_by) {
    if (auto fact = facts.latest(done.value_set, done.kind)) {
      if (!r.last_done || *r.last_done < fact->date) {
        r.last_done = fact->date;
        r.last_done_evidence = *fact->id;
      }
    }
  }
  // `from onset`: the interval runs from the onset when nothing since it was done.
  std::optional<Date> since = r.last_done;
  if (check.first_from_onset && onset && (!since || *since < *onset)) {
    since = onset;
    r.counted_from_onset = onset;
  }
  if (!since) {
    r.due_date = date;
    r.status = ReminderStatus::overdue;
    return r;
  }
  r.due_date = add_interval(*since, r.interval);
  r.status = r.due_date < date          ? ReminderStatus::overdue
             : r.due_date <= window_end ? ReminderStatus::due
                                        : ReminderStatus::not_due;
  return r;
}

}  // namespace

Evaluation evaluate(const Program& program, const Record& record, Date date) {
  Evaluation result;
  result.date = date;
  const FactIndex facts(program, record, date);

  // The person's measures come first: a condition's presence may ask for facts or age (never
  // for other conditions, so the count of conditions is not known yet and not needed).
  Measures person = measure_person(program, record, facts, date);
  person.facts = &facts;
  person.date = date;
  std::optional<ScoreCache> scores;
  if (program.functions) person.scores = &scores.emplace(*program.functions, record, date);
  std::vector<bool> present(program.conditions.size(), false);
  for (ConditionIndex i = 0; i < program.conditions.size(); ++i) {
    if (program.conditions[i].frailty) continue;  // checks for frailty look at the level
    if (auto p = presence(program.conditions[i], i, facts, person)) {
      present[i] = true;
      result.conditions.push_back(std::move(*p));
    }
  }

  person.conditions = static_cast<int>(result.conditions.size());
  person.present = &present;

  // Nobody is reminded about, invited to or written to after their death.
  if (record.deceased && (!record.death_date || !(date < record.death_date->date))) {
    result.deceased = true;
    if (record.death_date) result.died = record.death_date->date;
    result.person = person;
    result.person.present = nullptr;
    result.person.facts = nullptr;
    result.person.scores = nullptr;
    return result;
  }

  // R1: a check is "due" when its due date falls within the review's gather window.
  const Interval window =
      program.review ? program.review->gather : Interval{3, IntervalUnit::months};
  const Date window_end = add_interval(date, window);
  std::vector<std::optional<Date>> onsets(program.conditions.size());
  for (const PresentCondition& c : result.conditions) {
    if (c.onset) onsets[c.condition] = c.onset->date;
  }
  for (CheckIndex i = 0; i < program.checks.size(); ++i) {
    const CheckDef& check = program.checks[i];
    // R3, R6: a check for a frailty level is raised at that level or above, whatever the
    // person's conditions; any other check for a condition the person has.
    if (check.frailty ? person.frailty < check.frailty : !present[check.condition]) continue;
    if (auto r =
            remind(program, check, i, facts, person, onsets[check.condition], date, window_end)) {
      result.reminders.push_back(std::move(*r));
    }
  }
  apply_adjustments(program, facts, person, date, result.reminders);

  if (program.review) {
    result.review = merge(program, *program.review, record, result, person);
  }
  result.person = person;
  result.person.present = nullptr;  // `present`, `facts` and `scores` live only as long as
  result.person.facts = nullptr;    // this call
  result.person.scores = nullptr;
  return result;
}

}  // namespace concord::runtime
