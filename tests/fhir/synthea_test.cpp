// The FHIR reader on real Synthea transaction Bundles from the shared data set.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "concord/fhir/read.hpp"

namespace concord::fhir {
namespace {

using runtime::EventKind;
using runtime::RecordedDate;

const std::filesystem::path kSynthea = CONCORD_SHARED_DATA "/synthea";

// A man born 1970 with hypertension and type 2 diabetes since 2010 (and prediabetes,
// neuropathy, a resolved pharyngitis), six HbA1c and six blood pressure readings.
const std::filesystem::path kDiabetesAndHypertension =
    kSynthea / "cd9e9826-aea1-4682-adc0-c1d97633bf31.json";

RecordedDate day(std::string_view iso) {
  return *RecordedDate::parse(iso);
}

bool has_code(const std::vector<runtime::Code>& codes, std::string_view key) {
  return std::any_of(codes.begin(), codes.end(),
                     [&](const runtime::Code& c) { return c.key() == key; });
}

std::vector<const runtime::Event*> observations_of(const runtime::Record& record,
                                                   std::string_view key) {
  std::vector<const runtime::Event*> found;
  for (const runtime::Event& e : record.events) {
    if (e.kind == EventKind::observation && has_code(e.codes, key)) found.push_back(&e);
  }
  return found;
}

const runtime::Event* latest(const std::vector<const runtime::Event*>& events) {
  const auto it = std::max_element(events.begin(), events.end(), [](const auto* a, const auto* b) {
    return a->date->date < b->date->date;
  });
  return it == events.end() ? nullptr : *it;
}

class SyntheaTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    result_ = new ReadResult(read_json_file(kDiabetesAndHypertension));
  }
  static void TearDownTestSuite() {
    delete result_;
    result_ = nullptr;
  }
  static const runtime::Record& record() { return result_->records.at(0); }
  static ReadResult* result_;
};
ReadResult* SyntheaTest::result_ = nullptr;

TEST_F(SyntheaTest, BundleReadsAsOnePatient) {
  ASSERT_FALSE(result_->error) << result_->error->message;
  ASSERT_EQ(result_->records.size(), 1u);
  EXPECT_EQ(record().id, "b218cee9-019d-47a4-b161-e97c0fd6f736");
  EXPECT_EQ(record().birth_date, day("1970-12-24"));
  EXPECT_EQ(record().sex, "male");
  // Claims, encounters and the like are counted once; nothing else is skipped.
  ASSERT_EQ(result_->warnings.size(), 1u);
  EXPECT_EQ(result_->warnings[0].message,
            "resource types not read: 1 CarePlan, 13 Claim, 14 DiagnosticReport, 11 Encounter, "
            "11 ExplanationOfBenefit, 2 Organization, 2 Practitioner");
}

TEST_F(SyntheaTest, BundleHasDiabetesAndHypertension) {
  const auto& diagnoses = record().diagnoses;
  ASSERT_EQ(diagnoses.size(), 9u);
  const auto find = [&](std::string_view key) {
    return std::find_if(diagnoses.begin(), diagnoses.end(),
                        [&](const runtime::Diagnosis& d) { return has_code(d.codes, key); });
  };
  const auto diabetes = find("snomed|44054006");
  ASSERT_NE(diabetes, diagnoses.end());
  EXPECT_EQ(diabetes->id, "e1edfa76-d3ab-4366-9d9d-81003203c4f8");
  EXPECT_EQ(diabetes->onset, day("2010-12-31"));
  EXPECT_FALSE(diabetes->abatement);
  EXPECT_FALSE(diabetes->resolved);
  EXPECT_FALSE(diabetes->refuted);
  EXPECT_EQ(diabetes->codes[0].display, "Diabetes");

  const auto hypertension = find("snomed|38341003");
  ASSERT_NE(hypertension, diagnoses.end());
  EXPECT_EQ(hypertension->onset, day("2010-12-31"));

  const auto pharyngitis = find("snomed|195662009");
  ASSERT_NE(pharyngitis, diagnoses.end());
  EXPECT_EQ(pharyngitis->onset, day("2017-07-02"));
  EXPECT_EQ(pharyngitis->abatement, day("2017-07-13"));
}

TEST_F(SyntheaTest, HbA1cReadingsWithTheLatestValueAndUnit) {
  const auto hba1c = observations_of(record(), "loinc|4548-4");
  ASSERT_EQ(hba1c.size(), 6u);
  const runtime::Event* last = latest(hba1c);
  ASSERT_NE(last, nullptr);
  EXPECT_EQ(last->date, day("2020-12-25"));
  ASSERT_TRUE(last->quantity);
  EXPECT_DOUBLE_EQ(last->quantity->value, 5.581346852428838);
  EXPECT_EQ(last->quantity->unit, "%");
}

TEST_F(SyntheaTest, BloodPressurePanelHasSystolicAndDiastolicComponents) {
  const auto panels = observations_of(record(), "loinc|55284-4");
  ASSERT_EQ(panels.size(), 6u);
  const runtime::Event* last = latest(panels);
  ASSERT_NE(last, nullptr);
  EXPECT_EQ(last->id, "644dc784-bfa7-487e-821a-a86183dec246");
  EXPECT_EQ(last->date, day("2020-12-25"));
  EXPECT_FALSE(last->quantity);
  ASSERT_EQ(last->components.size(), 2u);
  const auto component = [&](std::string_view key) -> const runtime::Component& {
    return *std::find_if(last->components.begin(), last->components.end(),
                         [&](const runtime::Component& c) { return has_code(c.codes, key); });
  };
  EXPECT_DOUBLE_EQ(component("loinc|8480-6").quantity->value, 172.6777895676835);
  EXPECT_DOUBLE_EQ(component("loinc|8462-4").quantity->value, 109.93420767045208);
  EXPECT_EQ(component("loinc|8480-6").quantity->unit, "mm[Hg]");
}

TEST_F(SyntheaTest, ImmunizationsProceduresMedicationsAndGoals) {
  const auto count = [&](EventKind kind) {
    return std::count_if(record().events.begin(), record().events.end(),
                         [&](const runtime::Event& e) { return e.kind == kind; });
  };
  EXPECT_EQ(count(EventKind::observation), 149);
  EXPECT_EQ(count(EventKind::procedure), 7);
  EXPECT_EQ(count(EventKind::immunization), 10);
  const auto flu =
      std::find_if(record().events.begin(), record().events.end(),
                   [](const runtime::Event& e) { return has_code(e.codes, "cvx|140"); });
  ASSERT_NE(flu, record().events.end());
  EXPECT_EQ(flu->date, day("2013-01-04"));

  const auto& meds = record().medications;
  ASSERT_EQ(meds.size(), 2u);
  EXPECT_EQ(meds[0].codes.at(0).key(), "http://www.nlm.nih.gov/research/umls/rxnorm|316049");
  EXPECT_EQ(meds[0].start, day("2010-12-31"));
  EXPECT_TRUE(meds[0].active);

  ASSERT_EQ(record().goals.size(), 5u);
  EXPECT_EQ(record().goals[0].text, "Hemoglobin A1c total in Blood < 7.0");
  EXPECT_FALSE(record().goals[0].recorded);  // Synthea gives its goals no date
}

TEST(SyntheaCorpusTest, EverySharedBundleReadsWithoutError) {
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(kSynthea)) {
    if (entry.path().extension() != ".json") continue;
    ++files;
    const ReadResult result = read_json_file(entry.path());
    ASSERT_FALSE(result.error) << entry.path() << ": " << result.error->message;
    ASSERT_EQ(result.records.size(), 1u) << entry.path();
    const runtime::Record& record = result.records[0];
    EXPECT_FALSE(record.id.empty()) << entry.path();
    EXPECT_TRUE(record.birth_date) << entry.path();
    EXPECT_FALSE(record.events.empty()) << entry.path();
    // Only the count of resource types not read: every date and value in Synthea is readable.
    EXPECT_LE(result.warnings.size(), 1u) << entry.path() << ": " << result.warnings.back().where
                                          << " " << result.warnings.back().message;
  }
  EXPECT_EQ(files, 147u);
}

}  // namespace
}  // namespace concord::fhir
