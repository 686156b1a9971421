#include <chrono>
#include <ctime>
#include <iostream>

#include "concord/dsl/library.hpp"
#include "concord/fhir/read.hpp"
#include "concord/hosts/read.hpp"
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

// `run` prints the review (text or JSON, optionally with explanations); `explain` prints
// why each decision was made. Both read the same options and records.
enum class Mode { run, explain };

int evaluate_records(const std::vector<std::string>& args, Mode mode) {
  const std::string command = mode == Mode::run ? "run" : "explain";
  const std::string synopsis =
      mode == Mode::run ? "concord run [--rulesets DIR] [--date YYYY-MM-DD] [--format text|json] "
                          "[--explain] RECORD..."
                        : "concord explain [--rulesets DIR] [--date YYYY-MM-DD] RECORD";
  po::options_description options(command + " options");
  options.add_options()("rulesets", po::value<std::string>(),
                        "rulesets folder (default: the shipped rulesets)")(
      "date", po::value<std::string>(), "evaluation date, YYYY-MM-DD (default: today)");
  if (mode == Mode::run) {
    options.add_options()("format", po::value<std::string>()->default_value("text"),
                          "text or json")(
        "explain", "with --format json: add why each decision was made (\"explain\")");
  }
  po::variables_map vm;
  if (auto exit = parse_options(command, synopsis, args, options, "RECORD", vm)) return *exit;

  const std::string format = mode == Mode::run ? vm["format"].as<std::string>() : "text";
  if (format != "text" && format != "json") {
    std::cerr << "concord run: unknown --format '" << format << "' (use text or json)\n";
    return kExitUsage;
  }
  const bool with_explanations = mode == Mode::explain || vm.count("explain");
  runtime::Date date = today();
  if (vm.count("date")) {
    const auto parsed = runtime::Date::parse_iso(vm["date"].as<std::string>());
    if (!parsed) {
      std::cerr << "concord " << command << ": --date '" << vm["date"].as<std::string>()
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
    std::cerr << dsl::format_text(library.diagnostics, library.sources) << "concord " << command
              << ": the rulesets in " << rulesets.string()
              << " have errors; fix them (concord check shows them all) and run again\n";
    return kExitUsage;
  }
  const runtime::Program& program = *library.program;

  int status = kExitOk;
  bool first = true;
  for (const auto& path : vm["RECORD"].as<std::vector<std::string>>()) {
    const fhir::ReadResult read = hosts::read_record_file(path);
    if (read.error) {
      std::cerr << read.error->source << (read.error->where.empty() ? "" : ":") << read.error->where
                << ": error: " << read.error->message << "\n";
      if (!read.error->hint.empty()) std::cerr << "  hint: " << read.error->hint << "\n";
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
      std::vector<runtime::Explanation> explanations;
      if (with_explanations) explanations = runtime::explain(program, evaluation);
      if (format == "json") {
        std::cout << runtime::render_json(program, record, evaluation, notes,
                                          with_explanations ? &explanations : nullptr)
                  << "\n";
      } else {
        std::cout << (first ? "" : "\n")
                  << (mode == Mode::explain
                          ? runtime::render_explain_text(record, evaluation, explanations)
                          : runtime::render_text(program, record, evaluation));
      }
      first = false;
    }
  }
  return status;
}

}  // namespace

int command_run(const std::vector<std::string>& args) {
  return evaluate_records(args, Mode::run);
}

int command_explain(const std::vector<std::string>& args) {
  return evaluate_records(args, Mode::explain);
}

}  // namespace concord::tools
