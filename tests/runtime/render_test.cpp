#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "concord/runtime/render.hpp"
#include "program_fixture.hpp"

namespace concord::runtime {
namespace {

using namespace testing;
namespace json = boost::json;

struct RenderTest : ::testing::Test {
  RenderTest() {
    const auto dm = b.condition("diabetes", b.codes("dm", {"44054006"}));
    const auto hyp = b.condition("hypertension", b.codes("hyp", {"38341003"}));
    const auto bp = b.codes("bp", {"271649006"});
    b.check("bp", dm, bp);
    b.check("bp", hyp, bp);
    b.review();
    b.program.rulesets.push_back({"diabetes", "1.0.0", "Diabetes", {}, "diabetes.concord"});
    record.id = "patient-1";
    record.source = "patient-1.json";
    record.diagnoses = {diagnosis("44054006", "2015-04-02"), diagnosis("38341003", "2016-01-01")};
    record.events.push_back(event("271649006", "2025-06-01"));
  }
  json::object output() {
    const Evaluation e = evaluate(b.program, record, date("2026-12-01"));
    return json::parse(render_json(b.program, record, e)).as_object();
  }
  ProgramBuilder b;
  Record record;
};

TEST_F(RenderTest, JsonOutputCarriesTheContractFieldsInOrder) {
  const json::object out = output();
  std::vector<std::string> keys;
  for (const auto& kv : out)
    keys.emplace_back(kv.key());
  EXPECT_EQ(keys,
            (std::vector<std::string>{"concord_output", "record", "evaluation_date", "rulesets",
                                      "conditions", "reminders", "review", "diagnostics"}));
  EXPECT_EQ(out.at("concord_output").as_int64(), 1);
  EXPECT_EQ(out.at("record").at("id").as_string(), "patient-1");
  EXPECT_EQ(out.at("evaluation_date").as_string(), "2026-12-01");
  EXPECT_EQ(out.at("rulesets").at(0).at("version").as_string(), "1.0.0");
  EXPECT_EQ(out.at("conditions").at(0).at("onset").as_string(), "2015-04-02");
}

TEST_F(RenderTest, ReminderCarriesStatusDatesAndWhy) {
  const json::object out = output();
  const json::object& r = out.at("reminders").at(0).as_object();
  EXPECT_EQ(r.at("condition").as_string(), "diabetes");
  EXPECT_EQ(r.at("check").as_string(), "bp");
  EXPECT_EQ(r.at("status").as_string(), "overdue");
  EXPECT_EQ(r.at("last_done").as_string(), "2025-06-01");
  EXPECT_EQ(r.at("due_date").as_string(), "2026-06-01");
  EXPECT_TRUE(r.at("suppressed_reason").is_null());
  EXPECT_FALSE(r.at("why").as_string().empty());
}

TEST_F(RenderTest, MergedReviewListsEachCheckOnceAndCountsWhatItReplaces) {
  const json::object out = output();
  const json::object& review = out.at("review").as_object();
  EXPECT_EQ(review.at("kind").as_string(), "merged");
  EXPECT_EQ(review.at("conditions").as_array().size(), 2u);
  EXPECT_EQ(review.at("checks"), json::parse(R"(["bp"])"));
  EXPECT_EQ(review.at("replaces").as_int64(), 2);
  EXPECT_EQ(review.at("replaced"), json::parse(R"([{"condition":"diabetes","check":"bp"},
                                                   {"condition":"hypertension","check":"bp"}])"));
  const json::array& stages = review.at("stages").as_array();
  ASSERT_EQ(stages.size(), 3u);
  EXPECT_EQ(stages[0].at("kind").as_string(), "tests");
  EXPECT_EQ(stages[2].at("kind").as_string(), "conversation");
  EXPECT_EQ(stages[2].at("minutes").as_int64(), 30);
  EXPECT_EQ(review.at("prompts").at(0).at("id").as_string(), "what_matters");
}

TEST_F(RenderTest, NoReviewIsNull) {
  record.events.push_back(event("271649006", "2026-11-01"));
  EXPECT_TRUE(output().at("review").is_null());
}

TEST_F(RenderTest, TextSummaryNamesTheReviewAndWhatItReplaces) {
  const Evaluation e = evaluate(b.program, record, date("2026-12-01"));
  const std::string text = render_text(b.program, record, e);
  EXPECT_NE(text.find("Long-term conditions review (merged)"), std::string::npos) << text;
  EXPECT_NE(text.find("Replaces 2 single-condition reminders with one review of 1 check."),
            std::string::npos)
      << text;
}

}  // namespace
}  // namespace concord::runtime
