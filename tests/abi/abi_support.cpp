#include "abi_support.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace concord::abi_test {

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return std::move(text).str();
}

const std::string& sample_record() {
  static const std::string text = read_file(CONCORD_SAMPLE_RECORD);
  return text;
}

Runtime open(const std::string& dir, int expected) {
  concord_runtime* raw = nullptr;
  const int status = concord_open(dir.data(), dir.size(), &raw);
  EXPECT_EQ(status, expected) << concord_errmsg(raw);
  return Runtime(raw);
}

std::string diagnostics(concord_runtime* runtime) {
  std::size_t len = 0;
  const char* text = concord_diagnostics_json(runtime, &len);
  return text == nullptr ? std::string("<null>") : std::string(text, len);
}

std::string evaluate(concord_runtime* runtime) {
  concord_result* raw = nullptr;
  const int status = concord_evaluate(runtime, sample_record().data(), sample_record().size(),
                                      kDate.c_str(), &raw);
  const Result result(raw);
  if (status != CONCORD_OK) {
    ADD_FAILURE() << "concord_evaluate: " << concord_errstr(status) << ": "
                  << concord_errmsg(runtime);
    return "";
  }
  std::size_t len = 0;
  const char* json = concord_result_json(result.get(), &len);
  return std::string(json, len);
}

}  // namespace concord::abi_test
