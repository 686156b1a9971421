// One entry point for every record format Concord reads: the format is found from the
// content (never from the file name alone), then the matching host shim reads it.
#pragma once

#include <filesystem>
#include <string_view>

#include "concord/fhir/read.hpp"

namespace concord::hosts {

enum class RecordFormat {
  fhir_json,    // a FHIR resource or Bundle, R4 or STU3 (GP Connect)
  fhir_ndjson,  // FHIR Bulk Data: one resource per line
  fhir_xml,     // a FHIR resource or Bundle in the FHIR XML syntax
  gp2gp,        // a GP2GP HL7v3 EHR Extract (RCMR_IN030000UK06 or EhrExtract)
  unknown,
};

// From the first bytes: '{' starts JSON, which is NDJSON when its first line is a whole
// object and another object follows; '<' starts XML, told apart by the root element (an
// HL7v3 EhrExtract or RCMR_IN030000UK06 interaction, or a FHIR resource in the FHIR
// namespace). A byte-order mark and leading whitespace are skipped.
RecordFormat detect_format(std::string_view text);

// Reads text in whatever format it is; an unknown format is an error naming what is read.
fhir::ReadResult read_record(std::string_view text, std::string_view source_name);

// Reads a file, or a folder of Bulk Data NDJSON files. ReadResult::format says what was read.
fhir::ReadResult read_record_file(const std::filesystem::path& path);

}  // namespace concord::hosts
