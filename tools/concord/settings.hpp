// What the everyday commands (run, explain, batch, check, test) take from the configuration
// file: the rulesets folders, the default locale and the plugins. One place, so that every
// command reads the file the same way and command-line flags override it the same way.
//
// The file is the one named by --config, else the default (config::kDefaultPath) when it
// exists, else none (the shipped rulesets, en-GB, no plugins).
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "concord/config/config.hpp"
#include "concord/config/plugins.hpp"
#include "concord/dsl/check.hpp"
#include "concord/runtime/plugins.hpp"
#include "options.hpp"

namespace concord::tools {

struct Settings {
  std::optional<config::Config> config;         // the file in effect, when there is one
  std::vector<std::filesystem::path> rulesets;  // --rulesets, else the file's, else shipped
  std::string locale = "en-GB";                 // --locale, else the file's
  bool rulesets_from_command_line = false;

  // The rulesets folders as one line for messages ("a, b").
  std::string rulesets_text() const;
  // Where plugins come from, for messages: "the plugin folders A, B (from FILE)", or why
  // there are none ("no plugin folder is configured (...)").
  std::string plugin_folders_text() const;
  // Loads every plugin of the configured folders, once; each refused one is a warning on
  // stderr.
  const config::PluginList& load_plugins(const std::string& command) const;
  // What the loaded plugins give the rulesets: the first terminology plugin, and every
  // functions plugin (their functions numbered in folder and file order). A plugin call that
  // fails is reported on stderr with the plugin's name.
  dsl::Extensions extensions(const std::string& command) const;

 private:
  mutable std::optional<config::PluginList> plugins_;
};

// Loads the configuration's plugins (config::load_plugins); each refused one is a warning on
// stderr for `command`, and the loaded ones are returned.
config::PluginList load_plugins_warning(const std::string& command, const config::Config& c);

// Adds `--config FILE` to a command's options.
void add_config_option(po::options_description& options);

// Reads the configuration named by --config (or the default file when it exists) and applies
// the command line's --rulesets and --locale (when the command has them and they were given).
// Returns an exit status when the command must stop: 2 when the file cannot be read or is
// invalid, with the file's own messages on stderr.
std::optional<int> resolve_settings(const std::string& command, const po::variables_map& vm,
                                    Settings& settings);

}  // namespace concord::tools
