// Internal: where a value sits in the input (a JSON pointer or XPath built only when needed)
// and typed access to FHIR fields, in either syntax, that reports wrong types and bad dates
// instead of throwing.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "concord/fhir/read.hpp"
#include "concord/runtime/date.hpp"
#include "concord/runtime/record.hpp"
#include "node.hpp"

namespace concord::fhir::detail {

// A position in the document as a chain of parents, so that reading allocates nothing and
// the location text is built only for an issue: a JSON pointer for JSON, an XPath for XML. A
// Path refers to its parent: keep each step in a named variable (or a function argument)
// while its children are in use.
class Path {
 public:
  Path() = default;  // the document root
  Path field(std::string_view key) const { return Path(this, key, kNoIndex); }
  Path item(std::size_t index) const { return Path(this, {}, index); }
  // The resource element inside a resource-valued field (or the document's root element):
  // an XPath step (/Bundle, .../resource/Condition), nothing in a JSON pointer. A step with
  // no type is none.
  Path resource(std::string_view type) const { return Path(this, type, kResource); }
  // RFC 6901 ("" for the root), or an XPath of element names (/Bundle/entry[3]/resource/
  // Condition/onsetDateTime) with 1-based positions among elements of the same name.
  std::string text(Syntax syntax) const;
  std::string pointer() const { return text(Syntax::json); }

 private:
  static constexpr std::size_t kNoIndex = static_cast<std::size_t>(-1);
  static constexpr std::size_t kResource = static_cast<std::size_t>(-2);
  Path(const Path* parent, std::string_view key, std::size_t index)
      : parent_(parent), key_(key), index_(index) {}

  const Path* parent_ = nullptr;
  std::string_view key_;
  std::size_t index_ = kNoIndex;
};

// The FHIR release a document follows. The readers take both in one code path; the version
// only names the definition to check against in hints.
enum class FhirVersion { r4, stu3 };

// What one read shares: the source name, its syntax and the warnings collected so far.
class Context {
 public:
  Context(std::string_view source, std::vector<ReadIssue>& warnings,
          FhirVersion version = FhirVersion::r4, Syntax syntax = Syntax::json)
      : source_(source), warnings_(warnings), version_(version), syntax_(syntax) {}
  void warn(const Path& where, std::string message, std::string hint = {});
  std::string_view source() const { return source_; }
  FhirVersion version() const { return version_; }
  Syntax syntax() const { return syntax_; }
  // "check the resource against the FHIR R4 (or STU3) definition"
  std::string check_definition_hint() const;

 private:
  std::string_view source_;
  std::vector<ReadIssue>& warnings_;
  FhirVersion version_;
  Syntax syntax_;
};

// The accessors below take either node type of node.hpp (JsonNode, XmlNode); they are
// instantiated for both in fields.cpp.
//
// Each returns nothing when the field is absent (silently) or has the wrong type (with a
// warning at `at`/key). `at` is the path of `object`, an object node. object_field gives an
// object node; array_field a node whose items() are the array.
template <typename Node>
Node object_field(Context& cx, const Node& object, std::string_view key, const Path& at);
template <typename Node>
Node array_field(Context& cx, const Node& object, std::string_view key, const Path& at);
template <typename Node>
std::optional<std::string_view> string_field(Context& cx, const Node& object, std::string_view key,
                                             const Path& at);

// A resource's type: its resourceType in JSON, its element name in XML.
template <typename Node>
std::optional<std::string_view> resource_type(Context& cx, const Node& resource, const Path& at);

// Where a date may be: a date/dateTime/instant field, or one end ("start"/"end") of a
// Period field.
struct DateField {
  std::string_view key;
  std::string_view part = {};
};

// The date in the first of `fields` that is present. A present but unparseable date gives
// nothing and a warning (later fields are not tried: the source said something else).
template <typename Node>
std::optional<runtime::RecordedDate> first_date(Context& cx, const Node& object, const Path& at,
                                                std::initializer_list<DateField> fields);

// The codings of the CodeableConcept at object[key], with their systems mapped to tokens.
template <typename Node>
std::vector<runtime::Code> codes_field(Context& cx, const Node& object, std::string_view key,
                                       const Path& at);

// Whether the CodeableConcept at object[key] has a coding whose code is one of `codes`; for
// status concepts such as Condition.clinicalStatus, whatever their system. STU3 gives some of
// these (Condition.clinicalStatus, verificationStatus) as a plain code string: also taken.
template <typename Node>
bool concept_has_code(Context& cx, const Node& object, std::string_view key, const Path& at,
                      std::initializer_list<std::string_view> codes);

// A FHIR Quantity: value as a number; unit the UCUM code when the system is UCUM, else the
// human unit, else whatever code there is.
template <typename Node>
std::optional<runtime::Quantity> quantity_field(Context& cx, const Node& object,
                                                std::string_view key, const Path& at);

}  // namespace concord::fhir::detail
