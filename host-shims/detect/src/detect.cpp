#include <boost/json.hpp>

#include <algorithm>
#include <string>
#include <system_error>
#include <utility>

#include "concord/fhir/ndjson.hpp"
#include "concord/gp2gp/read.hpp"
#include "concord/hosts/read.hpp"

namespace concord::hosts {

namespace {

constexpr std::string_view kAccepted =
    "Concord reads FHIR R4 or STU3 (GP Connect) JSON, FHIR XML, FHIR Bulk Data NDJSON (a file "
    "or a folder of .ndjson files) and GP2GP HL7v3 EHR Extract XML";

// Looking this far is enough to find an XML root element behind any prolog.
constexpr std::size_t kSniffBytes = 64u << 10;

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

std::string_view skip_space(std::string_view text) {
  while (!text.empty() && is_space(text.front()))
    text.remove_prefix(1);
  return text;
}

// Skips a declaration, comments, processing instructions and a DOCTYPE; returns the root
// element's start tag (up to its '>'), or "" when there is none in reach.
std::string_view root_start_tag(std::string_view text) {
  text = text.substr(0, kSniffBytes);
  while (true) {
    text = skip_space(text);
    if (!text.starts_with('<')) return {};
    std::string_view end_marker = ">";
    if (text.starts_with("<?")) {
      end_marker = "?>";
    } else if (text.starts_with("<!--")) {
      end_marker = "-->";
    } else if (!text.starts_with("<!")) {
      return text.substr(0, text.find('>'));
    }
    const auto end = text.find(end_marker);
    if (end == std::string_view::npos) return {};
    text.remove_prefix(end + end_marker.size());
  }
}

RecordFormat xml_format(std::string_view text) {
  const std::string_view tag = root_start_tag(text);
  if (tag.size() < 2) return RecordFormat::unknown;
  std::string_view name = tag.substr(1);
  name = name.substr(0, std::min(name.size(), name.find_first_of(" \t\r\n/>")));
  if (const auto colon = name.find(':'); colon != std::string_view::npos)
    name.remove_prefix(colon + 1);
  if (name == "EhrExtract" || name.starts_with("RCMR_IN030000")) return RecordFormat::gp2gp;
  if (tag.find("http://hl7.org/fhir") != std::string_view::npos) return RecordFormat::fhir_xml;
  return RecordFormat::unknown;
}

RecordFormat json_format(std::string_view text) {
  const auto newline = text.find('\n');
  if (newline == std::string_view::npos) return RecordFormat::fhir_json;
  if (!skip_space(text.substr(newline)).starts_with('{')) return RecordFormat::fhir_json;
  // A pretty-printed document's first line is not a whole object; an NDJSON line is.
  boost::system::error_code ec;
  const boost::json::value first = boost::json::parse(text.substr(0, newline), ec);
  return !ec && first.is_object() ? RecordFormat::fhir_ndjson : RecordFormat::fhir_json;
}

}  // namespace

RecordFormat detect_format(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  text = skip_space(text);
  if (text.starts_with('{')) return json_format(text);
  if (text.starts_with('<')) return xml_format(text);
  return RecordFormat::unknown;
}

fhir::ReadResult read_record(std::string_view text, std::string_view source_name) {
  switch (detect_format(text)) {
    case RecordFormat::fhir_json:
      return fhir::read_json(text, source_name);
    case RecordFormat::fhir_ndjson:
      return fhir::read_ndjson_text(text, source_name);
    case RecordFormat::fhir_xml:
      return fhir::read_xml(text, source_name);
    case RecordFormat::gp2gp:
      return gp2gp::read_xml(text, source_name);
    case RecordFormat::unknown:
      break;
  }
  fhir::ReadResult result;
  result.error =
      fhir::ReadIssue{std::string(source_name), "",
                      "the format of this record is not one Concord reads", std::string(kAccepted)};
  return result;
}

fhir::ReadResult read_record_file(const std::filesystem::path& path) {
  std::error_code ec;
  // A Bulk Data export: a folder, or one large .ndjson file, read as a stream.
  if (std::filesystem::is_directory(path, ec) || path.extension() == ".ndjson")
    return fhir::read_ndjson_path(path);
  fhir::ReadResult result;
  std::string text;
  if (auto error = fhir::load_text_file(path, text)) {
    result.error = std::move(*error);
    result.error->hint.append("; ").append(kAccepted);
    return result;
  }
  result = read_record(text, path.string());
  fhir::name_records_by_file(result, path);
  return result;
}

}  // namespace concord::hosts
