// concord_open_config as a host sees it: a configuration file naming the shipped terminology
// and clinical plugins, rulesets that use a refset and a score, and every way the plugins can
// be wrong. Only concord.h; the plugins are the ones this build made, copied into fresh
// folders with the permissions the loader asks for.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <iomanip>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "abi_support.hpp"

namespace concord::abi_test {
namespace {

namespace fs = std::filesystem;

const fs::path kTerminology = PLUGIN_TERMINOLOGY;
const fs::path kClinical = PLUGIN_CLINICAL;
const fs::path kFailing = PLUGIN_FAILING;
const fs::path kRefsets =
    fs::path(CONCORD_TEST_DATA) / "terminology" / "der2_Refset_SimpleFull_TEST_20210401.txt";
const std::string kNoDigest(64, '0');

// Hypertension by the HYP_COD refset (the sample record has 38341003, a member in the test
// refset file) and a CHA2DS2-VASc of 1 or more; the same with a score of 9 or more, which the
// sample does not reach; atrial fibrillation by AFIB_COD, which the sample does not have.
constexpr const char* kSiteRuleset = R"(ruleset site version "1.0.0"
  title "Site rules over the national refsets"
  source "NICE NG136; NICE NG196"

codes hyp_dx = refset "HYP_COD"
codes af_dx = refset "AFIB_COD"

condition hypertension "Hypertension"
  present when diagnosis in hyp_dx and score cha2ds2_vasc >= 1

condition high_stroke_risk "Stroke risk 9"
  present when diagnosis in hyp_dx and score cha2ds2_vasc >= 9

condition af "Atrial fibrillation"
  present when diagnosis in af_dx

check bp "Blood pressure" for hypertension, high_stroke_risk, af stage tests every 12 months
  done by observation in hyp_dx
)";

std::string sha256_of(const fs::path& file) {
  const std::string bytes = read_file(file);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &size, EVP_sha256(), nullptr);
  std::ostringstream hex;
  for (unsigned int i = 0; i < size; ++i)
    hex << std::hex << std::setw(2) << std::setfill('0') << static_cast<int>(digest[i]);
  return hex.str();
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Fails the test once for each part the text lacks, showing the text.
void expect_parts(const std::string& text, std::initializer_list<std::string> parts) {
  for (const std::string& part : parts)
    EXPECT_TRUE(contains(text, part)) << "no '" << part << "' in:\n" << text;
}

// The condition ids in the sample's output, in order ("hypertension,af").
std::string conditions_of(const std::string& json) {
  const auto start = json.find("\"conditions\":[");
  if (start == std::string::npos) return "<no conditions>";
  const auto end = json.find(']', start);
  std::string ids;
  const std::string key = "{\"id\":\"";
  for (auto at = json.find(key, start); at != std::string::npos && at < end;
       at = json.find(key, at + 1)) {
    const auto first = at + key.size();
    ids += (ids.empty() ? "" : ",") + json.substr(first, json.find('"', first) - first);
  }
  return ids;
}

// A site in a fresh folder: plugins/ (mode 0755, as the loader requires), rulesets/ with the
// site ruleset, and concord.conf, written by each test. Removed afterwards.
class Site {
 public:
  Site() {
    std::string pattern = (fs::temp_directory_path() / "concord-abi-site-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    root_ = pattern;
    fs::permissions(root_, fs::perms(0755));
    fs::create_directory(plugins());
    fs::permissions(plugins(), fs::perms(0755));
    fs::create_directory(rulesets());
    write_ruleset(kSiteRuleset);
  }
  ~Site() {
    std::error_code ignored;
    fs::remove_all(root_, ignored);
  }
  Site(const Site&) = delete;
  Site& operator=(const Site&) = delete;

  const fs::path& root() const { return root_; }
  fs::path plugins() const { return root_ / "plugins"; }
  fs::path rulesets() const { return root_ / "rulesets"; }
  fs::path config() const { return root_ / "concord.conf"; }

  // Copies a built plugin into `folder` (the plugins folder by default), mode 0755.
  fs::path add_plugin(const fs::path& built, const fs::path& folder = {}) const {
    const fs::path target = (folder.empty() ? plugins() : folder) / built.filename();
    fs::copy_file(built, target, fs::copy_options::overwrite_existing);
    fs::permissions(target, fs::perms(0755));
    return target;
  }
  void write_ruleset(const std::string& text) const {
    std::ofstream(rulesets() / "site.concord", std::ios::binary | std::ios::trunc) << text;
  }
  // concord.conf: the site's rulesets and plugin folders, the terminology's refsets, and
  // `more` after them.
  void write_config(const std::string& more = "", const fs::path& refsets = kRefsets) const {
    std::ofstream(config(), std::ios::binary | std::ios::trunc)
        << "[rulesets]\nfolder = " << rulesets().string()
        << "\n\n[plugins]\nfolder = " << plugins().string()
        << "\n\n[plugin.terminology]\nrefsets = " << refsets.string() << "\n\n"
        << more;
  }
  // Both shipped plugins, the configuration pinning their digests.
  void install_shipped_plugins() const {
    add_plugin(kTerminology);
    add_plugin(kClinical);
    write_config("[plugins.sha256]\n" + kTerminology.filename().string() + " = " +
                 sha256_of(kTerminology) + "\n" + kClinical.filename().string() + " = " +
                 sha256_of(kClinical) + "\n");
  }

 private:
  fs::path root_;
};

// concord_open_config on a file, expecting `expected`; the runtime is returned either way.
Runtime open_config(const fs::path& file, int expected = CONCORD_OK) {
  const std::string path = file.string();
  concord_runtime* raw = nullptr;
  const int status = concord_open_config(path.data(), path.size(), &raw);
  EXPECT_EQ(status, expected) << concord_errmsg(raw) << concord_errmsg(nullptr);
  return Runtime(raw);
}

// Opening fails without a runtime; returns concord_errmsg(NULL), which says why.
std::string refused_open(const fs::path& file) {
  const Runtime runtime = open_config(file, CONCORD_ERROR_ARGUMENT);
  EXPECT_EQ(runtime, nullptr);
  return concord_errmsg(nullptr);
}

TEST(AbiOpenConfigTest, ShippedPluginsResolveTheRefsetAndTheScore) {
  const Site site;
  site.install_shipped_plugins();
  Runtime runtime = open_config(site.config());
  ASSERT_NE(runtime, nullptr);
  EXPECT_EQ(diagnostics(runtime.get()), "[]");

  concord_result* raw = nullptr;
  ASSERT_EQ(concord_evaluate(runtime.get(), sample_record().data(), sample_record().size(),
                             kDate.c_str(), &raw),
            CONCORD_OK)
      << concord_errmsg(runtime.get());
  const Result result(raw);
  // The result is the caller's: it outlives the runtime and the plugins it was made with.
  runtime.reset();
  const std::string json = concord_result_json(result.get(), nullptr);
  EXPECT_EQ(conditions_of(json), "hypertension") << json;
  EXPECT_TRUE(contains(json, "\"check\":\"bp\"")) << json;
}

TEST(AbiOpenConfigTest, WithoutPluginsTheSameRulesetsDoNotCompile) {
  const Site site;
  const Runtime runtime = open(site.rulesets().string(), CONCORD_ERROR_RULESETS);
  ASSERT_NE(runtime, nullptr);
  const std::string json = diagnostics(runtime.get());
  expect_parts(json, {"\"code\":\"no-terminology\"", "\"code\":\"no-functions\""});
  expect_parts(concord_errmsg(runtime.get()),
               {"concord_open loads no plugins", "concord_open_config"});
}

TEST(AbiOpenConfigTest, TheOutcomeFollowsTheTerminologysRefsets) {
  const Site site;
  site.add_plugin(kTerminology);
  site.add_plugin(kClinical);
  // HYP_COD without the sample's 38341003; AFIB_COD with it.
  const fs::path refsets = site.root() / "der2_Refset_SimpleSnapshot_SITE_20210401.txt";
  std::ofstream(refsets, std::ios::binary)
      << "id\teffectiveTime\tactive\tmoduleId\trefsetId\treferencedComponentId\n"
      << "a1\t20200401\t1\tSITE\tHYP_COD\t1201005\n"
      << "a2\t20200401\t1\tSITE\tAFIB_COD\t38341003\n";
  site.write_config("", refsets);
  const Runtime runtime = open_config(site.config());
  ASSERT_NE(runtime, nullptr);
  EXPECT_EQ(conditions_of(evaluate(runtime.get())), "af");
}

TEST(AbiOpenConfigTest, NoRulesetsFolderMeansTheShippedRulesets) {
  const Site site;
  site.add_plugin(kClinical);
  std::ofstream(site.config()) << "[plugins]\nfolder = " << site.plugins().string() << "\n";
  const Runtime with_plugins = open_config(site.config());
  ASSERT_NE(with_plugins, nullptr);
  const Runtime plain = open(kRulesets);
  ASSERT_NE(plain, nullptr);
  const std::string json = evaluate(with_plugins.get());
  EXPECT_TRUE(contains(json, "\"kind\":\"merged\"")) << json;
  EXPECT_EQ(json, evaluate(plain.get()));
}

TEST(AbiOpenConfigTest, AMissingPluginIsNamed) {
  const Site site;
  site.add_plugin(kClinical);

  // Named by its digest, but in no folder.
  site.write_config("[plugins.sha256]\n" + kClinical.filename().string() + " = " +
                    sha256_of(kClinical) + "\nlibconcord_terminology.so = " + kNoDigest + "\n");
  std::string message = refused_open(site.config());
  expect_parts(message, {"[plugins.sha256] lists libconcord_terminology.so",
                         "in none of the plugin folders " + site.plugins().string(),
                         site.config().string()});

  // Set up by its [plugin.NAME] section, but in no folder.
  site.write_config();
  message = refused_open(site.config());
  expect_parts(message,
               {"[plugin.terminology] sets up a plugin named 'terminology'", "install it there"});

  // Not named at all: the ruleset that needs it does not compile, and the runtime says which
  // plugins it has.
  std::ofstream(site.config(), std::ios::trunc)
      << "[rulesets]\nfolder = " << site.rulesets().string()
      << "\n[plugins]\nfolder = " << site.plugins().string() << "\n";
  const Runtime runtime = open_config(site.config(), CONCORD_ERROR_RULESETS);
  ASSERT_NE(runtime, nullptr);
  EXPECT_TRUE(contains(diagnostics(runtime.get()), "\"code\":\"no-terminology\""));
  EXPECT_FALSE(contains(diagnostics(runtime.get()), "\"code\":\"no-functions\""));
  expect_parts(concord_errmsg(runtime.get()),
               {"site.concord:5:", "needs a terminology", "with the plugins clinical ",
                "open the runtime again"});
}

TEST(AbiOpenConfigTest, APluginOutsideTheConfiguredFoldersIsRefused) {
  const Site site;
  site.add_plugin(kTerminology);
  const fs::path elsewhere = site.root() / "elsewhere";
  fs::create_directory(elsewhere);
  fs::permissions(elsewhere, fs::perms(0755));
  const fs::path outside = site.add_plugin(kClinical, elsewhere);
  const fs::path link = site.plugins() / kClinical.filename();
  fs::create_symlink(outside, link);
  site.write_config();

  expect_parts(refused_open(site.config()),
               {"plugin " + link.string() + " not loaded", "resolves to '" + outside.string() + "'",
                "is not inside a configured plugin folder", "no runtime was opened"});
}

TEST(AbiOpenConfigTest, AWrongDigestIsRefused) {
  const Site site;
  site.add_plugin(kTerminology);
  site.add_plugin(kClinical);
  site.write_config("[plugins.sha256]\n" + kTerminology.filename().string() + " = " +
                    sha256_of(kTerminology) + "\n" + kClinical.filename().string() + " = " +
                    kNoDigest + "\n");
  const std::string message = refused_open(site.config());
  expect_parts(message, {kClinical.filename().string() + "' has SHA-256 " + sha256_of(kClinical) +
                             " but the configuration expects " + kNoDigest,
                         "reinstall it, or update the digest"});
  EXPECT_FALSE(contains(message, kTerminology.filename().string() + " not loaded")) << message;
}

TEST(AbiOpenConfigTest, AnUnusableConfigurationIsAnArgumentErrorNamingFileAndLine) {
  const Site site;
  std::ofstream(site.config()) << "[rulesets]\nfolder = " << (site.root() / "nowhere").string()
                               << "\n[plugins]\nfoldr = x\n";
  expect_parts(refused_open(site.config()),
               {site.config().string() + ":2: error: [rulesets] folder",
                site.config().string() + ":4: error: [plugins] foldr", "concord config check"});
  expect_parts(refused_open(site.root() / "no-such.conf"),
               {"no-such.conf: error: cannot read the configuration file"});

  concord_runtime* runtime = reinterpret_cast<concord_runtime*>(0x1);  // must be reset
  EXPECT_EQ(concord_open_config(nullptr, 3, &runtime), CONCORD_ERROR_ARGUMENT);
  EXPECT_EQ(runtime, nullptr);
  expect_parts(concord_errmsg(nullptr), {"config_path is NULL"});
  const std::string with_nul("a.conf\0b", 8);
  EXPECT_EQ(concord_open_config(with_nul.data(), with_nul.size(), &runtime),
            CONCORD_ERROR_ARGUMENT);
  expect_parts(concord_errmsg(nullptr), {"NUL byte"});
  EXPECT_EQ(concord_open_config(site.config().c_str(), site.config().string().size(), nullptr),
            CONCORD_ERROR_ARGUMENT);

  // NULL and 0: the default file, which a test machine does not have.
  if (!fs::exists("/etc/concord/concord.conf")) {
    EXPECT_EQ(concord_open_config(nullptr, 0, &runtime), CONCORD_ERROR_ARGUMENT);
    expect_parts(concord_errmsg(nullptr), {"/etc/concord/concord.conf"});
  }
}

TEST(AbiOpenConfigTest, AFailingScoreIsAWarningInThatRecordsDiagnostics) {
  const Site site;
  site.add_plugin(kTerminology);
  site.add_plugin(kClinical);
  site.add_plugin(kFailing);
  site.write_config();
  site.write_ruleset(std::string(kSiteRuleset) + R"(
condition data_missing "Needs a score the plugin cannot give"
  present when diagnosis in hyp_dx and score fails >= 0
)");
  const Runtime runtime = open_config(site.config());
  ASSERT_NE(runtime, nullptr);
  const std::string json = evaluate(runtime.get());
  EXPECT_EQ(conditions_of(json), "hypertension") << json;
  EXPECT_TRUE(contains(json,
                       "{\"severity\":\"warning\",\"where\":\"plugin\",\"message\":\"plugin "
                       "'failing' (libtest_failing.so): function 'fails' failed: the data "
                       "file is missing\"}"))
      << json;
}

TEST(AbiOpenConfigTest, ReloadKeepsThePlugins) {
  const Site site;
  site.install_shipped_plugins();
  const Runtime runtime = open_config(site.config());
  ASSERT_NE(runtime, nullptr);
  ASSERT_EQ(conditions_of(evaluate(runtime.get())), "hypertension");

  // The refset and the score still resolve after a reload, on the new rules.
  std::string lowered = kSiteRuleset;
  lowered.replace(lowered.find(">= 9"), 4, ">= 1");
  site.write_ruleset(lowered);
  ASSERT_EQ(concord_reload(runtime.get()), CONCORD_OK) << concord_errmsg(runtime.get());
  EXPECT_EQ(diagnostics(runtime.get()), "[]");
  EXPECT_EQ(conditions_of(evaluate(runtime.get())), "hypertension,high_stroke_risk");

  // A failed reload keeps the last good rules, plugins and all.
  site.write_ruleset(lowered + "\ncondition broken \"Broken\"\n  present when score\n");
  EXPECT_EQ(concord_reload(runtime.get()), CONCORD_ERROR_RULESETS);
  expect_parts(concord_errmsg(runtime.get()), {"site.concord:", "previous rules stay in use"});
  EXPECT_EQ(conditions_of(evaluate(runtime.get())), "hypertension,high_stroke_risk");

  site.write_ruleset(kSiteRuleset);
  ASSERT_EQ(concord_reload(runtime.get()), CONCORD_OK) << concord_errmsg(runtime.get());
  EXPECT_EQ(conditions_of(evaluate(runtime.get())), "hypertension");
}

TEST(AbiOpenConfigTest, ThreadsScoreWhileAnotherReloads) {
  const Site site;
  site.install_shipped_plugins();
  const Runtime runtime = open_config(site.config());
  ASSERT_NE(runtime, nullptr);
  const std::string expected = evaluate(runtime.get());
  ASSERT_EQ(conditions_of(expected), "hypertension");

  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        concord_result* raw = nullptr;
        const int status = concord_evaluate(runtime.get(), sample_record().data(),
                                            sample_record().size(), kDate.c_str(), &raw);
        const Result result(raw);
        if (status != CONCORD_OK || concord_result_json(result.get(), nullptr) != expected) ++wrong;
      }
    });
  }
  threads.emplace_back([&] {
    for (int i = 0; i < 10; ++i) {
      if (concord_reload(runtime.get()) != CONCORD_OK) ++wrong;
    }
  });
  for (auto& thread : threads)
    thread.join();
  EXPECT_EQ(wrong.load(), 0);
}

}  // namespace
}  // namespace concord::abi_test
