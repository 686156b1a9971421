#include "fact_index.hpp"

#include <algorithm>

namespace concord::runtime {
namespace {

FactKind fact_kind_of(EventKind kind) {
  switch (kind) {
    case EventKind::observation:
      return FactKind::observation;
    case EventKind::procedure:
      return FactKind::procedure;
    case EventKind::immunization:
      return FactKind::immunization;
    case EventKind::flag:
    case EventKind::encounter:
      break;
  }
  return FactKind::any;  // counted only by rules that accept any coded entry
}

}  // namespace

template <typename Fn>
void FactIndex::for_each_set(const Program& program, const std::vector<Code>& codes, Fn&& fn) {
  // A fact coded twice in one value set (SNOMED and Read, say) must count once.
  for (std::size_t i = 0; i < codes.size(); ++i) {
    for (ValueSetIndex set : program.sets_of(codes[i].key())) {
      bool seen = false;
      for (std::size_t j = 0; j < i && !seen; ++j) {
        const auto& earlier = program.sets_of(codes[j].key());
        seen = std::binary_search(earlier.begin(), earlier.end(), set);
      }
      if (!seen) fn(set);
    }
  }
}

void FactIndex::note(ValueSetIndex set, FactKind kind, const FactRef& fact) {
  if (program_.value_sets[set].counted) sets_[set].dated.emplace_back(fact.date, kind);
  for (FactKind k : {kind, FactKind::any}) {
    auto& slot = sets_[set].latest[static_cast<std::size_t>(k)];
    if (!slot || slot->date < fact.date) slot = fact;
    auto& first = sets_[set].earliest[static_cast<std::size_t>(k)];
    if (!first || fact.date < first->date) first = fact;
  }
}

void FactIndex::note_value(ValueSetIndex set, const ValueRef& value) {
  auto& slot = sets_[set].latest_value;
  if (!slot || slot->date < value.date) slot = value;
}

int FactIndex::days_with(ValueSetIndex set, FactKind kind, std::optional<Date> since) const {
  std::vector<Date> days;
  for (const auto& [day, k] : sets_[set].dated) {
    if ((kind == FactKind::any || k == kind) && (!since || *since < day)) days.push_back(day);
  }
  std::sort(days.begin(), days.end());
  return static_cast<int>(std::unique(days.begin(), days.end()) - days.begin());
}

FactIndex::FactIndex(const Program& program, const Record& record, Date date)
    : sets_(program.value_sets.size()), program_(program) {
  for (const Diagnosis& d : record.diagnoses) {
    if (d.refuted) continue;
    const bool started = !d.onset || d.onset->date <= date;
    const bool active = started && !d.resolved && !(d.abatement && d.abatement->date <= date);
    for_each_set(program, d.codes, [&](ValueSetIndex set) {
      if (active) sets_[set].diagnoses.push_back(&d);
      // A dated diagnosis entry is also a coded entry: a resolution code is often recorded
      // as a problem of its own ("Diabetes resolved").
      if (d.onset && d.onset->date <= date) note(set, FactKind::any, {d.onset->date, &d.id});
    });
  }
  for (const Event& e : record.events) {
    if (!e.date || date < e.date->date) continue;
    const FactRef fact{e.date->date, &e.id};
    for_each_set(program, e.codes, [&](ValueSetIndex set) {
      note(set, fact_kind_of(e.kind), fact);
      if (e.quantity) note_value(set, {fact.date, &*e.quantity, &e.id});
    });
    for (const Component& c : e.components) {
      if (!c.quantity) continue;
      for_each_set(program, c.codes, [&](ValueSetIndex set) {
        note_value(set, {fact.date, &*c.quantity, &e.id});
      });
    }
  }
  for (const Medication& m : record.medications) {
    if (m.active && (!m.start || m.start->date <= date)) {
      for_each_set(program, m.codes,
                   [&](ValueSetIndex set) { sets_[set].active_medication = true; });
    }
    if (!m.start || date < m.start->date) continue;
    const FactRef fact{m.start->date, &m.id};
    for_each_set(program, m.codes,
                 [&](ValueSetIndex set) { note(set, FactKind::medication, fact); });
  }
}

}  // namespace concord::runtime
