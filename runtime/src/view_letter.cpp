// The results-and-questions letter (Year of Care): addressed to the person, in plain words,
// sent before the conversation so that they come ready to talk about what matters to them.
#include <sstream>

#include "concord/runtime/view.hpp"
#include "view_text.hpp"

namespace concord::runtime {
namespace {

using view::CheckRow;
using view::Words;

std::string esc(std::string_view s) {
  return html_escape(s);
}

constexpr std::string_view letter_css = R"(
@page{size:A4;margin:18mm 16mm}
body{max-width:44rem;font-size:1.125rem}
.result{margin:.5rem 0 .9rem}
.result p{margin:.1rem 0}
ul.also li::first-letter{text-transform:uppercase}
@media print{body{font-size:12pt}}
)";

std::string target_sentence(const Words& w, const TargetResult& t) {
  const Bound& first = *t.bounds.front().bound;
  const char* id = "letter.target.eq";
  switch (first.comparison) {
    case Comparison::le:
      id = "letter.target.le";
      break;
    case Comparison::lt:
      id = "letter.target.lt";
      break;
    case Comparison::ge:
      id = "letter.target.ge";
      break;
    case Comparison::gt:
      id = "letter.target.gt";
      break;
    case Comparison::eq:
    case Comparison::ne:
      break;
  }
  return w(id, {{"limit", std::string_view(view::limits(w, t))}});
}

// Where the result sits against the target, in the person's terms.
std::string verdict(const TargetResult& t) {
  if (!t.met) return {};
  if (*t.met) return "letter.within";
  const Comparison c = t.bounds.front().bound->comparison;
  return c == Comparison::ge || c == Comparison::gt ? "letter.below" : "letter.above";
}

std::string reason_words(const Words& w, const std::string& reason) {
  const std::string id = "letter.reason." + reason;
  std::string text = w(id);
  return text == id ? w("letter.reason.other") : text;
}

}  // namespace

std::string render_letter_html(const Program& program, const Record& record,
                               const Evaluation& evaluation, const ViewOptions& options) {
  const Words w(program, options.locale);
  const ReviewResult* review = evaluation.review ? &*evaluation.review : nullptr;
  std::string title = w("letter.title");
  const StageResult* talk = nullptr;
  if (review) {
    for (const StageResult& s : review->stages) {
      if (s.stage->kind == StageKind::letter) title = w.stage(*s.stage);
      if (s.stage->kind == StageKind::conversation) talk = &s;
    }
  }

  std::ostringstream out;
  out << "<!DOCTYPE html>\n<html lang=\"" << esc(w.locale()) << "\">\n<head>\n"
      << "<meta charset=\"utf-8\">\n"
      << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      << "<title>" << esc(title) << "</title>\n<style>" << view::base_css() << letter_css
      << "</style>\n</head>\n<body>\n<header>\n<h1>" << esc(title) << "</h1>\n<p class=\"lead\">"
      << esc(review ? w("letter.intro", {{"date", review->due_date},
                                         {"minutes", std::int64_t{talk ? talk->minutes : 0}}})
                    : w("letter.intro.no_review"))
      << "</p>\n</header>\n<main>\n";

  if (!evaluation.conditions.empty()) {
    out << "<section aria-labelledby=\"covers\">\n<h2 id=\"covers\">" << esc(w("letter.covers"))
        << "</h2>\n<ul class=\"conditions\">\n";
    for (const PresentCondition& c : evaluation.conditions)
      out << "<li>" << esc(w.condition(program.conditions[c.condition])) << "</li>\n";
    out << "</ul>\n</section>\n";
  }

  // Results with a value; then what has no value, or was not asked, and why; then the rest.
  const std::vector<CheckRow> rows = view::check_rows(program, evaluation);
  std::ostringstream results, missing, also;
  for (const CheckRow& row : rows) {
    const std::string what = w.plain_check(*row.check);
    if (row.lead->status == ReminderStatus::suppressed) {
      missing << "<li data-check=\"" << esc(row.check->id) << "\">"
              << esc(w(
                     "letter.not_asked",
                     {{"what", std::string_view(what)},
                      {"reason", std::string_view(reason_words(w, row.lead->suppressed_reason))}}))
              << "</li>\n";
      continue;
    }
    if (!row.target) {
      if (row.in_review) also << "<li>" << esc(what) << "</li>\n";
      continue;
    }
    const view::MeasuredValue v = view::measured_value(w, *row.target);
    if (v.values.empty() || !v.date) {
      missing << "<li data-check=\"" << esc(row.check->id) << "\">"
              << esc(w("letter.no_result", {{"what", std::string_view(what)}})) << "</li>\n";
      continue;
    }
    results << "<div class=\"result\" data-check=\"" << esc(row.check->id) << "\"><p>"
            << esc(w("letter.result", {{"what", std::string_view(what)},
                                       {"value", std::string_view(v.values)},
                                       {"unit", std::string_view(v.unit)},
                                       {"date", *v.date}}))
            << " " << esc(target_sentence(w, *row.target)) << "</p>";
    if (const std::string id = verdict(*row.target); !id.empty()) {
      results << "<p><strong>" << esc(w(id)) << "</strong></p>";
    }
    results << "</div>\n";
  }

  out << "<section aria-labelledby=\"results\">\n<h2 id=\"results\">" << esc(w("letter.results"))
      << "</h2>\n";
  const std::string result_text = results.str();
  out << (result_text.empty() ? "<p>" + esc(w("letter.results.none")) + "</p>\n" : result_text)
      << "</section>\n";
  if (const std::string text = missing.str(); !text.empty()) {
    out << "<section aria-labelledby=\"not-measured\">\n<h2 id=\"not-measured\">"
        << esc(w("letter.not_measured")) << "</h2>\n<ul>\n"
        << text << "</ul>\n</section>\n";
  }
  if (const std::string text = also.str(); !text.empty()) {
    out << "<section aria-labelledby=\"also\">\n<h2 id=\"also\">" << esc(w("letter.also"))
        << "</h2>\n<ul class=\"also\">\n"
        << text << "</ul>\n</section>\n";
  }
  if (!record.goals.empty()) {
    out << "<section aria-labelledby=\"goals\">\n<h2 id=\"goals\">" << esc(w("letter.goals"))
        << "</h2>\n<ul class=\"goals\">\n";
    for (const Goal& g : record.goals)
      out << "<li>" << esc(g.text) << "</li>\n";
    out << "</ul>\n</section>\n";
  }
  if (review && !review->prompts.empty()) {
    out << "<section aria-labelledby=\"questions\">\n<h2 id=\"questions\">"
        << esc(w("letter.questions")) << "</h2>\n<p>" << esc(w("letter.questions.intro"))
        << "</p>\n";
    int n = 0;
    for (const Prompt* p : review->prompts) {
      ++n;
      out << "<section class=\"prompt\" data-prompt=\"" << esc(p->id) << "\">\n<h3 id=\"q" << n
          << "\">" << esc(w.prompt(*p)) << "</h3>\n<div class=\"write\" role=\"note\" aria-label=\""
          << esc(w("letter.write")) << "\"></div>\n</section>\n";
    }
    out << "</section>\n";
  }
  out << "</main>\n<footer>\n<p>" << esc(w("letter.closing"))
      << "</p>\n</footer>\n</body>\n</html>\n";
  return out.str();
}

}  // namespace concord::runtime
