// The review view and the letter: the shipped rulesets and their locale files, a record built
// by hand, and the HTML checked for what a clinician and the person rely on.
#include <gtest/gtest.h>

#include <memory>
#include <thread>

#include "concord/dsl/library.hpp"
#include "concord/dsl/messages.hpp"
#include "concord/runtime/view.hpp"

namespace concord::runtime {
namespace {

Date day(const char* iso) {
  return *Date::parse_iso(iso);
}

Event observation(const char* code, const char* iso, std::optional<Quantity> q = std::nullopt) {
  Event e;
  e.id = std::string("obs-") + code;
  e.codes = {Code(code_system::snomed, code)};
  e.date = RecordedDate{day(iso), DatePrecision::day};
  e.quantity = std::move(q);
  return e;
}

class ViewTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    library_ = new dsl::LoadResult(dsl::load_library({CONCORD_SOURCE_RULESETS}));
  }
  static void TearDownTestSuite() { delete library_; }

  ViewTest() {
    record.id = "person-7";
    Diagnosis dm;
    dm.id = "cond-dm";
    dm.codes = {Code(code_system::snomed, "44054006")};  // type 2 diabetes (DM_COD)
    dm.onset = RecordedDate{day("2015-04-02"), DatePrecision::day};
    Diagnosis hyp;
    hyp.id = "cond-hyp";
    hyp.codes = {Code(code_system::snomed, "38341003")};  // hypertension (HYP_COD)
    hyp.onset = RecordedDate{day("2016-01-01"), DatePrecision::day};
    record.diagnoses = {dm, hyp};
    // HbA1c (IFCC) 61 mmol/mol; then BP declined (413123006, "BP procedure refused").
    record.events.push_back(observation("999791000000106", "2026-03-03", Quantity{61, "mmol/mol"}));
    record.events.push_back(observation("413123006", "2026-06-01"));
    record.goals.push_back({"Walk to the <shop> & back", RecordedDate{day("2026-01-10")}});
  }

  const Program& program() const { return *library_->program; }
  std::string review(const std::string& locale = "en-GB", std::string action = {}) {
    evaluation = evaluate(program(), record, day("2026-12-01"));
    return render_review_html(program(), record, evaluation, {locale, std::move(action)});
  }
  std::string letter(const std::string& locale = "en-GB") {
    evaluation = evaluate(program(), record, day("2026-12-01"));
    return render_letter_html(program(), record, evaluation, {locale, {}});
  }

  static dsl::LoadResult* library_;
  Record record;
  Evaluation evaluation;
};
dsl::LoadResult* ViewTest::library_ = nullptr;

bool contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST_F(ViewTest, ShippedRulesetsAndLocalesLoadWithoutWarnings) {
  ASSERT_TRUE(library_->ok());
  std::string all;
  for (const auto& d : library_->diagnostics)
    all += d.file + ":" + std::to_string(d.line) + ": " + d.message + "\n";
  EXPECT_TRUE(library_->diagnostics.empty()) << all;
  EXPECT_EQ(program().messages.locales(), (std::vector<std::string>{"cy", "en-GB"}));
}

TEST_F(ViewTest, EnGbHasEveryRulesetTextAndWelshEveryPromptAndStage) {
  for (const auto& text : dsl::ruleset_texts(program())) {
    EXPECT_TRUE(program().messages.has("en-GB", text.id)) << text.id;
    if (text.id.rfind("prompt.", 0) == 0 || text.id.rfind("stage.", 0) == 0) {
      EXPECT_TRUE(program().messages.has("cy", text.id)) << text.id;
    }
  }
}

TEST_F(ViewTest, ReviewIsAnAccessibleDocumentInTheLocalesLanguage) {
  const std::string html = review("cy");
  EXPECT_EQ(html.rfind("<!DOCTYPE html>\n<html lang=\"cy\">", 0), 0u);
  // Dates the page writes itself are the locale's too, not only those inside its messages.
  EXPECT_TRUE(contains(html, "(ers 2 Ebrill 2015)"));
  EXPECT_TRUE(contains(html, "(cofnodwyd 10 Ionawr 2026)"));
  for (std::string_view part : {"<main id=\"main\">", "<nav aria-label=", "<header>", "<footer>",
                                "<h1>", "<th scope=\"col\">", "@media print"}) {
    EXPECT_TRUE(contains(html, part)) << part;
  }
  // Every form field has a label.
  for (std::string_view id : {"goal-1", "goal-2", "goal-3", "action-plan"}) {
    EXPECT_TRUE(contains(html, "<label for=\"" + std::string(id) + "\">")) << id;
  }
}

TEST_F(ViewTest, ReviewShowsConditionsStagesChecksAndPrompts) {
  const std::string html = review();
  EXPECT_TRUE(contains(html, "<li>Diabetes <span class=\"muted\">(since 2 April 2015)</span>"));
  EXPECT_TRUE(contains(html, "<h3>Care and support planning</h3>"));
  EXPECT_TRUE(contains(html, "<time datetime=\"2026-12-01\">1 December 2026</time>"));
  EXPECT_TRUE(contains(html, "61 mmol/mol"));
  EXPECT_TRUE(contains(html, "58 mmol/mol or below <strong class=\"not-met\">not met</strong>"));
  EXPECT_TRUE(contains(html, "What matters most to you about your health at the moment?"));
}

TEST_F(ViewTest, ReviewSaysWhatWasNotAskedWhyAndUntilWhen) {
  const std::string html = review();
  EXPECT_TRUE(contains(html, "Blood pressure for Diabetes: declined, until 1 June 2027"));
}

TEST_F(ViewTest, PatientTextIsEscaped) {
  const std::string html = review();
  EXPECT_TRUE(contains(html, "Walk to the &lt;shop&gt; &amp; back"));
  EXPECT_FALSE(contains(html, "<shop>"));
  EXPECT_TRUE(contains(letter(), "Walk to the &lt;shop&gt; &amp; back"));
}

TEST_F(ViewTest, FormPostsToTheGivenActionWithoutTheScript) {
  const std::string with_action = review("en-GB", "https://cds.example/goals?a=1&b=\"2\"");
  EXPECT_TRUE(
      contains(with_action, "action=\"https://cds.example/goals?a=1&amp;b=&quot;2&quot;\""));
  EXPECT_FALSE(contains(with_action, "<script>"));
  const std::string standalone = review();
  EXPECT_TRUE(contains(standalone, "<script>"));
  EXPECT_TRUE(contains(standalone, "<textarea id=\"bundle\""));
  EXPECT_TRUE(contains(standalone, "name=\"condition\" value=\"cond-dm\""));
}

TEST_F(ViewTest, LetterStatesTheResultAgainstTheTargetInPlainWords) {
  const std::string html = letter();
  EXPECT_TRUE(contains(html,
                       "Your HbA1c (average blood sugar) was 61 mmol/mol on 3 March 2026. Your "
                       "target is 58 or below."));
  EXPECT_TRUE(contains(html, "This is above your target."));
  EXPECT_TRUE(contains(html,
                       "Your blood pressure was not checked this time: you told us you "
                       "would rather not have it."));
  EXPECT_TRUE(contains(html, "@page{size:A4"));
  EXPECT_TRUE(contains(html, "aria-label=\"Space to write your answer\""));
}

TEST_F(ViewTest, WelshLetterHasWelshWordsDatesAndPrompts) {
  const std::string html = letter("cy");
  EXPECT_TRUE(contains(html, "<html lang=\"cy\">"));
  EXPECT_TRUE(contains(html,
                       "Roedd eich HbA1c (siwgr gwaed cyfartalog) yn 61 mmol/mol ar 3 Mawrth "
                       "2026. Eich targed yw 58 neu is."));
  EXPECT_TRUE(contains(html, "Beth sydd bwysicaf i chi am eich iechyd ar hyn o bryd?"));
}

TEST_F(ViewTest, LocaleWithoutTextsFallsBackToTheRulesetsOwnText) {
  const std::string html = letter("fr");
  EXPECT_TRUE(contains(html, "<html lang=\"fr\">"));
  EXPECT_TRUE(contains(html, "What matters most to you about your health at the moment?"));
  EXPECT_TRUE(contains(html, "<h1>Your results and questions</h1>"));
}

TEST_F(ViewTest, LetterSaysWhatHasNoResult) {
  record.events.erase(record.events.begin());  // no HbA1c
  const std::string html = letter();
  EXPECT_TRUE(contains(html, "<h2 id=\"not-measured\">Not measured</h2>"));
  EXPECT_TRUE(contains(html, "We have no result for your HbA1c (average blood sugar) yet."));
  EXPECT_FALSE(contains(html, "Your HbA1c (average blood sugar) was"));
}

TEST_F(ViewTest, RecordWithoutConditionsStillGetsAPage) {
  record.diagnoses.clear();
  const std::string html = review();
  EXPECT_TRUE(contains(html, "No long-term condition that these rulesets cover."));
  EXPECT_FALSE(contains(html, "id=\"prompts\""));
  EXPECT_TRUE(contains(letter(), "We have no recent results to show you."));
}

TEST_F(ViewTest, ReviewOfSomeoneWhoDiedSaysSoInTheLocalesLanguage) {
  record.deceased = true;
  record.death_date = RecordedDate{day("2026-10-04"), DatePrecision::day};
  const std::string welsh = review("cy");
  EXPECT_TRUE(
      contains(welsh, "Mae&#39;r cofnod yn dweud bod y person hwn wedi marw ar 4 Hydref 2026"));
  EXPECT_FALSE(contains(welsh, "The record says"));
  EXPECT_TRUE(contains(review(), "The record says this person died on 4 October 2026"));
  record.death_date.reset();
  EXPECT_TRUE(contains(review("cy"), "Mae&#39;r cofnod yn dweud bod y person hwn wedi marw: dim"));
}

// The page a card links to is rendered later from a snapshot, after the record is gone: it must
// be the page the record itself gives, cited ids, goals and what was not asked included.
TEST_F(ViewTest, SnapshotRendersTheSamePagesAfterTheRecordIsGone) {
  record.goals.push_back({"Sleep through the night", std::nullopt});
  for (int i = 0; i < 500; ++i)
    record.events.push_back(observation("271649006", "2010-01-01"));
  const std::string expected_review = review();
  const std::string expected_letter = letter("cy");
  ASSERT_TRUE(evaluation.review);
  ASSERT_FALSE(evaluation.review->suppressed.empty());
  ASSERT_EQ(evaluation.review->goals.size(), 2u);

  auto owned = std::make_unique<Record>(record);
  const Evaluation of_owned = evaluate(program(), *owned, day("2026-12-01"));
  const ViewSnapshot snapshot(*owned, of_owned);
  owned.reset();

  EXPECT_TRUE(snapshot.record().events.empty());
  EXPECT_EQ(render_review_html(program(), snapshot.record(), snapshot.evaluation(), {}),
            expected_review);
  EXPECT_EQ(render_letter_html(program(), snapshot.record(), snapshot.evaluation(), {"cy", {}}),
            expected_letter);
  EXPECT_EQ(snapshot.evaluation().review->goals.at(1)->text, "Sleep through the night");
}

// One Program serves many threads: the same messages formatted at once give the same text.
TEST_F(ViewTest, ManyThreadsRenderTheSameProgramAlike) {
  const std::string expected_en = letter();
  const std::string expected_cy = letter("cy");
  const Evaluation shared = evaluate(program(), record, day("2026-12-01"));
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        const std::string locale = (t + i) % 2 ? "cy" : "en-GB";
        const std::string html = render_letter_html(program(), record, shared, {locale, {}});
        if (html != (locale == "cy" ? expected_cy : expected_en)) ++mismatches[t];
      }
    });
  }
  for (auto& th : threads)
    th.join();
  EXPECT_EQ(mismatches, std::vector<int>(4, 0));
}

}  // namespace
}  // namespace concord::runtime
