// The configuration file reader. The format is the INI form Boost.Program_options reads
// (`[section]`, `key = value`, `#` comments), read here by a small line reader of our own so
// that every problem carries its file:line, and so that sections whose keys are data (plugin
// digests by file name, JWKS files by issuer URL, a plugin's own settings) need no declaring.
#include "concord/config/config.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

namespace concord::config {
namespace {

namespace fs = std::filesystem;

std::string trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return {};
  const auto e = s.find_last_not_of(" \t\r");
  return std::string(s.substr(b, e - b + 1));
}

std::size_t distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j)
    row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1] ? 1 : 0)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& known) {
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(2, word.size() / 3) + 1;
  for (const auto& k : known) {
    const std::size_t d = distance(word, k);
    if (d < best_distance) best = k, best_distance = d;
  }
  if (!best.empty()) return "; did you mean '" + best + "'?";
  std::string list;
  for (const auto& k : known)
    list += (list.empty() ? "" : ", ") + k;
  return " (known: " + list + ")";
}

const std::map<std::string, std::vector<std::string>>& known_keys() {
  static const std::map<std::string, std::vector<std::string>> keys = {
      {"rulesets", {"folder", "locale"}},
      {"plugins", {"folder"}},
      {"plugins.sha256", {}},
      {"service",
       {"listen", "threads", "body_limit", "time_limit", "review_links", "review_link_time",
        "feedback_log", "fhir_ca_file"}},
      {"auth", {"audience"}},
      {"auth.jwks", {}},
      {"log", {"level"}},
  };
  return keys;
}

bool repeatable(const std::string& section, const std::string& key) {
  return (section == "rulesets" || section == "plugins") && key == "folder";
}

class Reader {
 public:
  Reader(fs::path file, fs::path base) : file_(std::move(file)), base_(std::move(base)) {
    config_.source = file_;
  }

  LoadResult run(const std::string& text) {
    std::istringstream in(text);
    std::string raw;
    int number = 0;
    std::string section;
    bool section_ok = false;
    std::map<std::string, int> seen;  // "section.key" -> first line
    while (std::getline(in, raw)) {
      ++number;
      const std::string line = trim(raw);
      if (line.empty() || line[0] == '#' || line[0] == ';') continue;
      if (line.front() == '[') {
        if (line.back() != ']') {
          problem(number, "", "a section header must end with ']', as in [service]");
          section_ok = false;
          continue;
        }
        section = trim(std::string_view(line).substr(1, line.size() - 2));
        section_ok = check_section(number, section);
        continue;
      }
      const auto eq = line.find('=');
      if (eq == std::string::npos) {
        problem(number, "", "expected 'key = value', a [section] or a # comment");
        continue;
      }
      const std::string key = trim(std::string_view(line).substr(0, eq));
      std::string value = trim(std::string_view(line).substr(eq + 1));
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
        value = value.substr(1, value.size() - 2);
      }
      if (section.empty()) {
        problem(number, key, "is outside any section; put it under its [section]");
        continue;
      }
      if (!section_ok) continue;  // the section was reported already
      if (key.empty()) {
        problem(number, "", "a line has a value but no key");
        continue;
      }
      const std::string id = section + "." + key;
      if (!repeatable(section, key)) {
        auto [it, fresh] = seen.emplace(id, number);
        if (!fresh) {
          problem(number, label(section, key),
                  "is set twice (first on line " + std::to_string(it->second) + "); keep one");
          continue;
        }
      }
      set(number, section, key, value);
    }
    cross_checks(number);
    LoadResult result;
    result.problems = std::move(problems_);
    if (result.problems.empty()) result.config = std::move(config_);
    return result;
  }

 private:
  static std::string label(const std::string& section, const std::string& key) {
    return "[" + section + "] " + key;
  }

  void problem(int line, std::string key, std::string message) {
    problems_.push_back({file_, line, std::move(key), std::move(message)});
  }

  void bad(int line, const std::string& section, const std::string& key, const std::string& value,
           const std::string& what) {
    problem(line, label(section, key), "= '" + value + "': " + what);
  }

  bool check_section(int line, const std::string& section) {
    if (known_keys().count(section)) return true;
    static const std::regex plugin_section("plugin\\.[a-z0-9_]+");
    if (std::regex_match(section, plugin_section)) return true;
    std::vector<std::string> names;
    for (const auto& [name, _] : known_keys())
      names.push_back(name);
    names.push_back("plugin.NAME");
    problem(line, "[" + section + "]",
            "is not a section Concord knows" + did_you_mean(section, names));
    return false;
  }

  fs::path path_of(const std::string& value) const {
    const fs::path p(value);
    return p.is_absolute() ? p : (base_ / p).lexically_normal();
  }

  std::optional<long long> whole(const std::string& text) {
    long long n = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return n;
  }

  // A number followed by one of the units, in the unit's multiple of the base.
  std::optional<long long> with_unit(const std::string& value,
                                     const std::vector<std::pair<std::string, long long>>& units) {
    std::size_t digits = 0;
    while (digits < value.size() && std::isdigit(static_cast<unsigned char>(value[digits]))) {
      ++digits;
    }
    const auto n = whole(value.substr(0, digits));
    if (!n) return std::nullopt;
    const std::string unit = trim(value.substr(digits));
    for (const auto& [name, factor] : units) {
      if (unit == name) return *n * factor;
    }
    return std::nullopt;
  }

  void folder(int line, const std::string& section, const std::string& key,
              const std::string& value, std::vector<fs::path>& into) {
    const fs::path p = path_of(value);
    std::error_code ec;
    if (!fs::is_directory(p, ec)) {
      bad(line, section, key, value,
          "no such folder (" + p.string() + "); create it or correct the path");
      return;
    }
    into.push_back(p);
  }

  void set(int line, const std::string& section, const std::string& key, const std::string& value) {
    if (section.starts_with("plugin.")) {
      config_.plugin_settings[section.substr(7)].emplace_back(key, value);
      return;
    }
    if (section == "plugins.sha256") {
      static const std::regex hex("[0-9a-fA-F]{64}");
      if (key.find('/') != std::string::npos) {
        bad(line, section, key, value, "name the plugin by its file name only, without a folder");
      } else if (!std::regex_match(value, hex)) {
        bad(line, section, key, value,
            "a SHA-256 digest is 64 hexadecimal digits (the first column of sha256sum)");
      } else {
        std::string lower = value;
        for (auto& c : lower)
          c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        config_.plugin_sha256[key] = lower;
      }
      return;
    }
    if (section == "auth.jwks") {
      jwks_lines_ = true;
      if (!key.starts_with("https://") && !key.starts_with("http://")) {
        problem(line, label(section, key),
                "is not an issuer URL; write 'https://issuer.example = /path/to/jwks.json'");
        return;
      }
      const fs::path p = path_of(value);
      std::error_code ec;
      if (!fs::is_regular_file(p, ec) || !std::ifstream(p)) {
        bad(line, section, key, value, "cannot read the JWKS file " + p.string());
        return;
      }
      config_.auth.jwks[key] = p;
      return;
    }
    const auto& keys = known_keys().at(section);
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
      problem(line, label(section, key),
              "is not a key of [" + section + "]" + did_you_mean(key, keys));
      return;
    }
    if (section == "rulesets" && key == "folder") {
      folder(line, section, key, value, config_.ruleset_folders);
    } else if (section == "rulesets" && key == "locale") {
      static const std::regex tag("[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*");
      if (!std::regex_match(value, tag)) {
        bad(line, section, key, value, "not a language tag; write one such as en-GB or cy");
      } else {
        config_.locale = value;
      }
    } else if (section == "plugins" && key == "folder") {
      folder(line, section, key, value, config_.plugin_folders);
    } else if (section == "service" && key == "listen") {
      const auto colon = value.rfind(':');
      long long port = 0;
      if (colon != std::string::npos) port = whole(value.substr(colon + 1)).value_or(0);
      std::string host = colon == std::string::npos ? "" : value.substr(0, colon);
      if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
      }
      if (host.empty() || port < 1 || port > 65535) {
        bad(line, section, key, value,
            "write ADDRESS:PORT with a port from 1 to 65535, e.g. 127.0.0.1:8080 or [::1]:8080");
      } else {
        config_.service.listen_host = host;
        config_.service.listen_port = static_cast<std::uint16_t>(port);
      }
    } else if (section == "service" && key == "threads") {
      const auto n = whole(value);
      if (!n || *n < 1 || *n > 256) {
        bad(line, section, key, value, "write a whole number from 1 to 256");
      } else {
        config_.service.threads = static_cast<unsigned>(*n);
      }
    } else if (section == "service" && key == "body_limit") {
      const auto n = with_unit(value, {{"", 1}, {"KiB", 1024}, {"MiB", 1024 * 1024}});
      if (!n || *n < 1024 || *n > 1024LL * 1024 * 1024) {
        bad(line, section, key, value,
            "write a size from 1 KiB to 1024 MiB, in bytes or with KiB or MiB (e.g. 1 MiB)");
      } else {
        config_.service.body_limit = static_cast<std::size_t>(*n);
      }
    } else if (section == "service" && key == "time_limit") {
      const auto n = with_unit(value, {{"ms", 1}, {"s", 1000}});
      if (!n || *n < 1 || *n > 600000) {
        bad(line, section, key, value,
            "write a duration from 1 ms to 600 s with its unit, e.g. 2 s or 500 ms");
      } else {
        config_.service.time_limit = std::chrono::milliseconds(*n);
      }
    } else if (section == "service" && key == "review_links") {
      const auto n = whole(value);
      if (!n || *n < 0 || *n > 1000000) {
        bad(line, section, key, value,
            "write a whole number from 0 (no review pages) to 1000000; each kept review takes "
            "a few kilobytes");
      } else {
        config_.service.review_links = static_cast<std::size_t>(*n);
      }
    } else if (section == "service" && key == "review_link_time") {
      const auto n = with_unit(value, {{"s", 1}, {"min", 60}, {"h", 3600}});
      if (!n || *n < 1 || *n > 7 * 24 * 3600) {
        bad(line, section, key, value,
            "write a duration from 1 s to 168 h with its unit (s, min or h), e.g. 1 h or 30 min");
      } else {
        config_.service.review_link_time = std::chrono::seconds(*n);
      }
    } else if (section == "service" && key == "feedback_log") {
      const fs::path p = path_of(value);
      std::error_code ec;
      if (!fs::is_directory(p.parent_path(), ec)) {
        bad(line, section, key, value,
            "the folder " + p.parent_path().string() + " does not exist; create it first");
      } else {
        config_.service.feedback_log = p;
      }
    } else if (section == "service" && key == "fhir_ca_file") {
      const fs::path p = path_of(value);
      std::error_code ec;
      if (!fs::is_regular_file(p, ec) || !std::ifstream(p)) {
        bad(line, section, key, value,
            "cannot read the file " + p.string() +
                "; give a readable PEM file of the CA certificates to trust for https FHIR "
                "servers");
      } else {
        config_.service.fhir_ca_file = p;
      }
    } else if (section == "auth" && key == "audience") {
      audience_line_ = true;
      if (value.empty()) {
        bad(line, section, key, value, "write the audience the service's tokens must name");
      } else {
        config_.auth.audience = value;
      }
    } else if (section == "log" && key == "level") {
      static const std::map<std::string, LogLevel> levels = {{"error", LogLevel::error},
                                                             {"warning", LogLevel::warning},
                                                             {"info", LogLevel::info},
                                                             {"debug", LogLevel::debug}};
      if (const auto it = levels.find(value); it != levels.end()) {
        config_.log_level = it->second;
      } else {
        bad(line, section, key, value, "write error, warning, info or debug");
      }
    }
  }

  void cross_checks(int) {
    // A rejected line has been reported already; these checks only add what is missing.
    if (jwks_lines_ && !audience_line_) {
      problem(0, "[auth] audience",
              "is missing: [auth.jwks] lists issuers, so tokens must also be checked for their "
              "audience; add 'audience = ...' under [auth]");
    }
    if (!jwks_lines_ && audience_line_) {
      problem(0, "[auth.jwks]",
              "lists no issuer, so no token could be checked against [auth] audience; add "
              "'https://issuer.example = /path/to/jwks.json' or remove the audience");
    }
  }

  fs::path file_;
  fs::path base_;
  Config config_;
  std::vector<Problem> problems_;
  bool jwks_lines_ = false;
  bool audience_line_ = false;
};

std::string quoted_if_needed(const std::string& s) {
  return s.find_first_of("#;") != std::string::npos || s != trim(s) ? "\"" + s + "\"" : s;
}

}  // namespace

const char* to_string(LogLevel level) {
  switch (level) {
    case LogLevel::error:
      return "error";
    case LogLevel::warning:
      return "warning";
    case LogLevel::info:
      return "info";
    case LogLevel::debug:
      return "debug";
  }
  return "info";
}

LoadResult parse(const std::string& text, const fs::path& file, const fs::path& base) {
  return Reader(file, base).run(text);
}

LoadResult load(const fs::path& file) {
  std::error_code ec;
  std::ifstream in(file, std::ios::binary);
  if (!in || fs::is_directory(file, ec)) {
    LoadResult r;
    r.unreadable = true;
    r.problems.push_back({file, 0, "",
                          "cannot read the configuration file; check the path and "
                          "its permissions"});
    return r;
  }
  std::stringstream text;
  text << in.rdbuf();
  const fs::path absolute = fs::absolute(file, ec);
  return parse(text.str(), file, (ec ? file : absolute).parent_path());
}

std::string format_problems(const std::vector<Problem>& problems) {
  std::string out;
  for (const auto& p : problems) {
    out += p.file.string();
    if (p.line > 0) out += ":" + std::to_string(p.line);
    out += ": error: ";
    if (!p.key.empty()) out += p.key + " ";
    out += p.message + "\n";
  }
  return out;
}

std::string paths_text(const std::vector<fs::path>& paths) {
  std::string text;
  for (const auto& p : paths)
    text += (text.empty() ? "" : ", ") + p.string();
  return text;
}

std::string describe(const Config& c) {
  std::ostringstream o;
  o << "# the configuration in effect, read from " << c.source.string() << "\n";
  o << "[rulesets]\n";
  if (c.ruleset_folders.empty()) o << "# folder: the shipped rulesets\n";
  for (const auto& f : c.ruleset_folders)
    o << "folder = " << quoted_if_needed(f.string()) << "\n";
  o << "locale = " << c.locale << "\n\n[plugins]\n";
  if (c.plugin_folders.empty()) o << "# no plugin folders: no plugins are loaded\n";
  for (const auto& f : c.plugin_folders)
    o << "folder = " << quoted_if_needed(f.string()) << "\n";
  if (!c.plugin_sha256.empty()) {
    o << "\n[plugins.sha256]\n";
    for (const auto& [file, digest] : c.plugin_sha256)
      o << file << " = " << digest << "\n";
  }
  for (const auto& [name, settings] : c.plugin_settings) {
    o << "\n[plugin." << name << "]\n";
    for (const auto& [k, v] : settings)
      o << k << " = " << quoted_if_needed(v) << "\n";
  }
  const auto& s = c.service;
  const bool v6 = s.listen_host.find(':') != std::string::npos;
  o << "\n[service]\nlisten = " << (v6 ? "[" : "") << s.listen_host << (v6 ? "]" : "") << ":"
    << s.listen_port << "\nthreads = " << s.threads << "\nbody_limit = " << s.body_limit
    << "\ntime_limit = " << s.time_limit.count() << " ms\nreview_links = " << s.review_links
    << "\nreview_link_time = " << s.review_link_time.count() << " s\n";
  if (s.feedback_log) o << "feedback_log = " << quoted_if_needed(s.feedback_log->string()) << "\n";
  if (s.fhir_ca_file) o << "fhir_ca_file = " << quoted_if_needed(s.fhir_ca_file->string()) << "\n";
  if (!c.auth.audience.empty() || !c.auth.jwks.empty()) {
    o << "\n[auth]\naudience = " << c.auth.audience << "\n\n[auth.jwks]\n";
    for (const auto& [issuer, file] : c.auth.jwks) {
      o << issuer << " = " << quoted_if_needed(file.string()) << "\n";
    }
  }
  o << "\n[log]\nlevel = " << to_string(c.log_level) << "\n";
  return o.str();
}

}  // namespace concord::config
