// Renders an Evaluation for people and programs: the contract's JSON (concord_output 1), a
// plain-text summary for a terminal, and the explanation of every decision.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "concord/runtime/evaluate.hpp"

namespace concord::runtime {

// A problem met while reading or evaluating this record, carried in "diagnostics".
struct OutputNote {
  std::string severity;  // "warning" or "error"
  std::string where;     // file and place (JSON pointer, XPath, line:col)
  std::string message;
};

// Why one decision was made: the rule (file:line) and the facts behind it, for authors and
// for clinicians who ask "why this?".
struct Explanation {
  std::string subject;   // "condition diabetes", "diabetes/hba1c", "review ltc"
  std::string decision;  // "present", "absent", "overdue", "suppressed: declined", "merged", ...
  std::string rule;      // "rulesets/conditions/diabetes.concord:21"
  std::vector<std::string> facts;
};

// The evaluation of this record explained. Where a condition has a diagnosis but is absent,
// or a review is or is not merged, the clauses of the rule that decided it are named with what
// the record gave them.
std::vector<Explanation> explain(const Program& program, const Record& record,
                                 const Evaluation& evaluation);

// One sentence for the clinician: why this reminder has its status.
std::string why(const Program& program, const Reminder& reminder);

// One JSON object, on one line, as CONTRACT.md specifies; given explanations, the object
// also carries them as "explain".
std::string render_json(const Program& program, const Record& record, const Evaluation& evaluation,
                        const std::vector<OutputNote>& notes = {},
                        const std::vector<Explanation>* explanations = nullptr);

// A readable summary: the conditions, the merged review with its stages, and the single
// reminders it replaces. Condition and stage titles and the prompts are in the locale's words
// where its messages have them (the summary's own words stay English).
std::string render_text(const Program& program, const Record& record, const Evaluation& evaluation,
                        std::string_view locale = "en-GB");

// The explanations for a terminal, one block per decision.
std::string render_explain_text(const Record& record, const Evaluation& evaluation,
                                const std::vector<Explanation>& explanations);

}  // namespace concord::runtime
