// Reading a whole document: parse, index the Patients and Medications, then attach every
// fact to the Patient its subject names.
#include <boost/json.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <map>
#include <string>
#include <system_error>
#include <utility>

#include "concord/fhir/read.hpp"
#include "document.hpp"
#include "fields.hpp"
#include "references.hpp"
#include "resources.hpp"

namespace concord::fhir {

namespace {

using detail::Context;
using detail::JsonNode;
using detail::Path;
using detail::ResourceKind;
using detail::XmlNode;
namespace json = boost::json;

constexpr std::string_view kReadTypes =
    "Concord reads Patient, Condition, Observation, Procedure, Immunization, Flag, "
    "MedicationStatement, MedicationRequest, Medication and Goal";

// One resource worth reading, by where it sits.
template <typename Node>
struct Fact {
  Node resource;
  std::string_view type;
  std::size_t entry;  // index in Bundle.entry, or kRoot for a lone resource
  ResourceKind kind;
};
constexpr std::size_t kRoot = static_cast<std::size_t>(-1);

template <typename Node>
class DocumentReader {
 public:
  DocumentReader(std::string_view source, std::string_view type, detail::FhirVersion version,
                 ReadResult& result)
      : source_(source),
        result_(result),
        cx_(source, result.warnings, version, Node::kSyntax),
        root_(document_.resource(type)) {}

  void read(const Node& document, std::string_view type) {
    if (type == "Bundle") {
      read_bundle(document);
    } else {
      collect(document, type, {}, root_, kRoot);
    }
    attach_facts();
    warn_skipped_types();
  }

 private:
  void read_bundle(const Node& bundle) {
    const Node entries = detail::array_field(cx_, bundle, "entry", root_);
    if (!entries) return;
    const Path entries_path = root_.field("entry");
    const auto items = entries.items();
    if constexpr (Node::kSyntax == detail::Syntax::json) facts_.reserve(items.size());
    for (const auto& [i, item] : items) {
      const Path entry_path = entries_path.item(i);
      const Node entry = item.object();
      if (!entry) {
        cx_.warn(entry_path, "a Bundle entry is not an object; skipped",
                 "each entry must be an object with a 'resource'");
        continue;
      }
      // A batch-response or history entry may carry only a response: nothing to read.
      const Node resource = detail::object_field(cx_, entry, "resource", entry_path);
      if (!resource) continue;
      const Path resource_path = entry_path.field("resource");
      const auto type = detail::resource_type(cx_, resource, resource_path);
      if (!type) {
        cx_.warn(resource_path, "an entry's resource has no resourceType; skipped",
                 Node::kSyntax == detail::Syntax::xml
                     ? "every FHIR resource is an element named by its type"
                     : "every FHIR resource names its type in 'resourceType'");
        continue;
      }
      const auto full_url = detail::string_field(cx_, entry, "fullUrl", entry_path);
      const Path typed_path = resource_path.resource(*type);
      collect(resource, *type, full_url.value_or(std::string_view()), typed_path, i);
    }
  }

  // First pass: Patients and Medications are read at once (facts refer to them); facts wait
  // until every Patient is known.
  void collect(const Node& resource, std::string_view type, std::string_view full_url,
               const Path& at, std::size_t entry) {
    const ResourceKind kind = detail::kind_of(type);
    switch (kind) {
      case ResourceKind::patient:
        read_patient(resource, full_url, at);
        return;
      case ResourceKind::medication: {
        const auto id = detail::string_field(cx_, resource, "id", at);
        if (medications_.index.add(type, full_url, id.value_or(std::string_view()),
                                   medications_.codes.size())) {
          medications_.codes.push_back(detail::codes_field(cx_, resource, "code", at));
        }
        return;
      }
      case ResourceKind::other:
        ++skipped_types_[type];
        return;
      case ResourceKind::condition:
        ++diagnoses_;
        break;
      case ResourceKind::medication_statement:
        detail::note_based_on(resource, medications_);
        ++medication_count_;
        break;
      case ResourceKind::medication_request:
        ++medication_count_;
        break;
      case ResourceKind::goal:
        ++goals_;
        break;
      case ResourceKind::observation:
      case ResourceKind::procedure:
      case ResourceKind::immunization:
      case ResourceKind::flag:
        ++events_;
        break;
    }
    facts_.push_back(Fact<Node>{resource, type, entry, kind});
  }

  void read_patient(const Node& patient, std::string_view full_url, const Path& at) {
    const auto id = detail::string_field(cx_, patient, "id", at);
    // The same Patient twice (a searchset with _include, say) is one person.
    if (!patients_.add("Patient", full_url, id.value_or(std::string_view()),
                       result_.records.size()) &&
        (!full_url.empty() || id)) {
      return;
    }
    runtime::Record& record = result_.records.emplace_back();
    record.id = id.value_or(std::string_view());
    record.source = source_;
    record.birth_date = detail::first_date(cx_, patient, at, {{"birthDate"}});
    if (const auto gender = detail::string_field(cx_, patient, "gender", at)) {
      record.sex = *gender;
    }
    read_death(patient, record, at);
  }

  // Patient.deceased[x]: deceasedDateTime gives the date; deceasedBoolean true says the person
  // has died without saying when. A death date that cannot be read still marks the death.
  void read_death(const Node& patient, runtime::Record& record, const Path& at) {
    if (patient.has("deceasedDateTime")) {
      record.deceased = true;
      record.death_date = detail::first_date(cx_, patient, at, {{"deceasedDateTime"}});
      return;
    }
    const Node flag = patient.field("deceasedBoolean");
    if (!flag) return;
    if (const auto died = flag.boolean()) {
      record.deceased = *died;
    } else {
      cx_.warn(at.field("deceasedBoolean"),
               "deceasedBoolean is not true or false; the person is read as alive",
               Node::kSyntax == detail::Syntax::xml
                   ? "write deceasedBoolean value=\"true\" or \"false\", or give deceasedDateTime"
                   : "write deceasedBoolean as a JSON boolean, or give deceasedDateTime");
    }
  }

  // Second pass: each fact to its Patient's Record.
  void attach_facts() {
    if (facts_.empty()) return;
    if (result_.records.empty()) {
      runtime::Record& anonymous = result_.records.emplace_back();
      anonymous.source = source_;
    }
    if (result_.records.size() == 1) {
      runtime::Record& only = result_.records.front();
      only.diagnoses.reserve(diagnoses_);
      only.events.reserve(events_);
      only.medications.reserve(medication_count_);
      only.goals.reserve(goals_);
    }
    const Path entries_path = root_.field("entry");
    for (const Fact<Node>& fact : facts_) {
      if (fact.entry == kRoot) {
        attach(fact, root_);
      } else {
        const Path entry_path = entries_path.item(fact.entry);
        const Path resource_path = entry_path.field("resource");
        attach(fact, resource_path.resource(fact.type));
      }
    }
  }

  void attach(const Fact<Node>& fact, const Path& at) {
    // The mapping asks a resource for many fields: list its children once.
    const typename Node::Indexed indexed(fact.resource);
    const Node& r = indexed.node();
    const auto index = patient_of(r, at);
    if (!index) return;
    runtime::Record& record = result_.records[*index];
    const auto add_event = [&](std::optional<runtime::Event> event) {
      if (event) record.events.push_back(std::move(*event));
    };
    switch (fact.kind) {
      case ResourceKind::condition:
        if (auto diagnosis = detail::read_condition(cx_, r, at)) {
          record.diagnoses.push_back(std::move(*diagnosis));
        }
        break;
      case ResourceKind::observation:
        add_event(detail::read_observation(cx_, r, at));
        break;
      case ResourceKind::procedure:
        add_event(detail::read_procedure(cx_, r, at));
        break;
      case ResourceKind::immunization:
        add_event(detail::read_immunization(cx_, r, at));
        break;
      case ResourceKind::flag:
        add_event(detail::read_flag(cx_, r, at));
        break;
      case ResourceKind::medication_statement:
        if (auto medication = detail::read_medication_statement(cx_, r, at, medications_)) {
          record.medications.push_back(std::move(*medication));
        }
        break;
      case ResourceKind::medication_request:
        if (auto medication = detail::read_medication_request(cx_, r, at, medications_)) {
          record.medications.push_back(std::move(*medication));
        }
        break;
      case ResourceKind::goal:
        if (auto goal = detail::read_goal(cx_, r, at)) record.goals.push_back(std::move(*goal));
        break;
      case ResourceKind::patient:
      case ResourceKind::medication:
      case ResourceKind::other:
        break;
    }
  }

  // The Record a fact belongs to. With a single Record (one Patient, or none) every fact
  // belongs to it whatever its subject says; with several, the subject must name one.
  std::optional<std::size_t> patient_of(const Node& resource, const Path& at) {
    const auto reference = detail::subject_reference(cx_, resource, at);
    if (reference) {
      if (auto index = patients_.find(*reference)) return index;
    }
    if (result_.records.size() == 1) return 0;
    std::string message;
    if (reference) {
      message.append("the subject '").append(*reference).append("' names none of the ");
    } else {
      message = "the entry has no subject, so it belongs to none of the ";
    }
    message.append(std::to_string(result_.records.size())).append(" Patients; skipped");
    cx_.warn(at, std::move(message),
             "reference the Patient by its fullUrl or as Patient/<id> in 'subject'");
    return std::nullopt;
  }

  void warn_skipped_types() {
    if (skipped_types_.empty()) return;
    std::string message = "resource types not read:";
    bool first = true;
    for (const auto& [type, count] : skipped_types_) {
      message.append(first ? " " : ", ").append(std::to_string(count)).append(" ");
      message.append(type);
      first = false;
    }
    cx_.warn(root_, std::move(message), std::string(kReadTypes));
  }

  std::string_view source_;
  ReadResult& result_;
  Context cx_;
  const Path document_;
  const Path root_;  // the document's resource (an XPath step, /Bundle)
  detail::ReferenceIndex patients_;
  detail::BundledMedications medications_;
  std::vector<Fact<Node>> facts_;
  std::map<std::string_view, std::size_t> skipped_types_;  // sorted, for a stable message
  std::size_t diagnoses_ = 0, events_ = 0, medication_count_ = 0, goals_ = 0;
};

}  // namespace

namespace detail {

ReadIssue make_issue(std::string_view source, std::string where, std::string message,
                     std::string hint) {
  return ReadIssue{std::string(source), std::move(where), std::move(message), std::move(hint)};
}

}  // namespace detail

std::string line_col(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < offset; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++line;
      column = 1;
    } else if ((c & 0xC0) != 0x80) {  // not a UTF-8 continuation byte
      ++column;
    }
  }
  return std::to_string(line) + ":" + std::to_string(column);
}

namespace detail {

std::optional<json::value> parse_json(std::string_view text, json::storage_ptr storage,
                                      std::size_t& error_offset, boost::system::error_code& ec) {
  json::parse_options options;
  options.max_depth = 64;  // FHIR nests deeper than Boost.JSON's default of 32 allows for
  json::stream_parser parser(json::storage_ptr(), options);
  parser.reset(std::move(storage));
  error_offset = parser.write(text.data(), text.size(), ec);
  if (!ec) parser.finish(ec);
  if (ec) return std::nullopt;
  return parser.release();
}

namespace {

template <typename Node>
bool declares_stu3(const Node& resource) {
  const Node meta_field = resource.field("meta");
  const Node meta = meta_field ? meta_field.object() : Node();
  const Node profiles = meta ? meta.field("profile") : Node();
  if (!profiles || !profiles.is_array()) return false;
  for (const auto& [i, profile] : profiles.items()) {
    const auto text = profile.string();
    if (!text) continue;
    if (text->find("/STU3/") != std::string_view::npos ||
        text->find("CareConnect") != std::string_view::npos) {
      return true;
    }
  }
  return false;
}

// Fields that exist in STU3 and not in R4, or changed type: Condition.clinicalStatus as a
// string, MedicationStatement.taken, Immunization.notGiven.
template <typename Node>
bool has_stu3_fields(const Node& resource) {
  if (resource.has("taken") || resource.has("notGiven")) return true;
  const Node status = resource.field("clinicalStatus");
  return status && status.string();
}

}  // namespace

template <typename Node>
FhirVersion version_of(const Node& document) {
  if (declares_stu3(document) || has_stu3_fields(document)) return FhirVersion::stu3;
  const Node entries = document.field("entry");
  if (!entries || !entries.is_array()) return FhirVersion::r4;
  // The first few entries decide: a Bundle does not mix releases.
  std::size_t looked = 0;
  for (const auto& [i, item] : entries.items()) {
    if (++looked > 32) break;
    const Node entry = item.object();
    const Node resource = entry ? entry.field("resource") : Node();
    const Node object = resource ? resource.object() : Node();
    if (!object) continue;
    const typename Node::Indexed indexed(object);
    if (declares_stu3(indexed.node()) || has_stu3_fields(indexed.node())) return FhirVersion::stu3;
  }
  return FhirVersion::r4;
}

template <typename Node>
void read_resource(const Node& document, std::string_view type, std::string_view source,
                   std::string_view syntax, ReadResult& result) {
  const FhirVersion version = version_of(document);
  result.format = std::string(version == FhirVersion::stu3 ? "FHIR STU3 " : "FHIR R4 ");
  result.format.append(syntax);
  DocumentReader<Node>(source, type, version, result).read(document, type);
}

template FhirVersion version_of(const JsonNode&);
template FhirVersion version_of(const XmlNode&);
template void read_resource(const JsonNode&, std::string_view, std::string_view, std::string_view,
                            ReadResult&);
template void read_resource(const XmlNode&, std::string_view, std::string_view, std::string_view,
                            ReadResult&);

void read_document(const json::value& document, std::string_view source, std::string_view syntax,
                   ReadResult& result) {
  const json::object* object = document.if_object();
  const json::value* type = object != nullptr ? object->if_contains("resourceType") : nullptr;
  if (type == nullptr || !type->is_string()) {
    result.error = make_issue(source, "", "the document is not a FHIR resource (no resourceType)",
                              "expected a FHIR R4 resource or Bundle with a resourceType");
    return;
  }
  read_resource(JsonNode(document), type->get_string(), source, syntax, result);
}

}  // namespace detail

ReadResult read_json(std::string_view text, std::string_view source_name) {
  ReadResult result;
  // Everything parsed lives only as long as this read: one arena, freed at once.
  json::monotonic_resource arena;
  std::size_t consumed = 0;
  boost::system::error_code ec;
  const auto document = detail::parse_json(text, &arena, consumed, ec);
  if (!document) {
    result.error =
        detail::make_issue(source_name, line_col(text, consumed), "malformed JSON: " + ec.message(),
                           "the input must be one JSON document; look for a missing comma, "
                           "quote or bracket at or just before this position");
    return result;
  }
  detail::read_document(*document, source_name, "JSON", result);
  return result;
}

ReadResult read_json_value(const json::value& document, std::string_view source_name) {
  ReadResult result;
  detail::read_document(document, source_name, "JSON", result);
  return result;
}

std::optional<ReadIssue> load_text_file(const std::filesystem::path& path, std::string& text) {
  const std::string source = path.string();
  std::error_code ec;
  const bool is_file = std::filesystem::is_regular_file(path, ec);
  const auto size = is_file ? std::filesystem::file_size(path, ec) : 0;
  std::ifstream in;
  if (!ec && is_file) in.open(path, std::ios::binary);
  if (ec || !is_file || !in) {
    return detail::make_issue(
        source, "",
        std::string(!ec && !is_file && std::filesystem::exists(path, ec) ? "not a regular file"
                                                                         : "cannot read the file") +
            (ec ? ": " + ec.message() : ""),
        "check that the path names a readable record file");
  }
  if (size > max_file_bytes) {
    return detail::make_issue(source, "",
                              "the file is " + std::to_string(size >> 20) + " MiB, more than the " +
                                  std::to_string(max_file_bytes >> 20) + " MiB one record may take",
                              "split a population export into one file per person, or stream it "
                              "as FHIR Bulk Data NDJSON");
  }
  text.assign(size, '\0');
  in.read(text.data(), static_cast<std::streamsize>(size));
  if (static_cast<std::uintmax_t>(in.gcount()) != size) {
    return detail::make_issue(source, "", "cannot read the whole file",
                              "check that the file is not being written to and is readable");
  }
  return std::nullopt;
}

void name_records_by_file(ReadResult& result, const std::filesystem::path& path) {
  // Problems name the path the user gave; the output names only the file (no machine paths).
  const std::string file_name = path.filename().string();
  for (runtime::Record& record : result.records)
    record.source = file_name;
}

ReadResult read_file_with(const std::filesystem::path& path,
                          ReadResult (*read)(std::string_view text, std::string_view source)) {
  ReadResult result;
  std::string text;
  if (auto error = load_text_file(path, text)) {
    result.error = std::move(*error);
    return result;
  }
  result = read(text, path.string());
  name_records_by_file(result, path);
  return result;
}

ReadResult read_json_file(const std::filesystem::path& path) {
  return read_file_with(path, read_json);
}

}  // namespace concord::fhir
