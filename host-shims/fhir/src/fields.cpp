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

// The string at object[key], or nothing (no warning: an optional part of an extension).
template <typename Node>
std::optional<std::string_view> quiet_string(const Node& object, std::string_view key) {
  const Node v = object.field(key);
  return v ? v.string() : std::nullopt;
}

template <typename Node>
std::optional<SnomedDescription> snomed_description(const Node& coding) {
  const Node extensions = coding.field("extension");
  if (!extensions || !extensions.is_array()) return std::nullopt;
  for (const auto& [i, extension] : extensions.items()) {
    const Node e = extension.object();
    const auto url = e ? quiet_string(e, "url") : std::nullopt;
    if (!url || !url->ends_with("Extension-coding-sctdescid")) continue;
    SnomedDescription found;
    const Node parts = e.field("extension");
    if (!parts || !parts.is_array()) return std::nullopt;
    for (const auto& [j, part] : parts.items()) {
      const Node p = part.object();
      const auto name = p ? quiet_string(p, "url") : std::nullopt;
      if (!name) continue;
      if (*name == "descriptionId") {
        if (const auto id = quiet_string(p, "valueId")) found.id = *id;
      } else if (*name == "descriptionDisplay") {
        if (const auto display = quiet_string(p, "valueString")) found.display = *display;
      }
    }
    return found;
  }
  return std::nullopt;
}

template <typename Node>
void warn_type(Context& cx, const Path& at, std::string_view key, Expected expected,
               const Node& found) {
  std::string message = "expected ";
  message.append(Node::expected(expected)).append(" for '").append(key).append("', found ");
  message.append(found.found()).append("; ignored");
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

std::string Path::text(Syntax syntax) const {
  std::vector<const Path*> steps;
  for (const Path* p = this; p->parent_ != nullptr; p = p->parent_)
    steps.push_back(p);
  std::string out;
  for (auto it = steps.rbegin(); it != steps.rend(); ++it) {
    const Path& step = **it;
    if (step.index_ == kResource) {
      if (syntax == Syntax::xml && !step.key_.empty()) out.append("/").append(step.key_);
    } else if (step.index_ == kNoIndex) {
      out += '/';
      if (syntax == Syntax::xml) {
        out.append(step.key_);
      } else {
        append_escaped(out, step.key_);
      }
    } else if (syntax == Syntax::xml) {
      out.append("[").append(std::to_string(step.index_ + 1)).append("]");
    } else {
      out.append("/").append(std::to_string(step.index_));
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
      ReadIssue{std::string(source_), where.text(syntax_), std::move(message), std::move(hint)});
}

template <typename Node>
Node object_field(Context& cx, const Node& object, std::string_view key, const Path& at) {
  const Node v = object.field(key);
  if (!v) return {};
  if (const Node o = v.object()) return o;
  warn_type(cx, at, key, Expected::object, v);
  return {};
}

template <typename Node>
Node array_field(Context& cx, const Node& object, std::string_view key, const Path& at) {
  const Node v = object.field(key);
  if (!v) return {};
  if (v.is_array()) return v;
  warn_type(cx, at, key, Expected::array, v);
  return {};
}

template <typename Node>
std::optional<std::string_view> string_field(Context& cx, const Node& object, std::string_view key,
                                             const Path& at) {
  const Node v = object.field(key);
  if (!v) return std::nullopt;
  if (const auto s = v.string()) return s;
  warn_type(cx, at, key, Expected::string, v);
  return std::nullopt;
}

template <typename Node>
std::optional<std::string_view> resource_type(Context& cx, const Node& resource, const Path& at) {
  if constexpr (Node::kSyntax == Syntax::json) {
    return string_field(cx, resource, "resourceType", at);
  } else {
    const std::string_view name = resource.resource_name();
    if (name.empty()) return std::nullopt;
    return name;
  }
}

template <typename Node>
std::optional<runtime::RecordedDate> first_date(Context& cx, const Node& object, const Path& at,
                                                std::initializer_list<DateField> fields) {
  for (const DateField& field : fields) {
    Node holder = object;
    const Path holder_path = field.part.empty() ? at : at.field(field.key);
    std::string_view key = field.key;
    if (!field.part.empty()) {
      holder = object_field(cx, object, field.key, at);
      if (!holder) continue;
      key = field.part;
    }
    const Node value = holder.field(key);
    if (!value) continue;
    const auto text = value.string();
    if (!text) {
      warn_type(cx, holder_path, key, Expected::string, value);
      return std::nullopt;
    }
    if (auto date = runtime::RecordedDate::parse(*text)) return date;
    std::string message = "unreadable date '";
    message.append(*text).append("'; the entry is kept without this date");
    cx.warn(holder_path.field(key), std::move(message),
            "write a FHIR date: YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm:ss with a zone");
    return std::nullopt;
  }
  return std::nullopt;
}

template <typename Node>
std::vector<runtime::Code> codes_field(Context& cx, const Node& object, std::string_view key,
                                       const Path& at) {
  std::vector<runtime::Code> codes;
  const Node codeable = object_field(cx, object, key, at);
  if (!codeable) return codes;
  const Path codeable_path = at.field(key);
  const Node codings = array_field(cx, codeable, "coding", codeable_path);
  if (!codings) return codes;
  const Path codings_path = codeable_path.field("coding");
  const auto items = codings.items();
  if constexpr (Node::kSyntax == Syntax::json) codes.reserve(items.size());
  for (const auto& [i, item] : items) {
    const Path coding_path = codings_path.item(i);
    const Node coding = item.object();
    if (!coding) {
      cx.warn(coding_path, "a coding is not an object; ignored", cx.check_definition_hint());
      continue;
    }
    const auto code = string_field(cx, coding, "code", coding_path);
    if (!code) continue;  // a display-only coding carries nothing to match on
    const auto system = string_field(cx, coding, "system", coding_path);
    if (!system) {
      cx.warn(coding_path, "a coding has a code but no system; ignored",
              "give every coding its system URI (e.g. http://snomed.info/sct)");
      continue;
    }
    if (is_null_flavor(*system)) continue;
    const std::string_view token = system_token(*system);
    const auto display = string_field(cx, coding, "display", coding_path);
    const auto description =
        token == runtime::code_system::snomed ? snomed_description(coding) : std::nullopt;
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

template <typename Node>
bool concept_has_code(Context& cx, const Node& object, std::string_view key, const Path& at,
                      std::initializer_list<std::string_view> codes) {
  const Node v = object.field(key);
  if (!v) return false;
  if (const auto text = v.string()) {
    for (const std::string_view wanted : codes) {
      if (*text == wanted) return true;
    }
    return false;
  }
  const Node codeable = object_field(cx, object, key, at);
  if (!codeable) return false;
  const Path codeable_path = at.field(key);
  const Node codings = array_field(cx, codeable, "coding", codeable_path);
  if (!codings) return false;
  for (const auto& [i, coding] : codings.items()) {
    const Node o = coding.object();
    const auto text = o ? quiet_string(o, "code") : std::nullopt;
    if (!text) continue;
    for (const std::string_view wanted : codes) {
      if (*text == wanted) return true;
    }
  }
  return false;
}

template <typename Node>
std::optional<runtime::Quantity> quantity_field(Context& cx, const Node& object,
                                                std::string_view key, const Path& at) {
  const Node q = object_field(cx, object, key, at);
  if (!q) return std::nullopt;
  const Path q_path = at.field(key);
  const Node value = q.field("value");
  const auto number = value ? value.number() : std::nullopt;
  if (!number) {
    cx.warn(q_path.field("value"), "a quantity has no numeric value; the value is ignored",
            cx.syntax() == Syntax::xml
                ? "give the quantity's value element a number in its value attribute"
                : "give the quantity a JSON number in 'value'");
    return std::nullopt;
  }
  runtime::Quantity out;
  out.value = *number;
  const auto system = string_field(cx, q, "system", q_path);
  const auto code = string_field(cx, q, "code", q_path);
  const auto unit = string_field(cx, q, "unit", q_path);
  if (code && system == kUcum) {
    out.unit.assign(code->data(), code->size());
  } else if (unit) {
    out.unit.assign(unit->data(), unit->size());
  } else if (code) {
    out.unit.assign(code->data(), code->size());
  }
  return out;
}

// Both syntaxes.
#define CONCORD_FHIR_FIELDS(Node)                                                                \
  template Node object_field(Context&, const Node&, std::string_view, const Path&);              \
  template Node array_field(Context&, const Node&, std::string_view, const Path&);               \
  template std::optional<std::string_view> string_field(Context&, const Node&, std::string_view, \
                                                        const Path&);                            \
  template std::optional<std::string_view> resource_type(Context&, const Node&, const Path&);    \
  template std::optional<runtime::RecordedDate> first_date(Context&, const Node&, const Path&,   \
                                                           std::initializer_list<DateField>);    \
  template std::vector<runtime::Code> codes_field(Context&, const Node&, std::string_view,       \
                                                  const Path&);                                  \
  template bool concept_has_code(Context&, const Node&, std::string_view, const Path&,           \
                                 std::initializer_list<std::string_view>);                       \
  template std::optional<runtime::Quantity> quantity_field(Context&, const Node&,                \
                                                           std::string_view, const Path&);
CONCORD_FHIR_FIELDS(JsonNode)
CONCORD_FHIR_FIELDS(XmlNode)
#undef CONCORD_FHIR_FIELDS

}  // namespace concord::fhir::detail
