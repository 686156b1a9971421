// The whole front end in one call: find and read the ruleset files, then parse each, check
// them together and compile. Every failure becomes a diagnostic; nothing throws out of here.
#include "concord/dsl/library.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "concord/dsl/check.hpp"
#include "concord/dsl/compile.hpp"
#include "concord/dsl/messages.hpp"
#include "concord/dsl/parse.hpp"
#include "imports.hpp"

namespace concord::dsl {
namespace fs = std::filesystem;

namespace {

constexpr std::string_view ruleset_extension = ".concord";

Diagnostic file_error(std::string file, std::string code, std::string message, std::string hint) {
  return {std::move(file), 0, 0, Severity::error, std::move(code), std::move(message),
          std::move(hint)};
}

// Parses every source and the files they import, checks them together and compiles when
// nothing is wrong. A file with a syntax error is left out of the check, so the other files
// are still checked. `identities` says which file each source is, so that a file imported
// by several, or also named itself, is read once. Locale files load with the rulesets but are
// not rulesets: they come apart from `result.sources` and are added back after parsing.
void build(LoadResult& result, std::vector<std::string> identities, const ImportFinder& find,
           std::vector<SourceFile> locale_sources, const Extensions& extensions) {
  if (result.sources.empty() && locale_sources.empty()) {
    result.diagnostics.push_back(file_error("", "empty-library", "no ruleset files were given",
                                            "pass ruleset files (*.concord) or folders of them"));
    return;
  }
  const std::size_t locale_count = locale_sources.size();
  if (result.sources.empty()) {
    for (SourceFile& source : locale_sources)
      result.sources.push_back(std::move(source));
    result.diagnostics.push_back(file_error(
        "", "empty-library", "no ruleset files were given, only locale files",
        "pass the ruleset files (*.concord) or their folder; locale files load with them"));
    return;
  }
  const std::vector<ast::RulesetFile> files =
      parse_with_imports(result.sources, identities, find, result.diagnostics);
  // The locale files go after the ruleset files and everything they imported.
  for (SourceFile& source : locale_sources)
    result.sources.push_back(std::move(source));
  std::vector<const SourceFile*> locale_files;
  for (std::size_t i = result.sources.size() - locale_count; i < result.sources.size(); ++i)
    locale_files.push_back(&result.sources[i]);
  const auto checked = check(files, result.diagnostics, extensions);
  if (checked && !has_errors(result.diagnostics)) {
    runtime::Program program = compile(*checked);
    load_messages(locale_files, program, result.diagnostics);
    result.program = std::make_shared<const runtime::Program>(std::move(program));
  }
}

// Takes the locale files out of `sources` (and their entries out of `identities`, kept
// parallel), so that source indices are those of ruleset files while imports are parsed.
std::vector<SourceFile> take_locale_files(std::vector<SourceFile>& sources,
                                          std::vector<std::string>& identities) {
  std::vector<SourceFile> locales;
  std::size_t kept = 0;
  for (std::size_t i = 0; i < sources.size(); ++i) {
    if (is_messages_file(sources[i].path)) {
      locales.push_back(std::move(sources[i]));
      continue;
    }
    if (kept != i) {
      sources[kept] = std::move(sources[i]);
      identities[kept] = std::move(identities[i]);
    }
    ++kept;
  }
  sources.resize(kept);
  identities.resize(kept);
  return locales;
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

// Which file a path is, whichever way it was reached.
std::string identity_of(const fs::path& path) {
  std::error_code failure;
  const fs::path canonical = fs::weakly_canonical(path, failure);
  return (failure ? path.lexically_normal() : canonical).generic_string();
}

std::optional<std::string> read_file(const fs::path& path);

// A ruleset file's text; nothing when it cannot be read, with `problem` set when it is too
// large to be a ruleset.
std::optional<std::string> read_ruleset(const fs::path& path, std::string& problem) {
  std::error_code failure;
  const auto size = fs::file_size(path, failure);
  if (!failure && size > max_source_bytes) {
    problem = "this file is " + std::to_string(size) + " bytes long; a ruleset may be at most " +
              std::to_string(max_source_bytes) + " bytes";
    return std::nullopt;
  }
  return read_file(path);
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

LoadResult compile_sources(std::vector<SourceFile> sources, const Extensions& extensions) {
  LoadResult result;
  result.sources = std::move(sources);
  try {
    // In memory, an import names another of the sources by its path.
    std::vector<std::string> identities;
    for (const SourceFile& source : result.sources)
      identities.push_back(fs::path(source.path).lexically_normal().generic_string());
    std::vector<SourceFile> locales = take_locale_files(result.sources, identities);
    const auto find = [&](std::size_t importer, const std::string& import_path) {
      ImportedFile found;
      found.shown = imported_name(result.sources[importer].path, import_path);
      found.identity = found.shown;
      for (std::size_t i = 0; i < identities.size(); ++i) {
        if (identities[i] == found.identity) found.text = result.sources[i].text;
      }
      found.problem = "it is not among the ruleset texts given";
      found.hint = "pass the imported file too, or correct the path";
      return found;
    };
    build(result, identities, find, std::move(locales), extensions);
  } catch (const std::exception& e) {
    result.diagnostics.push_back(file_error("", "internal",
                                            std::string("loading failed unexpectedly: ") + e.what(),
                                            "please report this with the rulesets that caused it"));
  }
  finish(result);
  return result;
}

LoadResult load_library(const std::vector<fs::path>& paths, const Extensions& extensions) {
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
    std::set<std::string> seen;
    std::vector<std::string> identities;
    std::map<std::string, fs::path> path_of;  // identity -> where the file is
    for (const auto& [path, shown] : files) {
      const std::string identity = identity_of(path);
      if (!seen.insert(identity).second) continue;
      std::string problem;
      if (auto text = read_ruleset(path, problem)) {
        result.sources.push_back({shown, std::move(*text)});
        identities.push_back(identity);
        path_of.emplace(identity, path);
      } else {
        result.diagnostics.push_back(file_error(shown, problem.empty() ? "unreadable" : "too-large",
                                                problem.empty() ? "cannot read this file" : problem,
                                                problem.empty()
                                                    ? "check that it exists and can be read"
                                                    : "split it into several ruleset files"));
      }
    }
    std::vector<SourceFile> locales = take_locale_files(result.sources, identities);
    // Imports are relative to the importing file's folder.
    std::vector<std::string> importers = identities;
    const auto find = [&](std::size_t importer, const std::string& import_path) {
      ImportedFile found;
      found.shown = imported_name(result.sources[importer].path, import_path);
      const fs::path path = path_of.at(importers.at(importer)).parent_path() / import_path;
      found.identity = identity_of(path);
      std::error_code failure;
      if (!fs::is_regular_file(path, failure)) {
        found.problem = "there is no such file";
        found.hint = "the path is relative to the folder of the file that imports it";
        return found;
      }
      std::string problem;
      found.text = read_ruleset(path, problem);
      if (!found.text) {
        found.problem = problem.empty() ? "it cannot be read" : problem;
        found.hint = "check the file and its permissions";
        return found;
      }
      if (path_of.emplace(found.identity, path).second) importers.push_back(found.identity);
      return found;
    };

    if (result.sources.empty() && locales.empty()) {
      if (!has_errors(result.diagnostics)) {
        result.diagnostics.push_back(
            file_error("", "empty-library", "no ruleset files were given",
                       "pass ruleset files (*.concord) or folders of them"));
      }
    } else {
      // Even when a path could not be read, parse and check what could, so that all problems
      // show at once; finish() then withholds the Program.
      build(result, identities, find, std::move(locales), extensions);
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
