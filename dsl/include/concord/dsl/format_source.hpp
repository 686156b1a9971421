// `concord fmt`: a ruleset file in its canonical layout. The layout is printed from the syntax
// tree, so it does not depend on how the file was laid out; comments, which the grammar skips,
// are found by a small scan of the text and put back between the same constructs.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "concord/dsl/ast.hpp"
#include "concord/dsl/diagnostic.hpp"

namespace concord::dsl {

// The canonical layout's right margin; longer lines are wrapped where the layout allows.
inline constexpr int format_line_limit = 100;

// Prints a parsed file in the canonical layout. `text` must be the text `file` was parsed
// from: comments and blank lines between comments are taken from it.
std::string format_source(const ast::RulesetFile& file, std::string_view text);

// Parses and prints one file. On a syntax error, appends the diagnostic (as `parse` does) and
// returns nothing.
std::optional<std::string> format_source(const SourceFile& source, std::vector<Diagnostic>& out);

}  // namespace concord::dsl
