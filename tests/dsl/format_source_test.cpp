// The canonical layout (`concord fmt`): idempotent, keeps every comment, and never changes what
// a ruleset means: the shipped rulesets and the examples compile to the same Program after
// formatting as before (apart from the line numbers rules cite).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "concord/dsl/format_source.hpp"
#include "concord/dsl/library.hpp"
#include "example_rulesets.hpp"

namespace concord::dsl {
namespace {

namespace fs = std::filesystem;

std::string format(const std::string& text, const std::string& path = "test.concord") {
  std::vector<Diagnostic> diagnostics;
  const auto formatted = format_source(SourceFile{path, text}, diagnostics);
  EXPECT_TRUE(formatted) << format_text(diagnostics, {{path, text}});
  return formatted.value_or("");
}

// Every part of a Program except where its rules are (lines move when a file is formatted).
std::string describe(const runtime::Expr& e) {
  std::ostringstream out;
  for (const auto& n : e.nodes) {
    out << static_cast<int>(n.op) << ':' << static_cast<int>(n.measure) << ':'
        << static_cast<int>(n.comparison) << ':' << n.number << ':' << n.lhs << ':' << n.rhs << ':'
        << static_cast<int>(n.kind) << ':' << n.within.count << static_cast<int>(n.within.unit)
        << ' ';
  }
  return out.str();
}

std::string describe(const runtime::Program& p) {
  std::ostringstream out;
  for (const auto& r : p.rulesets) {
    out << "ruleset " << r.name << ' ' << r.version << ' ' << r.title << ' ' << r.file;
    for (const auto& s : r.sources)
      out << " [" << s << ']';
    out << '\n';
  }
  for (const auto& v : p.value_sets) {
    out << "codes " << v.name << ' ' << v.unit << (v.counted ? " counted" : "");
    for (const auto& c : v.conversions)
      out << " (" << c.from << ' ' << c.scale << ' ' << c.offset << ')';
    out << '\n';
  }
  for (const auto& c : p.conditions) {
    out << "condition " << c.id << ' ' << c.title << ' ' << c.diagnosis << ' '
        << (c.resolved ? static_cast<int>(*c.resolved) : -1) << ' ' << c.ruleset
        << (c.frailty ? " frailty" : "") << " also " << describe(c.also);
    for (const auto& s : c.sources)
      out << " [" << s << ']';
    out << '\n';
  }
  for (const auto& c : p.checks) {
    out << "check " << c.id << ' ' << c.title << ' ' << c.condition << ' '
        << static_cast<int>(c.stage) << ' ' << c.interval.count << ' '
        << static_cast<int>(c.interval.unit) << " frailty " << c.frailty;
    if (c.season) out << " season " << c.season->month << '-' << c.season->day;
    for (const auto& d : c.done_by)
      out << " by " << static_cast<int>(d.kind) << ':' << d.value_set;
    for (const auto& t : c.targets) {
      out << " target";
      for (const auto& b : t.bounds) {
        out << ' ' << b.value_set << static_cast<int>(b.comparison) << b.limit << b.unit;
      }
      out << " when " << describe(t.when);
    }
    for (const auto& s : c.sources)
      out << " [" << s << ']';
    out << '\n';
  }
  for (const auto& s : p.suppressions) {
    out << "suppress " << (s.condition ? static_cast<int>(*s.condition) : -1) << ' ' << s.check
        << ' ' << s.value_set << ' ' << s.reason << ' ' << s.lasts.count << ' '
        << static_cast<int>(s.lasts.unit) << ' ' << s.until_season_end << '\n';
  }
  const auto opt = [](const std::optional<runtime::ValueSetIndex>& v) {
    return v ? static_cast<int>(*v) : -1;
  };
  out << "person " << opt(p.person.frailty_mild) << opt(p.person.frailty_moderate)
      << opt(p.person.frailty_severe) << opt(p.person.end_of_life) << opt(p.person.activation);
  for (const auto& s : p.person.end_of_life_suppresses)
    out << ' ' << s;
  out << '\n';
  if (p.review) {
    const auto& r = *p.review;
    out << "review " << r.id << ' ' << r.title << ' ' << describe(r.merge_when) << r.gather.count
        << static_cast<int>(r.gather.unit) << ' ' << r.minutes.base_minutes << ' '
        << r.minutes.per_extra_condition << ' ' << r.minutes.max_minutes;
    for (const auto& s : r.sources)
      out << " [" << s << ']';
    for (const auto& s : r.stages)
      out << " stage " << s.id << static_cast<int>(s.kind) << s.title << s.days_before;
    for (const auto& a : r.prompts)
      out << " ask " << a.id << ' ' << a.text << ' ' << describe(a.when);
    out << '\n';
  }
  std::vector<std::string> index;
  for (const auto& [key, sets] : p.code_index) {
    std::string line = key;
    for (auto s : sets)
      line += ' ' + std::to_string(s);
    index.push_back(line);
  }
  std::sort(index.begin(), index.end());
  for (const auto& line : index)
    out << line << '\n';
  return out.str();
}

std::vector<std::string> comments_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    // The shipped rulesets and examples have no '#' inside strings.
    if (const auto hash = line.find('#'); hash != std::string::npos) {
      std::string comment = line.substr(hash);
      while (!comment.empty() && (comment.back() == ' ' || comment.back() == '\r'))
        comment.pop_back();
      out.push_back(comment);
    }
  }
  return out;
}

std::vector<SourceFile> shipped() {
  std::vector<SourceFile> out;
  for (const auto& entry : fs::recursive_directory_iterator(CONCORD_SOURCE_RULESETS)) {
    if (entry.path().extension() != ".concord") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    out.push_back({entry.path().string(), text.str()});
  }
  std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.path < b.path; });
  return out;
}

// The property every file must have: formatted once it stays put, it keeps its comments in
// order, and the library it belongs to means the same.
void expect_preserved(const std::vector<SourceFile>& library) {
  std::vector<SourceFile> formatted;
  for (const auto& source : library) {
    SCOPED_TRACE(source.path);
    const std::string once = format(source.text, source.path);
    EXPECT_EQ(format(once, source.path), once);
    EXPECT_EQ(comments_of(once), comments_of(source.text));
    formatted.push_back({source.path, once});
  }
  const LoadResult before = compile_sources(library);
  const LoadResult after = compile_sources(formatted);
  ASSERT_TRUE(before.ok());
  ASSERT_TRUE(after.ok()) << format_text(after.diagnostics, after.sources);
  EXPECT_EQ(describe(*after.program), describe(*before.program));
}

TEST(FormatSourceTest, ShippedRulesetsKeepTheirMeaningAndComments) {
  const auto library = shipped();
  ASSERT_GE(library.size(), 5u);
  expect_preserved(library);
}

TEST(FormatSourceTest, ExamplesKeepTheirMeaning) {
  expect_preserved({{"hypertension.concord", test::hypertension}});
  expect_preserved({{"ltc.concord", test::review}});
  expect_preserved({{"person.concord", test::person_centred}});
  expect_preserved({{"extensions.concord", test::extensions}});
}

TEST(FormatSourceTest, LanguageExtensionsAreAlreadyCanonical) {
  EXPECT_EQ(format(test::extensions), test::extensions);
}

TEST(FormatSourceTest, LayoutIsCanonicalWhateverTheInputLayout) {
  const std::string messy = R"(ruleset   x version "1"   title "X"
codes a=snomed[1,2 ,3]
condition c "C" present   when diagnosis
   in a source "s1" source "s2"
check k "K" stage tests every 1 year done by observation in a or procedure in a
target latest a<=58 mmol/mol when frailty>=moderate and not (age < 80 or c)
)";
  EXPECT_EQ(format(messy), R"(ruleset x version "1"
  title "X"

codes a = snomed [1, 2, 3]

condition c "C"
  present when diagnosis in a
  source "s1"
  source "s2"

check k "K" stage tests every 1 year
  done by observation in a or procedure in a
  target latest a <= 58 mmol/mol when frailty >= moderate and not (age < 80 or c)
)");
}

TEST(FormatSourceTest, LongCodeListsFillHundredColumnsWithFourSpaceContinuation) {
  std::string text = "ruleset x version \"1\"\ncodes long = snomed [";
  for (int i = 0; i < 12; ++i)
    text += (i ? ", " : "") + std::string("1000000000000") + std::to_string(i % 10) + "00";
  text += "], loinc [\"8480-6\"]\n";
  const std::string out = format(text);
  EXPECT_EQ(out, R"(ruleset x version "1"

codes long = snomed [
    1000000000000000, 1000000000000100, 1000000000000200, 1000000000000300, 1000000000000400,
    1000000000000500, 1000000000000600, 1000000000000700, 1000000000000800, 1000000000000900,
    1000000000000000, 1000000000000100
  ], loinc ["8480-6"]
)");
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);)
    EXPECT_LE(line.size(), 100u) << line;
}

TEST(FormatSourceTest, CommentsStayWhereTheyWere) {
  const std::string text = R"(# About this file.

ruleset x version "1"  # trailing on the header
  # before the title
  title "X"
# Before the codes.
codes a = snomed [
  1, 2,  # the first two
  # the third
  3]
  measured in mmol/mol
  # why this conversion
  converting % by (value - 2.15) * 10.929
# at the end
)";
  const std::string out = format(text);
  EXPECT_EQ(out, R"(# About this file.

ruleset x version "1"  # trailing on the header
  # before the title
  title "X"

# Before the codes.
codes a = snomed [
    1, 2,  # the first two
    # the third
    3
  ]
  measured in mmol/mol
  # why this conversion
  converting % by (value - 2.15) * 10.929
# at the end
)");
  EXPECT_EQ(format(out), out);
}

TEST(FormatSourceTest, LongClausesWrapBeforeWhenAndOr) {
  const std::string text =
      "ruleset x version \"1\"\nreview r \"R\" merge when conditions >= 2 gather due within 3 "
      "months stage t tests \"T\"\nask burden \"How are you managing with your medicines and "
      "appointments? Is anything too much?\" when medicines >= 10 or conditions >= 3\n";
  EXPECT_EQ(format(text), R"(ruleset x version "1"

review r "R"
  merge when conditions >= 2
  gather due within 3 months
  stage t tests "T"
  ask burden "How are you managing with your medicines and appointments? Is anything too much?"
    when medicines >= 10 or conditions >= 3
)");
}

TEST(FormatSourceTest, SyntaxErrorsAreDiagnosticsAndNoText) {
  std::vector<Diagnostic> diagnostics;
  EXPECT_FALSE(format_source(SourceFile{"bad.concord", "ruleset x version \"1\"\ncodes = []\n"},
                             diagnostics));
  ASSERT_EQ(diagnostics.size(), 1u);
  EXPECT_EQ(diagnostics[0].code, "syntax");
  EXPECT_EQ(diagnostics[0].line, 2);
}

}  // namespace
}  // namespace concord::dsl
