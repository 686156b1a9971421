// Value sets built from other value sets, exclusions and refsets, and scores computed by
// functions: what the checker reports, what the compiled Program holds, and how a score
// decides a rule. The terminology and the functions are in-process fakes here; the plugins
// behind the same interfaces are tested in tests/plugins.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>

#include "concord/dsl/format_source.hpp"
#include "concord/dsl/library.hpp"
#include "concord/runtime/evaluate.hpp"
#include "loading.hpp"

namespace concord::dsl {
namespace {

using test::with_code;

// Refsets and legacy maps held in memory.
class FakeTerminology final : public runtime::Terminology {
 public:
  std::map<std::string, std::vector<std::string>, std::less<>> refsets;
  std::map<std::string, std::vector<runtime::Code>, std::less<>> legacy;

  std::optional<std::vector<std::string>> refset_members(std::string_view id) const override {
    const auto it = refsets.find(id);
    if (it == refsets.end()) return std::nullopt;
    return it->second;
  }
  std::vector<runtime::Code> legacy_codes_for(std::string_view snomed_concept) const override {
    const auto it = legacy.find(snomed_concept);
    return it == legacy.end() ? std::vector<runtime::Code>{} : it->second;
  }
};

// Functions whose values the test sets, counting how often each is called.
class FakeFunctions final : public runtime::Functions {
 public:
  explicit FakeFunctions(std::vector<std::string> names) : names_(std::move(names)) {
    values.resize(names_.size());
    calls.resize(names_.size());
  }
  std::optional<std::size_t> find(std::string_view name) const override {
    const auto it = std::find(names_.begin(), names_.end(), name);
    if (it == names_.end()) return std::nullopt;
    return static_cast<std::size_t>(it - names_.begin());
  }
  const std::vector<std::string>& names() const override { return names_; }
  std::optional<double> call(std::size_t slot, const runtime::Record&,
                             runtime::Date) const override {
    ++calls[slot];
    return values[slot];
  }

  std::vector<std::optional<double>> values;
  mutable std::vector<int> calls;

 private:
  std::vector<std::string> names_;
};

LoadResult load(const std::string& text, const Extensions& extensions = {}) {
  return compile_sources({{"lib.concord", text}}, extensions);
}

// The codes of a value set of the Program, as sorted "system|code" keys.
std::vector<std::string> codes_of(const runtime::Program& program, std::string_view name) {
  const auto set = std::find_if(program.value_sets.begin(), program.value_sets.end(),
                                [&](const auto& v) { return v.name == name; });
  EXPECT_NE(set, program.value_sets.end()) << name;
  const auto index = static_cast<runtime::ValueSetIndex>(set - program.value_sets.begin());
  std::vector<std::string> keys;
  for (const auto& [key, sets] : program.code_index) {
    if (std::find(sets.begin(), sets.end(), index) != sets.end()) keys.push_back(key);
  }
  std::sort(keys.begin(), keys.end());
  return keys;
}

std::string key(const char* system, const char* code) {
  return runtime::code_key(system, code);
}

const std::string header = "ruleset lib version \"1\"\n";
// A condition and a check that use `all`, so that no list is reported unused.
const std::string uses_all =
    "condition c \"C\" present when diagnosis in all\n"
    "check k \"K\" stage tests every 12 months done by record in all\n";

TEST(ValueSetsTest, AListTakesInOtherListsAndLosesItsExclusions) {
  const LoadResult result = load(header +
                                 "codes hypertension = snomed [38341003]\n"
                                 "codes af = snomed [49436004], loinc [\"AF-1\"]\n"
                                 "codes all = hypertension, af, loinc [\"X\"] except loinc "
                                 "[\"AF-1\"]\n" +
                                 uses_all);
  ASSERT_TRUE(result.program) << format_text(result.diagnostics, result.sources);
  EXPECT_EQ(codes_of(*result.program, "all"),
            (std::vector<std::string>{key("loinc", "X"), key("snomed", "38341003"),
                                      key("snomed", "49436004")}));
  // The lists taken in keep their own codes, and count as used.
  EXPECT_EQ(codes_of(*result.program, "af").size(), 2u);
  EXPECT_TRUE(with_code(result, "unused").empty());
}

TEST(ValueSetsTest, AnExclusionMayNameAnotherList) {
  const LoadResult result = load(header +
                                 "codes gone = snomed [38341003]\n"
                                 "codes all = snomed [38341003, 49436004] except gone\n" +
                                 uses_all);
  ASSERT_TRUE(result.program) << format_text(result.diagnostics, result.sources);
  EXPECT_EQ(codes_of(*result.program, "all"), std::vector<std::string>{key("snomed", "49436004")});
}

TEST(ValueSetsTest, AListDeclaredLaterOrInAnotherFileCanBeTakenIn) {
  const LoadResult result =
      compile_sources({{"a.concord", header + "codes all = more\n" + uses_all},
                       {"b.concord", "ruleset b version \"1\"\ncodes more = snomed [38341003]\n"}});
  ASSERT_TRUE(result.program) << format_text(result.diagnostics, result.sources);
  EXPECT_EQ(codes_of(*result.program, "all"), std::vector<std::string>{key("snomed", "38341003")});
}

TEST(ValueSetsTest, ListsThatTakeThemselvesInAreACycle) {
  const LoadResult result = load(header +
                                 "codes all = snomed [38341003], other\n"
                                 "codes other = loinc [\"X\"], all\n"
                                 "codes me = me\n" +
                                 uses_all);
  EXPECT_FALSE(result.program);
  const auto cycles = with_code(result, "codes-cycle");
  ASSERT_EQ(cycles.size(), 2u) << format_text(result.diagnostics, result.sources);
  EXPECT_EQ(cycles[0].line, 3);
  EXPECT_NE(cycles[0].message.find("all -> other -> all"), std::string::npos) << cycles[0].message;
  EXPECT_EQ(cycles[1].line, 4);
  EXPECT_EQ(cycles[1].column, 12);
}

TEST(ValueSetsTest, AMisspelledListNameIsUnknownWithASuggestion) {
  const LoadResult result = load(header +
                                 "codes hypertension = snomed [38341003]\n"
                                 "codes all = hypertensoin\n" +
                                 uses_all);
  const auto unknown = with_code(result, "unknown-name");
  ASSERT_EQ(unknown.size(), 1u);
  EXPECT_EQ(unknown[0].line, 3);
  EXPECT_EQ(unknown[0].column, 13);
  EXPECT_NE(unknown[0].hint.find("'hypertension'"), std::string::npos) << unknown[0].hint;
}

TEST(ValueSetsTest, ACodeSystemWithoutCodesSaysSo) {
  const LoadResult result = load(header + "codes all = snomed\n" + uses_all);
  const auto bad = with_code(result, "bad-code");
  ASSERT_EQ(bad.size(), 1u) << format_text(result.diagnostics, result.sources);
  EXPECT_NE(bad[0].hint.find("snomed [123456"), std::string::npos) << bad[0].hint;
}

TEST(ValueSetsTest, AMisspelledCodeSystemIsASyntaxErrorNamingWhatIsExpected) {
  const LoadResult result = load(header + "codes all = snomd [38341003]\n" + uses_all);
  ASSERT_FALSE(result.diagnostics.empty());
  EXPECT_EQ(result.diagnostics[0].line, 2);
  EXPECT_EQ(result.diagnostics[0].column, 13);
  EXPECT_NE(result.diagnostics[0].message.find("a code system"), std::string::npos)
      << result.diagnostics[0].message;
}

TEST(ValueSetsTest, ExcludingEverythingIsAWarning) {
  const LoadResult result =
      load(header + "codes all = snomed [38341003] except snomed [38341003]\n" + uses_all);
  ASSERT_TRUE(result.program);
  const auto empty = with_code(result, "empty-codes");
  ASSERT_EQ(empty.size(), 1u);
  EXPECT_EQ(empty[0].severity, Severity::warning);
}

TEST(RefsetTest, ARefsetWithoutATerminologyIsAnErrorThatSaysWhatToInstall) {
  const LoadResult result = load(header + "codes all = refset \"AFIB_COD\"\n" + uses_all);
  EXPECT_FALSE(result.program);
  const auto missing = with_code(result, "no-terminology");
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_EQ(missing[0].line, 2);
  EXPECT_EQ(missing[0].column, 13);
  EXPECT_NE(missing[0].hint.find("terminology plugin"), std::string::npos);
}

TEST(RefsetTest, RefsetMembersAndTheirLegacyCodesJoinTheList) {
  auto terminology = std::make_shared<FakeTerminology>();
  terminology->refsets["AFIB_COD"] = {"49436004", "440028005"};
  terminology->refsets["999012891000230104"] = {"38341003"};
  terminology->legacy["49436004"] = {runtime::Code("read2", "G573."),
                                     runtime::Code("ctv3", "G573.")};
  const LoadResult result =
      load(header + "codes all = refset \"AFIB_COD\", refset 999012891000230104\n" + uses_all,
           {terminology, nullptr});
  ASSERT_TRUE(result.program) << format_text(result.diagnostics, result.sources);
  EXPECT_EQ(codes_of(*result.program, "all"),
            (std::vector<std::string>{key("ctv3", "G573."), key("read2", "G573."),
                                      key("snomed", "38341003"), key("snomed", "440028005"),
                                      key("snomed", "49436004")}));
}

TEST(RefsetTest, ARecordCodedInReadV2MatchesThroughTheMap) {
  auto terminology = std::make_shared<FakeTerminology>();
  terminology->legacy["49436004"] = {runtime::Code("read2", "G573.")};
  const LoadResult result =
      load(header + "codes all = snomed [49436004]\n" + uses_all, {terminology, nullptr});
  ASSERT_TRUE(result.program) << format_text(result.diagnostics, result.sources);
  const runtime::Record record = test::with_diagnosis("read2", "G573.");
  const auto e = runtime::evaluate(*result.program, record, test::day("2021-01-01"));
  EXPECT_EQ(e.conditions.size(), 1u);
}

TEST(RefsetTest, AnUnknownRefsetAndAnExcludedRefsetMember) {
  auto terminology = std::make_shared<FakeTerminology>();
  terminology->refsets["AFIB_COD"] = {"49436004", "440028005"};
  const LoadResult unknown =
      load(header + "codes all = refset \"AFIB_CDO\"\n" + uses_all, {terminology, nullptr});
  EXPECT_EQ(with_code(unknown, "unknown-refset").size(), 1u);
  const LoadResult except =
      load(header + "codes all = refset \"AFIB_COD\" except snomed [440028005]\n" + uses_all,
           {terminology, nullptr});
  ASSERT_TRUE(except.program) << format_text(except.diagnostics, except.sources);
  EXPECT_EQ(codes_of(*except.program, "all"), std::vector<std::string>{key("snomed", "49436004")});
}

TEST(RefsetTest, ARefsetMemberThatIsNotAConceptIdIsAnError) {
  auto terminology = std::make_shared<FakeTerminology>();
  terminology->refsets["BAD"] = {"12345"};
  const LoadResult result =
      load(header + "codes all = refset \"BAD\"\n" + uses_all, {terminology, nullptr});
  EXPECT_FALSE(result.program);
  EXPECT_EQ(with_code(result, "bad-code").size(), 1u);
}

const std::string af =
    header +
    "codes af_dx = snomed [49436004]\n"
    "codes risk = loinc [\"RISK\"] measured in {score}\n"
    "condition af \"Atrial fibrillation\"\n"
    "  present when diagnosis in af_dx\n"
    "check stroke_risk \"Stroke risk\" stage tests every 12 months\n"
    "  done by record in af_dx\n"
    "  target latest risk <= 1 {score} when score cha2ds2_vasc >= 2 and not score "
    "cha2ds2_vasc > 9\n";

TEST(ScoreTest, AScoreWithoutFunctionsIsAnErrorThatSaysWhatToInstall) {
  const LoadResult result = load(af);
  EXPECT_FALSE(result.program);
  const auto missing = with_code(result, "no-functions");
  ASSERT_EQ(missing.size(), 1u) << format_text(result.diagnostics, result.sources);
  EXPECT_EQ(missing[0].line, 8);
  EXPECT_NE(missing[0].hint.find("clinical plugin"), std::string::npos);
}

TEST(ScoreTest, AMisspelledScoreIsUnknownWithASuggestion) {
  auto functions = std::make_shared<FakeFunctions>(std::vector<std::string>{"cha2ds2_vasc", "efi"});
  std::string text = af;
  text.replace(text.find("score cha2ds2_vasc >= 2"), 23, "score chads2_vasc >= 2");
  const LoadResult result = load(text, {nullptr, functions});
  const auto unknown = with_code(result, "unknown-name");
  ASSERT_EQ(unknown.size(), 1u) << format_text(result.diagnostics, result.sources);
  EXPECT_NE(unknown[0].message.find("score 'chads2_vasc'"), std::string::npos);
  EXPECT_NE(unknown[0].hint.find("'cha2ds2_vasc'"), std::string::npos);
}

TEST(ScoreTest, TheScoreDecidesTheRuleAndIsComputedOncePerEvaluation) {
  auto functions = std::make_shared<FakeFunctions>(std::vector<std::string>{"efi", "cha2ds2_vasc"});
  const LoadResult result = load(af, {nullptr, functions});
  ASSERT_TRUE(result.program) << format_text(result.diagnostics, result.sources);
  const runtime::Program& program = *result.program;
  const runtime::Record record = test::with_diagnosis("snomed", "49436004");

  const auto target_applies = [&]() {
    const auto e = runtime::evaluate(program, record, test::day("2021-01-01"));
    EXPECT_EQ(e.reminders.size(), 1u);
    return !e.reminders.empty() && e.reminders.front().target.has_value();
  };
  functions->values[1] = 3;
  EXPECT_TRUE(target_applies());
  EXPECT_EQ(functions->calls[1], 1);  // asked twice by the rule, computed once
  EXPECT_EQ(functions->calls[0], 0);  // a function no rule names is never called
  functions->values[1] = 1;
  EXPECT_FALSE(target_applies());
  functions->values[1] = 10;
  EXPECT_FALSE(target_applies());
  functions->values[1] = std::nullopt;  // cannot be computed: no comparison holds
  EXPECT_FALSE(target_applies());
}

TEST(ValueSetsTest, TheCanonicalLayoutKeepsPartsExclusionsRefsetsAndScores) {
  const std::string text = header +
                           "codes all = snomed [38341003], other, refset \"AFIB_COD\"   except "
                           "snomed [49436004],gone\n"
                           "codes more = refset   999012891000230104\n"
                           "condition c \"C\"\n"
                           "  present when diagnosis in all and score efi >= 0.25\n";
  std::vector<Diagnostic> diagnostics;
  const auto formatted = format_source(SourceFile{"lib.concord", text}, diagnostics);
  ASSERT_TRUE(formatted) << format_text(diagnostics, {{"lib.concord", text}});
  EXPECT_EQ(*formatted,
            "ruleset lib version \"1\"\n\n"
            "codes all = snomed [38341003], other, refset \"AFIB_COD\" except "
            "snomed [49436004], gone\n\n"
            "codes more = refset 999012891000230104\n\n"
            "condition c \"C\"\n"
            "  present when diagnosis in all and score efi >= 0.25\n");
  const auto again = format_source(SourceFile{"lib.concord", *formatted}, diagnostics);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, *formatted);
}

}  // namespace
}  // namespace concord::dsl
