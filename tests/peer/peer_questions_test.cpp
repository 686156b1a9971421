// The peer benchmark's questions on Concord's side (bench/peer/): the answer on the shared
// Synthea records is the one the HL7 CQL engine gave (kept in bench/peer/expected/), and the
// codes are the same in the peer library, the shipped rulesets and the CQL value sets.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <filesystem>
#include <iterator>
#include <string>
#include <vector>

#include "concord/dsl/library.hpp"
#include "concord/fhir/read.hpp"
#include "concord/runtime/evaluate.hpp"
#include "peer_questions.hpp"

namespace concord::peer {
namespace {

const std::filesystem::path kPeer = CONCORD_PEER_DIR;
const std::filesystem::path kSynthea = CONCORD_SHARED_DATA "/synthea";

const runtime::Program& peer_library() {
  static const dsl::LoadResult library = dsl::load_library({kPeer / "concord"});
  EXPECT_TRUE(library.ok()) << "bench/peer/concord does not compile; run `concord check` on it";
  return *library.program;
}

std::string ids_only_in(const std::vector<std::string>& in,
                        const std::vector<std::string>& not_in) {
  std::vector<std::string> only;
  std::set_difference(in.begin(), in.end(), not_in.begin(), not_in.end(), std::back_inserter(only));
  std::string text;
  for (const auto& id : only)
    text += " " + id;
  return text.empty() ? " -" : text;
}

runtime::Code snomed(const char* code) {
  return runtime::Code(runtime::code_system::snomed, code);
}

runtime::Event hba1c_percent(const char* day, double value) {
  runtime::Event e;
  e.id = std::string("hba1c-") + day;
  e.codes = {runtime::Code(runtime::code_system::loinc, "4548-4")};
  e.date = runtime::RecordedDate::parse(day);
  e.quantity = runtime::Quantity{value, "%"};
  return e;
}

runtime::Record with_diabetes() {
  runtime::Record r;
  r.id = "person";
  runtime::Diagnosis d;
  d.id = "dm";
  d.codes = {snomed("44054006")};
  d.onset = runtime::RecordedDate::parse("2015-03-01");
  r.diagnoses.push_back(d);
  return r;
}

Answer answer_on(const runtime::Record& record, const char* day) {
  const runtime::Program& program = peer_library();
  return answer(find_questions(program),
                runtime::evaluate(program, record, *runtime::Date::parse_iso(day)));
}

TEST(PeerQuestionsTest, SelectsThePeopleTheCqlEngineSelectsOnTheSyntheaRecords) {
  const Selection expected = read_selection((kPeer / "expected/synthea-2022-01-01.json").string());
  const runtime::Program& program = peer_library();
  const Questions questions = find_questions(program);
  const runtime::Date date = *runtime::Date::parse_iso("2022-01-01");

  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(kSynthea)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  ASSERT_EQ(files.size(), 147u) << "the shared Synthea set has changed";
  Selection actual;
  for (const auto& file : files) {
    const fhir::ReadResult read = fhir::read_json_file(file);
    ASSERT_FALSE(read.error) << file << ": " << read.error->message;
    ASSERT_EQ(read.records.size(), 1u) << file;
    const runtime::Record& record = read.records.front();
    const Answer a = answer(questions, runtime::evaluate(program, record, date));
    if (a.diabetes_hba1c) actual.a.push_back(record.id);
    if (a.hypertension_bp) actual.b.push_back(record.id);
  }
  std::sort(actual.a.begin(), actual.a.end());
  std::sort(actual.b.begin(), actual.b.end());
  EXPECT_EQ(actual.a, expected.a) << "question (a): Concord only:"
                                  << ids_only_in(actual.a, expected.a)
                                  << "; CQL only:" << ids_only_in(expected.a, actual.a);
  EXPECT_EQ(actual.b, expected.b) << "question (b): Concord only:"
                                  << ids_only_in(actual.b, expected.b)
                                  << "; CQL only:" << ids_only_in(expected.b, actual.b);
  EXPECT_FALSE(expected.a.empty());
  EXPECT_FALSE(expected.b.empty());
}

TEST(PeerQuestionsTest, AnHba1cAbove58MmolPerMolWithinTheYearSelectsThePerson) {
  runtime::Record r = with_diabetes();
  r.events.push_back(hba1c_percent("2020-10-01", 8.0));  // (8.0 - 2.15) x 10.929 = 63.9
  EXPECT_TRUE(answer_on(r, "2021-01-01").diabetes_hba1c);
  r.events.push_back(hba1c_percent("2020-11-01", 7.0));  // 53.0: the latest is at target
  EXPECT_FALSE(answer_on(r, "2021-01-01").diabetes_hba1c);
}

TEST(PeerQuestionsTest, AnHba1cOlderThanTwelveMonthsOrNoneSelectsThePerson) {
  runtime::Record r = with_diabetes();
  EXPECT_TRUE(answer_on(r, "2021-01-01").diabetes_hba1c);
  r.events.push_back(hba1c_percent("2020-01-01", 6.0));
  EXPECT_FALSE(answer_on(r, "2021-01-01").diabetes_hba1c);  // exactly 12 months: not older
  EXPECT_TRUE(answer_on(r, "2021-01-02").diabetes_hba1c);
}

TEST(PeerQuestionsTest, WithoutTheConditionNobodyIsSelected) {
  runtime::Record r;
  r.id = "no-conditions";
  const Answer a = answer_on(r, "2021-01-01");
  EXPECT_FALSE(a.diabetes_hba1c);
  EXPECT_FALSE(a.hypertension_bp);
}

TEST(PeerQuestionsTest, ValueSetsHoldTheShippedRulesetsCodes) {
  const dsl::LoadResult shipped = dsl::load_library({CONCORD_SOURCE_RULESETS});
  ASSERT_TRUE(shipped.ok());
  const auto ours = codes_by_value_set(peer_library());
  const auto theirs = codes_by_value_set(*shipped.program);
  for (const auto& [name, codes] : ours) {
    ASSERT_TRUE(theirs.contains(name)) << "the shipped rulesets have no value set '" << name << "'";
    EXPECT_EQ(codes, theirs.at(name)) << "value set '" << name << "' differs from the shipped one";
  }
}

TEST(PeerQuestionsTest, CqlValueSetsHoldTheSameCodes) {
  std::string text;
  ASSERT_FALSE(fhir::load_text_file(kPeer / "cql/valuesets.json", text));
  const boost::json::object cql = boost::json::parse(text).as_object();
  const auto ours = codes_by_value_set(peer_library());
  EXPECT_EQ(cql.size(), ours.size());
  for (const auto& [name, codes] : ours) {
    const boost::json::value* versions = cql.if_contains("urn:concord:peer:" + name);
    ASSERT_NE(versions, nullptr) << "cql/valuesets.json has no urn:concord:peer:" << name;
    std::set<std::string> keys;
    for (const auto& [version, list] : versions->as_object()) {
      for (const boost::json::value& code : list.as_array()) {
        const auto system = fhir::system_token(code.at("system").as_string());
        keys.insert(runtime::code_key(system, code.at("code").as_string()));
      }
    }
    EXPECT_EQ(keys, codes) << "value set '" << name << "' differs between Concord and the CQL";
  }
}

TEST(PeerQuestionsTest, TheElmNamesOnlyValueSetsTheCodeServiceHolds) {
  std::string elm_text, sets_text;
  ASSERT_FALSE(fhir::load_text_file(kPeer / "cql/ConcordPeer.json", elm_text));
  ASSERT_FALSE(fhir::load_text_file(kPeer / "cql/valuesets.json", sets_text));
  const boost::json::value elm = boost::json::parse(elm_text);
  const boost::json::object sets = boost::json::parse(sets_text).as_object();
  const auto& defs = elm.at_pointer("/library/valueSets/def").as_array();
  EXPECT_EQ(defs.size(), sets.size());
  for (const auto& def : defs) {
    EXPECT_TRUE(sets.contains(def.at("id").as_string())) << def.at("id").as_string();
  }
}

}  // namespace
}  // namespace concord::peer
