// Option parsing shared by the subcommands: Boost.Program_options with the command's
// positional arguments, and usage errors reported the same way everywhere.
#pragma once

#include <algorithm>
#include <boost/program_options.hpp>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "commands.hpp"

namespace concord::tools {

namespace po = boost::program_options;

// Whether `args` holds a positional argument: one that is not an option nor the value of an
// option that takes one (--config FILE, --format F, ...). Options written `--name=value` and
// flags (--verbose, -v, --explain, --no-progress, --help) take no following value.
inline bool has_positional(const std::vector<std::string>& args) {
  static const std::vector<std::string> flags = {"--verbose",     "-v",     "--explain",
                                                 "--no-progress", "--help", "-h"};
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--") return i + 1 < args.size();
    if (a.empty() || a[0] != '-' || a == "-") return true;
    const bool flag = std::find(flags.begin(), flags.end(), a) != flags.end();
    if (!flag && a.find('=') == std::string::npos) ++i;  // skip the option's value
  }
  return false;
}

// Parses `args` into `vm`; on --help prints the usage and returns kExitOk, on a usage error
// prints it and returns kExitUsage, otherwise returns nullopt (go on). An empty `positional`
// means the command takes options only.
inline std::optional<int> parse_options(const std::string& command, const std::string& synopsis,
                                        const std::vector<std::string>& args,
                                        po::options_description& options,
                                        const std::string& positional, po::variables_map& vm) {
  options.add_options()("help,h", "show this help");
  po::options_description all;
  all.add(options);
  po::positional_options_description pos;
  if (!positional.empty()) {
    all.add_options()(positional.c_str(), po::value<std::vector<std::string>>());
    pos.add(positional.c_str(), -1);
  }
  try {
    po::store(po::command_line_parser(args).options(all).positional(pos).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "concord " << command << ": " << e.what() << "\nusage: " << synopsis << "\n";
    return kExitUsage;
  }
  if (vm.count("help")) {
    std::cout << "usage: " << synopsis << "\n\n" << options;
    return kExitOk;
  }
  if (!positional.empty() && !vm.count(positional)) {
    std::cerr << "concord " << command << ": missing " << positional << "\nusage: " << synopsis
              << "\n";
    return kExitUsage;
  }
  return std::nullopt;
}

}  // namespace concord::tools
