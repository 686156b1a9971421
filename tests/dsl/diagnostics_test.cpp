// Syntax errors point at the exact line and column and say what was expected; diagnostics
// render as clang-style text and as JSON; no input crashes or hangs the front end.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "concord/dsl/library.hpp"
#include "concord/dsl/parse.hpp"
#include "example_rulesets.hpp"

namespace concord::dsl {
namespace {

// The one diagnostic a broken file gives.
Diagnostic only_diagnostic(const std::string& text) {
  std::vector<Diagnostic> diagnostics;
  const auto file = parse(SourceFile{"broken.concord", text}, diagnostics);
  EXPECT_FALSE(file);
  EXPECT_EQ(diagnostics.size(), 1u);
  return diagnostics.empty() ? Diagnostic{} : diagnostics.front();
}

TEST(DiagnosticsTest, MisspeltKeywordPointsAtIt) {
  const Diagnostic d = only_diagnostic(
      "ruleset hypertension version \"1.0.0\"\n"
      "check bp \"Blood pressure\" for hypertension stage tests evry 12 months\n");
  EXPECT_EQ(d.code, "syntax");
  EXPECT_EQ(d.severity, Severity::error);
  EXPECT_EQ(d.file, "broken.concord");
  EXPECT_EQ(d.line, 2);
  EXPECT_EQ(d.column, 56);
  EXPECT_EQ(
      d.message,
      "expected 'every' (or 'due N to M days after onset') after the stage kind, found 'evry'");
  EXPECT_NE(d.hint.find("check NAME \"Title\""), std::string::npos);
}

// A reserved word where a name belongs is a naming mistake, not a misplaced keyword.
TEST(DiagnosticsTest, AReservedWordAsANameSaysSo) {
  const Diagnostic d = only_diagnostic("ruleset x version \"1\"\ncodes score = loinc [\"A\"]\n");
  EXPECT_EQ(d.line, 2);
  EXPECT_EQ(d.column, 7);
  EXPECT_EQ(d.message,
            "'score' is a reserved word of the language, so it cannot be a name for the codes "
            "list");
  EXPECT_EQ(d.hint,
            "choose another name, such as 'score_1' (docs/language.md lists the "
            "reserved words)");
  // Not every keyword found in a name's place is a name: a missing name stays "expected".
  const Diagnostic title = only_diagnostic("ruleset x version \"1\"\ncondition \"Title\"\n");
  EXPECT_NE(title.message.find("expected a name"), std::string::npos) << title.message;
}

TEST(DiagnosticsTest, MissingTitlePointsAtTheNextTokenNotTheBlankBeforeIt) {
  const Diagnostic d = only_diagnostic(
      "ruleset x version \"1\"\n\ncondition hyp\n   # a comment\n   present when diagnosis in a\n");
  EXPECT_EQ(d.line, 5);
  EXPECT_EQ(d.column, 4);
  EXPECT_EQ(d.message, "expected a string (the title in double quotes), found 'present'");
}

TEST(DiagnosticsTest, UnterminatedStringPointsAtTheEndOfItsLine) {
  const Diagnostic d = only_diagnostic("ruleset x version \"1.0.0\"\ncondition x \"unterminated\n");
  EXPECT_EQ(d.line, 2);
  EXPECT_EQ(d.column, 26);
  EXPECT_EQ(d.message,
            "expected a closing '\"' before the end of the line, found the end of the line");
}

TEST(DiagnosticsTest, UnknownEscapeIsASyntaxError) {
  const Diagnostic d = only_diagnostic("ruleset x version \"1\\n\"\n");
  EXPECT_EQ(d.line, 1);
  EXPECT_EQ(d.column, 22);
  EXPECT_EQ(d.message, "expected '\"' or '\\' after a backslash (the only escapes), found 'n'");
}

TEST(DiagnosticsTest, MissingSeparatorInCodeListPointsAtTheSecondCode) {
  const Diagnostic d =
      only_diagnostic("ruleset x version \"1.0.0\"\ncodes b = snomed [38341003 1201005]\n");
  EXPECT_EQ(d.line, 2);
  EXPECT_EQ(d.column, 28);
  EXPECT_EQ(d.message, "expected ',' or ']' after a code, found '1201005'");
}

TEST(DiagnosticsTest, UnknownItemKeywordIsReportedAtTheTopLevel) {
  const Diagnostic d = only_diagnostic("ruleset x version \"1.0.0\"\n  chek x\n");
  EXPECT_EQ(d.line, 2);
  EXPECT_EQ(d.column, 3);
  EXPECT_EQ(d.message,
            "expected 'codes', 'condition', 'check', 'review', 'suppress', 'frailty', 'end of "
            "life' or 'activation' (or the end of the file), found 'chek'");
}

TEST(DiagnosticsTest, MissingHeaderIsReportedAtTheFirstToken) {
  const Diagnostic d = only_diagnostic("# comment\ncodes a = snomed [38341003]\n");
  EXPECT_EQ(d.line, 2);
  EXPECT_EQ(d.column, 1);
  EXPECT_EQ(d.message,
            "expected the ruleset header (ruleset NAME version \"1.0.0\"), found 'codes'");
}

TEST(DiagnosticsTest, KeywordIsNotAName) {
  const Diagnostic d = only_diagnostic("ruleset x version \"1\"\ncodes check = snomed [1]\n");
  EXPECT_EQ(d.line, 2);
  EXPECT_EQ(d.column, 7);
  EXPECT_EQ(d.message,
            "'check' is a reserved word of the language, so it cannot be a name for the codes "
            "list");
}

TEST(DiagnosticsTest, UnfinishedExpressionPointsAtTheEndOfTheFile) {
  const Diagnostic d = only_diagnostic(
      "ruleset x version \"1.0.0\"\nreview r \"R\" merge when (conditions >= 1 and");
  EXPECT_EQ(d.line, 2);
  EXPECT_EQ(d.column, 45);
  EXPECT_EQ(d.message,
            "expected a comparison such as 'conditions >= 2', a condition's name, 'not', or '(', "
            "found the end of the file");
  EXPECT_NE(d.hint.find("conditions >= 2 or"), std::string::npos);
}

TEST(DiagnosticsTest, ColumnsCountCharactersNotBytes) {
  const Diagnostic d = only_diagnostic("ruleset x version \"1\" title \"café\" bad\n");
  EXPECT_EQ(d.line, 1);
  EXPECT_EQ(d.column, 36);
}

TEST(DiagnosticsTest, EmptyFileIsAnError) {
  for (const std::string text : {"", "   \n\n", "# only a comment\n"}) {
    const Diagnostic d = only_diagnostic(text);
    EXPECT_EQ(d.code, "empty-file") << text;
    EXPECT_EQ(d.line, 1);
    EXPECT_EQ(d.column, 1);
  }
}

TEST(DiagnosticsTest, InvalidUtf8IsReportedAtTheFirstBadByte) {
  const Diagnostic d = only_diagnostic("ruleset x version \"1\"\ntitle \"caf\xC3\xA9 \xFF\"\n");
  EXPECT_EQ(d.code, "invalid-utf8");
  EXPECT_EQ(d.line, 2);
  EXPECT_EQ(d.column, 13);
  EXPECT_EQ(d.message, "this file is not valid UTF-8 (byte 0xFF)");
}

TEST(DiagnosticsTest, OverlongAndSurrogateEncodingsAreInvalidUtf8) {
  EXPECT_EQ(only_diagnostic("ruleset x version \"\xC0\xAF\"").code, "invalid-utf8");
  EXPECT_EQ(only_diagnostic("ruleset x version \"\xED\xA0\x80\"").code, "invalid-utf8");
  EXPECT_EQ(only_diagnostic("ruleset x version \"\xE2\x82\"").code, "invalid-utf8");
}

TEST(DiagnosticsTest, DeepNestingIsCappedWithADiagnostic) {
  const std::string prefix = "ruleset x version \"1\"\nreview r \"R\" merge when ";
  const Diagnostic d = only_diagnostic(prefix + std::string(10000, '(') + "conditions > 1" +
                                       std::string(10000, ')'));
  EXPECT_EQ(d.code, "too-deep");
  EXPECT_EQ(d.line, 2);
  // 24 characters of "review ... merge when ", then the 65th parenthesis.
  EXPECT_EQ(d.column, 24 + max_expression_depth + 1);
  EXPECT_EQ(d.message, "this expression nests 'not' and parentheses more than 64 levels deep");

  std::string nots;
  for (int i = 0; i < 5000; ++i)
    nots += "not ";
  EXPECT_EQ(only_diagnostic(prefix + nots + "conditions > 1").code, "too-deep");
}

TEST(DiagnosticsTest, ModerateNestingIsAccepted) {
  std::vector<Diagnostic> diagnostics;
  const auto file = parse(
      SourceFile{"ok.concord", "ruleset x version \"1\"\nreview r \"R\" merge when " +
                                   std::string(60, '(') + "conditions > 1" + std::string(60, ')') +
                                   " gather due within 3 months stage t "
                                   "conversation \"T\""},
      diagnostics);
  EXPECT_TRUE(file);
  EXPECT_TRUE(diagnostics.empty());
}

TEST(DiagnosticsTest, HugeFileIsRefused) {
  const Diagnostic d = only_diagnostic(std::string(max_source_bytes + 1, ' '));
  EXPECT_EQ(d.code, "too-large");
}

TEST(DiagnosticsTest, LongValidFileParsesInReasonableTime) {
  std::string text = "ruleset x version \"1\"\ncodes many = snomed [38341003";
  for (int i = 0; i < 200000; ++i)
    text += ", 38341003";
  text += "]\n";
  std::vector<Diagnostic> diagnostics;
  EXPECT_TRUE(parse(SourceFile{"long.concord", text}, diagnostics));
}

TEST(DiagnosticsTest, BinaryGarbageGivesOneDiagnostic) {
  std::string garbage;
  for (int i = 0; i < 4096; ++i)
    garbage.push_back(static_cast<char>((i * 7919) % 128));
  std::vector<Diagnostic> diagnostics;
  EXPECT_FALSE(parse(SourceFile{"garbage", garbage}, diagnostics));
  EXPECT_EQ(diagnostics.size(), 1u);
}

TEST(DiagnosticsTest, EveryPrefixOfAValidFileParsesOrGivesOneLocatedError) {
  const std::string text = test::hypertension + test::review.substr(test::review.find("review"));
  for (std::size_t length = 0; length <= text.size(); ++length) {
    std::vector<Diagnostic> diagnostics;
    const auto file = parse(SourceFile{"prefix.concord", text.substr(0, length)}, diagnostics);
    if (file) {
      EXPECT_TRUE(diagnostics.empty()) << length;
    } else {
      ASSERT_EQ(diagnostics.size(), 1u) << length;
      EXPECT_GE(diagnostics[0].line, 1) << length;
      EXPECT_GE(diagnostics[0].column, 1) << length;
    }
  }
}

TEST(DiagnosticsTest, TextFormatShowsTheLineAndACaretUnderTheColumn) {
  const std::vector<SourceFile> sources{
      {"r.concord", "ruleset x version \"1\"\n\tcheck bp \"B\" stage tests evry 1 year\n"}};
  const std::vector<Diagnostic> diagnostics{
      {"r.concord", 2, 29, Severity::error, "syntax", "expected 'every'", "write 'every'"},
      {"r.concord", 0, 0, Severity::warning, "unused", "no line here", ""}};
  EXPECT_EQ(format_text(diagnostics, sources),
            "r.concord:2:29: error: expected 'every'\n"
            "\tcheck bp \"B\" stage tests evry 1 year\n"
            "\t                           ^\n"
            "  hint: write 'every'\n"
            "r.concord: warning: no line here\n");
}

TEST(DiagnosticsTest, TextFormatAlignsTheCaretAfterNonAsciiCharacters) {
  const std::vector<SourceFile> sources{{"u.concord", "title \"café\" x\r\n"}};
  const std::vector<Diagnostic> diagnostics{{"u.concord", 1, 14, Severity::note, "n", "here", ""}};
  EXPECT_EQ(format_text(diagnostics, sources),
            "u.concord:1:14: note: here\n"
            "title \"café\" x\n"
            "             ^\n");
}

TEST(DiagnosticsTest, JsonFormatParsesBackWithBoostJson) {
  const std::vector<Diagnostic> diagnostics{{"a \"quoted\".concord", 3, 7, Severity::warning,
                                             "unused", "codes list 'x' is never used",
                                             "remove it"}};
  const boost::json::value parsed = boost::json::parse(format_json(diagnostics));
  const auto& array = parsed.as_array();
  ASSERT_EQ(array.size(), 1u);
  const auto& object = array[0].as_object();
  EXPECT_EQ(object.at("file").as_string(), "a \"quoted\".concord");
  EXPECT_EQ(object.at("line").as_int64(), 3);
  EXPECT_EQ(object.at("column").as_int64(), 7);
  EXPECT_EQ(object.at("severity").as_string(), "warning");
  EXPECT_EQ(object.at("code").as_string(), "unused");
  EXPECT_EQ(object.at("message").as_string(), "codes list 'x' is never used");
  EXPECT_EQ(object.at("hint").as_string(), "remove it");
  EXPECT_EQ(format_json({}), "[]");
}

TEST(DiagnosticsTest, SyntaxErrorInOneFileStillChecksTheOthers) {
  const LoadResult result = compile_sources(
      {{"a.concord", "ruleset a version \"1\"\ncodes x = snomed [38341003\n"},
       {"b.concord", test::hypertension + "check bp2 \"Blood pressure\" stage tests every 0 months "
                                          "done by record in bp_codes\n"}});
  EXPECT_FALSE(result.ok());
  EXPECT_FALSE(result.program);
  ASSERT_GE(result.diagnostics.size(), 2u);
  EXPECT_EQ(result.diagnostics[0].file, "a.concord");
  EXPECT_EQ(result.diagnostics[0].code, "syntax");
  EXPECT_EQ(result.diagnostics[1].file, "b.concord");
  EXPECT_EQ(result.diagnostics[1].code, "bad-interval");
}

}  // namespace
}  // namespace concord::dsl
