#include "concord/runtime/record.hpp"

namespace concord::runtime {

std::string code_key(std::string_view system, std::string_view code) {
  std::string key;
  key.reserve(system.size() + 1 + code.size());
  key.append(system).push_back('|');
  key.append(code);
  return key;
}

Code::Code(std::string_view system, std::string_view code)
    : key_(code_key(system, code)), split_(system.size()) {}

}  // namespace concord::runtime
