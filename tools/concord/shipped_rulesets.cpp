#include <system_error>

#include "commands.hpp"

namespace concord::tools {

std::filesystem::path shipped_rulesets() {
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const auto installed = exe.parent_path().parent_path() / "share" / "concord" / "rulesets";
    if (std::filesystem::is_directory(installed, ec)) return installed;
  }
  return CONCORD_SOURCE_RULESETS;
}

}  // namespace concord::tools
