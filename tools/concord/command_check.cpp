#include <algorithm>
#include <filesystem>
#include <iostream>

#include "concord/dsl/library.hpp"
#include "concord/dsl/messages.hpp"
#include "options.hpp"
#include "settings.hpp"

namespace concord::tools {

int command_check(const std::vector<std::string>& args) {
  po::options_description options("check options");
  options.add_options()("format", po::value<std::string>()->default_value("text"),
                        "diagnostics as text (file:line:col with a caret) or json");
  add_config_option(options);
  po::variables_map vm;
  // Without a PATH, check the configured rulesets folders (or the shipped rulesets).
  std::vector<std::string> with_default = args;
  if (!has_positional(args)) with_default.push_back("");
  if (auto exit =
          parse_options("check", "concord check [--config FILE] [--format text|json] [PATH...]",
                        with_default, options, "PATH", vm)) {
    return *exit;
  }
  Settings settings;
  if (auto exit = resolve_settings("check", vm, settings)) return *exit;
  const std::string format = vm["format"].as<std::string>();
  if (format != "text" && format != "json") {
    std::cerr << "concord check: unknown --format '" << format << "' (use text or json)\n";
    return kExitUsage;
  }
  std::vector<std::filesystem::path> paths;
  for (const auto& p : vm["PATH"].as<std::vector<std::string>>()) {
    if (!p.empty()) paths.emplace_back(p);
  }
  if (paths.empty()) paths = settings.rulesets;

  const dsl::LoadResult result = dsl::load_library(paths, settings.extensions("check"));
  if (format == "json") {
    std::cout << dsl::format_json(result.diagnostics) << "\n";
  } else {
    std::cerr << dsl::format_text(result.diagnostics, result.sources);
    if (result.ok()) {
      const auto locales =
          std::count_if(result.sources.begin(), result.sources.end(),
                        [](const auto& s) { return dsl::is_messages_file(s.path); });
      const auto rulesets = static_cast<std::ptrdiff_t>(result.sources.size()) - locales;
      std::cerr << "concord check: " << rulesets << " ruleset file" << (rulesets == 1 ? "" : "s");
      if (locales) std::cerr << " and " << locales << " locale file" << (locales == 1 ? "" : "s");
      std::cerr << " checked, no errors\n";
    }
  }
  return result.ok() ? kExitOk : kExitFindings;
}

}  // namespace concord::tools
