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

class FactIndex;

// The scores (`score NAME` in a rule) of one person on one date: each function is called at
// most once per evaluation, when a rule first asks for it. Nothing when it cannot be computed.
class ScoreCache {
 public:
  ScoreCache(const Functions& functions, const Record& record, Date date)
      : functions_(functions), record_(record), date_(date) {}
  std::optional<double> get(std::size_t slot) const;

 private:
  const Functions& functions_;
  const Record& record_;
  Date date_;
  mutable std::vector<std::optional<std::optional<double>>> values_;  // by slot: asked, value
};

// The person-level facts an expression tests (see runtime::Measure).
struct Measures {
  int conditions = 0;
  int medicines = 0;   // distinct active regular medicines
  int age = -1;        // whole years; -1 unknown
  int frailty = 0;     // 0 none, 1 mild, 2 moderate, 3 severe
  int activation = 0;  // PAM level 1-4; 0 unknown
  bool end_of_life = false;
  int goals = 0;
  const std::vector<bool>* present = nullptr;  // by ConditionIndex, for has_condition
  // The record's facts by value set and the evaluation date, for has_fact; set only while
  // evaluating (an expression asked without them finds no fact).
  const FactIndex* facts = nullptr;
  Date date{};
  // The onset of the condition an expression is about (a condition's presence, a check's
  // target); none in the review's rules or when it was not recorded.
  std::optional<Date> onset{};
  // The person's scores, for score nodes; set only while evaluating (a score asked without
  // them is unknown, and an unknown score satisfies no comparison).
  const ScoreCache* scores = nullptr;
};

enum class ReminderStatus : std::uint8_t { due, overdue, not_due, suppressed };
std::string_view to_string(ReminderStatus status);

struct PresentCondition {
  ConditionIndex condition = 0;
  std::optional<RecordedDate> onset;  // the earliest onset of the diagnosis that counts
  std::string_view evidence;          // source id of that diagnosis (in the record)
};

// One bound of the applicable target, as measured.
struct BoundResult {
  const Bound* bound = nullptr;
  std::optional<double> value;   // the latest value, in the bound's unit; none if not comparable
  std::optional<Date> measured;  // when it was recorded
  std::string recorded_unit;     // the unit the record gave, when it could not be converted
  std::optional<bool> met;       // none when there is no comparable value
};

// The target that applies to this person (the last whose `when` holds), and whether it is met.
struct TargetResult {
  const TargetDef* target = nullptr;
  std::vector<BoundResult> bounds;
  std::optional<bool> met;  // every bound met; none when any bound has no comparable value
};

// One (condition, check) reminder, exactly as a single-condition system would raise it.
// Evaluation builds no text: the sentence for the clinician is made when it is rendered
// (runtime::why).
struct Reminder {
  ConditionIndex condition = 0;
  CheckIndex check = 0;
  ReminderStatus status = ReminderStatus::overdue;
  std::optional<Date> last_done;
  std::string_view last_done_evidence;  // source id of the fact that did it (in the record)
  Date due_date;
  std::optional<Date> counted_from_onset;  // `from onset`: the onset the interval ran from
  Interval interval;  // the interval that applied to this person (`or every N UNIT when`)
  std::optional<TargetResult> target;
  std::string suppressed_reason;         // empty unless status is suppressed
  std::optional<Date> suppressed_until;  // none: no expiry (end of life)
  std::optional<Date> suppressed_since;  // when the adjustment was recorded
  std::string_view suppressed_evidence;  // source id of the recorded adjustment (in the record)
  const RuleRef* suppressed_rule = nullptr;
  const SuppressionDef* suppressed_by = nullptr;  // none for end of life
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
  std::vector<const Goal*> goals;       // the person's own goals, in the order recorded
  std::vector<std::size_t> suppressed;  // indices into Evaluation::reminders: not asked, and why
};

struct Evaluation {
  Date date;
  // The person had died by the evaluation date: conditions are still listed, but no reminder
  // and no review is raised for them (`died` is the recorded date, when there is one).
  bool deceased = false;
  std::optional<Date> died;
  Measures person;  // the person-level facts the rules saw (`present` is not kept)
  std::vector<PresentCondition> conditions;
  std::vector<Reminder> reminders;
  std::optional<ReviewResult> review;
};

// "the record says the person died on 2016-03-01: no reminder and no review" (or "has died",
// when no date is recorded), for every output that explains an empty result.
std::string deceased_text(const Evaluation& evaluation);

// Whether the expression holds for these measures (an empty expression always holds).
bool holds(const Expr& expr, const Measures& measures);

// Evaluates every condition and check of the program for one person. The program and the
// record must outlive the result (it points into both).
Evaluation evaluate(const Program& program, const Record& record, Date date);

}  // namespace concord::runtime
