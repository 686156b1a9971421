// The whole path on real data: shipped rulesets → language front end → Program; a Synthea
// FHIR bundle → FHIR reader → Record; evaluate and merge.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "concord/dsl/library.hpp"
#include "concord/fhir/read.hpp"
#include "concord/runtime/evaluate.hpp"

namespace concord {
namespace {

using runtime::Date;
using runtime::ReminderStatus;

const runtime::Program& shipped() {
  static const dsl::LoadResult library = dsl::load_library({CONCORD_SOURCE_RULESETS});
  EXPECT_TRUE(library.ok()) << dsl::format_text(library.diagnostics, library.sources);
  return *library.program;
}

runtime::Record read_one(const std::filesystem::path& path) {
  fhir::ReadResult read = fhir::read_json_file(path);
  EXPECT_FALSE(read.error) << path;
  EXPECT_EQ(read.records.size(), 1u) << path;
  return read.records.empty() ? runtime::Record{} : std::move(read.records.front());
}

std::vector<std::string> condition_ids(const runtime::Program& p, const runtime::Evaluation& e) {
  std::vector<std::string> ids;
  for (const auto& c : e.conditions)
    ids.push_back(p.conditions[c.condition].id);
  return ids;
}

TEST(EndToEndTest, ShippedRulesetsCompileWithTheirConditionsAndReview) {
  const runtime::Program& p = shipped();
  ASSERT_TRUE(p.review);
  EXPECT_EQ(p.review->id, "ltc");
  std::vector<std::string> ids;
  for (const auto& c : p.conditions)
    ids.push_back(c.id);
  EXPECT_NE(std::find(ids.begin(), ids.end(), "diabetes"), ids.end());
  EXPECT_NE(std::find(ids.begin(), ids.end(), "hypertension"), ids.end());
}

// Morris Lockman (Synthea): type 2 diabetes and hypertension since 2010-12-31, tests last
// done 2020-12-25, no foot check, eye screening or medication review on record.
TEST(EndToEndTest, SyntheaPersonWithDiabetesAndHypertensionGetsOneReviewWithOneBpCheck) {
  const runtime::Program& p = shipped();
  const runtime::Record record = read_one(std::filesystem::path(CONCORD_TEST_DATA) / "synthea" /
                                          "cd9e9826-aea1-4682-adc0-c1d97633bf31.json");
  const runtime::Evaluation e = runtime::evaluate(p, record, *Date::parse_iso("2021-11-01"));

  EXPECT_EQ(condition_ids(p, e), (std::vector<std::string>{"diabetes", "hypertension"}));
  ASSERT_TRUE(e.review);
  EXPECT_TRUE(e.review->merged);
  EXPECT_EQ(std::count(e.review->checks.begin(), e.review->checks.end(), "bp"), 1);

  int bp_reminders = 0;
  for (const auto& r : e.reminders) {
    if (p.checks[r.check].id != "bp") continue;
    ++bp_reminders;
    EXPECT_EQ(r.last_done->iso(), "2020-12-25");
    EXPECT_EQ(r.status, ReminderStatus::due);  // due 2021-12-25, within 3 months
  }
  EXPECT_EQ(bp_reminders, 2);
  // Diabetes raises 11 reminders (with flu) and hypertension 3, all due or overdue.
  EXPECT_EQ(e.review->replaces, 14);
  EXPECT_EQ(e.review->checks.size(), 11u);
  // Tests three weeks before the conversation, which waits for nothing (foot check overdue).
  EXPECT_EQ(e.review->due_date.iso(), "2021-11-22");
  EXPECT_EQ(e.review->stages.front().date.iso(), "2021-11-01");
}

runtime::Record sample_with(const char* snomed, const char* when) {
  runtime::Record record = read_one(std::filesystem::path(CONCORD_TEST_DATA) / "synthea" /
                                    "cd9e9826-aea1-4682-adc0-c1d97633bf31.json");
  runtime::Event e;
  e.id = "added";
  e.codes = {runtime::Code(runtime::code_system::snomed, snomed)};
  e.date = runtime::RecordedDate::parse(when);
  record.events.push_back(e);
  return record;
}

// BPDEC_COD "Blood pressure procedure refused" is check-scoped in the shipped rulesets.
TEST(EndToEndTest, ShippedRulesetsSuppressBloodPressureForEveryConditionWhenRefused) {
  const runtime::Program& p = shipped();
  const runtime::Record record = sample_with("413123006", "2021-09-01");
  const runtime::Evaluation e = runtime::evaluate(p, record, *Date::parse_iso("2021-11-01"));
  for (const auto& r : e.reminders) {
    if (p.checks[r.check].id != "bp") continue;
    EXPECT_EQ(r.status, ReminderStatus::suppressed);
    EXPECT_EQ(r.suppressed_reason, "declined");
    EXPECT_EQ(r.suppressed_until->iso(), "2022-09-01");
  }
  ASSERT_TRUE(e.review);
  EXPECT_EQ(std::count(e.review->checks.begin(), e.review->checks.end(), "bp"), 0);
  EXPECT_EQ(e.review->suppressed.size(), 2u);
}

// HYPPCADEC_COD is condition-scoped: diabetes still needs its BP.
TEST(EndToEndTest, ShippedRulesetsKeepDiabetesBpWhenHypertensionIsExcepted) {
  const runtime::Program& p = shipped();
  const runtime::Record record = sample_with("716771000000106", "2021-09-01");
  const runtime::Evaluation e = runtime::evaluate(p, record, *Date::parse_iso("2021-11-01"));
  ASSERT_TRUE(e.review);
  EXPECT_EQ(std::count(e.review->checks.begin(), e.review->checks.end(), "bp"), 1);
  for (const auto& r : e.reminders) {
    const bool hypertension = p.conditions[r.condition].id == "hypertension";
    EXPECT_EQ(r.suppressed_reason, hypertension ? "informed_dissent" : "");
  }
}

// PALCARE_COD "Palliative care" stops surveillance and prompts advance care planning.
TEST(EndToEndTest, ShippedRulesetsStopSurveillanceAtEndOfLife) {
  const runtime::Program& p = shipped();
  const runtime::Record record = sample_with("103735009", "2021-10-01");
  const runtime::Evaluation e = runtime::evaluate(p, record, *Date::parse_iso("2021-11-01"));
  ASSERT_TRUE(e.review);
  // Medicines and flu stay at the end of life (CLINICAL R5.eol).
  EXPECT_EQ(e.review->checks, (std::vector<std::string>{"flu_vaccine", "medication_review"}));
  bool asks_acp = false;
  for (const auto* prompt : e.review->prompts)
    asks_acp |= prompt->id == "advance_care_planning";
  EXPECT_TRUE(asks_acp);
}

// Every shared Synthea record: read, evaluated, and wherever a review exists, no check id
// appears twice in it or in any of its stages.
TEST(EndToEndTest, EverySyntheaRecordEvaluatesAndNoReviewRepeatsACheck) {
  const runtime::Program& p = shipped();
  const std::filesystem::path folder = std::filesystem::path(CONCORD_SHARED_DATA) / "synthea";
  if (!std::filesystem::is_directory(folder)) GTEST_SKIP() << "no shared data at " << folder;
  int records = 0, deceased = 0, merged = 0, both = 0, multi = 0;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    if (entry.path().extension() != ".json") continue;
    const runtime::Record record = read_one(entry.path());
    const runtime::Evaluation e = runtime::evaluate(p, record, *Date::parse_iso("2021-06-01"));
    ++records;
    if (e.deceased) {
      // Synthea records carry deceasedDateTime: nobody is reminded or invited after death.
      ++deceased;
      EXPECT_TRUE(e.reminders.empty()) << entry.path();
      EXPECT_FALSE(e.review) << entry.path();
      continue;
    }
    const auto ids = condition_ids(p, e);
    const auto has = [&ids](const char* id) {
      return std::find(ids.begin(), ids.end(), id) != ids.end();
    };
    if (has("diabetes") && has("hypertension")) ++both;
    if (ids.size() >= 2) ++multi;
    if (!e.review) continue;
    merged += e.review->merged;
    auto checks = e.review->checks;
    std::sort(checks.begin(), checks.end());
    EXPECT_EQ(std::adjacent_find(checks.begin(), checks.end()), checks.end()) << entry.path();
    if (ids.size() >= 2) {
      EXPECT_TRUE(e.review->merged) << entry.path();
    }
  }
  EXPECT_EQ(records, 147);
  EXPECT_EQ(deceased, 74);   // every death in these records is before 2021-06-01
  EXPECT_GT(both, 5);        // diabetes and hypertension together
  EXPECT_GT(multi, both);    // CHD, stroke/TIA, heart failure, COPD, dementia add people
  EXPECT_GE(merged, multi);  // one condition with 10+ medicines merges too
}

}  // namespace
}  // namespace concord
