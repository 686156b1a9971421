// The syntax tree of one ruleset file, as the grammar builds it: names are still text and
// nothing is checked yet. Every node that a diagnostic may point at knows its line and column.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <boost/spirit/home/x3/support/ast/variant.hpp>

#include "concord/runtime/program.hpp"

namespace concord::dsl::ast {

// Where a node starts. The X3 examples derive nodes from x3::position_tagged, which only
// holds ids into an error_handler's iterator cache; storing the line and column themselves
// keeps the tree usable after the source buffer and the parser are gone (check and compile
// run later, over many files).
struct Located {
  int line = 0;
  int column = 0;
};

struct Identifier : Located {
  std::string name;
};

struct Code : Located {
  std::string value;  // as written: digits, or the text of a quoted code
};

// `snomed [38341003, 59621000]`: codes from one code system.
struct SystemCodes : Located {
  std::string system;  // a runtime::code_system token, or a URI
  std::vector<Code> codes;
};

// A unit as UCUM-ish text: `mmol/mol`, `%`, `mm[Hg]`, `mL/min/{1.73_m2}`.
struct Unit : Located {
  std::string text;
};

// Arithmetic over `value` and numbers, for unit conversions: `(value - 2.15) * 10.929`.
struct ValueWord {};  // the word `value`: the measured value being converted
struct ArithSum;

struct ArithOperand
    : boost::spirit::x3::variant<double, ValueWord, boost::spirit::x3::forward_ast<ArithSum>> {
  using base_type::base_type;
  using base_type::operator=;
};

// `* 10.929`, `- 2.15`: an operator and its right-hand operand.
struct ArithStep {
  char op = '+';
  ArithOperand operand;
};

struct ArithProduct {
  ArithOperand first;
  std::vector<ArithStep> rest;  // '*' or '/'
};

struct ArithTerm {
  char op = '+';
  ArithProduct product;
};

struct ArithSum : Located {
  ArithProduct first;
  std::vector<ArithTerm> rest;  // '+' or '-'
};

// `converting % by (value - 2.15) * 10.929`
struct Conversion : Located {
  Unit from;
  ArithSum by;
};

// `measured in mmol/mol converting ...`
struct MeasuredIn : Located {
  Unit unit;
  std::vector<Conversion> conversions;
};

// `refset "AFIB_COD"` or `refset 999012891000230104`: the members of a SNOMED CT refset, as
// the configured terminology knows them when the library is loaded.
struct RefsetRef : Located {
  std::string id;
};

// One part of a value set: codes listed in one system, a refset, or another codes list (by
// name) whose codes are all taken.
struct CodesPart : boost::spirit::x3::variant<SystemCodes, RefsetRef, Identifier> {
  using base_type::base_type;
  using base_type::operator=;
};

// `codes hyp_dx = snomed [...], loinc [...], refset "X", other_list [except PART, ...]
// [measured in UNIT converting ...]`: a named value set, the union of its parts without the
// codes of its exclusions.
struct CodesDecl : Located {
  Identifier name;
  std::vector<CodesPart> parts;
  std::vector<CodesPart> except;
  std::optional<MeasuredIn> measured;
};

// A count of units: `12 months`, `3 weeks`.
struct Duration : Located {
  int count = 0;
  runtime::IntervalUnit unit = runtime::IntervalUnit::months;
};

struct StageKindRef : Located {
  runtime::StageKind kind = runtime::StageKind::tests;
};

// `observation in bp_codes`
struct DoneBy : Located {
  runtime::FactKind kind = runtime::FactKind::any;
  Identifier value_set;
};

// What a measure is compared with: a number, or a level name (`frailty >= moderate`).
struct ComparedWith : boost::spirit::x3::variant<double, Identifier> {
  using base_type::base_type;
  using base_type::operator=;
};

// `conditions >= 2`, `frailty >= moderate`
struct Comparison : Located {
  runtime::Measure measure = runtime::Measure::conditions;
  runtime::Comparison op = runtime::Comparison::ge;
  ComparedWith value;
};

// A moment a fact is compared with: the condition's onset, or a date as written.
struct Moment : Located {
  std::string date;  // "2006-04-01"; empty: `onset`
};

// `after onset`, `before 2006-04-01`
struct FactRelation : Located {
  bool after = true;
  Moment moment;
};

// `medication in asthma_drugs within 12 months`: a fact recorded in a value set, on or before
// the evaluation date and, with `within`, no longer ago than that; with `after`/`before`, the
// latest after or the earliest before a moment.
struct FactTest : Located {
  runtime::FactKind kind = runtime::FactKind::any;
  Identifier value_set;
  std::optional<Duration> within;
  std::optional<FactRelation> relation;
};

// `score cha2ds2_vasc >= 2`: a score computed from the whole record by a loaded functions
// plugin, compared with a number.
struct ScoreTest : Located {
  Identifier function;
  runtime::Comparison op = runtime::Comparison::ge;
  double value = 0;
};

// `count record in invitations within 12 months >= 2`: how many days have a fact of that kind
// in the value set (on or before the evaluation date and, with `within`, that recent),
// compared with a number. Facts on one day count once: a letter coded twice is one invitation.
struct CountTest : Located {
  runtime::FactKind kind = runtime::FactKind::any;
  Identifier value_set;
  std::optional<Duration> within;
  runtime::Comparison op = runtime::Comparison::ge;
  double value = 0;
};

// `latest record in ckd_stage is in ckd_g5`: the latest fact of that kind in the first value
// set is also in the second (when several share that latest day, any of them). For "the
// person's current stage": the second set is meant to be part of the first.
struct LatestTest : Located {
  runtime::FactKind kind = runtime::FactKind::any;
  Identifier value_set;
  Identifier within_set;
};

struct Not;
struct OrExpr;

// A bare name is a condition id ("this condition is present") or `end_of_life`.
struct Operand : boost::spirit::x3::variant<Comparison, FactTest, CountTest, ScoreTest, LatestTest,
                                            Identifier, boost::spirit::x3::forward_ast<Not>,
                                            boost::spirit::x3::forward_ast<OrExpr>> {
  using base_type::base_type;
  using base_type::operator=;
};

struct Not : Located {
  Operand operand;
};

struct AndExpr {
  Operand first;
  std::vector<Operand> rest;
};

struct OrExpr {
  AndExpr first;
  std::vector<AndExpr> rest;
};

// `condition NAME "Title" present when diagnosis in CODES [and OPERAND]* [resolved by CODES]`
struct ConditionDecl : Located {
  Identifier name;
  std::string title;
  Identifier diagnosis;                   // a codes name
  std::vector<Operand> also;              // what must hold besides the diagnosis
  std::optional<Identifier> resolved_by;  // a codes name
  std::vector<std::string> sources;
};

// `latest systolic_bp <= 140 mm[Hg]`
struct Bound : Located {
  Identifier value_set;
  runtime::Comparison op = runtime::Comparison::le;
  double limit = 0;
  Unit unit;
};

// `target latest a <= 1 UNIT [and latest b <= 2 UNIT]* [when EXPR]`
struct TargetDecl : Located {
  std::vector<Bound> bounds;
  std::optional<OrExpr> when;
};

// `due 10 to 56 days after onset`: due once, in a window after the condition's onset.
struct OnsetWindow : Located {
  int from = 0;
  int to = 0;
  runtime::IntervalUnit unit = runtime::IntervalUnit::days;
};

// `every season from 1 September`: due once a season. A season starts on this day every
// year and runs to the 31 March after it (the flu season, CLINICAL R6.flu); between a season's
// end and the next start, the next season is what is due.
struct SeasonStart : Located {
  int day = 1;
  int month = 9;
};

// `every 12 months [from onset]`: due again this long after it was last done; never done, due
// at once. With `from onset` the interval runs from the condition's onset when the check was
// not done since, so a new diagnosis is not overdue on the day it is made (CLINICAL R3.dep:
// the 12-monthly PHQ-9 follows the 10-56-day review of a new depression).
struct Recurring : Located {
  Duration interval;
  bool from_onset = false;
};

// How often a check is due: `every N UNIT [from onset]`, once after onset, or once a season.
struct Recurrence : boost::spirit::x3::variant<Recurring, OnsetWindow, SeasonStart> {
  using base_type::base_type;
  using base_type::operator=;
};

// `for frailty >= severe`: a check raised for a frailty level rather than for conditions
// (GP contract 2017/18: severe frailty adds an annual medication review, CLINICAL R3, R6).
struct FrailtyAtLeast : Located {
  int level = 3;  // 1 mild, 2 moderate, 3 severe
};

// `or every 6 months when EXPR` after a check's interval: another interval for the people the
// expression holds for; the last one whose `when` holds applies (CLINICAL R3.ckd: eGFR
// every 12 months at G3a, every 6 at G3b and G4, every 3 at G5).
struct IntervalWhen : Located {
  Duration interval;
  OrExpr when;
};

struct CheckDecl : Located {
  Identifier name;
  std::string title;
  std::optional<FrailtyAtLeast> for_frailty;  // set: raised for this frailty level or above
  std::vector<Identifier> conditions;  // empty (and no for_frailty): the only condition in the
                                       // same file
  StageKindRef stage;
  Recurrence every;
  std::vector<IntervalWhen> intervals_when;
  // `only when EXPR`: the check is asked for only while this holds (on a medicine of a class).
  std::optional<OrExpr> only_when;
  std::vector<DoneBy> done_by;
  std::vector<TargetDecl> targets;
  std::vector<std::string> sources;
};

// `minutes 20 plus 10 per extra condition up to 40`
struct Minutes : Located {
  int base = 0;
  std::optional<int> per_extra_condition;
  std::optional<int> up_to;
};

struct StageDecl : Located {
  Identifier name;
  StageKindRef kind;
  std::string title;
  std::optional<Duration> before;
  std::optional<Minutes> minutes;
};

struct AskDecl : Located {
  Identifier name;
  std::string text;
  std::optional<OrExpr> when;
};

struct ReviewDecl : Located {
  Identifier name;
  std::string title;
  std::vector<std::string> sources;
  OrExpr merge_when;
  Duration gather;
  std::vector<StageDecl> stages;
  std::vector<AskDecl> asks;
};

struct Header : Located {
  Identifier name;
  std::string version;
  std::optional<std::string> title;
  std::vector<std::string> sources;
};

// `frailty mild when record in CODES` (level 1 mild, 2 moderate, 3 severe)
struct FrailtyDecl : Located {
  int level = 1;
  Identifier value_set;
};

// `end of life when record in CODES [suppresses CHECK, ...]`
struct EndOfLifeDecl : Located {
  Identifier value_set;
  std::vector<Identifier> suppresses;  // check ids
};

// `activation from observation in CODES`
struct ActivationDecl : Located {
  Identifier value_set;
};

// `suppress NAME when record in CODES as REASON (for N UNIT | until season end)`
struct SuppressDecl : Located {
  Identifier scope;  // a condition id, or else a check id
  Identifier value_set;
  Identifier reason;
  std::optional<Duration> lasts;  // none: until season end
};

struct Item : boost::spirit::x3::variant<CodesDecl, ConditionDecl, CheckDecl, ReviewDecl,
                                         FrailtyDecl, EndOfLifeDecl, ActivationDecl, SuppressDecl> {
  using base_type::base_type;
  using base_type::operator=;
};

// `import "../common/care_processes.concord"`: a file this one needs, relative to its folder.
struct ImportDecl : Located {
  std::string path;
};

struct RulesetFile {
  std::string path;  // as given; set by the parser's caller, not parsed
  Header header;
  std::vector<ImportDecl> imports;
  std::vector<Item> items;
};

}  // namespace concord::dsl::ast
