#include <chrono>
#include <ctime>
#include <iostream>

#include "concord/dsl/library.hpp"
#include "concord/fhir/read.hpp"
#include "concord/runtime/evaluate.hpp"
#include "concord/runtime/render.hpp"
#include "options.hpp"

namespace concord::tools {
namespace {

runtime::Date today() {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  return *runtime::Date::from_ymd(local.tm_year + 1900, local.tm_mon + 1, local.tm_mday);
}

}  // namespace

int command_run(const std::vector<std::string>& args) {
  const std::string synopsis =
      "concord run [--rulesets DIR] [--date YYYY-MM-DD] [--format text|json] RECORD...";
  po::options_description options("run options");
  options.add_options()("rulesets", po::value<std::string>(),
                        "rulesets folder (default: the shipped rulesets)")(
      "date", po::value<std::string>(), "evaluation date, YYYY-MM-DD (default: today)")(
      "format", po::value<std::string>()->default_value("text"), "text or json");
  po::variables_map vm;
  if (auto exit = parse_options("run", synopsis, args, options, "RECORD", vm))
    return *exit;

  const std::string format = vm["format"].as<std::string>();
  if (format != "text" && format != "json") {
    std::cerr << "concord run: unknown --format '" << format << "' (use text or json)\n";
    return kExitUsage;
  }
  runtime::Date date = today();
  if (vm.count("date")) {
    const auto parsed = runtime::Date::parse_iso(vm["date"].as<std::string>());
    if (!parsed) {
      std::cerr << "concord run: --date '" << vm["date"].as<std::string>()
                << "' is not a calendar date; write it as YYYY-MM-DD, e.g. 2026-12-01\n";
      return kExitUsage;
    }
    date = *parsed;
  }
  const std::filesystem::path rulesets =
      vm.count("rulesets") ? std::filesystem::path(vm["rulesets"].as<std::string>())
                           : shipped_rulesets();

  const dsl::LoadResult library = dsl::load_library({rulesets});
  if (!library.ok()) {
    std::cerr << dsl::format_text(library.diagnostics, library.sources)
              << "concord run: the rulesets in " << rulesets.string()
              << " have errors; fix them (concord check shows them all) and run again\n";
    return kExitUsage;
  }
  const runtime::Program& program = *library.program;

  int status = kExitOk;
  bool first = true;
  for (const auto& path : vm["RECORD"].as<std::vector<std::string>>()) {
    const fhir::ReadResult read = fhir::read_json_file(path);
    if (read.error) {
      std::cerr << read.error->source << (read.error->where.empty() ? "" : ":") << read.error->where
                << ": error: " << read.error->message << "\n";
      if (!read.error->hint.empty())
        std::cerr << "  hint: " << read.error->hint << "\n";
      status = kExitUsage;
      continue;
    }
    // The output names the file only, never the machine's path to it.
    const std::string file_name = std::filesystem::path(path).filename().string();
    std::vector<runtime::OutputNote> notes;
    for (const auto& w : read.warnings) {
      notes.push_back(
          {"warning", w.where.empty() ? file_name : file_name + ":" + w.where, w.message});
    }
    for (const runtime::Record& record : read.records) {
      const runtime::Evaluation evaluation = runtime::evaluate(program, record, date);
      if (format == "json") {
        std::cout << runtime::render_json(program, record, evaluation, notes) << "\n";
      } else {
        std::cout << (first ? "" : "\n") << runtime::render_text(program, record, evaluation);
      }
      first = false;
    }
  }
  return status;
}

}  // namespace concord::tools
