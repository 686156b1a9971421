// Agreed goals and an action plan become a FHIR R4 transaction Bundle whose references
// point at the Bundle's own urn:uuid entries.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <regex>
#include <set>

#include "concord/fhir/care_plan.hpp"

namespace concord::fhir {
namespace {

namespace json = boost::json;

AgreedPlan sample_plan() {
  AgreedPlan plan;
  plan.subject = "person-7";
  plan.title = "Long-term conditions review";
  plan.created = "2026-12-01";
  plan.addresses = {{"cond-dm", "Diabetes"}, {"", "Hypertension"}};
  plan.goals = {"Walk to the \"big\" shop and back", "Sleep better"};
  plan.actions = {"Walk 10 minutes after lunch", "Nurse to ring in 2 weeks"};
  return plan;
}

TEST(CarePlanBundleTest, IsATransactionOfGoalsAndOneCarePlan) {
  const json::object bundle = json::parse(care_plan_bundle(sample_plan())).as_object();
  EXPECT_EQ(bundle.at("resourceType"), "Bundle");
  EXPECT_EQ(bundle.at("type"), "transaction");
  const json::array& entries = bundle.at("entry").as_array();
  ASSERT_EQ(entries.size(), 3u);
  const std::regex urn(
      "urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  std::set<std::string> urls;
  for (const json::value& e : entries) {
    const std::string url(e.at("fullUrl").as_string());
    EXPECT_TRUE(std::regex_match(url, urn)) << url;
    urls.insert(url);
    EXPECT_EQ(e.at("request").at("method"), "POST");
    EXPECT_EQ(e.at("request").at("url"), e.at("resource").at("resourceType"));
  }
  EXPECT_EQ(urls.size(), 3u) << "every fullUrl is unique";

  const json::object& goal = entries[0].at("resource").as_object();
  EXPECT_EQ(goal.at("resourceType"), "Goal");
  EXPECT_EQ(goal.at("lifecycleStatus"), "active");
  EXPECT_EQ(goal.at("description").at("text"), "Walk to the \"big\" shop and back");
  EXPECT_EQ(goal.at("subject").at("reference"), "Patient/person-7");

  const json::object& plan = entries[2].at("resource").as_object();
  EXPECT_EQ(plan.at("resourceType"), "CarePlan");
  EXPECT_EQ(plan.at("status"), "active");
  EXPECT_EQ(plan.at("intent"), "plan");
  EXPECT_EQ(plan.at("subject").at("reference"), "Patient/person-7");
  EXPECT_EQ(plan.at("created"), "2026-12-01");
  // The CarePlan's goals are exactly the Goal entries' fullUrls.
  ASSERT_EQ(plan.at("goal").as_array().size(), 2u);
  EXPECT_EQ(plan.at("goal").at(0).at("reference"), entries[0].at("fullUrl"));
  EXPECT_EQ(plan.at("goal").at(1).at("reference"), entries[1].at("fullUrl"));
  EXPECT_EQ(plan.at("addresses").at(0).at("reference"), "Condition/cond-dm");
  EXPECT_EQ(plan.at("addresses").at(1).at("display"), "Hypertension");
  EXPECT_FALSE(plan.at("addresses").at(1).as_object().contains("reference"));
  EXPECT_EQ(plan.at("activity").at(1).at("detail").at("description"), "Nurse to ring in 2 weeks");
  EXPECT_EQ(plan.at("activity").at(1).at("detail").at("status"), "not-started");
}

TEST(CarePlanBundleTest, UuidsComeFromTheGivenSource) {
  int n = 0;
  const auto uuid = [&] { return "00000000-0000-4000-8000-00000000000" + std::to_string(++n); };
  const json::object bundle = json::parse(care_plan_bundle(sample_plan(), uuid)).as_object();
  EXPECT_EQ(bundle.at("entry").at(2).at("fullUrl"),
            "urn:uuid:00000000-0000-4000-8000-000000000003");
}

TEST(CarePlanBundleTest, NoGoalsStillGivesTheCarePlan) {
  AgreedPlan plan;
  plan.subject = "p";
  const json::object bundle = json::parse(care_plan_bundle(plan)).as_object();
  ASSERT_EQ(bundle.at("entry").as_array().size(), 1u);
  EXPECT_FALSE(bundle.at("entry").at(0).at("resource").as_object().contains("goal"));
}

TEST(CarePlanFormTest, PostedFormBecomesThePlan) {
  const AgreedPlan plan = agreed_plan_from_form(
      "subject=person-7&created=2026-12-01&plan_title=Long-term+conditions+review"
      "&condition=cond-dm&condition_title=Diabetes&condition=&condition_title=Hypertension"
      "&goal=Walk+to+the+shop+%26+back&goal=++&goal=Sleep+better"
      "&action_plan=Walk+10+minutes%0D%0A%0D%0ANurse+to+ring%0Abad%ZZescape");
  EXPECT_EQ(plan.subject, "person-7");
  EXPECT_EQ(plan.title, "Long-term conditions review");
  ASSERT_EQ(plan.addresses.size(), 2u);
  EXPECT_EQ(plan.addresses[0].id, "cond-dm");
  EXPECT_EQ(plan.addresses[1].display, "Hypertension");
  EXPECT_EQ(plan.goals, (std::vector<std::string>{"Walk to the shop & back", "Sleep better"}));
  EXPECT_EQ(plan.actions,
            (std::vector<std::string>{"Walk 10 minutes", "Nurse to ring", "bad%ZZescape"}));
}

}  // namespace
}  // namespace concord::fhir
