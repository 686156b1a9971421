// Rendering diagnostics: clang-style text for people, JSON for editors and CI.
#include <algorithm>
#include <map>
#include <memory>

#include <boost/json.hpp>

#include "concord/dsl/diagnostic.hpp"
#include "source_map.hpp"

namespace concord::dsl {

std::string_view to_string(Severity severity) {
  switch (severity) {
    case Severity::error:
      return "error";
    case Severity::warning:
      return "warning";
    case Severity::note:
      return "note";
  }
  return "error";
}

bool has_errors(const std::vector<Diagnostic>& diagnostics) {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& d) { return d.severity == Severity::error; });
}

void sort_by_location(std::vector<Diagnostic>& diagnostics,
                      const std::vector<SourceFile>& sources) {
  std::map<std::string_view, int> rank;
  for (std::size_t i = 0; i < sources.size(); ++i) {
    rank.emplace(sources[i].path, static_cast<int>(i));
  }
  const auto key = [&](const Diagnostic& d) {
    const auto it = rank.find(d.file);
    return std::tuple(it == rank.end() ? -1 : it->second, d.line, d.column);
  };
  std::stable_sort(diagnostics.begin(), diagnostics.end(),
                   [&](const Diagnostic& a, const Diagnostic& b) { return key(a) < key(b); });
}

namespace {

// Spaces up to the column, keeping tabs as tabs so the caret lines up however wide they are.
std::string caret_line(std::string_view line, int column) {
  std::string caret;
  int at = 1;
  for (std::size_t i = 0; i < line.size() && at < column; ++i) {
    const auto byte = static_cast<unsigned char>(line[i]);
    if ((byte & 0xC0) == 0x80) continue;  // a continuation byte: same character
    caret.push_back(line[i] == '\t' ? '\t' : ' ');
    ++at;
  }
  caret.append(static_cast<std::size_t>(std::max(0, column - at)), ' ');
  caret.push_back('^');
  return caret;
}

}  // namespace

std::string format_text(const std::vector<Diagnostic>& diagnostics,
                        const std::vector<SourceFile>& sources) {
  std::map<std::string_view, std::unique_ptr<SourceMap>> maps;  // built on first use
  const auto map_of = [&](const std::string& file) -> const SourceMap* {
    auto& map = maps[file];
    if (!map) {
      const auto source = std::find_if(sources.begin(), sources.end(),
                                       [&](const SourceFile& s) { return s.path == file; });
      if (source == sources.end()) return nullptr;
      map = std::make_unique<SourceMap>(source->text);
    }
    return map.get();
  };

  std::string out;
  for (const Diagnostic& d : diagnostics) {
    out += d.file;
    if (d.line > 0) {
      out += ':' + std::to_string(d.line) + ':' + std::to_string(std::max(d.column, 1));
    }
    out += ": ";
    out += to_string(d.severity);
    out += ": " + d.message + '\n';
    if (d.line > 0) {
      if (const SourceMap* map = map_of(d.file)) {
        const std::string_view line = map->line_text(d.line);
        out.append(line) += '\n';
        out += caret_line(line, std::max(d.column, 1)) + '\n';
      }
    }
    if (!d.hint.empty()) out += "  hint: " + d.hint + '\n';
  }
  return out;
}

std::string format_json(const std::vector<Diagnostic>& diagnostics) {
  boost::json::array array;
  array.reserve(diagnostics.size());
  for (const Diagnostic& d : diagnostics) {
    array.push_back(boost::json::object{{"file", d.file},
                                        {"line", d.line},
                                        {"column", d.column},
                                        {"severity", to_string(d.severity)},
                                        {"code", d.code},
                                        {"message", d.message},
                                        {"hint", d.hint}});
  }
  return boost::json::serialize(array);
}

}  // namespace concord::dsl
