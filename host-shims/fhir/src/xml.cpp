// FHIR XML: converted to FHIR's JSON form (the rules of the FHIR JSON and XML pages), then
// read by the same walk as JSON, so each resource's mapping is written once.
#include <pugixml.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

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

// A fixed set of element names, asked about for every element: the names are bucketed by
// length, so that a lookup compares bytes only with the few names of the same length.
template <std::size_t N>
class NameSet {
 public:
  consteval explicit NameSet(std::array<std::string_view, N> names) : names_(names) {
    std::sort(names_.begin(), names_.end(), [](std::string_view a, std::string_view b) {
      return a.size() != b.size() ? a.size() < b.size() : a < b;
    });
    for (std::size_t i = 0; i < N; ++i) {
      const std::size_t length = names_[i].size();
      if (length >= kMaxLength) throw "name too long for a NameSet";  // fails to compile
      if (end_[length] == 0) begin_[length] = static_cast<unsigned char>(i);
      end_[length] = static_cast<unsigned char>(i + 1);
    }
  }

  bool contains(std::string_view name) const {
    if (name.size() >= kMaxLength) return false;
    for (std::size_t i = begin_[name.size()]; i < end_[name.size()]; ++i) {
      if (names_[i] == name) return true;
    }
    return false;
  }

 private:
  static constexpr std::size_t kMaxLength = 32;
  static_assert(N < 256);
  std::array<std::string_view, N> names_;
  std::array<unsigned char, kMaxLength> begin_{};
  std::array<unsigned char, kMaxLength> end_{};
};

// Elements that are arrays in JSON even when they occur once (FHIR cardinality 0..*). XML
// does not say; the reader needs these as arrays, the rest follow by name. Sorted, for a
// binary search: this is asked for every element.
constexpr NameSet<43> kAlwaysArray(std::array<std::string_view, 43>{"entry",
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
  return kAlwaysArray.contains(name);
}

// Primitive values JSON writes as booleans.
constexpr NameSet<13> kBooleanFields(std::array<std::string_view, 13>{
    "valueBoolean", "notGiven", "notDone", "primarySource", "userSelected", "active",
    "deceasedBoolean", "multipleBirthBoolean", "wasNotTaken", "reportOrigin", "isBrand",
    "asNeededBoolean", "inclusive"});

bool is_boolean_field(std::string_view name) {
  return kBooleanFields.contains(name);
}

constexpr NameSet<12> kNumberFields(std::array<std::string_view, 12>{
    "valueInteger", "valueDecimal", "valuePositiveInt", "valueUnsignedInt", "rank", "sequence",
    "total", "numberOfRepeatsAllowed", "doseNumberPositiveInt", "seriesDosesPositiveInt", "factor",
    "multipleBirthInteger"});

// Primitive values JSON writes as numbers: integers and decimals, and the value of a
// Quantity (whose element name says it is one: valueQuantity, low, high, doseQuantity...).
bool is_number_field(std::string_view name, std::string_view parent) {
  if (name != "value") return kNumberFields.contains(name);
  return parent.ends_with("Quantity") || parent.ends_with("Age") || parent.ends_with("Duration") ||
         parent.ends_with("Count") || parent.ends_with("Distance") ||
         one_of(parent, {"low", "high", "quantity", "numerator", "denominator", "duration",
                         "expectedSupplyDuration", "valueMoney"});
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

// Builds the JSON form on a Boost.JSON value_stack, as Boost.JSON's own parser does: each
// value is pushed once, straight into the arena, and an object or array is made from the
// values on top of the stack when it is complete (no object grows or rehashes, no value is
// moved twice). Each element's children are first grouped into runs of one name, so that a
// repeated element becomes one array in the place of its first occurrence.
class Converter {
 public:
  explicit Converter(json::storage_ptr storage) { stack_.reset(std::move(storage)); }

  // A resource element (<Patient>, <Bundle>) becomes {"resourceType": ..., fields}.
  bool resource(const pugi::xml_node& element, std::size_t depth) {
    const std::string_view type = local_name(element);
    stack_.push_key("resourceType");
    stack_.push_string(type);
    const auto fields = fill(element, type, depth);
    if (!fields) return false;
    stack_.push_object(1 + *fields);
    return true;
  }

  // The value built by resource(), once it returned true.
  json::value release() { return stack_.release(); }

  // The element found too deep, for the error's line:col.
  const pugi::xml_node& too_deep_at() const { return too_deep_at_; }

 private:
  // Children of one element with the same name, next to each other (other nodes between
  // them, comments say, do not break a run).
  struct Run {
    std::string_view name;
    pugi::xml_node first;
    std::size_t count;
    std::size_t group;  // the first run of this element with the same name
  };

  bool fail_too_deep(const pugi::xml_node& element) {
    too_deep_at_ = element;
    return false;
  }

  // Pushes the JSON value of one element.
  bool element_value(const pugi::xml_node& element, std::string_view name, std::string_view parent,
                     std::size_t depth) {
    if (depth > kMaxDepth) return fail_too_deep(element);
    // <resource><Patient>...</Patient></resource>, <contained><Medication/></contained>
    if (const pugi::xml_node inner = only_child_resource(element))
      return resource(inner, depth + 1);
    if (const pugi::xml_attribute value = element.attribute("value")) {
      push_primitive(value.value(), name, parent);
      return true;
    }
    std::size_t fields = 0;
    if (const pugi::xml_attribute url = element.attribute("url")) {
      stack_.push_key("url");
      stack_.push_string(url.value());
      fields = 1;
    }
    const auto children = fill(element, name, depth);
    if (!children) return false;
    stack_.push_object(fields + *children);
    return true;
  }

  void push_primitive(std::string_view text, std::string_view name, std::string_view parent) {
    if (is_boolean_field(name) && (text == "true" || text == "false")) {
      stack_.push_bool(text == "true");
      return;
    }
    if (is_number_field(name, parent)) {
      const char* const end = text.data() + text.size();
      std::int64_t integer = 0;
      if (const auto r = std::from_chars(text.data(), end, integer);
          r.ec == std::errc() && r.ptr == end) {
        stack_.push_int64(integer);
        return;
      }
      double real = 0;
      if (const auto r = std::from_chars(text.data(), end, real);
          r.ec == std::errc() && r.ptr == end) {
        stack_.push_double(real);
        return;
      }
    }
    stack_.push_string(text);
  }

  // Pushes a key and value for each child name of `element`; returns how many, or nothing
  // when the element nests too deep.
  std::optional<std::size_t> fill(const pugi::xml_node& element, std::string_view parent,
                                  std::size_t depth) {
    if (depth > kMaxDepth) {
      fail_too_deep(element);
      return std::nullopt;
    }
    const std::size_t base = runs_.size();
    const bool scattered = collect_runs(element, base);
    const std::size_t end = runs_.size();
    // A name that comes back after another (invalid FHIR XML, but readable) is gathered
    // into the array of its first run.
    if (scattered) {
      std::stable_sort(runs_.begin() + static_cast<std::ptrdiff_t>(base), runs_.end(),
                       [](const Run& a, const Run& b) { return a.group < b.group; });
    }
    std::size_t fields = 0;
    // runs_ grows and shrinks below (the children's own runs): index it, never hold a
    // reference across a push.
    for (std::size_t i = base; i < end;) {
      const std::string_view name = runs_[i].name;
      const std::size_t group = runs_[i].group;
      std::size_t last = i;
      std::size_t count = 0;
      while (last < end && runs_[last].group == group)
        count += runs_[last++].count;
      stack_.push_key(name);
      for (std::size_t r = i; r < last; ++r) {
        pugi::xml_node child = runs_[r].first;
        for (std::size_t n = runs_[r].count; n > 0; child = child.next_sibling()) {
          if (child.type() != pugi::node_element) continue;
          if (!element_value(child, name, parent, depth + 1)) {
            runs_.resize(base);
            return std::nullopt;
          }
          --n;
        }
      }
      if (count > 1 || always_array(name)) stack_.push_array(count);
      ++fields;
      i = last;
    }
    runs_.resize(base);
    return fields;
  }

  // Appends the runs of element's children to runs_; true when a name occurs in two runs.
  bool collect_runs(const pugi::xml_node& element, std::size_t base) {
    bool scattered = false;
    std::string_view current;
    if (!groups_.empty()) groups_.clear();  // a sibling's
    for (pugi::xml_node child = element.first_child(); child; child = child.next_sibling()) {
      if (child.type() != pugi::node_element) continue;
      const std::string_view name = local_name(child);
      if (name == "div") {  // the XHTML narrative: for people, not for reading facts
        current = {};
        continue;
      }
      if (!current.empty() && name == current) {
        ++runs_.back().count;
        continue;
      }
      current = name;
      const std::size_t group = group_of(name, base);
      scattered |= group != runs_.size();
      runs_.push_back(Run{name, child, 1, group});
    }
    return scattered;
  }

  // The index of the first run since `base` named `name`, or the next index for a new name.
  // An element has a few dozen runs at most in FHIR; many more (hostile input) go through
  // a hash map, so that no input makes this quadratic.
  std::size_t group_of(std::string_view name, std::size_t base) {
    constexpr std::size_t kLinearRuns = 32;
    const std::size_t size = runs_.size();
    if (size - base <= kLinearRuns) {
      for (std::size_t i = base; i < size; ++i) {
        if (runs_[i].name == name) return runs_[i].group;
      }
      return size;
    }
    if (groups_.empty()) {
      for (std::size_t i = base; i < size; ++i)
        groups_.emplace(runs_[i].name, runs_[i].group);
    }
    return groups_.try_emplace(name, size).first->second;
  }

  json::value_stack stack_;
  std::vector<Run> runs_;  // a stack: each element's runs above its parent's
  std::unordered_map<std::string_view, std::size_t> groups_;  // for an element with many runs
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
  if (!converter.resource(root, 0)) {
    const std::ptrdiff_t offset = converter.too_deep_at().offset_debug();
    result.error = detail::make_issue(
        source_name, offset < 0 ? std::string() : line_col(text, static_cast<std::size_t>(offset)),
        "the XML nests more than " + std::to_string(kMaxDepth) +
            " elements deep: too deep for FHIR",
        "FHIR resources nest at most a few dozen levels");
    return result;
  }
  detail::read_document(converter.release(), source_name, "XML", result);
  return result;
}

ReadResult read_xml_file(const std::filesystem::path& path) {
  return read_file_with(path, read_xml);
}

}  // namespace concord::fhir
