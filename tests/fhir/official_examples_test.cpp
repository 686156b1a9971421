// Official FHIR example resources in XML (tests/data/fhir/official, from the FHIR
// specification's own examples): read as a host would send them.
#include <gtest/gtest.h>

#include <string>

#include "concord/fhir/read.hpp"

namespace concord::fhir {
namespace {

const std::string kOfficial = CONCORD_TEST_DATA "/fhir/official/";

TEST(FhirOfficialExampleTest, BloodPressureExampleHasSystolicAndDiastolicComponents) {
  const ReadResult result = read_xml_file(kOfficial + "observation-example-bloodpressure.xml");
  ASSERT_FALSE(result.error) << result.error->message;
  ASSERT_EQ(result.records.size(), 1u);
  const auto& events = result.records[0].events;
  ASSERT_EQ(events.size(), 1u);
  const runtime::Event& bp = events[0];
  EXPECT_EQ(bp.id, "blood-pressure");
  EXPECT_EQ(bp.codes.at(0).key(), "loinc|55284-4");
  ASSERT_TRUE(bp.date);
  EXPECT_EQ(bp.date->text(), "2012-09-17");
  ASSERT_EQ(bp.components.size(), 2u);
  // The systolic part is coded in LOINC, SNOMED CT and a local system; all three are kept.
  ASSERT_EQ(bp.components[0].codes.size(), 3u);
  EXPECT_EQ(bp.components[0].codes[1].key(), "snomed|271649006");
  EXPECT_EQ(bp.components[0].codes[2].system(), "http://acme.org/devices/clinical-codes");
  ASSERT_TRUE(bp.components[0].quantity);
  EXPECT_DOUBLE_EQ(bp.components[0].quantity->value, 107);
  EXPECT_EQ(bp.components[0].quantity->unit, "mm[Hg]");
  EXPECT_EQ(bp.components[1].codes.at(0).key(), "loinc|8462-4");
  EXPECT_DOUBLE_EQ(bp.components[1].quantity->value, 60);
}

}  // namespace
}  // namespace concord::fhir
