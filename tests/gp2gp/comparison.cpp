#include "comparison.hpp"

#include <algorithm>
#include <optional>
#include <string_view>

namespace concord::testing {

namespace {

// One fact reduced to what the comparison looks at.
struct Fact {
  const std::vector<runtime::Code>* codes;
  std::optional<runtime::RecordedDate> date;
};

bool share_snomed(const std::vector<runtime::Code>& a, const std::vector<runtime::Code>& b) {
  for (const runtime::Code& x : a) {
    if (x.system() != runtime::code_system::snomed) continue;
    for (const runtime::Code& y : b) {
      if (x == y) return true;
    }
  }
  return false;
}

Difference describe(std::string_view category, std::string_view only_in, const Fact& fact) {
  Difference d;
  d.category = category;
  d.only_in = only_in;
  const auto& codes = *fact.codes;
  const auto snomed = std::find_if(codes.begin(), codes.end(), [](const runtime::Code& c) {
    return c.system() == runtime::code_system::snomed;
  });
  if (snomed != codes.end()) {
    d.code = snomed->value();
    d.display = snomed->display;
  } else if (!codes.empty()) {
    d.code = codes.front().key();
    d.display = codes.front().display;
  }
  d.date = fact.date ? fact.date->text() : "";
  return d;
}

void compare(std::string_view category, const std::vector<Fact>& left,
             const std::vector<Fact>& right, std::vector<Difference>& out) {
  std::vector<bool> used(right.size(), false);
  for (const Fact& l : left) {
    bool found = false;
    for (std::size_t i = 0; i < right.size() && !found; ++i) {
      if (!used[i] && l.date == right[i].date && share_snomed(*l.codes, *right[i].codes)) {
        used[i] = true;
        found = true;
      }
    }
    if (!found) out.push_back(describe(category, "gp2gp", l));
  }
  for (std::size_t i = 0; i < right.size(); ++i) {
    if (!used[i]) out.push_back(describe(category, "gpconnect", right[i]));
  }
}

}  // namespace

std::vector<Difference> compare_records(const runtime::Record& gp2gp,
                                        const runtime::Record& gpconnect) {
  std::vector<Difference> out;
  const auto conditions = [](const runtime::Record& r) {
    std::vector<Fact> facts;
    for (const auto& d : r.diagnoses)
      facts.push_back({&d.codes, d.onset});
    return facts;
  };
  const auto events = [](const runtime::Record& r) {
    std::vector<Fact> facts;
    for (const auto& e : r.events)
      facts.push_back({&e.codes, e.date});
    return facts;
  };
  const auto medications = [](const runtime::Record& r) {
    std::vector<Fact> facts;
    for (const auto& m : r.medications)
      facts.push_back({&m.codes, m.start});
    return facts;
  };
  compare("condition", conditions(gp2gp), conditions(gpconnect), out);
  compare("event", events(gp2gp), events(gpconnect), out);
  compare("medication", medications(gp2gp), medications(gpconnect), out);
  return out;
}

}  // namespace concord::testing
