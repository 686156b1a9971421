#include "fields.hpp"

#include <utility>

namespace concord::fhir::detail {

namespace {

constexpr std::string_view kUcum = "http://unitsofmeasure.org";

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
  cx.warn(at.field(key), std::move(message), "check the resource against the FHIR R4 definition");
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

void Context::warn(const Path& where, std::string message, std::string hint) {
  warnings_.push_back(
      ReadIssue{std::string(source_), where.pointer(), std::move(message), std::move(hint)});
}

const json::object* object_field(Context& cx, const json::object& object, std::string_view key,
                                 const Path& at) {
  const json::value* v = object.if_contains(key);
  if (v == nullptr)
    return nullptr;
  if (const json::object* o = v->if_object())
    return o;
  warn_type(cx, at, key, "an object", *v);
  return nullptr;
}

const json::array* array_field(Context& cx, const json::object& object, std::string_view key,
                               const Path& at) {
  const json::value* v = object.if_contains(key);
  if (v == nullptr)
    return nullptr;
  if (const json::array* a = v->if_array())
    return a;
  warn_type(cx, at, key, "an array", *v);
  return nullptr;
}

std::optional<std::string_view> string_field(Context& cx, const json::object& object,
                                             std::string_view key, const Path& at) {
  const json::value* v = object.if_contains(key);
  if (v == nullptr)
    return std::nullopt;
  if (const json::string* s = v->if_string())
    return std::string_view(*s);
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
      if (holder == nullptr)
        continue;
      key = field.part;
    }
    if (!holder->contains(key))
      continue;
    const auto text = string_field(cx, *holder, key, holder_path);
    if (!text)
      return std::nullopt;
    if (auto date = runtime::RecordedDate::parse(*text))
      return date;
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
  if (codeable == nullptr)
    return codes;
  const Path codeable_path = at.field(key);
  const json::array* codings = array_field(cx, *codeable, "coding", codeable_path);
  if (codings == nullptr)
    return codes;
  const Path codings_path = codeable_path.field("coding");
  codes.reserve(codings->size());
  for (std::size_t i = 0; i < codings->size(); ++i) {
    const Path coding_path = codings_path.item(i);
    const json::object* coding = (*codings)[i].if_object();
    if (coding == nullptr) {
      cx.warn(coding_path, "a coding is not an object; ignored",
              "check the resource against the FHIR R4 definition");
      continue;
    }
    const auto code = string_field(cx, *coding, "code", coding_path);
    if (!code)
      continue;  // a display-only coding carries nothing to match on
    const auto system = string_field(cx, *coding, "system", coding_path);
    if (!system) {
      cx.warn(coding_path, "a coding has a code but no system; ignored",
              "give every coding its system URI (e.g. http://snomed.info/sct)");
      continue;
    }
    runtime::Code& added = codes.emplace_back(system_token(*system), *code);
    if (auto display = string_field(cx, *coding, "display", coding_path)) {
      added.display.assign(display->data(), display->size());
    }
  }
  return codes;
}

bool concept_has_code(Context& cx, const json::object& object, std::string_view key, const Path& at,
                      std::initializer_list<std::string_view> codes) {
  const json::object* codeable = object_field(cx, object, key, at);
  if (codeable == nullptr)
    return false;
  const Path codeable_path = at.field(key);
  const json::array* codings = array_field(cx, *codeable, "coding", codeable_path);
  if (codings == nullptr)
    return false;
  for (const json::value& coding : *codings) {
    const json::object* o = coding.if_object();
    if (o == nullptr)
      continue;
    const json::value* code = o->if_contains("code");
    if (code == nullptr || !code->is_string())
      continue;
    const std::string_view text(code->get_string());
    for (const std::string_view wanted : codes) {
      if (text == wanted)
        return true;
    }
  }
  return false;
}

std::optional<runtime::Quantity> quantity_field(Context& cx, const json::object& object,
                                                std::string_view key, const Path& at) {
  const json::object* q = object_field(cx, object, key, at);
  if (q == nullptr)
    return std::nullopt;
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
