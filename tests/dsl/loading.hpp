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
#include "concord/runtime/record.hpp"

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

// A record with one diagnosis (id "dx") of this code, with onset on 1 March 2015.
inline runtime::Record with_diagnosis(std::string_view system, std::string_view code) {
  runtime::Record record;
  runtime::Diagnosis dx;
  dx.id = "dx";
  dx.codes = {runtime::Code(system, code)};
  dx.onset = on("2015-03-01");
  record.diagnoses.push_back(dx);
  return record;
}

}  // namespace concord::dsl::test
