// The loader refuses what it should not trust, says why, and keeps a library mapped for as
// long as anything it made is in use.
#include <dlfcn.h>
#include <gtest/gtest.h>

#include <fstream>

#include "plugin_files.hpp"

namespace concord::test {
namespace {

namespace fs = std::filesystem;
using runtime::plugins::Loader;

TEST(LoaderTest, LoadsAPluginFromAConfiguredFolder) {
  PluginFolder folder;
  const fs::path file = folder.add(PLUGIN_CLINICAL);
  const auto c = Loader(folder.policy()).load(file);
  ASSERT_TRUE(c.plugin) << c.refusal;
  EXPECT_EQ(c.plugin->name(), "clinical");
  EXPECT_EQ(c.plugin->version(), "1.0.0");
  EXPECT_EQ(c.plugin->kind(), CONCORD_PLUGIN_FUNCTIONS);
  EXPECT_TRUE(c.refusal.empty());
}

TEST(LoaderTest, RefusesAPluginOfAnotherAbiVersion) {
  PluginFolder folder;
  const fs::path file = folder.add(PLUGIN_WRONG_ABI);
  const auto c = Loader(folder.policy()).load(file);
  EXPECT_FALSE(c.plugin);
  EXPECT_NE(c.refusal.find("plugin ABI version 2"), std::string::npos) << c.refusal;
  EXPECT_NE(c.refusal.find(file.string()), std::string::npos) << c.refusal;
  EXPECT_NE(c.refusal.find("rebuild the plugin"), std::string::npos) << c.refusal;
}

TEST(LoaderTest, RefusesAFileOutsideTheConfiguredFolders) {
  PluginFolder trusted, elsewhere;
  const fs::path file = elsewhere.add(PLUGIN_CLINICAL);
  const auto c = Loader(trusted.policy()).load(file);
  EXPECT_FALSE(c.plugin);
  EXPECT_NE(c.refusal.find("is not inside a configured plugin folder"), std::string::npos)
      << c.refusal;
}

TEST(LoaderTest, RefusesASymlinkThatLeadsOutOfTheFolder) {
  PluginFolder trusted, elsewhere;
  const fs::path target = elsewhere.add(PLUGIN_CLINICAL);
  fs::create_symlink(target, trusted.path() / "libconcord_clinical.so");
  const auto all = Loader(trusted.policy()).load_all();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_FALSE(all[0].plugin);
  EXPECT_NE(all[0].refusal.find("which resolves to"), std::string::npos) << all[0].refusal;
  EXPECT_NE(all[0].refusal.find("not inside a configured plugin folder"), std::string::npos);
}

TEST(LoaderTest, RefusesAPluginInAWorldWritableFolder) {
  PluginFolder folder;
  const fs::path file = folder.add(PLUGIN_CLINICAL);
  fs::permissions(folder.path(), fs::perms(0777));
  const auto c = Loader(folder.policy()).load(file);
  EXPECT_FALSE(c.plugin);
  EXPECT_NE(c.refusal.find("folder '" + fs::canonical(folder.path()).string() + "'"),
            std::string::npos)
      << c.refusal;
  EXPECT_NE(c.refusal.find("writable by its group or by others"), std::string::npos);
  EXPECT_NE(c.refusal.find("chmod go-w"), std::string::npos);
}

TEST(LoaderTest, RefusesAGroupWritablePluginFile) {
  PluginFolder folder;
  const fs::path file = folder.add(PLUGIN_CLINICAL);
  fs::permissions(file, fs::perms(0775));
  const auto c = Loader(folder.policy()).load(file);
  EXPECT_FALSE(c.plugin);
  EXPECT_NE(c.refusal.find("file '"), std::string::npos) << c.refusal;
  EXPECT_NE(c.refusal.find("writable by its group or by others"), std::string::npos);
}

TEST(LoaderTest, RefusesADigestMismatch) {
  PluginFolder folder;
  const fs::path file = folder.add(PLUGIN_CLINICAL);
  auto policy = folder.policy();
  policy.sha256[file.filename().string()] = std::string(64, '0');
  const auto c = Loader(policy).load(file);
  EXPECT_FALSE(c.plugin);
  EXPECT_NE(c.refusal.find("has SHA-256 " + *runtime::plugins::sha256_file(file)),
            std::string::npos)
      << c.refusal;
  EXPECT_NE(c.refusal.find("not the one that was approved"), std::string::npos);
}

TEST(LoaderTest, LoadsAPluginWhoseDigestMatchesInEitherCase) {
  PluginFolder folder;
  const fs::path file = folder.add(PLUGIN_CLINICAL);
  auto policy = folder.policy();
  std::string digest = *runtime::plugins::sha256_file(file);
  for (auto& ch : digest)
    ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  policy.sha256[file.filename().string()] = digest;
  const auto c = Loader(policy).load(file);
  EXPECT_TRUE(c.plugin) << c.refusal;
}

TEST(LoaderTest, RefusesAnUnlistedPluginWhenDigestsAreListed) {
  PluginFolder folder;
  const fs::path file = folder.add(PLUGIN_CLINICAL);
  auto policy = folder.policy();
  policy.sha256["libconcord_other.so"] = std::string(64, 'a');
  const auto c = Loader(policy).load(file);
  EXPECT_FALSE(c.plugin);
  EXPECT_NE(c.refusal.find("has no SHA-256 digest in the configuration"), std::string::npos)
      << c.refusal;
}

TEST(LoaderTest, RefusesALibraryWithoutTheEntrySymbol) {
  PluginFolder folder;
  const fs::path file = folder.add(PLUGIN_NO_ENTRY);
  const auto c = Loader(folder.policy()).load(file);
  EXPECT_FALSE(c.plugin);
  EXPECT_NE(c.refusal.find("does not export 'concord_plugin_entry'"), std::string::npos)
      << c.refusal;
}

TEST(LoaderTest, RefusesAFileThatIsNotASharedLibrary) {
  PluginFolder folder;
  const fs::path file = folder.path() / "libnotes.so";
  std::ofstream(file) << "these are notes, not a library\n";
  fs::permissions(file, fs::perms(0644));
  const auto c = Loader(folder.policy()).load(file);
  EXPECT_FALSE(c.plugin);
  EXPECT_NE(c.refusal.find("could not be loaded as a shared library"), std::string::npos)
      << c.refusal;
}

TEST(LoaderTest, RefusesAPluginThatFailsToStartWithItsMessage) {
  PluginFolder folder;
  const fs::path file = folder.add(PLUGIN_FAILING);
  auto policy = folder.policy();
  policy.settings["failing"] = {{"refuse", "yes"}};
  const auto c = Loader(policy).load(file);
  EXPECT_FALSE(c.plugin);
  EXPECT_NE(c.refusal.find("could not start: refusing to start as asked"), std::string::npos)
      << c.refusal;
  EXPECT_NE(c.refusal.find("[plugin.failing]"), std::string::npos) << c.refusal;
}

TEST(LoaderTest, LoadAllListsEveryFileLoadedOrRefusedInNameOrder) {
  PluginFolder folder;
  folder.add(PLUGIN_CLINICAL, "a_clinical.so");
  folder.add(PLUGIN_WRONG_ABI, "b_future.so");
  folder.add(PLUGIN_CLINICAL, "c_clinical_again.so");
  std::ofstream(folder.path() / "README") << "not a plugin, not listed\n";
  auto policy = folder.policy();
  policy.folders.push_back(folder.path() / "missing");
  const auto all = Loader(policy).load_all();
  ASSERT_EQ(all.size(), 4u);
  EXPECT_TRUE(all[0].plugin) << all[0].refusal;
  EXPECT_NE(all[1].refusal.find("ABI version"), std::string::npos);
  EXPECT_NE(all[2].refusal.find("another plugin named 'clinical'"), std::string::npos)
      << all[2].refusal;
  EXPECT_NE(all[3].refusal.find("does not exist"), std::string::npos) << all[3].refusal;
}

TEST(Sha256Test, MatchesTheStandardTestVector) {
  PluginFolder folder;
  const fs::path file = folder.path() / "abc";
  std::ofstream(file, std::ios::binary) << "abc";
  EXPECT_EQ(*runtime::plugins::sha256_file(file),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_FALSE(runtime::plugins::sha256_file(folder.path() / "missing"));
}

bool mapped(const fs::path& file) {
  void* handle = ::dlopen(file.c_str(), RTLD_NOW | RTLD_NOLOAD);
  if (handle) ::dlclose(handle);
  return handle != nullptr;
}

TEST(LifetimeTest, AdapterKeepsTheLibraryMappedAfterTheLoaderIsGone) {
  PluginFolder folder;
  const fs::path file = fs::canonical(folder.add(PLUGIN_FAILING));
  std::unique_ptr<runtime::plugins::PluginFunctions> functions;
  {
    Loader loader(folder.policy());
    auto all = loader.load_all();
    ASSERT_TRUE(all.at(0).plugin) << all.at(0).refusal;
    functions = std::make_unique<runtime::plugins::PluginFunctions>(std::vector{all[0].plugin},
                                                                    [](const std::string&) {});
  }
  EXPECT_TRUE(mapped(file));
  runtime::Record record;
  record.events.resize(3);
  EXPECT_EQ(functions->call(*functions->find("facts"), record, runtime::Date()), 3.0);
  functions.reset();
  EXPECT_FALSE(mapped(file));
}

TEST(FailingPluginTest, AThrowOrAnErrorFailsThatCallWithADiagnosticAndTheHostGoesOn) {
  const auto plugin = load_built(PLUGIN_FAILING);
  ASSERT_TRUE(plugin);
  std::vector<std::string> reports;
  runtime::plugins::PluginFunctions functions(
      {plugin}, [&](const std::string& message) { reports.push_back(message); });
  runtime::Record record;
  record.diagnoses.resize(2);

  EXPECT_FALSE(functions.call(*functions.find("throws"), record, runtime::Date()));
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_NE(reports[0].find("plugin 'failing'"), std::string::npos) << reports[0];
  EXPECT_NE(reports[0].find("function 'throws' failed"), std::string::npos) << reports[0];
  EXPECT_NE(reports[0].find("deliberate failure inside the plugin"), std::string::npos);

  EXPECT_FALSE(functions.call(*functions.find("fails"), record, runtime::Date()));
  ASSERT_EQ(reports.size(), 2u);
  EXPECT_NE(reports[1].find("the data file is missing"), std::string::npos) << reports[1];

  // No value is an answer, not a fault: nothing is reported.
  EXPECT_FALSE(functions.call(*functions.find("no_value"), record, runtime::Date()));
  EXPECT_EQ(reports.size(), 2u);

  EXPECT_EQ(functions.call(*functions.find("facts"), record, runtime::Date()), 2.0);
  EXPECT_FALSE(functions.find("missing"));
  EXPECT_FALSE(functions.call(99, record, runtime::Date()));
}

}  // namespace
}  // namespace concord::test
