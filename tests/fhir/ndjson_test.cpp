// FHIR Bulk Data NDJSON: grouping by patient, bad lines, one file per resource type.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <string>
#include <vector>

#include "concord/fhir/ndjson.hpp"

namespace concord::fhir {
namespace {

const std::string kData = CONCORD_TEST_DATA "/fhir/";

bool has_issue(const std::vector<ReadIssue>& issues, std::string_view where) {
  return std::any_of(issues.begin(), issues.end(),
                     [&](const ReadIssue& i) { return i.where == where; });
}

TEST(NdjsonTest, GroupedInputHandsOnEachPersonAsTheNextBegins) {
  std::ifstream in(kData + "bulk.ndjson");
  std::vector<std::string> seen;
  std::vector<ReadIssue> issues;
  std::size_t records_when_b_started = 0;
  read_ndjson(
      in, "bulk.ndjson",
      [&](runtime::Record&& record) {
        if (record.id == "a") records_when_b_started = seen.size();
        seen.push_back(record.id);
        if (record.id == "a") {
          EXPECT_EQ(record.diagnoses.size(), 1u);
          EXPECT_EQ(record.events.size(), 1u);
        } else {
          EXPECT_EQ(record.sex, "male");
          ASSERT_EQ(record.medications.size(), 1u);
          // The Medication line comes later in the file but before b's group ends.
          EXPECT_EQ(record.medications[0].codes.at(0).key(), "snomed|325278007");
          EXPECT_EQ(record.diagnoses.size(), 1u);
        }
      },
      issues);
  EXPECT_EQ(seen, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(records_when_b_started, 0u);
  // The malformed line is named; the bad date's line and field are named.
  EXPECT_TRUE(has_issue(issues, "line 4")) << issues.size();
  EXPECT_TRUE(has_issue(issues, "line 9 /onsetDateTime"));
}

TEST(NdjsonTest, WholeTextConvenienceCollectsRecordsAndWarnings) {
  const ReadResult result = read_ndjson_text(
      "{\"resourceType\":\"Patient\",\"id\":\"p\"}\nnot json\n[1,2]\n"
      "{\"resourceType\":\"Condition\",\"subject\":{\"reference\":\"Patient/p\"}}\n",
      "t.ndjson");
  ASSERT_EQ(result.records.size(), 1u);
  EXPECT_EQ(result.records[0].diagnoses.size(), 1u);
  EXPECT_TRUE(has_issue(result.warnings, "line 2"));
  EXPECT_TRUE(has_issue(result.warnings, "line 3"));
}

TEST(NdjsonTest, FactsWithoutAPatientLineTakeTheirSubjectAsTheRecordId) {
  const ReadResult result = read_ndjson_text(
      "{\"resourceType\":\"Condition\",\"subject\":{\"reference\":\"Patient/q\"}}\n", "t.ndjson");
  ASSERT_EQ(result.records.size(), 1u);
  EXPECT_EQ(result.records[0].id, "q");
}

TEST(NdjsonTest, UngroupedInputWarnsAndReadsTheReturningPersonAsAFurtherRecord) {
  const ReadResult result = read_ndjson_text(
      "{\"resourceType\":\"Patient\",\"id\":\"a\"}\n"
      "{\"resourceType\":\"Patient\",\"id\":\"b\"}\n"
      "{\"resourceType\":\"Condition\",\"subject\":{\"reference\":\"Patient/a\"}}\n",
      "t.ndjson");
  ASSERT_EQ(result.records.size(), 3u);
  EXPECT_EQ(result.records[2].id, "a");
  EXPECT_TRUE(has_issue(result.warnings, "line 3"));
}

// The reader remembers who it has read in constant memory (a fixed-size filter): among
// 100,000 different people none is taken for one read before, and a returning one still is.
TEST(NdjsonTest, ManyPeopleGiveNoFalseReturnWarningAndAReturnIsStillSeen) {
  std::string text;
  for (int i = 0; i < 100000; ++i)
    text += "{\"resourceType\":\"Patient\",\"id\":\"person-" + std::to_string(i) + "\"}\n";
  text += "{\"resourceType\":\"Condition\",\"subject\":{\"reference\":\"Patient/person-17\"}}\n";
  const ReadResult result = read_ndjson_text(text, "t.ndjson");
  ASSERT_EQ(result.records.size(), 100001u);
  ASSERT_EQ(result.warnings.size(), 1u);
  EXPECT_EQ(result.warnings[0].where, "line 100001");
}

TEST(NdjsonTest, ExportFolderWithOneFilePerTypeGroupsBySubject) {
  const ReadResult result = read_ndjson_path(kData + "bulk_export");
  ASSERT_FALSE(result.error) << result.error->message;
  ASSERT_EQ(result.records.size(), 2u);
  EXPECT_EQ(result.records[0].id, "x");  // Patient files first, in their order
  EXPECT_EQ(result.records[0].diagnoses.size(), 1u);
  EXPECT_EQ(result.records[0].events.size(), 1u);
  EXPECT_EQ(result.records[1].id, "y");
  EXPECT_EQ(result.records[1].diagnoses.size(), 1u);
  EXPECT_EQ(result.records[0].source, "bulk_export");
}

TEST(NdjsonTest, EmptyAndBlankInputGivesNoRecords) {
  EXPECT_TRUE(read_ndjson_text("", "e.ndjson").records.empty());
  EXPECT_TRUE(read_ndjson_text("\n\n  \r\n", "e.ndjson").records.empty());
  EXPECT_TRUE(read_ndjson_path(kData + "no_such.ndjson").error);
}

}  // namespace
}  // namespace concord::fhir
