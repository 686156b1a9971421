// The FHIR XML reader: the same content in XML and JSON gives the same Record.
#include <gtest/gtest.h>

#include <string>

#include "concord/fhir/read.hpp"
#include "same_record.hpp"

namespace concord::fhir {
namespace {

const std::string kData = CONCORD_TEST_DATA "/fhir/";

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
  EXPECT_EQ(result.warnings[0].where, "/onsetDateTime");
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
