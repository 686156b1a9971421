// concord: the command line for guideline authors, integrators and IT teams.
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "commands.hpp"

namespace {

constexpr const char* kUsage = R"(usage: concord <command> [options] [arguments]

commands:
  check  [--format text|json] PATH...     check rulesets; exit 0 clean, 1 errors found
  fmt    [--check] PATH...                rewrite rulesets in the canonical layout;
                                          --check: list files that are not, exit 1
  test   [PATH...]                        run ruleset tests (*.concordtest); exit 1 on a failure
  run    [--rulesets DIR] [--date YYYY-MM-DD] [--locale TAG] [--format text|json|html|letter]
         [--explain] [--output DIR] RECORD...
                                          evaluate records and print the review; html: the
                                          review view, letter: the letter to the person
  explain [--rulesets DIR] [--date YYYY-MM-DD] RECORD
                                          why each condition, reminder and review decision
  batch  [--rulesets DIR] [--date YYYY-MM-DD] [--jobs N] [--format jsonl|csv] [--summary FILE] INPUT...
                                          population runs: files, folders, or - (NDJSON on stdin)
  serve  [--config FILE] [--rulesets DIR] [--listen ADDR:PORT] [--insecure-dev]
                                          the HL7 CDS Hooks 2.0 service (one card per review)
  plugins list [--config FILE]            every plugin file found, loaded or refused, and why
  config check FILE                       validate a configuration file and print what it sets

Run 'concord <command> --help' for a command's options.
)";

}  // namespace

int main(int argc, char** argv) {
  using namespace concord::tools;
  if (argc < 2) {
    std::cerr << kUsage;
    return kExitUsage;
  }
  const std::string command = argv[1];
  const std::vector<std::string> args(argv + 2, argv + argc);
  try {
    if (command == "check") return command_check(args);
    if (command == "run") return command_run(args);
    if (command == "explain") return command_explain(args);
    if (command == "fmt") return command_fmt(args);
    if (command == "test") return command_test(args);
    if (command == "batch") return command_batch(args);
    if (command == "serve") return command_serve(args);
    if (command == "plugins") return command_plugins(args);
    if (command == "config") return command_config(args);
    if (command == "--help" || command == "-h" || command == "help") {
      std::cout << kUsage;
      return kExitOk;
    }
    if (command == "--version") {
      std::cout << "concord " << CONCORD_VERSION << "\n";
      return kExitOk;
    }
    std::cerr << "concord: unknown command '" << command << "'\n\n" << kUsage;
    return kExitUsage;
  } catch (const std::exception& e) {
    // Commands report their own errors; this is the last guard so that no input ends
    // the process with a signal.
    std::cerr << "concord " << command << ": internal error: " << e.what() << "\n";
    return kExitUsage;
  }
}
