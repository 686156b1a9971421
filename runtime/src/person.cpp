#include <unordered_set>

#include "assess.hpp"

namespace concord::runtime {
namespace {

// Regular medicines: distinct active entries that had started by the date. Two entries for
// the same product (a repeat re-issued) count once.
int count_medicines(const Record& record, Date date) {
  std::unordered_set<std::string_view> seen;
  for (const Medication& m : record.medications) {
    if (!m.active || (m.start && date < m.start->date)) continue;
    seen.insert(m.codes.empty() ? std::string_view(m.id) : std::string_view(m.codes.front().key()));
  }
  return static_cast<int>(seen.size());
}

int age_at(const Record& record, Date date) {
  if (!record.birth_date) return -1;
  const Date born = record.birth_date->date;
  int years = date.year() - born.year();
  if (date.month() < born.month() || (date.month() == born.month() && date.day() < born.day())) {
    --years;
  }
  return years < 0 ? -1 : years;
}

// R6: frailty is the latest coded severity; a later "mild" replaces an earlier "severe".
int frailty_level(const PersonModel& person, const FactIndex& facts) {
  const std::optional<ValueSetIndex> sets[] = {person.frailty_mild, person.frailty_moderate,
                                               person.frailty_severe};
  int level = 0;
  std::optional<Date> latest;
  for (int i = 0; i < 3; ++i) {
    if (!sets[i]) continue;
    const auto fact = facts.latest(*sets[i], FactKind::any);
    // On the same day the more severe grade wins: the cautious reading.
    if (fact && (!latest || *latest <= fact->date)) {
      latest = fact->date;
      level = i + 1;
    }
  }
  return level;
}

// The PAM level: the latest value in the set when it is a whole number 1-4.
int activation_level(const PersonModel& person, const FactIndex& facts) {
  if (!person.activation) return 0;
  const auto& value = facts.latest_value(*person.activation);
  if (!value) return 0;
  const double v = value->quantity->value;
  return (v == 1 || v == 2 || v == 3 || v == 4) ? static_cast<int>(v) : 0;
}

}  // namespace

Measures measure_person(const Program& program, const Record& record, const FactIndex& facts,
                        Date date) {
  Measures m;
  m.medicines = count_medicines(record, date);
  m.age = age_at(record, date);
  m.frailty = frailty_level(program.person, facts);
  m.activation = activation_level(program.person, facts);
  m.end_of_life = program.person.end_of_life &&
                  facts.latest(*program.person.end_of_life, FactKind::any).has_value();
  m.goals = static_cast<int>(record.goals.size());
  return m;
}

}  // namespace concord::runtime
