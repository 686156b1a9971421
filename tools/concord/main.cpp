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
  run    [--rulesets DIR] [--date YYYY-MM-DD] [--format text|json] [--explain] RECORD...
                                          evaluate records and print the review
  explain [--rulesets DIR] [--date YYYY-MM-DD] RECORD
                                          why each condition, reminder and review decision

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
