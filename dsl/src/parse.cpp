// The parse driver: checks that the text can be parsed at all (size, UTF-8, not empty), runs
// the grammar, and turns X3's failures into diagnostics.
#include "concord/dsl/parse.hpp"

#include <cstdio>

#include "grammar.hpp"
#include "parser_support.hpp"

namespace concord::dsl {
namespace grammar {

std::string describe_found(iterator_type at, iterator_type last) {
  if (at == last) return "the end of the file";
  const auto is_word = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  };
  if (*at == '\n' || *at == '\r') return "the end of the line";
  if (*at == '"') return "a string";
  iterator_type end = at;
  if (is_word(*at)) {
    while (end != last && is_word(*end) && end - at < 40)
      ++end;
  } else {
    // One whole character, however many bytes it takes (the text is valid UTF-8 by now).
    ++end;
    while (end != last && (static_cast<unsigned char>(*end) & 0xC0) == 0x80)
      ++end;
  }
  return "'" + std::string(at, end) + "'";
}

void report_failure(ParseState& state, iterator_type where,
                    x3::expectation_failure<iterator_type> const& failure, iterator_type last,
                    char const* hint) {
  state.failed = true;
  const LineColumn at = state.map.locate(static_cast<std::size_t>(where - state.begin));
  Diagnostic diagnostic{
      std::string(state.path), at.line, at.column, Severity::error, "syntax", "", hint};
  if (dynamic_cast<nesting_failure const*>(&failure) != nullptr) {
    diagnostic.code = "too-deep";
    diagnostic.message = failure.which();
    diagnostic.hint = "split the condition into simpler parts";
  } else {
    diagnostic.message = "expected " + failure.which() + ", found " + describe_found(where, last);
    // A name that is a reserved word ("codes score = ...") reads as a misplaced keyword: say so.
    auto end = where;
    while (end != last &&
           ((*end >= 'a' && *end <= 'z') || (*end >= '0' && *end <= '9') || *end == '_'))
      ++end;
    const std::string word(where, end);
    if (failure.which().find("name") != std::string::npos && is_reserved_word(word)) {
      diagnostic.message =
          "'" + word + "' is a reserved word of the language, so it cannot be " + failure.which();
      diagnostic.hint = "choose another name, such as '" + word +
                        "_1' (docs/language.md lists the reserved words)";
    }
  }
  state.diagnostics.push_back(std::move(diagnostic));
}

}  // namespace grammar

namespace {

// True when the text holds nothing but whitespace and comments.
bool is_blank(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '#') {
      while (i < text.size() && text[i] != '\n')
        ++i;
    } else if (c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != '\f' && c != '\v') {
      return false;
    }
  }
  return true;
}

Diagnostic file_error(const SourceFile& source, int line, int column, std::string code,
                      std::string message, std::string hint) {
  return {source.path,        line,           column, Severity::error, std::move(code),
          std::move(message), std::move(hint)};
}

}  // namespace

std::optional<ast::RulesetFile> parse(const SourceFile& source, std::vector<Diagnostic>& out) {
  try {
    const std::string& text = source.text;
    if (text.size() > max_source_bytes) {
      out.push_back(file_error(source, 0, 0, "too-large",
                               "this file is " + std::to_string(text.size()) +
                                   " bytes long; a ruleset may be at most " +
                                   std::to_string(max_source_bytes) + " bytes",
                               "split it into several ruleset files"));
      return std::nullopt;
    }
    const SourceMap map(text);
    if (const std::size_t bad = find_invalid_utf8(text); bad != std::string_view::npos) {
      const LineColumn at = map.locate(bad);
      char byte[8];
      std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned char>(text[bad]));
      out.push_back(file_error(source, at.line, at.column, "invalid-utf8",
                               std::string("this file is not valid UTF-8 (byte ") + byte + ")",
                               "save the file as UTF-8"));
      return std::nullopt;
    }
    if (is_blank(text)) {
      out.push_back(file_error(source, 1, 1, "empty-file", "this file holds no ruleset",
                               "start it with: ruleset NAME version \"1.0.0\""));
      return std::nullopt;
    }

    grammar::ParseState state{text.begin(), map, source.path, out};
    ast::RulesetFile file;
    auto first = text.cbegin();
    const bool parsed = boost::spirit::x3::parse(
        first, text.cend(),
        boost::spirit::x3::with<grammar::state_tag>(state)[grammar::ruleset_file()], file);
    if (parsed && !state.failed && first == text.cend()) {
      file.path = source.path;
      return file;
    }
    if (!state.failed) {  // every failure should have been reported by an on_error handler
      const LineColumn at = map.locate(static_cast<std::size_t>(first - text.cbegin()));
      out.push_back(file_error(source, at.line, at.column, "syntax", "this is not valid here",
                               "see dsl/README.md for the ruleset language"));
    }
    return std::nullopt;
  } catch (const std::exception& e) {
    out.push_back(file_error(source, 0, 0, "internal",
                             std::string("the parser failed unexpectedly: ") + e.what(),
                             "please report this with the file that caused it"));
    return std::nullopt;
  }
}

}  // namespace concord::dsl
