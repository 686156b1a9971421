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

// A record with one diagnosis (id "dx") of this code, with its onset on that day.
inline runtime::Record with_diagnosis(std::string_view system, std::string_view code,
                                      const char* onset = "2015-03-01") {
  runtime::Record record;
  runtime::Diagnosis dx;
  dx.id = "dx";
  dx.codes = {runtime::Code(system, code)};
  dx.onset = on(onset);
  record.diagnoses.push_back(dx);
  return record;
}

// Adds a coded event on that day to a record.
inline void add_event(runtime::Record& record, std::string_view system, std::string_view code,
                      const char* date) {
  runtime::Event e;
  e.id = std::string(code) + "@" + date;
  e.codes = {runtime::Code(system, code)};
  e.date = on(date);
  record.events.push_back(e);
}

}  // namespace concord::dsl::test
