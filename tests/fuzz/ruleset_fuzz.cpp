// Parse, check and compile arbitrary ruleset text: every input must end in a Program or in
// diagnostics, never in a crash, a hang or a leak.
#include <cstddef>
#include <cstdint>
#include <string>

#include "concord/dsl/library.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  const auto result = concord::dsl::compile_sources({{"fuzz.concord", std::move(text)}});
  if (!result.ok() && result.diagnostics.empty()) __builtin_trap();  // errors must be said
  (void)concord::dsl::format_text(result.diagnostics, result.sources);
  return 0;
}
