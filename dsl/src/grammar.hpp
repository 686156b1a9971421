// The grammar's entry rule and the types it is instantiated for (declared here, defined in
// grammar_def.hpp, instantiated once in grammar.cpp, as in the X3 rexpr example).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <boost/spirit/home/x3.hpp>

#include "concord/dsl/ast.hpp"
#include "concord/dsl/diagnostic.hpp"
#include "source_map.hpp"

namespace concord::dsl::grammar {

namespace x3 = boost::spirit::x3;

using iterator_type = std::string::const_iterator;

// What a parse carries through every rule: where the text starts (to turn iterators into lines
// and columns), where the first syntax error goes, and how deeply expressions nest right now.
struct ParseState {
  iterator_type begin;
  const SourceMap& map;
  std::string_view path;
  std::vector<Diagnostic>& diagnostics;
  bool failed = false;  // only the first syntax error is reported: there is no recovery
  int depth = 0;
};

struct state_tag;
// x3::with<state_tag>(state)[ruleset_file()] parsed without an outer skipper (the rule
// installs its own, which knows about comments).
using context_type = x3::context<state_tag, ParseState, x3::unused_type>;

// Whether a word is one of the language's reserved words, which can never be a name.
bool is_reserved_word(std::string_view word);

struct ruleset_file_class;
using ruleset_file_type = x3::rule<ruleset_file_class, ast::RulesetFile>;
BOOST_SPIRIT_DECLARE(ruleset_file_type)

ruleset_file_type const& ruleset_file();

}  // namespace concord::dsl::grammar
