// The configuration file (default /etc/concord/concord.conf): INI sections of `key = value`
// lines, read into a plain struct and validated, every error naming the key and file:line.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace concord::config {

inline constexpr const char* kDefaultPath = "/etc/concord/concord.conf";

enum class LogLevel { error, warning, info, debug };

struct Service {
  std::string listen_host = "127.0.0.1";
  std::uint16_t listen_port = 8080;
  unsigned threads = 2;
  std::size_t body_limit = 1024 * 1024;        // bytes
  std::chrono::milliseconds time_limit{2000};  // per request
  // The reviews kept for the page a card links to: how many, and for how long.
  std::size_t review_links = 10000;
  std::chrono::seconds review_link_time{3600};
  std::optional<std::filesystem::path> feedback_log;  // clinicians' feedback (JSON lines)
  // CA certificates (PEM) trusted for https FHIR servers besides the system's.
  std::optional<std::filesystem::path> fhir_ca_file;
};

struct Auth {
  std::map<std::string, std::filesystem::path> jwks;  // issuer URL -> JWKS file
  std::string audience;
};

struct Config {
  std::filesystem::path source;                        // the file it was read from
  std::vector<std::filesystem::path> ruleset_folders;  // empty: the shipped rulesets
  std::string locale = "en-GB";
  std::vector<std::filesystem::path> plugin_folders;
  std::map<std::string, std::string> plugin_sha256;  // plugin file name -> 64 hex digits
  std::map<std::string, std::vector<std::pair<std::string, std::string>>> plugin_settings;
  Service service;
  Auth auth;
  LogLevel log_level = LogLevel::info;
};

struct Problem {
  std::filesystem::path file;
  int line = 0;     // 0: the file as a whole
  std::string key;  // "[service] threads", or empty
  std::string message;
};

struct LoadResult {
  std::optional<Config> config;  // set when there were no problems
  std::vector<Problem> problems;
  bool unreadable = false;  // the file could not be read at all
};

// Reads and validates the file; relative paths are taken from the file's own folder.
LoadResult load(const std::filesystem::path& file);

// Parses text as if read from `file` (for tests and for stdin); paths relative to `base`.
LoadResult parse(const std::string& text, const std::filesystem::path& file,
                 const std::filesystem::path& base);

// `file:line: error: message` lines, one per problem.
std::string format_problems(const std::vector<Problem>& problems);

// Folders or files as one line for messages: "a, b".
std::string paths_text(const std::vector<std::filesystem::path>& paths);

// The configuration in effect, as a configuration file (what `concord config check` prints).
std::string describe(const Config& config);

const char* to_string(LogLevel level);

}  // namespace concord::config
