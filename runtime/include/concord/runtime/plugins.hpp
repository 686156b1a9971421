// Loading plugins (concord/plugin.h) with Boost.DLL, after checking where each came from, and
// the adapters that present a loaded plugin as the runtime's Terminology, Functions or renderer.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "concord/plugin.h"
#include "concord/runtime/extensions.hpp"

namespace concord::runtime::plugins {

// What the host trusts: the folders plugins may come from, and optionally the SHA-256 of each
// plugin file. When `sha256` lists anything, every plugin must be listed (by file name) with
// the digest of its content, so that nothing unlisted is loaded.
struct LoadPolicy {
  std::vector<std::filesystem::path> folders;
  std::map<std::string, std::string> sha256;  // file name -> 64 hex digits
  // Settings passed to a plugin's `create`, by plugin name, in configuration order.
  std::map<std::string, std::vector<std::pair<std::string, std::string>>> settings;
};

// One loaded plugin: the shared library, its descriptor and the instance it made. The library
// stays mapped for as long as any shared_ptr to this object lives, so adapters hold one.
class LoadedPlugin {
 public:
  LoadedPlugin(const LoadedPlugin&) = delete;
  LoadedPlugin& operator=(const LoadedPlugin&) = delete;
  ~LoadedPlugin();

  const std::string& name() const { return name_; }
  const std::string& version() const { return version_; }
  const std::filesystem::path& file() const { return file_; }
  concord_plugin_kind kind() const { return static_cast<concord_plugin_kind>(descriptor_->kind); }
  const concord_plugin& descriptor() const { return *descriptor_; }
  void* instance() const { return instance_; }

 private:
  friend class Loader;
  LoadedPlugin() = default;

  std::shared_ptr<void> library_;  // the boost::dll::shared_library, destroyed last
  const concord_plugin* descriptor_ = nullptr;
  void* instance_ = nullptr;
  std::string name_;
  std::string version_;
  std::filesystem::path file_;
};

// What became of one file found in a plugin folder.
struct Candidate {
  std::filesystem::path file;
  std::shared_ptr<const LoadedPlugin> plugin;  // set when loaded
  std::string refusal;                         // why it was not loaded, when it was not
};

// Loads plugins under a policy. Every refusal names what was wrong, the file, and what to do.
class Loader {
 public:
  explicit Loader(LoadPolicy policy);

  // Every `*.so` file directly inside each configured folder, in folder order and then by
  // name, loaded or refused. A folder that cannot be read is one refused candidate.
  std::vector<Candidate> load_all() const;

  // One file, under the same checks (it must still be inside a configured folder).
  Candidate load(const std::filesystem::path& file) const;

 private:
  std::optional<std::string> refuse_location(const std::filesystem::path& canonical,
                                             const std::filesystem::path& as_found) const;
  LoadPolicy policy_;
  std::vector<std::filesystem::path> canonical_folders_;
};

// "terminology", "functions" or "renderer"; nullptr for a kind Concord does not know.
const char* kind_name(std::uint32_t kind);

// The lowercase hex SHA-256 of a file's content, or nullopt when it cannot be read.
std::optional<std::string> sha256_file(const std::filesystem::path& file);

// Where adapters report a plugin call that failed (the call itself returns "no value").
// Must be safe to call from several threads. The default writes one line to stderr.
using Reporter = std::function<void(const std::string& message)>;
Reporter stderr_reporter();

// A terminology plugin as the runtime's Terminology.
class PluginTerminology final : public Terminology {
 public:
  PluginTerminology(std::shared_ptr<const LoadedPlugin> plugin, Reporter report);
  std::optional<std::vector<std::string>> refset_members(std::string_view refset_id) const override;
  std::vector<Code> legacy_codes_for(std::string_view snomed_concept) const override;

 private:
  std::shared_ptr<const LoadedPlugin> plugin_;
  Reporter report_;
};

// One or more function plugins as the runtime's Functions: slots number the functions of all
// plugins in the order given. The record crosses the boundary as a concord_record_view built
// into per-thread buffers, so a call allocates nothing once a thread has warmed up.
class PluginFunctions final : public Functions {
 public:
  PluginFunctions(std::vector<std::shared_ptr<const LoadedPlugin>> plugins, Reporter report);
  std::optional<std::size_t> find(std::string_view name) const override;
  std::optional<double> call(std::size_t slot, const Record& record, Date date) const override;
  const std::vector<std::string>& names() const override { return names_; }

 private:
  struct Slot {
    const LoadedPlugin* plugin;
    std::size_t index;
  };
  std::vector<std::shared_ptr<const LoadedPlugin>> plugins_;
  std::vector<Slot> slots_;
  std::vector<std::string> names_;
  Reporter report_;
};

// A renderer plugin: the contract's JSON output of one record in, its document out.
class PluginRenderer {
 public:
  explicit PluginRenderer(std::shared_ptr<const LoadedPlugin> plugin);
  std::string_view format() const;
  std::string_view media_type() const;
  // The document, or the plugin's error message in `error` (never throws for a plugin fault).
  std::optional<std::string> render(std::string_view output_json, std::string& error) const;

 private:
  std::shared_ptr<const LoadedPlugin> plugin_;
};

// The record as the plain C view plugins receive (exposed for tests and other hosts). The
// view points into `record` and into the two buffers, which are cleared and refilled.
concord_record_view make_record_view(const Record& record, std::vector<concord_fact_view>& facts,
                                     std::vector<concord_code_view>& codes);

}  // namespace concord::runtime::plugins
