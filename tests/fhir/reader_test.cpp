// The FHIR reader on small hand-written inputs: grouping, statuses, dates, errors.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <string_view>

#include "concord/fhir/read.hpp"

namespace concord::fhir {
namespace {

using runtime::DatePrecision;
using runtime::EventKind;
using runtime::RecordedDate;

const std::string kData = CONCORD_TEST_DATA "/fhir/";

RecordedDate day(std::string_view iso) {
  return *RecordedDate::parse(iso);
}

bool has_warning_at(const ReadResult& result, std::string_view where) {
  return std::any_of(result.warnings.begin(), result.warnings.end(),
                     [&](const ReadIssue& w) { return w.where == where; });
}

TEST(FhirReaderTest, TwoPatientBundleSplitsFactsBySubject) {
  const ReadResult result = read_json_file(kData + "two_patients.json");
  ASSERT_FALSE(result.error) << result.error->message;
  ASSERT_EQ(result.records.size(), 2u);

  const runtime::Record& alice = result.records[0];
  EXPECT_EQ(alice.id, "alice");
  EXPECT_EQ(alice.sex, "female");
  EXPECT_EQ(alice.birth_date, day("1948-03-02"));
  EXPECT_EQ(alice.source, "two_patients.json");  // the file name, never the machine path
  ASSERT_EQ(alice.diagnoses.size(), 1u);
  EXPECT_EQ(alice.diagnoses[0].codes[0].key(), "snomed|73211009");
  ASSERT_EQ(alice.events.size(), 1u);  // the HbA1c, referenced by a versioned absolute URL
  EXPECT_EQ(alice.events[0].id, "o-alice");
  EXPECT_EQ(alice.events[0].date, day("2023-01-10"));
  EXPECT_EQ(alice.events[0].quantity->unit, "mmol/mol");

  const runtime::Record& bob = result.records[1];
  EXPECT_EQ(bob.id, "bob");
  EXPECT_EQ(bob.birth_date->precision, DatePrecision::year);
  ASSERT_EQ(bob.diagnoses.size(), 1u);
  EXPECT_EQ(bob.diagnoses[0].codes[0].key(), "snomed|38341003");
  ASSERT_EQ(bob.events.size(), 1u);
  EXPECT_EQ(bob.events[0].kind, EventKind::immunization);
  EXPECT_EQ(bob.events[0].codes[0].key(), "cvx|140");

  // Patient/carol is in neither record: skipped with a warning pointing at it.
  EXPECT_TRUE(has_warning_at(result, "/entry/6/resource"));
}

TEST(FhirReaderTest, SingleConditionWithoutPatientGivesOneAnonymousRecord) {
  const ReadResult result = read_json(R"({
    "resourceType": "Condition", "id": "c1",
    "code": {"coding": [{"system": "http://snomed.info/sct", "code": "195967001",
                         "display": "Asthma"}]},
    "subject": {"reference": "Patient/unknown"},
    "onsetDateTime": "2004-09-15T10:00:00+01:00"
  })",
                                      "condition.json");
  ASSERT_FALSE(result.error);
  ASSERT_EQ(result.records.size(), 1u);
  EXPECT_EQ(result.records[0].id, "");
  EXPECT_EQ(result.records[0].source, "condition.json");
  ASSERT_EQ(result.records[0].diagnoses.size(), 1u);
  const runtime::Diagnosis& asthma = result.records[0].diagnoses[0];
  EXPECT_EQ(asthma.id, "c1");
  EXPECT_EQ(asthma.codes[0].system(), "snomed");
  EXPECT_EQ(asthma.codes[0].value(), "195967001");
  EXPECT_EQ(asthma.codes[0].display, "Asthma");
  EXPECT_EQ(asthma.onset, day("2004-09-15"));
  EXPECT_TRUE(result.warnings.empty());
}

TEST(FhirReaderTest, SinglePatientResourceGivesItsRecord) {
  const ReadResult result = read_json(
      R"({"resourceType": "Patient", "id": "p9", "gender": "other", "birthDate": "1990-07"})",
      "p.json");
  ASSERT_FALSE(result.error);
  ASSERT_EQ(result.records.size(), 1u);
  EXPECT_EQ(result.records[0].id, "p9");
  EXPECT_EQ(result.records[0].sex, "other");
  EXPECT_EQ(result.records[0].birth_date->precision, DatePrecision::month);
  EXPECT_EQ(result.records[0].birth_date->text(), "1990-07");
}

TEST(FhirReaderTest, MalformedJsonReportsLineAndColumn) {
  const ReadResult result = read_json_file(kData + "malformed.json");
  ASSERT_TRUE(result.error);
  EXPECT_TRUE(result.records.empty());
  EXPECT_EQ(result.error->where, "6:5");  // the entry after the missing comma
  EXPECT_NE(result.error->message.find("malformed JSON"), std::string::npos);
  EXPECT_EQ(result.error->source, kData + "malformed.json");
  EXPECT_FALSE(result.error->hint.empty());
}

TEST(FhirReaderTest, TruncatedJsonIsAnErrorNotAnException) {
  const ReadResult result = read_json("{\"resourceType\": \"Bundle\",\n \"entry\": [", "cut.json");
  ASSERT_TRUE(result.error);
  EXPECT_EQ(result.error->where, "2:12");
}

TEST(FhirReaderTest, JsonThatIsNotFhirIsAnErrorWithAHint) {
  for (const std::string_view text : {R"({"name": "not a resource"})", "[1, 2]", "42"}) {
    const ReadResult result = read_json(text, "x.json");
    ASSERT_TRUE(result.error) << text;
    EXPECT_TRUE(result.records.empty());
    EXPECT_EQ(result.error->hint, "expected a FHIR R4 resource or Bundle with a resourceType");
  }
}

TEST(FhirReaderTest, MissingFileIsAnError) {
  const ReadResult result = read_json_file(kData + "no-such-file.json");
  ASSERT_TRUE(result.error);
  EXPECT_NE(result.error->message.find("cannot read"), std::string::npos);
}

TEST(FhirReaderTest, RefutedAndResolvedConditionStatuses) {
  const ReadResult result = read_json(R"({"resourceType": "Bundle", "type": "collection",
    "entry": [
      {"resource": {"resourceType": "Condition", "id": "refuted",
        "verificationStatus": {"coding": [{"code": "refuted"}]},
        "code": {"coding": [{"system": "http://snomed.info/sct", "code": "49436004"}]}}},
      {"resource": {"resourceType": "Condition", "id": "error",
        "verificationStatus": {"coding": [{"code": "entered-in-error"}]},
        "code": {"coding": [{"system": "http://snomed.info/sct", "code": "49436004"}]}}},
      {"resource": {"resourceType": "Condition", "id": "resolved-no-date",
        "clinicalStatus": {"coding": [{"code": "resolved"}]},
        "code": {"coding": [{"system": "http://snomed.info/sct", "code": "195967001"}]}}},
      {"resource": {"resourceType": "Condition", "id": "resolved-dated",
        "clinicalStatus": {"coding": [{"code": "resolved"}]},
        "abatementPeriod": {"end": "2012-04-30"},
        "code": {"coding": [{"system": "http://snomed.info/sct", "code": "195967001"}]}}},
      {"resource": {"resourceType": "Condition", "id": "active",
        "clinicalStatus": {"coding": [{"code": "active"}]},
        "verificationStatus": {"coding": [{"code": "confirmed"}]},
        "onsetPeriod": {"start": "2001"},
        "code": {"coding": [{"system": "http://snomed.info/sct", "code": "38341003"}]}}}
    ]})",
                                      "statuses.json");
  ASSERT_FALSE(result.error);
  ASSERT_EQ(result.records.size(), 1u);
  const auto& d = result.records[0].diagnoses;
  ASSERT_EQ(d.size(), 5u);
  EXPECT_TRUE(d[0].refuted);
  EXPECT_TRUE(d[1].refuted);
  EXPECT_FALSE(d[2].refuted);
  EXPECT_TRUE(d[2].resolved);
  EXPECT_FALSE(d[3].resolved);  // the abatement date says it, with its date
  EXPECT_EQ(d[3].abatement, day("2012-04-30"));
  EXPECT_FALSE(d[4].refuted);
  EXPECT_FALSE(d[4].resolved);
  EXPECT_EQ(d[4].onset->precision, DatePrecision::year);
}

TEST(FhirReaderTest, PartialDatesKeepTheirPrecision) {
  const ReadResult result = read_json(R"({"resourceType": "Bundle", "type": "collection",
    "entry": [
      {"resource": {"resourceType": "Procedure", "id": "year", "status": "completed",
        "code": {"coding": [{"system": "http://snomed.info/sct", "code": "80146002"}]},
        "performedDateTime": "1998"}},
      {"resource": {"resourceType": "Flag", "id": "month", "status": "active",
        "code": {"coding": [{"system": "http://snomed.info/sct", "code": "413311005"}]},
        "period": {"start": "2021-03"}}},
      {"resource": {"resourceType": "Observation", "id": "period", "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "39156-5"}]},
        "effectivePeriod": {"start": "2022-08-09T11:00:00Z"}}}
    ]})",
                                      "partial.json");
  ASSERT_FALSE(result.error);
  const auto& events = result.records.at(0).events;
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].kind, EventKind::procedure);
  EXPECT_EQ(events[0].date->precision, DatePrecision::year);
  EXPECT_EQ(events[0].date->text(), "1998");
  EXPECT_EQ(events[1].kind, EventKind::flag);
  EXPECT_EQ(events[1].date->precision, DatePrecision::month);
  EXPECT_EQ(events[1].date->text(), "2021-03");
  EXPECT_EQ(events[2].date, day("2022-08-09"));
}

TEST(FhirReaderTest, EnteredInErrorAndNotDoneEntriesAreSkipped) {
  const ReadResult result = read_json(R"({"resourceType": "Bundle", "type": "collection",
    "entry": [
      {"resource": {"resourceType": "Observation", "id": "wrong", "status": "entered-in-error",
        "code": {"coding": [{"system": "http://loinc.org", "code": "4548-4"}]},
        "effectiveDateTime": "2023-01-01", "valueQuantity": {"value": 99, "unit": "%"}}},
      {"resource": {"resourceType": "Observation", "id": "cancelled", "status": "cancelled",
        "code": {"coding": [{"system": "http://loinc.org", "code": "4548-4"}]}}},
      {"resource": {"resourceType": "Procedure", "id": "not-done", "status": "not-done",
        "code": {"coding": [{"system": "http://snomed.info/sct", "code": "80146002"}]}}},
      {"resource": {"resourceType": "Immunization", "id": "declined", "status": "not-done",
        "vaccineCode": {"coding": [{"system": "http://hl7.org/fhir/sid/cvx", "code": "140"}]}}},
      {"resource": {"resourceType": "Observation", "id": "right", "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "4548-4"}]},
        "effectiveDateTime": "2023-01-01", "valueQuantity": {"value": 48, "unit": "mmol/mol"}}}
    ]})",
                                      "statuses.json");
  ASSERT_FALSE(result.error);
  const auto& events = result.records.at(0).events;
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].id, "right");
  EXPECT_EQ(events[0].quantity->value, 48);
  EXPECT_EQ(events[0].quantity->unit, "mmol/mol");  // no UCUM system: the human unit
}

TEST(FhirReaderTest, UnreadableDateIsDroppedWithAPointerAndTheFactKept) {
  const ReadResult result = read_json(R"({"resourceType": "Bundle", "type": "collection",
    "entry": [
      {"resource": {"resourceType": "Patient", "id": "p"}},
      {"resource": {"resourceType": "Condition", "id": "c",
        "code": {"coding": [{"system": "http://snomed.info/sct", "code": "38341003"}]},
        "onsetDateTime": "12/03/2019"}}
    ]})",
                                      "dates.json");
  ASSERT_FALSE(result.error);
  ASSERT_EQ(result.records.at(0).diagnoses.size(), 1u);
  EXPECT_FALSE(result.records[0].diagnoses[0].onset);
  ASSERT_EQ(result.warnings.size(), 1u);
  EXPECT_EQ(result.warnings[0].where, "/entry/1/resource/onsetDateTime");
  EXPECT_NE(result.warnings[0].message.find("12/03/2019"), std::string::npos);
  EXPECT_EQ(result.warnings[0].source, "dates.json");
}

TEST(FhirReaderTest, WrongJsonTypesAreWarnedAboutAndSkipped) {
  const ReadResult result = read_json(R"({"resourceType": "Bundle", "type": "collection",
    "entry": [
      "not an entry",
      {"resource": ["not", "a", "resource"]},
      {"resource": {"id": "no-type"}},
      {"resource": {"resourceType": "Observation", "id": "o", "status": "final",
        "code": "4548-4",
        "effectiveDateTime": 20230101,
        "valueQuantity": {"value": "48", "unit": "%"},
        "component": [7, {"code": {"coding": [{"code": "8480-6"}]}}]}},
      {"request": {"method": "POST"}}
    ]})",
                                      "types.json");
  ASSERT_FALSE(result.error);
  ASSERT_EQ(result.records.size(), 1u);
  const auto& events = result.records[0].events;
  ASSERT_EQ(events.size(), 1u);
  EXPECT_TRUE(events[0].codes.empty());
  EXPECT_FALSE(events[0].date);
  EXPECT_FALSE(events[0].quantity);
  ASSERT_EQ(events[0].components.size(), 1u);
  EXPECT_TRUE(events[0].components[0].codes.empty());  // a code with no system is not matchable
  for (const std::string_view where :
       {"/entry/0", "/entry/1/resource", "/entry/2/resource", "/entry/3/resource/code",
        "/entry/3/resource/effectiveDateTime", "/entry/3/resource/valueQuantity/value",
        "/entry/3/resource/component/0", "/entry/3/resource/component/1/code/coding/0"}) {
    EXPECT_TRUE(has_warning_at(result, where)) << where;
  }
}

TEST(FhirReaderTest, ObservationValuesComponentsAndCodedValues) {
  const ReadResult result = read_json(R"({"resourceType": "Observation", "id": "bp",
    "status": "final",
    "code": {"coding": [{"system": "http://loinc.org", "code": "55284-4"}]},
    "effectiveInstant": "2020-01-02T03:04:05.678+00:00",
    "valueCodeableConcept": {"coding": [
      {"system": "http://snomed.info/sct", "code": "8517006", "display": "Ex-smoker"}]},
    "component": [
      {"code": {"coding": [{"system": "http://loinc.org", "code": "8480-6"}]},
       "valueQuantity": {"value": 142, "unit": "mmHg", "system": "http://unitsofmeasure.org",
                         "code": "mm[Hg]"}},
      {"code": {"coding": [{"system": "http://loinc.org", "code": "8462-4"}]},
       "valueQuantity": {"value": 88.5, "unit": "mmHg", "system": "http://unitsofmeasure.org",
                         "code": "mm[Hg]"}}
    ]})",
                                      "bp.json");
  ASSERT_FALSE(result.error);
  const runtime::Event& bp = result.records.at(0).events.at(0);
  EXPECT_EQ(bp.date, day("2020-01-02"));
  ASSERT_EQ(bp.value_codes.size(), 1u);
  EXPECT_EQ(bp.value_codes[0].key(), "snomed|8517006");
  ASSERT_EQ(bp.components.size(), 2u);
  EXPECT_EQ(bp.components[0].codes[0].key(), "loinc|8480-6");
  EXPECT_EQ(bp.components[0].quantity->value, 142);
  EXPECT_EQ(bp.components[0].quantity->unit, "mm[Hg]");  // UCUM: the code, not the label
  EXPECT_EQ(bp.components[1].quantity->value, 88.5);
}

TEST(FhirReaderTest, MedicationsResolveReferencesAndStatuses) {
  const ReadResult result = read_json_file(kData + "medications.json");
  ASSERT_FALSE(result.error);
  ASSERT_EQ(result.records.size(), 1u);
  const auto& meds = result.records[0].medications;
  ASSERT_EQ(meds.size(), 4u);  // the entered-in-error request is dropped

  EXPECT_EQ(meds[0].id, "ms-bundled");
  ASSERT_EQ(meds[0].codes.size(), 1u);
  EXPECT_EQ(meds[0].codes[0].key(), "dmd|39109611000001103");
  EXPECT_EQ(meds[0].codes[0].display, "Metformin 500mg tablets");
  EXPECT_EQ(meds[0].start, day("2020-02-03"));
  EXPECT_TRUE(meds[0].active);

  EXPECT_EQ(meds[1].id, "ms-contained");
  EXPECT_EQ(meds[1].codes.at(0).key(), "dmd|408051007");
  EXPECT_EQ(meds[1].start->text(), "2018-05");
  EXPECT_FALSE(meds[1].active);  // completed

  EXPECT_EQ(meds[2].id, "mr-on-hold");
  EXPECT_EQ(meds[2].start, day("2021-07-19"));
  EXPECT_FALSE(meds[2].active);  // only an active request is a current medication

  EXPECT_EQ(meds[3].id, "mr-missing");
  EXPECT_TRUE(meds[3].codes.empty());
  EXPECT_TRUE(meds[3].active);
  EXPECT_TRUE(has_warning_at(result, "/entry/6/resource/medicationReference/reference"));
}

TEST(FhirReaderTest, GoalsTakeTheirTextAndDate) {
  const ReadResult result = read_json(R"({"resourceType": "Bundle", "type": "collection",
    "entry": [
      {"resource": {"resourceType": "Goal", "lifecycleStatus": "active",
        "description": {"text": "HbA1c below 58 mmol/mol"}, "startDate": "2022-01-05"}},
      {"resource": {"resourceType": "Goal", "lifecycleStatus": "active",
        "description": {"coding": [{"system": "http://snomed.info/sct", "code": "1",
                                    "display": "Walk daily"}]},
        "statusDate": "2022-02"}},
      {"resource": {"resourceType": "Goal", "lifecycleStatus": "entered-in-error",
        "description": {"text": "wrong"}}}
    ]})",
                                      "goals.json");
  ASSERT_FALSE(result.error);
  const auto& goals = result.records.at(0).goals;
  ASSERT_EQ(goals.size(), 2u);
  EXPECT_EQ(goals[0].text, "HbA1c below 58 mmol/mol");
  EXPECT_EQ(goals[0].recorded, day("2022-01-05"));
  EXPECT_EQ(goals[1].text, "Walk daily");
  EXPECT_EQ(goals[1].recorded->text(), "2022-02");
}

TEST(FhirReaderTest, UnreadTypesAreCountedInOneWarning) {
  const ReadResult result = read_json(R"({"resourceType": "Bundle", "type": "collection",
    "entry": [
      {"resource": {"resourceType": "Patient", "id": "p"}},
      {"resource": {"resourceType": "Encounter", "id": "e1"}},
      {"resource": {"resourceType": "Claim", "id": "c1"}},
      {"resource": {"resourceType": "Encounter", "id": "e2"}}
    ]})",
                                      "types.json");
  ASSERT_FALSE(result.error);
  ASSERT_EQ(result.warnings.size(), 1u);
  EXPECT_EQ(result.warnings[0].message, "resource types not read: 1 Claim, 2 Encounter");
}

TEST(FhirReaderTest, EmptyBundleGivesNoRecords) {
  const ReadResult result =
      read_json(R"({"resourceType": "Bundle", "type": "searchset", "total": 0})", "empty.json");
  EXPECT_FALSE(result.error);
  EXPECT_TRUE(result.records.empty());
}

TEST(FhirReaderTest, SystemTokensForKnownUris) {
  EXPECT_EQ(system_token("http://snomed.info/sct"), "snomed");
  EXPECT_EQ(system_token("http://loinc.org"), "loinc");
  EXPECT_EQ(system_token("http://hl7.org/fhir/sid/cvx"), "cvx");
  EXPECT_EQ(system_token("http://hl7.org/fhir/sid/icd-10"), "icd10");
  EXPECT_EQ(system_token("http://hl7.org/fhir/sid/icd-10-uk"), "icd10");
  EXPECT_EQ(system_token("https://dmd.nhs.uk"), "dmd");
  EXPECT_EQ(system_token("https://fhir.nhs.uk/Id/dmd-code"), "dmd");
  EXPECT_EQ(system_token("http://read.info/readv2"), "read2");
  EXPECT_EQ(system_token("http://read.info/ctv3"), "ctv3");
  EXPECT_EQ(system_token("http://www.nlm.nih.gov/research/umls/rxnorm"),
            "http://www.nlm.nih.gov/research/umls/rxnorm");
}

}  // namespace
}  // namespace concord::fhir
