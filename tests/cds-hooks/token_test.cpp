// The EHR's bearer token (CDS Hooks 2.0 JWT): allowed issuers, ES384/RS384 only, aud equal to
// the endpoint called, exp/iat, and a jti used once.
#include <gtest/gtest.h>

#include "support.hpp"

namespace concord::cds::testing {
namespace {

namespace json = boost::json;

constexpr const char* kIssuer = "https://ehr.example.org";
constexpr const char* kService = "/cds-services/concord-ltc-review";

class TokenTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ec_key_ = new TestKey(TestKey::ec_p384("ec-1"));
    rsa_key_ = new TestKey(TestKey::rsa("rsa-1"));
  }
  static void TearDownTestSuite() {
    delete ec_key_;
    delete rsa_key_;
  }

  void SetUp() override {
    ServiceOptions options;
    options.issuers = {{kIssuer, write_jwks(folder_.path(), {ec_key_, rsa_key_})}};
    options.feedback_file = folder_.path() / "feedback.jsonl";
    options.evaluation_date = runtime::Date::from_ymd(2026, 12, 1);
    service_ = std::make_unique<RunningService>(options);
    prefetch_ =
        prefetch_from_bundle(synthea("99153850-84f1-4de6-9e19-3e0d6eeedeb2.json"), patient_id_);
    body_ = json::serialize(hook_request("patient-view", patient_id_, &prefetch_));
  }

  std::string audience(const std::string& path = kService) const {
    return service_->base_url() + path;
  }

  HttpResponse call(const std::string& token, const std::string& path = kService) {
    std::vector<std::pair<std::string, std::string>> headers;
    if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + token);
    return http_request(service_->port(), "POST", path, body_, headers);
  }

  static TestKey* ec_key_;
  static TestKey* rsa_key_;
  TempFolder folder_;
  std::unique_ptr<RunningService> service_;
  json::object prefetch_;
  std::string patient_id_;
  std::string body_;
};

TestKey* TokenTest::ec_key_ = nullptr;
TestKey* TokenTest::rsa_key_ = nullptr;

TEST_F(TokenTest, Es384TokenFromAllowedIssuerIsAccepted) {
  const auto response = call(ec_key_->sign(client_claims(kIssuer, audience()), "ES384"));
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.json().at("cards").as_array().size(), 1u);
}

TEST_F(TokenTest, Rs384TokenFromAllowedIssuerIsAccepted) {
  const auto response = call(rsa_key_->sign(client_claims(kIssuer, audience()), "RS384"));
  EXPECT_EQ(response.status, 200) << response.body;
}

TEST_F(TokenTest, AudienceAsAnArrayIsAccepted) {
  json::object claims = client_claims(kIssuer, audience());
  claims["aud"] = json::array{"https://other.example", audience()};
  EXPECT_EQ(call(ec_key_->sign(claims, "ES384")).status, 200);
}

TEST_F(TokenTest, MissingTokenIs401WithChallenge) {
  const auto response = call("");
  EXPECT_EQ(response.status, 401);
  EXPECT_NE(response.headers.at("www-authenticate").find("Bearer"), std::string::npos);
}

TEST_F(TokenTest, ExpiredTokenIs401) {
  json::object claims = client_claims(kIssuer, audience());
  claims["iat"] = claims["iat"].as_int64() - 900;
  claims["exp"] = claims["iat"].as_int64() + 300;
  const auto response = call(ec_key_->sign(claims, "ES384"));
  EXPECT_EQ(response.status, 401);
  EXPECT_NE(response.body.find("expired"), std::string::npos);
}

TEST_F(TokenTest, TokenIssuedInTheFutureIs401) {
  json::object claims = client_claims(kIssuer, audience());
  claims["iat"] = claims["iat"].as_int64() + 3600;
  claims["exp"] = claims["iat"].as_int64() + 300;
  EXPECT_EQ(call(ec_key_->sign(claims, "ES384")).status, 401);
}

TEST_F(TokenTest, UnsignedTokenIs401) {
  const std::string header = base64url_encode(R"({"alg":"none","typ":"JWT"})");
  const std::string claims = base64url_encode(json::serialize(client_claims(kIssuer, audience())));
  const auto response = call(header + "." + claims + ".");
  EXPECT_EQ(response.status, 401);
  EXPECT_NE(response.body.find("none"), std::string::npos);
}

TEST_F(TokenTest, TamperedClaimsAre401) {
  const std::string token = ec_key_->sign(client_claims(kIssuer, audience()), "ES384");
  const auto dot1 = token.find('.'), dot2 = token.rfind('.');
  json::object claims = client_claims(kIssuer, audience());
  claims["iss"] = kIssuer;
  claims["sub"] = "someone-else";
  const std::string forged =
      token.substr(0, dot1 + 1) + base64url_encode(json::serialize(claims)) + token.substr(dot2);
  const auto response = call(forged);
  EXPECT_EQ(response.status, 401);
  EXPECT_NE(response.body.find("signature"), std::string::npos);
}

TEST_F(TokenTest, WrongAudienceIs401) {
  const auto response = call(ec_key_->sign(
      client_claims(kIssuer, "https://other.example/cds-services/concord-ltc-review"), "ES384"));
  EXPECT_EQ(response.status, 401);
  EXPECT_NE(response.body.find("aud"), std::string::npos);
  // A token for the discovery endpoint does not open a service call either.
  EXPECT_EQ(call(ec_key_->sign(client_claims(kIssuer, audience("/cds-services")), "ES384")).status,
            401);
}

TEST_F(TokenTest, ReplayedTokenIs401) {
  const std::string token = ec_key_->sign(client_claims(kIssuer, audience()), "ES384");
  EXPECT_EQ(call(token).status, 200);
  const auto replay = call(token);
  EXPECT_EQ(replay.status, 401);
  EXPECT_NE(replay.body.find("jti"), std::string::npos);
}

TEST_F(TokenTest, AlgorithmOtherThanEs384OrRs384Is401) {
  // RS256 with a key the issuer does hold: the algorithm alone is refused.
  const auto rs256 = call(rsa_key_->sign(client_claims(kIssuer, audience()), "RS256"));
  EXPECT_EQ(rs256.status, 401);
  EXPECT_NE(rs256.body.find("RS256"), std::string::npos);
  // An RSA signature presented as ES384 does not verify.
  EXPECT_EQ(call(rsa_key_->sign(client_claims(kIssuer, audience()), "ES384")).status, 401);
}

TEST_F(TokenTest, UnknownIssuerIs401) {
  const auto response =
      call(ec_key_->sign(client_claims("https://unknown.example", audience()), "ES384"));
  EXPECT_EQ(response.status, 401);
  EXPECT_NE(response.body.find("issuer"), std::string::npos);
}

TEST_F(TokenTest, KeyNotInTheIssuersJwksIs401) {
  const TestKey stranger = TestKey::ec_p384("ec-1");  // same kid, different key
  EXPECT_EQ(call(stranger.sign(client_claims(kIssuer, audience()), "ES384")).status, 401);
}

TEST_F(TokenTest, FeedbackNeedsATokenForTheFeedbackEndpoint) {
  const std::string path = std::string(kService) + "/feedback";
  const std::string feedback =
      R"({"feedback":[{"card":"c1","outcome":"accepted","outcomeTimestamp":"2026-12-01T10:00:00Z"}]})";
  const auto without = http_request(service_->port(), "POST", path, feedback);
  EXPECT_EQ(without.status, 401);
  const auto with =
      http_request(service_->port(), "POST", path, feedback,
                   {{"Authorization",
                     "Bearer " + ec_key_->sign(client_claims(kIssuer, audience(path)), "ES384")}});
  EXPECT_EQ(with.status, 200) << with.body;
}

TEST(ServiceStartTest, RefusesToStartWithoutIssuersUnlessInsecureDevIsGiven) {
  ServiceOptions options;
  options.port = 0;
  TempFolder folder;
  options.feedback_file = folder.path() / "feedback.jsonl";
  std::string error;
  EXPECT_EQ(Service::create(
                options,
                [] {
                  return LoadedProgram{shipped_program(), {}};
                },
                error),
            nullptr);
  EXPECT_NE(error.find("--insecure-dev"), std::string::npos) << error;
}

TEST(ServiceStartTest, UnreadableJwksFileIsAnErrorNamingIt) {
  ServiceOptions options;
  options.port = 0;
  TempFolder folder;
  options.feedback_file = folder.path() / "feedback.jsonl";
  options.issuers = {{kIssuer, folder.path() / "missing-jwks.json"}};
  std::string error;
  EXPECT_EQ(Service::create(
                options,
                [] {
                  return LoadedProgram{shipped_program(), {}};
                },
                error),
            nullptr);
  EXPECT_NE(error.find("missing-jwks.json"), std::string::npos) << error;
}

TEST(Base64UrlTest, RoundTripsEveryLength) {
  std::string bytes;
  for (int i = 0; i < 70; ++i) {
    EXPECT_EQ(base64url_decode(base64url_encode(bytes)), bytes);
    bytes.push_back(static_cast<char>(i * 37));
  }
  EXPECT_FALSE(base64url_decode("a+b/").has_value());
}

}  // namespace
}  // namespace concord::cds::testing
