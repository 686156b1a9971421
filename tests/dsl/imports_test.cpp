// Imports between ruleset files: a file brings the files it imports into the library, each
// file is read once however it is reached, and missing files and cycles are diagnosed at the
// import that causes them.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "concord/dsl/format_source.hpp"
#include "concord/dsl/library.hpp"
#include "loading.hpp"

namespace concord::dsl {
namespace {

using test::with_code;

namespace fs = std::filesystem;

const fs::path data = fs::path(CONCORD_TEST_DATA) / "imports";

bool has_value_set(const runtime::Program& program, std::string_view name) {
  return std::any_of(program.value_sets.begin(), program.value_sets.end(),
                     [&](const auto& set) { return set.name == name; });
}

TEST(ImportsTest, OneFileBringsTheFilesItImports) {
  const LoadResult result = load_library({data / "ok" / "conditions" / "hypertension.concord"});
  ASSERT_TRUE(result.program) << format_text(result.diagnostics, result.sources);
  EXPECT_TRUE(result.diagnostics.empty()) << format_text(result.diagnostics, result.sources);
  EXPECT_TRUE(has_value_set(*result.program, "hyp_dx"));
  ASSERT_EQ(result.sources.size(), 2u);
  // Shown relative to the importing file as it was named, without "..".
  EXPECT_EQ(result.sources[1].path,
            (data / "ok" / "common" / "codes.concord").lexically_normal().generic_string());
  ASSERT_EQ(result.program->rulesets.size(), 2u);
  EXPECT_EQ(result.program->rulesets[1].name, "common_codes");
}

TEST(ImportsTest, AFileImportedAndInTheFolderIsReadOnce) {
  const LoadResult result = load_library({data / "ok"});
  ASSERT_TRUE(result.program) << format_text(result.diagnostics, result.sources);
  EXPECT_TRUE(with_code(result, "duplicate-id").empty());
  EXPECT_EQ(result.sources.size(), 2u);
}

TEST(ImportsTest, ACycleIsReportedAtTheImportThatClosesItWithTheCycleListed) {
  const LoadResult result = load_library({data / "cycle" / "a.concord"});
  const auto cycles = with_code(result, "import-cycle");
  ASSERT_EQ(cycles.size(), 1u) << format_text(result.diagnostics, result.sources);
  const std::string base = (data / "cycle").generic_string() + "/";
  EXPECT_EQ(cycles[0].file, base + "c.concord");
  EXPECT_EQ(cycles[0].line, 2);
  EXPECT_EQ(cycles[0].column, 1);
  EXPECT_EQ(cycles[0].message, "this import closes a cycle: " + base + "a.concord -> " + base +
                                   "b.concord -> " + base + "c.concord -> " + base + "a.concord");
  EXPECT_FALSE(cycles[0].hint.empty());
  EXPECT_FALSE(result.program);
}

TEST(ImportsTest, AMissingFileIsReportedAtItsImport) {
  const LoadResult result = load_library({data / "missing" / "x.concord"});
  const auto missing = with_code(result, "unreadable");
  ASSERT_EQ(missing.size(), 1u) << format_text(result.diagnostics, result.sources);
  EXPECT_EQ(missing[0].line, 2);
  EXPECT_EQ(missing[0].column, 1);
  EXPECT_NE(missing[0].message.find("common/nope.concord: there is no such file"),
            std::string::npos)
      << missing[0].message;
  EXPECT_EQ(missing[0].hint, "the path is relative to the folder of the file that imports it");
  EXPECT_FALSE(result.program);
}

TEST(ImportsTest, InMemoryImportsNameAnotherSourceByPath) {
  const std::string common = "ruleset common version \"1\"\ncodes dx = loinc [\"D\"]\n";
  const std::string condition =
      "ruleset c version \"1\"\nimport \"../common/codes.concord\"\n"
      "condition c \"C\" present when diagnosis in dx\n"
      "check k \"K\" stage tests every 12 months done by record in dx\n";
  const LoadResult ok = compile_sources(
      {{"lib/conditions/c.concord", condition}, {"lib/common/codes.concord", common}});
  EXPECT_TRUE(ok.program) << format_text(ok.diagnostics, ok.sources);

  const LoadResult missing = compile_sources({{"lib/conditions/c.concord", condition}});
  const auto unreadable = with_code(missing, "unreadable");
  ASSERT_EQ(unreadable.size(), 1u);
  EXPECT_EQ(unreadable[0].message,
            "cannot import lib/common/codes.concord: it is not among the ruleset texts given");
}

TEST(ImportsTest, ImportsComeRightAfterTheHeaderAndFormatAsABlock) {
  const std::string text =
      "ruleset c version \"1\"\nimport   \"a.concord\" import \"b.concord\"\ncodes dx = loinc "
      "[\"D\"]\n";
  std::vector<Diagnostic> diagnostics;
  const auto formatted = format_source(SourceFile{"c.concord", text}, diagnostics);
  ASSERT_TRUE(formatted) << format_text(diagnostics, {{"c.concord", text}});
  EXPECT_EQ(*formatted,
            "ruleset c version \"1\"\n\nimport \"a.concord\"\nimport \"b.concord\"\n\ncodes dx = "
            "loinc [\"D\"]\n");

  const LoadResult late = compile_sources(
      {{"c.concord", "ruleset c version \"1\"\ncodes dx = loinc [\"D\"]\nimport \"a.concord\"\n"}});
  const auto syntax = with_code(late, "syntax");
  ASSERT_EQ(syntax.size(), 1u);
  EXPECT_EQ(syntax[0].line, 3);
}

// A locale file that sorts before the importing ruleset must not shift which file an import
// is resolved from (imports are relative to the importer's own folder).
TEST(ImportsTest, LocaleFilesInTheFolderDoNotMoveWhereImportsAreFound) {
  const fs::path lib = fs::path(testing::TempDir()) / "concord-imports-with-locale";
  fs::remove_all(lib);
  fs::create_directories(lib / "alocales");
  fs::create_directories(lib / "conditions" / "deeper");
  fs::copy_file(data / "ok" / "common" / "codes.concord", lib / "codes.concord");
  {
    std::ofstream(lib / "alocales" / "en-GB.messages")
        << "condition.hypertension = High blood pressure\n";
    std::ofstream(lib / "conditions" / "deeper" / "hypertension.concord")
        << "ruleset hypertension version \"1.0.0\"\n\nimport \"../../codes.concord\"\n\n"
           "condition hypertension \"Hypertension\"\n  present when diagnosis in hyp_dx\n";
  }
  const LoadResult result = load_library({lib});
  ASSERT_TRUE(result.program) << format_text(result.diagnostics, result.sources);
  EXPECT_TRUE(with_code(result, "unreadable").empty());
  EXPECT_EQ(result.program->messages.format("en-GB", "condition.hypertension"),
            "High blood pressure");
  fs::remove_all(lib);
}

}  // namespace
}  // namespace concord::dsl
