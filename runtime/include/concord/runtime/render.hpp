// Renders an Evaluation for people and programs: the contract's JSON (concord_output 1) and
// a plain-text summary for a terminal.
#pragma once

#include <string>
#include <vector>

#include "concord/runtime/evaluate.hpp"

namespace concord::runtime {

// A problem met while reading or evaluating this record, carried in "diagnostics".
struct OutputNote {
  std::string severity;  // "warning" or "error"
  std::string where;     // file and place (JSON pointer, XPath, line:col)
  std::string message;
};

// One JSON object, on one line, as CONTRACT.md specifies.
std::string render_json(const Program& program, const Record& record, const Evaluation& evaluation,
                        const std::vector<OutputNote>& notes = {});

// A readable summary: the conditions, the merged review with its stages, and the single
// reminders it replaces.
std::string render_text(const Program& program, const Record& record, const Evaluation& evaluation);

}  // namespace concord::runtime
