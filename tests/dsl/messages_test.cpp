// Locale files load with the rulesets: their problems are warnings at file:line:col, and
// en-GB is checked for every text the rulesets have.
#include <gtest/gtest.h>

#include "concord/dsl/library.hpp"
#include "example_rulesets.hpp"

namespace concord::dsl {
namespace {

LoadResult load(std::vector<SourceFile> locale_files) {
  std::vector<SourceFile> sources{{"rulesets/conditions/hypertension.concord", test::hypertension},
                                  {"rulesets/reviews/ltc.concord", test::review}};
  for (auto& f : locale_files)
    sources.push_back(std::move(f));
  return compile_sources(std::move(sources));
}

const std::string complete_en_gb =
    "# English\n"
    "condition.hypertension = Hypertension\n"
    "check.bp = Blood pressure\n"
    "stage.tests = Blood, urine and health checks\n"
    "stage.letter = Your results and questions\n"
    "stage.talk = Care and support planning\n"
    "prompt.what_matters = What matters most to you?\n";

std::vector<const Diagnostic*> with_code(const LoadResult& r, std::string_view code) {
  std::vector<const Diagnostic*> out;
  for (const Diagnostic& d : r.diagnostics) {
    if (d.code == code) out.push_back(&d);
  }
  return out;
}

TEST(LocaleFilesTest, CompleteEnGbLoadsIntoTheProgramWithoutWarnings) {
  const LoadResult r = load({{"rulesets/locales/en-GB.messages", complete_en_gb}});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.diagnostics.empty()) << format_text(r.diagnostics, r.sources);
  EXPECT_EQ(r.program->messages.format("en-GB", "prompt.what_matters"),
            "What matters most to you?");
}

TEST(LocaleFilesTest, PatternErrorIsAWarningAtFileLineAndColumn) {
  const LoadResult r =
      load({{"rulesets/locales/en-GB.messages", complete_en_gb},
            {"rulesets/locales/cy.messages",
             "# Cymraeg\n\nview.replaces = Yn lle {count, plural, other {# nodyn}\n"}});
  ASSERT_TRUE(r.ok()) << "a broken translation must not stop the rulesets loading";
  const auto bad = with_code(r, "bad-message");
  ASSERT_EQ(bad.size(), 1u) << format_text(r.diagnostics, r.sources);
  EXPECT_EQ(bad[0]->file, "rulesets/locales/cy.messages");
  EXPECT_EQ(bad[0]->line, 3);
  EXPECT_GT(bad[0]->column, 17);  // inside the pattern, which starts at column 17
  EXPECT_EQ(bad[0]->severity, Severity::warning);
  EXPECT_FALSE(r.program->messages.has("cy", "view.replaces"));
  const std::string text = format_text(r.diagnostics, r.sources);
  EXPECT_NE(text.find("rulesets/locales/cy.messages:3:"), std::string::npos) << text;
}

TEST(LocaleFilesTest, TextMissingFromEnGbIsWarned) {
  const LoadResult r = load({{"rulesets/locales/en-GB.messages", "check.bp = Blood pressure\n"}});
  ASSERT_TRUE(r.ok());
  const auto missing = with_code(r, "missing-message");
  ASSERT_EQ(missing.size(), 5u) << format_text(r.diagnostics, r.sources);
  EXPECT_EQ(missing[0]->file, "rulesets/locales/en-GB.messages");
  EXPECT_NE(r.diagnostics.front().message.find("condition.hypertension"), std::string::npos);
}

TEST(LocaleFilesTest, NoLocaleFilesNoMessageWarnings) {
  const LoadResult r = load({});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.diagnostics.empty());
  EXPECT_TRUE(r.program->messages.empty());
}

TEST(LocaleFilesTest, UnknownIdGetsADidYouMean) {
  const LoadResult r = load({{"rulesets/locales/en-GB.messages",
                              complete_en_gb + "prompt.what_maters = What matters?\n"}});
  const auto unknown = with_code(r, "unknown-message");
  ASSERT_EQ(unknown.size(), 1u);
  EXPECT_EQ(unknown[0]->line, 8);
  EXPECT_EQ(unknown[0]->hint, "did you mean 'prompt.what_matters'?");
}

TEST(LocaleFilesTest, MalformedLineAndRepeatedIdAreWarned) {
  const LoadResult r = load(
      {{"rulesets/locales/en-GB.messages", complete_en_gb + "just some words\ncheck.bp = BP\n"}});
  ASSERT_EQ(with_code(r, "message-syntax").size(), 1u);
  EXPECT_EQ(with_code(r, "message-syntax")[0]->line, 8);
  ASSERT_EQ(with_code(r, "duplicate-message").size(), 1u);
  EXPECT_EQ(r.program->messages.format("en-GB", "check.bp"), "BP");
}

TEST(LocaleFilesTest, LocaleFilesAloneAreNotALibrary) {
  const LoadResult r = compile_sources({{"locales/en-GB.messages", complete_en_gb}});
  EXPECT_FALSE(r.ok());
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(r.diagnostics[0].code, "empty-library");
}

TEST(LocaleFilesTest, FileNotNamedForALocaleIsNotUsed) {
  const LoadResult r = load({{"rulesets/locales/en-GB.messages", complete_en_gb},
                             {"rulesets/locales/Welsh text.messages", "check.bp = Pwysedd\n"}});
  ASSERT_EQ(with_code(r, "bad-locale").size(), 1u);
  EXPECT_EQ(r.program->messages.locales(), std::vector<std::string>{"en-GB"});
}

}  // namespace
}  // namespace concord::dsl
