// `concord config check FILE` and `concord plugins list [--config FILE]`: what the
// configuration says, and what became of each plugin file it points at.
#include <iostream>

#include "commands.hpp"
#include "concord/config/config.hpp"
#include "concord/config/plugins.hpp"
#include "concord/runtime/plugins.hpp"
#include "options.hpp"
#include "settings.hpp"

namespace concord::tools {
namespace {

// "functions: cha2ds2_vasc, efi", "renderer: fhir", "terminology".
std::string provides(const std::shared_ptr<const runtime::plugins::LoadedPlugin>& plugin) {
  std::string text = runtime::plugins::kind_name(plugin->kind());
  if (plugin->kind() == CONCORD_PLUGIN_FUNCTIONS) {
    const runtime::plugins::PluginFunctions functions({plugin},
                                                      runtime::plugins::stderr_reporter());
    std::string names;
    for (const auto& n : functions.names())
      names += (names.empty() ? "" : ", ") + n;
    text += ": " + names;
  } else if (plugin->kind() == CONCORD_PLUGIN_RENDERER) {
    text += ": " + std::string(runtime::plugins::PluginRenderer(plugin).format());
  }
  return text;
}

}  // namespace

int command_config(const std::vector<std::string>& args) {
  const std::string synopsis = "concord config check FILE";
  const auto is_help = [](const std::string& a) { return a == "--help" || a == "-h"; };
  if (args.empty() || args[0] != "check" || args.size() != 2 || is_help(args[1])) {
    if (!args.empty() && (is_help(args[0]) || (args.size() == 2 && is_help(args[1])))) {
      std::cout << "usage: " << synopsis
                << "\n\nValidates a configuration file and prints the configuration in effect.\n"
                   "Exit 0 valid, 1 invalid, 2 unreadable.\n";
      return kExitOk;
    }
    std::cerr << "concord config: expected 'check FILE'\nusage: " << synopsis << "\n";
    return kExitUsage;
  }
  const config::LoadResult result = config::load(args[1]);
  if (result.unreadable) {
    std::cerr << config::format_problems(result.problems);
    return kExitUsage;
  }
  if (!result.config) {
    std::cerr << config::format_problems(result.problems) << "concord config: " << args[1]
              << " has " << result.problems.size()
              << (result.problems.size() == 1 ? " problem" : " problems")
              << "; fix them and run 'concord config check' again\n";
    return kExitFindings;
  }
  std::cout << config::describe(*result.config);
  return kExitOk;
}

int command_plugins(const std::vector<std::string>& args) {
  const std::string synopsis = "concord plugins list [--config FILE]";
  if (args.empty() || args[0] != "list") {
    if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {
      std::cout << "usage: " << synopsis << "\n";
      return kExitOk;
    }
    std::cerr << "concord plugins: expected 'list'\nusage: " << synopsis << "\n";
    return kExitUsage;
  }
  po::options_description options("plugins list options");
  options.add_options()(
      "config", po::value<std::string>(),
      (std::string("configuration file (default ") + config::kDefaultPath + ")").c_str());
  po::variables_map vm;
  if (auto exit = parse_options("plugins list", synopsis, {args.begin() + 1, args.end()}, options,
                                "", vm)) {
    return *exit;
  }
  std::filesystem::path file = config::kDefaultPath;
  std::error_code ec;
  if (vm.count("config")) {
    file = vm["config"].as<std::string>();
  } else if (!std::filesystem::exists(file, ec)) {
    std::cout << "no configuration file at " << file.string()
              << ", so no plugin folders; name one with --config FILE\n";
    return kExitOk;
  }
  const config::LoadResult result = config::load(file);
  if (!result.config) {
    std::cerr << config::format_problems(result.problems);
    return kExitUsage;
  }
  const config::Config& c = *result.config;
  if (c.plugin_folders.empty()) {
    std::cout << file.string() << " names no plugin folders ([plugins] folder = ...)\n";
    for (const std::string& missing : config::missing_plugins(c, {}))
      std::cout << "missing  " << missing << "\n";
    return c.plugin_sha256.empty() && c.plugin_settings.empty() ? kExitOk : kExitFindings;
  }
  const auto candidates = runtime::plugins::Loader(config::plugin_policy(c)).load_all();
  const std::vector<std::string> missing = config::missing_plugins(c, candidates);
  std::size_t loaded = 0;
  for (const auto& candidate : candidates) {
    if (candidate.plugin) {
      ++loaded;
      const auto& p = *candidate.plugin;
      std::cout << "loaded   " << p.name() << " " << p.version() << " ("
                << provides(candidate.plugin) << ")  " << candidate.file.string() << "\n";
    } else {
      std::cout << "refused  " << candidate.file.string() << "\n         " << candidate.refusal
                << "\n";
    }
  }
  for (const std::string& m : missing)
    std::cout << "missing  " << m << "\n";
  std::cout << loaded << " loaded, " << candidates.size() - loaded << " refused";
  if (!missing.empty()) std::cout << ", " << missing.size() << " missing";
  std::cout << "\n";
  return loaded == candidates.size() && missing.empty() ? kExitOk : kExitFindings;
}

}  // namespace concord::tools
