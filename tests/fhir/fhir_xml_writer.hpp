// FHIR JSON to FHIR XML for tests, by the rules of the FHIR XML page: a resource is an element
// named by its resourceType in the FHIR namespace; a primitive is an element with a value
// attribute; an array is the element repeated; an extension's url is an attribute; a
// resource-valued field (entry.resource, contained) wraps the resource element; the narrative's
// div is XHTML, written as it is. Primitive extensions (_field) are left out.
#pragma once

#include <boost/json.hpp>

#include <string>
#include <string_view>

namespace concord::testing {

inline void append_attribute_text(std::string& out, std::string_view text) {
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\n':
        out += "&#10;";  // a raw line break in an attribute would be read as a space
        break;
      case '\r':
        out += "&#13;";
        break;
      case '\t':
        out += "&#9;";
        break;
      default:
        out += c;
    }
  }
}

void append_fhir_xml(std::string& out, std::string_view name, const boost::json::value& value);

inline void append_fhir_resource(std::string& out, const boost::json::object& resource) {
  const std::string_view type = resource.at("resourceType").as_string();
  out.append("<").append(type).append(" xmlns=\"http://hl7.org/fhir\">");
  for (const auto& [key, field] : resource) {
    if (key == "resourceType") continue;
    if (key == "text" && field.is_object() && field.as_object().contains("div")) {
      out += "<text>";
      if (const auto* status = field.as_object().if_contains("status"))
        append_fhir_xml(out, "status", *status);
      out.append(field.as_object().at("div").as_string());
      out += "</text>";
      continue;
    }
    append_fhir_xml(out, key, field);
  }
  out.append("</").append(type).append(">");
}

inline void append_fhir_xml(std::string& out, std::string_view name,
                            const boost::json::value& value) {
  if (name.starts_with('_') || value.is_null()) return;
  if (const auto* array = value.if_array()) {
    for (const boost::json::value& item : *array)
      append_fhir_xml(out, name, item);
    return;
  }
  if (const auto* object = value.if_object()) {
    if (object->contains("resourceType")) {
      out.append("<").append(name).append(">");
      append_fhir_resource(out, *object);
      out.append("</").append(name).append(">");
      return;
    }
    const auto* url = object->if_contains("url");
    const bool url_attribute = url != nullptr && url->is_string() && name.ends_with("xtension");
    out.append("<").append(name);
    if (url_attribute) {
      out += " url=\"";
      append_attribute_text(out, url->as_string());
      out += "\"";
    }
    out += ">";
    for (const auto& [key, field] : *object) {
      if (url_attribute && key == "url") continue;
      append_fhir_xml(out, key, field);
    }
    out.append("</").append(name).append(">");
    return;
  }
  out.append("<").append(name).append(" value=\"");
  if (const auto* text = value.if_string()) {
    append_attribute_text(out, *text);
  } else {
    append_attribute_text(out, boost::json::serialize(value));
  }
  out += "\"/>";
}

// The XML of a FHIR resource (or Bundle) given as JSON.
inline std::string fhir_xml(const boost::json::value& resource) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  append_fhir_resource(out, resource.as_object());
  return out;
}

}  // namespace concord::testing
