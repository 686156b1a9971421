// The clinical functions plugin (CHA2DS2-VASc, eFI) through the runtime's Functions interface:
// the record crosses the plugin boundary as the plain C view the adapter builds.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "concord/hosts/read.hpp"
#include "plugin_files.hpp"

namespace concord::test {
namespace {

using runtime::Date;
using runtime::Record;

Date day(int y, int m, int d) {
  return *Date::from_ymd(y, m, d);
}
runtime::RecordedDate on(int y, int m, int d) {
  return {day(y, m, d), runtime::DatePrecision::day};
}

void diagnose(Record& r, std::string_view code, runtime::RecordedDate onset) {
  runtime::Diagnosis d;
  d.codes.emplace_back("snomed", code);
  d.onset = onset;
  r.diagnoses.push_back(std::move(d));
}

Record person(std::string sex, runtime::RecordedDate born) {
  Record r;
  r.id = "test";
  r.sex = std::move(sex);
  r.birth_date = born;
  return r;
}

class ClinicalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    plugin_ = load_built(PLUGIN_CLINICAL);
    ASSERT_TRUE(plugin_);
    functions_ = std::make_unique<runtime::plugins::PluginFunctions>(
        std::vector{plugin_}, [this](const std::string& m) { reports_.push_back(m); });
  }
  std::optional<double> call(std::string_view name, const Record& r, Date d) {
    return functions_->call(*functions_->find(name), r, d);
  }
  std::shared_ptr<const runtime::plugins::LoadedPlugin> plugin_;
  std::unique_ptr<runtime::plugins::PluginFunctions> functions_;
  std::vector<std::string> reports_;
};

const Date kToday = day(2021, 6, 15);

TEST_F(ClinicalTest, ProvidesCha2ds2VascAndEfi) {
  EXPECT_EQ(functions_->names(), (std::vector<std::string>{"cha2ds2_vasc", "efi"}));
}

TEST_F(ClinicalTest, Cha2ds2VascCountsEveryComponentOnce) {
  Record r = person("female", on(1945, 6, 15));  // 76: two points
  diagnose(r, "84114007", on(2015, 1, 1));       // heart failure
  diagnose(r, "38341003", on(2010, 1, 1));       // hypertension
  diagnose(r, "44054006", on(2012, 1, 1));       // type 2 diabetes
  diagnose(r, "230690007", on(2018, 1, 1));      // stroke: two points
  diagnose(r, "266257000", on(2016, 1, 1));      // TIA: the same component, not two more
  diagnose(r, "22298006", on(2014, 1, 1));       // myocardial infarction
  diagnose(r, "840580004", on(2014, 1, 1));      // PAD: the same component
  EXPECT_EQ(call("cha2ds2_vasc", r, kToday), 9.0);
  EXPECT_TRUE(reports_.empty());
}

TEST_F(ClinicalTest, Cha2ds2VascAgeBandsAndSex) {
  EXPECT_EQ(call("cha2ds2_vasc", person("male", on(1960, 1, 1)), kToday), 0.0);
  EXPECT_EQ(call("cha2ds2_vasc", person("female", on(1960, 1, 1)), kToday), 1.0);
  EXPECT_EQ(call("cha2ds2_vasc", person("male", on(1956, 6, 16)), kToday), 0.0);  // 64
  EXPECT_EQ(call("cha2ds2_vasc", person("male", on(1956, 6, 15)), kToday), 1.0);  // 65 today
  EXPECT_EQ(call("cha2ds2_vasc", person("male", on(1946, 6, 16)), kToday), 1.0);  // 74
  EXPECT_EQ(call("cha2ds2_vasc", person("male", on(1946, 6, 15)), kToday), 2.0);  // 75 today
}

TEST_F(ClinicalTest, Cha2ds2VascIgnoresRefutedFutureAndResolvedDiagnoses) {
  Record r = person("male", on(1970, 1, 1));
  diagnose(r, "44054006", on(2022, 1, 1));  // after the evaluation date
  diagnose(r, "84114007", on(2015, 1, 1));
  r.diagnoses.back().refuted = true;
  diagnose(r, "38341003", on(2010, 1, 1));
  runtime::Event resolved;  // hypertension resolved, after the diagnosis
  resolved.codes.emplace_back("snomed", "162659009");
  resolved.date = on(2019, 1, 1);
  r.events.push_back(resolved);
  EXPECT_EQ(call("cha2ds2_vasc", r, kToday), 0.0);
  // Before the resolution, hypertension counted.
  EXPECT_EQ(call("cha2ds2_vasc", r, day(2018, 1, 1)), 1.0);
}

TEST_F(ClinicalTest, Cha2ds2VascHasNoValueWithoutBirthDateOrSex) {
  Record r = person("male", on(1970, 1, 1));
  r.birth_date.reset();
  EXPECT_FALSE(call("cha2ds2_vasc", r, kToday));
  EXPECT_FALSE(call("cha2ds2_vasc", person("unknown", on(1970, 1, 1)), kToday));
  EXPECT_TRUE(reports_.empty());  // no value is an answer, not a failure
}

TEST_F(ClinicalTest, EfiIsTheDeficitCountOver36) {
  Record r = person("female", on(1935, 1, 1));
  EXPECT_EQ(call("efi", r, kToday), 0.0);
  diagnose(r, "49436004", on(2015, 1, 1));   // atrial fibrillation
  diagnose(r, "44054006", on(2015, 1, 1));   // diabetes
  diagnose(r, "64859006", on(2015, 1, 1));   // osteoporosis
  diagnose(r, "195967001", on(2015, 1, 1));  // asthma: respiratory disease
  diagnose(r, "13645005", on(2015, 1, 1));   // COPD: the same deficit
  runtime::Event care_home;
  care_home.codes.emplace_back("snomed", "160734000");  // lives in nursing home
  care_home.date = on(2020, 1, 1);
  r.events.push_back(care_home);
  EXPECT_DOUBLE_EQ(*call("efi", r, kToday), 5.0 / 36.0);
  for (const char* code : {"1", "2", "3", "4"}) {
    runtime::Medication m;
    m.codes.emplace_back("dmd", code);
    r.medications.push_back(m);
  }
  EXPECT_DOUBLE_EQ(*call("efi", r, kToday), 5.0 / 36.0);  // four medicines: not polypharmacy
  runtime::Medication fifth;
  fifth.codes.emplace_back("dmd", "5");
  r.medications.push_back(fifth);
  EXPECT_DOUBLE_EQ(*call("efi", r, kToday), 6.0 / 36.0);
  r.medications.back().active = false;
  EXPECT_DOUBLE_EQ(*call("efi", r, kToday), 5.0 / 36.0);
}

TEST_F(ClinicalTest, CallsFromSeveralThreadsGiveTheSameScores) {
  Record r = person("female", on(1945, 6, 15));
  diagnose(r, "49436004", on(2015, 1, 1));
  diagnose(r, "38341003", on(2010, 1, 1));
  const double expected = *call("cha2ds2_vasc", r, kToday);
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        if (call("cha2ds2_vasc", r, kToday) != expected) ++wrong;
        if (call("efi", r, kToday) != 2.0 / 36.0) ++wrong;
      }
    });
  }
  for (auto& t : threads)
    t.join();
  EXPECT_EQ(wrong, 0);
}

TEST_F(ClinicalTest, ScoresARealSyntheaRecord) {
  // A Synthea patient with type 2 diabetes and hypertension (tests/data/synthea).
  const auto read = hosts::read_record_file(CONCORD_TEST_DATA
                                            "/synthea/cd9e9826-aea1-4682-adc0-c1d97633bf31.json");
  ASSERT_FALSE(read.error);
  ASSERT_EQ(read.records.size(), 1u);
  const Record& r = read.records[0];
  const auto score = call("cha2ds2_vasc", r, day(2021, 11, 1));
  ASSERT_TRUE(score);
  const int age = 2021 - r.birth_date->date.year() - 1;  // a lower bound is enough here
  const double band = age >= 75 ? 2 : age >= 65 ? 1 : 0;
  // Hypertension and diabetes, plus sex and age: at least that, since stroke and vascular
  // history can only add.
  EXPECT_GE(*score, 2 + (r.sex == "female" ? 1 : 0) + band - 1);
  const auto frailty = call("efi", r, day(2021, 11, 1));
  ASSERT_TRUE(frailty);
  EXPECT_GE(*frailty, 2.0 / 36.0);
  EXPECT_LE(*frailty, 1.0);
}

}  // namespace
}  // namespace concord::test
