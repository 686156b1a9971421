#include "settings.hpp"

#include <iostream>

#include "commands.hpp"

namespace concord::tools {
namespace {

std::string join(const std::vector<std::filesystem::path>& paths) {
  std::string text;
  for (const auto& p : paths)
    text += (text.empty() ? "" : ", ") + p.string();
  return text;
}

}  // namespace

std::string Settings::rulesets_text() const {
  return join(rulesets);
}

std::string Settings::plugin_folders_text() const {
  if (!config) {
    return std::string(
               "no plugin folder is configured (there is no configuration file: name one "
               "with --config FILE, or create ") +
           config::kDefaultPath + ")";
  }
  if (config->plugin_folders.empty()) {
    return "no plugin folder is configured (add [plugins] folder = ... to " +
           config->source.string() + ")";
  }
  return "the plugin folders " + join(config->plugin_folders) + " (from " +
         config->source.string() + ")";
}

const std::vector<std::shared_ptr<const runtime::plugins::LoadedPlugin>>& Settings::load_plugins(
    const std::string& command) const {
  if (plugins_) return *plugins_;
  auto& loaded = plugins_.emplace();
  if (!config || config->plugin_folders.empty()) return loaded;
  for (auto& candidate : runtime::plugins::Loader(plugin_policy(*config)).load_all()) {
    if (candidate.plugin) {
      loaded.push_back(std::move(candidate.plugin));
    } else {
      std::cerr << "concord " << command << ": warning: plugin " << candidate.file.string()
                << " not loaded: " << candidate.refusal << "\n";
    }
  }
  return loaded;
}

dsl::Extensions Settings::extensions(const std::string& command) const {
  return extensions_from(load_plugins(command), [command](const std::string& message) {
    std::cerr << "concord " + command + ": warning: " + message + "\n";
  });
}

dsl::Extensions extensions_from(
    const std::vector<std::shared_ptr<const runtime::plugins::LoadedPlugin>>& plugins,
    runtime::plugins::Reporter report) {
  dsl::Extensions extensions;
  std::vector<std::shared_ptr<const runtime::plugins::LoadedPlugin>> functions;
  for (const auto& plugin : plugins) {
    if (plugin->kind() == CONCORD_PLUGIN_TERMINOLOGY && !extensions.terminology) {
      extensions.terminology =
          std::make_shared<runtime::plugins::PluginTerminology>(plugin, report);
    } else if (plugin->kind() == CONCORD_PLUGIN_FUNCTIONS) {
      functions.push_back(plugin);
    }
  }
  if (!functions.empty()) {
    extensions.functions =
        std::make_shared<runtime::plugins::PluginFunctions>(std::move(functions), report);
  }
  return extensions;
}

runtime::plugins::LoadPolicy plugin_policy(const config::Config& c) {
  runtime::plugins::LoadPolicy policy;
  policy.folders = c.plugin_folders;
  policy.sha256 = c.plugin_sha256;
  policy.settings = c.plugin_settings;
  return policy;
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
