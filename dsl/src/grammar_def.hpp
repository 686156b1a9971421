// The ruleset language grammar. It only builds the syntax tree: names, units and limits are
// the checker's business. Every keyword is followed by expectation points (`>`) so that an
// error names what should have come next instead of backtracking silently.
#pragma once

#include "ast_adapted.hpp"
#include "concord/dsl/parse.hpp"
#include "grammar.hpp"
#include "parser_support.hpp"

namespace concord::dsl::grammar {

using x3::char_;
using x3::int_;
using x3::lexeme;
using x3::lit;

// ---- Lexical pieces -------------------------------------------------------------------------

// Whitespace and `#` comments. Explicit character sets rather than x3::space: the standard
// encoding's classifiers pass raw (possibly negative) chars to <cctype>.
auto const skipper = char_(" \t\r\n\f\v") | (lit('#') >> *(char_ - lit('\n')));

auto const ident_char = char_("a-z0-9_A-Z");

// A keyword only when no identifier character follows: `format` does not start with `for`.
inline auto kw(char const* word) {
  return lexeme[lit(word) >> !ident_char];
}
template <typename Symbols>
auto distinct(Symbols const& symbols) {
  return lexeme[symbols >> !ident_char];
}

// Keywords that start a clause or an item cannot be names, or `done by record in or` would be
// ambiguous. Words that only ever follow a keyword inside a fixed phrase ("due within", "per
// extra condition", "up to", "before") and words used in one position only (stage kinds,
// units, fact kinds, code systems, measures) stay free, so a stage may be called `tests` and a
// codes list `extra`.
x3::symbols<> const reserved_words({"ruleset",    "version", "title",    "source",     "codes",
                                    "condition",  "present", "when",     "diagnosis",  "in",
                                    "resolved",   "by",      "check",    "for",        "stage",
                                    "every",      "done",    "or",       "and",        "not",
                                    "review",     "merge",   "gather",   "minutes",    "ask",
                                    "target",     "latest",  "measured", "converting", "suppress",
                                    "suppresses", "refset",  "except",   "score"});

// Words a unit can never be, besides the reserved ones: the other item keywords. A unit is
// one token, so these only matter when the unit is missing (`<= 58 when ...`).
x3::symbols<> const not_units({"frailty", "activation", "end"});

struct code_systems_ : x3::symbols<std::string> {
  code_systems_() {
    add("snomed", "snomed")("loinc", "loinc")("read2", "read2")("ctv3", "ctv3")("dmd", "dmd")(
        "icd10", "icd10")("cvx", "cvx");
  }
} const code_systems;

struct stage_kinds_ : x3::symbols<runtime::StageKind> {
  stage_kinds_() {
    add("tests", runtime::StageKind::tests)("letter", runtime::StageKind::letter)(
        "conversation", runtime::StageKind::conversation)("referral", runtime::StageKind::referral);
  }
} const stage_kinds;

struct units_ : x3::symbols<runtime::IntervalUnit> {
  units_() {
    using runtime::IntervalUnit;
    add("day", IntervalUnit::days)("days", IntervalUnit::days)("week", IntervalUnit::weeks)(
        "weeks", IntervalUnit::weeks)("month", IntervalUnit::months)(
        "months", IntervalUnit::months)("year", IntervalUnit::years)("years", IntervalUnit::years);
  }
} const units;

struct fact_kinds_ : x3::symbols<runtime::FactKind> {
  fact_kinds_() {
    using runtime::FactKind;
    add("observation", FactKind::observation)("procedure", FactKind::procedure)(
        "immunization", FactKind::immunization)("medication", FactKind::medication)("record",
                                                                                    FactKind::any);
  }
} const fact_kinds;

struct measures_ : x3::symbols<runtime::Measure> {
  measures_() {
    using runtime::Measure;
    add("conditions", Measure::conditions)("medicines", Measure::medicines)("age", Measure::age)(
        "frailty", Measure::frailty)("activation", Measure::activation)("goals", Measure::goals);
  }
} const measures;

struct relations_ : x3::symbols<bool> {
  relations_() { add("after", true)("before", false); }
} const relations;

struct frailty_levels_ : x3::symbols<int> {
  frailty_levels_() { add("mild", 1)("moderate", 2)("severe", 3); }
} const frailty_levels;

// Month names, for the day a season starts (`every season from 1 September`).
struct month_names_ : x3::symbols<int> {
  month_names_() {
    add("January", 1)("February", 2)("March", 3)("April", 4)("May", 5)("June", 6)("July", 7)(
        "August", 8)("September", 9)("October", 10)("November", 11)("December", 12);
  }
} const month_names;

struct comparisons_ : x3::symbols<runtime::Comparison> {
  comparisons_() {
    using runtime::Comparison;
    add(">=", Comparison::ge)("<=", Comparison::le)(">", Comparison::gt)("<", Comparison::lt)(
        "=", Comparison::eq)("!=", Comparison::ne);
  }
} const comparisons;

// Plain decimals only: no exponents, no "nan" or "inf".
struct plain_decimal_policies : x3::real_policies<double> {
  template <typename It>
  static bool parse_exp(It&, It const&) {
    return false;
  }
  template <typename It, typename Attribute>
  static bool parse_nan(It&, It const&, Attribute&) {
    return false;
  }
  template <typename It, typename Attribute>
  static bool parse_inf(It&, It const&, Attribute&) {
    return false;
  }
};
x3::real_parser<double, plain_decimal_policies> const decimal;

// ---- Rule ids: which rules record positions and which report errors (with what hint) ------

struct name_text_class;
struct quoted_class;
struct code_text_class;
struct system_class;
struct condition_list_class;
struct code_list_class;
struct codes_parts_class;
struct codes_part_class;
struct done_by_list_class;
struct and_expr_class;
struct or_expr_class;
struct item_class;
struct unit_text_class;
struct arith_operand_class;
struct arith_step_class;
struct arith_product_class;
struct arith_term_class;
struct conversion_list_class;
struct bound_list_class;
struct check_list_class;
struct unit_class : annotate_position {};
struct arith_sum_class : annotate_position {};
struct conversion_class : annotate_position {};
struct measured_in_class : annotate_position {};
struct bound_class : annotate_position {};
struct identifier_class : annotate_position {};
struct code_class : annotate_position {};
struct system_codes_class : annotate_position {};
struct refset_ref_class : annotate_position {};
struct score_test_class : annotate_position {};
struct duration_class : annotate_position {};
struct stage_kind_class : annotate_position {};
struct done_by_class : annotate_position {};
struct comparison_class : annotate_position {};
struct fact_test_class : annotate_position {};
struct date_text_class;
struct moment_class : annotate_position {};
struct fact_relation_class : annotate_position {};
struct onset_window_class : annotate_position {};
struct season_start_class : annotate_position {};
struct recurring_class : annotate_position {};
struct interval_when_class : annotate_position {};
struct frailty_at_least_class : annotate_position {};
struct count_test_class : annotate_position {};
struct latest_test_class : annotate_position {};
struct recurrence_class;
struct not_expr_class : annotate_position {};
struct unary_class : annotate_position {};

struct header_class : annotate_position, report_errors<header_class> {
  static constexpr char const* hint =
      "a ruleset file starts with: ruleset NAME version \"1.0.0\" (then optionally "
      "title \"...\" and source \"...\")";
};
struct codes_decl_class : annotate_position, report_errors<codes_decl_class> {
  static constexpr char const* hint =
      "a codes list reads: codes NAME = snomed [123456, 234567], loinc [\"8480-6\"], "
      "refset \"AFIB_COD\", another_list; then optionally 'except' and parts written the same "
      "way, and 'measured in UNIT' [converting UNIT by (value - 2.15) * 10.929]";
};
struct condition_decl_class : annotate_position, report_errors<condition_decl_class> {
  static constexpr char const* hint =
      "a condition reads: condition NAME \"Title\" present when diagnosis in CODES "
      "[and medication in CODES within 12 months] [resolved by CODES] [source \"...\"]";
};
struct check_decl_class : annotate_position, report_errors<check_decl_class> {
  static constexpr char const* hint =
      "a check reads: check NAME \"Title\" [for CONDITION, or for frailty >= severe] stage tests "
      "every 12 months (or every season from 1 September) [or every 6 months when ...] "
      "[only when medication in CODES within 12 months] "
      "done by observation in CODES [or procedure in CODES] [source \"...\"]";
};
struct expr_class : report_errors<expr_class> {
  static constexpr char const* hint =
      "a condition on the person reads like: conditions >= 2 or (conditions >= 1 and "
      "medicines >= 10), age >= 80, frailty >= moderate, end_of_life, a condition's name, or "
      "a recorded fact such as medication in CODES within 12 months";
};
struct target_class : annotate_position, report_errors<target_class> {
  static constexpr char const* hint =
      "a target reads: target latest CODES <= 58 mmol/mol [and latest CODES <= 90 mm[Hg]] "
      "[when frailty >= moderate]";
};
struct frailty_decl_class : annotate_position, report_errors<frailty_decl_class> {
  static constexpr char const* hint =
      "frailty reads: frailty mild|moderate|severe when record in CODES";
};
struct end_of_life_decl_class : annotate_position, report_errors<end_of_life_decl_class> {
  static constexpr char const* hint =
      "end of life reads: end of life when record in CODES [suppresses CHECK, CHECK]";
};
struct activation_decl_class : annotate_position, report_errors<activation_decl_class> {
  static constexpr char const* hint = "activation reads: activation from observation in CODES";
};
struct suppress_decl_class : annotate_position, report_errors<suppress_decl_class> {
  static constexpr char const* hint =
      "a suppression reads: suppress CONDITION_OR_CHECK when record in CODES as REASON "
      "for 12 months (or: until season end)";
};
struct minutes_class : annotate_position, report_errors<minutes_class> {
  static constexpr char const* hint =
      "a conversation's length reads: minutes 20 [plus 10 per extra condition] [up to 40]";
};
struct stage_decl_class : annotate_position, report_errors<stage_decl_class> {
  static constexpr char const* hint =
      "a stage reads: stage NAME KIND \"Title\" [3 weeks before] [minutes 20 ...], where KIND "
      "is tests, letter, conversation or referral";
};
struct ask_decl_class : annotate_position, report_errors<ask_decl_class> {
  static constexpr char const* hint =
      "a question reads: ask NAME \"The question?\" [when depression or frailty >= mild]";
};
struct review_decl_class : annotate_position, report_errors<review_decl_class> {
  static constexpr char const* hint =
      "a review reads: review NAME \"Title\" merge when conditions >= 2 gather due within "
      "3 months, then its stages and questions";
};
struct file_body_class : report_errors<file_body_class> {
  static constexpr char const* hint =
      "after the header a ruleset declares 'codes', 'condition', 'check', 'review', 'suppress', "
      "'frailty', 'end of life' and 'activation' items";
};
struct import_decl_class : annotate_position, report_errors<import_decl_class> {
  static constexpr char const* hint =
      "an import reads: import \"../common/care_processes.concord\" (a path relative to this "
      "file's folder), right after the header";
};
struct ruleset_file_class {};

// ---- Rules ----------------------------------------------------------------------------------

x3::rule<name_text_class, std::string> const name_text = "a name";
x3::rule<identifier_class, ast::Identifier> const identifier = "a name";
x3::rule<quoted_class, std::string> const quoted = "a string in double quotes";
x3::rule<code_text_class, std::string> const code_text = "a code";
x3::rule<code_class, ast::Code> const code = "a code";
x3::rule<system_class, std::string> const code_system = "a code system";
x3::rule<code_list_class, std::vector<ast::Code>> const code_list = "a list of codes";
x3::rule<system_codes_class, ast::SystemCodes> const system_codes = "codes from one system";
x3::rule<refset_ref_class, ast::RefsetRef> const refset_ref = "a refset";
constexpr char const* codes_part_name =
    "a code system and its codes in [...] (snomed, loinc, read2, ctv3, dmd, icd10, cvx or a "
    "URI in double quotes), 'refset' and its id, or the name of a codes list";
x3::rule<codes_part_class, ast::CodesPart> const codes_part = codes_part_name;
x3::rule<codes_parts_class, std::vector<ast::CodesPart>> const codes_parts = codes_part_name;
x3::rule<unit_text_class, std::string> const unit_text = "a unit";
x3::rule<unit_class, ast::Unit> const unit = "a unit";
x3::rule<arith_operand_class, ast::ArithOperand> const arith_operand = "a number, 'value' or '('";
x3::rule<arith_step_class, ast::ArithStep> const arith_step = "'*' or '/' and an operand";
x3::rule<arith_product_class, ast::ArithProduct> const arith_product = "a product";
x3::rule<arith_term_class, ast::ArithTerm> const arith_term = "'+' or '-' and a term";
x3::rule<arith_sum_class, ast::ArithSum> const arith_sum = "arithmetic over 'value'";
x3::rule<conversion_class, ast::Conversion> const conversion = "a conversion";
x3::rule<conversion_list_class, std::vector<ast::Conversion>> const conversion_list = "conversions";
x3::rule<measured_in_class, ast::MeasuredIn> const measured_in = "'measured in UNIT'";
x3::rule<codes_decl_class, ast::CodesDecl> const codes_decl = "a codes list";
x3::rule<duration_class, ast::Duration> const duration = "a duration";
x3::rule<stage_kind_class, ast::StageKindRef> const stage_kind = "a stage kind";
x3::rule<condition_decl_class, ast::ConditionDecl> const condition_decl = "a condition";
x3::rule<condition_list_class, std::vector<ast::Identifier>> const condition_list = "conditions";
x3::rule<done_by_class, ast::DoneBy> const done_by = "what a check is done by";
x3::rule<done_by_list_class, std::vector<ast::DoneBy>> const done_by_list = "done by";
x3::rule<bound_class, ast::Bound> const bound = "a bound";
x3::rule<bound_list_class, std::vector<ast::Bound>> const bound_list = "bounds";
x3::rule<target_class, ast::TargetDecl> const target = "a target";
x3::rule<check_decl_class, ast::CheckDecl> const check_decl = "a check";
x3::rule<comparison_class, ast::Comparison> const comparison = "a comparison";
x3::rule<fact_test_class, ast::FactTest> const fact_test = "a recorded fact";
x3::rule<score_test_class, ast::ScoreTest> const score_test = "a score";
x3::rule<date_text_class, std::string> const date_text = "a date (YYYY-MM-DD)";
x3::rule<moment_class, ast::Moment> const moment = "'onset' or a date (YYYY-MM-DD)";
x3::rule<fact_relation_class, ast::FactRelation> const fact_relation = "'after' or 'before'";
x3::rule<onset_window_class, ast::OnsetWindow> const onset_window = "a window after onset";
x3::rule<season_start_class, ast::SeasonStart> const season_start = "a season's start";
x3::rule<recurring_class, ast::Recurring> const recurring = "an interval";
x3::rule<interval_when_class, ast::IntervalWhen> const interval_when = "'or every N months when'";
x3::rule<recurrence_class, ast::Recurrence> const recurrence = "how often a check is due";
x3::rule<frailty_at_least_class, ast::FrailtyAtLeast> const frailty_at_least = "a frailty level";
x3::rule<count_test_class, ast::CountTest> const count_test = "a count of recorded facts";
x3::rule<latest_test_class, ast::LatestTest> const latest_test = "the latest recorded fact";
x3::rule<not_expr_class, ast::Not> const not_expr = "'not'";
x3::rule<unary_class, ast::Operand> const unary = "an operand";
x3::rule<and_expr_class, ast::AndExpr> const and_expr = "an 'and' expression";
x3::rule<or_expr_class, ast::OrExpr> const or_expr = "an 'or' expression";
x3::rule<expr_class, ast::OrExpr> const expr = "an expression";
x3::rule<minutes_class, ast::Minutes> const minutes = "minutes";
x3::rule<stage_decl_class, ast::StageDecl> const stage_decl = "a stage";
x3::rule<ask_decl_class, ast::AskDecl> const ask_decl = "a question";
x3::rule<review_decl_class, ast::ReviewDecl> const review_decl = "a review";
x3::rule<check_list_class, std::vector<ast::Identifier>> const check_list = "checks";
x3::rule<frailty_decl_class, ast::FrailtyDecl> const frailty_decl = "a frailty level";
x3::rule<end_of_life_decl_class, ast::EndOfLifeDecl> const end_of_life_decl = "end of life";
x3::rule<activation_decl_class, ast::ActivationDecl> const activation_decl = "activation";
x3::rule<suppress_decl_class, ast::SuppressDecl> const suppress_decl = "a suppression";
x3::rule<header_class, ast::Header> const header = "the ruleset header";
x3::rule<import_decl_class, ast::ImportDecl> const import_decl = "an import";
x3::rule<item_class, ast::Item> const item = "an item";
x3::rule<file_body_class, ast::RulesetFile> const file_body = "a ruleset file";
ruleset_file_type const ruleset_file_rule = "a ruleset file";

// The definitions are laid out one clause per line, as the language reads; clang-format would
// pack them into paragraphs.
// clang-format off

// Expectations shared by several constructs, in the words an error message uses.
auto const title = named("a string (the title in double quotes)", quoted);
auto const sources = *(kw("source") > named("a string (the source in double quotes)", quoted));
auto const codes_name = named("the name of a codes list", identifier);
auto const operand_expected =
    named("a comparison such as 'conditions >= 2', a condition's name, 'not', or '('", unary);
auto const expr_expected =
    named("a comparison such as 'conditions >= 2', a condition's name, 'not', or '('", expr);

// ---- Names, strings, codes ----

auto const name_text_def =
    lexeme[!(reserved_words >> !ident_char) >> char_("a-z_") >> *char_("a-z0-9_") >> !ident_char];
auto const identifier_def = name_text;

// Strings stay on one line, and the only escapes are \" and \\.
auto const escape =
    lit('\\') >> (char_("\"\\") | fail_here<char>("'\"' or '\\' after a backslash (the only escapes)"));
auto const quoted_def =
    lexeme[lit('"') >> *(escape | ~char_("\"\\\r\n"))
           >> (lit('"') | fail_here("a closing '\"' before the end of the line"))];

auto const code_text_def = lexeme[+char_("0-9") >> !ident_char] | quoted;
auto const code_def = code_text;
auto const code_system_def = distinct(code_systems) | quoted;
auto const code_list_def =
    named("a code (digits, or a code in double quotes)", code)
    > *(lit(',') > named("a code (digits, or a code in double quotes)", code));
auto const system_codes_def =
    named("a code system ('snomed', 'loinc', 'read2', 'ctv3', 'dmd', 'icd10', 'cvx' "
          "or a URI in double quotes)", code_system)
    > named("'[' after the code system", lit('['))
    > code_list
    > named("',' or ']' after a code", lit(']'));
// refset "AFIB_COD" | refset 999012891000230104
auto const refset_ref_def =
    kw("refset")
    > named("a refset id (digits, or a name in double quotes) after 'refset'", code_text);
// A part is a refset, codes in one system (a system followed by '['), or another codes list.
auto const codes_part_def =
    refset_ref
    | (&(code_system >> lit('[')) > system_codes)
    | (identifier >> !lit('['));
auto const codes_parts_def = codes_part > *(lit(',') > codes_part);

// ---- Units and conversions ----

// One token of UCUM-ish text; never a keyword, so a missing unit is reported as missing.
auto const unit_char = char_("a-zA-Z0-9/%[].{}_^");
auto const unit_text_def =
    lexeme[!((reserved_words | not_units) >> !unit_char) >> +unit_char];
auto const unit_def = unit_text;
auto const unit_expected = named("a unit (such as mmol/mol, %, mm[Hg] or mg/dL)", unit);

auto const arith_operand_expected = named("a number, 'value' or '('", arith_operand);
auto const arith_operand_def = depth_limited(max_expression_depth,
    decimal
    | (kw("value") >> x3::attr(ast::ValueWord{}))
    | (lit('(') > named("arithmetic over 'value'", arith_sum)
                > named("')' to close the '('", lit(')'))));
auto const arith_step_def = char_("*/") > arith_operand_expected;
auto const arith_product_def = arith_operand_expected > *arith_step;
auto const arith_term_def = char_("+-") > named("a number, 'value' or '('", arith_product);
auto const arith_sum_def = arith_product > *arith_term;

// converting UNIT by EXPR
auto const conversion_def =
    kw("converting")
    > unit_expected
    > named("'by' after the unit converted from", kw("by"))
    > named("arithmetic over 'value', such as (value - 2.15) * 10.929", arith_sum);
auto const conversion_list_def = *conversion;

// measured in UNIT [converting UNIT by EXPR]*
auto const measured_in_def =
    kw("measured")
    > named("'in' after 'measured'", kw("in"))
    > unit_expected
    > conversion_list;

// codes NAME = snomed [...], loinc [...] [measured in UNIT ...]
auto const codes_decl_def =
    kw("codes")
    > named("a name for the codes list", identifier)
    > named("'=' after the codes list's name", lit('='))
    > codes_parts
    > -(kw("except") > codes_parts)
    > -measured_in;

// ---- Conditions and checks ----

auto const duration_def =
    int_ > named("a unit ('days', 'weeks', 'months' or 'years')", distinct(units));
auto const stage_kind_def = distinct(stage_kinds);
auto const stage_kind_expected =
    named("a stage kind ('tests', 'letter', 'conversation' or 'referral')", stage_kind);

// condition NAME "Title" present when diagnosis in CODES [resolved by CODES] [source "..."]*
auto const condition_decl_def =
    kw("condition")
    > named("a name for the condition", identifier)
    > title
    > named("'present when diagnosis in' after the title", kw("present"))
    > named("'when' after 'present'", kw("when"))
    > named("'diagnosis' after 'present when'", kw("diagnosis"))
    > named("'in' after 'diagnosis'", kw("in"))
    > codes_name
    > *(kw("and") > operand_expected)
    > -(kw("resolved") > named("'by' after 'resolved'", kw("by")) > codes_name)
    > sources;

auto const condition_list_def =
    named("the name of a condition", identifier)
    > *(lit(',') > named("the name of a condition", identifier));
auto const done_by_def =
    named("a kind of record ('observation', 'procedure', 'immunization', 'medication' "
          "or 'record')", distinct(fact_kinds))
    > named("'in' after the kind of record", kw("in"))
    > codes_name;
auto const done_by_list_def = done_by > *(kw("or") > done_by);

// latest CODES <= 140 mm[Hg]
auto const bound_def =
    kw("latest")
    > codes_name
    > named("a comparison ('>=', '<=', '>', '<', '=' or '!=') after the codes list", comparisons)
    > named("a number (the target's limit)", decimal)
    > unit_expected;
auto const bound_expected =
    named("'latest CODES' and a comparison, such as latest hba1c_tests <= 58 mmol/mol", bound);
auto const bound_list_def = bound_expected > *(kw("and") > bound_expected);

// target BOUND [and BOUND]* [when EXPR]
auto const target_def =
    kw("target")
    > named("'latest CODES' and a comparison, such as latest hba1c_tests <= 58 mmol/mol",
            bound_list)
    > -(kw("when") > expr_expected);

// due N to M UNIT after onset
auto const onset_window_def =
    kw("due")
    > named("a whole number (the window's start after onset)", int_)
    > named("'to' after the window's start", kw("to"))
    > named("a whole number (the window's end after onset)", int_)
    > named("a unit ('days', 'weeks', 'months' or 'years')", distinct(units))
    > named("'after onset' after the window", kw("after"))
    > named("'onset' after 'after'", kw("onset"));
// season from DAY MONTH
auto const season_start_def =
    kw("season")
    > named("'from' after 'season'", kw("from"))
    > named("a day of the month (the season's first day, such as 1 September)", int_)
    > named("a month's name (January to December, such as 1 September)", distinct(month_names));
// N UNIT [from onset]
auto const recurring_def =
    duration >> x3::matches[kw("from") > named("'onset' after 'from'", kw("onset"))];
auto const recurrence_def =
    (kw("every")
     > named("a whole number (how often the check is due) or 'season from 1 September'",
             season_start | recurring))
    | onset_window;
// or every N UNIT when EXPR
auto const interval_when_def =
    (kw("or") >> kw("every"))
    > named("a whole number (how often the check is due for these people)", duration)
    > named("'when' after the interval", kw("when"))
    > expr_expected;

// frailty >= LEVEL, after `for`: a check raised for a frailty level instead of conditions.
auto const frailty_at_least_def =
    (kw("frailty") >> lit(">="))
    > named("a frailty level ('mild', 'moderate' or 'severe') after 'frailty >='",
            distinct(frailty_levels));

// check NAME "Title" [for A, B] stage KIND every N UNIT done by FACT in CODES [or ...]*
//   [target ...]* [source "..."]*
auto const check_decl_def =
    kw("check")
    > named("a name for the check", identifier)
    > title
    > -(kw("for") >> frailty_at_least)
    > -(kw("for") > condition_list)
    > named("'stage' after the check's title (or after its conditions)", kw("stage"))
    > stage_kind_expected
    > named("'every' (or 'due N to M days after onset') after the stage kind", recurrence)
    > *interval_when
    > -(kw("only") > named("'when' after 'only'", kw("when")) > expr_expected)
    > named("'done by' (or 'or every N months when ...', or 'only when ...') after the interval",
            kw("done"))
    > named("'by' after 'done'", kw("by"))
    > done_by_list
    > *target
    > sources;

// ---- Expressions: `or` binds loosest, then `and`, then `not` and parentheses ----

auto const comparison_def =
    distinct(measures)
    > named("a comparison ('>=', '<=', '>', '<', '=' or '!=') after the measure", comparisons)
    > named("a number (or a frailty level: mild, moderate, severe)", decimal | identifier);
// A date as written: 2006-04-01 (whether it is a real day is the checker's business).
auto const digit = char_("0-9");
auto const date_text_def =
    lexeme[x3::repeat(4)[digit] >> char_('-') >> x3::repeat(2)[digit] >> char_('-')
           >> x3::repeat(2)[digit] >> !ident_char];
auto const moment_def = (kw("onset") >> x3::attr(std::string())) | date_text;
auto const fact_relation_def =
    distinct(relations) > named("'onset' or a date (YYYY-MM-DD) after 'after' or 'before'", moment);

// medication in CODES [within N UNIT] [after|before onset|DATE]
// score NAME CMP NUMBER
auto const score_test_def =
    kw("score")
    > named("the name of a score (such as cha2ds2_vasc) after 'score'", identifier)
    > named("a comparison ('>=', '<=', '>', '<', '=' or '!=') after the score", comparisons)
    > named("a number (the score's limit)", decimal);

auto const fact_test_def =
    distinct(fact_kinds)
    >> kw("in")
    > codes_name
    > -(kw("within") > named("a duration (such as 12 months) after 'within'", duration))
    > -fact_relation;
// count KIND in CODES [within N UNIT] CMP NUMBER
auto const count_test_def =
    kw("count")
    >> distinct(fact_kinds)
    > named("'in' after the kind of record", kw("in"))
    > codes_name
    > -(kw("within") > named("a duration (such as 12 months) after 'within'", duration))
    > named("a comparison ('>=', '<=', '>', '<', '=' or '!=') after the facts counted",
            comparisons)
    > named("a whole number (how many)", decimal);
// latest KIND in CODES is in CODES
auto const latest_test_def =
    kw("latest")
    > named("the kind of record after 'latest' (observation, procedure, immunization, "
            "medication or record)", distinct(fact_kinds))
    > named("'in' after the kind of record", kw("in"))
    > codes_name
    > named("'is in' and the codes list the latest one must be in", kw("is"))
    > named("'in' after 'is'", kw("in"))
    > codes_name;
auto const not_expr_def = kw("not") > operand_expected;
auto const unary_def = depth_limited(max_expression_depth,
    not_expr
    | (lit('(') > named("an expression", or_expr) > named("')' to close the '('", lit(')')))
    | comparison
    | score_test
    | count_test
    | latest_test
    | fact_test
    | identifier);
auto const and_expr_def = unary >> *(kw("and") > operand_expected);
// `or every` after an expression starts a check's next interval, not another alternative.
auto const or_expr_def =
    and_expr >> *((kw("or") >> !kw("every")) > named("a comparison such as 'conditions >= 2', a condition's name, "
                                   "'not', or '('", and_expr));
auto const expr_def = or_expr;

// ---- The review ----

// minutes N [plus N per extra condition] [up to N]
auto const minutes_def =
    kw("minutes")
    > named("a whole number of minutes", int_)
    > -(kw("plus")
         > named("a whole number of minutes", int_)
         > named("'per extra condition' after 'plus N'", kw("per"))
         > named("'extra' after 'per'", kw("extra"))
         > named("'condition' after 'per extra'", kw("condition")))
    > -(kw("up")
         > named("'to' after 'up'", kw("to"))
         > named("a whole number of minutes", int_));

// stage NAME KIND "Title" [N days|weeks before] [minutes ...]
auto const stage_decl_def =
    kw("stage")
    > named("a name for the stage", identifier)
    > stage_kind_expected
    > named("a string (the stage's title in double quotes)", quoted)
    > -(duration > named("'before' after the stage's time", kw("before")))
    > -minutes;

auto const ask_decl_def =
    kw("ask")
    > named("a name for the question", identifier)
    > named("a string (the question in double quotes)", quoted)
    > -(kw("when") > expr_expected);

// review NAME "Title" [source "..."]* merge when EXPR gather due within N UNIT stage+ ask*
auto const review_decl_def =
    kw("review")
    > named("a name for the review", identifier)
    > title
    > sources
    > named("'merge when' after the review's title and sources", kw("merge"))
    > named("'when' after 'merge'", kw("when"))
    > expr_expected
    > named("'gather due within' after the merge condition", kw("gather"))
    > named("'due' after 'gather'", kw("due"))
    > named("'within' after 'gather due'", kw("within"))
    > named("a whole number (the gather window)", duration)
    > named("a stage (stage NAME KIND \"Title\") after the gather window", +stage_decl)
    > *ask_decl;

// ---- Person-centred modifiers and suppressions ----

auto const when_record_in =
    named("'when record in' after the level", kw("when"))
    > named("'record' after 'when'", kw("record"))
    > named("'in' after 'when record'", kw("in"));

// frailty mild|moderate|severe when record in CODES
auto const frailty_decl_def =
    kw("frailty")
    > named("a frailty level ('mild', 'moderate' or 'severe')", distinct(frailty_levels))
    > when_record_in
    > codes_name;

auto const check_list_def =
    named("the name of a check", identifier)
    > *(lit(',') > named("the name of a check", identifier));

// end of life when record in CODES [suppresses CHECK, ...]
auto const end_of_life_decl_def =
    kw("end")
    > named("'of life' after 'end'", kw("of"))
    > named("'life' after 'end of'", kw("life"))
    > named("'when record in' after 'end of life'", kw("when"))
    > named("'record' after 'when'", kw("record"))
    > named("'in' after 'when record'", kw("in"))
    > codes_name
    > -(kw("suppresses") > named("the name of a check", check_list));

// activation from observation in CODES
auto const activation_decl_def =
    kw("activation")
    > named("'from observation in' after 'activation'", kw("from"))
    > named("'observation' after 'from'", kw("observation"))
    > named("'in' after 'from observation'", kw("in"))
    > codes_name;

// suppress NAME when record in CODES as REASON (for N UNIT | until season end)
auto const suppress_decl_def =
    kw("suppress")
    > named("the name of a condition or a check", identifier)
    > named("'when record in' after the name", kw("when"))
    > named("'record' after 'when'", kw("record"))
    > named("'in' after 'when record'", kw("in"))
    > codes_name
    > named("'as' and a reason (such as 'as declined') after the codes list", kw("as"))
    > named("a reason (declined, informed_dissent, unsuitable, ...)", identifier)
    > named("'for N months' or 'until season end'",
            (kw("for") > named("a whole number (how long it lasts)", duration))
            | (kw("until")
               > named("'season end' after 'until'", kw("season"))
               > named("'end' after 'until season'", kw("end"))));

// ---- The file ----

// ruleset NAME version "..." [title "..."] [source "..."]*
auto const header_def =
    kw("ruleset")
    > named("the ruleset's name (lower-case letters, digits and '_')", identifier)
    > named("'version' after the ruleset's name", kw("version"))
    > named("a string (the version in double quotes)", quoted)
    > -(kw("title") > title)
    > sources;
// import "PATH"
auto const import_decl_def =
    kw("import") > named("a path in double quotes (the file to import)", quoted);
auto const item_def = codes_decl | condition_decl | check_decl | review_decl | suppress_decl
                     | frailty_decl | end_of_life_decl | activation_decl;
auto const file_body_def =
    x3::expect[named("the ruleset header (ruleset NAME version \"1.0.0\")", header)]
    > *import_decl
    > *item
    > named("'codes', 'condition', 'check', 'review', 'suppress', 'frailty', 'end of life' or "
            "'activation' (or the end of the file)", x3::eoi);
auto const ruleset_file_rule_def = x3::skip(skipper)[file_body];

// clang-format on

BOOST_SPIRIT_DEFINE(name_text, identifier, quoted, code_text, code, code_system, code_list,
                    system_codes, refset_ref, codes_part, codes_parts, unit_text, unit,
                    arith_operand, arith_step, arith_product, arith_term, arith_sum, conversion,
                    conversion_list, measured_in, codes_decl, bound, bound_list, target, check_list,
                    frailty_decl, end_of_life_decl, activation_decl, suppress_decl, duration,
                    stage_kind, condition_decl, condition_list, done_by, done_by_list, check_decl,
                    comparison, fact_test, score_test, date_text, moment, fact_relation,
                    onset_window, season_start, recurring, interval_when, recurrence,
                    frailty_at_least, count_test, not_expr, unary, and_expr, or_expr, expr)
// A second list: one macro takes at most 64 rules.
BOOST_SPIRIT_DEFINE(latest_test, minutes, stage_decl, ask_decl, review_decl, header, import_decl,
                    item, file_body, ruleset_file_rule)

}  // namespace concord::dsl::grammar
