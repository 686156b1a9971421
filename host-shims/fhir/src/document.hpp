// Internal: the one walk every FHIR syntax shares. JSON is parsed, XML converted to the same
// JSON form, NDJSON lines gathered into a Bundle; each then goes through read_document.
#pragma once

#include <boost/json.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "concord/fhir/read.hpp"
#include "fields.hpp"

namespace concord::fhir::detail {

namespace json = boost::json;

ReadIssue make_issue(std::string_view source, std::string where, std::string message,
                     std::string hint);

// Parses one JSON document with the reader's limits; on failure, error_offset is where the
// parser stopped and ec says why.
std::optional<json::value> parse_json(std::string_view text, json::storage_ptr storage,
                                      std::size_t& error_offset, boost::system::error_code& ec);

// STU3 when the document or its first entries declare an STU3 profile (GP Connect and
// CareConnect profiles live under /STU3/), or carry a field only STU3 has; R4 otherwise.
FhirVersion version_of(const json::object& document);

// Reads a FHIR resource or Bundle into result; `syntax` ("JSON", "XML", "NDJSON") completes
// result.format.
void read_document(const json::value& document, std::string_view source, std::string_view syntax,
                   ReadResult& result);

}  // namespace concord::fhir::detail
