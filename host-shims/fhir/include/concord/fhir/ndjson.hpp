// FHIR Bulk Data NDJSON: one resource per line, in one file or in one file per resource type.
// Resources are grouped into one Record per Patient and handed on as each person is complete.
#pragma once

#include <filesystem>
#include <functional>
#include <istream>
#include <string_view>
#include <vector>

#include "concord/fhir/read.hpp"

namespace concord::fhir {

enum class NdjsonOrder {
  // The lines of one person are together (a Patient line and the resources naming it, in
  // any order within the run): a Record is handed on when the next person's lines begin, so
  // memory holds one person's resources (and every Medication seen, which carries no
  // subject and may be named by anyone). A person whose lines come back after another's are
  // read as a further Record with the same id, with a warning at the line.
  grouped_by_patient,
  // Any order (a Bulk Data export with one file per resource type): everything is held until
  // the end, then grouped by subject as a Bundle is. Memory holds the whole input.
  any,
};

// Reads NDJSON from `in`, calling on_record for each person. A malformed line, or one that
// is not a FHIR resource, is a warning naming its line; the rest is still read. Issue
// locations are "line N" or "line N /json/pointer". A resource with no subject belongs to
// the person being read (grouped) or is grouped as in a Bundle (any). Never throws on bad
// input; a line longer than max_file_bytes is skipped with a warning.
void read_ndjson(std::istream& in, std::string_view source,
                 const std::function<void(runtime::Record&&)>& on_record,
                 std::vector<ReadIssue>& issues,
                 NdjsonOrder order = NdjsonOrder::grouped_by_patient);

// Convenience: the whole text, grouped by patient as it comes (NdjsonOrder::grouped_by_patient).
ReadResult read_ndjson_text(std::string_view text, std::string_view source_name);

// Convenience: one .ndjson file (grouped by patient), or a folder of them (a Bulk Data export:
// every *.ndjson file in it, Patient files first, read in NdjsonOrder::any, since a person's
// resources are spread over the files). Each Record's source is the file or folder name.
ReadResult read_ndjson_path(const std::filesystem::path& path);

}  // namespace concord::fhir
