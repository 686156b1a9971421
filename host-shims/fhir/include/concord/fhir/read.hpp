// The FHIR readers (R4 and STU3, JSON and XML): turn a Bundle (or a single resource) into one
// runtime Record per Patient, reporting what they skipped as issues with a JSON pointer, an
// XPath or line:col. Bulk Data NDJSON is in ndjson.hpp.
#pragma once

#include <boost/json/fwd.hpp>

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
  std::string source;  // the source name given to the reader (a file name)
  // A JSON pointer (/entry/3/resource/onsetDateTime), an XPath for XML
  // (/Bundle/entry[4]/resource/Condition/onsetDateTime), or line:col
  std::string where;
  std::string message;  // what happened
  std::string hint;     // what to do about it
};

struct ReadResult {
  // One per Patient, in order of appearance; facts are grouped by their subject reference.
  // With no Patient at all, one Record with id "" holds every fact read.
  std::vector<runtime::Record> records;
  std::vector<ReadIssue> warnings;  // things skipped; the rest was read
  std::optional<ReadIssue> error;   // the input could not be read at all; records empty then
  std::string format;  // what was read: "FHIR R4 JSON", "FHIR STU3 XML", "GP2GP EHR Extract"...
};

// Reads a FHIR R4 resource or Bundle from JSON text. Never throws on bad input. STU3 (GP
// Connect, CareConnect profiles) is read by the same code: the few fields that differ
// (Condition.clinicalStatus as a code, MedicationStatement.taken, Immunization.date and
// notGiven, Procedure.notDone, MedicationRequest plans restated as MedicationStatements) are
// taken in either form.
ReadResult read_json(std::string_view text, std::string_view source_name);

// The same from a JSON document already parsed (a CDS Hooks request's prefetch, gathered into
// one Bundle): what read_json does after parsing.
ReadResult read_json_value(const boost::json::value& document, std::string_view source_name);

// Reads a FHIR resource or Bundle from XML text (the FHIR XML syntax, namespace
// http://hl7.org/fhir) into the same Records the JSON of the same content gives: the DOM is
// read directly by the same mapping as JSON. Issue locations are line:col for malformed XML
// and for nesting deeper than 64 elements (an error, never a stack overflow), and otherwise
// the XPath of the element (/Bundle/entry[4]/resource/Condition/onsetDateTime: element names,
// 1-based positions among elements of the same name). A DOCTYPE is skipped, its entities never
// expanded (no billion laughs). JSON nesting deeper than 64 is malformed JSON.
ReadResult read_xml(std::string_view text, std::string_view source_name);

// The largest file read_json_file takes: one person's record, however long, is far smaller.
inline constexpr std::uintmax_t max_file_bytes = 256u << 20;

// Reads a file; an unreadable or oversized file is an error in the result, never an
// exception. Problems name the path as given; each Record's source is the file name only.
ReadResult read_json_file(const std::filesystem::path& path);
ReadResult read_xml_file(const std::filesystem::path& path);

// Reads a whole file of at most max_file_bytes into `text`; the issue says why it could not.
std::optional<ReadIssue> load_text_file(const std::filesystem::path& path, std::string& text);

// 1-based "line:col" (columns in characters, not bytes) of a byte offset into `text`.
std::string line_col(std::string_view text, std::size_t offset);

// Sets each Record's source to the file name only (problems keep the path as given).
void name_records_by_file(ReadResult& result, const std::filesystem::path& path);

// Loads a file (load_text_file), reads its text with `read`, and names the records by the
// file: what every reader's *_file function does.
ReadResult read_file_with(const std::filesystem::path& path,
                          ReadResult (*read)(std::string_view text, std::string_view source));

// Maps a FHIR coding system URI to the runtime's token (runtime::code_system): SNOMED CT,
// LOINC, CVX, ICD-10 (and ICD-10-UK), dm+d, Read v2 and CTV3. Any other URI is returned as
// is (the result then views `uri`, so it lives as long as `uri` does).
std::string_view system_token(std::string_view uri);

}  // namespace concord::fhir
