// Read arbitrary bytes as a GP2GP EHR Extract: a Record or an error, never a crash, hang or
// leak.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "concord/gp2gp/read.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto result = concord::gp2gp::read_xml(text, "fuzz.xml");
  if (result.error && !result.records.empty()) __builtin_trap();  // an error means no records
  return 0;
}
