// Diagnostics are data: where a problem is, how bad it is and what to do about it. Rendering
// them (clang-style text with a caret, or JSON for an editor) is a separate step.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace concord::dsl {

enum class Severity { error, warning, note };
std::string_view to_string(Severity severity);

struct Diagnostic {
  std::string file;
  int line = 0;    // 1-based; 0 when the problem is with the file as a whole
  int column = 0;  // 1-based, counted in characters (UTF-8 code points), not bytes
  Severity severity = Severity::error;
  std::string code;  // stable, machine-readable: "syntax", "unknown-name", ...
  std::string message;
  std::string hint;  // what to do about it; may be empty
};

// A ruleset file as read: its path as given and its whole text.
struct SourceFile {
  std::string path;
  std::string text;
};

bool has_errors(const std::vector<Diagnostic>& diagnostics);

// Sorts diagnostics by file (in the order of `sources`; files not among them first), then line
// and column. Stable, so diagnostics at the same place keep the order they were found in.
void sort_by_location(std::vector<Diagnostic>& diagnostics, const std::vector<SourceFile>& sources);

// "path:line:col: error: message", the source line, a caret under the column, then
// "  hint: ..." if there is one (clang style). Diagnostics without a line get no source excerpt.
std::string format_text(const std::vector<Diagnostic>& diagnostics,
                        const std::vector<SourceFile>& sources);

// [{"file","line","column","severity","code","message","hint"}], for editors and CI.
std::string format_json(const std::vector<Diagnostic>& diagnostics);

}  // namespace concord::dsl
