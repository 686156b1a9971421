// The FHIR CarePlan renderer on the contract's JSON output of a real record.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include "plugin_files.hpp"

namespace concord::test {
namespace {

namespace json = boost::json;

std::string sample_output() {
  std::ifstream in(CONCORD_TEST_DATA "/../tools/golden/sample-run.json");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class RendererTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto plugin = load_built(PLUGIN_FHIR_CAREPLAN);
    ASSERT_TRUE(plugin);
    renderer_ = std::make_unique<runtime::plugins::PluginRenderer>(plugin);
  }
  json::object render(const std::string& input) {
    std::string error;
    const auto out = renderer_->render(input, error);
    EXPECT_TRUE(out) << error;
    return out ? json::parse(*out).as_object() : json::object();
  }
  std::unique_ptr<runtime::plugins::PluginRenderer> renderer_;
};

const json::object& resource(const json::object& bundle, std::size_t i) {
  return bundle.at("entry").as_array().at(i).at("resource").as_object();
}

TEST_F(RendererTest, DescribesItself) {
  EXPECT_EQ(renderer_->format(), "fhir");
  EXPECT_EQ(renderer_->media_type(), "application/fhir+json");
}

TEST_F(RendererTest, TheMergedReviewBecomesCarePlanGoalsAndRequestGroup) {
  // The golden output follows the shipped rulesets, so counts are read from it.
  const json::object review = json::parse(sample_output()).at("review").as_object();
  const std::string replaces = "replaces " + std::to_string(review.at("replaces").as_int64());
  const std::size_t tests_checks = review.at("stages").as_array()[0].at("checks").as_array().size();
  const json::object bundle = render(sample_output());
  EXPECT_EQ(bundle.at("resourceType"), "Bundle");
  EXPECT_EQ(bundle.at("type"), "collection");
  const auto& entries = bundle.at("entry").as_array();
  ASSERT_EQ(entries.size(), 1u + 5u + 1u);  // CarePlan, five goals, RequestGroup

  const json::object& plan = resource(bundle, 0);
  EXPECT_EQ(plan.at("resourceType"), "CarePlan");
  EXPECT_EQ(plan.at("title"), "Long-term conditions review");
  EXPECT_EQ(plan.at("intent"), "plan");
  EXPECT_EQ(plan.at("subject").at("reference"), "Patient/b218cee9-019d-47a4-b161-e97c0fd6f736");
  EXPECT_EQ(plan.at("created"), "2021-11-01");
  EXPECT_NE(std::string(plan.at("description").as_string()).find(replaces), std::string::npos);
  EXPECT_EQ(plan.at("addresses").as_array().size(), 2u);

  // Every reference in the CarePlan resolves to an entry of the Bundle.
  auto url_of = [&](std::size_t i) { return entries[i].at("fullUrl").as_string(); };
  ASSERT_EQ(plan.at("goal").as_array().size(), 5u);
  for (std::size_t g = 0; g < 5; ++g) {
    EXPECT_EQ(plan.at("goal").as_array()[g].at("reference"), url_of(1 + g));
    EXPECT_EQ(resource(bundle, 1 + g).at("resourceType"), "Goal");
  }
  EXPECT_EQ(resource(bundle, 1).at("description").at("text"),
            "Hemoglobin A1c total in Blood < 7.0");
  EXPECT_EQ(plan.at("activity").as_array()[0].at("reference").at("reference"), url_of(6));

  const json::object& group = resource(bundle, 6);
  EXPECT_EQ(group.at("resourceType"), "RequestGroup");
  const auto& actions = group.at("action").as_array();
  ASSERT_EQ(actions.size(), 4u);  // tests, retinal referral, letter, conversation
  const auto& tests = actions[0].as_object();
  EXPECT_EQ(tests.at("timingDateTime"), "2021-11-01");
  EXPECT_EQ(tests.at("action").as_array().size(), tests_checks);
  EXPECT_EQ(tests.at("action").as_array()[0].at("title"), "HbA1c");
  const auto& talk = actions[3].as_object();
  EXPECT_EQ(talk.at("timingDuration").at("value"), 30);
  const auto& talk_items = talk.at("action").as_array();
  ASSERT_EQ(talk_items.size(), 1u + 4u);  // medication review, then four prompts
  EXPECT_EQ(talk_items[1].at("textEquivalent"),
            "Last time you set yourself some goals. How are they going?");
}

TEST_F(RendererTest, RenderingTwiceGivesTheSameBundle) {
  std::string error;
  EXPECT_EQ(*renderer_->render(sample_output(), error), *renderer_->render(sample_output(), error));
}

TEST_F(RendererTest, NoReviewGivesAnEmptyBundle) {
  const json::object bundle =
      render(R"({"concord_output":1,"record":{"id":"p1"},"review":null,"reminders":[]})");
  EXPECT_EQ(bundle.at("type"), "collection");
  EXPECT_TRUE(bundle.at("entry").as_array().empty());
}

TEST_F(RendererTest, InputThatIsNotTheContractOutputFailsWithAMessage) {
  std::string error;
  EXPECT_FALSE(renderer_->render("not json", error));
  EXPECT_NE(error.find("is not a JSON object"), std::string::npos) << error;
  EXPECT_FALSE(renderer_->render(R"({"concord_output":7})", error));
  EXPECT_NE(error.find("not a concord_output 1 object"), std::string::npos) << error;
}

}  // namespace
}  // namespace concord::test
