// What concord_open_config opens: the configuration file read and checked, its plugins loaded
// under the loader's checks, and the runtime's sources made from them, or the reason why not.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "handle.hpp"

namespace concord::abi {

struct Configured {
  std::optional<Sources> sources;  // set when the configuration can be used as it stands
  std::string error;               // otherwise: what is wrong, where, and what to do
};

// Reads the configuration file and loads every plugin of its folders. Any problem in the file,
// any plugin the loader refuses, and any plugin the file names but no folder holds makes it
// unusable: a host has no console for warnings, so it gets all of them as one error instead.
Configured configure(const std::filesystem::path& file);

// The note for a runtime that concord_open made, which loads no plugins.
std::string no_plugins_note();

}  // namespace concord::abi
