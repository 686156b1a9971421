#include "fields.hpp"

#include <utility>

namespace concord::fhir::detail {

namespace {

constexpr std::string_view kUcum = "http://unitsofmeasure.org";

// A null flavour ("unknown") stands where no concept was recorded: nothing to match on.
bool is_null_flavor(std::string_view system) {
  return system == "http://hl7.org/fhir/v3/NullFlavor" ||
         system == "http://terminology.hl7.org/CodeSystem/v3-NullFlavor";
}

// GP Connect (CareConnect STU3) codings carry the SNOMED CT description the clinician picked
// in an extension: {url: .../Extension-coding-sctdescid, extension: [{url: descriptionId,
// valueId}, {url: descriptionDisplay, valueString}]}.
struct SnomedDescription {
  std::string_view id;
  std::string_view display;
};

std::optional<SnomedDescription> snomed_description(const json::object& coding) {
  const json::value* extensions = coding.if_contains("extension");
  if (extensions == nullptr || !extensions->is_array()) return std::nullopt;
  for (const json::value& extension : extensions->get_array()) {
    const json::object* e = extension.if_object();
    const json::value* url = e != nullptr ? e->if_contains("url") : nullptr;
    if (url == nullptr || !url->is_string() ||
        !std::string_view(url->get_string()).ends_with("Extension-coding-sctdescid")) {
      continue;
    }
    SnomedDescription found;
    const json::value* parts = e->if_contains("extension");
    if (parts == nullptr || !parts->is_array()) return std::nullopt;
    for (const json::value& part : parts->get_array()) {
      const json::object* p = part.if_object();
      const json::value* name = p != nullptr ? p->if_contains("url") : nullptr;
      if (name == nullptr || !name->is_string()) continue;
      const std::string_view n(name->get_string());
      const json::value* value = nullptr;
      if (n == "descriptionId") {
        value = p->if_contains("valueId");
        if (value != nullptr && value->is_string()) found.id = value->get_string();
      } else if (n == "descriptionDisplay") {
        value = p->if_contains("valueString");
        if (value != nullptr && value->is_string()) found.display = value->get_string();
      }
    }
    return found;
  }
  return std::nullopt;
}

std::string_view type_name(const json::value& v) {
  switch (v.kind()) {
    case json::kind::object:
      return "an object";
    case json::kind::array:
      return "an array";
    case json::kind::string:
      return "a string";
    case json::kind::bool_:
      return "a boolean";
    case json::kind::null:
      return "null";
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_:
      break;
  }
  return "a number";
}

void warn_type(Context& cx, const Path& at, std::string_view key, std::string_view expected,
               const json::value& found) {
  std::string message = "expected ";
  message.append(expected).append(" for '").append(key).append("', found ");
  message.append(type_name(found)).append("; ignored");
  cx.warn(at.field(key), std::move(message), cx.check_definition_hint());
}

void append_escaped(std::string& out, std::string_view key) {
  for (const char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
}

}  // namespace

std::string Path::pointer() const {
  std::vector<const Path*> steps;
  for (const Path* p = this; p->parent_ != nullptr; p = p->parent_)
    steps.push_back(p);
  std::string out;
  for (auto it = steps.rbegin(); it != steps.rend(); ++it) {
    out += '/';
    if ((*it)->index_ == kNoIndex) {
      append_escaped(out, (*it)->key_);
    } else {
      out += std::to_string((*it)->index_);
    }
  }
  return out;
}

std::string Context::check_definition_hint() const {
  return version_ == FhirVersion::stu3 ? "check the resource against the FHIR STU3 definition"
                                       : "check the resource against the FHIR R4 definition";
}

void Context::warn(const Path& where, std::string message, std::string hint) {
  warnings_.push_back(
      ReadIssue{std::string(source_), where.pointer(), std::move(message), std::move(hint)});
}

const json::object* object_field(Context& cx, const json::object& object, std::string_view key,
                                 const Path& at) {
  const json::value* v = object.if_contains(key);
  if (v == nullptr) return nullptr;
  if (const json::object* o = v->if_object()) return o;
  warn_type(cx, at, key, "an object", *v);
  return nullptr;
}

const json::array* array_field(Context& cx, const json::object& object, std::string_view key,
                               const Path& at) {
  const json::value* v = object.if_contains(key);
  if (v == nullptr) return nullptr;
  if (const json::array* a = v->if_array()) return a;
  warn_type(cx, at, key, "an array", *v);
  return nullptr;
}

std::optional<std::string_view> string_field(Context& cx, const json::object& object,
                                             std::string_view key, const Path& at) {
  const json::value* v = object.if_contains(key);
  if (v == nullptr) return std::nullopt;
  if (const json::string* s = v->if_string()) return std::string_view(*s);
  warn_type(cx, at, key, "a string", *v);
  return std::nullopt;
}

std::optional<runtime::RecordedDate> first_date(Context& cx, const json::object& object,
                                                const Path& at,
                                                std::initializer_list<DateField> fields) {
  for (const DateField& field : fields) {
    const json::object* holder = &object;
    const Path holder_path = field.part.empty() ? at : at.field(field.key);
    std::string_view key = field.key;
    if (!field.part.empty()) {
      holder = object_field(cx, object, field.key, at);
      if (holder == nullptr) continue;
      key = field.part;
    }
    if (!holder->contains(key)) continue;
    const auto text = string_field(cx, *holder, key, holder_path);
    if (!text) return std::nullopt;
    if (auto date = runtime::RecordedDate::parse(*text)) return date;
    std::string message = "unreadable date '";
    message.append(*text).append("'; the entry is kept without this date");
    cx.warn(holder_path.field(key), std::move(message),
            "write a FHIR date: YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm:ss with a zone");
    return std::nullopt;
  }
  return std::nullopt;
}

std::vector<runtime::Code> codes_field(Context& cx, const json::object& object,
                                       std::string_view key, const Path& at) {
  std::vector<runtime::Code> codes;
  const json::object* codeable = object_field(cx, object, key, at);
  if (codeable == nullptr) return codes;
  const Path codeable_path = at.field(key);
  const json::array* codings = array_field(cx, *codeable, "coding", codeable_path);
  if (codings == nullptr) return codes;
  const Path codings_path = codeable_path.field("coding");
  codes.reserve(codings->size());
  for (std::size_t i = 0; i < codings->size(); ++i) {
    const Path coding_path = codings_path.item(i);
    const json::object* coding = (*codings)[i].if_object();
    if (coding == nullptr) {
      cx.warn(coding_path, "a coding is not an object; ignored", cx.check_definition_hint());
      continue;
    }
    const auto code = string_field(cx, *coding, "code", coding_path);
    if (!code) continue;  // a display-only coding carries nothing to match on
    const auto system = string_field(cx, *coding, "system", coding_path);
    if (!system) {
      cx.warn(coding_path, "a coding has a code but no system; ignored",
              "give every coding its system URI (e.g. http://snomed.info/sct)");
      continue;
    }
    if (is_null_flavor(*system)) continue;
    const std::string_view token = system_token(*system);
    const auto display = string_field(cx, *coding, "display", coding_path);
    const auto description =
        token == runtime::code_system::snomed ? snomed_description(*coding) : std::nullopt;
    runtime::Code& added = codes.emplace_back(token, *code);
    if (display) {
      added.display.assign(display->data(), display->size());
    } else if (description) {
      added.display.assign(description->display.data(), description->display.size());
    }
    // The description id is kept as a further SNOMED CT code: it never equals a concept id
    // (its partition digits differ), so it cannot match a value set by accident, and GP2GP
    // extracts made from the same record sometimes carry it in place of the concept id.
    if (description && !description->id.empty() && description->id != *code) {
      std::string term_display =
          description->display.empty() ? added.display : std::string(description->display);
      codes.emplace_back(token, description->id).display = std::move(term_display);
    }
  }
  return codes;
}

bool concept_has_code(Context& cx, const json::object& object, std::string_view key, const Path& at,
                      std::initializer_list<std::string_view> codes) {
  if (const json::value* v = object.if_contains(key); v != nullptr && v->is_string()) {
    const std::string_view text(v->get_string());
    for (const std::string_view wanted : codes) {
      if (text == wanted) return true;
    }
    return false;
  }
  const json::object* codeable = object_field(cx, object, key, at);
  if (codeable == nullptr) return false;
  const Path codeable_path = at.field(key);
  const json::array* codings = array_field(cx, *codeable, "coding", codeable_path);
  if (codings == nullptr) return false;
  for (const json::value& coding : *codings) {
    const json::object* o = coding.if_object();
    if (o == nullptr) continue;
    const json::value* code = o->if_contains("code");
    if (code == nullptr || !code->is_string()) continue;
    const std::string_view text(code->get_string());
    for (const std::string_view wanted : codes) {
      if (text == wanted) return true;
    }
  }
  return false;
}

std::optional<runtime::Quantity> quantity_field(Context& cx, const json::object& object,
                                                std::string_view key, const Path& at) {
  const json::object* q = object_field(cx, object, key, at);
  if (q == nullptr) return std::nullopt;
  const Path q_path = at.field(key);
  const json::value* value = q->if_contains("value");
  if (value == nullptr || !value->is_number()) {
    cx.warn(q_path.field("value"), "a quantity has no numeric value; the value is ignored",
            "give the quantity a JSON number in 'value'");
    return std::nullopt;
  }
  boost::system::error_code ec;
  runtime::Quantity out;
  out.value = value->to_number<double>(ec);
  const auto system = string_field(cx, *q, "system", q_path);
  const auto code = string_field(cx, *q, "code", q_path);
  const auto unit = string_field(cx, *q, "unit", q_path);
  if (code && system == kUcum) {
    out.unit.assign(code->data(), code->size());
  } else if (unit) {
    out.unit.assign(unit->data(), unit->size());
  } else if (code) {
    out.unit.assign(code->data(), code->size());
  }
  return out;
}

}  // namespace concord::fhir::detail
