// Detect and read arbitrary bytes as any record format (FHIR JSON/XML, NDJSON, GP2GP): the
// path every host input takes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "concord/hosts/read.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)concord::hosts::read_record(text, "fuzz");
  return 0;
}
