// Internal: a read-only view of one value in a parsed FHIR document, the same for both
// syntaxes, so that the mapping from resources to Records (fields.cpp, resources.cpp,
// reader.cpp) is written once and reads Boost.JSON values and the pugixml DOM directly.
//
// Each view offers: field(key) on an object; has(key); object() (the value as an object, or
// nothing); items() on an array (index and value); string(), boolean(), number(), integer()
// on a primitive; found() and expected() for messages; resource_name() for XPath steps.
//
// The two syntaxes differ in what a field is. In JSON it is a member with a type. In FHIR
// XML (the rules of the FHIR XML page) it is a child element: a primitive carries its text in
// a `value` attribute, an object has child elements, an array is the element repeated (read
// wherever the repetitions stand), an extension's url is an attribute, and a resource-valued
// field (entry.resource, contained) wraps the resource element. The caller says which type it
// wants, so XML needs no table of which elements are arrays or numbers.
#pragma once

#include <pugixml.hpp>

#include <boost/json.hpp>

#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <system_error>

namespace concord::fhir::detail {

namespace json = boost::json;

enum class Syntax { json, xml };

// What a caller expected to find, for a message about a wrong type.
enum class Expected { object, array, string };

template <typename Node>
struct Item {
  std::size_t index;  // 0-based position in the array
  Node node;
};

// ---- JSON: a Boost.JSON value ----------------------------------------------------------

class JsonNode {
 public:
  static constexpr Syntax kSyntax = Syntax::json;

  class Indexed;

  JsonNode() = default;
  explicit JsonNode(const json::value& value) : value_(&value) {}
  explicit operator bool() const { return value_ != nullptr; }

  // On an object (a node object() returned): the member, or an empty node.
  JsonNode field(std::string_view key) const {
    const json::value* member = value_->get_object().if_contains(key);
    return member != nullptr ? JsonNode(*member) : JsonNode();
  }
  bool has(std::string_view key) const { return value_->get_object().contains(key); }

  JsonNode object() const { return value_->is_object() ? *this : JsonNode(); }
  bool is_array() const { return value_->is_array(); }

  class Items {
   public:
    class iterator {
     public:
      iterator(const json::value* at, const json::value* first) : at_(at), first_(first) {}
      Item<JsonNode> operator*() const {
        return {static_cast<std::size_t>(at_ - first_), JsonNode(*at_)};
      }
      iterator& operator++() {
        ++at_;
        return *this;
      }
      bool operator!=(const iterator& other) const { return at_ != other.at_; }

     private:
      const json::value* at_;
      const json::value* first_;
    };
    explicit Items(const json::array& array) : array_(array) {}
    iterator begin() const { return {array_.data(), array_.data()}; }
    iterator end() const { return {array_.data() + array_.size(), array_.data()}; }
    std::size_t size() const { return array_.size(); }
    bool empty() const { return array_.empty(); }

   private:
    const json::array& array_;
  };
  // On an array (is_array()).
  Items items() const { return Items(value_->get_array()); }

  std::optional<std::string_view> string() const {
    if (const json::string* s = value_->if_string()) return std::string_view(*s);
    return std::nullopt;
  }
  std::optional<bool> boolean() const {
    if (const bool* b = value_->if_bool()) return *b;
    return std::nullopt;
  }
  std::optional<double> number() const {
    if (!value_->is_number()) return std::nullopt;
    boost::system::error_code ec;
    return value_->to_number<double>(ec);
  }
  std::optional<std::int64_t> integer() const {
    if (const std::int64_t* i = value_->if_int64()) return *i;
    return std::nullopt;
  }

  // A JSON pointer has no step for a resource's type.
  std::string_view resource_name() const { return {}; }

  std::string_view found() const {
    switch (value_->kind()) {
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
  static std::string_view expected(Expected what) {
    switch (what) {
      case Expected::object:
        return "an object";
      case Expected::array:
        return "an array";
      case Expected::string:
        break;
    }
    return "a string";
  }

 private:
  const json::value* value_ = nullptr;
};

// A JSON object finds its members by hash already: nothing to list.
class JsonNode::Indexed {
 public:
  explicit Indexed(const JsonNode& object) : object_(object) {}
  const JsonNode& node() const { return object_; }

 private:
  JsonNode object_;
};

// ---- XML: a pugixml element (or an extension's url attribute) ---------------------------

namespace xml_names {

// Whether the NUL-terminated element name is `key` (which holds no NUL).
inline bool equal(const char* name, std::string_view key) {
  for (const char c : key) {
    if (*name++ != c) return false;
  }
  return *name == '\0';
}

inline bool starts_upper(const char* name) {
  return *name >= 'A' && *name <= 'Z';
}

inline std::string_view local(std::string_view name) {
  const auto colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

}  // namespace xml_names

class XmlNode {
 public:
  static constexpr Syntax kSyntax = Syntax::xml;

  class Indexed;

  XmlNode() = default;
  // `element` is an element, never the empty node.
  explicit XmlNode(pugi::xml_node element) : element_(element), is_element_(true) {}
  explicit operator bool() const { return is_element_ || attribute_ != nullptr; }

  // On an object: the first child element named `key`; for "url", the url attribute first
  // (an extension's). FHIR element names are unprefixed (the FHIR namespace is the default).
  XmlNode field(std::string_view key) const;
  bool has(std::string_view key) const { return static_cast<bool>(field(key)); }

 private:
  XmlNode scan(std::string_view key) const {
    if (key == "url") {
      if (const pugi::xml_attribute url = element_.attribute("url")) return XmlNode(url.value());
    }
    // name() is "" for text and for the empty node past the last child: only then is it
    // worth asking which (each pugixml call is a call into the shared library).
    for (pugi::xml_node child = element_.first_child();; child = child.next_sibling()) {
      const char* name = child.name();
      if (*name == '\0') {
        if (!child) return {};
        continue;
      }
      if (xml_names::equal(name, key)) return XmlNode(child);
    }
  }

 public:
  // An element without a value attribute is an object. One whose only child element is a
  // resource (<resource><Patient>..., <contained><Medication>...) stands for that resource.
  XmlNode object() const {
    if (attribute_ != nullptr || has_value_attribute()) return {};
    pugi::xml_node first = element_.first_child();
    const char* name = first.name();
    while (*name == '\0') {  // text, or no child element at all
      if (!first) return *this;
      first = first.next_sibling();
      name = first.name();
    }
    if (!xml_names::starts_upper(name)) return *this;
    for (pugi::xml_node other = first.next_sibling();; other = other.next_sibling()) {
      if (*other.name() != '\0') return *this;  // another element
      if (!other) return XmlNode(first);
    }
  }
  // Any element is an array: the element and the later siblings of its name.
  bool is_array() const { return attribute_ == nullptr; }

  class Items {
   public:
    class iterator {
     public:
      iterator(pugi::xml_node at, const char* name) : at_(at), name_(name) {}
      Item<XmlNode> operator*() const { return {index_, XmlNode(at_)}; }
      iterator& operator++() {
        for (;;) {
          at_ = at_.next_sibling();
          const char* name = at_.name();
          if (*name == '\0' ? !at_ : same_name(name)) break;
        }
        ++index_;
        return *this;
      }
      bool operator!=(const iterator& other) const { return at_ != other.at_; }

     private:
      bool same_name(const char* name) const {
        const char* a = name_;
        while (*a != '\0' && *a == *name) {
          ++a;
          ++name;
        }
        return *a == *name;
      }
      pugi::xml_node at_;
      const char* name_;
      std::size_t index_ = 0;
    };
    explicit Items(pugi::xml_node first) : first_(first), name_(first.name()) {}
    iterator begin() const { return {first_, name_}; }
    iterator end() const { return {pugi::xml_node(), name_}; }
    bool empty() const { return !first_; }

   private:
    pugi::xml_node first_;
    const char* name_;
  };
  Items items() const { return Items(element_); }

  std::optional<std::string_view> string() const {
    if (attribute_ != nullptr) return std::string_view(attribute_);
    // FHIR writes `value` first (or alone) on a primitive: look there before searching.
    const pugi::xml_attribute first = element_.first_attribute();
    const char* name = first.name();  // "" when there is none
    if (xml_names::equal(name, "value")) return std::string_view(first.value());
    if (*name == '\0') return std::nullopt;
    const pugi::xml_attribute value = element_.attribute("value");
    if (!value) return std::nullopt;
    return std::string_view(value.value());
  }
  std::optional<bool> boolean() const {
    const auto text = string();
    if (text == "true") return true;
    if (text == "false") return false;
    return std::nullopt;
  }
  // As JSON would have the number: the whole text, or nothing.
  std::optional<double> number() const {
    const auto text = string();
    if (!text) return std::nullopt;
    const char* const end = text->data() + text->size();
    double real = 0;
    const auto r = std::from_chars(text->data(), end, real);
    if (r.ec != std::errc() || r.ptr != end) return std::nullopt;
    return real;
  }
  std::optional<std::int64_t> integer() const {
    const auto text = string();
    if (!text) return std::nullopt;
    const char* const end = text->data() + text->size();
    std::int64_t value = 0;
    const auto r = std::from_chars(text->data(), end, value);
    if (r.ec != std::errc() || r.ptr != end) return std::nullopt;
    return value;
  }

  // The element's name when it is a resource (upper case), as an XPath step.
  std::string_view resource_name() const {
    if (attribute_ != nullptr) return {};
    const char* name = element_.name();
    if (!xml_names::starts_upper(name)) return {};
    return xml_names::local(name);
  }

  std::string_view found() const {
    if (attribute_ != nullptr) return "an attribute";
    return has_value_attribute() ? "a value attribute" : "child elements";
  }
  static std::string_view expected(Expected what) {
    switch (what) {
      case Expected::object:
        return "child elements";
      case Expected::array:
        return "repeated elements";
      case Expected::string:
        break;
    }
    return "a value attribute";
  }

  pugi::xml_node element() const { return element_; }

 private:
  explicit XmlNode(const char* attribute_text) : attribute_(attribute_text) {}

  bool has_value_attribute() const {
    const pugi::xml_attribute first = element_.first_attribute();
    const char* name = first.name();  // "" when there is none
    if (*name == '\0') return false;
    return xml_names::equal(name, "value") || element_.attribute("value");
  }

  pugi::xml_node element_;
  bool is_element_ = false;
  const char* attribute_ = nullptr;    // the text of an attribute (an extension's url)
  const Indexed* children_ = nullptr;  // element_'s children, when listed
};

// An object's child elements listed once, for an object asked for many fields (a resource):
// each field is then found among the names, without a call into pugixml per child per field.
// Keep it while node() and the nodes copied from it are in use.
class XmlNode::Indexed {
 public:
  explicit Indexed(const XmlNode& object) : object_(object) {
    if (!object || object.attribute_ != nullptr) return;
    for (pugi::xml_node child = object.element_.first_child();; child = child.next_sibling()) {
      const char* name = child.name();
      if (*name == '\0') {
        if (!child) break;
        continue;
      }
      if (size_ == children_.size()) return;  // more than FHIR gives: left to scan()
      children_[size_++] = {name, child};
    }
    object_.children_ = this;
  }
  Indexed(const Indexed&) = delete;
  Indexed& operator=(const Indexed&) = delete;

  const XmlNode& node() const { return object_; }

 private:
  friend class XmlNode;
  struct Child {
    const char* name;
    pugi::xml_node element;
  };
  XmlNode object_;
  std::array<Child, 48> children_;  // the first size_ are set
  std::size_t size_ = 0;
};

inline XmlNode XmlNode::field(std::string_view key) const {
  if (children_ == nullptr || key == "url") return scan(key);
  for (std::size_t i = 0; i < children_->size_; ++i) {
    if (xml_names::equal(children_->children_[i].name, key))
      return XmlNode(children_->children_[i].element);
  }
  return {};
}

}  // namespace concord::fhir::detail
