// Step two of parse -> check -> compile: resolves names across every file of the library and
// collects all semantic diagnostics. The compiler only ever sees what the checker accepted.
#pragma once

#include <optional>
#include <vector>

#include "concord/dsl/ast.hpp"
#include "concord/dsl/diagnostic.hpp"
#include "concord/runtime/program.hpp"

namespace concord::dsl {

// The library with every name resolved to an index, in the Program's order. It points into
// the syntax trees it was checked from, which must outlive it.
struct CheckedLibrary {
  struct ValueSet {
    const ast::CodesDecl* decl = nullptr;
    const ast::RulesetFile* file = nullptr;
  };
  struct Condition {
    const ast::ConditionDecl* decl = nullptr;
    const ast::RulesetFile* file = nullptr;
    runtime::ValueSetIndex diagnosis = 0;
    std::optional<runtime::ValueSetIndex> resolved;
  };
  // One per (condition, check declaration): `check bp for a, b` gives two.
  struct Check {
    const ast::CheckDecl* decl = nullptr;
    const ast::RulesetFile* file = nullptr;
    runtime::ConditionIndex condition = 0;
    std::vector<runtime::DoneBy> done_by;
  };
  struct Review {
    const ast::ReviewDecl* decl = nullptr;
    const ast::RulesetFile* file = nullptr;
  };

  std::vector<const ast::RulesetFile*> files;
  std::vector<ValueSet> value_sets;
  std::vector<Condition> conditions;
  std::vector<Check> checks;
  std::optional<Review> review;
};

// Appends every error and warning found; returns the resolved library only when there were no
// errors. Never throws.
std::optional<CheckedLibrary> check(const std::vector<ast::RulesetFile>& files,
                                    std::vector<Diagnostic>& out);

}  // namespace concord::dsl
