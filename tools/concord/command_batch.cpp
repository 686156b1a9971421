// `concord batch`: population runs (see batch.hpp).
#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <thread>

#include <unistd.h>

#include "batch.hpp"
#include "concord/dsl/library.hpp"
#include "concord/runtime/today.hpp"
#include "options.hpp"
#include "settings.hpp"

namespace concord::tools {
namespace {

constexpr unsigned kMaxJobs = 256;
constexpr unsigned kDefaultMaxJobs = 64;

}  // namespace

int command_batch(const std::vector<std::string>& args) {
  const std::string synopsis =
      "concord batch [--config FILE] [--rulesets DIR] [--date YYYY-MM-DD] [--jobs N] [--format "
      "jsonl|csv] "
      "[--summary FILE] [--no-progress] INPUT...   (INPUT: file, folder, or - for stdin)";
  po::options_description options("batch options");
  add_config_option(options);
  options.add_options()(
      "rulesets", po::value<std::string>(),
      "rulesets folder (default: the configuration's, else the shipped rulesets)")(
      "date", po::value<std::string>(), "evaluation date, YYYY-MM-DD (default: today)")(
      "jobs", po::value<unsigned>(),
      "worker threads (default: the machine's cores, at most 64; 1: serial)")(
      "format", po::value<std::string>()->default_value("jsonl"),
      "jsonl (one contract JSON object per line) or csv (one row per person)")(
      "summary", po::value<std::string>(), "write the batch's totals as JSON to FILE")(
      "no-progress", "no progress line on stderr (shown only when stderr is a terminal)");
  po::variables_map vm;
  if (auto exit = parse_options("batch", synopsis, args, options, "INPUT", vm)) return *exit;
  Settings settings;
  if (auto exit = resolve_settings("batch", vm, settings)) return *exit;

  batch::Options batch_options;
  batch_options.inputs = vm["INPUT"].as<std::vector<std::string>>();
  const std::string format = vm["format"].as<std::string>();
  if (format == "jsonl") {
    batch_options.format = batch::Format::jsonl;
  } else if (format == "csv") {
    batch_options.format = batch::Format::csv;
  } else {
    std::cerr << "concord batch: unknown --format '" << format << "' (use jsonl or csv)\n";
    return kExitUsage;
  }
  if (vm.count("jobs")) {
    batch_options.jobs = vm["jobs"].as<unsigned>();
    if (batch_options.jobs < 1 || batch_options.jobs > kMaxJobs) {
      std::cerr << "concord batch: --jobs must be between 1 and " << kMaxJobs << "\n";
      return kExitUsage;
    }
  } else {
    batch_options.jobs = std::clamp(std::thread::hardware_concurrency(), 1u, kDefaultMaxJobs);
  }
  batch_options.progress = vm.count("no-progress") == 0 && isatty(STDERR_FILENO) == 1;
  batch_options.date = runtime::today_local();
  if (vm.count("date")) {
    const auto parsed = runtime::Date::parse_iso(vm["date"].as<std::string>());
    if (!parsed) {
      std::cerr << "concord batch: --date '" << vm["date"].as<std::string>()
                << "' is not a calendar date; write it as YYYY-MM-DD, e.g. 2026-12-01\n";
      return kExitUsage;
    }
    batch_options.date = *parsed;
  }
  if (std::count(batch_options.inputs.begin(), batch_options.inputs.end(), "-") > 1) {
    std::cerr << "concord batch: stdin (-) can be read only once\n";
    return kExitUsage;
  }
  // Open the summary first: a typo in its path should not cost a population run.
  std::ofstream summary_file;
  if (vm.count("summary")) {
    summary_file.open(vm["summary"].as<std::string>(), std::ios::binary | std::ios::trunc);
    if (!summary_file) {
      std::cerr << "concord batch: --summary " << vm["summary"].as<std::string>()
                << ": cannot be written\n";
      return kExitUsage;
    }
  }
  const dsl::LoadResult library =
      dsl::load_library(settings.rulesets, settings.extensions("batch"));
  if (!library.ok()) {
    std::cerr << dsl::format_text(library.diagnostics, library.sources)
              << "concord batch: the rulesets in " << settings.rulesets_text()
              << " have errors; fix them (concord check shows them all) and run again\n";
    return kExitUsage;
  }

  // A closed stdout (`| head`, a finished Spark task) is a failed write, not a signal.
  std::signal(SIGPIPE, SIG_IGN);
  // stdin is read through its stream buffer and stdout written with stdio: no need to
  // keep the C++ streams in step with C's, which makes reading much faster.
  std::ios::sync_with_stdio(false);
  static char out_buffer[1 << 16];
  std::setvbuf(stdout, out_buffer, _IOFBF, sizeof out_buffer);

  const auto start = std::chrono::steady_clock::now();
  batch::Summary summary;
  const batch::Outcome outcome =
      batch::run(*library.program, batch_options, std::cin, stdout, std::cerr, summary);
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  if (summary_file.is_open()) {
    summary_file << summary.to_json(*library.program, batch_options.date, batch_options.jobs,
                                    elapsed);
    summary_file.close();
    if (!summary_file) {
      std::cerr << "concord batch: --summary " << vm["summary"].as<std::string>()
                << ": could not be written\n";
      return kExitUsage;
    }
  }
  if (!outcome.write_error.empty()) {
    std::cerr << "concord batch: the output could not be written: " << outcome.write_error << "\n";
    return kExitUsage;
  }
  return outcome.unreadable_input ? kExitUsage : kExitOk;
}

}  // namespace concord::tools
