#include "merge.hpp"

#include "assess.hpp"

#include <algorithm>

namespace concord::runtime {
namespace {

void add_unique(std::vector<std::string>& ids, const std::string& id) {
  if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
}

}  // namespace

std::optional<ReviewResult> merge(const Program& program, const ReviewPolicy& policy,
                                  const Record& record, const Evaluation& evaluation,
                                  const Measures& person) {
  if (evaluation.conditions.empty()) return std::nullopt;

  std::vector<const Reminder*> gathered;
  for (const Reminder& r : evaluation.reminders) {
    if (r.status == ReminderStatus::due || r.status == ReminderStatus::overdue) {
      gathered.push_back(&r);
    }
  }
  if (gathered.empty()) return std::nullopt;

  ReviewResult review;
  review.policy = &policy;
  const int conditions = static_cast<int>(evaluation.conditions.size());
  review.merged = holds(policy.merge_when, person);
  for (const PresentCondition& c : evaluation.conditions)
    review.conditions.push_back(c.condition);
  review.replaces = static_cast<int>(gathered.size());

  // R9: the conversation is on the earliest gathered due date, but never so soon that the
  // earliest stage before it would fall before the evaluation date.
  int lead_days = 0;
  for (const StageDef& s : policy.stages)
    lead_days = std::max(lead_days, s.days_before);
  Date talk = evaluation.date.plus_days(lead_days);
  Date earliest = gathered.front()->due_date;
  for (const Reminder* r : gathered)
    earliest = std::min(earliest, r->due_date);
  talk = std::max(talk, earliest);
  review.due_date = talk;

  for (const StageDef& stage : policy.stages) {
    StageResult out;
    out.stage = &stage;
    out.date = talk.plus_days(-stage.days_before);
    for (const Reminder* r : gathered) {
      const CheckDef& check = program.checks[r->check];
      if (check.stage == stage.kind) add_unique(out.checks, check.id);
    }
    if (stage.kind == StageKind::conversation) {
      const ConversationLength& m = policy.minutes;
      out.minutes =
          std::min(m.max_minutes, m.base_minutes + m.per_extra_condition * (conditions - 1));
    }
    // A stage that exists only to do checks is left out when it has none; the letter and
    // the conversation always happen.
    const bool carries_checks = stage.kind == StageKind::tests || stage.kind == StageKind::referral;
    if (carries_checks && out.checks.empty()) continue;
    for (const std::string& id : out.checks)
      add_unique(review.checks, id);
    review.stages.push_back(std::move(out));
  }

  for (std::size_t i = 0; i < evaluation.reminders.size(); ++i) {
    if (evaluation.reminders[i].status == ReminderStatus::suppressed) {
      review.suppressed.push_back(i);
    }
  }
  for (const Prompt& p : policy.prompts) {
    if (holds(p.when, person)) review.prompts.push_back(&p);
  }
  for (const Goal& g : record.goals)
    review.goals.push_back(&g);
  return review;
}

}  // namespace concord::runtime
