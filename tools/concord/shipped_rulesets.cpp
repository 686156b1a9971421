#include <system_error>

#include "commands.hpp"

namespace concord::tools {

std::filesystem::path shipped_rulesets() {
  // Installed: the rulesets are at a fixed place relative to the executable's folder
  // (bin/ -> share/concord/rulesets), wherever the prefix is.
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const auto installed =
        (exe.parent_path() / CONCORD_INSTALLED_RULESETS_FROM_BINDIR).lexically_normal();
    if (std::filesystem::is_directory(installed, ec)) return installed;
  }
  return CONCORD_SOURCE_RULESETS;
}

}  // namespace concord::tools
