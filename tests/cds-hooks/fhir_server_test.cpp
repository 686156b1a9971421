// When the prefetch is missing, the service reads the record from the EHR's FHIR server with
// the access token it was given, within the request's time limit.
#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <mutex>
#include <thread>

#include "support.hpp"

namespace concord::cds::testing {
namespace {

namespace json = boost::json;
namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

// A tiny FHIR server on loopback answering the service's prefetch queries from one patient's
// resources; `silent` accepts connections and never answers.
class FakeFhirServer {
 public:
  FakeFhirServer(json::object prefetch, std::string patient_id, bool silent = false)
      : prefetch_(std::move(prefetch)), patient_id_(std::move(patient_id)), silent_(silent) {
    acceptor_.open(tcp::v4());
    acceptor_.bind({net::ip::make_address("127.0.0.1"), 0});
    acceptor_.listen();
    accept();
    thread_ = std::thread([this] { ioc_.run(); });
  }
  ~FakeFhirServer() {
    ioc_.stop();
    thread_.join();
  }
  std::string base() const {
    return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()) + "/fhir";
  }
  std::vector<std::string> authorizations() {
    std::lock_guard lock(mutex_);
    return authorizations_;
  }

 private:
  void accept() {
    acceptor_.async_accept([this](beast::error_code ec, tcp::socket socket) {
      if (ec) return;
      if (silent_) {
        held_.push_back(std::move(socket));
      } else {
        answer(socket);
      }
      accept();
    });
  }

  void answer(tcp::socket& socket) {
    beast::flat_buffer buffer;
    http::request<http::string_body> request;
    beast::error_code ec;
    http::read(socket, buffer, request, ec);
    if (ec) return;
    {
      std::lock_guard lock(mutex_);
      authorizations_.emplace_back(request[http::field::authorization]);
    }
    http::response<http::string_body> response{http::status::not_found, 11};
    const std::string target(request.target());
    for (const auto& key : prefetch_keys(patient_id_)) {
      if (target == "/fhir/" + key.query) {
        response.result(http::status::ok);
        response.body() = json::serialize(prefetch_.at(key.key));
      }
    }
    response.set(http::field::content_type, "application/fhir+json");
    response.prepare_payload();
    http::write(socket, response, ec);
  }

  json::object prefetch_;
  std::string patient_id_;
  bool silent_;
  net::io_context ioc_;
  tcp::acceptor acceptor_{ioc_};
  std::vector<tcp::socket> held_;
  std::thread thread_;
  std::mutex mutex_;
  std::vector<std::string> authorizations_;
};

class FhirServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    prefetch_ =
        prefetch_from_bundle(synthea("99153850-84f1-4de6-9e19-3e0d6eeedeb2.json"), patient_id_);
  }

  std::unique_ptr<RunningService> start(std::chrono::milliseconds time_limit) {
    ServiceOptions options;
    options.insecure_dev = true;
    options.feedback_file = folder_.path() / "feedback.jsonl";
    options.time_limit = time_limit;
    options.evaluation_date = runtime::Date::from_ymd(2026, 12, 1);
    return std::make_unique<RunningService>(options);
  }

  json::object request_to(const std::string& fhir_server) {
    json::object request = hook_request("patient-view", patient_id_, nullptr);
    request["fhirServer"] = fhir_server;
    request["fhirAuthorization"] = json::object{{"access_token", "secret-token-123"},
                                                {"token_type", "Bearer"},
                                                {"expires_in", 300},
                                                {"scope", "patient/*.read"},
                                                {"subject", "concord"}};
    return request;
  }

  TempFolder folder_;
  json::object prefetch_;
  std::string patient_id_;
};

TEST_F(FhirServerTest, RecordIsReadFromTheFhirServerWhenPrefetchIsMissing) {
  FakeFhirServer fhir(prefetch_, patient_id_);
  auto service = start(std::chrono::milliseconds(5000));
  const auto response = http_request(service->port(), "POST", "/cds-services/concord-ltc-review",
                                     json::serialize(request_to(fhir.base())));
  ASSERT_EQ(response.status, 200) << response.body;
  const auto cards = response.json().at("cards").as_array();
  ASSERT_EQ(cards.size(), 1u);
  EXPECT_NE(std::string(cards.at(0).at("summary").as_string()).find("Hypertension"),
            std::string::npos);
  const auto seen = fhir.authorizations();
  EXPECT_EQ(seen.size(), prefetch_keys(patient_id_).size());
  for (const auto& authorization : seen)
    EXPECT_EQ(authorization, "Bearer secret-token-123");
}

TEST_F(FhirServerTest, OnlyTheMissingPrefetchKeysAreFetched) {
  FakeFhirServer fhir(prefetch_, patient_id_);
  auto service = start(std::chrono::milliseconds(5000));
  json::object request = request_to(fhir.base());
  json::object partial = prefetch_;
  partial.erase("observations");
  request["prefetch"] = partial;
  const auto response = http_request(service->port(), "POST", "/cds-services/concord-ltc-review",
                                     json::serialize(request));
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(fhir.authorizations().size(), 1u);
}

TEST_F(FhirServerTest, FhirServerThatDoesNotAnswerIs504WithinTheTimeLimit) {
  FakeFhirServer fhir(prefetch_, patient_id_, /*silent=*/true);
  auto service = start(std::chrono::milliseconds(400));
  const auto started = std::chrono::steady_clock::now();
  const auto response = http_request(service->port(), "POST", "/cds-services/concord-ltc-review",
                                     json::serialize(request_to(fhir.base())));
  EXPECT_EQ(response.status, 504);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(3));
}

TEST_F(FhirServerTest, UnreachableFhirServerIs412) {
  auto service = start(std::chrono::milliseconds(2000));
  // A port nothing listens on: bind one, then close it.
  net::io_context ioc;
  tcp::acceptor probe(ioc, {net::ip::make_address("127.0.0.1"), 0});
  const auto port = probe.local_endpoint().port();
  probe.close();
  const auto response = http_request(
      service->port(), "POST", "/cds-services/concord-ltc-review",
      json::serialize(request_to("http://127.0.0.1:" + std::to_string(port) + "/fhir")));
  EXPECT_EQ(response.status, 412);
  EXPECT_NE(response.body.find("fhirServer"), std::string::npos);
}

TEST_F(FhirServerTest, HttpsFhirServerIsRefusedClearly) {
  auto service = start(std::chrono::milliseconds(2000));
  const auto response = http_request(service->port(), "POST", "/cds-services/concord-ltc-review",
                                     json::serialize(request_to("https://fhir.example.org/r4")));
  EXPECT_EQ(response.status, 412);
  EXPECT_NE(response.body.find("https"), std::string::npos);
}

}  // namespace
}  // namespace concord::cds::testing
