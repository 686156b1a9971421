// The compiled ruleset library: immutable after it is built, shared across threads, and
// evaluated many times. Names are resolved to indices and value sets to one hashed code
// index, so evaluation never interprets text.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace concord::runtime {

using ValueSetIndex = std::uint32_t;
using ConditionIndex = std::uint32_t;
using CheckIndex = std::uint32_t;

// Where a rule came from, for explanations: "rulesets/conditions/diabetes.concord:12".
struct RuleRef {
  std::string file;
  int line = 0;
};

struct RulesetInfo {
  std::string name;
  std::string version;
  std::string title;
  std::vector<std::string> sources;
  std::string file;
};

// A review stage kind, as the contract names them.
enum class StageKind : std::uint8_t { tests, letter, conversation, referral };
std::string_view to_string(StageKind kind);
std::optional<StageKind> stage_kind_from(std::string_view name);

enum class IntervalUnit : std::uint8_t { days, weeks, months, years };
struct Interval {
  int count = 12;
  IntervalUnit unit = IntervalUnit::months;
};

// The kinds of recorded fact that can show a check was done.
enum class FactKind : std::uint8_t { observation, procedure, immunization, medication, any };

struct DoneBy {
  FactKind kind = FactKind::any;
  ValueSetIndex value_set = 0;
};

struct ValueSetDef {
  std::string name;
  RuleRef rule;
};

struct ConditionDef {
  std::string id;     // contract id, e.g. "diabetes"
  std::string title;  // "Diabetes"
  ValueSetIndex diagnosis = 0;
  std::optional<ValueSetIndex> resolved;  // a later code in this set resolves the diagnosis
  std::vector<std::string> sources;
  std::string ruleset;
  RuleRef rule;
};

// A care process that a condition asks for. The same check id may be asked for by several
// conditions (one CheckDef each): the merge deduplicates them by id.
struct CheckDef {
  std::string id;  // contract id, e.g. "bp"
  std::string title;
  ConditionIndex condition = 0;
  StageKind stage = StageKind::tests;
  Interval interval;
  std::vector<DoneBy> done_by;  // any one of these counts as done
  std::vector<std::string> sources;
  RuleRef rule;
};

// A person-level count a review policy may test.
enum class Measure : std::uint8_t { conditions, medicines };
std::string_view to_string(Measure m);
enum class Comparison : std::uint8_t { lt, le, gt, ge, eq, ne };

// A boolean expression over person-level measures, stored flat: each node refers to earlier
// nodes only, so evaluation is one forward pass and always terminates.
struct ExprNode {
  enum class Op : std::uint8_t { compare, and_, or_, not_ } op = Op::compare;
  Measure measure = Measure::conditions;   // compare
  Comparison comparison = Comparison::ge;  // compare
  double number = 0;                       // compare
  std::uint32_t lhs = 0, rhs = 0;          // and_/or_ (lhs, rhs), not_ (lhs)
};
struct Expr {
  std::vector<ExprNode> nodes;  // the root is the last node; empty means "true"
};

struct StageDef {
  std::string id;  // "tests", "letter", "talk"
  StageKind kind = StageKind::tests;
  std::string title;
  int days_before = 0;  // before the conversation
};

struct ConversationLength {
  int base_minutes = 20;
  int per_extra_condition = 10;
  int max_minutes = 40;
};

struct Prompt {
  std::string id;
  std::string text;
};

struct ReviewPolicy {
  std::string id;  // "ltc"
  std::string title;
  std::vector<std::string> sources;
  Expr merge_when;                           // who gets a merged review
  Interval gather{3, IntervalUnit::months};  // checks due within this window are gathered
  std::vector<StageDef> stages;              // in the order they happen
  ConversationLength minutes;
  std::vector<Prompt> prompts;
  RuleRef rule;
};

class Program {
 public:
  std::vector<RulesetInfo> rulesets;
  std::vector<ValueSetDef> value_sets;
  std::vector<ConditionDef> conditions;
  std::vector<CheckDef> checks;
  std::optional<ReviewPolicy> review;

  // code_key(system, code) -> every value set that holds it (sorted, unique).
  struct KeyHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept {
      return std::hash<std::string_view>{}(s);
    }
  };
  std::unordered_map<std::string, std::vector<ValueSetIndex>, KeyHash, std::equal_to<>> code_index;

  // Adds a code to a value set (used by the compiler while the Program is being built).
  void add_code(ValueSetIndex set, std::string_view system, std::string_view code);
  // The value sets that hold a code key, or an empty list.
  const std::vector<ValueSetIndex>& sets_of(std::string_view key) const;
};

}  // namespace concord::runtime
