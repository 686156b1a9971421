// The card against the CDS Hooks 2.0 response shapes (required fields and their types), and
// the summary rule over every Synthea patient: one card, under 140 characters, naming the
// person's conditions.
#include <gtest/gtest.h>

#include <map>

#include "concord/cds/card.hpp"
#include "concord/fhir/read.hpp"
#include "support.hpp"

namespace concord::cds::testing {
namespace {

namespace json = boost::json;

void expect_string(const json::object& o, const char* name, const std::string& where) {
  ASSERT_TRUE(o.contains(name)) << where << "/" << name << " is required";
  EXPECT_TRUE(o.at(name).is_string()) << where << "/" << name << " must be a string";
}

// CDS Hooks 2.0: Card {summary, indicator, source required; uuid, detail strings;
// suggestions [{label, uuid?, isRecommended?, actions [{type, description, resource?}]}];
// selectionBehavior required with suggestions; overrideReasons [Coding]; links [{label, url,
// type absolute|smart}]}.
void expect_card_shape(const json::object& card) {
  expect_string(card, "uuid", "card");
  expect_string(card, "summary", "card");
  expect_string(card, "detail", "card");
  expect_string(card, "indicator", "card");
  const std::string indicator(card.at("indicator").as_string());
  EXPECT_TRUE(indicator == "info" || indicator == "warning" || indicator == "critical")
      << indicator;
  ASSERT_TRUE(card.at("source").is_object());
  expect_string(card.at("source").as_object(), "label", "card/source");
  const auto& suggestions = card.at("suggestions").as_array();
  ASSERT_FALSE(suggestions.empty());
  expect_string(card, "selectionBehavior", "card");
  const std::string behaviour(card.at("selectionBehavior").as_string());
  EXPECT_TRUE(behaviour == "at-most-one" || behaviour == "any");
  if (behaviour == "at-most-one") {
    EXPECT_EQ(suggestions.size(), 1u);
  }
  for (const auto& s : suggestions) {
    const auto& suggestion = s.as_object();
    expect_string(suggestion, "label", "suggestion");
    expect_string(suggestion, "uuid", "suggestion");
    EXPECT_TRUE(suggestion.at("isRecommended").is_bool());
    for (const auto& a : suggestion.at("actions").as_array()) {
      const auto& action = a.as_object();
      expect_string(action, "type", "action");
      expect_string(action, "description", "action");
      EXPECT_EQ(action.at("type"), "create");
      ASSERT_TRUE(action.at("resource").is_object());
      const std::string type(action.at("resource").at("resourceType").as_string());
      EXPECT_TRUE(type == "ServiceRequest" || type == "Task" || type == "Appointment") << type;
    }
  }
  for (const auto& r : card.at("overrideReasons").as_array()) {
    expect_string(r.as_object(), "code", "overrideReason");
    expect_string(r.as_object(), "system", "overrideReason");
    expect_string(r.as_object(), "display", "overrideReason");
  }
  for (const auto& l : card.at("links").as_array()) {
    const auto& link = l.as_object();
    expect_string(link, "label", "link");
    expect_string(link, "url", "link");
    EXPECT_EQ(link.at("type"), "absolute");
  }
}

TEST(CardTest, ServiceResponseHasTheCdsHooksShapes) {
  TempFolder folder;
  ServiceOptions options;
  options.insecure_dev = true;
  options.feedback_file = folder.path() / "feedback.jsonl";
  options.evaluation_date = runtime::Date::from_ymd(2026, 12, 1);
  RunningService service(options);
  std::string patient_id;
  const auto prefetch =
      prefetch_from_bundle(synthea("99153850-84f1-4de6-9e19-3e0d6eeedeb2.json"), patient_id);
  const auto response =
      http_request(service.port(), "POST", "/cds-services/concord-ltc-review",
                   json::serialize(hook_request("patient-view", patient_id, &prefetch)));
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_NE(response.headers.at("content-type").find("application/json"), std::string::npos);
  const auto body = response.json().as_object();
  ASSERT_TRUE(body.at("cards").is_array());
  ASSERT_EQ(body.at("cards").as_array().size(), 1u);
  const auto& card = body.at("cards").at(0).as_object();
  expect_card_shape(card);
  // The stages become ServiceRequests (tests, referrals), a Task (letter) and a proposed
  // Appointment (the conversation), in stage order.
  const auto& actions = card.at("suggestions").at(0).at("actions").as_array();
  ASSERT_GE(actions.size(), 3u);
  EXPECT_EQ(actions.at(0).at("resource").at("resourceType"), "ServiceRequest");
  std::map<std::string, int> types;
  for (const auto& a : actions)
    ++types[std::string(a.at("resource").at("resourceType").as_string())];
  EXPECT_EQ(types["Task"], 1);
  EXPECT_EQ(types["Appointment"], 1);
  EXPECT_EQ(actions.back().at("resource").at("resourceType"), "Appointment");
  EXPECT_EQ(actions.back().at("resource").at("status"), "proposed");
  // Markdown detail with the stages and their dates.
  const std::string detail(card.at("detail").as_string());
  EXPECT_NE(detail.find("**Stages**"), std::string::npos);
  EXPECT_NE(
      detail.find(std::string(actions.at(0).at("resource").at("occurrenceDateTime").as_string())),
      std::string::npos);
  // Cards are random per call.
  const auto again =
      http_request(service.port(), "POST", "/cds-services/concord-ltc-review",
                   json::serialize(hook_request("patient-view", patient_id, &prefetch)));
  EXPECT_NE(again.json().at("cards").at(0).at("uuid"), card.at("uuid"));
}

TEST(CardTest, EverySyntheaPatientWithAReviewGetsASummaryUnder140NamingItsConditions) {
  const auto program = shipped_program();
  const auto date = *runtime::Date::from_ymd(2026, 12, 1);
  int cards = 0;
  for (const auto& entry : std::filesystem::directory_iterator(
           std::filesystem::path(CONCORD_SHARED_DATA) / "synthea")) {
    if (entry.path().extension() != ".json") continue;
    const auto read = fhir::read_json_file(entry.path());
    ASSERT_FALSE(read.error) << entry.path();
    for (const auto& record : read.records) {
      const auto evaluation = runtime::evaluate(*program, record, date);
      if (!evaluation.review) continue;
      ++cards;
      const std::string summary = card_summary(*program, evaluation);
      EXPECT_LT(utf8_length(summary), 140u) << summary;
      // The first condition is always named; the rest are named or counted.
      EXPECT_NE(summary.find(program->conditions[evaluation.review->conditions.front()].title),
                std::string::npos)
          << summary;
      const auto card =
          render_card(*program, record, evaluation, {"c", "s", record.id, "http://x/review/c"});
      expect_card_shape(card);
    }
  }
  EXPECT_GT(cards, 50);  // of the 73 people alive in these records
}

}  // namespace
}  // namespace concord::cds::testing
