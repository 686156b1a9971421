#include <cstddef>

#include "concord/runtime/view.hpp"

namespace concord::runtime {

ViewSnapshot::ViewSnapshot(const Record& record, const Evaluation& evaluation)
    : evaluation_(evaluation) {
  record_.id = record.id;
  record_.source = record.source;
  record_.birth_date = record.birth_date;
  record_.sex = record.sex;
  record_.deceased = record.deceased;
  record_.death_date = record.death_date;
  record_.goals = record.goals;

  // Everything in an Evaluation that points into the record is rebound to the copy.
  for (PresentCondition& c : evaluation_.conditions)
    c.evidence = keep(c.evidence);
  for (Reminder& r : evaluation_.reminders) {
    r.last_done_evidence = keep(r.last_done_evidence);
    r.suppressed_evidence = keep(r.suppressed_evidence);
  }
  if (evaluation_.review) {
    for (const Goal*& goal : evaluation_.review->goals) {
      const auto at = static_cast<std::size_t>(goal - record.goals.data());
      goal = at < record_.goals.size() ? &record_.goals[at] : nullptr;
    }
    std::erase(evaluation_.review->goals, nullptr);
  }
}

std::string_view ViewSnapshot::keep(std::string_view id) {
  if (id.empty()) return {};
  return ids_.emplace_back(id);
}

}  // namespace concord::runtime
