// The FHIR R4 JSON reader: turns a Bundle (or a single resource) into one runtime Record per
// Patient, reporting what it skipped as issues with a JSON pointer or line:col.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "concord/runtime/record.hpp"

namespace concord::fhir {

// Something the reader could not use, and where it was.
struct ReadIssue {
  std::string source;   // the source name given to the reader (a file name)
  std::string where;    // a JSON pointer (/entry/3/resource/onsetDateTime), or line:col
  std::string message;  // what happened
  std::string hint;     // what to do about it
};

struct ReadResult {
  // One per Patient, in order of appearance; facts are grouped by their subject reference.
  // With no Patient at all, one Record with id "" holds every fact read.
  std::vector<runtime::Record> records;
  std::vector<ReadIssue> warnings;  // things skipped; the rest was read
  std::optional<ReadIssue> error;   // the input could not be read at all; records empty then
};

// Reads a FHIR R4 resource or Bundle from JSON text. Never throws on bad input.
ReadResult read_json(std::string_view text, std::string_view source_name);

// The largest file read_json_file takes: one person's record, however long, is far smaller.
inline constexpr std::uintmax_t max_file_bytes = 256u << 20;

// Reads a file; an unreadable or oversized file is an error in the result, never an
// exception. Problems name the path as given; each Record's source is the file name only.
ReadResult read_json_file(const std::filesystem::path& path);

// Maps a FHIR coding system URI to the runtime's token (runtime::code_system): SNOMED CT,
// LOINC, CVX, ICD-10 (and ICD-10-UK), dm+d, Read v2 and CTV3. Any other URI is returned as
// is (the result then views `uri`, so it lives as long as `uri` does).
std::string_view system_token(std::string_view uri);

}  // namespace concord::fhir
