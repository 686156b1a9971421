// The plugins a configuration sets up: its folders, digests and settings as the loader's
// policy, what loading them gave, and the extensions the loaded plugins give the rulesets.
// Shared by the command line, the service and libconcord.so, so they all load plugins alike.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "concord/config/config.hpp"
#include "concord/dsl/check.hpp"
#include "concord/runtime/plugins.hpp"

namespace concord::config {

using PluginList = std::vector<std::shared_ptr<const runtime::plugins::LoadedPlugin>>;

// The plugin folders, digests and settings of a configuration, as the loader's policy.
runtime::plugins::LoadPolicy plugin_policy(const Config& config);

// What became of the plugins a configuration points at.
struct PluginLoad {
  PluginList loaded;                                 // in folder order, then by file name
  std::vector<runtime::plugins::Candidate> refused;  // each with the reason and what to do
  // Plugins the configuration names that no folder gave: a [plugins.sha256] file found in
  // none of the folders, a [plugin.NAME] section with no loaded plugin of that name (told only
  // when no file was refused, since a refused file's name is unknown). One message each,
  // naming the section, what is missing and what to do.
  std::vector<std::string> missing;
};

// Loads every plugin of the configured folders (none when there are no folders).
PluginLoad load_plugins(const Config& config);

// What the configuration names that the plugin folders did not give (PluginLoad::missing),
// given everything the folders held.
std::vector<std::string> missing_plugins(const Config& config,
                                         const std::vector<runtime::plugins::Candidate>& found);

// The extensions that loaded plugins give the rulesets: the first terminology plugin, and
// every functions plugin (their functions numbered in folder and file order). A plugin call
// that fails goes to `report`, with the plugin's name.
dsl::Extensions extensions_from(const PluginList& plugins, runtime::plugins::Reporter report);

// "the plugin folders A, B (from FILE)", for messages that say where plugins were looked for.
std::string plugin_folders_text(const Config& config);

}  // namespace concord::config
