// The terminology plugin through the runtime's Terminology interface, on fixture files in the
// NHS's published layouts (tests/data/terminology).
#include <gtest/gtest.h>

#include "plugin_files.hpp"

namespace concord::test {
namespace {

const std::string kData = CONCORD_TEST_DATA "/terminology";

runtime::plugins::LoadPolicy settings(std::vector<std::pair<std::string, std::string>> items) {
  runtime::plugins::LoadPolicy policy;
  policy.settings["terminology"] = std::move(items);
  return policy;
}

std::unique_ptr<runtime::Terminology> terminology(std::vector<std::string>* reports,
                                                  bool assured_only = true) {
  auto plugin =
      load_built(PLUGIN_TERMINOLOGY,
                 settings({{"refsets", kData + "/der2_Refset_SimpleFull_TEST_20210401.txt"},
                           {"maps", kData},
                           {"assured_only", assured_only ? "true" : "false"}}));
  if (!plugin) return nullptr;
  return std::make_unique<runtime::plugins::PluginTerminology>(
      plugin, [reports](const std::string& m) { reports->push_back(m); });
}

std::vector<std::string> keys(const std::vector<runtime::Code>& codes) {
  std::vector<std::string> out;
  for (const auto& c : codes)
    out.push_back(c.key());
  return out;
}

TEST(TerminologyTest, RefsetMembersAreTheMembersActiveInTheirLatestRow) {
  std::vector<std::string> reports;
  auto t = terminology(&reports);
  ASSERT_TRUE(t);
  const auto members = t->refset_members("AFIB_COD");
  ASSERT_TRUE(members);
  // 282825002 was withdrawn in the later release; 440028005 was added back in it.
  EXPECT_EQ(*members, (std::vector<std::string>{"440028005", "49436004", "5370000"}));
  EXPECT_EQ(*t->refset_members("HYP_COD"), std::vector<std::string>{"38341003"});
  EXPECT_TRUE(reports.empty());
}

TEST(TerminologyTest, ARefsetWhoseMembersAreAllInactiveIsKnownAndEmpty) {
  std::vector<std::string> reports;
  auto t = terminology(&reports);
  ASSERT_TRUE(t);
  const auto members = t->refset_members("PALCARENI_COD");
  ASSERT_TRUE(members);
  EXPECT_TRUE(members->empty());
}

TEST(TerminologyTest, AnUnknownRefsetIsNulloptWithoutAReport) {
  std::vector<std::string> reports;
  auto t = terminology(&reports);
  ASSERT_TRUE(t);
  EXPECT_FALSE(t->refset_members("NO_SUCH_REFSET"));
  EXPECT_TRUE(reports.empty());
}

TEST(TerminologyTest, LegacyCodesComeFromBothMapsCurrentAndAssuredOnly) {
  std::vector<std::string> reports;
  auto t = terminology(&reports);
  ASSERT_TRUE(t);
  EXPECT_EQ(keys(t->legacy_codes_for("8517006")),
            (std::vector<std::string>{runtime::code_key("ctv3", "Ub1na"),
                                      runtime::code_key("read2", "137F.")}));
  // The retired Read v2 map row (map status 0) to 65568007 does not count.
  EXPECT_TRUE(t->legacy_codes_for("65568007").empty());
  EXPECT_EQ(keys(t->legacy_codes_for("717381000000109")),
            std::vector<std::string>{runtime::code_key("ctv3", "XaLFj")});
  EXPECT_TRUE(t->legacy_codes_for("49436004").empty());
}

TEST(TerminologyTest, UnassuredMapsCountWhenAssuredOnlyIsOff) {
  std::vector<std::string> reports;
  auto t = terminology(&reports, false);
  ASSERT_TRUE(t);
  EXPECT_EQ(keys(t->legacy_codes_for("8517006")),
            (std::vector<std::string>{runtime::code_key("ctv3", "Ub1na"),
                                      runtime::code_key("read2", "1377."),
                                      runtime::code_key("read2", "137F.")}));
}

// The descriptions fixture holds the (description, concept) pairs named in the NHS test
// patients' GP Connect records (see tests/data/terminology/PROVENANCE.md).
std::unique_ptr<runtime::Terminology> with_descriptions(std::vector<std::string>* reports) {
  auto plugin = load_built(
      PLUGIN_TERMINOLOGY,
      settings({{"maps", kData},
                {"descriptions", kData + "/sct2_Description_Snapshot-en_TEST_20210602.txt"}}));
  if (!plugin) return nullptr;
  return std::make_unique<runtime::plugins::PluginTerminology>(
      plugin, [reports](const std::string& m) { reports->push_back(m); });
}

TEST(TerminologyTest, AConceptsDescriptionIdsComeAsSnomedCodesAfterItsLegacyCodes) {
  std::vector<std::string> reports;
  auto t = with_descriptions(&reports);
  ASSERT_TRUE(t);
  // Asthma: GP2GP extracts carry the description id 301485011 where the concept belongs.
  EXPECT_EQ(keys(t->legacy_codes_for("195967001")),
            std::vector<std::string>{runtime::code_key("snomed", "301485011")});
  // Ex-smoker has both: its mapped Read v2 / CTV3 codes, then its descriptions.
  EXPECT_EQ(keys(t->legacy_codes_for("8517006")),
            (std::vector<std::string>{runtime::code_key("ctv3", "Ub1na"),
                                      runtime::code_key("read2", "137F."),
                                      runtime::code_key("snomed", "15047015")}));
  // A concept with no description in the files, and text that is no SNOMED CT id: none.
  EXPECT_TRUE(t->legacy_codes_for("49436004").empty());
  EXPECT_TRUE(t->legacy_codes_for("not-an-id").empty());
  EXPECT_TRUE(reports.empty());
}

// Why the plugin refused to start with `key` naming the bad fixtures' folder ("" if it started).
std::string refusal_with_bad_files(const std::string& key) {
  PluginFolder folder;
  const auto file = folder.add(PLUGIN_TERMINOLOGY);
  auto policy = settings({{key, kData + "/bad"}});
  policy.folders = {folder.path()};
  const auto c = runtime::plugins::Loader(policy).load(file);
  return c.plugin ? std::string() : c.refusal;
}

TEST(TerminologyTest, ABadDescriptionFileStopsThePluginNamingTheFileAndLine) {
  const std::string refusal = refusal_with_bad_files("descriptions");
  EXPECT_NE(refusal.find("sct2_Description_Snapshot-en_BAD_20210602.txt:3: conceptId "
                         "'Asthma' is not a SNOMED CT identifier"),
            std::string::npos)
      << refusal;
}

TEST(TerminologyTest, ABadRefsetFileStopsThePluginNamingTheFileAndLine) {
  const std::string refusal = refusal_with_bad_files("refsets");
  EXPECT_NE(refusal.find("der2_Refset_SimpleSnapshot_BAD_20210401.txt:3: active is 'yes'"),
            std::string::npos)
      << refusal;
}

TEST(TerminologyTest, AnUnknownSettingOrNoDataStopsThePlugin) {
  PluginFolder folder;
  const auto file = folder.add(PLUGIN_TERMINOLOGY);
  auto policy = settings({{"refset", kData}});
  policy.folders = {folder.path()};
  auto c = runtime::plugins::Loader(policy).load(file);
  EXPECT_NE(c.refusal.find("unknown setting 'refset'"), std::string::npos) << c.refusal;
  policy.settings.clear();
  c = runtime::plugins::Loader(policy).load(file);
  EXPECT_NE(c.refusal.find("no data: set 'refsets'"), std::string::npos) << c.refusal;
  EXPECT_NE(c.refusal.find("'descriptions'"), std::string::npos) << c.refusal;
}

}  // namespace
}  // namespace concord::test
