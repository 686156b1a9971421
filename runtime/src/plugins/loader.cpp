// The plugin loader: where a file is, who may write it, what it hashes to, and what it exports
// are all checked before anything in it is trusted. Location, permissions and digest are
// checked before the library is mapped, because mapping a library runs its constructors.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <boost/dll/shared_library.hpp>
#include <exception>
#include <system_error>

#include "concord/runtime/plugins.hpp"

namespace concord::runtime::plugins {
namespace fs = std::filesystem;

namespace {

std::string quoted(const fs::path& p) {
  return "'" + p.string() + "'";
}

bool inside(const fs::path& file, const fs::path& folder) {
  auto f = file.begin();
  for (auto d = folder.begin(); d != folder.end(); ++d, ++f) {
    if (f == file.end() || *f != *d) return false;
  }
  return f != file.end();
}

// Refuses a file or folder that someone other than its owner may write, or whose owner is
// neither root nor the user running Concord.
std::optional<std::string> refuse_writable(const fs::path& path, bool is_folder) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return "cannot read the permissions of " + quoted(path) + ": " +
           std::error_code(errno, std::generic_category()).message();
  }
  const char* what = is_folder ? "folder " : "file ";
  if (st.st_mode & (S_IWGRP | S_IWOTH)) {
    return std::string(what) + quoted(path) +
           " is writable by its group or by others, so anyone could replace the plugin; "
           "remove that permission (chmod go-w " +
           path.string() + ")";
  }
  if (st.st_uid != 0 && st.st_uid != ::geteuid()) {
    return std::string(what) + quoted(path) + " is owned by user id " + std::to_string(st.st_uid) +
           ", neither root nor the user running concord; give it to root (chown root " +
           path.string() + ")";
  }
  return std::nullopt;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

// What is wrong with a descriptor whose ABI version is ours, or nullopt when it is usable.
std::optional<std::string> refuse_descriptor(const concord_plugin& d) {
  if (!kind_name(d.kind)) return "its kind " + std::to_string(d.kind) + " is not one Concord knows";
  if (!d.name || !*d.name) return "it has no name";
  if (!d.version) return "it has no version";
  if (!d.create || !d.destroy) return "it lacks create or destroy";
  switch (d.kind) {
    case CONCORD_PLUGIN_TERMINOLOGY:
      if (!d.terminology || !d.terminology->refset_members || !d.terminology->legacy_codes_for)
        return "it is a terminology plugin without its terminology functions";
      break;
    case CONCORD_PLUGIN_FUNCTIONS:
      if (!d.functions || !d.functions->count || !d.functions->name || !d.functions->call)
        return "it is a functions plugin without its function table";
      break;
    case CONCORD_PLUGIN_RENDERER:
      if (!d.renderer || !d.renderer->render || !d.renderer->format || !d.renderer->media_type)
        return "it is a renderer plugin without its renderer table";
      break;
  }
  return std::nullopt;
}

}  // namespace

const char* kind_name(std::uint32_t kind) {
  switch (kind) {
    case CONCORD_PLUGIN_TERMINOLOGY:
      return "terminology";
    case CONCORD_PLUGIN_FUNCTIONS:
      return "functions";
    case CONCORD_PLUGIN_RENDERER:
      return "renderer";
    default:
      return nullptr;
  }
}

LoadedPlugin::~LoadedPlugin() {
  // The instance goes before the library that holds its code (library_ is released after this
  // body runs).
  if (descriptor_ && descriptor_->destroy && instance_) {
    try {
      descriptor_->destroy(instance_);
    } catch (...) {
      // A plugin fault while shutting down must not end the host.
    }
  }
}

Loader::Loader(LoadPolicy policy) : policy_(std::move(policy)) {
  for (const auto& folder : policy_.folders) {
    std::error_code ec;
    const fs::path canonical = fs::canonical(folder, ec);
    canonical_folders_.push_back(ec ? fs::path() : canonical);
  }
}

std::vector<Candidate> Loader::load_all() const {
  std::vector<Candidate> out;
  for (const auto& folder : policy_.folders) {
    std::error_code ec;
    if (!fs::is_directory(folder, ec)) {
      out.push_back({folder, nullptr,
                     "plugin folder " + quoted(folder) +
                         " does not exist or is not a folder; create it or correct the "
                         "configured plugin folders"});
      continue;
    }
    std::vector<fs::path> files;
    for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
      if (it->path().extension() == ".so") files.push_back(it->path());
    }
    if (ec) {
      out.push_back({folder, nullptr,
                     "cannot list plugin folder " + quoted(folder) + ": " + ec.message() +
                         "; check its permissions"});
      continue;
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files)
      out.push_back(load(file));
  }
  // Two plugins of one name would make a ruleset's meaning depend on load order.
  std::map<std::string, fs::path> seen;
  for (auto& c : out) {
    if (!c.plugin) continue;
    auto [it, fresh] = seen.emplace(c.plugin->name(), c.file);
    if (!fresh) {
      c.refusal = "another plugin named '" + c.plugin->name() + "' was already loaded from " +
                  quoted(it->second) + "; remove one of the two";
      c.plugin.reset();
    }
  }
  return out;
}

std::optional<std::string> Loader::refuse_location(const fs::path& canonical,
                                                   const fs::path& as_found) const {
  const fs::path* root = nullptr;
  for (const auto& folder : canonical_folders_) {
    if (!folder.empty() && inside(canonical, folder)) {
      root = &folder;
      break;
    }
  }
  if (!root) {
    std::string message = quoted(as_found);
    if (canonical != as_found) message += " (which resolves to " + quoted(canonical) + ")";
    return message +
           " is not inside a configured plugin folder; move it into one, or add its folder to "
           "the [plugins] folder list";
  }
  if (auto refused = refuse_writable(canonical, false)) return refused;
  for (fs::path dir = canonical.parent_path();; dir = dir.parent_path()) {
    if (auto refused = refuse_writable(dir, true)) return refused;
    if (dir == *root || !dir.has_relative_path()) break;
  }
  return std::nullopt;
}

Candidate Loader::load(const fs::path& file) const {
  Candidate c{file, nullptr, {}};
  auto refuse = [&](std::string why) {
    c.refusal = std::move(why);
    return c;
  };
  std::error_code ec;
  const fs::path canonical = fs::canonical(file, ec);
  if (ec) return refuse("cannot resolve " + quoted(file) + ": " + ec.message());
  if (!fs::is_regular_file(canonical, ec)) {
    return refuse(quoted(file) + " is not a regular file; a plugin is a shared library file");
  }
  if (auto refused = refuse_location(canonical, file)) return refuse(*refused);

  if (!policy_.sha256.empty()) {
    const std::string key = file.filename().string();
    const auto listed = policy_.sha256.find(key);
    if (listed == policy_.sha256.end()) {
      return refuse(quoted(file) +
                    " has no SHA-256 digest in the configuration, which lists digests for its "
                    "plugins; add '" +
                    key + " = <sha256sum of the file>' to [plugins.sha256]");
    }
    const auto actual = sha256_file(canonical);
    if (!actual) return refuse("cannot read " + quoted(file) + " to compute its SHA-256");
    if (*actual != lower(listed->second)) {
      return refuse(quoted(file) + " has SHA-256 " + *actual + " but the configuration expects " +
                    lower(listed->second) +
                    "; the file is not the one that was approved: reinstall it, or update the "
                    "digest if the new file is trusted");
    }
  }

  auto library = std::make_shared<boost::dll::shared_library>();
  try {
    library->load(canonical, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
  } catch (const std::exception& e) {
    return refuse(quoted(file) + " could not be loaded as a shared library (" + e.what() +
                  "); it is not a plugin built for this system: remove it from the folder");
  }
  if (!library->has(CONCORD_PLUGIN_ENTRY_SYMBOL)) {
    return refuse(quoted(file) + " does not export '" CONCORD_PLUGIN_ENTRY_SYMBOL
                                 "', so it is not a Concord plugin; remove it from the folder");
  }
  const concord_plugin* descriptor = nullptr;
  try {
    descriptor = library->get<const concord_plugin*()>(CONCORD_PLUGIN_ENTRY_SYMBOL)();
  } catch (...) {
    return refuse(quoted(file) + ": " CONCORD_PLUGIN_ENTRY_SYMBOL " failed");
  }
  if (!descriptor) return refuse(quoted(file) + ": " CONCORD_PLUGIN_ENTRY_SYMBOL " returned NULL");
  if (descriptor->abi_version != CONCORD_PLUGIN_ABI_VERSION) {
    return refuse(quoted(file) + " was built for plugin ABI version " +
                  std::to_string(descriptor->abi_version) + ", but this Concord loads version " +
                  std::to_string(CONCORD_PLUGIN_ABI_VERSION) +
                  "; rebuild the plugin against this release's concord/plugin.h");
  }
  if (auto refused = refuse_descriptor(*descriptor)) {
    return refuse(quoted(file) + " is not a usable plugin: " + *refused);
  }

  // Settings: keys and values stay alive in `policy_` during `create`.
  std::vector<concord_plugin_setting> items;
  if (auto s = policy_.settings.find(descriptor->name); s != policy_.settings.end()) {
    for (const auto& [key, value] : s->second)
      items.push_back({key.c_str(), value.c_str()});
  }
  const concord_plugin_settings settings{items.data(), items.size()};
  concord_plugin_error error{};
  void* instance = nullptr;
  int status = CONCORD_PLUGIN_FAILED;
  try {
    status = descriptor->create(&settings, &instance, &error);
  } catch (const std::exception& e) {
    return refuse("plugin '" + std::string(descriptor->name) + "' (" + file.string() +
                  ") threw while starting: " + e.what());
  } catch (...) {
    return refuse("plugin '" + std::string(descriptor->name) + "' (" + file.string() +
                  ") threw while starting");
  }
  error.message[CONCORD_PLUGIN_ERROR_SIZE - 1] = '\0';
  if (status != CONCORD_PLUGIN_OK) {
    return refuse("plugin '" + std::string(descriptor->name) + "' (" + file.string() +
                  ") could not start: " + (error.message[0] ? error.message : "no message given") +
                  "; check its [plugin." + descriptor->name + "] settings");
  }

  auto plugin = std::shared_ptr<LoadedPlugin>(new LoadedPlugin());
  plugin->library_ = library;
  plugin->descriptor_ = descriptor;
  plugin->instance_ = instance;
  plugin->name_ = descriptor->name;
  plugin->version_ = descriptor->version;
  plugin->file_ = file;
  c.plugin = std::move(plugin);
  return c;
}

}  // namespace concord::runtime::plugins
