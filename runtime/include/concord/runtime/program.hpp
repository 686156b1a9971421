// The compiled ruleset library: immutable after it is built, shared across threads, and
// evaluated many times. Names are resolved to indices and value sets to one hashed code
// index, so evaluation never interprets text.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "concord/runtime/date.hpp"
#include "concord/runtime/extensions.hpp"
#include "concord/runtime/messages.hpp"

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

// A linear conversion of a measured value into a value set's unit: value * scale + offset
// (HbA1c DCCT % to IFCC mmol/mol is (value - 2.15) * 10.929: scale 10.929, offset -23.497).
struct UnitConversion {
  std::string from;  // the unit as records carry it, e.g. "%" or "mg/dL"
  double scale = 1;
  double offset = 0;
};

struct ValueSetDef {
  std::string name;
  RuleRef rule;
  std::string unit;  // the unit its values are compared in ("" when it declares none)
  std::vector<UnitConversion> conversions;
  // Some rule counts its facts (`count record in X ...`): the fact index keeps their dates.
  bool counted = false;
};

// A person-level fact an expression may test. Frailty is 0 none, 1 mild, 2 moderate,
// 3 severe; activation is the PAM level 1-4 (0 unknown); end_of_life is 0 or 1; age is in
// whole years at the evaluation date (-1 when the birth date is unknown); goals counts the
// person's recorded goals.
enum class Measure : std::uint8_t {
  conditions,
  medicines,
  age,
  frailty,
  activation,
  end_of_life,
  goals
};
std::string_view to_string(Measure m);
enum class Comparison : std::uint8_t { lt, le, gt, ge, eq, ne };

// A boolean expression over person-level measures and recorded facts, stored flat: each node
// refers to earlier nodes only, so evaluation is one forward pass and always terminates.
struct ExprNode {
  enum class Op : std::uint8_t {
    compare,
    and_,
    or_,
    not_,
    has_condition,
    has_fact,
    count_facts,
    score,
    latest_in
  } op = Op::compare;
  Measure measure = Measure::conditions;   // compare
  Comparison comparison = Comparison::ge;  // compare
  double number = 0;                       // compare
  std::uint32_t lhs = 0, rhs = 0;          // and_/or_ (lhs, rhs), not_ (lhs),
                                           // has_condition (lhs: the ConditionIndex),
                                           // has_fact, count_facts (lhs: the ValueSetIndex;
                                           // count_facts compares the number of days with
                                           // such a fact with `number` by `comparison`),
                                           // score (lhs: the function's slot, compared
                                           // with `number` by `comparison`),
                                           // latest_in (the latest fact in value set lhs
                                           // is also in value set rhs)
  // has_fact, count_facts, latest_in: the kind of fact, and how recent it must be (a count of 0:
  // any time on or before the evaluation date).
  FactKind kind = FactKind::any;
  Interval within{0, IntervalUnit::days};
  // has_fact: a fact after (the latest) or before (the earliest) a moment, which is a date or
  // the condition's onset (false when the onset is not known).
  enum class Relation : std::uint8_t { any, after, before } relation = Relation::any;
  bool from_onset = false;
  Date moment{};
};
struct Expr {
  std::vector<ExprNode> nodes;  // the root is the last node; empty means "true"
};

struct ConditionDef {
  std::string id;     // contract id, e.g. "diabetes"
  std::string title;  // "Diabetes"
  ValueSetIndex diagnosis = 0;
  std::optional<ValueSetIndex> resolved;  // a later code in this set resolves the diagnosis
  // What must also hold for the condition to count (`and medication in asthma_drugs within
  // 12 months`); empty: the diagnosis is enough. It never names a condition, so presence
  // never depends on presence.
  Expr also;
  std::vector<std::string> sources;
  std::string ruleset;
  RuleRef rule;
  // The pseudo-condition `frailty` that the reminders of checks `for frailty >= LEVEL` name
  // (CLINICAL R3): it has no diagnosis, is never among the present conditions and does not
  // count towards `conditions`.
  bool frailty = false;
};

// One bound of a target: the latest value in a value set, converted to the value set's
// unit, compared with a limit (`latest systolic_bp <= 140 mm[Hg]`).
struct Bound {
  ValueSetIndex value_set = 0;
  Comparison comparison = Comparison::le;
  double limit = 0;
  std::string unit;  // the limit's unit, equal to the value set's unit (the checker sees to it)
};

// A target shown with a check: met when every bound holds. Individualised targets carry a
// `when`; the last target whose `when` holds applies (authors write the general one first).
struct TargetDef {
  std::vector<Bound> bounds;
  Expr when;
  RuleRef rule;
};

// A window after the condition's onset in which a check is due once (QOF DEP003: a new
// depression reviewed 10 to 56 days after diagnosis).
struct AfterOnset {
  Interval from;
  Interval to;
};

// `every season from 1 September`: a season starts on this day every year and ends on the
// 31 March after it (the flu season, CLINICAL R6.flu).
struct SeasonStart {
  int month = 9;
  int day = 1;
};

// `or every N UNIT when EXPR`: another interval for the people the expression holds for.
struct IntervalWhenDef {
  Interval interval;
  Expr when;
};

// A care process that a condition asks for. The same check id may be asked for by several
// conditions (one CheckDef each): the merge deduplicates them by id.
struct CheckDef {
  std::string id;  // contract id, e.g. "bp"
  std::string title;
  ConditionIndex condition = 0;
  StageKind stage = StageKind::tests;
  Interval interval;
  // Other intervals, each for the people its `when` holds for; the last that holds applies.
  std::vector<IntervalWhenDef> intervals_when;
  // `only when`: the check is asked for only while this holds (empty: always).
  Expr only_when;
  // Instead of recurring every `interval`: due once in this window after the onset, and
  // raised only in the first `interval` after it.
  std::optional<AfterOnset> after_onset;
  // Instead of recurring every `interval`: due once each season (done by a fact since the
  // season's start; due from the start while the season runs).
  std::optional<SeasonStart> season;
  // `every N UNIT from onset`: the interval runs from the condition's onset when the check
  // was not done since, so a new diagnosis is not overdue at once (CLINICAL R3.dep).
  bool first_from_onset = false;
  // 1-3: raised for this frailty level or above rather than for a present condition;
  // `condition` is then the pseudo-condition `frailty`.
  int frailty = 0;
  std::vector<DoneBy> done_by;  // any one of these counts as done
  std::vector<TargetDef> targets;
  std::vector<std::string> sources;
  RuleRef rule;
};

// A recorded personalised care adjustment (QOF PCA) that suppresses reminders while in
// force: condition-scoped ("Excepted from hypertension quality indicators") suppresses that
// condition's reminders only; check-scoped ("Blood pressure procedure refused") suppresses
// that check for every condition. Only a due or overdue reminder is ever suppressed.
struct SuppressionDef {
  std::optional<ConditionIndex> condition;   // condition-scoped when set
  std::string check;                         // check-scoped (a check id) otherwise
  ValueSetIndex value_set = 0;               // the codes that record it
  std::string reason;                        // "declined", "informed_dissent", "unsuitable", ...
  Interval lasts{12, IntervalUnit::months};  // from the date recorded
  bool until_season_end = false;             // instead of `lasts`: until the next 31 March (flu)
  RuleRef rule;
};

// How the person-centred modifiers are recognised in a record.
struct PersonModel {
  // Frailty is read from the latest coded severity: sets for mild, moderate, severe.
  std::optional<ValueSetIndex> frailty_mild, frailty_moderate, frailty_severe;
  // On the palliative care register: these check ids are suppressed with reason
  // end_of_life and no expiry.
  std::optional<ValueSetIndex> end_of_life;
  std::vector<std::string> end_of_life_suppresses;
  // The latest observation in this set whose value is an integer 1-4 is the PAM level.
  std::optional<ValueSetIndex> activation;
  RuleRef rule;
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
  Expr when;  // empty: always asked
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
  std::vector<SuppressionDef> suppressions;
  PersonModel person;
  std::optional<ReviewPolicy> review;
  // Human texts by message id per locale (rulesets/locales/): prompts, stage, check and
  // condition titles, and the review page's and letter's own words.
  Messages messages;
  // The functions `score` nodes call (null when the rulesets use none).
  std::shared_ptr<const Functions> functions;

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
