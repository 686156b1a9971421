// What the C ABI suites share: handles that close themselves, the sample record, and calls
// that fail the test with the library's own message. Only concord.h, as a host sees it.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>

#include "concord/concord.h"

namespace concord::abi_test {

inline const std::string kRulesets = CONCORD_SOURCE_RULESETS;
inline const std::string kDate = "2021-11-01";

std::string read_file(const std::filesystem::path& path);
const std::string& sample_record();

struct RuntimeCloser {
  void operator()(concord_runtime* runtime) const { concord_close(runtime); }
};
using Runtime = std::unique_ptr<concord_runtime, RuntimeCloser>;

struct ResultFreer {
  void operator()(concord_result* result) const { concord_result_free(result); }
};
using Result = std::unique_ptr<concord_result, ResultFreer>;

// Opens a rulesets folder, expecting `expected`; the runtime is returned either way.
Runtime open(const std::string& dir, int expected = CONCORD_OK);

std::string diagnostics(concord_runtime* runtime);

// Evaluates the sample record; returns the JSON, or "" with a test failure.
std::string evaluate(concord_runtime* runtime);

}  // namespace concord::abi_test
