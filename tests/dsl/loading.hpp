// Helpers the dsl tests share: a ruleset text compiled on its own, the diagnostics of one
// code, and dates written as ISO text.
#pragma once

#include <algorithm>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "concord/dsl/library.hpp"
#include "concord/runtime/date.hpp"

namespace concord::dsl::test {

inline LoadResult load_one(const std::string& text) {
  return compile_sources({{"lib.concord", text}});
}

inline std::vector<Diagnostic> with_code(const LoadResult& result, std::string_view code) {
  std::vector<Diagnostic> found;
  std::copy_if(result.diagnostics.begin(), result.diagnostics.end(), std::back_inserter(found),
               [&](const Diagnostic& d) { return d.code == code; });
  return found;
}

inline runtime::Date day(const char* iso) {
  return *runtime::Date::parse_iso(iso);
}

inline runtime::RecordedDate on(const char* iso) {
  return {day(iso), runtime::DatePrecision::day};
}

}  // namespace concord::dsl::test
