#include "view_text.hpp"

#include <algorithm>
#include <map>
#include <utility>

namespace concord::runtime {
namespace {

// The views' own words in English: the last fallback for every locale, so a view never
// shows a bare id. A locale file may give any of them in another language (or override
// them in en-GB); `concord check` knows these ids.
constexpr std::pair<std::string_view, std::string_view> built_in[] = {
    {"view.date", "{date, date, long}"},
    {"view.number", "{value, number, ::.##}"},
    {"view.document_title", "{title}: {person}"},
    {"view.person", "Record {id}"},
    {"view.person_unknown", "Record without an id"},
    {"view.evaluated", "Evaluated on {date, date, long}."},
    {"view.nav", "Contents"},
    {"view.skip", "Skip to the review"},
    {"view.kind.merged", "One review for several conditions"},
    {"view.kind.single", "Review for one condition"},
    {"view.no_review_title", "Long-term conditions"},
    {"view.conversation",
     "Conversation on {date, date, long}, {minutes, plural, one {# minute} other {# minutes}}."},
    {"view.replaces",
     "Replaces {count, plural, =0 {no single-condition reminders} one {# single-condition "
     "reminder} other {# single-condition reminders}} with one review of {checks, plural, one "
     "{# check} other {# checks}}."},
    {"view.nothing_due", "Nothing is due: no review is needed now."},
    {"view.deceased",
     "The record says this person died on {date, date, long}: no reminder and no review."},
    {"view.deceased_undated", "The record says this person has died: no reminder and no review."},
    {"view.conditions", "Conditions covered"},
    {"view.no_conditions", "No long-term condition that these rulesets cover."},
    {"view.since", "since {date}"},
    {"view.stages", "Stages"},
    {"view.minutes", "{minutes, plural, one {# minute} other {# minutes}}"},
    {"view.checks", "Checks"},
    {"view.col.check", "Check"},
    {"view.col.for", "For"},
    {"view.col.last_done", "Last done"},
    {"view.col.last_value", "Last value"},
    {"view.col.target", "Target"},
    {"view.col.status", "Status"},
    {"view.never", "None on record"},
    {"view.status.due", "Due {date, date, long}"},
    {"view.status.overdue", "Overdue since {date, date, long}"},
    {"view.status.not_due", "Next due {date, date, long}"},
    {"view.status.suppressed", "Not asked"},
    {"view.target.met", "met"},
    {"view.target.not_met", "not met"},
    {"view.target.unknown", "no comparable value"},
    {"view.target.le", "{limit} {unit} or below"},
    {"view.target.lt", "below {limit} {unit}"},
    {"view.target.ge", "{limit} {unit} or above"},
    {"view.target.gt", "above {limit} {unit}"},
    {"view.target.eq", "{limit} {unit}"},
    {"view.suppressed", "Not asked this time"},
    {"view.suppressed.none", "Nothing was left out."},
    {"view.suppressed.item", "{check} for {condition}: {reason}"},
    {"view.until", "until {date, date, long}"},
    {"view.no_end", "no end date"},
    {"view.reason.declined", "declined"},
    {"view.reason.informed_dissent", "informed dissent"},
    {"view.reason.unsuitable", "recorded as unsuitable"},
    {"view.reason.end_of_life", "end of life care: routine monitoring stops"},
    {"view.reason.frailty", "frailty"},
    {"view.goals", "The person's own goals"},
    {"view.goals.none", "No goals recorded yet."},
    {"view.goal.recorded", "recorded {date}"},
    {"view.prompts", "Questions for the conversation"},
    {"view.form", "Agreed goals and action plan"},
    {"view.form.intro",
     "Write the goals you agree in the person's own words, and the steps to get there."},
    {"view.form.goal", "Goal {n}"},
    {"view.form.action", "Action plan: the steps, who does what, and by when"},
    {"view.form.save", "Save the agreed goals"},
    {"view.form.build", "Make the FHIR Bundle"},
    {"view.form.bundle", "FHIR Bundle of the goals and care plan (copy it into the record)"},
    {"view.form.download", "Download the Bundle"},
    {"view.form.noscript",
     "Making the Bundle in this page needs JavaScript; without it, copy the agreed goals "
     "into the record by hand."},
    {"view.footer", "Made by Concord from the rulesets {rulesets}."},
    {"letter.title", "Your results and questions"},
    {"letter.intro",
     "Your health review is on {date, date, long} and will take about {minutes, plural, one {# "
     "minute} other {# minutes}}. This letter has your recent results and some questions to "
     "think about before we meet, so that we can talk about what matters most to you."},
    {"letter.intro.no_review",
     "This letter has your recent results and some questions to think about before your next "
     "health review."},
    {"letter.covers", "Your review covers"},
    {"letter.results", "Your recent results"},
    {"letter.results.none", "We have no recent results to show you."},
    {"letter.result", "Your {what} was {value} {unit} on {date, date, long}."},
    {"letter.target.le", "Your target is {limit} or below."},
    {"letter.target.lt", "Your target is below {limit}."},
    {"letter.target.ge", "Your target is {limit} or above."},
    {"letter.target.gt", "Your target is above {limit}."},
    {"letter.target.eq", "Your target is {limit}."},
    {"letter.within", "This is within your target."},
    {"letter.above", "This is above your target."},
    {"letter.below", "This is below your target."},
    {"letter.not_measured", "Not measured"},
    {"letter.no_result", "We have no result for your {what} yet."},
    {"letter.not_asked", "Your {what} was not checked this time: {reason}."},
    {"letter.reason.declined", "you told us you would rather not have it"},
    {"letter.reason.informed_dissent", "you chose not to have it"},
    {"letter.reason.unsuitable", "it is not suitable for you at the moment"},
    {"letter.reason.end_of_life", "it is no longer needed"},
    {"letter.reason.frailty", "it is no longer needed"},
    {"letter.reason.other", "it is not needed at the moment"},
    {"letter.also", "Also at your review"},
    {"letter.goals", "The goals you set yourself"},
    {"letter.questions", "Questions to think about before we meet"},
    {"letter.questions.intro",
     "You may like to write down your thoughts here and bring this letter with you."},
    {"letter.write", "Space to write your answer"},
    {"letter.closing",
     "If you have questions before your review, please contact your GP practice."},
};

const Messages& built_in_messages() {
  static const Messages messages = [] {
    Messages m;
    for (const auto& [id, pattern] : built_in)
      m.add(Messages::default_locale, id, pattern);
    return m;
  }();
  return messages;
}

}  // namespace

const std::vector<std::string_view>& view_message_ids() {
  static const std::vector<std::string_view> ids = [] {
    std::vector<std::string_view> out;
    for (const auto& [id, pattern] : built_in)
      out.push_back(id);
    return out;
  }();
  return ids;
}

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

namespace view {

Words::Words(const Program& program, std::string locale)
    : program_(program), locale_(std::move(locale)) {}

std::string Words::operator()(std::string_view id, std::initializer_list<MessageArg> args) const {
  if (auto text = program_.messages.format(locale_, id, args)) return std::move(*text);
  if (auto text = program_.messages.format(Messages::default_locale, id, args)) {
    return std::move(*text);
  }
  if (auto text = built_in_messages().format(Messages::default_locale, id, args)) {
    return std::move(*text);
  }
  return std::string(id);
}

std::string Words::ruleset(std::string_view id, const std::string& own) const {
  if (auto text = program_.messages.format(locale_, id)) return std::move(*text);
  return own;
}

std::string Words::plain_check(const CheckDef& c) const {
  if (auto text = program_.messages.format(locale_, "plain.check." + c.id)) return std::move(*text);
  return check(c);
}

std::string Words::date(const RecordedDate& d) const {
  return d.precision == DatePrecision::day ? date(d.date) : d.text();
}

std::string display_unit(std::string_view ucum) {
  std::string out;
  for (char c : ucum) {
    if (c == '[' || c == ']' || c == '{' || c == '}') continue;
    out.push_back(c == '_' ? ' ' : c);
  }
  if (out.size() >= 2 && out.compare(out.size() - 2, 2, "m2") == 0) {
    out.replace(out.size() - 1, 1, "\u00B2");
  }
  return out;
}

std::string time_element(const Words& words, Date d) {
  return "<time datetime=\"" + d.iso() + "\">" + html_escape(words.date(d)) + "</time>";
}

namespace {

int lead_rank(ReminderStatus s) {
  switch (s) {
    case ReminderStatus::overdue:
      return 0;
    case ReminderStatus::due:
      return 1;
    case ReminderStatus::suppressed:
      return 2;
    case ReminderStatus::not_due:
      return 3;
  }
  return 3;
}

}  // namespace

std::vector<CheckRow> check_rows(const Program& program, const Evaluation& evaluation) {
  std::vector<CheckRow> rows;
  std::map<std::string_view, std::size_t> by_id;
  const auto row_for = [&](std::string_view id) -> CheckRow* {
    const auto found = by_id.find(id);
    return found == by_id.end() ? nullptr : &rows[found->second];
  };
  // The review's checks first, in stage order; then every other check of a present condition.
  if (evaluation.review) {
    for (const std::string& id : evaluation.review->checks) {
      by_id.emplace(id, rows.size());
      rows.push_back({});
      rows.back().in_review = true;
    }
  }
  for (const Reminder& r : evaluation.reminders) {
    const CheckDef& def = program.checks[r.check];
    CheckRow* row = row_for(def.id);
    if (!row) {
      by_id.emplace(def.id, rows.size());
      rows.push_back({});
      row = &rows.back();
    }
    if (!row->check) row->check = &def;
    row->conditions.push_back(r.condition);
    if (!row->lead || lead_rank(r.status) < lead_rank(row->lead->status)) row->lead = &r;
    if (r.last_done && (!row->last_done || *r.last_done > *row->last_done)) {
      row->last_done = r.last_done;
    }
    if (!row->target && r.target && !r.target->bounds.empty()) row->target = &*r.target;
  }
  // A review check id with no reminder cannot happen, but a row without one is never shown.
  rows.erase(std::remove_if(rows.begin(), rows.end(), [](const CheckRow& r) { return !r.check; }),
             rows.end());
  return rows;
}

MeasuredValue measured_value(const Words& words, const TargetResult& target) {
  MeasuredValue out;
  for (const BoundResult& b : target.bounds) {
    if (!b.value) return {};
    if (!out.values.empty()) out.values += "/";
    out.values += words.number(*b.value);
    out.unit = display_unit(b.bound->unit);
    if (b.measured && (!out.date || *b.measured > *out.date)) out.date = b.measured;
  }
  return out;
}

std::string limits(const Words& words, const TargetResult& target) {
  std::string out;
  for (const BoundResult& b : target.bounds) {
    if (!out.empty()) out += "/";
    out += words.number(b.bound->limit);
  }
  return out;
}

std::string person_label(const Words& words, const Record& record) {
  return record.id.empty() ? words("view.person_unknown")
                           : words("view.person", {{"id", record.id}});
}

std::string_view base_css() {
  return R"(
*{box-sizing:border-box}
html{font-family:"Noto Sans","Helvetica Neue",Arial,sans-serif;font-size:100%;line-height:1.5;color:#1b1b1b;background:#fff}
body{margin:0 auto;max-width:70rem;padding:1rem 1.5rem}
h1{font-size:1.75rem;margin:.5rem 0}
h2{font-size:1.3rem;margin:1.75rem 0 .5rem;padding-bottom:.2rem;border-bottom:2px solid #005eb8}
h3{font-size:1.1rem;margin:1rem 0 .25rem}
a{color:#003d78}
a:focus,textarea:focus,input:focus,button:focus{outline:3px solid #ffb81c;outline-offset:1px}
.skip{position:absolute;left:-999px}
.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem}
.lead{font-size:1.1rem}
.muted{color:#4c6272}
table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{text-align:left;vertical-align:top;padding:.4rem .5rem;border-bottom:1px solid #aeb7bd}
thead th{border-bottom:2px solid #1b1b1b}
.met{color:#00703c;font-weight:bold}
.not-met{color:#a3001b;font-weight:bold}
.overdue{color:#a3001b;font-weight:bold}
ol.stages{padding-left:1.25rem}
label{display:block;font-weight:bold;margin-top:.75rem}
textarea{width:100%;font:inherit;padding:.4rem;border:2px solid #1b1b1b}
button{font:inherit;font-weight:bold;margin-top:1rem;padding:.5rem 1rem;color:#fff;background:#00703c;border:0;border-bottom:2px solid #002d18}
.write{border:1px solid #4c6272;min-height:6.5rem;margin:.25rem 0 1.25rem;background:repeating-linear-gradient(#fff 0,#fff 1.45rem,#aeb7bd 1.5rem)}
footer{margin-top:2rem;border-top:1px solid #aeb7bd;font-size:.9rem;color:#4c6272}
@media print{
  body{max-width:none;padding:0;font-size:11pt}
  nav,.skip,button,.no-print{display:none}
  a{color:inherit;text-decoration:none}
  h2{break-after:avoid}
  tr,li,section.prompt{break-inside:avoid}
}
)";
}

}  // namespace view
}  // namespace concord::runtime
