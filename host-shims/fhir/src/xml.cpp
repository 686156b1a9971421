// FHIR XML: converted to FHIR's JSON form (the rules of the FHIR JSON and XML pages), then
// read by the same walk as JSON, so each resource's mapping is written once.
#include <pugixml.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

#include "concord/fhir/read.hpp"
#include "document.hpp"

namespace concord::fhir {

namespace {

namespace json = boost::json;

constexpr std::size_t kMaxDepth = 64;  // as for JSON
constexpr std::string_view kFhirNamespace = "http://hl7.org/fhir";

std::string_view local_name(const pugi::xml_node& node) {
  const std::string_view name = node.name();
  const auto colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

bool one_of(std::string_view name, std::initializer_list<std::string_view> names) {
  for (const std::string_view n : names) {
    if (n == name) return true;
  }
  return false;
}

// Name tables are ordered by length first, so that a lookup compares bytes only between
// names of the same length (most comparisons are then of two integers).
constexpr bool shorter(std::string_view a, std::string_view b) {
  return a.size() != b.size() ? a.size() < b.size() : a < b;
}

template <std::size_t N>
constexpr std::array<std::string_view, N> sorted(std::array<std::string_view, N> names) {
  std::sort(names.begin(), names.end(), shorter);
  return names;
}

template <std::size_t N>
bool in(const std::array<std::string_view, N>& names, std::string_view name) {
  return std::binary_search(names.begin(), names.end(), name, shorter);
}

// Elements that are arrays in JSON even when they occur once (FHIR cardinality 0..*). XML
// does not say; the reader needs these as arrays, the rest follow by name. Sorted, for a
// binary search: this is asked for every element.
constexpr auto kAlwaysArray = sorted<43>({"entry",
                                          "coding",
                                          "component",
                                          "contained",
                                          "extension",
                                          "modifierExtension",
                                          "identifier",
                                          "profile",
                                          "name",
                                          "given",
                                          "prefix",
                                          "suffix",
                                          "line",
                                          "telecom",
                                          "address",
                                          "category",
                                          "performer",
                                          "note",
                                          "basedOn",
                                          "partOf",
                                          "reasonCode",
                                          "reasonReference",
                                          "dosage",
                                          "dosageInstruction",
                                          "link",
                                          "interpretation",
                                          "referenceRange",
                                          "hasMember",
                                          "derivedFrom",
                                          "bodySite",
                                          "security",
                                          "tag",
                                          "generalPractitioner",
                                          "practitioner",
                                          "reaction",
                                          "section",
                                          "item",
                                          "target",
                                          "addresses",
                                          "evidence",
                                          "stage",
                                          "supportingInfo",
                                          "instantiatesCanonical"});

bool always_array(std::string_view name) {
  return in(kAlwaysArray, name);
}

// Primitive values JSON writes as booleans.
constexpr auto kBooleanFields =
    sorted<13>({"valueBoolean", "notGiven", "notDone", "primarySource", "userSelected", "active",
                "deceasedBoolean", "multipleBirthBoolean", "wasNotTaken", "reportOrigin", "isBrand",
                "asNeededBoolean", "inclusive"});

bool is_boolean_field(std::string_view name) {
  return in(kBooleanFields, name);
}

constexpr auto kNumberFields =
    sorted<12>({"valueInteger", "valueDecimal", "valuePositiveInt", "valueUnsignedInt", "rank",
                "sequence", "total", "numberOfRepeatsAllowed", "doseNumberPositiveInt",
                "seriesDosesPositiveInt", "factor", "multipleBirthInteger"});

// Primitive values JSON writes as numbers: integers and decimals, and the value of a
// Quantity (whose element name says it is one: valueQuantity, low, high, doseQuantity...).
bool is_number_field(std::string_view name, std::string_view parent) {
  if (name != "value") return in(kNumberFields, name);
  return parent.ends_with("Quantity") || parent.ends_with("Age") || parent.ends_with("Duration") ||
         parent.ends_with("Count") || parent.ends_with("Distance") ||
         one_of(parent, {"low", "high", "quantity", "numerator", "denominator", "duration",
                         "expectedSupplyDuration", "valueMoney"});
}

std::optional<json::value> number_of(std::string_view text) {
  const char* const end = text.data() + text.size();
  std::int64_t integer = 0;
  if (const auto r = std::from_chars(text.data(), end, integer);
      r.ec == std::errc() && r.ptr == end)
    return json::value(integer);
  double real = 0;
  if (const auto r = std::from_chars(text.data(), end, real); r.ec == std::errc() && r.ptr == end)
    return json::value(real);
  return std::nullopt;
}

bool starts_upper(std::string_view name) {
  return !name.empty() && name.front() >= 'A' && name.front() <= 'Z';
}

// FHIR element names start lower case; resource names upper case. An element whose only
// child element is a resource wraps it: <resource><Patient/></resource>, <contained>.
pugi::xml_node only_child_resource(const pugi::xml_node& element) {
  pugi::xml_node found;
  for (const pugi::xml_node child : element.children()) {
    if (child.type() != pugi::node_element) continue;
    if (found || !starts_upper(local_name(child))) return {};
    found = child;
  }
  return found;
}

class Converter {
 public:
  explicit Converter(json::storage_ptr storage) : storage_(std::move(storage)) {}

  // A resource element (<Patient>, <Bundle>) becomes {"resourceType": ..., fields}.
  std::optional<json::value> resource(const pugi::xml_node& element, std::size_t depth) {
    json::object object(storage_);
    object["resourceType"] = local_name(element);
    if (!fill(object, element, depth)) return std::nullopt;
    return json::value(std::move(object));
  }

  bool too_deep() const { return too_deep_; }
  // The element found too deep, for the error's line:col.
  const pugi::xml_node& too_deep_at() const { return too_deep_at_; }

 private:
  std::optional<json::value> element_value(const pugi::xml_node& element, std::string_view name,
                                           std::string_view parent, std::size_t depth) {
    if (depth > kMaxDepth) {
      too_deep_ = true;
      too_deep_at_ = element;
      return std::nullopt;
    }
    // <resource><Patient>...</Patient></resource>, <contained><Medication/></contained>
    if (const pugi::xml_node inner = only_child_resource(element))
      return resource(inner, depth + 1);
    if (const pugi::xml_attribute value = element.attribute("value")) {
      const std::string_view text = value.value();
      if (is_boolean_field(name) && (text == "true" || text == "false"))
        return json::value(text == "true");
      if (is_number_field(name, parent)) {
        if (auto number = number_of(text)) return number;
      }
      return json::value(json::string(text, storage_));
    }
    json::object object(storage_);
    if (const pugi::xml_attribute url = element.attribute("url")) object["url"] = url.value();
    if (!fill(object, element, depth)) return std::nullopt;
    return json::value(std::move(object));
  }

  bool fill(json::object& object, const pugi::xml_node& element, std::size_t depth) {
    if (depth > kMaxDepth) {
      too_deep_ = true;
      too_deep_at_ = element;
      return false;
    }
    const std::string_view parent = local_name(element);
    for (const pugi::xml_node child : element.children()) {
      if (child.type() != pugi::node_element) continue;
      const std::string_view name = local_name(child);
      if (name == "div")  // the XHTML narrative: for people, not for reading facts
        continue;
      auto value = element_value(child, name, parent, depth + 1);
      if (!value) {
        if (too_deep_) return false;
        continue;
      }
      // An element that repeats is an array: the first one is turned into an array when the
      // second comes (an element never holds an array itself, so is_array says which).
      if (always_array(name)) {
        json::value& slot = object[name];
        if (!slot.is_array()) slot = json::array(storage_);
        slot.get_array().push_back(std::move(*value));
      } else if (json::value* seen = object.if_contains(name)) {
        if (!seen->is_array()) {
          json::array items(storage_);
          items.push_back(std::move(*seen));
          *seen = std::move(items);
        }
        seen->get_array().push_back(std::move(*value));
      } else {
        object.emplace(name, std::move(*value));
      }
    }
    return true;
  }

  json::storage_ptr storage_;
  bool too_deep_ = false;
  pugi::xml_node too_deep_at_;
};

}  // namespace

ReadResult read_xml(std::string_view text, std::string_view source_name) {
  ReadResult result;
  pugi::xml_document document;
  // No DOCTYPE expansion: pugixml never fetches or expands external entities.
  const pugi::xml_parse_result parsed =
      document.load_buffer(text.data(), text.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!parsed) {
    result.error = detail::make_issue(
        source_name, line_col(text, static_cast<std::size_t>(parsed.offset)),
        std::string("malformed XML: ") + parsed.description(),
        "the input must be one well-formed XML document; look for an unclosed or mismatched "
        "tag at or just before this position");
    return result;
  }
  const pugi::xml_node root = document.document_element();
  const pugi::xml_attribute xmlns = root.attribute("xmlns");
  if (!root || !starts_upper(local_name(root)) || !xmlns ||
      std::string_view(xmlns.value()) != kFhirNamespace) {
    result.error = detail::make_issue(
        source_name, "",
        "the XML is not a FHIR resource (root <" + std::string(root ? root.name() : "") +
            "> is not in the FHIR namespace)",
        "expected a FHIR resource or Bundle element with xmlns=\"http://hl7.org/fhir\"");
    return result;
  }
  json::monotonic_resource arena;
  Converter converter(&arena);
  auto converted = converter.resource(root, 0);
  if (!converted) {
    const std::ptrdiff_t offset = converter.too_deep_at().offset_debug();
    result.error = detail::make_issue(
        source_name, offset < 0 ? std::string() : line_col(text, static_cast<std::size_t>(offset)),
        "the XML nests more than " + std::to_string(kMaxDepth) +
            " elements deep: too deep for FHIR",
        "FHIR resources nest at most a few dozen levels");
    return result;
  }
  detail::read_document(*converted, source_name, "XML", result);
  return result;
}

ReadResult read_xml_file(const std::filesystem::path& path) {
  return read_file_with(path, read_xml);
}

}  // namespace concord::fhir
