// `concord test [PATH...]`: runs ruleset tests (*.concordtest files, or folders of them; by
// default the shipped rulesets' tests/). Prints each failure as expected/actual and a summary
// line; exit 0 all passed, 1 any failed, 2 a test file, ruleset or record could not be read.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "concord/dsl/library.hpp"
#include "concord/hosts/read.hpp"
#include "input_files.hpp"
#include "options.hpp"
#include "ruleset_test.hpp"
#include "settings.hpp"

namespace concord::tools {
namespace {

namespace fs = std::filesystem;

// Ruleset libraries by folder, loaded once however many tests use them.
class Libraries {
 public:
  explicit Libraries(dsl::Extensions extensions) : extensions_(std::move(extensions)) {}

  const dsl::LoadResult& get(const fs::path& path) {
    std::error_code ec;
    fs::path key = fs::weakly_canonical(path, ec);
    if (ec) key = path;
    auto it = loaded_.find(key);
    if (it == loaded_.end())
      it = loaded_.emplace(key, dsl::load_library({path}, extensions_)).first;
    return it->second;
  }

 private:
  dsl::Extensions extensions_;
  std::map<fs::path, dsl::LoadResult> loaded_;
};

std::optional<runtime::Record> record_for(const RulesetTest& test) {
  runtime::Record record;
  if (test.record) {
    const fhir::ReadResult read = hosts::read_record_file(*test.record);
    if (read.error || read.records.empty()) {
      std::cerr << test.file << ":" << test.line << ": error: the record " << test.record->string()
                << " could not be read" << (read.error ? ": " + read.error->message : std::string())
                << "\n";
      return std::nullopt;
    }
    record = read.records.front();
  }
  record.source = test.file;
  const runtime::Record& f = test.facts;
  if (f.birth_date) record.birth_date = f.birth_date;
  if (!f.sex.empty()) record.sex = f.sex;
  if (f.deceased) {
    record.deceased = true;
    record.death_date = f.death_date;
  }
  record.diagnoses.insert(record.diagnoses.end(), f.diagnoses.begin(), f.diagnoses.end());
  record.events.insert(record.events.end(), f.events.begin(), f.events.end());
  record.medications.insert(record.medications.end(), f.medications.begin(), f.medications.end());
  record.goals.insert(record.goals.end(), f.goals.begin(), f.goals.end());
  return record;
}

}  // namespace

int command_test(const std::vector<std::string>& args) {
  po::options_description options("test options");
  options.add_options()("verbose,v", "also list the tests that pass");
  add_config_option(options);
  po::variables_map vm;
  // Without a PATH, run the tests/ folder of each configured rulesets folder (or of the
  // shipped rulesets).
  std::vector<std::string> with_default = args;
  if (!has_positional(args)) with_default.push_back("");
  if (auto exit = parse_options("test", "concord test [--config FILE] [--verbose] [PATH...]",
                                with_default, options, "PATH", vm)) {
    return *exit;
  }
  Settings settings;
  if (auto exit = resolve_settings("test", vm, settings)) return *exit;
  const bool verbose = vm.count("verbose") > 0;
  std::vector<std::string> paths;
  for (const auto& p : vm["PATH"].as<std::vector<std::string>>()) {
    if (!p.empty()) paths.push_back(p);
  }
  if (paths.empty()) {
    for (const auto& folder : settings.rulesets)
      paths.push_back((folder / "tests").string());
  }
  const auto files = files_with_extension(paths, test_file_extension, "test");
  if (!files) return kExitUsage;

  Libraries libraries(settings.extensions("test"));
  int passed = 0;
  int failed = 0;
  bool unreadable = false;
  for (const fs::path& path : *files) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in) {
      std::cerr << "concord test: " << path.string() << ": cannot be read\n";
      unreadable = true;
      continue;
    }
    const dsl::SourceFile source{path.string(), text.str()};
    std::vector<dsl::Diagnostic> diagnostics;
    const auto tests = parse_test_file(source, diagnostics);
    if (!tests) {
      std::cerr << dsl::format_text(diagnostics, {source});
      unreadable = true;
      continue;
    }
    for (const RulesetTest& test : *tests) {
      const dsl::LoadResult& library = libraries.get(test.rulesets);
      if (!library.ok()) {
        std::cerr << dsl::format_text(library.diagnostics, library.sources) << test.file << ":"
                  << test.line << ": error: the rulesets in " << test.rulesets.string()
                  << " have errors (concord check shows them all)\n";
        unreadable = true;
        continue;
      }
      const auto record = record_for(test);
      if (!record) {
        unreadable = true;
        continue;
      }
      const runtime::Evaluation evaluation = runtime::evaluate(*library.program, *record, *test.on);
      bool ok = true;
      for (const Expectation& expectation : test.expectations) {
        const auto failure = failure_of(expectation, evaluation, *library.program);
        if (!failure) continue;
        ok = false;
        std::cout << "FAIL " << test.name << " (" << test.file << ":" << expectation.line
                  << ")\n  expected: " << expectation.text << "\n  actual:   " << *failure << "\n";
      }
      if (ok) {
        ++passed;
        if (verbose) std::cout << "ok   " << test.name << "\n";
      } else {
        ++failed;
      }
    }
  }
  std::cout << passed << " passed, " << failed << " failed\n";
  if (unreadable) return kExitUsage;
  return failed > 0 ? kExitFindings : kExitOk;
}

}  // namespace concord::tools
