// Step one of parse -> check -> compile: the text of one ruleset file into its syntax tree.
#pragma once

#include <optional>
#include <vector>

#include "concord/dsl/ast.hpp"
#include "concord/dsl/diagnostic.hpp"

namespace concord::dsl {

// Files larger than this are refused with a diagnostic rather than parsed.
inline constexpr std::size_t max_source_bytes = 16 * 1024 * 1024;
// How deeply `not` and parentheses may nest in an expression.
inline constexpr int max_expression_depth = 64;

// Parses one file. On a syntax error, appends one diagnostic (the first error; there is no
// recovery) and returns nothing. Never throws.
std::optional<ast::RulesetFile> parse(const SourceFile& source, std::vector<Diagnostic>& out);

}  // namespace concord::dsl
