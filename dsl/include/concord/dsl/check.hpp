// Step two of parse -> check -> compile: resolves names across every file of the library and
// collects all semantic diagnostics. The compiler only ever sees what the checker accepted.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "concord/dsl/ast.hpp"
#include "concord/dsl/diagnostic.hpp"
#include "concord/runtime/extensions.hpp"
#include "concord/runtime/program.hpp"

namespace concord::dsl {

// What the host has loaded for the rulesets to use (plugins, or fakes in tests): a terminology
// that expands named refsets and maps SNOMED CT codes to the legacy codes of older records,
// and the functions that `score NAME` calls. Either may be absent; a ruleset that needs an
// absent one is an error at load time, never at evaluation.
struct Extensions {
  std::shared_ptr<const runtime::Terminology> terminology;
  std::shared_ptr<const runtime::Functions> functions;
};

// The library with every name resolved to an index, in the Program's order. It points into
// the syntax trees it was checked from, which must outlive it.
struct CheckedLibrary {
  struct ValueSet {
    const ast::CodesDecl* decl = nullptr;
    const ast::RulesetFile* file = nullptr;
    // Every code it holds once its parts are joined, its exclusions taken away, its refsets
    // expanded and (with a terminology) the legacy codes of its SNOMED CT codes added.
    std::vector<runtime::Code> codes;
  };
  struct Condition {
    const ast::ConditionDecl* decl = nullptr;
    const ast::RulesetFile* file = nullptr;
    runtime::ValueSetIndex diagnosis = 0;
    std::optional<runtime::ValueSetIndex> resolved;
  };
  // One per (condition, check declaration): `check bp for a, b` gives two; a check `for
  // frailty >= LEVEL` gives one, with `frailty` set and no condition.
  struct Check {
    const ast::CheckDecl* decl = nullptr;
    const ast::RulesetFile* file = nullptr;
    runtime::ConditionIndex condition = 0;
    int frailty = 0;  // 1-3: raised for this frailty level or above, instead of a condition
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
  // `score NAME` -> the slot of that function in `functions`.
  std::map<std::string, std::size_t, std::less<>> scores;
  std::shared_ptr<const runtime::Functions> functions;
};

// Appends every error and warning found; returns the resolved library only when there were no
// errors. Never throws.
std::optional<CheckedLibrary> check(const std::vector<ast::RulesetFile>& files,
                                    std::vector<Diagnostic>& out,
                                    const Extensions& extensions = {});

}  // namespace concord::dsl
