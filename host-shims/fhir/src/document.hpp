// Internal: the one walk every FHIR syntax shares. JSON is parsed and NDJSON lines gathered
// into a Bundle, then read through JsonNode; XML is parsed and read through XmlNode, straight
// from the DOM (node.hpp). Both go through read_resource.
#pragma once

#include <boost/json.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "concord/fhir/read.hpp"
#include "fields.hpp"
#include "node.hpp"

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
template <typename Node>
FhirVersion version_of(const Node& document);

// Reads a FHIR resource or Bundle (an object node of node.hpp, whose resource type is `type`)
// into result; `syntax` ("JSON", "XML", "NDJSON") completes result.format.
template <typename Node>
void read_resource(const Node& document, std::string_view type, std::string_view source,
                   std::string_view syntax, ReadResult& result);

// The same for a parsed JSON document, which must be an object with a resourceType.
void read_document(const json::value& document, std::string_view source, std::string_view syntax,
                   ReadResult& result);

}  // namespace concord::fhir::detail
