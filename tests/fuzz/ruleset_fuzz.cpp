// Parse, check and compile arbitrary ruleset text: every input must end in a Program or in
// diagnostics, never in a crash, a hang or a leak. A terminology and functions held in memory
// let refsets, legacy codes and scores be expanded and called as they are with plugins; a
// Program that compiles is evaluated for a small record; and text that parses must format to
// a layout that parses again and formats to itself (`concord fmt` is idempotent).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "concord/dsl/format_source.hpp"
#include "concord/dsl/library.hpp"
#include "concord/runtime/evaluate.hpp"

namespace {

using namespace concord;

// Knows every refset whose id is not a multiple of three characters long.
class Terminology final : public runtime::Terminology {
 public:
  std::optional<std::vector<std::string>> refset_members(std::string_view id) const override {
    if (id.size() % 3 == 0) return std::nullopt;
    return std::vector<std::string>{"38341003", "49436004"};
  }
  std::vector<runtime::Code> legacy_codes_for(std::string_view snomed_concept) const override {
    return {runtime::Code("read2", snomed_concept.substr(0, 5))};
  }
};

class Functions final : public runtime::Functions {
 public:
  std::optional<std::size_t> find(std::string_view name) const override {
    for (std::size_t i = 0; i < names_.size(); ++i) {
      if (names_[i] == name) return i;
    }
    return std::nullopt;
  }
  const std::vector<std::string>& names() const override { return names_; }
  std::optional<double> call(std::size_t slot, const runtime::Record&,
                             runtime::Date) const override {
    if (slot == 0) return 3;
    return std::nullopt;
  }

 private:
  std::vector<std::string> names_{"cha2ds2_vasc", "efi"};
};

runtime::Record sample_record() {
  runtime::Record record;
  record.id = "fuzz";
  record.birth_date =
      runtime::RecordedDate{*runtime::Date::parse_iso("1940-05-01"), runtime::DatePrecision::day};
  runtime::Diagnosis dx;
  dx.id = "dx";
  dx.codes = {runtime::Code("snomed", "38341003"), runtime::Code("read2", "49436")};
  dx.onset =
      runtime::RecordedDate{*runtime::Date::parse_iso("2015-03-01"), runtime::DatePrecision::day};
  record.diagnoses.push_back(dx);
  return record;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const dsl::Extensions extensions{std::make_shared<Terminology>(),
                                          std::make_shared<Functions>()};
  static const runtime::Record record = sample_record();
  const std::string text(reinterpret_cast<const char*>(data), size);
  const auto result = dsl::compile_sources({{"fuzz.concord", text}}, extensions);
  if (!result.ok() && result.diagnostics.empty()) __builtin_trap();  // errors must be said
  (void)dsl::format_text(result.diagnostics, result.sources);
  if (result.program) {
    (void)runtime::evaluate(*result.program, record, *runtime::Date::parse_iso("2021-01-01"));
  }

  std::vector<dsl::Diagnostic> diagnostics;
  const auto formatted = dsl::format_source(dsl::SourceFile{"fuzz.concord", text}, diagnostics);
  if (formatted) {
    const auto again = dsl::format_source(dsl::SourceFile{"fuzz.concord", *formatted}, diagnostics);
    if (!again || *again != *formatted) __builtin_trap();  // fmt must be idempotent
  }
  return 0;
}
