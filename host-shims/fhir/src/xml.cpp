// FHIR XML: parsed by pugixml and read straight from the DOM by the walk JSON uses, through
// XmlNode (node.hpp): each resource's mapping is written once, for both syntaxes.
#include <pugixml.hpp>

#include <cstddef>
#include <string>
#include <string_view>

#include "concord/fhir/read.hpp"
#include "document.hpp"
#include "node.hpp"

namespace concord::fhir {

namespace {

constexpr std::size_t kMaxDepth = 64;  // as for JSON
constexpr std::string_view kFhirNamespace = "http://hl7.org/fhir";

// Finds the first element, in document order, nested more than kMaxDepth elements below the
// root. pugixml's walk keeps no stack, so no depth can exhaust one; the limit keeps XML to
// what JSON may nest. The walk goes down one level at a time, so after a node at depth d the
// next kMaxDepth - d - 1 nodes cannot be too deep: only then is the depth asked again.
class DepthCheck : public pugi::xml_tree_walker {
 public:
  bool for_each(pugi::xml_node& node) override {
    if (--unchecked_ > 0) return true;
    // depth() counts from 0 for the root's children: kMaxDepth is one level too deep.
    const auto level = static_cast<std::size_t>(depth());
    if (level < kMaxDepth) {
      unchecked_ = kMaxDepth - level;
      return true;
    }
    unchecked_ = 1;
    if (node.type() != pugi::node_element) return true;
    too_deep = node;
    return false;
  }
  pugi::xml_node too_deep;

 private:
  std::size_t unchecked_ = 1;
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
  pugi::xml_node root = document.document_element();
  const pugi::xml_attribute xmlns = root.attribute("xmlns");
  const std::string_view type = detail::xml_names::local(root.name());
  if (!root || type.empty() || !detail::xml_names::starts_upper(type.data()) || !xmlns ||
      std::string_view(xmlns.value()) != kFhirNamespace) {
    result.error = detail::make_issue(
        source_name, "",
        "the XML is not a FHIR resource (root <" + std::string(root ? root.name() : "") +
            "> is not in the FHIR namespace)",
        "expected a FHIR resource or Bundle element with xmlns=\"http://hl7.org/fhir\"");
    return result;
  }
  DepthCheck depth;
  if (!root.traverse(depth)) {
    const std::ptrdiff_t offset = depth.too_deep.offset_debug();
    result.error = detail::make_issue(
        source_name, offset < 0 ? std::string() : line_col(text, static_cast<std::size_t>(offset)),
        "the XML nests more than " + std::to_string(kMaxDepth) +
            " elements deep: too deep for FHIR",
        "FHIR resources nest at most a few dozen levels");
    return result;
  }
  detail::read_resource(detail::XmlNode(root), type, source_name, "XML", result);
  return result;
}

ReadResult read_xml_file(const std::filesystem::path& path) {
  return read_file_with(path, read_xml);
}

}  // namespace concord::fhir
