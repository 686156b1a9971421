// The whole front end in one call: find and read the ruleset files, then parse each, check
// them together and compile. Every failure becomes a diagnostic; nothing throws out of here.
#include "concord/dsl/library.hpp"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "concord/dsl/check.hpp"
#include "concord/dsl/compile.hpp"
#include "concord/dsl/messages.hpp"
#include "concord/dsl/parse.hpp"

namespace concord::dsl {
namespace fs = std::filesystem;

namespace {

constexpr std::string_view ruleset_extension = ".concord";

Diagnostic file_error(std::string file, std::string code, std::string message, std::string hint) {
  return {std::move(file), 0, 0, Severity::error, std::move(code), std::move(message),
          std::move(hint)};
}

// Parses every source, checks them together and compiles when nothing is wrong. A file with
// a syntax error is left out of the check, so the other files are still checked.
void build(LoadResult& result) {
  if (result.sources.empty()) {
    result.diagnostics.push_back(file_error("", "empty-library", "no ruleset files were given",
                                            "pass ruleset files (*.concord) or folders of them"));
    return;
  }
  std::vector<ast::RulesetFile> files;
  std::vector<const SourceFile*> locale_files;
  files.reserve(result.sources.size());
  for (const SourceFile& source : result.sources) {
    if (is_messages_file(source.path)) {
      locale_files.push_back(&source);
    } else if (auto file = parse(source, result.diagnostics)) {
      files.push_back(std::move(*file));
    }
  }
  if (locale_files.size() == result.sources.size()) {
    result.diagnostics.push_back(file_error(
        "", "empty-library", "no ruleset files were given, only locale files",
        "pass the ruleset files (*.concord) or their folder; locale files load with them"));
    return;
  }
  const auto checked = check(files, result.diagnostics);
  if (checked && !has_errors(result.diagnostics)) {
    runtime::Program program = compile(*checked);
    load_messages(locale_files, program, result.diagnostics);
    result.program = std::make_shared<const runtime::Program>(std::move(program));
  }
}

void finish(LoadResult& result) {
  sort_by_location(result.diagnostics, result.sources);
  if (has_errors(result.diagnostics)) result.program.reset();
}

// The ruleset and locale files under a folder, in path order so that loading is reproducible.
std::vector<fs::path> rulesets_under(const fs::path& folder, std::error_code& failure) {
  std::vector<fs::path> found;
  fs::recursive_directory_iterator it(folder, fs::directory_options::skip_permission_denied,
                                      failure);
  for (; !failure && it != fs::recursive_directory_iterator(); it.increment(failure)) {
    std::error_code ignored;
    const auto extension = it->path().extension();
    if ((extension == ruleset_extension || extension == messages_extension) &&
        it->is_regular_file(ignored)) {
      found.push_back(it->path());
    }
  }
  std::sort(found.begin(), found.end());
  return found;
}

std::optional<std::string> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return std::move(text).str();
}

}  // namespace

bool LoadResult::ok() const {
  return !has_errors(diagnostics);
}

LoadResult compile_sources(std::vector<SourceFile> sources) {
  LoadResult result;
  result.sources = std::move(sources);
  try {
    build(result);
  } catch (const std::exception& e) {
    result.diagnostics.push_back(file_error("", "internal",
                                            std::string("loading failed unexpectedly: ") + e.what(),
                                            "please report this with the rulesets that caused it"));
  }
  finish(result);
  return result;
}

LoadResult load_library(const std::vector<fs::path>& paths) {
  LoadResult result;
  try {
    // Each file with the name it is shown by: as given when named itself; inside a named
    // folder, by the folder's own name and the path within it ("rulesets/conditions/x.concord"),
    // so that rule references read the same on every machine wherever the folder lives.
    std::vector<std::pair<fs::path, std::string>> files;
    for (const fs::path& path : paths) {
      std::error_code failure;
      const fs::file_status status = fs::status(path, failure);
      if (fs::is_directory(status)) {
        const auto found = rulesets_under(path, failure);
        if (failure) {
          result.diagnostics.push_back(file_error(path.string(), "unreadable",
                                                  "cannot read this folder: " + failure.message(),
                                                  "check the path and its permissions"));
        } else if (found.empty()) {
          result.diagnostics.push_back(file_error(
              path.string(), "empty-library", "this folder holds no ruleset files (*.concord)",
              "check the path, or pass the ruleset files themselves"));
        }
        const fs::path base = path.has_filename() ? path : path.parent_path();
        for (const fs::path& file : found) {
          files.emplace_back(file,
                             (base.filename() / file.lexically_relative(base)).generic_string());
        }
      } else if (fs::exists(status)) {
        files.emplace_back(path, path.string());
      } else {
        result.diagnostics.push_back(
            file_error(path.string(), "unreadable",
                       "cannot read this path: " +
                           (failure ? failure.message() : std::string("no such file or folder")),
                       "check the path"));
      }
    }

    // The same file reached twice (named and inside a named folder) is read once, or every
    // name in it would be a duplicate.
    std::set<fs::path> seen;
    for (const auto& [path, shown] : files) {
      std::error_code failure;
      const fs::path identity = fs::weakly_canonical(path, failure);
      if (!seen.insert(failure ? path : identity).second) continue;
      const auto size = fs::file_size(path, failure);
      if (!failure && size > max_source_bytes) {
        result.diagnostics.push_back(file_error(shown, "too-large",
                                                "this file is " + std::to_string(size) +
                                                    " bytes long; a ruleset may be at most " +
                                                    std::to_string(max_source_bytes) + " bytes",
                                                "split it into several ruleset files"));
        continue;
      }
      if (auto text = read_file(path)) {
        result.sources.push_back({shown, std::move(*text)});
      } else {
        result.diagnostics.push_back(file_error(shown, "unreadable", "cannot read this file",
                                                "check that it exists and can be read"));
      }
    }

    if (result.sources.empty()) {
      if (!has_errors(result.diagnostics)) {
        result.diagnostics.push_back(
            file_error("", "empty-library", "no ruleset files were given",
                       "pass ruleset files (*.concord) or folders of them"));
      }
    } else {
      // Even when a path could not be read, parse and check what could, so that all problems
      // show at once; finish() then withholds the Program.
      build(result);
    }
  } catch (const std::exception& e) {
    result.diagnostics.push_back(file_error("", "internal",
                                            std::string("loading failed unexpectedly: ") + e.what(),
                                            "please report this with the rulesets that caused it"));
  }
  finish(result);
  return result;
}

}  // namespace concord::dsl
