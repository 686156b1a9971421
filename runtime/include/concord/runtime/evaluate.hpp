// Evaluation of a compiled Program against one Record at an evaluation date: the
// conditions present, the single-condition reminders a record system would raise, and the
// review that replaces them.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "concord/runtime/date.hpp"
#include "concord/runtime/program.hpp"
#include "concord/runtime/record.hpp"

namespace concord::runtime {

enum class ReminderStatus : std::uint8_t { due, overdue, not_due, suppressed };
std::string_view to_string(ReminderStatus status);

struct PresentCondition {
  ConditionIndex condition = 0;
  std::optional<RecordedDate> onset;  // the earliest onset of the diagnosis that counts
  std::string evidence;               // source id of that diagnosis, for explanations
};

// One (condition, check) reminder, exactly as a single-condition system would raise it.
struct Reminder {
  ConditionIndex condition = 0;
  CheckIndex check = 0;
  ReminderStatus status = ReminderStatus::overdue;
  std::optional<Date> last_done;
  std::string last_done_evidence;  // source id of the fact that did it
  Date due_date;
  std::string suppressed_reason;  // empty unless status is suppressed
  std::string why;                // one sentence for the clinician
};

struct StageResult {
  const StageDef* stage = nullptr;
  Date date;
  std::vector<std::string> checks;  // check ids, deduplicated
  int minutes = 0;                  // conversation stages only
};

struct ReviewResult {
  const ReviewPolicy* policy = nullptr;
  bool merged = false;  // "merged" (qualifies under the policy) or "single"
  Date due_date;        // the conversation date
  std::vector<ConditionIndex> conditions;
  std::vector<std::string> checks;  // every gathered check id once, in stage order
  int replaces = 0;                 // single reminders (due or overdue) the review stands for
  std::vector<StageResult> stages;
  std::vector<const Prompt*> prompts;
  std::vector<const Goal*> goals;  // the person's own goals, in the order recorded
};

struct Evaluation {
  Date date;
  std::vector<PresentCondition> conditions;
  std::vector<Reminder> reminders;
  std::optional<ReviewResult> review;
};

// The person-level counts a review policy's expression tests.
struct Measures {
  int conditions = 0;
  int medicines = 0;  // distinct active regular medicines
};

// Whether the expression holds for these measures (an empty expression always holds).
bool holds(const Expr& expr, const Measures& measures);

// Evaluates every condition and check of the program for one person. The program and the
// record must outlive the result (it points into both).
Evaluation evaluate(const Program& program, const Record& record, Date date);

}  // namespace concord::runtime
