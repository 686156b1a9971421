// GP Connect Access Record: Structured (FHIR STU3, CareConnect profiles) on the 11 real NHS
// test patients, and STU3's differences from R4 on small inputs.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "concord/fhir/read.hpp"

namespace concord::fhir {
namespace {

const std::filesystem::path kGpConnect = CONCORD_SHARED_DATA "/gpconnect";

bool has_code(const std::vector<runtime::Code>& codes, std::string_view key) {
  return std::any_of(codes.begin(), codes.end(),
                     [&](const runtime::Code& c) { return c.key() == key; });
}

TEST(GpConnectTest, AllElevenBundlesReadAsStu3WithOnePersonEach) {
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(kGpConnect)) {
    if (entry.path().extension() != ".json") continue;
    ++files;
    SCOPED_TRACE(entry.path().filename().string());
    const ReadResult result = read_json_file(entry.path());
    ASSERT_FALSE(result.error) << result.error->message;
    EXPECT_EQ(result.format, "FHIR STU3 JSON");
    ASSERT_EQ(result.records.size(), 1u);
    EXPECT_TRUE(result.records[0].birth_date);
    EXPECT_FALSE(result.records[0].sex.empty());
    // Only the "types not read" summary: every read resource is understood.
    EXPECT_EQ(result.warnings.size(), 1u) << result.warnings.back().message;
  }
  EXPECT_EQ(files, 11u);
}

TEST(GpConnectTest, MeyersProblemsMedicinesAndVaccinationsAreRead) {
  const ReadResult result = read_json_file(kGpConnect / "9465701262_Meyers_full_20210602.json");
  ASSERT_FALSE(result.error);
  const runtime::Record& person = result.records.at(0);
  EXPECT_EQ(person.sex, "male");
  EXPECT_EQ(person.birth_date->text(), "1946-04-10");
  EXPECT_EQ(person.diagnoses.size(), 15u);
  // 27 MedicationStatements (authorisations) and 21 issues; the 27 plans they restate are
  // not read twice.
  EXPECT_EQ(person.medications.size(), 48u);
  // Vaccinations: the vaccineCode is a null flavour; the CareConnect extension's SNOMED CT
  // procedure is the code.
  const auto vaccination = std::find_if(person.events.begin(), person.events.end(), [](auto& e) {
    return e.kind == runtime::EventKind::immunization && has_code(e.codes, "snomed|314415008");
  });
  ASSERT_NE(vaccination, person.events.end());
  EXPECT_FALSE(has_code(vaccination->codes, "http://hl7.org/fhir/v3/NullFlavor|UNK"));
  EXPECT_FALSE(vaccination->date);  // this one records no date ("Date of Entry unpopulated")
  // STU3 dates an Immunization in 'date' (R4: occurrenceDateTime).
  EXPECT_TRUE(std::any_of(person.events.begin(), person.events.end(), [](auto& e) {
    return e.kind == runtime::EventKind::immunization && e.date.has_value();
  }));
  // The SNOMED CT description the clinician picked is kept beside the concept.
  const auto wart = std::find_if(person.events.begin(), person.events.end(),
                                 [](auto& e) { return has_code(e.codes, "snomed|240534005"); });
  ASSERT_NE(wart, person.events.end());
  EXPECT_TRUE(has_code(wart->codes, "snomed|360300017"));
}

TEST(GpConnectTest, Stu3StatusCodesAndFlagsAreUnderstood) {
  const ReadResult result = read_json(R"({
    "resourceType": "Bundle", "type": "collection",
    "meta": {"profile": ["https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-StructuredRecord-Bundle-1"]},
    "entry": [
      {"resource": {"resourceType": "Patient", "id": "p"}},
      {"resource": {"resourceType": "Condition", "id": "resolved", "clinicalStatus": "resolved",
        "code": {"coding": [{"system": "http://snomed.info/sct", "code": "195967001"}]},
        "subject": {"reference": "Patient/p"}}},
      {"resource": {"resourceType": "Condition", "id": "refuted", "verificationStatus": "refuted",
        "code": {"coding": [{"system": "http://snomed.info/sct", "code": "38341003"}]},
        "subject": {"reference": "Patient/p"}}},
      {"resource": {"resourceType": "Immunization", "id": "not-given", "status": "completed",
        "notGiven": true, "patient": {"reference": "Patient/p"}, "date": "2020-01-01",
        "vaccineCode": {"coding": [{"system": "http://snomed.info/sct", "code": "1"}]}}},
      {"resource": {"resourceType": "Immunization", "id": "given", "status": "completed",
        "notGiven": false, "patient": {"reference": "Patient/p"}, "date": "2020-02-02",
        "vaccineCode": {"coding": [{"system": "http://snomed.info/sct", "code": "2"}]}}},
      {"resource": {"resourceType": "MedicationStatement", "id": "not-taken", "status": "active",
        "taken": "n", "subject": {"reference": "Patient/p"},
        "basedOn": [{"reference": "MedicationRequest/plan"}],
        "medicationCodeableConcept": {"coding": [{"system": "http://snomed.info/sct", "code": "3"}]}}},
      {"resource": {"resourceType": "MedicationRequest", "id": "plan", "intent": "plan",
        "status": "active", "subject": {"reference": "Patient/p"},
        "medicationCodeableConcept": {"coding": [{"system": "http://snomed.info/sct", "code": "3"}]}}},
      {"resource": {"resourceType": "MedicationRequest", "id": "issue", "intent": "order",
        "status": "completed", "subject": {"reference": "Patient/p"}, "authoredOn": "2020-03-01",
        "dispenseRequest": {"validityPeriod": {"start": "2020-03-05"}},
        "medicationCodeableConcept": {"coding": [{"system": "http://snomed.info/sct", "code": "3"}]}}}
    ]})",
                                      "stu3.json");
  ASSERT_FALSE(result.error);
  EXPECT_EQ(result.format, "FHIR STU3 JSON");
  const runtime::Record& person = result.records.at(0);
  ASSERT_EQ(person.diagnoses.size(), 2u);
  EXPECT_TRUE(person.diagnoses[0].resolved);
  EXPECT_TRUE(person.diagnoses[1].refuted);
  ASSERT_EQ(person.events.size(), 1u);
  EXPECT_EQ(person.events[0].id, "given");
  EXPECT_EQ(person.events[0].date->text(), "2020-02-02");
  ASSERT_EQ(person.medications.size(), 2u);
  EXPECT_EQ(person.medications[0].id, "not-taken");
  EXPECT_FALSE(person.medications[0].active);
  EXPECT_EQ(person.medications[1].id, "issue");
  EXPECT_EQ(person.medications[1].start->text(), "2020-03-05");
}

TEST(GpConnectTest, R4BundleIsStillReadAsR4) {
  const ReadResult result =
      read_json(R"({"resourceType": "Patient", "id": "p", "gender": "other"})", "p.json");
  EXPECT_EQ(result.format, "FHIR R4 JSON");
}

}  // namespace
}  // namespace concord::fhir
