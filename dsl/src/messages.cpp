// Locale files: parsed line by line, each pattern compiled by ICU once, here at load time,
// then checked against the ids the rulesets and the views use.
#include "concord/dsl/messages.hpp"

#include <filesystem>
#include <map>
#include <set>

#include "concord/runtime/view.hpp"
#include "source_map.hpp"
#include "spelling.hpp"

namespace concord::dsl {
namespace {

constexpr std::string_view blanks = " \t\r";

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(blanks);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(blanks) - first + 1);
}

bool is_id(std::string_view id) {
  if (id.empty() || id.front() == '.' || id.back() == '.') return false;
  for (char c : id) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
    if (!ok) return false;
  }
  return true;
}

// A BCP 47 tag as locale files are named: a 2-3 letter language, then subtags of letters
// and digits ("en-GB", "cy", "cy-GB").
bool is_locale_tag(std::string_view tag) {
  const std::string_view language = runtime::language_of(tag);
  if (language.size() < 2 || language.size() > 3) return false;
  for (char c : language) {
    if (c < 'a' || c > 'z') return false;
  }
  for (char c : tag.substr(language.size())) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok) return false;
  }
  return true;
}

// The byte offset reached after `units` characters of UTF-8 text (ICU reports offsets in
// UTF-16 units, which are characters for everything a message holds in practice).
std::size_t advance_chars(std::string_view text, int units) {
  std::size_t at = 0;
  for (int n = 0; n < units && at < text.size(); ++n) {
    ++at;
    while (at < text.size() && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80)
      ++at;
  }
  return at;
}

Diagnostic warning(const SourceFile& file, const SourceMap& map, std::size_t offset,
                   std::string code, std::string message, std::string hint) {
  const LineColumn at = map.locate(offset);
  return {file.path,          at.line,        at.column, Severity::warning, std::move(code),
          std::move(message), std::move(hint)};
}

struct LoadedFile {
  std::string locale;
  const SourceFile* file = nullptr;
  std::map<std::string, std::size_t> ids;  // id -> offset of its line
};

LoadedFile load_file(const SourceFile& file, runtime::Messages& messages,
                     std::vector<Diagnostic>& diagnostics) {
  LoadedFile loaded;
  loaded.file = &file;
  loaded.locale = std::filesystem::path(file.path).stem().string();
  const SourceMap map(file.text);
  if (!is_locale_tag(loaded.locale)) {
    diagnostics.push_back({file.path, 0, 0, Severity::warning, "bad-locale",
                           "'" + loaded.locale + "' is not a locale tag, so this file is not used",
                           "name a locale file after its BCP 47 tag, e.g. en-GB.messages or "
                           "cy.messages"});
    return loaded;
  }
  if (const std::size_t bad = find_invalid_utf8(file.text); bad != std::string_view::npos) {
    diagnostics.push_back(warning(file, map, bad, "invalid-utf8",
                                  "this locale file is not valid UTF-8, so it is not used",
                                  "save the file as UTF-8"));
    return loaded;
  }
  std::size_t start = 0;
  const std::string_view text = file.text;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(start, end - start);
    const std::size_t line_start = start;
    start = end + 1;
    const std::string_view content = trim(line);
    if (content.empty() || content.front() == '#') continue;
    const std::size_t content_at = line_start + (content.data() - line.data());
    const std::size_t equals = content.find('=');
    const std::string_view id = trim(content.substr(0, equals));
    if (equals == std::string_view::npos || !is_id(id)) {
      diagnostics.push_back(warning(
          file, map, content_at, "message-syntax",
          equals == std::string_view::npos ? "a message line needs '=' between its id and its text"
                                           : "'" + std::string(id) + "' is not a message id",
          "write one message per line as: id = text, e.g. prompt.what_matters = What matters "
          "most to you?; ids are lower case with dots, e.g. stage.tests"));
      continue;
    }
    const std::string_view pattern = trim(content.substr(equals + 1));
    const std::size_t pattern_at =
        pattern.empty() ? content_at + equals + 1 : line_start + (pattern.data() - line.data());
    if (const auto first = loaded.ids.find(std::string(id)); first != loaded.ids.end()) {
      diagnostics.push_back(warning(
          file, map, content_at, "duplicate-message",
          "message '" + std::string(id) + "' is given twice; this later text is used",
          "remove one; the first is on line " + std::to_string(map.locate(first->second).line)));
    }
    if (const auto error = messages.add(loaded.locale, id, pattern)) {
      diagnostics.push_back(
          warning(file, map, pattern_at + advance_chars(pattern, error->offset), "bad-message",
                  "message '" + std::string(id) + "' is " + error->message +
                      ", so it is left out and its fallback text is shown",
                  "check the braces: {name}, {count, plural, one {# item} other {# items}}, "
                  "{date, date, long}; write '' for a literal apostrophe before a brace"));
      continue;
    }
    loaded.ids[std::string(id)] = content_at;
  }
  return loaded;
}

}  // namespace

bool is_messages_file(std::string_view path) {
  return std::filesystem::path(path).extension() == messages_extension;
}

std::vector<RulesetText> ruleset_texts(const runtime::Program& program) {
  std::vector<RulesetText> out;
  std::set<std::string> seen;
  const auto add = [&](std::string id, const std::string& text) {
    if (seen.insert(id).second) out.push_back({std::move(id), text});
  };
  for (const auto& c : program.conditions)
    add("condition." + c.id, c.title);
  for (const auto& c : program.checks)
    add("check." + c.id, c.title);
  if (program.review) {
    for (const auto& s : program.review->stages)
      add("stage." + s.id, s.title);
    for (const auto& p : program.review->prompts)
      add("prompt." + p.id, p.text);
  }
  return out;
}

void load_messages(const std::vector<const SourceFile*>& files, runtime::Program& program,
                   std::vector<Diagnostic>& diagnostics) {
  if (files.empty()) return;
  std::vector<LoadedFile> loaded;
  for (const SourceFile* file : files)
    loaded.push_back(load_file(*file, program.messages, diagnostics));

  // Every id some text is looked up by: the rulesets', the views' (whose English words are
  // built in, so en-GB need not repeat them) and plain-words check names for the letter.
  std::set<std::string> known;
  std::vector<std::string> wanted;  // what en-GB must have
  for (const RulesetText& t : ruleset_texts(program)) {
    known.insert(t.id);
    wanted.push_back(t.id);
  }
  for (std::string_view id : runtime::view_message_ids())
    known.insert(std::string(id));
  for (const auto& c : program.checks)
    known.insert("plain.check." + c.id);

  for (const LoadedFile& f : loaded) {
    const SourceMap map(f.file->text);
    for (const auto& [id, offset] : f.ids) {
      if (known.count(id)) continue;
      const std::vector<std::string_view> candidates(known.begin(), known.end());
      const auto suggestion = closest_name(id, candidates);
      diagnostics.push_back(warning(
          *f.file, map, offset, "unknown-message",
          "message '" + id + "' is not used by the rulesets or the review page",
          suggestion ? "did you mean '" + *suggestion + "'?"
                     : "remove it, or check the id of the prompt, stage or check it is for"));
    }
  }

  const LoadedFile* base = nullptr;
  for (const LoadedFile& f : loaded) {
    if (f.locale == runtime::Messages::default_locale) base = &f;
  }
  if (!base) {
    diagnostics.push_back({files.front()->path, 0, 0, Severity::warning, "missing-message",
                           "there is no en-GB locale file, so texts fall back to the rulesets' "
                           "own and the review page's built-in words",
                           "add locales/en-GB.messages with every message id"});
    return;
  }
  for (const std::string& id : wanted) {
    if (base->ids.count(id)) continue;
    diagnostics.push_back({base->file->path, 0, 0, Severity::warning, "missing-message",
                           "en-GB has no message '" + id + "'", "add a line: " + id + " = ..."});
  }
}

}  // namespace concord::dsl
