// The GP2GP reader on a hand-written extract and on the 11 real NHS test extracts.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "concord/gp2gp/read.hpp"

namespace concord::gp2gp {
namespace {

const std::string kData = CONCORD_TEST_DATA "/gp2gp/";
const std::filesystem::path kExtracts = CONCORD_SHARED_DATA "/gp2gp";

const runtime::Event* event_with_id(const runtime::Record& r, std::string_view id) {
  for (const runtime::Event& e : r.events) {
    if (e.id == id) return &e;
  }
  return nullptr;
}

TEST(Gp2gpReaderTest, SmallExtractGivesPersonProblemsObservationsAndMedicines) {
  const ReadResult result = read_file(kData + "small_extract.xml");
  ASSERT_FALSE(result.error) << result.error->message;
  ASSERT_EQ(result.records.size(), 1u);
  const runtime::Record& person = result.records[0];
  EXPECT_EQ(person.id, "9990001112");
  EXPECT_EQ(person.source, "small_extract.xml");
  EXPECT_EQ(person.birth_date->text(), "1951-06-12");
  EXPECT_EQ(person.sex, "female");

  // Problems: codes from the named statement (SNOMED CT first, then Read v2 and CTV3),
  // onset from the LinkSet; an inactive problem is resolved; a dangling one is skipped.
  ASSERT_EQ(person.diagnoses.size(), 2u);
  const runtime::Diagnosis& diabetes = person.diagnoses[0];
  EXPECT_EQ(diabetes.id, "PROB-DM");
  ASSERT_EQ(diabetes.codes.size(), 3u);
  EXPECT_EQ(diabetes.codes[0].key(), "snomed|44054006");
  EXPECT_EQ(diabetes.codes[1].key(), "read2|C10F.");
  EXPECT_EQ(diabetes.codes[2].key(), "ctv3|X40J5");
  EXPECT_EQ(diabetes.onset->text(), "2015-03-17");
  EXPECT_FALSE(diabetes.resolved);
  const runtime::Diagnosis& asthma = person.diagnoses[1];  // named before it is defined
  EXPECT_EQ(asthma.codes.at(0).key(), "snomed|195967001");
  EXPECT_EQ(asthma.onset->text(), "2001");
  EXPECT_TRUE(asthma.resolved);

  const runtime::Event* dm = event_with_id(person, "OBS-DM");
  ASSERT_NE(dm, nullptr);
  EXPECT_EQ(dm->date->text(), "2015-03");
  const runtime::Event* hba1c = event_with_id(person, "OBS-HBA1C");
  ASSERT_NE(hba1c, nullptr);
  EXPECT_DOUBLE_EQ(hba1c->quantity->value, 52);
  EXPECT_EQ(hba1c->quantity->unit, "mmol/mol");
  EXPECT_EQ(hba1c->date->text(), "2023-01-10");
  // A blood pressure battery is one event with two components, as GP Connect gives it.
  const runtime::Event* bp = event_with_id(person, "BP");
  ASSERT_NE(bp, nullptr);
  ASSERT_EQ(bp->components.size(), 2u);
  EXPECT_DOUBLE_EQ(bp->components[0].quantity->value, 142);
  EXPECT_EQ(event_with_id(person, "BP-SYS"), nullptr);
  // Allergies and plans are not read.
  EXPECT_EQ(event_with_id(person, "ALLERGY-1"), nullptr);
  EXPECT_EQ(event_with_id(person, "PLAN-1"), nullptr);
  // A bad date keeps the entry, without its date.
  const runtime::Event* bad = event_with_id(person, "OBS-BADDATE");
  ASSERT_NE(bad, nullptr);
  EXPECT_FALSE(bad->date);

  ASSERT_EQ(person.medications.size(), 2u);
  EXPECT_EQ(person.medications[0].id, "AUTH-1");
  EXPECT_TRUE(person.medications[0].active);
  EXPECT_EQ(person.medications[0].start->text(), "2022-02-02");
  EXPECT_EQ(person.medications[1].id, "ISSUE-1");
  EXPECT_FALSE(person.medications[1].active);
  EXPECT_EQ(person.medications[1].start->text(), "2022-03-01");

  // Warnings: the dangling problem, the bad date, and the summary of what was not read.
  ASSERT_EQ(result.warnings.size(), 3u);
  EXPECT_NE(result.warnings.back().message.find("1 allergy"), std::string::npos);
  EXPECT_NE(result.warnings.back().message.find("1 plan"), std::string::npos);
  for (const ReadIssue& w : result.warnings)
    EXPECT_NE(w.where.find(':'), std::string::npos) << w.message;  // line:col
}

TEST(Gp2gpReaderTest, MalformedAndForeignXmlAreErrors) {
  const ReadResult malformed =
      read_xml("<EhrExtract xmlns=\"urn:hl7-org:v3\">\n  <component>\n</EhrExtract>", "bad.xml");
  ASSERT_TRUE(malformed.error);
  EXPECT_EQ(malformed.error->where, "3:3");
  const ReadResult fhir = read_xml("<Bundle xmlns=\"http://hl7.org/fhir\"/>", "fhir.xml");
  ASSERT_TRUE(fhir.error);
  EXPECT_NE(fhir.error->message.find("not a GP2GP EHR Extract"), std::string::npos);
  EXPECT_TRUE(read_xml("", "empty.xml").error);
  EXPECT_TRUE(read_file(kData + "missing.xml").error);
}

TEST(Gp2gpReaderTest, EmptyExtractGivesAnEmptyRecordWithWarnings) {
  const ReadResult result =
      read_xml("<EhrExtract xmlns=\"urn:hl7-org:v3\"><recordTarget/></EhrExtract>", "e.xml");
  ASSERT_FALSE(result.error);
  ASSERT_EQ(result.records.size(), 1u);
  EXPECT_EQ(result.records[0].id, "");
  EXPECT_EQ(result.warnings.size(), 2u);  // no NHS number, no ehrFolder
}

TEST(Gp2gpReaderTest, DeeplyNestedStatementsDoNotOverflow) {
  std::string text =
      "<EhrExtract xmlns=\"urn:hl7-org:v3\"><component><ehrFolder><component><ehrComposition>";
  for (int i = 0; i < 3000; ++i)
    text += "<component><CompoundStatement classCode=\"CATEGORY\">";
  for (int i = 0; i < 3000; ++i)
    text += "</CompoundStatement></component>";
  text += "</ehrComposition></component></ehrFolder></component></EhrExtract>";
  const ReadResult result = read_xml(text, "deep.xml");
  ASSERT_FALSE(result.error);
  EXPECT_FALSE(result.warnings.empty());
}

TEST(Gp2gpReaderTest, CodeSystemOidsMapToTokens) {
  EXPECT_EQ(system_token("2.16.840.1.113883.2.1.3.2.4.15"), "snomed");
  EXPECT_EQ(system_token("2.16.840.1.113883.2.1.6.2"), "read2");
  EXPECT_EQ(system_token("2.16.840.1.113883.2.1.3.2.4.14"), "ctv3");
  EXPECT_EQ(system_token("1.2.3"), "urn:oid:1.2.3");
}

// What the 11 real extracts give: conditions (problems), events (observations) and
// medicines (authorisations + issues), per person. Written down so a change shows.
TEST(Gp2gpReaderTest, ElevenRealExtractsGiveTheExpectedFacts) {
  struct Counts {
    std::size_t conditions, events, medications, active_medications;
  };
  const std::map<std::string, Counts> expected{
      {"9465698490_Daniels", {1, 7, 225, 33}}, {"9465698679_Gainsford", {13, 23, 1, 1}},
      {"9465699918_Magre", {4, 27, 57, 14}},   {"9465700088_Mold", {0, 207, 0, 0}},
      {"9465700193_Birdi", {0, 1, 0, 0}},      {"9465700339_Yamura", {0, 123, 1, 0}},
      {"9465701262_Meyers", {15, 36, 47, 2}},  {"9465701297_Livermore", {8, 78, 11, 4}},
      {"9465701459_Nel", {8, 21, 80, 2}},      {"9465701483_Dougill", {0, 97, 0, 0}},
      {"9465701718_Guerra", {0, 163, 0, 0}},
  };
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(kExtracts)) {
    const std::string name = entry.path().filename().string();
    const std::string key = name.substr(0, name.find("_full"));
    SCOPED_TRACE(key);
    const ReadResult result = read_file(entry.path());
    ASSERT_FALSE(result.error) << result.error->message;
    ASSERT_EQ(result.records.size(), 1u);
    const runtime::Record& r = result.records[0];
    EXPECT_EQ(r.id, "1234567890");  // the NHS test number every extract carries
    const Counts& want = expected.at(key);
    const auto active = static_cast<std::size_t>(std::count_if(
        r.medications.begin(), r.medications.end(), [](auto& m) { return m.active; }));
    EXPECT_EQ(r.diagnoses.size(), want.conditions);
    EXPECT_EQ(r.events.size(), want.events);
    EXPECT_EQ(r.medications.size(), want.medications);
    EXPECT_EQ(active, want.active_medications);
    ++files;
  }
  EXPECT_EQ(files, 11u);
}

}  // namespace
}  // namespace concord::gp2gp
