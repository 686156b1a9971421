// Imports between ruleset files: `import "../common/care_processes.concord"` adds that file to
// the library. Parsing follows imports until every file is read, then reports files that
// cannot be found and import cycles, each at the import that causes it.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "concord/dsl/ast.hpp"
#include "concord/dsl/diagnostic.hpp"

namespace concord::dsl {

// A file an import names, once found: who it is (to read each file once), the name it is
// shown by, and its text; or why it could not be read.
struct ImportedFile {
  std::string identity;
  std::string shown;
  std::optional<std::string> text;
  std::string problem;  // when there is no text: what went wrong, for the diagnostic
  std::string hint;
};

// Finds the file that `import_path` in `importer` names (relative to the importer's folder).
// `identities[i]` identifies sources[i]; an import of a file already among the sources reuses it.
using ImportFinder =
    std::function<ImportedFile(std::size_t importer, const std::string& import_path)>;

// Parses sources[0..] in order, appending each newly imported file to `sources` and
// `identities` as it is found, and returns the files that parsed (in source order). Reports
// unreadable imports and import cycles into `out`.
std::vector<ast::RulesetFile> parse_with_imports(std::vector<SourceFile>& sources,
                                                 std::vector<std::string>& identities,
                                                 const ImportFinder& find,
                                                 std::vector<Diagnostic>& out);

// The name an imported file is shown by: the import's path taken from the importer's folder,
// without "." and ".." ("rulesets/conditions/../common/x.concord" is "rulesets/common/x.concord").
std::string imported_name(const std::string& importer_shown, const std::string& import_path);

}  // namespace concord::dsl
