#include "settings.hpp"

#include <iostream>

#include "commands.hpp"

namespace concord::tools {
namespace {

void warn(const std::string& command, const std::string& message) {
  std::cerr << "concord " + command + ": warning: " + message + "\n";
}

}  // namespace

std::string Settings::rulesets_text() const {
  return config::paths_text(rulesets);
}

std::string Settings::plugin_folders_text() const {
  if (!config) {
    return std::string(
               "no plugin folder is configured (there is no configuration file: name one "
               "with --config FILE, or create ") +
           config::kDefaultPath + ")";
  }
  return config::plugin_folders_text(*config);
}

const config::PluginList& Settings::load_plugins(const std::string& command) const {
  if (!plugins_) {
    plugins_ = config ? load_plugins_warning(command, *config) : config::PluginList();
  }
  return *plugins_;
}

dsl::Extensions Settings::extensions(const std::string& command) const {
  return config::extensions_from(load_plugins(command),
                                 [command](const std::string& message) { warn(command, message); });
}

config::PluginList load_plugins_warning(const std::string& command, const config::Config& c) {
  config::PluginLoad load = config::load_plugins(c);
  for (const auto& refused : load.refused) {
    warn(command, "plugin " + refused.file.string() + " not loaded: " + refused.refusal);
  }
  return std::move(load.loaded);
}

void add_config_option(po::options_description& options) {
  options.add_options()(
      "config", po::value<std::string>(),
      (std::string("configuration file: rulesets folders, default locale, plugins (default ") +
       config::kDefaultPath + " when it exists)")
          .c_str());
}

std::optional<int> resolve_settings(const std::string& command, const po::variables_map& vm,
                                    Settings& settings) {
  std::filesystem::path file = config::kDefaultPath;
  std::error_code ec;
  const bool named = vm.count("config") > 0;
  if (named) file = vm["config"].as<std::string>();
  if (named || std::filesystem::exists(file, ec)) {
    const config::LoadResult result = config::load(file);
    if (!result.config) {
      std::cerr << config::format_problems(result.problems) << "concord " << command
                << ": cannot use the configuration file " << file.string()
                << (result.unreadable ? "" : "; fix it (concord config check shows why)") << "\n";
      return kExitUsage;
    }
    settings.config = result.config;
  }
  if (vm.count("rulesets")) {
    settings.rulesets = {vm["rulesets"].as<std::string>()};
    settings.rulesets_from_command_line = true;
  } else if (settings.config && !settings.config->ruleset_folders.empty()) {
    settings.rulesets = settings.config->ruleset_folders;
  } else {
    settings.rulesets = {shipped_rulesets()};
  }
  if (settings.config) settings.locale = settings.config->locale;
  if (vm.count("locale") && !vm["locale"].defaulted()) {
    settings.locale = vm["locale"].as<std::string>();
  }
  return std::nullopt;
}

}  // namespace concord::tools
