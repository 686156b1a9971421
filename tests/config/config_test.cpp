// The configuration file: every key read into the struct, and every mistake reported with the
// key and file:line.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>

#include "concord/config/config.hpp"

namespace concord::config {
namespace {

namespace fs = std::filesystem;

class ConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "concord-config-XXXXXX").string();
    ASSERT_TRUE(::mkdtemp(pattern.data()));
    dir_ = pattern;
    fs::create_directories(dir_ / "rules");
    fs::create_directories(dir_ / "plugins");
    fs::create_directories(dir_ / "log");
    std::ofstream(dir_ / "jwks.json") << R"({"keys":[]})";
    std::ofstream(dir_ / "site-ca.pem") << "-----BEGIN CERTIFICATE-----\n";
  }
  void TearDown() override { fs::remove_all(dir_); }
  LoadResult parse(const std::string& text) { return config::parse(text, "concord.conf", dir_); }
  // The one problem reported, as text.
  std::string problem(const std::string& text) {
    const auto r = parse(text);
    EXPECT_FALSE(r.config);
    EXPECT_EQ(r.problems.size(), 1u) << format_problems(r.problems);
    return format_problems(r.problems);
  }
  fs::path dir_;
};

TEST_F(ConfigTest, EveryKeyIsReadIntoTheStruct) {
  const auto r = parse(R"(# Concord
[rulesets]
folder = rules
folder = )" + dir_.string() +
                       R"(/plugins
locale = cy

[plugins]
folder = plugins

[plugins.sha256]
libconcord_clinical.so = ABCDEF0123456789abcdef0123456789ABCDEF0123456789abcdef0123456789

[plugin.terminology]
refsets = /srv/snomed/refsets
maps = /srv/snomed/maps

[service]
listen = [::1]:9090
threads = 8
body_limit = 2 MiB
time_limit = 3 s
review_links = 50000
review_link_time = 8 h
feedback_log = log/feedback.jsonl
fhir_ca_file = site-ca.pem

[auth]
audience = https://concord.example.org

[auth.jwks]
https://issuer.example.org = jwks.json

[log]
level = debug
)");
  ASSERT_TRUE(r.config) << format_problems(r.problems);
  const Config& c = *r.config;
  EXPECT_EQ(c.ruleset_folders, (std::vector<fs::path>{dir_ / "rules", dir_ / "plugins"}));
  EXPECT_EQ(c.locale, "cy");
  EXPECT_EQ(c.plugin_folders, std::vector<fs::path>{dir_ / "plugins"});
  EXPECT_EQ(c.plugin_sha256.at("libconcord_clinical.so"),
            "abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789");
  const std::vector<std::pair<std::string, std::string>> terminology = {
      {"refsets", "/srv/snomed/refsets"}, {"maps", "/srv/snomed/maps"}};
  EXPECT_EQ(c.plugin_settings.at("terminology"), terminology);
  EXPECT_EQ(c.service.listen_host, "::1");
  EXPECT_EQ(c.service.listen_port, 9090);
  EXPECT_EQ(c.service.threads, 8u);
  EXPECT_EQ(c.service.body_limit, 2u * 1024 * 1024);
  EXPECT_EQ(c.service.time_limit, std::chrono::milliseconds(3000));
  EXPECT_EQ(c.service.review_links, 50000u);
  EXPECT_EQ(c.service.review_link_time, std::chrono::hours(8));
  EXPECT_EQ(c.service.feedback_log, dir_ / "log/feedback.jsonl");
  EXPECT_EQ(c.service.fhir_ca_file, dir_ / "site-ca.pem");
  EXPECT_EQ(c.auth.audience, "https://concord.example.org");
  EXPECT_EQ(c.auth.jwks.at("https://issuer.example.org"), dir_ / "jwks.json");
  EXPECT_EQ(c.log_level, LogLevel::debug);
}

TEST_F(ConfigTest, AnEmptyFileGivesTheDefaults) {
  const auto r = parse("");
  ASSERT_TRUE(r.config);
  EXPECT_TRUE(r.config->ruleset_folders.empty());
  EXPECT_EQ(r.config->locale, "en-GB");
  EXPECT_EQ(r.config->service.listen_host, "127.0.0.1");
  EXPECT_EQ(r.config->service.listen_port, 8080);
  EXPECT_EQ(r.config->service.review_links, 10000u);
  EXPECT_EQ(r.config->service.review_link_time, std::chrono::hours(1));
  EXPECT_EQ(r.config->log_level, LogLevel::info);
}

TEST_F(ConfigTest, AnUnknownKeyIsRejectedWithDidYouMean) {
  EXPECT_EQ(problem("[service]\nthread = 4\n"),
            "concord.conf:2: error: [service] thread is not a key of [service]; did you mean "
            "'threads'?\n");
}

TEST_F(ConfigTest, AnUnknownSectionIsRejectedWithDidYouMean) {
  EXPECT_NE(problem("\n[plugin]\nfolder = plugins\n")
                .find("concord.conf:2: error: [plugin] is not a section Concord knows; did you "
                      "mean 'plugins'?"),
            std::string::npos);
}

TEST_F(ConfigTest, BadValuesNameTheKeyAndTheLine) {
  EXPECT_NE(problem("[service]\n\nthreads = many\n")
                .find("concord.conf:3: error: [service] "
                      "threads = 'many': write a whole number"),
            std::string::npos);
  EXPECT_NE(problem("[service]\nlisten = localhost\n").find("[service] listen = 'localhost'"),
            std::string::npos);
  EXPECT_NE(problem("[service]\nbody_limit = 1 GB\n").find(":2: error: [service] body_limit"),
            std::string::npos);
  EXPECT_NE(problem("[service]\ntime_limit = 5\n").find("with its unit"), std::string::npos);
  EXPECT_NE(problem("[service]\nreview_links = -1\n").find("[service] review_links = '-1'"),
            std::string::npos);
  EXPECT_NE(problem("[service]\nreview_link_time = 2 days\n").find("(s, min or h)"),
            std::string::npos);
  EXPECT_NE(problem("[service]\nreview_link_time = 200 h\n").find("from 1 s to 168 h"),
            std::string::npos);
  EXPECT_NE(problem("[log]\nlevel = loud\n").find("write error, warning, info or debug"),
            std::string::npos);
  EXPECT_NE(problem("[rulesets]\nlocale = english!\n").find("not a language tag"),
            std::string::npos);
  EXPECT_NE(problem("[plugins.sha256]\nlibx.so = 1234\n").find("64 hexadecimal digits"),
            std::string::npos);
}

TEST_F(ConfigTest, MissingFoldersAndFilesAreReported) {
  EXPECT_NE(problem("[plugins]\nfolder = nowhere\n")
                .find("[plugins] folder = 'nowhere': no such "
                      "folder"),
            std::string::npos);
  EXPECT_NE(problem("[auth]\naudience = a\n[auth.jwks]\nhttps://i.example = missing.json\n")
                .find(":4: error: [auth.jwks] https://i.example = 'missing.json': cannot read"),
            std::string::npos);
  EXPECT_NE(problem("[service]\nfhir_ca_file = missing-ca.pem\n")
                .find(":2: error: [service] fhir_ca_file = 'missing-ca.pem': cannot read the file"),
            std::string::npos);
}

TEST_F(ConfigTest, AKeySetTwiceNamesTheFirstLine) {
  EXPECT_NE(problem("[log]\nlevel = info\nlevel = debug\n")
                .find(":3: error: [log] level is set twice (first on line 2)"),
            std::string::npos);
}

TEST_F(ConfigTest, IssuersNeedAnAudience) {
  EXPECT_NE(problem("[auth.jwks]\nhttps://issuer.example = jwks.json\n")
                .find("[auth] audience is missing"),
            std::string::npos);
}

TEST_F(ConfigTest, EveryProblemIsReportedNotOnlyTheFirst) {
  const auto r = parse("[service]\nthreads = 0\nlisten = x\n[log]\nlevel = loud\nstray\n");
  EXPECT_FALSE(r.config);
  EXPECT_EQ(r.problems.size(), 4u) << format_problems(r.problems);
}

TEST_F(ConfigTest, AnUnreadableFileIsMarkedUnreadable) {
  const auto r = load(dir_ / "missing.conf");
  EXPECT_TRUE(r.unreadable);
  EXPECT_FALSE(r.config);
}

TEST_F(ConfigTest, DescribeWritesAFileThatReadsBackTheSame) {
  const auto first = parse(
      "[rulesets]\nfolder = rules\n[plugins]\nfolder = plugins\n[plugin.terminology]\nmaps = "
      "/srv/maps\n[service]\nlisten = 0.0.0.0:80\ntime_limit = 250 ms\nfhir_ca_file = "
      "site-ca.pem\n[log]\nlevel = warning\n");
  ASSERT_TRUE(first.config);
  const auto second = parse(describe(*first.config));
  ASSERT_TRUE(second.config) << format_problems(second.problems);
  EXPECT_EQ(describe(*second.config), describe(*first.config));
  EXPECT_EQ(second.config->service.time_limit, std::chrono::milliseconds(250));
}

}  // namespace
}  // namespace concord::config
