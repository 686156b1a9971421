// `concord fmt [--check] PATH...`: rewrites ruleset files in the canonical layout, or with
// --check lists the files that are not in it. A file that does not parse is left untouched.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "concord/dsl/format_source.hpp"
#include "concord/dsl/parse.hpp"
#include "input_files.hpp"
#include "options.hpp"

namespace concord::tools {
namespace {

namespace fs = std::filesystem;

std::optional<std::string> read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return std::move(text).str();
}

}  // namespace

int command_fmt(const std::vector<std::string>& args) {
  po::options_description options("fmt options");
  options.add_options()("check",
                        "change nothing: list the files that are not in the canonical "
                        "layout and exit 1 if there are any");
  po::variables_map vm;
  if (auto exit =
          parse_options("fmt", "concord fmt [--check] PATH...", args, options, "PATH", vm)) {
    return *exit;
  }
  const bool check_only = vm.count("check") > 0;
  const auto files =
      files_with_extension(vm["PATH"].as<std::vector<std::string>>(), ".concord", "fmt");
  if (!files) return kExitUsage;

  int status = kExitOk;
  int changed = 0;
  for (const fs::path& path : *files) {
    const auto text = read_text(path);
    if (!text) {
      std::cerr << "concord fmt: " << path.string() << ": cannot be read\n";
      return kExitUsage;
    }
    const dsl::SourceFile source{path.string(), *text};
    std::vector<dsl::Diagnostic> diagnostics;
    const std::optional<std::string> formatted = dsl::format_source(source, diagnostics);
    if (!formatted) {
      std::cerr << dsl::format_text(diagnostics, {source});
      status = kExitFindings;
      continue;
    }
    // A safety net: what is written must parse again (comments cannot break it, but a bug in
    // the printer must never cost an author their file).
    std::vector<dsl::Diagnostic> again;
    if (!dsl::parse({path.string(), *formatted}, again)) {
      std::cerr << "concord fmt: internal error: the layout of " << path.string()
                << " does not parse; the file is left unchanged (please report this)\n";
      status = kExitFindings;
      continue;
    }
    if (*formatted == *text) continue;
    ++changed;
    if (check_only) {
      std::cout << path.string() << "\n";
      status = kExitFindings;
      continue;
    }
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << *formatted;
    if (!out.flush()) {
      std::cerr << "concord fmt: " << path.string() << ": cannot be written\n";
      return kExitUsage;
    }
    std::cout << "formatted " << path.string() << "\n";
  }
  if (check_only && changed > 0) {
    std::cerr << "concord fmt: " << changed << " file" << (changed == 1 ? "" : "s")
              << " not in the canonical layout; run 'concord fmt' on "
              << (changed == 1 ? "it" : "them") << "\n";
  }
  return status;
}

}  // namespace concord::tools
