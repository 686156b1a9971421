// The same 11 people as GP2GP EHR Extracts and as GP Connect (FHIR STU3) Bundles: the two
// readers must give the same conditions, observations and medicines, by SNOMED CT code and
// date. Every difference is either listed below with why it is expected, or a failure.
#include <gtest/gtest.h>

#include <array>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "comparison.hpp"
#include "concord/fhir/read.hpp"
#include "concord/gp2gp/read.hpp"

namespace concord::gp2gp {
namespace {

const std::filesystem::path kShared = CONCORD_SHARED_DATA;

// An expected difference. An empty person matches everyone; date "*" any date; a code
// ending in '*' any code with that prefix.
struct Allowed {
  std::string_view person;  // the file name's start, e.g. "9465698490_Daniels"
  std::string_view category;
  std::string_view only_in;
  std::string_view code;
  std::string_view date;
  std::string_view reason;
};

constexpr std::string_view kCommentNote =
    "a GP Connect comment note (Observation 37331000000100) is a NarrativeStatement in GP2GP: "
    "free text, not read";
constexpr std::string_view kPlaceholderEvent =
    "the adaptor names a placeholder 'Problem' (55607006) ObservationStatement for a problem "
    "whose actual problem is an allergy or immunization; GP Connect has no such Observation";
constexpr std::string_view kPlaceholderProblem =
    "that placeholder is the GP2GP problem's named statement, so its Diagnosis carries "
    "55607006 and the real concept only as originalText";
constexpr std::string_view kAllergyProblem =
    "a GP Connect problem header whose actual problem is an allergy or immunization: GP2GP "
    "codes it with the 55607006 placeholder";
constexpr std::string_view kDegradedGroup =
    "a test group with no concept is a 'transfer-degraded' CompoundStatement in GP2GP, a "
    "wrapper that is not read as a fact; GP Connect keeps it as an Observation";
constexpr std::string_view kLostDate =
    "the adaptor wrote this entry with no date (nullFlavor UNK) and the SNOMED CT description "
    "id in place of the concept; GP Connect has both";
constexpr std::string_view kEmisOnlyDrug =
    "the drug has only an EMIS code in GP Connect; GP2GP carries SNOMED CT only, so its "
    "medication is uncoded";
constexpr std::string_view kStoppedIssue =
    "a stopped issue (MedicationRequest order, status stopped) is an ehrSupplyDiscontinue of "
    "its authorisation in GP2GP, not an issue";

constexpr std::array kAllowed{
    Allowed{"", "event", "gpconnect", "37331000000100", "*", kCommentNote},
    Allowed{"", "event", "gp2gp", "55607006", "*", kPlaceholderEvent},
    Allowed{"", "condition", "gp2gp", "55607006", "*", kPlaceholderProblem},
    Allowed{"", "event", "gpconnect", "196411000000103", "*", kDegradedGroup},
    Allowed{"9465698679_Gainsford", "condition", "gpconnect", "109991000119100", "*",
            kAllergyProblem},
    Allowed{"9465698679_Gainsford", "condition", "gpconnect", "292954005", "2019-03-21",
            kAllergyProblem},
    Allowed{"9465698679_Gainsford", "condition", "gpconnect", "292967008", "1978-12-31",
            kAllergyProblem},
    Allowed{"9465698679_Gainsford", "condition", "gpconnect", "293433001", "2019-01-28",
            kAllergyProblem},
    Allowed{"9465698679_Gainsford", "condition", "gpconnect", "294833000", "2010-01-14",
            kAllergyProblem},
    Allowed{"9465698679_Gainsford", "condition", "gpconnect", "300909004", "2010-01-14",
            kAllergyProblem},
    Allowed{"9465698679_Gainsford", "condition", "gpconnect", "62014003", "2010-01-14",
            kAllergyProblem},
    Allowed{"9465698679_Gainsford", "condition", "gpconnect", "704280005", "2010-01-14",
            kAllergyProblem},
    Allowed{"9465698679_Gainsford", "condition", "gpconnect", "91930004", "2010-01-14",
            kAllergyProblem},
    Allowed{"9465699918_Magre", "condition", "gpconnect", "91936005", "2020-07-24",
            kAllergyProblem},
    Allowed{"9465701262_Meyers", "condition", "gpconnect", "300916003", "2019", kAllergyProblem},
    Allowed{"9465701262_Meyers", "condition", "gpconnect", "414259000", "", kAllergyProblem},
    Allowed{"9465701297_Livermore", "condition", "gpconnect", "170433008", "2020-11-02",
            kAllergyProblem},
    Allowed{"9465701459_Nel", "condition", "gpconnect", "293586001", "2010-01-13", kAllergyProblem},
    Allowed{"9465701459_Nel", "condition", "gpconnect", "294881007", "2010-01-13", kAllergyProblem},
    Allowed{"9465701459_Nel", "condition", "gpconnect", "91935009", "2010-01-13", kAllergyProblem},
    Allowed{"9465700339_Yamura", "event", "gp2gp", "127639017", "", kLostDate},
    Allowed{"9465700339_Yamura", "event", "gpconnect", "76880004", "2013-11-18", kLostDate},
    Allowed{"9465700339_Yamura", "event", "gp2gp", "517791000006115", "", kLostDate},
    Allowed{"9465700339_Yamura", "event", "gpconnect", "997671000000106", "2013-11-18", kLostDate},
    Allowed{"9465698490_Daniels", "medication", "gp2gp", "", "*", kEmisOnlyDrug},
    Allowed{"9465698490_Daniels", "medication", "gpconnect",
            "https://fhir.hl7.org.uk/Id/emis-drug-codes|*", "*", kEmisOnlyDrug},
    Allowed{"9465698490_Daniels", "medication", "gpconnect", "318421004", "2010-01-14",
            kStoppedIssue},
    Allowed{"9465698490_Daniels", "medication", "gpconnect", "320818006", "2010-01-18",
            kStoppedIssue},
    Allowed{"9465698490_Daniels", "medication", "gpconnect", "321949006", "2010-10-01",
            kStoppedIssue},
    Allowed{"9465698490_Daniels", "medication", "gpconnect", "322311000", "2010-01-14",
            kStoppedIssue},
    Allowed{"9465698490_Daniels", "medication", "gpconnect", "39112411000001109", "*",
            kStoppedIssue},
    Allowed{"9465701262_Meyers", "medication", "gpconnect", "3559611000001103", "2020-11-25",
            kStoppedIssue},
};

bool allows(const Allowed& a, std::string_view person, const testing::Difference& d) {
  if (!a.person.empty() && !person.starts_with(a.person)) return false;
  if (a.category != d.category || a.only_in != d.only_in) return false;
  if (a.code.ends_with('*')
          ? !std::string_view(d.code).starts_with(a.code.substr(0, a.code.size() - 1))
          : a.code != d.code) {
    return false;
  }
  return a.date == "*" || a.date == d.date;
}

TEST(Gp2gpGpConnectComparisonTest, SamePeopleGiveTheSameFactsExceptTheListedDifferences) {
  std::vector<bool> used(kAllowed.size(), false);
  std::size_t people = 0, differences = 0;
  for (const auto& entry : std::filesystem::directory_iterator(kShared / "gp2gp")) {
    const std::string person = entry.path().stem().string();
    SCOPED_TRACE(person);
    const ReadResult gp2gp = read_file(entry.path());
    const fhir::ReadResult gpconnect =
        fhir::read_json_file(kShared / "gpconnect" / (person + ".json"));
    ASSERT_FALSE(gp2gp.error);
    ASSERT_FALSE(gpconnect.error);
    ASSERT_EQ(gp2gp.records.size(), 1u);
    ASSERT_EQ(gpconnect.records.size(), 1u);
    ++people;
    for (const testing::Difference& d :
         testing::compare_records(gp2gp.records[0], gpconnect.records[0])) {
      ++differences;
      bool allowed = false;
      for (std::size_t i = 0; i < kAllowed.size(); ++i) {
        if (allows(kAllowed[i], person, d)) {
          used[i] = true;
          allowed = true;
          break;
        }
      }
      EXPECT_TRUE(allowed) << "unexpected: " << d.category << " only in " << d.only_in << ": "
                           << d.code << " '" << d.display << "' on '" << d.date << "'";
    }
  }
  EXPECT_EQ(people, 11u);
  // An allowance nothing needs any more is stale: remove it.
  for (std::size_t i = 0; i < kAllowed.size(); ++i) {
    EXPECT_TRUE(used[i]) << "unused allowance: " << kAllowed[i].person << " "
                         << kAllowed[i].category << " " << kAllowed[i].code;
  }
  RecordProperty("differences", static_cast<int>(differences));
}

TEST(Gp2gpGpConnectComparisonTest, ComparisonSeesAMissingFact) {
  runtime::Record a, b;
  runtime::Diagnosis& d = a.diagnoses.emplace_back();
  d.codes.emplace_back("snomed", "44054006");
  d.onset = runtime::RecordedDate::parse("2015-03-17");
  b.diagnoses.push_back(d);
  EXPECT_TRUE(testing::compare_records(a, b).empty());
  b.diagnoses[0].onset = runtime::RecordedDate::parse("2015-03-18");
  const auto differences = testing::compare_records(a, b);
  ASSERT_EQ(differences.size(), 2u);
  EXPECT_EQ(differences[0].only_in, "gp2gp");
  EXPECT_EQ(differences[1].only_in, "gpconnect");
}

}  // namespace
}  // namespace concord::gp2gp
