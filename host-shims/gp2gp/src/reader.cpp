// Walking an EHR Extract: index every statement by id (problems name their statements), then
// turn each ehrComposition's statements into facts.
#include <pugixml.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "concord/gp2gp/read.hpp"

namespace concord::gp2gp {

namespace {

using runtime::RecordedDate;

constexpr std::string_view kHl7Namespace = "urn:hl7-org:v3";
constexpr std::string_view kNhsNumberRoot = "2.16.840.1.113883.2.1.4.1";
constexpr std::string_view kInactiveProblem = "394775005";
constexpr std::size_t kMaxDepth = 64;

constexpr std::string_view kFormats =
    "Concord reads GP2GP EHR Extracts (RCMR_IN030000UK06 or EhrExtract, namespace "
    "urn:hl7-org:v3)";

std::string_view local_name(const pugi::xml_node& node) {
  const std::string_view name = node.name();
  const auto colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

// The first child element with this local name (the extracts use the default namespace,
// but a prefix is allowed).
pugi::xml_node child(const pugi::xml_node& node, std::string_view name) {
  for (const pugi::xml_node c : node.children()) {
    if (c.type() == pugi::node_element && local_name(c) == name) return c;
  }
  return {};
}

pugi::xml_node descendant(const pugi::xml_node& node, std::string_view name,
                          std::size_t depth = 0) {
  if (depth > kMaxDepth) return {};
  for (const pugi::xml_node c : node.children()) {
    if (c.type() != pugi::node_element) continue;
    if (local_name(c) == name) return c;
    if (const pugi::xml_node found = descendant(c, name, depth + 1)) return found;
  }
  return {};
}

std::string_view attribute(const pugi::xml_node& node, const char* name) {
  return node.attribute(name).value();
}

std::string_view id_of(const pugi::xml_node& statement) {
  return attribute(child(statement, "id"), "root");
}

// Known allergy category headers: GP2GP wraps each allergy in a CompoundStatement with one
// of these Read v2 codes ("H/O: drug allergy", "Allergy, unspecified"). FHIR's
// AllergyIntolerance is not read either, so the two formats give the same Record.
bool is_allergy_category(std::string_view code) {
  return code == "14L..00" || code == "SN53.00";
}

// Structural CompoundStatements: the laboratory report and the specimen wrap results, and a
// transfer-degraded entry says only that the source had no concept; none is a fact.
constexpr std::string_view kLaboratoryReporting = "16488004";

bool is_structural(std::string_view code) {
  return code == kLaboratoryReporting || code == "123038009" /* specimen */ ||
         code == "196411000000103" /* transfer-degraded record entry */;
}

// What a statement sits in.
struct Within {
  bool allergy = false;     // an allergy category: not read
  bool lab_report = false;  // a laboratory report: test groups and their results
};

class ExtractReader {
 public:
  ExtractReader(std::string_view text, std::string_view source, ReadResult& result)
      : text_(text), source_(source), result_(result) {}

  void read(const pugi::xml_node& extract) {
    runtime::Record& record = result_.records.emplace_back();
    record.source = source_;
    read_patient(extract, record);
    const pugi::xml_node folder = descendant(extract, "ehrFolder");
    if (!folder) {
      warn(extract, "the EHR Extract has no ehrFolder: the record has no entries",
           "a GP2GP extract holds its entries in component/ehrFolder/component/ehrComposition");
      return;
    }
    // Pass 1: every statement by id, so a problem can name its statement wherever it sits.
    for (const pugi::xml_node composition : compositions(folder))
      index_statements(composition, 0);
    // Pass 2: the facts.
    for (const pugi::xml_node composition : compositions(folder)) {
      for (const pugi::xml_node c : composition.children()) {
        if (c.type() == pugi::node_element && local_name(c) == "component")
          read_component(c, record, 0, Within{});
      }
    }
    warn_skipped(extract);
  }

 private:
  static std::vector<pugi::xml_node> compositions(const pugi::xml_node& folder) {
    std::vector<pugi::xml_node> found;
    for (const pugi::xml_node c : folder.children()) {
      if (c.type() != pugi::node_element || local_name(c) != "component") continue;
      if (const pugi::xml_node composition = child(c, "ehrComposition"))
        found.push_back(composition);
    }
    return found;
  }

  void warn(const pugi::xml_node& at, std::string message, std::string hint) {
    const auto offset = at ? static_cast<std::size_t>(at.offset_debug()) : 0;
    result_.warnings.push_back(ReadIssue{std::string(source_), fhir::line_col(text_, offset),
                                         std::move(message), std::move(hint)});
  }

  void read_patient(const pugi::xml_node& extract, runtime::Record& record) {
    const pugi::xml_node patient = child(child(extract, "recordTarget"), "patient");
    for (const pugi::xml_node c : patient.children()) {
      if (c.type() == pugi::node_element && local_name(c) == "id" &&
          attribute(c, "root") == kNhsNumberRoot) {
        record.id = attribute(c, "extension");
      }
    }
    if (record.id.empty()) {
      warn(patient ? patient : extract, "the extract names no NHS number; the Record has no id",
           "give recordTarget/patient an id with root 2.16.840.1.113883.2.1.4.1");
    }
    const pugi::xml_node person = child(patient, "patientPerson");
    if (const pugi::xml_node birth = child(person, "birthTime")) record.birth_date = date_of(birth);
    const std::string_view gender = attribute(child(person, "administrativeGenderCode"), "code");
    if (gender == "M") {
      record.sex = "male";
    } else if (gender == "F") {
      record.sex = "female";
    } else if (gender == "U" || gender == "I") {
      record.sex = "unknown";
    }
  }

  void index_statements(const pugi::xml_node& node, std::size_t depth) {
    if (depth > kMaxDepth) return;
    for (const pugi::xml_node c : node.children()) {
      if (c.type() != pugi::node_element) continue;
      const std::string_view name = local_name(c);
      if (name.ends_with("Statement") || name == "LinkSet") {
        if (const std::string_view id = id_of(c); !id.empty()) statements_.emplace(id, c);
      }
      if (name == "component" || name == "CompoundStatement") index_statements(c, depth + 1);
    }
  }

  // HL7v3 TS: YYYY[MM[DD[HH[MM[SS[.S]]]]]][+/-ZZZZ]. Kept at its recorded precision.
  std::optional<RecordedDate> date_of(const pugi::xml_node& ts) {
    const std::string_view value = attribute(ts, "value");
    if (value.empty()) return std::nullopt;  // a nullFlavor: no date recorded
    std::size_t digits = 0;
    while (digits < value.size() && value[digits] >= '0' && value[digits] <= '9')
      ++digits;
    std::string iso;
    if (digits >= 4) iso.append(value.substr(0, 4));
    if (digits >= 6) iso.append("-").append(value.substr(4, 2));
    if (digits >= 8) iso.append("-").append(value.substr(6, 2));
    // After the digits only a fraction or a zone may follow, and only after a time.
    const std::string_view rest = value.substr(digits);
    const bool well_formed =
        (digits == 4 || digits == 6 || digits == 8 || digits == 10 || digits == 12 ||
         digits == 14) &&
        (rest.empty() || (digits >= 10 && (rest[0] == '.' || rest[0] == '+' || rest[0] == '-')));
    if (well_formed) {
      if (auto date = RecordedDate::parse(iso)) return date;
    }
    warn(ts, "unreadable date '" + std::string(value) + "'; the entry is kept without this date",
         "write an HL7v3 timestamp: YYYY, YYYYMM, YYYYMMDD or YYYYMMDDhhmmss");
    return std::nullopt;
  }

  // A statement's clinical date: effectiveTime (center, else low, else its own value), else
  // when it was recorded (availabilityTime).
  std::optional<RecordedDate> effective_date(const pugi::xml_node& statement) {
    const pugi::xml_node effective = child(statement, "effectiveTime");
    for (const char* part : {"center", "low"}) {
      const pugi::xml_node ts = child(effective, part);
      if (ts && ts.attribute("value")) return date_of(ts);
    }
    if (effective.attribute("value")) return date_of(effective);
    const pugi::xml_node available = child(statement, "availabilityTime");
    if (available.attribute("value")) return date_of(available);
    return std::nullopt;
  }

  // A CD: its own code, then each translation. A null-flavoured code gives nothing.
  std::vector<runtime::Code> codes_of(const pugi::xml_node& cd) {
    std::vector<runtime::Code> codes;
    if (!cd) return codes;
    const std::string_view original = child(cd, "originalText").text().get();
    const auto add = [&](const pugi::xml_node& c) {
      const std::string_view code = attribute(c, "code");
      const std::string_view system = attribute(c, "codeSystem");
      if (code.empty() || system.empty()) return;
      runtime::Code& added = codes.emplace_back(system_token(system), code);
      const std::string_view display = attribute(c, "displayName");
      added.display.assign(display.empty() ? original : display);
    };
    add(cd);
    for (const pugi::xml_node c : cd.children()) {
      if (c.type() == pugi::node_element && local_name(c) == "translation") add(c);
    }
    return codes;
  }

  // A PQ value: the adaptor writes unit="1" with the unit as recorded in
  // translation/originalText; take that, else the unit attribute.
  static std::optional<runtime::Quantity> quantity_of(const pugi::xml_node& value) {
    const std::string_view type = attribute(value, "xsi:type");
    if (type != "PQ") return std::nullopt;  // IVL_PQ (a bound such as <0.1) is not a measured value
    const pugi::xml_attribute number = value.attribute("value");
    if (!number) return std::nullopt;
    runtime::Quantity quantity;
    quantity.value = number.as_double();
    const std::string_view original =
        child(child(value, "translation"), "originalText").text().get();
    const std::string_view unit = attribute(value, "unit");
    quantity.unit.assign(!original.empty() ? original : unit);
    return quantity;
  }

  void read_component(const pugi::xml_node& component, runtime::Record& record, std::size_t depth,
                      Within within) {
    if (depth > kMaxDepth) {
      warn(component, "statements nest too deeply; the rest of this entry is skipped",
           "GP2GP compound statements nest a few levels at most");
      return;
    }
    for (const pugi::xml_node statement : component.children()) {
      if (statement.type() != pugi::node_element) continue;
      const std::string_view name = local_name(statement);
      if (name == "ObservationStatement") {
        if (within.allergy) {
          ++skipped_["allergy"];
        } else {
          read_observation(statement, record);
        }
      } else if (name == "CompoundStatement") {
        read_compound(statement, record, depth, within);
      } else if (name == "LinkSet") {
        read_problem(statement, record);
      } else if (name == "MedicationStatement") {
        read_medication(statement, record);
      } else if (name == "PlanStatement") {
        ++skipped_["plan (PlanStatement)"];
      } else if (name == "RequestStatement") {
        ++skipped_["request (RequestStatement)"];
      } else if (name == "NarrativeStatement") {
        ++skipped_["narrative (NarrativeStatement)"];
      } else {
        ++skipped_[std::string(name)];
      }
    }
  }

  bool entered_in_error(const pugi::xml_node& statement) {
    const std::string_view status = attribute(child(statement, "statusCode"), "code");
    return status == "NULLIFIED" || status == "nullified";
  }

  void read_observation(const pugi::xml_node& statement, runtime::Record& record) {
    if (entered_in_error(statement)) return;
    runtime::Event event;
    event.id = id_of(statement);
    event.kind = runtime::EventKind::observation;
    event.codes = codes_of(child(statement, "code"));
    event.date = effective_date(statement);
    if (const pugi::xml_node value = child(statement, "value")) {
      event.quantity = quantity_of(value);
      if (attribute(value, "xsi:type") == "CD") event.value_codes = codes_of(value);
    }
    if (event.codes.empty()) {
      ++skipped_["uncoded observation"];
      return;
    }
    record.events.push_back(std::move(event));
  }

  // GP2GP nests results in CompoundStatements. Within a laboratory report, a test group is a
  // fact and so is each result, as GP Connect gives the group and each member. Elsewhere, a
  // BATTERY or CLUSTER with a code of its own (a blood pressure) is one fact whose results
  // are its components, as GP Connect gives one Observation with components. A CLUSTER that
  // repeats its one result's code only wraps that result, and the structural ones (report,
  // specimen, a degraded entry with no concept) are no facts at all.
  void read_compound(const pugi::xml_node& compound, runtime::Record& record, std::size_t depth,
                     Within within) {
    const pugi::xml_node code = child(compound, "code");
    const std::string_view class_code = attribute(compound, "classCode");
    const std::string_view code_value = attribute(code, "code");
    Within inner = within;
    inner.allergy = within.allergy || (class_code == "CATEGORY" && is_allergy_category(code_value));
    inner.lab_report = within.lab_report || code_value == kLaboratoryReporting;
    std::vector<pugi::xml_node> results;
    for (const pugi::xml_node c : compound.children()) {
      if (c.type() == pugi::node_element && local_name(c) == "component") {
        if (const pugi::xml_node result = child(c, "ObservationStatement"))
          results.push_back(result);
      }
    }
    const bool wrapper = std::any_of(results.begin(), results.end(), [&](const pugi::xml_node& r) {
      return attribute(child(r, "code"), "code") == code_value;
    });
    const bool own_fact = !inner.allergy && (class_code == "BATTERY" || class_code == "CLUSTER") &&
                          !code_value.empty() && !is_structural(code_value) && !wrapper &&
                          !entered_in_error(compound);
    const bool results_are_components = own_fact && !inner.lab_report;
    if (own_fact) {
      runtime::Event event;
      event.id = id_of(compound);
      event.codes = codes_of(code);
      event.date = effective_date(compound);
      if (results_are_components) {
        for (const pugi::xml_node& result : results) {
          runtime::Component& added = event.components.emplace_back();
          added.codes = codes_of(child(result, "code"));
          if (const pugi::xml_node value = child(result, "value"))
            added.quantity = quantity_of(value);
        }
      }
      record.events.push_back(std::move(event));
    }
    for (const pugi::xml_node c : compound.children()) {
      if (c.type() != pugi::node_element || local_name(c) != "component") continue;
      if (results_are_components && child(c, "ObservationStatement")) continue;
      read_component(c, record, depth + 1, inner);
    }
  }

  // A problem: the LinkSet says active or inactive and when; the statement it names
  // (conditionNamed/namedStatementRef) says what.
  void read_problem(const pugi::xml_node& link_set, runtime::Record& record) {
    if (entered_in_error(link_set)) return;
    const std::string_view named =
        id_of(child(child(link_set, "conditionNamed"), "namedStatementRef"));
    const auto it = statements_.find(named);
    if (named.empty() || it == statements_.end()) {
      warn(link_set,
           "a problem (LinkSet) names no statement in this extract" +
               (named.empty() ? std::string() : " ('" + std::string(named) + "')") + "; skipped",
           "a problem names its coded statement in conditionNamed/namedStatementRef/id");
      return;
    }
    runtime::Diagnosis diagnosis;
    diagnosis.id = id_of(link_set);
    diagnosis.codes = codes_of(child(it->second, "code"));
    const pugi::xml_node effective = child(link_set, "effectiveTime");
    if (const pugi::xml_node low = child(effective, "low"); low.attribute("value")) {
      diagnosis.onset = date_of(low);
    } else {
      diagnosis.onset = effective_date(it->second);
    }
    if (const pugi::xml_node high = child(effective, "high"); high.attribute("value"))
      diagnosis.abatement = date_of(high);
    diagnosis.resolved =
        !diagnosis.abatement && attribute(child(link_set, "code"), "code") == kInactiveProblem;
    record.diagnoses.push_back(std::move(diagnosis));
  }

  // One Medication per authorisation (moodCode INT, ehrSupplyAuthorise: active while its
  // status is ACTIVE) and per issue (moodCode ORD, ehrSupplyPrescribe: a completed supply,
  // never current by itself), as GP Connect gives a MedicationStatement per authorisation and
  // a MedicationRequest (intent order) per issue.
  void read_medication(const pugi::xml_node& statement, runtime::Record& record) {
    if (entered_in_error(statement)) return;
    runtime::Medication medication;
    medication.id = id_of(statement);
    medication.codes = codes_of(child(
        child(child(child(statement, "consumable"), "manufacturedProduct"), "manufacturedMaterial"),
        "code"));
    pugi::xml_node authorise, prescribe;
    for (const pugi::xml_node c : statement.children()) {
      if (c.type() != pugi::node_element || local_name(c) != "component") continue;
      if (!authorise) authorise = child(c, "ehrSupplyAuthorise");
      if (!prescribe) prescribe = child(c, "ehrSupplyPrescribe");
    }
    if (authorise) {
      const pugi::xml_node low = child(child(authorise, "effectiveTime"), "low");
      medication.start = low.attribute("value") ? date_of(low) : effective_date(statement);
      medication.active = attribute(child(statement, "statusCode"), "code") == "ACTIVE" &&
                          attribute(child(authorise, "statusCode"), "code") != "COMPLETE";
    } else if (prescribe) {
      const pugi::xml_node available = child(prescribe, "availabilityTime");
      medication.start =
          available.attribute("value") ? date_of(available) : effective_date(statement);
      medication.active = false;
    } else {
      ++skipped_["medication without authorise or prescribe"];
      return;
    }
    if (medication.codes.empty()) {
      warn(statement, "a medication has no coded drug; kept without codes",
           "code consumable/manufacturedProduct/manufacturedMaterial/code with SNOMED CT (dm+d)");
    }
    record.medications.push_back(std::move(medication));
  }

  void warn_skipped(const pugi::xml_node& extract) {
    if (skipped_.empty()) return;
    std::string message = "entries not read:";
    bool first = true;
    for (const auto& [kind, count] : skipped_) {
      message.append(first ? " " : ", ").append(std::to_string(count)).append(" ").append(kind);
      first = false;
    }
    warn(extract, std::move(message),
         "Concord reads problems, observations and medication authorisations and issues");
  }

  std::string_view text_;
  std::string_view source_;
  ReadResult& result_;
  std::unordered_map<std::string_view, pugi::xml_node> statements_;
  std::map<std::string, std::size_t> skipped_;  // sorted, for a stable message
};

}  // namespace

std::string system_token(std::string_view oid) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 3> kSystems{{
      {"2.16.840.1.113883.2.1.3.2.4.15", runtime::code_system::snomed},
      {"2.16.840.1.113883.2.1.6.2", runtime::code_system::read2},
      {"2.16.840.1.113883.2.1.3.2.4.14", runtime::code_system::ctv3},
  }};
  for (const auto& [known, token] : kSystems) {
    if (oid == known) return std::string(token);
  }
  return "urn:oid:" + std::string(oid);
}

ReadResult read_xml(std::string_view text, std::string_view source_name) {
  ReadResult result;
  pugi::xml_document document;
  const pugi::xml_parse_result parsed =
      document.load_buffer(text.data(), text.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!parsed) {
    result.error = ReadIssue{std::string(source_name),
                             fhir::line_col(text, static_cast<std::size_t>(parsed.offset)),
                             std::string("malformed XML: ") + parsed.description(),
                             "the input must be one well-formed XML document; look for an "
                             "unclosed or mismatched tag at or just before this position"};
    return result;
  }
  const pugi::xml_node root = document.document_element();
  const std::string_view root_name = local_name(root);
  const pugi::xml_node extract = root_name == "EhrExtract" ? root : descendant(root, "EhrExtract");
  const std::string_view xmlns = attribute(root, "xmlns");
  if (!extract || (xmlns != kHl7Namespace && root.name() == root_name)) {
    result.error =
        ReadIssue{std::string(source_name), "",
                  "the XML is not a GP2GP EHR Extract (root <" + std::string(root.name()) +
                      (extract ? "> is not in the HL7v3 namespace)" : "> holds no EhrExtract)"),
                  std::string(kFormats)};
    return result;
  }
  result.format = "GP2GP EHR Extract";
  ExtractReader(text, source_name, result).read(extract);
  return result;
}

ReadResult read_file(const std::filesystem::path& path) {
  return fhir::read_file_with(path, read_xml);
}

}  // namespace concord::gp2gp
