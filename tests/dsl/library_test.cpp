// load_library finds ruleset files on disk and turns every problem with them into a diagnostic.
#include <gtest/gtest.h>

#include <fstream>

#include "concord/dsl/library.hpp"
#include "example_rulesets.hpp"

namespace concord::dsl {
namespace {

namespace fs = std::filesystem;

// A fresh folder per test, removed afterwards.
class LoadLibraryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    root_ = fs::temp_directory_path() /
            (std::string("concord_dsl_") + info->name() + "_" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }

  fs::path write(const fs::path& relative, const std::string& text) {
    const fs::path path = root_ / relative;
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  fs::path root_;
};

TEST_F(LoadLibraryTest, FolderIsSearchedRecursivelyInPathOrder) {
  write("reviews/ltc.concord", test::review);
  write("conditions/hypertension.concord", test::hypertension);
  write("conditions/notes.txt", "not a ruleset");
  const LoadResult result = load_library({root_});
  EXPECT_TRUE(result.ok()) << format_text(result.diagnostics, result.sources);
  ASSERT_TRUE(result.program);
  ASSERT_EQ(result.sources.size(), 2u);
  // Files in a folder are named by the folder's own name and their path within it, so rule
  // references read the same wherever the folder lives.
  const std::string folder = root_.filename().string();
  EXPECT_EQ(result.sources[0].path, folder + "/conditions/hypertension.concord");
  EXPECT_EQ(result.sources[1].path, folder + "/reviews/ltc.concord");
  EXPECT_EQ(result.program->conditions[0].rule.file, folder + "/conditions/hypertension.concord");
  EXPECT_EQ(result.program->rulesets[0].name, "hypertension");
  EXPECT_TRUE(result.program->review);
}

TEST_F(LoadLibraryTest, FileNamedTwiceIsReadOnce) {
  const fs::path file = write("h.concord", test::hypertension);
  const LoadResult result = load_library({root_, file});
  EXPECT_TRUE(result.ok()) << format_text(result.diagnostics, result.sources);
  EXPECT_EQ(result.sources.size(), 1u);
}

TEST_F(LoadLibraryTest, MissingPathIsAnErrorDiagnosticNotAnException) {
  write("h.concord", test::hypertension);
  const fs::path missing = root_ / "missing.concord";
  const LoadResult result = load_library({root_ / "h.concord", missing});
  EXPECT_FALSE(result.ok());
  EXPECT_FALSE(result.program);
  ASSERT_EQ(result.diagnostics.size(), 1u);
  EXPECT_EQ(result.diagnostics[0].file, missing.string());
  EXPECT_EQ(result.diagnostics[0].line, 0);
  EXPECT_EQ(result.diagnostics[0].code, "unreadable");
  EXPECT_EQ(result.sources.size(), 1u);  // what could be read was still read and checked
}

TEST_F(LoadLibraryTest, FolderWithoutRulesetsIsAnError) {
  write("readme.md", "nothing here");
  const LoadResult result = load_library({root_});
  ASSERT_FALSE(result.diagnostics.empty());
  EXPECT_EQ(result.diagnostics[0].code, "empty-library");
  EXPECT_EQ(result.diagnostics[0].file, root_.string());
  EXPECT_EQ(result.diagnostics[0].line, 0);
  EXPECT_FALSE(result.ok());
}

TEST_F(LoadLibraryTest, NoPathsIsAnEmptyLibrary) {
  const LoadResult result = load_library({});
  ASSERT_EQ(result.diagnostics.size(), 1u);
  EXPECT_EQ(result.diagnostics[0].code, "empty-library");
}

TEST_F(LoadLibraryTest, DiagnosticsUseThePathAsGivenAndRenderWithTheSource) {
  const fs::path file = write("bad.concord",
                              "ruleset x version \"1\"\ncodes c = snomed [42]\n"
                              "condition x \"X\" present when diagnosis in c\n"
                              "check k \"K\" stage tests every 1 year done by "
                              "record in c\n");
  const LoadResult result = load_library({file});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(format_text(result.diagnostics, result.sources),
            file.string() +
                ":2:19: error: '42' is not a SNOMED CT concept id\n"
                "codes c = snomed [42]\n"
                "                  ^\n"
                "  hint: SNOMED CT concept ids are 6 to 18 digits\n");
}

TEST_F(LoadLibraryTest, ShippedRulesetsLoadIfPresent) {
  const fs::path shipped = CONCORD_SOURCE_RULESETS;
  std::error_code ignored;
  bool any = false;
  for (fs::recursive_directory_iterator it(shipped, ignored), end; it != end; ++it) {
    any = any || it->path().extension() == ".concord";
  }
  if (!any) GTEST_SKIP() << "no shipped rulesets yet";
  const LoadResult result = load_library({shipped});
  EXPECT_TRUE(result.ok()) << format_text(result.diagnostics, result.sources);
}

}  // namespace
}  // namespace concord::dsl
