// The subcommands of `concord`. Each takes its own arguments (after the subcommand name)
// and returns the process exit status of CONTRACT.md: 0 success, 1 findings, 2 bad usage
// or unreadable input.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace concord::tools {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFindings = 1;
inline constexpr int kExitUsage = 2;

int command_check(const std::vector<std::string>& args);
int command_run(const std::vector<std::string>& args);
int command_explain(const std::vector<std::string>& args);
int command_fmt(const std::vector<std::string>& args);
int command_test(const std::vector<std::string>& args);
int command_batch(const std::vector<std::string>& args);
int command_config(const std::vector<std::string>& args);
int command_plugins(const std::vector<std::string>& args);
int command_serve(const std::vector<std::string>& args);

// The shipped rulesets: the installed copy beside the executable when there is one,
// otherwise the source tree's rulesets/ (running from a build folder).
std::filesystem::path shipped_rulesets();

}  // namespace concord::tools
