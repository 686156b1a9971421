// Finding a record's format from its content, and reading it through the one entry point.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "concord/hosts/read.hpp"

namespace concord::hosts {
namespace {

const std::string kData = CONCORD_TEST_DATA "/";
const std::filesystem::path kShared = CONCORD_SHARED_DATA;

TEST(DetectTest, ContentDecidesTheFormat) {
  EXPECT_EQ(detect_format("{\"resourceType\": \"Patient\"}"), RecordFormat::fhir_json);
  EXPECT_EQ(detect_format("\xEF\xBB\xBF  {\n  \"resourceType\": \"Bundle\"\n}\n"),
            RecordFormat::fhir_json);
  EXPECT_EQ(detect_format("{\"resourceType\":\"Patient\"}\n{\"resourceType\":\"Condition\"}\n"),
            RecordFormat::fhir_ndjson);
  EXPECT_EQ(
      detect_format("<?xml version=\"1.0\"?>\n<!-- c --><Bundle xmlns=\"http://hl7.org/fhir\">"),
      RecordFormat::fhir_xml);
  EXPECT_EQ(detect_format("<RCMR_IN030000UK06 xmlns=\"urn:hl7-org:v3\">"), RecordFormat::gp2gp);
  EXPECT_EQ(detect_format("<hl7:EhrExtract xmlns:hl7=\"urn:hl7-org:v3\">"), RecordFormat::gp2gp);
  EXPECT_EQ(detect_format("<html>"), RecordFormat::unknown);
  EXPECT_EQ(detect_format("MSH|^~\\&|"), RecordFormat::unknown);
  EXPECT_EQ(detect_format(""), RecordFormat::unknown);
  EXPECT_EQ(detect_format("<"), RecordFormat::unknown);
  EXPECT_EQ(detect_format("<!--"), RecordFormat::unknown);
}

TEST(DetectTest, EveryFormatReadsThroughOneEntryPoint) {
  EXPECT_EQ(read_record_file(kData + "fhir/pair_bundle.json").format, "FHIR R4 JSON");
  EXPECT_EQ(read_record_file(kData + "fhir/pair_bundle.xml").format, "FHIR R4 XML");
  EXPECT_EQ(read_record_file(kData + "fhir/bulk.ndjson").format, "FHIR NDJSON");
  EXPECT_EQ(read_record_file(kData + "fhir/bulk_export").records.size(), 2u);
  EXPECT_EQ(read_record_file(kData + "gp2gp/small_extract.xml").format, "GP2GP EHR Extract");
  const fhir::ReadResult gp2gp =
      read_record_file(kShared / "gp2gp" / "9465701262_Meyers_full_20210602.xml");
  EXPECT_EQ(gp2gp.format, "GP2GP EHR Extract");
  EXPECT_EQ(gp2gp.records.at(0).source, "9465701262_Meyers_full_20210602.xml");
  EXPECT_EQ(read_record_file(kShared / "gpconnect" / "9465701262_Meyers_full_20210602.json").format,
            "FHIR STU3 JSON");
}

TEST(DetectTest, UnknownFormatIsAnErrorNamingTheFileAndTheFormatsRead) {
  const fhir::ReadResult result = read_record("Name,DOB\nA,1950\n", "people.csv");
  ASSERT_TRUE(result.error);
  EXPECT_EQ(result.error->source, "people.csv");
  EXPECT_NE(result.error->hint.find("GP2GP"), std::string::npos);
  EXPECT_NE(result.error->hint.find("NDJSON"), std::string::npos);
  EXPECT_TRUE(read_record_file(kData + "no/such/file.json").error);
}

}  // namespace
}  // namespace concord::hosts
