// The test-file reader (a line parser: one statement per line, `#` comments, double-quoted
// strings) and the comparison of expectations with an evaluation.
#include "ruleset_test.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>
#include <sstream>

namespace concord::tools {
namespace {

struct Token {
  std::string text;
  int column = 0;
  bool quoted = false;
};

// A problem at a place in the file; thrown inside the reader only, caught per file.
struct TestFileError {
  int column = 0;
  std::string message;
  std::string hint;
};

int column_of(std::string_view line, std::size_t byte) {
  int column = 1;
  for (std::size_t i = 0; i < byte && i < line.size(); ++i)
    if ((static_cast<unsigned char>(line[i]) & 0xC0) != 0x80) ++column;
  return column;
}

// Words, quoted strings (\" and \\ escapes) and nothing else: commas separate like spaces, and
// `#` outside a string starts a comment.
std::vector<Token> tokens_of(std::string_view line) {
  std::vector<Token> out;
  std::size_t i = 0;
  const auto is_space = [](char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == ',' || c == '\f' || c == '\v';
  };
  while (i < line.size()) {
    const char c = line[i];
    if (is_space(c)) {
      ++i;
    } else if (c == '#') {
      break;
    } else if (c == '"') {
      Token token{"", column_of(line, i), true};
      ++i;
      bool closed = false;
      while (i < line.size()) {
        if (line[i] == '\\' && i + 1 < line.size()) {
          token.text += line[i + 1];
          i += 2;
        } else if (line[i] == '"') {
          closed = true;
          ++i;
          break;
        } else {
          token.text += line[i++];
        }
      }
      if (!closed) {
        throw TestFileError{token.column, "this string has no closing '\"' on its line",
                            "strings stay on one line: \"like this\""};
      }
      out.push_back(std::move(token));
    } else {
      Token token{"", column_of(line, i), false};
      while (i < line.size() && !is_space(line[i]) && line[i] != '#' && line[i] != '"')
        token.text += line[i++];
      out.push_back(std::move(token));
    }
  }
  return out;
}

// Reads the tokens of one line left to right, with errors that point at the token.
class Cursor {
 public:
  Cursor(const std::vector<Token>& tokens, int end_column)
      : tokens_(tokens), end_column_(end_column) {}

  bool done() const { return at_ >= tokens_.size(); }
  const Token* peek() const { return done() ? nullptr : &tokens_[at_]; }
  bool next_is(std::string_view word) const {
    return !done() && !tokens_[at_].quoted && tokens_[at_].text == word;
  }
  int column() const { return done() ? end_column_ : tokens_[at_].column; }

  [[noreturn]] void fail(const std::string& expected, const std::string& hint = "") const {
    const std::string found = done() ? "the end of the line" : "'" + tokens_[at_].text + "'";
    throw TestFileError{column(), "expected " + expected + ", found " + found, hint};
  }

  const Token& take(const std::string& expected) {
    if (done()) fail(expected);
    return tokens_[at_++];
  }
  std::string word(const std::string& expected) {
    if (done() || tokens_[at_].quoted) fail(expected);
    return tokens_[at_++].text;
  }
  std::string string(const std::string& expected) {
    if (done() || !tokens_[at_].quoted) fail(expected, "write it in double quotes");
    return tokens_[at_++].text;
  }
  void keyword(std::string_view word) {
    if (!next_is(word)) fail("'" + std::string(word) + "'");
    ++at_;
  }
  bool accept(std::string_view word) {
    if (!next_is(word)) return false;
    ++at_;
    return true;
  }
  runtime::Date date() {
    if (done() || tokens_[at_].quoted) fail("a date (YYYY-MM-DD)");
    const auto parsed = runtime::Date::parse_iso(tokens_[at_].text);
    if (!parsed) fail("a calendar date written YYYY-MM-DD, e.g. 2021-11-01");
    ++at_;
    return *parsed;
  }
  double number() {
    if (done() || tokens_[at_].quoted) fail("a number");
    const std::string& text = tokens_[at_].text;
    double value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) fail("a number");
    ++at_;
    return value;
  }
  int whole_number() {
    const int column_at = column();
    const double value = number();
    if (value < 0 || value != static_cast<int>(value)) {
      throw TestFileError{column_at, "expected a whole number", ""};
    }
    return static_cast<int>(value);
  }
  void end() const {
    if (!done()) fail("the end of the line");
  }

 private:
  const std::vector<Token>& tokens_;
  int end_column_;
  std::size_t at_ = 0;
};

runtime::Code code_of(Cursor& cursor) {
  const std::string system = cursor.take("a code system (snomed, loinc, ...)").text;
  const std::string code = cursor.take("a code").text;
  return runtime::Code(system, code);
}

runtime::RecordedDate on_date(Cursor& cursor) {
  cursor.keyword("on");
  return {cursor.date(), runtime::DatePrecision::day};
}

bool is_pair(const std::string& text) {
  const auto slash = text.find('/');
  return slash != std::string::npos && slash > 0 && slash + 1 < text.size() &&
         text.find('/', slash + 1) == std::string::npos;
}

std::string pair_of(Cursor& cursor) {
  const int column = cursor.column();
  std::string text = cursor.word("CONDITION/CHECK, e.g. diabetes/hba1c");
  if (!is_pair(text)) {
    throw TestFileError{column,
                        "expected CONDITION/CHECK, e.g. diabetes/hba1c, found '" + text + "'", ""};
  }
  return text;
}

void names_to_end(Cursor& cursor, const std::string& what) {
  cursor.word(what);
  while (!cursor.done())
    cursor.word(what);
}

// Checks the shape of an expectation now, so that a typo is a malformed file (exit 2) rather
// than a failing test.
void check_expectation(const Expectation& e, Cursor& c) {
  const std::string& s = e.subject;
  const auto no_negation = [&] {
    if (e.negated) throw TestFileError{e.column, "'expect no " + s + "' is not an expectation", ""};
  };
  if (s == "conditions") {
    no_negation();
    names_to_end(c, "condition ids, or none");
  } else if (s == "review") {
    if (!e.negated) {
      const std::string kind = c.word("merged, single or none");
      if (kind != "merged" && kind != "single" && kind != "none") {
        c.fail("merged, single or none");
      }
      if (c.accept("on")) c.date();
    }
  } else if (s == "reminder") {
    pair_of(c);
    if (!e.negated) {
      const int at = c.column();
      const std::string status = c.word("a status: due, overdue, not_due or suppressed");
      if (status != "due" && status != "overdue" && status != "not_due" && status != "suppressed") {
        throw TestFileError{
            at, "expected a status (due, overdue, not_due or suppressed), found '" + status + "'",
            ""};
      }
      if (status == "suppressed" && !c.done() && !c.next_is("due") && !c.next_is("until")) {
        c.word("a reason");
      }
      if (c.accept("due")) c.date();
      if (c.accept("until") && !c.accept("never")) c.date();
    }
  } else if (s == "target") {
    no_negation();
    pair_of(c);
    if (c.accept("not")) {
      c.keyword("met");
    } else if (!c.accept("met") && !c.accept("unknown")) {
      c.fail("met, not met or unknown");
    }
  } else if (s == "stage") {
    c.word("a stage id");
    if (!e.negated) {
      while (!c.done()) {
        if (c.accept("on")) {
          c.date();
        } else if (c.accept("minutes")) {
          c.whole_number();
        } else if (c.accept("has") || c.accept("lacks")) {
          c.word("check ids");
          while (!c.done() && !c.next_is("has") && !c.next_is("lacks") && !c.next_is("on") &&
                 !c.next_is("minutes"))
            c.word("check ids");
        } else {
          c.fail("'on DATE', 'minutes N', 'has CHECKS' or 'lacks CHECKS'");
        }
      }
    }
  } else if (s == "checks") {
    no_negation();
    if (!c.accept("has") && !c.accept("lacks")) c.accept("once");
    names_to_end(c, "check ids");
  } else if (s == "replaces") {
    no_negation();
    c.whole_number();
  } else if (s == "prompt") {
    c.word("a prompt id");
  } else if (s == "prompts") {
    no_negation();
    names_to_end(c, "prompt ids, or none");
  } else if (s == "suppressed") {
    pair_of(c);
    if (!e.negated && !c.done()) c.word("a reason");
  } else {
    throw TestFileError{e.column, "unknown expectation '" + s + "'",
                        "expect conditions | review | reminder | target | stage | checks | "
                        "replaces | prompt | prompts | suppressed"};
  }
  c.end();
}

std::string rtrim(std::string text) {
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r'))
    text.pop_back();
  return text;
}

void read_line(const std::vector<Token>& tokens, int end_column, RulesetTest* test,
               std::vector<RulesetTest>& tests, std::filesystem::path& default_rulesets,
               const std::filesystem::path& folder, const std::string& path, int line_number,
               std::string_view raw) {
  Cursor c(tokens, end_column);
  const int first = tokens.front().column;
  const std::string statement = c.word("a statement");
  if (statement == "test") {
    RulesetTest next;
    next.name = c.string("the test's name");
    next.file = path;
    next.line = line_number;
    next.rulesets = default_rulesets;
    c.end();
    tests.push_back(std::move(next));
    return;
  }
  if (statement == "rulesets") {
    const std::filesystem::path where = folder / c.string("a folder or file of rulesets");
    c.end();
    (test ? test->rulesets : default_rulesets) = where;
    return;
  }
  if (!test) {
    throw TestFileError{first, "'" + statement + "' before the first test",
                        "start a test with: test \"what it shows\""};
  }
  runtime::Record& r = test->facts;
  const std::string id = "line " + std::to_string(line_number);
  if (statement == "record") {
    test->record = folder / c.string("a record file");
  } else if (statement == "on") {
    test->on = c.date();
  } else if (statement == "person") {
    c.keyword("born");
    r.birth_date = runtime::RecordedDate{c.date(), runtime::DatePrecision::day};
    if (c.accept("sex")) r.sex = c.word("a sex (female, male, ...)");
    if (c.accept("died")) {
      r.deceased = true;
      r.death_date = runtime::RecordedDate{c.date(), runtime::DatePrecision::day};
    }
  } else if (statement == "diagnosis") {
    runtime::Diagnosis d;
    d.id = id;
    d.codes.push_back(code_of(c));
    d.onset = on_date(c);
    r.diagnoses.push_back(std::move(d));
  } else if (statement == "observation" || statement == "event" || statement == "procedure" ||
             statement == "immunization" || statement == "flag" || statement == "encounter") {
    runtime::Event e;
    e.id = id;
    e.kind = statement == "procedure"      ? runtime::EventKind::procedure
             : statement == "immunization" ? runtime::EventKind::immunization
             : statement == "flag"         ? runtime::EventKind::flag
             : statement == "encounter"    ? runtime::EventKind::encounter
                                           : runtime::EventKind::observation;
    e.codes.push_back(code_of(c));
    e.date = on_date(c);
    if (c.accept("value")) {
      runtime::Quantity q;
      q.value = c.number();
      if (!c.done()) q.unit = c.word("a unit");
      e.quantity = q;
    }
    r.events.push_back(std::move(e));
  } else if (statement == "medication") {
    runtime::Medication m;
    m.id = id;
    m.codes.push_back(code_of(c));
    if (c.accept("since")) m.start = runtime::RecordedDate{c.date(), runtime::DatePrecision::day};
    m.active = !c.accept("stopped");  // a past issue, no longer a current prescription
    r.medications.push_back(std::move(m));
  } else if (statement == "medicines") {
    // N distinct regular medicines, for the polypharmacy rules: which ones does not matter.
    const int count = c.whole_number();
    std::optional<runtime::RecordedDate> since;
    if (c.accept("since")) since = runtime::RecordedDate{c.date(), runtime::DatePrecision::day};
    for (int i = 1; i <= count; ++i) {
      runtime::Medication m;
      m.id = id + " medicine " + std::to_string(i);
      m.start = since;
      r.medications.push_back(std::move(m));
    }
  } else if (statement == "goal") {
    runtime::Goal g;
    g.text = c.string("the goal in the person's words");
    if (c.accept("on")) g.recorded = runtime::RecordedDate{c.date(), runtime::DatePrecision::day};
    r.goals.push_back(std::move(g));
  } else if (statement == "expect") {
    Expectation e;
    e.line = line_number;
    if (c.accept("no")) e.negated = true;
    e.column = c.column();
    e.subject = c.word("what is expected (conditions, review, reminder, ...)");
    Cursor rest = c;
    while (!c.done())
      e.words.push_back(c.take("").text);
    check_expectation(e, rest);
    // The words as written (without `expect` and any comment), for the failure message.
    std::string_view text = raw.substr(0, raw.find('#'));
    text.remove_prefix(std::min(text.size(), text.find("expect") + 6));
    e.text = rtrim(std::string(text.substr(std::min(text.size(), text.find_first_not_of(" \t")))));
    test->expectations.push_back(std::move(e));
    return;
  } else {
    throw TestFileError{first, "unknown statement '" + statement + "'",
                        "a test holds: rulesets, record, person, diagnosis, observation, event, "
                        "procedure, immunization, medication, medicines, goal, on, expect"};
  }
  c.end();
}

}  // namespace

std::optional<std::vector<RulesetTest>> parse_test_file(const dsl::SourceFile& source,
                                                        std::vector<dsl::Diagnostic>& out) {
  const std::filesystem::path folder = std::filesystem::path(source.path).parent_path();
  std::filesystem::path default_rulesets = folder / "..";
  std::vector<RulesetTest> tests;
  std::istringstream lines(source.text);
  int line_number = 0;
  bool ok = true;
  for (std::string line; std::getline(lines, line);) {
    ++line_number;
    try {
      const std::vector<Token> tokens = tokens_of(line);
      if (tokens.empty()) continue;
      RulesetTest* current = tests.empty() ? nullptr : &tests.back();
      read_line(tokens, column_of(line, rtrim(line).size()), current, tests, default_rulesets,
                folder, source.path, line_number, line);
    } catch (const TestFileError& e) {
      out.push_back({source.path, line_number, e.column, dsl::Severity::error, "test-syntax",
                     e.message, e.hint});
      ok = false;
    }
  }
  for (const RulesetTest& test : tests) {
    if (!test.on) {
      out.push_back({source.path, test.line, 1, dsl::Severity::error, "test-syntax",
                     "the test \"" + test.name + "\" has no evaluation date",
                     "add a line: on YYYY-MM-DD"});
      ok = false;
    }
  }
  if (tests.empty() && ok) {
    out.push_back({source.path, 0, 0, dsl::Severity::error, "test-syntax",
                   "this file holds no tests", "start a test with: test \"what it shows\""});
    ok = false;
  }
  if (!ok) return std::nullopt;
  return tests;
}

// ---- Comparing expectations with an evaluation ----------------------------------------------

namespace {

std::string join(const std::vector<std::string>& items, const std::string& none = "none") {
  if (items.empty()) return none;
  std::string out;
  for (const auto& item : items)
    out += (out.empty() ? "" : ", ") + item;
  return out;
}

std::string pair(const runtime::Program& p, const runtime::Reminder& r) {
  return p.conditions[r.condition].id + "/" + p.checks[r.check].id;
}

const runtime::Reminder* find_reminder(const runtime::Program& p, const runtime::Evaluation& e,
                                       const std::string& wanted) {
  for (const auto& r : e.reminders)
    if (pair(p, r) == wanted) return &r;
  return nullptr;
}

std::string describe(const runtime::Reminder& r, const runtime::Program& p) {
  std::string out = "reminder " + pair(p, r) + " " + std::string(runtime::to_string(r.status));
  if (r.status == runtime::ReminderStatus::suppressed) {
    out += " " + r.suppressed_reason + " until " +
           (r.suppressed_until ? r.suppressed_until->iso() : "never");
  }
  return out + " due " + r.due_date.iso();
}

std::string number(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

std::string describe_target(const runtime::Reminder& r, const runtime::Program& p) {
  std::string out = "target " + pair(p, r);
  if (!r.target) return out + " none (the check has no target)";
  const auto& t = *r.target;
  out += t.met ? (*t.met ? " met" : " not met") : " unknown";
  std::vector<std::string> bounds;
  for (const auto& b : t.bounds) {
    std::string text = p.value_sets[b.bound->value_set].name + " ";
    text +=
        b.value ? number(*b.value) : (b.recorded_unit.empty() ? "none" : "in " + b.recorded_unit);
    const char* ops[] = {"<", "<=", ">", ">=", "=", "!="};
    text += std::string(" (limit ") + ops[static_cast<int>(b.bound->comparison)] + " " +
            number(b.bound->limit) + " " + b.bound->unit + ")";
    bounds.push_back(text);
  }
  return out + " [" + join(bounds) + "]";
}

std::vector<std::string> sorted(std::vector<std::string> items) {
  std::sort(items.begin(), items.end());
  return items;
}

std::vector<std::string> wanted_names(const std::vector<std::string>& words, std::size_t from) {
  std::vector<std::string> out(words.begin() + static_cast<std::ptrdiff_t>(from), words.end());
  if (out.size() == 1 && out[0] == "none") out.clear();
  return out;
}

}  // namespace

std::optional<std::string> failure_of(const Expectation& x, const runtime::Evaluation& e,
                                      const runtime::Program& p) {
  const auto& w = x.words;
  const auto& review = e.review;
  if (x.subject == "conditions") {
    std::vector<std::string> actual;
    for (const auto& c : e.conditions)
      actual.push_back(p.conditions[c.condition].id);
    if (sorted(actual) == sorted(wanted_names(w, 0))) return std::nullopt;
    return "conditions " + join(actual);
  }
  if (x.subject == "review") {
    const std::string actual = !review ? "none" : (review->merged ? "merged" : "single");
    const std::string actual_text =
        "review " + actual + (review ? " on " + review->due_date.iso() : "");
    if (x.negated) return review ? std::optional(actual_text) : std::nullopt;
    if (w[0] != actual) return actual_text;
    if (w.size() > 2 && review->due_date.iso() != w[2]) return actual_text;
    return std::nullopt;
  }
  if (x.subject == "reminder") {
    const runtime::Reminder* r = find_reminder(p, e, w[0]);
    if (x.negated) return r ? std::optional(describe(*r, p)) : std::nullopt;
    if (!r) return "no reminder " + w[0];
    const std::string actual = describe(*r, p);
    if (w[1] != runtime::to_string(r->status)) return actual;
    for (std::size_t i = 2; i < w.size(); ++i) {
      if (w[i] == "due") {
        if (r->due_date.iso() != w[++i]) return actual;
      } else if (w[i] == "until") {
        const std::string until = r->suppressed_until ? r->suppressed_until->iso() : "never";
        if (until != w[++i]) return actual;
      } else if (w[i] != r->suppressed_reason) {
        return actual;
      }
    }
    return std::nullopt;
  }
  if (x.subject == "target") {
    const runtime::Reminder* r = find_reminder(p, e, w[0]);
    if (!r) return "no reminder " + w[0];
    const std::optional<bool> met = r->target ? r->target->met : std::nullopt;
    const bool ok = w[1] == "met"       ? met == true
                    : w[1] == "unknown" ? !met.has_value()
                                        : met == false;
    return ok ? std::nullopt : std::optional(describe_target(*r, p));
  }
  if (x.subject == "stage") {
    const runtime::StageResult* stage = nullptr;
    if (review) {
      for (const auto& s : review->stages)
        if (s.stage->id == w[0]) stage = &s;
    }
    if (!stage) {
      return x.negated ? std::nullopt : std::optional("no stage " + w[0]);
    }
    std::string actual = "stage " + w[0] + " on " + stage->date.iso();
    if (stage->stage->kind == runtime::StageKind::conversation) {
      actual += " minutes " + std::to_string(stage->minutes);
    }
    actual += " has " + join(stage->checks);
    if (x.negated) return actual;
    const auto holds = [&](const std::string& id) {
      return std::find(stage->checks.begin(), stage->checks.end(), id) != stage->checks.end();
    };
    std::string mode;
    for (std::size_t i = 1; i < w.size(); ++i) {
      if (w[i] == "on") {
        if (stage->date.iso() != w[++i]) return actual;
      } else if (w[i] == "minutes") {
        if (std::to_string(stage->minutes) != w[++i]) return actual;
      } else if (w[i] == "has" || w[i] == "lacks") {
        mode = w[i];
      } else if ((mode == "has") != holds(w[i])) {
        return actual;
      }
    }
    return std::nullopt;
  }
  if (x.subject == "checks") {
    if (!review) return std::string("no review");
    const std::vector<std::string>& checks = review->checks;
    const std::string actual = "checks " + join(checks);
    const auto count = [&](const std::vector<std::string>& list, const std::string& id) {
      return std::count(list.begin(), list.end(), id);
    };
    if (w[0] == "has" || w[0] == "lacks") {
      for (std::size_t i = 1; i < w.size(); ++i)
        if ((count(checks, w[i]) > 0) != (w[0] == "has")) return actual;
      return std::nullopt;
    }
    if (w[0] == "once") {
      std::vector<std::string> staged;
      for (const auto& s : review->stages)
        staged.insert(staged.end(), s.checks.begin(), s.checks.end());
      for (std::size_t i = 1; i < w.size(); ++i) {
        if (count(checks, w[i]) != 1 || count(staged, w[i]) != 1) {
          return w[i] + " " + std::to_string(count(checks, w[i])) + " times in checks (" +
                 join(checks) + "), " + std::to_string(count(staged, w[i])) +
                 " times in the stages";
        }
      }
      return std::nullopt;
    }
    if (sorted(checks) == sorted(wanted_names(w, 0))) return std::nullopt;
    return actual;
  }
  if (x.subject == "replaces") {
    const int actual = review ? review->replaces : 0;
    if (std::to_string(actual) == w[0]) return std::nullopt;
    return "replaces " + std::to_string(actual);
  }
  if (x.subject == "prompt" || x.subject == "prompts") {
    std::vector<std::string> actual;
    if (review) {
      for (const auto* prompt : review->prompts)
        actual.push_back(prompt->id);
    }
    const std::string actual_text = "prompts " + join(actual);
    if (x.subject == "prompts") {
      return sorted(actual) == sorted(wanted_names(w, 0)) ? std::nullopt
                                                          : std::optional(actual_text);
    }
    const bool asked = std::find(actual.begin(), actual.end(), w[0]) != actual.end();
    return asked != x.negated ? std::nullopt : std::optional(actual_text);
  }
  if (x.subject == "suppressed") {
    std::vector<std::string> actual;
    bool found = false;
    if (review) {
      for (std::size_t index : review->suppressed) {
        const auto& r = e.reminders[index];
        actual.push_back(pair(p, r) + " " + r.suppressed_reason);
        if (pair(p, r) == w[0] && (w.size() < 2 || r.suppressed_reason == w[1])) found = true;
      }
    }
    if (found != x.negated) return std::nullopt;
    return review ? "suppressed " + join(actual) : std::string("no review");
  }
  return "unknown expectation";
}

}  // namespace concord::tools
