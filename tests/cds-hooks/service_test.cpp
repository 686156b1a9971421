// The service's endpoints and errors, over real HTTP on loopback (token checks are off here;
// token_test.cpp covers them).
#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>

#include <atomic>
#include <fstream>
#include <sstream>
#include <thread>

#include "concord/cds/card.hpp"
#include "concord/dsl/library.hpp"
#include "support.hpp"

namespace concord::cds::testing {
namespace {

namespace json = boost::json;

constexpr const char* kPatientFile = "99153850-84f1-4de6-9e19-3e0d6eeedeb2.json";
constexpr const char* kService = "/cds-services/concord-ltc-review";

class ServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ServiceOptions options;
    options.insecure_dev = true;
    options.feedback_file = folder_.path() / "feedback.jsonl";
    options.cors_origins = {"https://sandbox.cds-hooks.org"};
    options.body_limit = 1u << 20;
    options.evaluation_date = runtime::Date::from_ymd(2026, 12, 1);
    service_ = std::make_unique<RunningService>(options, [this] {
      if (fail_loading_)
        return LoadedProgram{nullptr, "rulesets/broken.concord:3:1: error: expected a rule"};
      return LoadedProgram{shipped_program(), {}};
    });
    prefetch_ = prefetch_from_bundle(synthea(kPatientFile), patient_id_);
  }

  HttpResponse post(const std::string& target, const json::value& body) {
    return http_request(service_->port(), "POST", target, json::serialize(body));
  }

  TempFolder folder_;
  std::atomic<bool> fail_loading_{false};
  std::unique_ptr<RunningService> service_;
  json::object prefetch_;
  std::string patient_id_;
};

TEST_F(ServiceTest, DiscoveryListsOneServicePerHookWithPrefetchTemplates) {
  const auto response = http_request(service_->port(), "GET", "/cds-services");
  ASSERT_EQ(response.status, 200);
  const auto services = response.json().at("services").as_array();
  std::vector<std::string> hooks;
  for (const auto& s : services) {
    const auto& service = s.as_object();
    ASSERT_TRUE(service.at("hook").is_string());
    ASSERT_TRUE(service.at("description").is_string());
    ASSERT_TRUE(service.at("id").is_string());
    hooks.emplace_back(service.at("hook").as_string());
    const auto& prefetch = service.at("prefetch").as_object();
    for (const auto* key : {"patient", "conditions", "observations", "medicationStatements",
                            "medicationRequests", "procedures", "flags", "goals"}) {
      ASSERT_TRUE(prefetch.contains(key)) << key;
      EXPECT_NE(std::string(prefetch.at(key).as_string()).find("{{context.patientId}}"),
                std::string::npos);
    }
  }
  EXPECT_EQ(hooks,
            (std::vector<std::string>{"patient-view", "appointment-book", "encounter-start"}));
  EXPECT_EQ(services.at(0).at("id"), "concord-ltc-review");
}

TEST_F(ServiceTest, SyntheaPatientGetsExactlyOneCardNamingItsConditions) {
  const auto response = post(kService, hook_request("patient-view", patient_id_, &prefetch_));
  ASSERT_EQ(response.status, 200) << response.body;
  const auto cards = response.json().at("cards").as_array();
  ASSERT_EQ(cards.size(), 1u);
  const std::string summary(cards.at(0).at("summary").as_string());
  EXPECT_NE(summary.find("Coronary heart disease"), std::string::npos) << summary;
  EXPECT_NE(summary.find("Hypertension"), std::string::npos) << summary;
  EXPECT_NE(summary.find("Stroke or TIA"), std::string::npos) << summary;
  EXPECT_NE(summary.find("replaces"), std::string::npos) << summary;
  EXPECT_LT(utf8_length(summary), 140u);
  // The created resources refer to the patient in context.
  const auto& action = cards.at(0).at("suggestions").at(0).at("actions").at(0).as_object();
  EXPECT_EQ(action.at("resource").at("subject").at("reference").as_string(),
            "Patient/" + patient_id_);
}

TEST_F(ServiceTest, PersonWhoHasDiedGetsNoCard) {
  // 028250cc died in 2016 with hypertension, CHD and stroke on the record: no reminder, no card.
  std::string died_id;
  const json::object died =
      prefetch_from_bundle(synthea("028250cc-cfc0-4dee-a771-78fde1275fcb.json"), died_id);
  const auto response = post(kService, hook_request("patient-view", died_id, &died));
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_TRUE(response.json().at("cards").as_array().empty()) << response.body;
}

TEST_F(ServiceTest, EveryHookServiceAnswersWithTheSameCard) {
  for (const auto& [id, hook] : {std::pair{"concord-ltc-review-booking", "appointment-book"},
                                 std::pair{"concord-ltc-review-encounter", "encounter-start"}}) {
    const auto response =
        post(std::string("/cds-services/") + id, hook_request(hook, patient_id_, &prefetch_));
    ASSERT_EQ(response.status, 200) << response.body;
    EXPECT_EQ(response.json().at("cards").as_array().size(), 1u) << id;
  }
}

TEST_F(ServiceTest, HookNotMatchingTheServiceIs400) {
  const auto response = post(kService, hook_request("order-sign", patient_id_, &prefetch_));
  EXPECT_EQ(response.status, 400);
  EXPECT_NE(response.body.find("/hook"), std::string::npos);
}

TEST_F(ServiceTest, PersonWithNothingDueGetsNoCards) {
  json::object empty = prefetch_;
  for (auto& [key, value] : empty) {
    if (key != "patient") value.as_object()["entry"] = json::array();
  }
  const auto response = post(kService, hook_request("patient-view", patient_id_, &empty));
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.json(), json::parse(R"({"cards":[]})"));
}

TEST_F(ServiceTest, MalformedJsonIs400WithWhereAndWhat) {
  const auto response =
      http_request(service_->port(), "POST", kService, "{\"hook\": \"patient-view\",,}");
  EXPECT_EQ(response.status, 400);
  const std::string message(response.json().at("error").as_string());
  EXPECT_NE(message.find("malformed JSON"), std::string::npos) << message;
  EXPECT_NE(message.find("1:"), std::string::npos) << message;
}

TEST_F(ServiceTest, MissingContextPatientIdIs400) {
  json::object request = hook_request("patient-view", patient_id_, &prefetch_);
  request["context"].as_object().erase("patientId");
  const auto response = post(kService, request);
  EXPECT_EQ(response.status, 400);
  EXPECT_NE(response.body.find("/context/patientId"), std::string::npos);
}

TEST_F(ServiceTest, UnknownServiceIs404) {
  const auto response =
      post("/cds-services/no-such-service", hook_request("patient-view", patient_id_, &prefetch_));
  EXPECT_EQ(response.status, 404);
  EXPECT_NE(response.body.find("no-such-service"), std::string::npos);
}

TEST_F(ServiceTest, MissingPrefetchWithoutFhirServerIs412) {
  const auto response = post(kService, hook_request("patient-view", patient_id_, nullptr));
  EXPECT_EQ(response.status, 412);
  EXPECT_NE(response.body.find("fhirServer"), std::string::npos);
  json::object partial = prefetch_;
  partial["observations"] = nullptr;  // the client could not fetch it
  const auto second = post(kService, hook_request("patient-view", patient_id_, &partial));
  EXPECT_EQ(second.status, 412);
  EXPECT_NE(second.body.find("observations"), std::string::npos);
}

TEST_F(ServiceTest, OversizedBodyIs413) {
  const std::string body = "{\"pad\":\"" + std::string(2u << 20, 'x') + "\"}";
  const auto response = http_request(service_->port(), "POST", kService, body);
  EXPECT_EQ(response.status, 413);
}

TEST_F(ServiceTest, CorsPreflightAllowsAuthorizationAndContentTypeForAllowedOrigin) {
  const auto response =
      http_request(service_->port(), "OPTIONS", kService, {},
                   {{"Origin", "https://sandbox.cds-hooks.org"},
                    {"Access-Control-Request-Method", "POST"},
                    {"Access-Control-Request-Headers", "authorization,content-type"}});
  EXPECT_EQ(response.status, 204);
  EXPECT_EQ(response.headers.at("access-control-allow-origin"), "https://sandbox.cds-hooks.org");
  EXPECT_NE(response.headers.at("access-control-allow-methods").find("POST"), std::string::npos);
  const std::string allowed = response.headers.at("access-control-allow-headers");
  EXPECT_NE(allowed.find("Authorization"), std::string::npos);
  EXPECT_NE(allowed.find("Content-Type"), std::string::npos);
  // The discovery answer carries the header too, so a browser may read it.
  const auto discovery = http_request(service_->port(), "GET", "/cds-services", {},
                                      {{"Origin", "https://sandbox.cds-hooks.org"}});
  EXPECT_EQ(discovery.headers.at("access-control-allow-origin"), "https://sandbox.cds-hooks.org");
}

TEST_F(ServiceTest, OriginNotAllowedGetsNoCorsHeaders) {
  const auto response =
      http_request(service_->port(), "OPTIONS", kService, {},
                   {{"Origin", "https://evil.example"}, {"Access-Control-Request-Method", "POST"}});
  EXPECT_EQ(response.headers.count("access-control-allow-origin"), 0u);
}

TEST_F(ServiceTest, FeedbackIsStoredDurablyWithoutPatientDataAndCounted) {
  const auto card = post(kService, hook_request("patient-view", patient_id_, &prefetch_));
  const std::string uuid(card.json().at("cards").at(0).at("uuid").as_string());
  const json::value feedback =
      json::parse(R"({"feedback":[{"card":")" + uuid + R"(","outcome":"overridden",
      "overrideReason":{"reason":{"code":"already-booked","system":"urn:concord:cds:override-reason"},
      "userComment":"Seen by )" +
                  patient_id_ + R"( yesterday"},"outcomeTimestamp":"2026-12-01T10:00:00Z"},
      {"card":")" +
                  uuid + R"(","outcome":"accepted","acceptedSuggestions":[{"id":"x"}],
      "outcomeTimestamp":"2026-12-01T10:01:00Z"}]})");
  const auto response = post(std::string(kService) + "/feedback", feedback);
  ASSERT_EQ(response.status, 200) << response.body;

  std::ifstream in(folder_.path() / "feedback.jsonl");
  std::vector<json::value> lines;
  for (std::string line; std::getline(in, line);)
    lines.push_back(json::parse(line));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].at("card"), uuid.c_str());
  EXPECT_EQ(lines[0].at("outcome"), "overridden");
  EXPECT_EQ(lines[0].at("override_reason"), "already-booked");
  EXPECT_EQ(lines[1].at("outcome"), "accepted");
  EXPECT_EQ(lines[1].at("accepted_suggestions"), 1);
  std::stringstream all;
  all << std::ifstream(folder_.path() / "feedback.jsonl").rdbuf();
  EXPECT_EQ(all.str().find(patient_id_), std::string::npos)
      << "the feedback file names the patient";

  const auto metrics = http_request(service_->port(), "GET", "/metrics");
  EXPECT_NE(metrics.body.find("concord_feedback_total{outcome=\"overridden\"} 1"),
            std::string::npos);
  EXPECT_NE(metrics.body.find("concord_feedback_total{outcome=\"accepted\"} 1"), std::string::npos);
}

TEST_F(ServiceTest, FeedbackWithUnknownOutcomeIs400AndNothingIsStored) {
  const auto response = post(
      std::string(kService) + "/feedback",
      json::parse(
          R"({"feedback":[{"card":"abc","outcome":"maybe","outcomeTimestamp":"2026-12-01T10:00:00Z"}]})"));
  EXPECT_EQ(response.status, 400);
  EXPECT_NE(response.body.find("/feedback/0/outcome"), std::string::npos);
  EXPECT_EQ(std::filesystem::file_size(folder_.path() / "feedback.jsonl"), 0u);
}

TEST_F(ServiceTest, ReviewLinkServesTheCardsReviewAsHtml) {
  const auto card = post(kService, hook_request("patient-view", patient_id_, &prefetch_));
  const json::value body = card.json();
  const auto& link = body.at("cards").at(0).at("links").at(0).as_object();
  const std::string url(link.at("url").as_string());
  ASSERT_EQ(url.rfind(service_->base_url() + "/review/", 0), 0u) << url;
  const auto page = http_request(service_->port(), "GET", url.substr(service_->base_url().size()));
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.headers.at("content-type").find("text/html"), std::string::npos);
  EXPECT_NE(page.body.find("Coronary heart disease"), std::string::npos);
  EXPECT_NE(page.body.find("Care and support planning"), std::string::npos);
}

// The options of the review-link tests: no token, no feedback file, a fixed date.
ServiceOptions review_link_options() {
  ServiceOptions options;
  options.insecure_dev = true;
  options.feedback_file.clear();
  options.evaluation_date = runtime::Date::from_ymd(2026, 12, 1);
  return options;
}

// Posts one patient-view call for the Synthea patient and returns its card's review link
// (the path on the service).
std::string post_for_review_link(const RunningService& service) {
  std::string patient;
  const json::object prefetch = prefetch_from_bundle(synthea(kPatientFile), patient);
  const std::string body = json::serialize(hook_request("patient-view", patient, &prefetch));
  const auto card = http_request(service.port(), "POST", kService, body).json();
  const std::string url(card.at("cards").at(0).at("links").at(0).at("url").as_string());
  return url.substr(service.base_url().size());
}

// A service keeps a bounded number of reviews: the oldest link stops working first, says so on
// its page, and the metrics count it so that the bound can be raised.
TEST(ServiceReviewLinks, TheOldestLinkGoesWhenTheLimitIsReachedAndIsCounted) {
  ServiceOptions options = review_link_options();
  options.review_cache_entries = 2;
  RunningService service(options, [] { return LoadedProgram{shipped_program(), {}}; });
  std::vector<std::string> links;
  for (int i = 0; i < 3; ++i)
    links.push_back(post_for_review_link(service));
  const auto gone = http_request(service.port(), "GET", links[0]);
  EXPECT_EQ(gone.status, 404);
  EXPECT_NE(gone.body.find("This review has expired"), std::string::npos);
  EXPECT_EQ(http_request(service.port(), "GET", links[1]).status, 200);
  EXPECT_EQ(http_request(service.port(), "GET", links[2]).status, 200);
  const std::string metrics = http_request(service.port(), "GET", "/metrics").body;
  EXPECT_NE(metrics.find("concord_review_cache_entries 2\n"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("concord_review_cache_evictions_total 1\n"), std::string::npos) << metrics;
}

// Each kept review holds the Program it was evaluated with (megabytes): after a burst of
// reloads, the reviews of the oldest ruleset versions go rather than keep one Program each.
TEST(ServiceReviewLinks, ReviewsKeepAtMostEightRulesetVersionsAlive) {
  RunningService service(review_link_options(), [] {
    auto loaded = dsl::load_library({CONCORD_SOURCE_RULESETS});  // a new Program each time
    return LoadedProgram{loaded.program, {}};
  });
  std::vector<std::string> links;
  for (int version = 0; version < 10; ++version) {
    links.push_back(post_for_review_link(service));
    ASSERT_EQ(http_request(service.port(), "POST", "/admin/reload").status, 200);
  }
  // Ten versions made reviews; the two oldest went with theirs.
  EXPECT_EQ(http_request(service.port(), "GET", links[0]).status, 404);
  EXPECT_EQ(http_request(service.port(), "GET", links[1]).status, 404);
  for (std::size_t i = 2; i < links.size(); ++i)
    EXPECT_EQ(http_request(service.port(), "GET", links[i]).status, 200) << i;
  const std::string metrics = http_request(service.port(), "GET", "/metrics").body;
  EXPECT_NE(metrics.find("concord_review_cache_entries 8\n"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("concord_review_cache_programs 8\n"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("concord_review_cache_evictions_total 2\n"), std::string::npos) << metrics;
}

TEST_F(ServiceTest, UnknownReviewIs404) {
  const auto page =
      http_request(service_->port(), "GET", "/review/00000000-0000-0000-0000-000000000000");
  EXPECT_EQ(page.status, 404);
}

TEST_F(ServiceTest, HealthzAnswersOk) {
  const auto response = http_request(service_->port(), "GET", "/healthz");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.json().at("status"), "ok");
}

TEST_F(ServiceTest, MetricsCountRequestsCardsLatencyAndRulesets) {
  post(kService, hook_request("patient-view", patient_id_, &prefetch_));
  post("/cds-services/nope", json::object{});
  const auto metrics = http_request(service_->port(), "GET", "/metrics");
  ASSERT_EQ(metrics.status, 200);
  const std::string& text = metrics.body;
  EXPECT_NE(text.find("concord_http_requests_total{path=\"/cds-services/{id}\",status=\"200\"} 1"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("concord_http_requests_total{path=\"/cds-services/{id}\",status=\"404\"} 1"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("concord_cards_returned_total 1"), std::string::npos);
  EXPECT_NE(text.find("# TYPE concord_http_request_duration_seconds histogram"), std::string::npos);
  EXPECT_NE(text.find("concord_http_request_duration_seconds_bucket{le=\"+Inf\"}"),
            std::string::npos);
  EXPECT_NE(text.find("concord_ruleset_info{name=\"diabetes\",version=\"1.0.0\"} 1"),
            std::string::npos);
}

TEST_F(ServiceTest, LogLinesCarryNoPatientData) {
  post(kService, hook_request("patient-view", patient_id_, &prefetch_));
  const auto lines = service_->log_lines();
  ASSERT_FALSE(lines.empty());
  bool saw_call = false;
  for (const auto& line : lines) {
    EXPECT_EQ(line.find(patient_id_), std::string::npos) << line;
    EXPECT_EQ(line.find("Hypertension"), std::string::npos) << line;
    if (line.starts_with("POST /cds-services/{id} 200")) {
      saw_call = true;
      EXPECT_NE(line.find("cards=1"), std::string::npos) << line;
      EXPECT_NE(line.find("INSECURE"), std::string::npos) << line;
    }
  }
  EXPECT_TRUE(saw_call);
}

TEST_F(ServiceTest, FailedReloadKeepsTheLastGoodRulesetsServing) {
  fail_loading_ = true;
  const auto reload = http_request(service_->port(), "POST", "/admin/reload");
  EXPECT_EQ(reload.status, 500);
  EXPECT_NE(reload.body.find("broken.concord"), std::string::npos);
  const auto response = post(kService, hook_request("patient-view", patient_id_, &prefetch_));
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(response.json().at("cards").as_array().size(), 1u);
  const auto metrics = http_request(service_->port(), "GET", "/metrics");
  EXPECT_NE(metrics.body.find("concord_reloads_total{result=\"failed\"} 1"), std::string::npos);

  fail_loading_ = false;
  const auto good = http_request(service_->port(), "POST", "/admin/reload");
  EXPECT_EQ(good.status, 200);
  EXPECT_EQ(good.json().at("reloaded"), true);
}

TEST_F(ServiceTest, KeepAliveConnectionServesSeveralRequests) {
  namespace beast = boost::beast;
  namespace http = beast::http;
  boost::asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.connect({boost::asio::ip::make_address("127.0.0.1"), service_->port()});
  beast::flat_buffer buffer;
  for (int i = 0; i < 3; ++i) {
    http::request<http::string_body> request{http::verb::get, "/healthz", 11};
    request.set(http::field::host, "127.0.0.1");
    request.keep_alive(true);
    http::write(stream, request);
    http::response<http::string_body> response;
    http::read(stream, buffer, response);
    EXPECT_EQ(response.result_int(), 200u);
    EXPECT_TRUE(response.keep_alive());
  }
}

// The service's shared state (the current rules, the review cache, the metrics, the feedback
// file, the log) under calls on both service threads at once while the rules are reloaded:
// every call is answered in full. Run under ThreadSanitizer by the tsan preset.
TEST_F(ServiceTest, ConcurrentCallsReviewsFeedbackAndReloadsAllSucceed) {
  constexpr int kClients = 3;
  constexpr int kRounds = 3;
  constexpr int kReloads = 4;
  const std::string request =
      json::serialize(hook_request("patient-view", patient_id_, &prefetch_));
  std::atomic<int> cards{0}, pages{0}, stored{0}, reloads{0};
  std::vector<std::thread> threads;
  for (int c = 0; c < kClients; ++c) {
    threads.emplace_back([&] {
      for (int r = 0; r < kRounds; ++r) {
        const auto call = http_request(service_->port(), "POST", kService, request);
        if (call.status != 200) continue;
        const json::value body = call.json();
        if (body.at("cards").as_array().size() != 1) continue;
        ++cards;
        const auto& card = body.at("cards").at(0).as_object();
        const std::string url(card.at("links").at(0).at("url").as_string());
        const auto page =
            http_request(service_->port(), "GET", url.substr(service_->base_url().size()));
        if (page.status == 200 && page.body.find("Coronary heart disease") != std::string::npos)
          ++pages;
        const std::string feedback = R"({"feedback":[{"card":")" +
                                     std::string(card.at("uuid").as_string()) +
                                     R"(","outcome":"accepted",)"
                                     R"("outcomeTimestamp":"2026-12-01T10:00:00Z"}]})";
        if (http_request(service_->port(), "POST", std::string(kService) + "/feedback", feedback)
                .status == 200)
          ++stored;
      }
    });
  }
  threads.emplace_back([&] {
    for (int r = 0; r < kReloads; ++r) {
      if (http_request(service_->port(), "POST", "/admin/reload").status == 200) ++reloads;
      http_request(service_->port(), "GET", "/metrics");
    }
  });
  for (auto& thread : threads)
    thread.join();

  EXPECT_EQ(cards, kClients * kRounds);
  EXPECT_EQ(pages, kClients * kRounds);
  EXPECT_EQ(stored, kClients * kRounds);
  EXPECT_EQ(reloads, kReloads);
  std::ifstream in(folder_.path() / "feedback.jsonl");
  int lines = 0;
  for (std::string line; std::getline(in, line); ++lines)
    EXPECT_NO_THROW(json::parse(line)) << line;
  EXPECT_EQ(lines, kClients * kRounds) << "one whole line per feedback entry";
  // The load at start counts as one.
  const auto metrics = http_request(service_->port(), "GET", "/metrics");
  EXPECT_NE(
      metrics.body.find("concord_reloads_total{result=\"ok\"} " + std::to_string(kReloads + 1)),
      std::string::npos)
      << metrics.body;
}

}  // namespace
}  // namespace concord::cds::testing
