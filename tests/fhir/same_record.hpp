// Field-by-field Record comparison for tests: a readable failure names the first field that
// differs, which operator== (the runtime defines none) would not.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "concord/runtime/record.hpp"

namespace concord::testing {

inline std::string describe(const std::vector<runtime::Code>& codes) {
  std::string out;
  for (const runtime::Code& c : codes)
    out.append(c.key()).append(" '").append(c.display).append("' ");
  return out;
}

inline std::string describe(const std::optional<runtime::RecordedDate>& date) {
  return date ? date->text() : "(none)";
}

inline std::string describe(const std::optional<runtime::Quantity>& q) {
  return q ? std::to_string(q->value) + " " + q->unit : "(none)";
}

inline void expect_same_record(const runtime::Record& a, const runtime::Record& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(describe(a.birth_date), describe(b.birth_date));
  EXPECT_EQ(a.sex, b.sex);
  EXPECT_EQ(a.deceased, b.deceased);
  EXPECT_EQ(describe(a.death_date), describe(b.death_date));
  ASSERT_EQ(a.diagnoses.size(), b.diagnoses.size());
  for (std::size_t i = 0; i < a.diagnoses.size(); ++i) {
    SCOPED_TRACE("diagnosis " + a.diagnoses[i].id);
    EXPECT_EQ(a.diagnoses[i].id, b.diagnoses[i].id);
    EXPECT_EQ(describe(a.diagnoses[i].codes), describe(b.diagnoses[i].codes));
    EXPECT_EQ(describe(a.diagnoses[i].onset), describe(b.diagnoses[i].onset));
    EXPECT_EQ(describe(a.diagnoses[i].abatement), describe(b.diagnoses[i].abatement));
    EXPECT_EQ(a.diagnoses[i].refuted, b.diagnoses[i].refuted);
    EXPECT_EQ(a.diagnoses[i].resolved, b.diagnoses[i].resolved);
  }
  ASSERT_EQ(a.events.size(), b.events.size());
  for (std::size_t i = 0; i < a.events.size(); ++i) {
    const runtime::Event& x = a.events[i];
    const runtime::Event& y = b.events[i];
    SCOPED_TRACE("event " + x.id);
    EXPECT_EQ(x.id, y.id);
    EXPECT_EQ(x.kind, y.kind);
    EXPECT_EQ(describe(x.codes), describe(y.codes));
    EXPECT_EQ(describe(x.date), describe(y.date));
    EXPECT_EQ(describe(x.quantity), describe(y.quantity));
    EXPECT_EQ(describe(x.value_codes), describe(y.value_codes));
    ASSERT_EQ(x.components.size(), y.components.size());
    for (std::size_t j = 0; j < x.components.size(); ++j) {
      EXPECT_EQ(describe(x.components[j].codes), describe(y.components[j].codes));
      EXPECT_EQ(describe(x.components[j].quantity), describe(y.components[j].quantity));
    }
  }
  ASSERT_EQ(a.medications.size(), b.medications.size());
  for (std::size_t i = 0; i < a.medications.size(); ++i) {
    SCOPED_TRACE("medication " + a.medications[i].id);
    EXPECT_EQ(a.medications[i].id, b.medications[i].id);
    EXPECT_EQ(describe(a.medications[i].codes), describe(b.medications[i].codes));
    EXPECT_EQ(describe(a.medications[i].start), describe(b.medications[i].start));
    EXPECT_EQ(a.medications[i].active, b.medications[i].active);
  }
  ASSERT_EQ(a.goals.size(), b.goals.size());
  for (std::size_t i = 0; i < a.goals.size(); ++i) {
    EXPECT_EQ(a.goals[i].text, b.goals[i].text);
    EXPECT_EQ(describe(a.goals[i].recorded), describe(b.goals[i].recorded));
  }
}

}  // namespace concord::testing
