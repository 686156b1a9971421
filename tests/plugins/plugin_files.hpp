// Temporary plugin folders for the tests: each test copies the plugins it needs from the build
// folder into its own folder, with the permissions it is testing.
#pragma once

#include <filesystem>
#include <string>

#include "concord/runtime/plugins.hpp"

namespace concord::test {

class PluginFolder {
 public:
  PluginFolder();
  ~PluginFolder();
  PluginFolder(const PluginFolder&) = delete;
  PluginFolder& operator=(const PluginFolder&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // Copies a built plugin in (mode 0755) under `name`, or its own file name.
  std::filesystem::path add(const std::filesystem::path& built, const std::string& name = "");
  runtime::plugins::LoadPolicy policy() const;

 private:
  std::filesystem::path path_;
};

// Loads one built plugin from a fresh folder, and fails the test if it is refused.
std::shared_ptr<const runtime::plugins::LoadedPlugin> load_built(
    const std::filesystem::path& built, runtime::plugins::LoadPolicy extra = {});

}  // namespace concord::test
