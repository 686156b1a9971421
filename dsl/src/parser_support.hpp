// Small X3 building blocks the grammar needs beyond the library: parsers that say in plain
// words what they expect, failures with exact positions, a nesting limit, and the handlers
// that turn positions and failures into line/column diagnostics.
#pragma once

#include <string>
#include <type_traits>

#include "grammar.hpp"

namespace concord::dsl::grammar {

// A parser with a description for error messages: `named("'every' after the stage kind",
// kw("every"))`. x3::expectation_failure::which() then reads as plain words.
template <typename Subject>
struct named_parser : x3::unary_parser<Subject, named_parser<Subject>> {
  using base_type = x3::unary_parser<Subject, named_parser<Subject>>;
  static bool const is_pass_through_unary = true;
  static bool const handles_container = Subject::handles_container;

  constexpr named_parser(Subject const& subject, char const* description)
      : base_type(subject), description(description) {}

  template <typename It, typename Context, typename RContext, typename Attribute>
  bool parse(It& first, It const& last, Context const& context, RContext& rcontext,
             Attribute& attribute) const {
    return this->subject.parse(first, last, context, rcontext, attribute);
  }

  char const* description;
};

template <typename Subject>
constexpr auto named(char const* description, Subject const& subject) {
  using parser_type = typename x3::extension::as_parser<Subject>::value_type;
  return named_parser<parser_type>(x3::as_parser(subject), description);
}

// A failure reported exactly where it happened (inside a string, say), without first skipping
// whitespace to the next token as ordinary expectation failures are.
struct exact_failure : x3::expectation_failure<iterator_type> {
  using x3::expectation_failure<iterator_type>::expectation_failure;
};

// Expressions nested too deeply: which() is the whole message.
struct nesting_failure : x3::expectation_failure<iterator_type> {
  using x3::expectation_failure<iterator_type>::expectation_failure;
};

// Always fails, with an exact_failure: for the spot where only an error can follow (a string
// running into the end of the line). `Attribute` lets it sit in an alternative without changing
// that alternative's attribute.
template <typename Attribute>
struct fail_here_parser : x3::parser<fail_here_parser<Attribute>> {
  using attribute_type = Attribute;
  static bool const has_attribute = !std::is_same_v<Attribute, x3::unused_type>;

  constexpr explicit fail_here_parser(char const* description) : description(description) {}

  template <typename Context, typename RContext, typename Actual>
  bool parse(iterator_type& first, iterator_type const&, Context const&, RContext&, Actual&) const {
    throw exact_failure(first, description);
  }

  char const* description;
};

template <typename Attribute = x3::unused_type>
constexpr auto fail_here(char const* description) {
  return fail_here_parser<Attribute>(description);
}

// Counts nesting through the rule it wraps and stops at max_expression_depth, so that
// "((((..." or "not not not ..." cannot exhaust the stack.
template <typename Subject>
struct depth_limited_parser : x3::unary_parser<Subject, depth_limited_parser<Subject>> {
  using base_type = x3::unary_parser<Subject, depth_limited_parser<Subject>>;
  static bool const is_pass_through_unary = true;
  static bool const handles_container = Subject::handles_container;

  constexpr depth_limited_parser(Subject const& subject, int limit)
      : base_type(subject), limit(limit) {}

  template <typename Context, typename RContext, typename Attribute>
  bool parse(iterator_type& first, iterator_type const& last, Context const& context,
             RContext& rcontext, Attribute& attribute) const {
    ParseState& state = x3::get<state_tag>(context);
    if (state.depth >= limit) {
      iterator_type at = first;
      x3::skip_over(at, last, context);
      throw nesting_failure(at, "this expression nests 'not' and parentheses more than " +
                                    std::to_string(limit) + " levels deep");
    }
    struct Level {
      int& depth;
      explicit Level(int& d) : depth(d) { ++depth; }
      ~Level() { --depth; }
    } level(state.depth);
    return this->subject.parse(first, last, context, rcontext, attribute);
  }

  int limit;
};

template <typename Subject>
constexpr auto depth_limited(int limit, Subject const& subject) {
  using parser_type = typename x3::extension::as_parser<Subject>::value_type;
  return depth_limited_parser<parser_type>(x3::as_parser(subject), limit);
}

// What the parser found where it failed, for "expected X, found Y".
std::string describe_found(iterator_type at, iterator_type last);

// Records the first syntax error of a file as a diagnostic.
void report_failure(ParseState& state, iterator_type where,
                    x3::expectation_failure<iterator_type> const& failure, iterator_type last,
                    char const* hint);

// on_success for every rule whose node is ast::Located: stores where the node starts (X3 has
// already skipped the whitespace before it).
struct annotate_position {
  template <typename Attribute, typename Context>
  void on_success(iterator_type const& first, iterator_type const&, Attribute& node,
                  Context const& context) const {
    if constexpr (std::is_base_of_v<ast::Located, Attribute>) {
      ParseState& state = x3::get<state_tag>(context);
      const LineColumn at = state.map.locate(static_cast<std::size_t>(first - state.begin));
      node.line = at.line;
      node.column = at.column;
    }
  }
};

// on_error for the rules of whole constructs (a check, a review...): the innermost one reports,
// with a hint showing how that construct is written.
template <typename Derived>
struct report_errors {
  template <typename Exception, typename Context>
  x3::error_handler_result on_error(iterator_type&, iterator_type const& last,
                                    Exception const& failure, Context const& context) const {
    ParseState& state = x3::get<state_tag>(context);
    if (!state.failed) {
      iterator_type where = failure.where();
      const bool exact = dynamic_cast<exact_failure const*>(&failure) != nullptr ||
                         dynamic_cast<nesting_failure const*>(&failure) != nullptr;
      if (!exact) x3::skip_over(where, last, context);  // point at the token, not the blank
      report_failure(state, where, failure, last, Derived::hint);
    }
    return x3::error_handler_result::fail;
  }
};

}  // namespace concord::dsl::grammar

namespace boost::spirit::x3 {

template <typename Subject>
struct get_info<concord::dsl::grammar::named_parser<Subject>> {
  using result_type = std::string;
  std::string operator()(concord::dsl::grammar::named_parser<Subject> const& p) const {
    return p.description;
  }
};

template <typename Attribute>
struct get_info<concord::dsl::grammar::fail_here_parser<Attribute>> {
  using result_type = std::string;
  std::string operator()(concord::dsl::grammar::fail_here_parser<Attribute> const& p) const {
    return p.description;
  }
};

}  // namespace boost::spirit::x3
