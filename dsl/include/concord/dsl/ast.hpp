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

// `codes hyp_dx = snomed [...], loinc [...]`: a named value set.
struct CodesDecl : Located {
  Identifier name;
  std::vector<SystemCodes> lists;
};

// A count of units: `12 months`, `3 weeks`.
struct Duration : Located {
  int count = 0;
  runtime::IntervalUnit unit = runtime::IntervalUnit::months;
};

struct StageKindRef : Located {
  runtime::StageKind kind = runtime::StageKind::tests;
};

struct ConditionDecl : Located {
  Identifier name;
  std::string title;
  Identifier diagnosis;                   // a codes name
  std::optional<Identifier> resolved_by;  // a codes name
  std::vector<std::string> sources;
};

// `observation in bp_codes`
struct DoneBy : Located {
  runtime::FactKind kind = runtime::FactKind::any;
  Identifier value_set;
};

struct CheckDecl : Located {
  Identifier name;
  std::string title;
  std::vector<Identifier> conditions;  // empty: the only condition in the same file
  StageKindRef stage;
  Duration every;
  std::vector<DoneBy> done_by;
  std::vector<std::string> sources;
};

// `conditions >= 2`
struct Comparison : Located {
  runtime::Measure measure = runtime::Measure::conditions;
  runtime::Comparison op = runtime::Comparison::ge;
  double number = 0;
};

struct Not;
struct OrExpr;

struct Operand : boost::spirit::x3::variant<Comparison, boost::spirit::x3::forward_ast<Not>,
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

struct Item : boost::spirit::x3::variant<CodesDecl, ConditionDecl, CheckDecl, ReviewDecl> {
  using base_type::base_type;
  using base_type::operator=;
};

struct RulesetFile {
  std::string path;  // as given; set by the parser's caller, not parsed
  Header header;
  std::vector<Item> items;
};

}  // namespace concord::dsl::ast
