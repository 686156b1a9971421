#include "references.hpp"

#include <utility>

namespace concord::fhir::detail {

bool ReferenceIndex::insert(std::string key, std::size_t value) {
  if (key.empty() || by_reference_.contains(key)) return false;
  const std::string& stored = keys_.emplace_back(std::move(key));
  by_reference_.emplace(stored, value);
  return true;
}

bool ReferenceIndex::add(std::string_view type, std::string_view full_url, std::string_view id,
                         std::size_t value) {
  bool added = insert(std::string(full_url), value);
  if (!id.empty()) {
    std::string relative;
    relative.reserve(type.size() + 1 + id.size());
    relative.append(type).push_back('/');
    relative.append(id);
    added = insert(std::move(relative), value) || added;
    added = insert("urn:uuid:" + std::string(id), value) || added;
  }
  return added;
}

std::optional<std::size_t> ReferenceIndex::find(std::string_view reference) const {
  if (auto it = by_reference_.find(reference); it != by_reference_.end()) return it->second;
  // https://server/fhir/Patient/123/_history/2 -> Patient/123
  if (const auto history = reference.find("/_history/"); history != std::string_view::npos) {
    reference = reference.substr(0, history);
  }
  const auto id_slash = reference.rfind('/');
  if (id_slash == std::string_view::npos || id_slash == 0) return std::nullopt;
  const auto type_slash = reference.rfind('/', id_slash - 1);
  const auto tail =
      type_slash == std::string_view::npos ? reference : reference.substr(type_slash + 1);
  if (auto it = by_reference_.find(tail); it != by_reference_.end()) return it->second;
  return std::nullopt;
}

}  // namespace concord::fhir::detail
