#include "concord/config/plugins.hpp"

#include <algorithm>
#include <set>

namespace concord::config {
namespace {

// The end of a message about a plugin the configuration names but no folder gave: where it
// was looked for, and what to do.
std::string not_there(const Config& config, const std::string& absent) {
  if (config.plugin_folders.empty()) {
    return "but no plugin folder is configured; add '[plugins] folder = ...' to " +
           config.source.string() + " and install it there, or remove it from the configuration";
  }
  return "but " + absent + " " + plugin_folders_text(config) +
         "; install it there, or remove it from the configuration if it is not used";
}

}  // namespace

runtime::plugins::LoadPolicy plugin_policy(const Config& config) {
  runtime::plugins::LoadPolicy policy;
  policy.folders = config.plugin_folders;
  policy.sha256 = config.plugin_sha256;
  policy.settings = config.plugin_settings;
  return policy;
}

std::vector<std::string> missing_plugins(const Config& config,
                                         const std::vector<runtime::plugins::Candidate>& found) {
  std::vector<std::string> missing;
  std::set<std::string> files;  // every file name the folders held, loaded or refused
  bool refused = false;
  for (const auto& candidate : found) {
    files.insert(candidate.file.filename().string());
    refused = refused || !candidate.plugin;
  }
  for (const auto& [file, digest] : config.plugin_sha256) {
    if (files.count(file) == 0) {
      missing.push_back("[plugins.sha256] lists " + file + ", " +
                        not_there(config, "it is in none of"));
    }
  }
  // A refused file's plugin name is not known, so a name is missing for sure only when every
  // file loaded.
  if (refused) return missing;
  for (const auto& [name, settings] : config.plugin_settings) {
    const bool found_name = std::any_of(found.begin(), found.end(), [&](const auto& candidate) {
      return candidate.plugin && candidate.plugin->name() == name;
    });
    if (!found_name) {
      missing.push_back("[plugin." + name + "] sets up a plugin named '" + name + "', " +
                        not_there(config, "no plugin of that name was loaded from"));
    }
  }
  return missing;
}

PluginLoad load_plugins(const Config& config) {
  PluginLoad load;
  std::vector<runtime::plugins::Candidate> found;
  if (!config.plugin_folders.empty()) {
    found = runtime::plugins::Loader(plugin_policy(config)).load_all();
  }
  load.missing = missing_plugins(config, found);
  for (auto& candidate : found) {
    if (candidate.plugin) {
      load.loaded.push_back(std::move(candidate.plugin));
    } else {
      load.refused.push_back(std::move(candidate));
    }
  }
  return load;
}

dsl::Extensions extensions_from(const PluginList& plugins, runtime::plugins::Reporter report) {
  dsl::Extensions extensions;
  PluginList functions;
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

std::string plugin_folders_text(const Config& config) {
  if (config.plugin_folders.empty()) {
    return "no plugin folder is configured (add [plugins] folder = ... to " +
           config.source.string() + ")";
  }
  return "the plugin folders " + paths_text(config.plugin_folders) + " (from " +
         config.source.string() + ")";
}

}  // namespace concord::config
