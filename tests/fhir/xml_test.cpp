// The FHIR XML reader: the same content in XML and JSON gives the same Record.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "concord/fhir/read.hpp"
#include "fhir_xml_writer.hpp"
#include "same_record.hpp"

namespace concord::fhir {
namespace {

const std::string kData = CONCORD_TEST_DATA "/fhir/";
const std::filesystem::path kShared = CONCORD_SHARED_DATA;

std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Reads each JSON file of `folder`, and the same written as FHIR XML: the Records, the format's
// release and the warnings' messages must be the same.
void expect_xml_reads_as_json(const std::filesystem::path& folder, std::size_t expected_files) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  ASSERT_EQ(files.size(), expected_files) << folder;
  for (const std::filesystem::path& file : files) {
    SCOPED_TRACE(file.filename().string());
    const std::string text = slurp(file);
    const ReadResult json = read_json(text, "person.json");
    const std::string xml_text = testing::fhir_xml(boost::json::parse(text));
    const ReadResult xml = read_xml(xml_text, "person.xml");
    ASSERT_FALSE(json.error) << json.error->message;
    ASSERT_FALSE(xml.error) << xml.error->where << " " << xml.error->message;
    EXPECT_EQ(json.format.substr(0, json.format.size() - 4),
              xml.format.substr(0, xml.format.size() - 3));
    ASSERT_EQ(json.records.size(), xml.records.size());
    for (std::size_t i = 0; i < json.records.size(); ++i)
      testing::expect_same_record(json.records[i], xml.records[i]);
    ASSERT_EQ(json.warnings.size(), xml.warnings.size());
    for (std::size_t i = 0; i < json.warnings.size(); ++i)
      EXPECT_EQ(json.warnings[i].message, xml.warnings[i].message);
  }
}

TEST(FhirXmlTest, SameBundleInXmlAndJsonGivesIdenticalRecords) {
  const ReadResult json = read_json_file(kData + "pair_bundle.json");
  const ReadResult xml = read_xml_file(kData + "pair_bundle.xml");
  ASSERT_FALSE(json.error) << json.error->message;
  ASSERT_FALSE(xml.error) << xml.error->message;
  EXPECT_EQ(json.format, "FHIR R4 JSON");
  EXPECT_EQ(xml.format, "FHIR R4 XML");
  ASSERT_EQ(json.records.size(), 1u);
  ASSERT_EQ(xml.records.size(), 1u);
  testing::expect_same_record(json.records[0], xml.records[0]);
  EXPECT_TRUE(json.warnings.empty());
  EXPECT_TRUE(xml.warnings.empty());
}

// Every shared Synthea bundle (R4) and GP Connect record (STU3: plain status codes, `taken`,
// CareConnect extensions, SNOMED CT description ids) reads to the same Records as XML.
TEST(FhirXmlTest, SyntheaBundlesReadTheSameInXmlAndJson) {
  expect_xml_reads_as_json(kShared / "synthea", 147);
}

TEST(FhirXmlTest, GpConnectRecordsReadTheSameInXmlAndJson) {
  expect_xml_reads_as_json(kShared / "gpconnect", 11);
}

// The same problems in JSON and XML: the same messages, located by a JSON pointer and by an
// XPath (element names, 1-based positions, the resource element's own step).
TEST(FhirXmlTest, IssuesInXmlNameAnXPath) {
  const boost::json::value bundle = boost::json::parse(R"({"resourceType": "Bundle", "entry": [
      {"resource": {"resourceType": "Patient", "id": "p", "deceasedBoolean": "maybe"}},
      {"resource": {"resourceType": "Observation", "id": "o", "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "4548-4"},
                            {"code": "no-system"}]},
        "effectiveDateTime": "2021-02-30",
        "valueQuantity": {"value": "high", "unit": "%"}}},
      {"resource": {"resourceType": "MedicationStatement", "id": "m", "status": "active",
        "medicationReference": {"reference": "#absent"},
        "effectiveDateTime": {"start": "2020"}}}]})");
  const ReadResult json = read_json(boost::json::serialize(bundle), "issues.json");
  const ReadResult xml = read_xml(testing::fhir_xml(bundle), "issues.xml");
  ASSERT_FALSE(json.error);
  ASSERT_FALSE(xml.error) << xml.error->message;
  ASSERT_EQ(json.records.size(), 1u);
  ASSERT_EQ(xml.records.size(), 1u);
  testing::expect_same_record(json.records[0], xml.records[0]);
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"/entry/0/resource/deceasedBoolean", "/Bundle/entry[1]/resource/Patient/deceasedBoolean"},
      {"/entry/1/resource/code/coding/1", "/Bundle/entry[2]/resource/Observation/code/coding[2]"},
      {"/entry/1/resource/effectiveDateTime",
       "/Bundle/entry[2]/resource/Observation/effectiveDateTime"},
      {"/entry/1/resource/valueQuantity/value",
       "/Bundle/entry[2]/resource/Observation/valueQuantity/value"},
      {"/entry/2/resource/medicationReference/reference",
       "/Bundle/entry[3]/resource/MedicationStatement/medicationReference/reference"},
      {"/entry/2/resource/effectiveDateTime",
       "/Bundle/entry[3]/resource/MedicationStatement/effectiveDateTime"},
  };
  ASSERT_EQ(json.warnings.size(), expected.size());
  ASSERT_EQ(xml.warnings.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(json.warnings[i].where, expected[i].first) << json.warnings[i].message;
    EXPECT_EQ(xml.warnings[i].where, expected[i].second) << xml.warnings[i].message;
    EXPECT_EQ(xml.warnings[i].source, "issues.xml");
    EXPECT_FALSE(xml.warnings[i].hint.empty());
  }
  // Only a wrong type is worded for the syntax.
  EXPECT_EQ(json.warnings[5].message,
            "expected a string for 'effectiveDateTime', found an object; ignored");
  EXPECT_EQ(xml.warnings[5].message,
            "expected a value attribute for 'effectiveDateTime', found child elements; ignored");
}

TEST(FhirXmlTest, XmlKeepsNumbersRepeatedCodingsAndContainedResources) {
  const ReadResult xml = read_xml_file(kData + "pair_bundle.xml");
  ASSERT_FALSE(xml.error);
  const runtime::Record& person = xml.records.at(0);
  EXPECT_EQ(person.sex, "female");
  ASSERT_EQ(person.diagnoses.size(), 1u);
  EXPECT_EQ(person.diagnoses[0].codes.size(), 2u);  // SNOMED CT and Read v2
  EXPECT_EQ(person.diagnoses[0].codes[1].key(), "read2|H33..00");
  EXPECT_TRUE(person.diagnoses[0].resolved);
  ASSERT_EQ(person.events.size(), 3u);
  ASSERT_EQ(person.events[0].components.size(), 2u);
  EXPECT_DOUBLE_EQ(person.events[0].components[1].quantity->value, 88.5);
  EXPECT_EQ(person.events[0].components[1].quantity->unit, "mm[Hg]");
  EXPECT_DOUBLE_EQ(person.events[1].quantity->value, 7);  // valueInteger
  ASSERT_EQ(person.medications.size(), 1u);
  EXPECT_EQ(person.medications[0].codes.at(0).key(), "snomed|320176004");
}

// FHIR XML keeps a repeated element together; when it does not, every occurrence is still
// read, in one list, as though they had been together.
TEST(FhirXmlTest, RepeatedElementSplitByAnotherIsReadAsOneList) {
  const ReadResult result = read_xml(R"(<Condition xmlns="http://hl7.org/fhir">
  <id value="c1"/>
  <code>
    <coding><system value="http://snomed.info/sct"/><code value="44054006"/></coding>
    <text value="Diabetes"/>
    <!-- a comment between is no break -->
    <coding><system value="http://read.info/readv2"/><code value="C10..00"/></coding>
  </code>
</Condition>)",
                                     "split.xml");
  ASSERT_FALSE(result.error) << result.error->message;
  ASSERT_EQ(result.records.size(), 1u);
  ASSERT_EQ(result.records[0].diagnoses.size(), 1u);
  const auto& codes = result.records[0].diagnoses[0].codes;
  ASSERT_EQ(codes.size(), 2u);
  EXPECT_EQ(codes[0].key(), "snomed|44054006");
  EXPECT_EQ(codes[1].key(), "read2|C10..00");
}

TEST(FhirXmlTest, MalformedXmlIsAnErrorWithLineAndColumn) {
  const ReadResult result = read_xml_file(kData + "malformed.xml");
  ASSERT_TRUE(result.error);
  EXPECT_EQ(result.error->where, "5:5");  // at the mismatched closing tag
  EXPECT_NE(result.error->message.find("malformed XML"), std::string::npos);
  EXPECT_TRUE(result.records.empty());
}

TEST(FhirXmlTest, XmlOutsideTheFhirNamespaceIsRejected) {
  const ReadResult result = read_xml("<Patient><id value=\"x\"/></Patient>", "plain.xml");
  ASSERT_TRUE(result.error);
  EXPECT_NE(result.error->message.find("FHIR namespace"), std::string::npos);
}

TEST(FhirXmlTest, SingleResourceAndWrongTypesAreReadWithWarnings) {
  const ReadResult result = read_xml(R"(<Condition xmlns="http://hl7.org/fhir">
      <id value="c9"/>
      <code><coding><system value="http://snomed.info/sct"/><code value="38341003"/></coding></code>
      <onsetDateTime value="last spring"/>
    </Condition>)",
                                     "condition.xml");
  ASSERT_FALSE(result.error);
  ASSERT_EQ(result.records.size(), 1u);
  ASSERT_EQ(result.records[0].diagnoses.size(), 1u);
  EXPECT_FALSE(result.records[0].diagnoses[0].onset);
  ASSERT_EQ(result.warnings.size(), 1u);
  EXPECT_EQ(result.warnings[0].where, "/Condition/onsetDateTime");  // an XPath
}

TEST(FhirXmlTest, HostileInputNeverCrashes) {
  std::string deep = "<Bundle xmlns=\"http://hl7.org/fhir\">";
  for (int i = 0; i < 5000; ++i)
    deep += "<entry>";
  const ReadResult nested = read_xml(deep, "deep.xml");
  EXPECT_TRUE(nested.error);  // unclosed tags: malformed
  std::string closed = "<Bundle xmlns=\"http://hl7.org/fhir\">";
  for (int i = 0; i < 500; ++i)
    closed += "<a>";
  for (int i = 0; i < 500; ++i)
    closed += "</a>";
  closed += "</Bundle>";
  const ReadResult too_deep = read_xml(closed, "deep.xml");
  EXPECT_TRUE(too_deep.error);
  EXPECT_TRUE(read_xml("", "empty.xml").error);
  EXPECT_TRUE(
      read_xml("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>", "xxe.xml")
          .error);
}

}  // namespace
}  // namespace concord::fhir
