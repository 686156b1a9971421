// The canonical layout, printed from the syntax tree. The tree holds no comments (the grammar
// skips them), so a scan of the text lists every comment with its position, and the printer
// puts each one back before the first line it prints whose construct starts after the comment:
// a comment that followed code on its line stays at the end of a line, and one on a line of
// its own stays on a line of its own. The layout never depends on where the author broke
// lines, which is what makes formatting idempotent.
#include "concord/dsl/format_source.hpp"

#include <algorithm>

#include <charconv>
#include <climits>
#include <type_traits>

#include "concord/dsl/parse.hpp"

namespace concord::dsl {
namespace {

struct Pos {
  int line = 0;
  int column = 0;
  friend auto operator<=>(const Pos&, const Pos&) = default;
};

Pos pos_of(const ast::Located& node) {
  return {node.line, node.column};
}

struct Comment {
  Pos at;
  std::string text;           // from the '#' to the end of the line, trailing blanks removed
  bool trailing = false;      // code comes before it on its line
  bool blank_before = false;  // the line above it is blank
  bool blank_after = false;   // the line below it is blank
};

// What the grammar skips or does not locate: comments, and where string literals start (the
// tree keeps `source "..."` strings without a position).
struct Scan {
  std::vector<Comment> comments;
  std::vector<Pos> strings;
};

bool is_blank_char(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}
bool starts_code_point(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
}

Scan scan(std::string_view text) {
  Scan result;
  std::vector<bool> blank_lines;  // by line - 1
  int line = 1;
  int column = 1;
  bool code_on_line = false;
  bool anything_on_line = false;
  std::size_t i = 0;
  const auto advance = [&] {
    if (starts_code_point(text[i])) ++column;
    ++i;
  };
  while (i < text.size()) {
    const char c = text[i];
    if (c == '\n') {
      blank_lines.push_back(!anything_on_line);
      ++line;
      column = 1;
      code_on_line = anything_on_line = false;
      ++i;
    } else if (c == '#') {
      std::size_t end = text.find('\n', i);
      if (end == std::string_view::npos) end = text.size();
      std::string body(text.substr(i, end - i));
      while (!body.empty() && is_blank_char(body.back()))
        body.pop_back();
      result.comments.push_back({{line, column}, std::move(body), code_on_line, false, false});
      anything_on_line = true;
      while (i < end)
        advance();
    } else if (c == '"') {
      result.strings.push_back({line, column});
      code_on_line = anything_on_line = true;
      advance();
      while (i < text.size() && text[i] != '"' && text[i] != '\n') {
        if (text[i] == '\\' && i + 1 < text.size() && text[i + 1] != '\n') advance();
        advance();
      }
      if (i < text.size() && text[i] == '"') advance();
    } else {
      if (!is_blank_char(c)) code_on_line = anything_on_line = true;
      advance();
    }
  }
  blank_lines.push_back(!anything_on_line);
  const auto blank = [&](int l) {
    return l >= 1 && l <= static_cast<int>(blank_lines.size()) &&
           blank_lines[static_cast<std::size_t>(l - 1)];
  };
  for (Comment& comment : result.comments) {
    comment.blank_before = blank(comment.at.line - 1);
    // The last "line" after a final newline is empty but is not a blank line between things.
    comment.blank_after =
        comment.at.line + 1 < static_cast<int>(blank_lines.size()) && blank(comment.at.line + 1);
  }
  return result;
}

// ---- Text of the leaves ---------------------------------------------------------------------

int width(std::string_view text) {
  int n = 0;
  for (char c : text)
    if (starts_code_point(c)) ++n;
  return n;
}

std::string quote(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// Plain decimals, as the grammar reads them: no exponent, the shortest text that reads back
// as the same double.
std::string number(double value) {
  char buffer[400];
  const auto [end, ec] =
      std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed);
  if (ec != std::errc()) return "0";
  return std::string(buffer, end);
}

bool all_digits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text)
    if (c < '0' || c > '9') return false;
  return true;
}

std::string code_text(const ast::Code& code) {
  return all_digits(code.value) ? code.value : quote(code.value);
}

std::string system_text(std::string_view system) {
  for (std::string_view known : {"snomed", "loinc", "read2", "ctv3", "dmd", "icd10", "cvx"})
    if (system == known) return std::string(system);
  return quote(system);
}

std::string duration(const ast::Duration& d) {
  const bool one = d.count == 1;
  std::string unit;
  switch (d.unit) {
    case runtime::IntervalUnit::days:
      unit = one ? "day" : "days";
      break;
    case runtime::IntervalUnit::weeks:
      unit = one ? "week" : "weeks";
      break;
    case runtime::IntervalUnit::months:
      unit = one ? "month" : "months";
      break;
    case runtime::IntervalUnit::years:
      unit = one ? "year" : "years";
      break;
  }
  return std::to_string(d.count) + " " + unit;
}

std::string comparison(runtime::Comparison op) {
  switch (op) {
    case runtime::Comparison::lt:
      return "<";
    case runtime::Comparison::le:
      return "<=";
    case runtime::Comparison::gt:
      return ">";
    case runtime::Comparison::ge:
      return ">=";
    case runtime::Comparison::eq:
      return "=";
    case runtime::Comparison::ne:
      return "!=";
  }
  return "=";
}

std::string fact_kind(runtime::FactKind kind) {
  switch (kind) {
    case runtime::FactKind::observation:
      return "observation";
    case runtime::FactKind::procedure:
      return "procedure";
    case runtime::FactKind::immunization:
      return "immunization";
    case runtime::FactKind::medication:
      return "medication";
    case runtime::FactKind::any:
      return "record";
  }
  return "record";
}

std::string names(const std::vector<ast::Identifier>& list) {
  std::string out;
  for (const auto& id : list)
    out += (out.empty() ? "" : ", ") + id.name;
  return out;
}

std::string arith(const ast::ArithSum& sum);

std::string arith(const ast::ArithOperand& operand) {
  return boost::apply_visitor(
      [](const auto& value) -> std::string {
        using T = std::decay_t<decltype(value)>;
        if constexpr (std::is_same_v<T, double>) {
          return number(value);
        } else if constexpr (std::is_same_v<T, ast::ValueWord>) {
          return "value";
        } else {
          return "(" + arith(value.get()) + ")";
        }
      },
      operand);
}

std::string arith(const ast::ArithProduct& product) {
  std::string out = arith(product.first);
  for (const auto& step : product.rest)
    out += std::string(" ") + step.op + " " + arith(step.operand);
  return out;
}

std::string arith(const ast::ArithSum& sum) {
  std::string out = arith(sum.first);
  for (const auto& term : sum.rest)
    out += std::string(" ") + term.op + " " + arith(term.product);
  return out;
}

// ---- Expressions, as pieces a long line may be broken between ------------------------------

struct Piece {
  std::string text;
  bool break_before = false;  // the line may be wrapped before this piece
  bool keeps_rest = false;    // wrap before it unless it and everything after it fit
};
using Pieces = std::vector<Piece>;

std::string measure(runtime::Measure m) {
  return std::string(runtime::to_string(m));
}

Pieces expression(const ast::OrExpr& e);

std::string fact_test(const ast::FactTest& t) {
  std::string out = fact_kind(t.kind) + " in " + t.value_set.name;
  if (t.within) out += " within " + duration(*t.within);
  if (t.relation) {
    const std::string& date = t.relation->moment.date;
    out += (t.relation->after ? " after " : " before ") + (date.empty() ? "onset" : date);
  }
  return out;
}

Pieces operand(const ast::Operand& o) {
  return boost::apply_visitor(
      [](const auto& value) -> Pieces {
        using T = std::decay_t<decltype(value)>;
        if constexpr (std::is_same_v<T, ast::Comparison>) {
          std::string compared = boost::apply_visitor(
              [](const auto& v) -> std::string {
                if constexpr (std::is_same_v<std::decay_t<decltype(v)>, double>) {
                  return number(v);
                } else {
                  return v.name;
                }
              },
              value.value);
          return {{measure(value.measure) + " " + comparison(value.op) + " " + compared}};
        } else if constexpr (std::is_same_v<T, ast::Identifier>) {
          return {{value.name}};
        } else if constexpr (std::is_same_v<T, ast::FactTest>) {
          return {{fact_test(value)}};
        } else if constexpr (std::is_same_v<T, ast::CountTest>) {
          std::string out = "count " + fact_kind(value.kind) + " in " + value.value_set.name;
          if (value.within) out += " within " + duration(*value.within);
          return {{out + " " + comparison(value.op) + " " + number(value.value)}};
        } else if constexpr (std::is_same_v<T, ast::ScoreTest>) {
          return {{"score " + value.function.name + " " + comparison(value.op) + " " +
                   number(value.value)}};
        } else if constexpr (std::is_same_v<T, ast::LatestTest>) {
          return {{"latest " + fact_kind(value.kind) + " in " + value.value_set.name + " is in " +
                   value.within_set.name}};
        } else if constexpr (std::is_same_v<T, boost::spirit::x3::forward_ast<ast::Not>>) {
          Pieces inner = operand(value.get().operand);
          inner.front().text = "not " + inner.front().text;
          return inner;
        } else {
          Pieces inner = expression(value.get());
          inner.front().text = "(" + inner.front().text;
          inner.back().text += ")";
          return inner;
        }
      },
      o);
}

void append_joined(Pieces& out, Pieces more, const std::string& keyword) {
  more.front().text = keyword + " " + more.front().text;
  more.front().break_before = true;
  out.insert(out.end(), more.begin(), more.end());
}

Pieces expression(const ast::AndExpr& e) {
  Pieces out = operand(e.first);
  for (const auto& o : e.rest)
    append_joined(out, operand(o), "and");
  return out;
}

Pieces expression(const ast::OrExpr& e) {
  Pieces out = expression(e.first);
  for (const auto& a : e.rest)
    append_joined(out, expression(a), "or");
  return out;
}

Pos first_pos(const ast::OrExpr& e);

Pos first_pos(const ast::Operand& o) {
  return boost::apply_visitor(
      [](const auto& value) -> Pos {
        using T = std::decay_t<decltype(value)>;
        if constexpr (std::is_same_v<T, ast::Comparison> || std::is_same_v<T, ast::Identifier> ||
                      std::is_same_v<T, ast::FactTest> || std::is_same_v<T, ast::CountTest> ||
                      std::is_same_v<T, ast::ScoreTest> || std::is_same_v<T, ast::LatestTest>) {
          return pos_of(value);
        } else if constexpr (std::is_same_v<T, boost::spirit::x3::forward_ast<ast::Not>>) {
          return pos_of(value.get());
        } else {
          return first_pos(value.get());
        }
      },
      o);
}

Pos first_pos(const ast::OrExpr& e) {
  return first_pos(e.first.first);
}

// ---- The printer ----------------------------------------------------------------------------

constexpr int kClause = 2;        // clauses under an item
constexpr int kContinuation = 4;  // wrapped lines and codes inside a list

class Printer {
 public:
  Printer(Scan scan) : scan_(std::move(scan)) {}

  std::string finish() {
    separate_ = false;
    comments_before({INT_MAX, INT_MAX}, 0, true);
    std::string out;
    for (const auto& line : lines_)
      out += line + "\n";
    return out;
  }

  // An item starts at column 0, after one blank line and the comments that precede it.
  void start_item(Pos at) {
    separate_ = !lines_.empty();
    comments_before(at, 0, true);
    if (separate_ || blank_after_comment_) blank();
  }

  // A line (wrapped if it must be) for a construct that starts at `at`.
  void unit(Pos at, int indent, const Pieces& pieces) {
    comments_before(at, indent, false);
    emit(indent, pieces);
  }

  void emit(int indent, const Pieces& pieces) {
    std::string line(static_cast<std::size_t>(indent), ' ');
    bool empty = true;
    for (std::size_t i = 0; i < pieces.size(); ++i) {
      const Piece& piece = pieces[i];
      int needed = width(piece.text);
      if (piece.keeps_rest) {
        for (std::size_t j = i + 1; j < pieces.size(); ++j)
          needed += 1 + width(pieces[j].text);
      }
      if (empty) {
        line += piece.text;
        empty = false;
      } else if (piece.break_before && width(line) + 1 + needed > format_line_limit) {
        push(std::move(line));
        line = std::string(kContinuation, ' ') + piece.text;
      } else {
        line += " " + piece.text;
      }
    }
    push(std::move(line));
  }

  void push(std::string line) {
    lines_.push_back(std::move(line));
    last_is_code_ = true;
    blank_after_comment_ = false;
  }

  bool comment_before(Pos at) const {
    return next_ < scan_.comments.size() && scan_.comments[next_].at < at;
  }

  void comments_before(Pos at, int indent, bool top_level) {
    while (comment_before(at)) {
      const Comment& comment = scan_.comments[next_++];
      if (comment.trailing && last_is_code_) {
        lines_.back() += "  " + comment.text;
        continue;
      }
      if (top_level) {
        if (separate_ || comment.blank_before) blank();
        separate_ = false;
      }
      lines_.push_back(std::string(static_cast<std::size_t>(indent), ' ') + comment.text);
      last_is_code_ = false;
      blank_after_comment_ = top_level && comment.blank_after;
    }
  }

  // The positions of the `source "..."` strings that follow `after`, skipping `skip` strings
  // (a title or version printed on the item's first line).
  std::vector<Pos> strings_after(Pos after, std::size_t skip, std::size_t count) const {
    std::vector<Pos> out;
    std::size_t i = 0;
    while (i < scan_.strings.size() && scan_.strings[i] <= after)
      ++i;
    i += skip;
    for (std::size_t k = 0; k < count; ++k, ++i)
      out.push_back(i < scan_.strings.size() ? scan_.strings[i] : after);
    return out;
  }

  void sources(const std::vector<std::string>& list, Pos after, std::size_t skip) {
    const std::vector<Pos> at = strings_after(after, skip, list.size());
    for (std::size_t i = 0; i < list.size(); ++i)
      unit(at[i], kClause, {{"source " + quote(list[i])}});
  }

 private:
  void blank() {
    if (!lines_.empty() && !lines_.back().empty()) lines_.emplace_back();
    last_is_code_ = false;
    blank_after_comment_ = false;
  }

  Scan scan_;
  std::size_t next_ = 0;
  std::vector<std::string> lines_;
  bool last_is_code_ = false;
  bool separate_ = false;             // a blank line is owed before the next item
  bool blank_after_comment_ = false;  // the last top-level comment had a blank line after it
};

// ---- Items ----------------------------------------------------------------------------------

std::string list_inline(const ast::SystemCodes& list) {
  std::string out = system_text(list.system) + " [";
  for (std::size_t i = 0; i < list.codes.size(); ++i)
    out += (i ? ", " : "") + code_text(list.codes[i]);
  return out + "]";
}

std::string refset_text(const ast::RefsetRef& r) {
  const bool digits = !r.id.empty() && std::all_of(r.id.begin(), r.id.end(),
                                                   [](char c) { return c >= '0' && c <= '9'; });
  return "refset " + (digits ? r.id : quote(r.id));
}

// A refset or another list's name: added to the line, or opening the next one (indented 4)
// when the line would grow past 100 columns.
void print_word(Printer& p, std::string& current, const std::string& separator,
                const std::string& word) {
  if (width(current) + width(separator) + width(word) <= format_line_limit) {
    current += separator + word;
    return;
  }
  if (separator != " ") current += ",";
  p.push(std::exchange(current, std::string(kContinuation, ' ') + word));
}

// The parts of a codes list after `current` ("codes NAME =" or "... except"): each list of
// codes that does not fit opens on the current line, its codes fill lines of 100 columns
// indented 4, and `]` closes it on a line of its own indented 2.
void print_parts(Printer& p, std::string& current, const std::vector<ast::CodesPart>& parts) {
  for (std::size_t l = 0; l < parts.size(); ++l) {
    const std::string separator = l == 0 ? " " : ", ";
    if (const auto* refset = boost::get<ast::RefsetRef>(&parts[l].get())) {
      print_word(p, current, separator, refset_text(*refset));
      continue;
    }
    if (const auto* name = boost::get<ast::Identifier>(&parts[l].get())) {
      print_word(p, current, separator, name->name);
      continue;
    }
    const ast::SystemCodes& list = boost::get<ast::SystemCodes>(parts[l].get());
    current += separator;
    const Pos last_code = list.codes.empty() ? pos_of(list) : pos_of(list.codes.back());
    const std::string whole = list_inline(list);
    if (!p.comment_before(last_code) && width(current) + width(whole) <= format_line_limit) {
      current += whole;
      continue;
    }
    p.push(current + system_text(list.system) + " [");
    std::string line;
    for (std::size_t i = 0; i < list.codes.size(); ++i) {
      const Pos at = pos_of(list.codes[i]);
      if (p.comment_before(at)) {
        if (!line.empty()) p.push(std::exchange(line, ""));
        p.comments_before(at, kContinuation, false);
      }
      const std::string item = code_text(list.codes[i]) + (i + 1 < list.codes.size() ? "," : "");
      if (line.empty()) {
        line = std::string(kContinuation, ' ') + item;
      } else if (width(line) + 1 + width(item) > format_line_limit) {
        p.push(std::exchange(line, std::string(kContinuation, ' ') + item));
      } else {
        line += " " + item;
      }
    }
    if (!line.empty()) p.push(std::move(line));
    current = "  ]";
  }
}

// `codes NAME = snomed [...], loinc [...], other [except ...]` on one line when it fits.
void print(Printer& p, const ast::CodesDecl& d) {
  p.start_item(pos_of(d));
  std::string current = "codes " + d.name.name + " =";
  print_parts(p, current, d.parts);
  if (!d.except.empty()) {
    current += " except";
    print_parts(p, current, d.except);
  }
  p.push(current);
  if (d.measured) {
    p.unit(pos_of(*d.measured), kClause, {{"measured in " + d.measured->unit.text}});
    for (const auto& c : d.measured->conversions)
      p.unit(pos_of(c), kClause, {{"converting " + c.from.text + " by " + arith(c.by)}});
  }
}

void print(Printer& p, const ast::ConditionDecl& d) {
  p.start_item(pos_of(d));
  p.emit(0, {{"condition " + d.name.name + " " + quote(d.title)}});
  Pieces present{{"present when diagnosis in " + d.diagnosis.name}};
  for (const auto& o : d.also)
    append_joined(present, operand(o), "and");
  p.unit(pos_of(d.diagnosis), kClause, present);
  Pos last = d.also.empty() ? pos_of(d.diagnosis) : first_pos(d.also.back());
  if (d.resolved_by) {
    last = pos_of(*d.resolved_by);
    p.unit(last, kClause, {{"resolved by " + d.resolved_by->name}});
  }
  p.sources(d.sources, last, 0);
}

std::string bound(const ast::Bound& b) {
  return "latest " + b.value_set.name + " " + comparison(b.op) + " " + number(b.limit) + " " +
         b.unit.text;
}

// `when EXPR` goes on a line of its own when it does not fit after what it qualifies.
void when(Pieces& out, const std::optional<ast::OrExpr>& condition) {
  if (!condition) return;
  const std::size_t at = out.size();
  append_joined(out, expression(*condition), "when");
  out[at].keeps_rest = true;
}

void print(Printer& p, const ast::CheckDecl& d) {
  p.start_item(pos_of(d));
  Pieces head{{"check " + d.name.name + " " + quote(d.title)}};
  if (d.for_frailty) {
    static constexpr const char* levels[] = {"mild", "moderate", "severe"};
    head.push_back({std::string("for frailty >= ") + levels[d.for_frailty->level - 1], true});
  }
  if (!d.conditions.empty()) head.push_back({"for " + names(d.conditions), true});
  std::string when_due;
  if (const auto* every = boost::get<ast::Recurring>(&d.every.get())) {
    when_due = "every " + duration(every->interval) + (every->from_onset ? " from onset" : "");
  } else if (const auto* season = boost::get<ast::SeasonStart>(&d.every.get())) {
    static constexpr const char* months[] = {"January",   "February", "March",    "April",
                                             "May",       "June",     "July",     "August",
                                             "September", "October",  "November", "December"};
    when_due = "every season from " + std::to_string(season->day) + " " +
               (season->month >= 1 && season->month <= 12 ? months[season->month - 1] : "?");
  } else {
    const auto& window = boost::get<ast::OnsetWindow>(d.every.get());
    when_due = "due " + std::to_string(window.from) + " to " +
               duration({{}, window.to, window.unit}) + " after onset";
  }
  head.push_back({"stage " + std::string(runtime::to_string(d.stage.kind)) + " " + when_due, true});
  p.emit(0, head);
  Pos last = pos_of(d);
  for (const auto& other : d.intervals_when) {
    Pieces line{{"or every " + duration(other.interval)}};
    when(line, other.when);
    p.unit(pos_of(other), kClause, line);
    last = pos_of(other);
  }
  if (d.only_when) {
    Pieces line = expression(*d.only_when);
    line.front().text = "only when " + line.front().text;
    line.front().keeps_rest = true;
    p.unit(first_pos(*d.only_when), kClause, line);
    last = first_pos(*d.only_when);
  }
  Pieces done;
  for (const auto& by : d.done_by) {
    done.push_back(
        {(done.empty() ? "done by " : "or ") + fact_kind(by.kind) + " in " + by.value_set.name,
         !done.empty()});
  }
  if (!d.done_by.empty()) {
    last = pos_of(d.done_by.back());
    p.unit(pos_of(d.done_by.front()), kClause, done);
  }
  for (const auto& target : d.targets) {
    Pieces line;
    for (const auto& b : target.bounds)
      line.push_back({(line.empty() ? "target " : "and ") + bound(b), !line.empty()});
    when(line, target.when);
    p.unit(pos_of(target), kClause, line);
    last = pos_of(target);
  }
  p.sources(d.sources, last, 0);
}

void print(Printer& p, const ast::ReviewDecl& d) {
  p.start_item(pos_of(d));
  p.emit(0, {{"review " + d.name.name + " " + quote(d.title)}});
  p.sources(d.sources, pos_of(d), 1);
  Pieces merge = expression(d.merge_when);
  merge.front().text = "merge when " + merge.front().text;
  p.unit(first_pos(d.merge_when), kClause, merge);
  p.unit(pos_of(d.gather), kClause, {{"gather due within " + duration(d.gather)}});
  for (const auto& stage : d.stages) {
    Pieces line{{"stage " + stage.name.name + " " +
                 std::string(runtime::to_string(stage.kind.kind)) + " " + quote(stage.title)}};
    if (stage.before) line.push_back({duration(*stage.before) + " before", true});
    if (stage.minutes) {
      std::string text = "minutes " + std::to_string(stage.minutes->base);
      if (stage.minutes->per_extra_condition) {
        text +=
            " plus " + std::to_string(*stage.minutes->per_extra_condition) + " per extra condition";
      }
      if (stage.minutes->up_to) text += " up to " + std::to_string(*stage.minutes->up_to);
      line.push_back({text, true});
    }
    p.unit(pos_of(stage), kClause, line);
  }
  for (const auto& ask : d.asks) {
    Pieces line{{"ask " + ask.name.name + " " + quote(ask.text)}};
    when(line, ask.when);
    p.unit(pos_of(ask), kClause, line);
  }
}

const char* frailty_level(int level) {
  switch (level) {
    case 1:
      return "mild";
    case 2:
      return "moderate";
    default:
      return "severe";
  }
}

void print(Printer& p, const ast::FrailtyDecl& d) {
  p.start_item(pos_of(d));
  p.emit(0, {{std::string("frailty ") + frailty_level(d.level) + " when record in " +
              d.value_set.name}});
}

void print(Printer& p, const ast::EndOfLifeDecl& d) {
  p.start_item(pos_of(d));
  p.emit(0, {{"end of life when record in " + d.value_set.name}});
  if (d.suppresses.empty()) return;
  Pieces line;
  for (std::size_t i = 0; i < d.suppresses.size(); ++i) {
    line.push_back({(i == 0 ? "suppresses " : "") + d.suppresses[i].name +
                        (i + 1 < d.suppresses.size() ? "," : ""),
                    i > 0});
  }
  p.unit(pos_of(d.suppresses.front()), kClause, line);
}

void print(Printer& p, const ast::ActivationDecl& d) {
  p.start_item(pos_of(d));
  p.emit(0, {{"activation from observation in " + d.value_set.name}});
}

void print(Printer& p, const ast::SuppressDecl& d) {
  p.start_item(pos_of(d));
  p.emit(0, {{"suppress " + d.scope.name + " when record in " + d.value_set.name},
             {"as " + d.reason.name, true},
             {d.lasts ? "for " + duration(*d.lasts) : "until season end", true}});
}

void print(Printer& p, const ast::Header& h) {
  p.start_item(pos_of(h));
  p.emit(0, {{"ruleset " + h.name.name + " version " + quote(h.version)}});
  std::size_t skip = 1;  // the version
  if (h.title) {
    const Pos at = p.strings_after(pos_of(h), 1, 1).front();
    p.unit(at, kClause, {{"title " + quote(*h.title)}});
    skip = 2;
  }
  p.sources(h.sources, pos_of(h), skip);
}

}  // namespace

std::string format_source(const ast::RulesetFile& file, std::string_view text) {
  Printer printer(scan(text));
  print(printer, file.header);
  for (std::size_t i = 0; i < file.imports.size(); ++i) {
    const ast::ImportDecl& import = file.imports[i];
    const std::string line = "import " + quote(import.path);
    if (i == 0) {
      printer.start_item(pos_of(import));
      printer.emit(0, {{line}});
    } else {
      printer.unit(pos_of(import), 0, {{line}});
    }
  }
  for (const auto& item : file.items)
    boost::apply_visitor([&](const auto& decl) { print(printer, decl); }, item);
  return printer.finish();
}

std::optional<std::string> format_source(const SourceFile& source, std::vector<Diagnostic>& out) {
  const std::optional<ast::RulesetFile> file = parse(source, out);
  if (!file) return std::nullopt;
  return format_source(*file, source.text);
}

}  // namespace concord::dsl
