// Internal: resolving FHIR references ("urn:uuid:<id>", "Patient/<id>", absolute URLs) to
// resources read from the same Bundle.
#pragma once

#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace concord::fhir::detail {

// Maps every way a Bundle entry may be referred to onto a number the caller chose (a record
// or table index): its fullUrl, "<Type>/<id>", and "urn:uuid:<id>".
class ReferenceIndex {
 public:
  // Returns false when the resource was already indexed (the same resource twice).
  bool add(std::string_view type, std::string_view full_url, std::string_view id,
           std::size_t value);
  // Exact match first, then the "<Type>/<id>" tail of an absolute or versioned reference.
  std::optional<std::size_t> find(std::string_view reference) const;
  bool empty() const { return by_reference_.empty(); }

 private:
  bool insert(std::string key, std::size_t value);

  std::deque<std::string> keys_;  // a deque never moves its strings, so the views stay valid
  std::unordered_map<std::string_view, std::size_t> by_reference_;
};

}  // namespace concord::fhir::detail
