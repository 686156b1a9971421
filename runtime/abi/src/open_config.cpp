#include "open_config.hpp"

#include <dlfcn.h>

#include <system_error>

#include "concord/config/config.hpp"
#include "concord/config/plugins.hpp"

namespace concord::abi {
namespace {

namespace fs = std::filesystem;

std::string without_final_newline(std::string text) {
  while (!text.empty() && text.back() == '\n')
    text.pop_back();
  return text;
}

// The shipped rulesets, as `concord` finds them: installed at a fixed place relative to this
// library's folder (lib/ -> share/concord/rulesets, wherever the prefix is), else the source
// tree's when the library runs from a build folder. Empty when neither exists.
fs::path shipped_rulesets() {
  std::error_code ec;
  Dl_info info{};
  if (::dladdr(reinterpret_cast<void*>(&shipped_rulesets), &info) != 0 &&
      info.dli_fname != nullptr) {
    const fs::path installed =
        (fs::path(info.dli_fname).parent_path() / CONCORD_INSTALLED_RULESETS_FROM_LIBDIR)
            .lexically_normal();
    if (fs::is_directory(installed, ec)) return installed;
  }
  if (fs::is_directory(CONCORD_SOURCE_RULESETS, ec)) return CONCORD_SOURCE_RULESETS;
  return {};
}

// Which plugins a runtime opened from `file` has, for the errors of a ruleset that needs one.
std::string plugins_note(const fs::path& file, const config::Config& config,
                         const config::PluginList& plugins) {
  constexpr const char* reopen =
      ", and open the runtime again (concord_reload keeps the plugins a runtime was opened with)";
  if (config.plugin_folders.empty()) {
    return "this runtime was opened from " + file.string() +
           ", which configures no plugin folder, so it has no plugins; add '[plugins] folder = "
           "FOLDER' to it, install the plugin in FOLDER" +
           reopen;
  }
  std::string names;
  for (const auto& plugin : plugins) {
    names += (names.empty() ? "" : ", ") + plugin->name() + " " + plugin->version() + " (" +
             runtime::plugins::kind_name(plugin->descriptor().kind) + ")";
  }
  return "this runtime was opened from " + file.string() + " with " +
         (names.empty() ? "no plugins" : "the plugins " + names) + ", loaded from " +
         config::plugin_folders_text(config) + "; install the plugin there" + reopen;
}

}  // namespace

std::string no_plugins_note() {
  return "concord_open loads no plugins; to use refsets and scores, open the runtime with "
         "concord_open_config and a configuration file whose [plugins] folder holds the "
         "terminology and clinical plugins";
}

Configured configure(const fs::path& file) {
  Configured result;
  const config::LoadResult read = config::load(file);
  if (!read.config) {
    result.error = "cannot use the configuration file " + file.string() +
                   (read.unreadable ? ""
                                    : "; fix it (concord config check " + file.string() +
                                          " lists every problem)") +
                   ":\n" + without_final_newline(config::format_problems(read.problems));
    return result;
  }
  const config::Config& config = *read.config;

  Sources sources;
  sources.configuration = file;
  sources.rulesets = config.ruleset_folders;
  if (sources.rulesets.empty()) {
    const fs::path shipped = shipped_rulesets();
    if (shipped.empty()) {
      result.error = file.string() +
                     " names no rulesets folder, and the shipped rulesets are not installed "
                     "beside this library; add 'folder = PATH' under [rulesets]";
      return result;
    }
    sources.rulesets = {shipped};
  }

  config::PluginLoad plugins = config::load_plugins(config);
  if (!plugins.refused.empty() || !plugins.missing.empty()) {
    result.error = "the plugins that " + file.string() +
                   " sets up cannot all be loaded, so no runtime was opened; fix each problem "
                   "below and open it again (concord plugins list --config " +
                   file.string() + " shows every plugin file):";
    for (const auto& refused : plugins.refused) {
      result.error += "\n  plugin " + refused.file.string() + " not loaded: " + refused.refusal;
    }
    for (const auto& missing : plugins.missing)
      result.error += "\n  " + missing;
    return result;
  }
  sources.plugins_note = plugins_note(file, config, plugins.loaded);
  PluginNotes notes;
  sources.extensions = config::extensions_from(plugins.loaded, PluginNotes::reporter());
  sources.plugin_warnings = notes.take();
  result.sources = std::move(sources);
  return result;
}

}  // namespace concord::abi
