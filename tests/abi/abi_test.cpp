// The C ABI as a host sees it: only concord.h and libconcord.so, no C++ type of Concord's.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <dlfcn.h>
#include <unistd.h>

#include "abi_support.hpp"

namespace concord::abi_test {
namespace {

namespace fs = std::filesystem;

// A copy of the shipped rulesets in a fresh temporary folder, removed afterwards.
class RulesetCopy {
 public:
  explicit RulesetCopy(const std::string& name)
      : dir_(fs::temp_directory_path() /
             ("concord-abi-" + name + "-" + std::to_string(::getpid()))) {
    fs::remove_all(dir_);
    fs::copy(kRulesets, dir_, fs::copy_options::recursive);
  }
  ~RulesetCopy() {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  const fs::path& dir() const { return dir_; }
  std::string path() const { return dir_.string(); }

 private:
  fs::path dir_;
};

TEST(AbiTest, VersionMatchesTheHeader) {
  EXPECT_EQ(concord_abi_version(), CONCORD_ABI_VERSION);
  EXPECT_EQ(concord_abi_version(), 1);
  ASSERT_NE(concord_version(), nullptr);
  EXPECT_STRNE(concord_version(), "");
  EXPECT_STREQ(concord_errstr(CONCORD_OK), "not an error");
  EXPECT_STREQ(concord_errstr(CONCORD_ERROR_RECORD), "the record cannot be read");
  EXPECT_STREQ(concord_errstr(12345), "unknown status code");
}

// Each function keeps the ELF symbol version of the release that added it (concord.map), so
// hosts built against the first ABI still find theirs, and one that calls a later function
// gets the loader's error, naming the version, from an older library.
TEST(AbiTest, SymbolsKeepTheVersionThatAddedThem) {
  for (const char* name : {"concord_abi_version", "concord_open", "concord_evaluate",
                           "concord_reload", "concord_errmsg", "concord_close"}) {
    EXPECT_NE(::dlvsym(RTLD_DEFAULT, name, "CONCORD_1"), nullptr) << name;
  }
  EXPECT_NE(::dlvsym(RTLD_DEFAULT, "concord_open_config", "CONCORD_2"), nullptr);
  EXPECT_EQ(::dlvsym(RTLD_DEFAULT, "concord_open_config", "CONCORD_1"), nullptr);
}

TEST(AbiTest, NullArgumentsAreErrorsNeverCrashes) {
  concord_runtime* runtime = reinterpret_cast<concord_runtime*>(0x1);  // must be reset
  EXPECT_EQ(concord_open(nullptr, 5, &runtime), CONCORD_ERROR_ARGUMENT);
  EXPECT_EQ(runtime, nullptr);
  EXPECT_NE(std::string(concord_errmsg(nullptr)).find("rulesets_dir"), std::string::npos);
  EXPECT_EQ(concord_open(kRulesets.data(), kRulesets.size(), nullptr), CONCORD_ERROR_ARGUMENT);
  EXPECT_EQ(concord_open(kRulesets.data(), 0, &runtime), CONCORD_ERROR_ARGUMENT);
  const std::string with_nul("rulesets\0x", 10);
  EXPECT_EQ(concord_open(with_nul.data(), with_nul.size(), &runtime), CONCORD_ERROR_ARGUMENT);

  concord_result* result = nullptr;
  const std::string& record = sample_record();
  EXPECT_EQ(concord_evaluate(nullptr, record.data(), record.size(), nullptr, &result),
            CONCORD_ERROR_ARGUMENT);
  EXPECT_EQ(result, nullptr);
  EXPECT_EQ(concord_reload(nullptr), CONCORD_ERROR_ARGUMENT);
  EXPECT_EQ(concord_diagnostics_json(nullptr, nullptr), nullptr);
  EXPECT_EQ(concord_result_json(nullptr, nullptr), nullptr);
  EXPECT_EQ(concord_result_count(nullptr), 0u);
  concord_result_free(nullptr);
  concord_close(nullptr);
  EXPECT_NE(concord_errmsg(nullptr), nullptr);

  const Runtime good = open(kRulesets);
  ASSERT_NE(good, nullptr);
  EXPECT_EQ(concord_evaluate(good.get(), nullptr, 10, nullptr, &result), CONCORD_ERROR_ARGUMENT);
  EXPECT_NE(std::string(concord_errmsg(good.get())).find("record is NULL"), std::string::npos);
  EXPECT_EQ(concord_evaluate(good.get(), record.data(), record.size(), nullptr, nullptr),
            CONCORD_ERROR_ARGUMENT);
  EXPECT_EQ(concord_evaluate_source(good.get(), record.data(), record.size(), nullptr, 3, nullptr,
                                    &result),
            CONCORD_ERROR_ARGUMENT);
  EXPECT_EQ(concord_evaluate(good.get(), record.data(), record.size(), "2021-02-30", &result),
            CONCORD_ERROR_ARGUMENT);
  EXPECT_NE(std::string(concord_errmsg(good.get())).find("not a calendar date"), std::string::npos);
  EXPECT_EQ(result, nullptr);

  // A call that succeeds clears this thread's message.
  EXPECT_FALSE(evaluate(good.get()).empty());
  EXPECT_STREQ(concord_errmsg(good.get()), "");
}

TEST(AbiTest, OpenEvaluateGivesTheContractJsonLine) {
  const Runtime runtime = open(kRulesets);
  ASSERT_NE(runtime, nullptr);
  EXPECT_EQ(diagnostics(runtime.get()), "[]");
  const std::string json = evaluate(runtime.get());
  ASSERT_FALSE(json.empty());
  EXPECT_EQ(json.find('\n'), json.size() - 1) << "one record, one line";
  EXPECT_NE(json.find("\"concord_output\":1"), std::string::npos);
  EXPECT_NE(json.find("\"kind\":\"merged\""), std::string::npos);
  EXPECT_NE(json.find("\"evaluation_date\":\"2021-11-01\""), std::string::npos);
  EXPECT_NE(json.find("\"source\":\"record\""), std::string::npos);

  concord_result* raw = nullptr;
  const std::string name = "patient-a.json";
  ASSERT_EQ(concord_evaluate_source(runtime.get(), sample_record().data(), sample_record().size(),
                                    name.data(), name.size(), kDate.c_str(), &raw),
            CONCORD_OK);
  const Result result(raw);
  EXPECT_EQ(concord_result_count(result.get()), 1u);
  EXPECT_NE(
      std::string(concord_result_json(result.get(), nullptr)).find("\"source\":\"patient-a.json\""),
      std::string::npos);
}

TEST(AbiTest, BadRulesetsFolderGivesAHandleWithDiagnostics) {
  const std::string missing = "/nonexistent/concord-rulesets";
  const Runtime runtime = open(missing, CONCORD_ERROR_RULESETS);
  ASSERT_NE(runtime, nullptr) << "the handle carries the diagnostics";
  const std::string json = diagnostics(runtime.get());
  EXPECT_NE(json.find(missing), std::string::npos) << json;
  EXPECT_NE(json.find("\"severity\":\"error\""), std::string::npos) << json;
  EXPECT_NE(std::string(concord_errmsg(runtime.get())).find(missing), std::string::npos);
  EXPECT_NE(std::string(concord_errmsg(nullptr)).find(missing), std::string::npos);

  concord_result* result = nullptr;
  EXPECT_EQ(concord_evaluate(runtime.get(), sample_record().data(), sample_record().size(),
                             kDate.c_str(), &result),
            CONCORD_ERROR_RULESETS);
  EXPECT_EQ(result, nullptr);
  EXPECT_NE(std::string(concord_errmsg(runtime.get())).find("concord_reload"), std::string::npos);
}

TEST(AbiTest, RulesetErrorsNameFileLineAndColumn) {
  const std::string file = std::string(CONCORD_TEST_DATA) + "/rulesets/unknown_value_set.concord";
  const Runtime runtime = open(file, CONCORD_ERROR_RULESETS);
  ASSERT_NE(runtime, nullptr);
  const std::string json = diagnostics(runtime.get());
  EXPECT_NE(json.find("unknown_value_set.concord"), std::string::npos) << json;
  EXPECT_TRUE(std::regex_search(json, std::regex("\"line\":[1-9]"))) << json;
  EXPECT_TRUE(std::regex_search(std::string(concord_errmsg(runtime.get())),
                                std::regex("unknown_value_set\\.concord:[0-9]+:[0-9]+: error")))
      << concord_errmsg(runtime.get());
}

TEST(AbiTest, MalformedRecordIsARecordErrorWithAMessage) {
  const Runtime runtime = open(kRulesets);
  ASSERT_NE(runtime, nullptr);
  const std::string broken = R"({"resourceType": "Bundle", "entry": [)";
  concord_result* result = reinterpret_cast<concord_result*>(0x1);  // must be reset
  EXPECT_EQ(concord_evaluate(runtime.get(), broken.data(), broken.size(), kDate.c_str(), &result),
            CONCORD_ERROR_RECORD);
  EXPECT_EQ(result, nullptr);
  const std::string message = concord_errmsg(runtime.get());
  EXPECT_NE(message.find("record"), std::string::npos) << message;
  EXPECT_GT(message.size(), 10u) << message;

  EXPECT_EQ(concord_evaluate(runtime.get(), broken.data(), 0, kDate.c_str(), &result),
            CONCORD_ERROR_RECORD);
  EXPECT_STRNE(concord_errmsg(runtime.get()), "");
}

TEST(AbiTest, OversizedRecordIsRefusedBeforeParsing) {
  const Runtime runtime = open(kRulesets);
  ASSERT_NE(runtime, nullptr);
  const std::string huge(CONCORD_MAX_RECORD_BYTES + 1, ' ');
  concord_result* result = nullptr;
  EXPECT_EQ(concord_evaluate(runtime.get(), huge.data(), huge.size(), kDate.c_str(), &result),
            CONCORD_ERROR_RECORD);
  EXPECT_EQ(result, nullptr);
  EXPECT_NE(std::string(concord_errmsg(runtime.get())).find("64 MiB"), std::string::npos)
      << concord_errmsg(runtime.get());
}

TEST(AbiTest, MessagesAreKeptPerThread) {
  const Runtime runtime = open(kRulesets);
  ASSERT_NE(runtime, nullptr);
  concord_result* result = nullptr;
  ASSERT_EQ(concord_evaluate(runtime.get(), "{", 1, kDate.c_str(), &result), CONCORD_ERROR_RECORD);
  const std::string mine = concord_errmsg(runtime.get());
  std::string theirs = "unset";
  std::thread other([&] {
    theirs = concord_errmsg(runtime.get());
    evaluate(runtime.get());
  });
  other.join();
  EXPECT_EQ(theirs, "");
  EXPECT_EQ(concord_errmsg(runtime.get()), mine) << "another thread's success left it alone";
}

TEST(AbiTest, FailedReloadKeepsTheLastGoodRules) {
  const RulesetCopy copy("reload");
  const Runtime runtime = open(copy.path());
  ASSERT_NE(runtime, nullptr);
  const std::string before = evaluate(runtime.get());
  ASSERT_FALSE(before.empty());

  const fs::path file = copy.dir() / "conditions" / "hypertension.concord";
  const std::string original = read_file(file);
  std::ofstream(file, std::ios::app) << "\ncheck broken \"Broken\" stage every\n";

  EXPECT_EQ(concord_reload(runtime.get()), CONCORD_ERROR_RULESETS);
  const std::string json = diagnostics(runtime.get());
  EXPECT_NE(json.find("hypertension.concord"), std::string::npos) << json;
  EXPECT_TRUE(std::regex_search(json, std::regex("\"line\":[1-9]"))) << json;
  const std::string message = concord_errmsg(runtime.get());
  EXPECT_TRUE(std::regex_search(message, std::regex("hypertension\\.concord:[1-9][0-9]*:")))
      << message;
  EXPECT_NE(message.find("previous rules stay in use"), std::string::npos) << message;

  EXPECT_EQ(evaluate(runtime.get()), before) << "still evaluating on the last good rules";

  std::ofstream(file, std::ios::binary | std::ios::trunc) << original;
  EXPECT_EQ(concord_reload(runtime.get()), CONCORD_OK) << concord_errmsg(runtime.get());
  EXPECT_EQ(diagnostics(runtime.get()), "[]");
  EXPECT_STREQ(concord_errmsg(runtime.get()), "");
  EXPECT_EQ(evaluate(runtime.get()), before);
}

TEST(AbiTest, ReloadAfterAFailedOpenLoadsTheFixedRules) {
  const RulesetCopy copy("fixed");
  const fs::path file = copy.dir() / "reviews" / "ltc.concord";
  const std::string original = read_file(file);
  std::ofstream(file, std::ios::app) << "\nreview\n";
  const Runtime runtime = open(copy.path(), CONCORD_ERROR_RULESETS);
  ASSERT_NE(runtime, nullptr);
  EXPECT_NE(diagnostics(runtime.get()).find("ltc.concord"), std::string::npos);

  std::ofstream(file, std::ios::binary | std::ios::trunc) << original;
  EXPECT_EQ(concord_reload(runtime.get()), CONCORD_OK) << concord_errmsg(runtime.get());
  EXPECT_NE(evaluate(runtime.get()).find("\"kind\":\"merged\""), std::string::npos);
}

TEST(AbiTest, ManyThreadsEvaluateWhileAnotherReloads) {
  const Runtime runtime = open(kRulesets);
  ASSERT_NE(runtime, nullptr);
  const std::string expected = evaluate(runtime.get());
  ASSERT_NE(expected.find("\"kind\":\"merged\""), std::string::npos);

  constexpr int kThreads = 8;
  constexpr int kEvaluations = 200;
  constexpr int kReloads = 20;
  std::atomic<int> mismatches{0};
  std::atomic<int> failures{0};
  std::atomic<int> reload_failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kEvaluations; ++i) {
        concord_result* raw = nullptr;
        const int status = concord_evaluate(runtime.get(), sample_record().data(),
                                            sample_record().size(), kDate.c_str(), &raw);
        const Result result(raw);
        if (status != CONCORD_OK || result == nullptr) {
          ++failures;
          continue;
        }
        std::size_t len = 0;
        const char* json = concord_result_json(result.get(), &len);
        if (std::string_view(json, len) != expected) ++mismatches;
      }
    });
  }
  threads.emplace_back([&] {
    for (int i = 0; i < kReloads; ++i) {
      if (concord_reload(runtime.get()) != CONCORD_OK) ++reload_failures;
      if (diagnostics(runtime.get()) != "[]") ++reload_failures;
    }
  });
  for (auto& thread : threads)
    thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(mismatches.load(), 0);
  EXPECT_EQ(reload_failures.load(), 0);
}

}  // namespace
}  // namespace concord::abi_test
