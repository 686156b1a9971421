// The terminology plugin: SNOMED CT refset membership from RF2 simple refset files; the
// Read v2 / CTV3 codes that map to a SNOMED CT concept, from the NHS Data Migration forward
// maps; and a concept's description ids, from RF2 description files, for records that carry a
// description id where the concept id belongs (GP2GP extracts do). Everything is read once,
// when the plugin starts; look-ups are hash look-ups or binary searches.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "plugin_support.hpp"

namespace {

namespace fs = std::filesystem;
using namespace concord::plugin_support;

struct LegacyCode {
  std::string system;  // "read2" or "ctv3"
  std::string code;
  friend bool operator==(const LegacyCode&, const LegacyCode&) = default;
  friend auto operator<=>(const LegacyCode&, const LegacyCode&) = default;
};

struct Terminology {
  std::unordered_map<std::string, std::vector<std::string>> refsets;
  std::unordered_map<std::string, std::vector<LegacyCode>> legacy;
  // (concept id, description id), sorted: a UK release has millions of descriptions, and two
  // integers a row keep them in a few tens of megabytes.
  std::vector<std::pair<std::uint64_t, std::uint64_t>> descriptions;
};

// A bad input file, reported as "file:line: what; what to do".
struct FileError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::vector<std::string_view> split_tabs(std::string_view line) {
  std::vector<std::string_view> fields;
  std::size_t start = 0;
  for (;;) {
    const auto tab = line.find('\t', start);
    fields.push_back(line.substr(start, tab == std::string_view::npos ? tab : tab - start));
    if (tab == std::string_view::npos) return fields;
    start = tab + 1;
  }
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Reads a tab-separated file line by line (RF2 files end lines with CRLF); calls
// `row(line_number, fields)` for each line after the header, `header(fields)` for the first.
template <typename Header, typename Row>
void read_tsv(const fs::path& file, Header&& header, Row&& row) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw FileError(file.string() + ": cannot be read; check the path and permissions");
  std::string line;
  std::size_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (number == 1) {
      header(split_tabs(line));
      continue;
    }
    if (line.empty()) continue;
    row(number, split_tabs(line));
  }
  if (number == 0) throw FileError(file.string() + ": is empty; expected a header line");
}

std::string at(const fs::path& file, std::size_t line) {
  return file.string() + ":" + std::to_string(line) + ": ";
}

// An RF2 file's header must start with its layout's columns, in order.
void require_rf2_header(const fs::path& file, const std::vector<std::string_view>& header,
                        std::span<const std::string_view> columns, std::string_view kind,
                        std::string_view file_name) {
  bool ok = header.size() >= columns.size();
  for (std::size_t i = 0; ok && i < columns.size(); ++i)
    ok = header[i] == columns[i];
  if (ok) return;
  std::string names;
  for (const std::string_view column : columns)
    names.append(names.empty() ? "" : ", ").append(column);
  throw FileError(at(file, 1) + "is not an RF2 " + std::string(kind) +
                  " file: the header must be " + names + " (tab-separated); give a " +
                  std::string(file_name) + " file");
}

// RF2 simple refset: id, effectiveTime, active, moduleId, refsetId, referencedComponentId. A
// Full release holds every version of a member row; the latest effectiveTime of each id wins.
void load_refset_file(const fs::path& file, Terminology& t) {
  static constexpr std::string_view kColumns[] = {
      "id", "effectiveTime", "active", "moduleId", "refsetId", "referencedComponentId"};
  struct Row {
    std::string effective_time;
    bool active;
    std::string refset;
    std::string member;
  };
  std::unordered_map<std::string, Row> latest;
  read_tsv(
      file,
      [&](const std::vector<std::string_view>& header) {
        require_rf2_header(file, header, kColumns, "simple refset", "der2_Refset_Simple");
      },
      [&](std::size_t line, const std::vector<std::string_view>& f) {
        if (f.size() < 6) {
          throw FileError(at(file, line) + "has " + std::to_string(f.size()) +
                          " fields, expected 6 (tab-separated)");
        }
        if (f[2] != "0" && f[2] != "1") {
          throw FileError(at(file, line) + "active is '" + std::string(f[2]) +
                          "', expected 1 or 0");
        }
        if (f[1].size() != 8 || !std::all_of(f[1].begin(), f[1].end(), [](unsigned char c) {
              return std::isdigit(c) != 0;
            })) {
          throw FileError(at(file, line) + "effectiveTime '" + std::string(f[1]) +
                          "' is not YYYYMMDD");
        }
        if (f[4].empty() || f[5].empty()) {
          throw FileError(at(file, line) + "refsetId or referencedComponentId is empty");
        }
        auto [it, fresh] = latest.try_emplace(std::string(f[0]));
        if (fresh || it->second.effective_time <= f[1]) {
          it->second = {std::string(f[1]), f[2] == "1", std::string(f[4]), std::string(f[5])};
        }
      });
  for (auto& [id, row] : latest) {
    auto& members = t.refsets[row.refset];  // a refset whose members are all inactive is known
    if (row.active) members.push_back(std::move(row.member));
  }
}

// NHS Data Migration forward maps, recognised by their header: Read v2 (ReadCode, ConceptId,
// MapStatus, IS_ASSURED) and CTV3 (CTV3_CONCEPTID, SCT_CONCEPTID, MAPSTATUS, IS_ASSURED).
// Only current maps (map status 1) count, and only clinically assured ones unless
// `assured_only` is off.
void load_map_file(const fs::path& file, bool assured_only, Terminology& t) {
  std::string system;
  std::ptrdiff_t legacy_col = -1, concept_col = -1, status_col = -1, assured_col = -1;
  std::size_t width = 0;
  read_tsv(
      file,
      [&](const std::vector<std::string_view>& header) {
        std::map<std::string, std::ptrdiff_t> cols;
        for (std::size_t i = 0; i < header.size(); ++i)
          cols[lower(header[i])] = i;
        auto col = [&](const char* name) { return cols.count(name) ? cols[name] : -1; };
        if (col("readcode") >= 0 && col("conceptid") >= 0) {
          system = "read2";
          legacy_col = col("readcode");
          concept_col = col("conceptid");
        } else if (col("ctv3_conceptid") >= 0 && col("sct_conceptid") >= 0) {
          system = "ctv3";
          legacy_col = col("ctv3_conceptid");
          concept_col = col("sct_conceptid");
        } else {
          throw FileError(at(file, 1) +
                          "is not an NHS Data Migration map: expected the columns ReadCode and "
                          "ConceptId (Read v2) or CTV3_CONCEPTID and SCT_CONCEPTID (CTV3)");
        }
        status_col = col("mapstatus");
        assured_col = col("is_assured");
        if (status_col < 0) throw FileError(at(file, 1) + "has no MapStatus column");
        width = header.size();
      },
      [&](std::size_t line, const std::vector<std::string_view>& f) {
        if (f.size() < width) {
          throw FileError(at(file, line) + "has " + std::to_string(f.size()) +
                          " fields, expected " + std::to_string(width) + " as in the header");
        }
        if (f[status_col] != "1") return;
        if (assured_only && assured_col >= 0 && f[assured_col] != "1") return;
        if (f[legacy_col].empty() || f[concept_col].empty()) return;
        t.legacy[std::string(f[concept_col])].push_back({system, std::string(f[legacy_col])});
      });
}

// A SNOMED CT identifier: 6 to 18 digits, no leading zero.
std::optional<std::uint64_t> sctid(std::string_view text) {
  if (text.size() < 6 || text.size() > 18 || text.front() == '0') return std::nullopt;
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// RF2 descriptions: id, effectiveTime, active, moduleId, conceptId, languageCode, typeId, term,
// caseSignificanceId. A description never changes concept, so every row gives the same pair,
// whichever release or version it comes from; inactive descriptions are kept too, because a
// record made years ago may carry a term retired since, and it still names its concept.
void load_description_file(const fs::path& file, Terminology& t) {
  static constexpr std::string_view kColumns[] = {
      "id",           "effectiveTime", "active", "moduleId",          "conceptId",
      "languageCode", "typeId",        "term",   "caseSignificanceId"};
  read_tsv(
      file,
      [&](const std::vector<std::string_view>& header) {
        require_rf2_header(file, header, kColumns, "description", "sct2_Description");
      },
      [&](std::size_t line, const std::vector<std::string_view>& f) {
        if (f.size() < std::size(kColumns)) {
          throw FileError(at(file, line) + "has " + std::to_string(f.size()) +
                          " fields, expected 9 (tab-separated)");
        }
        const auto description = sctid(f[0]);
        const auto concept_id = sctid(f[4]);
        if (!description || !concept_id) {
          throw FileError(
              at(file, line) +
              (description ? "conceptId '" + std::string(f[4]) : "id '" + std::string(f[0])) +
              "' is not a SNOMED CT identifier (6 to 18 digits)");
        }
        t.descriptions.emplace_back(*concept_id, *description);
      });
}

// A setting names a file or a folder; in a folder, the files whose names match.
std::vector<fs::path> files_named(const std::string& setting, const std::string& key,
                                  bool (*wanted)(const std::string&)) {
  std::error_code ec;
  if (fs::is_regular_file(setting, ec)) return {setting};
  if (!fs::is_directory(setting, ec)) {
    throw FileError(key + " = " + setting + ": no such file or folder");
  }
  std::vector<fs::path> files;
  for (fs::recursive_directory_iterator it(setting, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file() && wanted(it->path().filename().string())) files.push_back(*it);
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) throw FileError(key + " = " + setting + ": the folder has no such files");
  return files;
}

bool is_refset_file(const std::string& name) {
  return name.starts_with("der2_Refset_Simple") && name.ends_with(".txt");
}

bool is_description_file(const std::string& name) {
  return name.starts_with("sct2_Description_") && name.ends_with(".txt");
}

bool is_map_file(const std::string& name) {
  const std::string n = lower(name);
  return (n.starts_with("rcsctmap2") || n.starts_with("ctv3sctmap2")) && n.ends_with(".txt");
}

int create(const concord_plugin_settings* settings, void** instance, concord_plugin_error* error) {
  return guard(error, [&] {
    if (auto key = unknown_setting(settings, {"refsets", "maps", "descriptions", "assured_only"});
        !key.empty()) {
      return fail(
          error, CONCORD_PLUGIN_BAD_ARGUMENT,
          "unknown setting '" + key + "' (known: refsets, maps, descriptions, assured_only)");
    }
    bool assured_only = true;
    for (const auto& v : settings_of(settings, "assured_only")) {
      if (v != "true" && v != "false") {
        return fail(error, CONCORD_PLUGIN_BAD_ARGUMENT,
                    "assured_only = " + v + ": write true or false");
      }
      assured_only = v == "true";
    }
    const auto refsets = settings_of(settings, "refsets");
    const auto maps = settings_of(settings, "maps");
    const auto descriptions = settings_of(settings, "descriptions");
    if (refsets.empty() && maps.empty() && descriptions.empty()) {
      return fail(error, CONCORD_PLUGIN_BAD_ARGUMENT,
                  "no data: set 'refsets' (RF2 der2_Refset_Simple files or their folder), "
                  "'maps' (NHS Data Migration rcsctmap2 / ctv3sctmap2 files or their folder) "
                  "and/or 'descriptions' (RF2 sct2_Description files or their folder)");
    }
    auto t = std::make_unique<Terminology>();
    try {
      for (const auto& s : refsets) {
        for (const auto& f : files_named(s, "refsets", &is_refset_file))
          load_refset_file(f, *t);
      }
      for (const auto& s : maps) {
        for (const auto& f : files_named(s, "maps", &is_map_file))
          load_map_file(f, assured_only, *t);
      }
      for (const auto& s : descriptions) {
        for (const auto& f : files_named(s, "descriptions", &is_description_file))
          load_description_file(f, *t);
      }
    } catch (const FileError& e) {
      return fail(error, CONCORD_PLUGIN_BAD_ARGUMENT, e.what());
    }
    for (auto& [_, members] : t->refsets) {
      std::sort(members.begin(), members.end());
      members.erase(std::unique(members.begin(), members.end()), members.end());
    }
    for (auto& [_, codes] : t->legacy) {
      std::sort(codes.begin(), codes.end());
      codes.erase(std::unique(codes.begin(), codes.end()), codes.end());
    }
    std::sort(t->descriptions.begin(), t->descriptions.end());
    t->descriptions.erase(std::unique(t->descriptions.begin(), t->descriptions.end()),
                          t->descriptions.end());
    t->descriptions.shrink_to_fit();
    *instance = t.release();
    return static_cast<int>(CONCORD_PLUGIN_OK);
  });
}

void destroy(void* instance) {
  delete static_cast<Terminology*>(instance);
}

int refset_members(void* instance, concord_str refset_id, concord_plugin_text_sink sink,
                   void* context, concord_plugin_error* error) {
  return guard(error, [&] {
    const auto& t = *static_cast<const Terminology*>(instance);
    const auto it = t.refsets.find(std::string(view(refset_id)));
    if (it == t.refsets.end()) {
      return fail(error, CONCORD_PLUGIN_NOT_FOUND,
                  "refset " + std::string(view(refset_id)) + " is not in the loaded files");
    }
    for (const auto& m : it->second) {
      if (sink(context, str(m)) != 0) return static_cast<int>(CONCORD_PLUGIN_STOPPED);
    }
    return static_cast<int>(CONCORD_PLUGIN_OK);
  });
}

int legacy_codes_for(void* instance, concord_str snomed_concept, concord_plugin_code_sink sink,
                     void* context, concord_plugin_error* error) {
  return guard(error, [&] {
    const auto& t = *static_cast<const Terminology*>(instance);
    if (const auto it = t.legacy.find(std::string(view(snomed_concept))); it != t.legacy.end()) {
      for (const auto& c : it->second) {
        if (sink(context, str(c.system), str(c.code)) != 0) {
          return static_cast<int>(CONCORD_PLUGIN_STOPPED);
        }
      }
    }
    // The concept's description ids, as SNOMED CT codes: an SCTID's partition digits tell a
    // description from a concept, so one can never match the other by accident.
    const auto concept_id = sctid(view(snomed_concept));
    if (!concept_id) return static_cast<int>(CONCORD_PLUGIN_OK);
    auto row = std::lower_bound(t.descriptions.begin(), t.descriptions.end(),
                                std::pair<std::uint64_t, std::uint64_t>{*concept_id, 0});
    for (; row != t.descriptions.end() && row->first == *concept_id; ++row) {
      const std::string id = std::to_string(row->second);
      if (sink(context, str("snomed"), str(id)) != 0) {
        return static_cast<int>(CONCORD_PLUGIN_STOPPED);
      }
    }
    return static_cast<int>(CONCORD_PLUGIN_OK);
  });
}

const concord_terminology_api kApi = {&refset_members, &legacy_codes_for};

const concord_plugin kPlugin = {
    CONCORD_PLUGIN_ABI_VERSION,
    CONCORD_PLUGIN_TERMINOLOGY,
    "terminology",
    "1.1.0",
    "SNOMED CT refsets (RF2 simple refsets), descriptions (RF2) and Read v2 / CTV3 maps "
    "(NHS Data Migration)",
    &create,
    &destroy,
    &kApi,
    nullptr,
    nullptr,
};

}  // namespace

extern "C" CONCORD_PLUGIN_EXPORT const concord_plugin* concord_plugin_entry(void) {
  return &kPlugin;
}
