// The front end as one call: ruleset files (or folders of them) in, a Program and every
// diagnostic out. This is what the CLI and the C ABI use.
#pragma once

#include <filesystem>
#include <memory>
#include <vector>

#include "concord/dsl/check.hpp"
#include "concord/dsl/diagnostic.hpp"
#include "concord/runtime/program.hpp"

namespace concord::dsl {

struct LoadResult {
  std::shared_ptr<const runtime::Program> program;  // null when any error was found
  std::vector<Diagnostic> diagnostics;              // errors and warnings, in file/line order
  std::vector<SourceFile> sources;                  // what was read, for rendering carets
  bool ok() const;                                  // no error-severity diagnostic
};

// Paths are ruleset files (*.concord) or folders, searched recursively for *.concord and taken
// in path order. An unreadable path or a folder without rulesets is an error diagnostic
// (line 0), not an exception. All files share one namespace. `extensions` are what the host
// loaded for the rulesets: the terminology that expands `refset`s and adds legacy codes, and
// the functions `score` calls; the Program keeps the functions for evaluation.
LoadResult load_library(const std::vector<std::filesystem::path>& paths,
                        const Extensions& extensions = {});

// The same from text already in memory (tests, the C ABI).
LoadResult compile_sources(std::vector<SourceFile> sources, const Extensions& extensions = {});

}  // namespace concord::dsl
