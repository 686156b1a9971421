// A per-evaluation index of one record's facts by value set: built in one pass over the
// record's codes (one hash look-up per code), then every rule asks it in constant time.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "concord/runtime/program.hpp"
#include "concord/runtime/record.hpp"

namespace concord::runtime {

struct FactRef {
  Date date;
  const std::string* id = nullptr;  // the source id, for explanations
};

// A measured value: from an event's own quantity or from one of its components (the
// systolic part of a blood pressure panel).
struct ValueRef {
  Date date;
  const Quantity* quantity = nullptr;
  const std::string* id = nullptr;
};

class FactIndex {
 public:
  // Only facts dated on or before `date` are indexed: a rule never sees the future.
  FactIndex(const Program& program, const Record& record, Date date);

  // The latest fact of this kind whose code is in the value set.
  std::optional<FactRef> latest(ValueSetIndex set, FactKind kind) const {
    return sets_[set].latest[static_cast<std::size_t>(kind)];
  }
  // The latest measured value whose code is in the value set.
  const std::optional<ValueRef>& latest_value(ValueSetIndex set) const {
    return sets_[set].latest_value;
  }
  // The earliest fact of this kind whose code is in the value set.
  std::optional<FactRef> earliest(ValueSetIndex set, FactKind kind) const {
    return sets_[set].earliest[static_cast<std::size_t>(kind)];
  }
  // How many different days have a fact of this kind in the value set after `since` (every
  // day on or before the evaluation date when `since` is not set). Only value sets marked
  // `counted` keep their dates; the others count 0.
  int days_with(ValueSetIndex set, FactKind kind, std::optional<Date> since) const;
  // Whether a medication in the set is recorded as active (a current prescription) on the date.
  bool active_medication(ValueSetIndex set) const { return sets_[set].active_medication; }
  // Diagnoses in the set that are active at the date (not refuted, abated or resolved).
  const std::vector<const Diagnosis*>& active_diagnoses(ValueSetIndex set) const {
    return sets_[set].diagnoses;
  }

 private:
  static constexpr std::size_t kKinds = static_cast<std::size_t>(FactKind::any) + 1;
  struct PerSet {
    std::array<std::optional<FactRef>, kKinds> latest;
    std::array<std::optional<FactRef>, kKinds> earliest;
    bool active_medication = false;
    std::vector<const Diagnosis*> diagnoses;
    std::optional<ValueRef> latest_value;
    std::vector<std::pair<Date, FactKind>> dated;  // every fact, for counted value sets only
  };
  void note_value(ValueSetIndex set, const ValueRef& value);
  void note(ValueSetIndex set, FactKind kind, const FactRef& fact);
  template <typename Fn>
  void for_each_set(const Program& program, const std::vector<Code>& codes, Fn&& fn);

  std::vector<PerSet> sets_;
  const Program& program_;
};

}  // namespace concord::runtime
