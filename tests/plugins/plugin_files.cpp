#include "plugin_files.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <stdexcept>

namespace concord::test {
namespace fs = std::filesystem;

PluginFolder::PluginFolder() {
  std::string pattern = (fs::temp_directory_path() / "concord-plugins-XXXXXX").string();
  if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
  fs::permissions(path_, fs::perms(0755));
}

PluginFolder::~PluginFolder() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

fs::path PluginFolder::add(const fs::path& built, const std::string& name) {
  const fs::path target = path_ / (name.empty() ? built.filename().string() : name);
  fs::copy_file(built, target, fs::copy_options::overwrite_existing);
  fs::permissions(target, fs::perms(0755));
  return target;
}

runtime::plugins::LoadPolicy PluginFolder::policy() const {
  runtime::plugins::LoadPolicy p;
  p.folders = {path_};
  return p;
}

std::shared_ptr<const runtime::plugins::LoadedPlugin> load_built(
    const fs::path& built, runtime::plugins::LoadPolicy extra) {
  PluginFolder folder;
  const fs::path file = folder.add(built);
  extra.folders = {folder.path()};
  const auto candidate = runtime::plugins::Loader(extra).load(file);
  EXPECT_TRUE(candidate.plugin) << candidate.refusal;
  // The folder goes away now: a mapped library stays usable after its file is removed.
  return candidate.plugin;
}

}  // namespace concord::test
