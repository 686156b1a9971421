#include "concord/cds/card.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <array>
#include <cstdio>
#include <map>

namespace concord::cds {
namespace {

namespace json = boost::json;
using runtime::Evaluation;
using runtime::Program;
using runtime::ReminderStatus;

constexpr std::size_t kSummaryLimit = 139;  // the specification asks for fewer than 140

struct OverrideReason {
  const char* code;
  const char* display;
};
constexpr std::array<OverrideReason, 4> kOverrideReasons{{
    {"already-booked", "A review is already booked"},
    {"person-declined", "The person declined a review now"},
    {"not-appropriate", "Not appropriate for this person at present"},
    {"done-elsewhere", "Reviewed elsewhere (hospital or another service)"},
}};

std::string cut_at_word(std::string_view text, std::size_t max_chars) {
  if (utf8_length(text) <= max_chars) return std::string(text);
  // Cut on a character boundary, then back to the last space, and mark the cut.
  std::size_t bytes = 0, chars = 0;
  while (bytes < text.size() && chars + 1 < max_chars) {
    ++bytes;
    while (bytes < text.size() && (static_cast<unsigned char>(text[bytes]) & 0xC0) == 0x80)
      ++bytes;
    ++chars;
  }
  std::string_view head = text.substr(0, bytes);
  const auto space = head.find_last_of(' ');
  if (space != std::string_view::npos && space > bytes / 2) head = head.substr(0, space);
  while (!head.empty() && (head.back() == ',' || head.back() == ' '))
    head.remove_suffix(1);
  return std::string(head) + "\u2026";
}

std::string check_title(const Program& program, std::string_view id) {
  for (const auto& check : program.checks) {
    if (check.id == id) return check.title;
  }
  return std::string(id);
}

// Markdown punctuation in text that came from a record (goals) or a ruleset is shown as is.
std::string md(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (std::string_view("\\`*_[]<>|").find(c) != std::string_view::npos) out += '\\';
    out += (c == '\n' || c == '\r') ? ' ' : c;
  }
  return out;
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

std::string_view comparison_text(runtime::Comparison c) {
  switch (c) {
    case runtime::Comparison::lt:
      return "<";
    case runtime::Comparison::le:
      return "\u2264";
    case runtime::Comparison::gt:
      return ">";
    case runtime::Comparison::ge:
      return "\u2265";
    case runtime::Comparison::eq:
      return "=";
    case runtime::Comparison::ne:
      return "\u2260";
  }
  return "?";
}

std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.4g", value);
  return text;
}

// The covered reminders of one check id: earliest due date, overdue if any, latest done,
// and any target not met.
struct CheckLine {
  std::optional<runtime::Date> due;
  bool overdue = false;
  std::optional<runtime::Date> last_done;
  std::vector<std::string> targets_not_met;
};

std::map<std::string, CheckLine> check_lines(const Program& program, const Evaluation& evaluation) {
  std::map<std::string, CheckLine> lines;
  for (const auto& reminder : evaluation.reminders) {
    if (reminder.status != ReminderStatus::due && reminder.status != ReminderStatus::overdue) {
      continue;
    }
    CheckLine& line = lines[program.checks[reminder.check].id];
    if (!line.due || reminder.due_date < *line.due) line.due = reminder.due_date;
    line.overdue = line.overdue || reminder.status == ReminderStatus::overdue;
    if (reminder.last_done && (!line.last_done || *line.last_done < *reminder.last_done)) {
      line.last_done = reminder.last_done;
    }
    if (reminder.target && reminder.target->met == false) {
      for (const auto& bound : reminder.target->bounds) {
        if (bound.met != false || !bound.value) continue;
        std::string text = number(*bound.value) + " " + bound.bound->unit + " (target " +
                           std::string(comparison_text(bound.bound->comparison)) + " " +
                           number(bound.bound->limit) + ")";
        if (std::find(line.targets_not_met.begin(), line.targets_not_met.end(), text) ==
            line.targets_not_met.end()) {
          line.targets_not_met.push_back(std::move(text));
        }
      }
    }
  }
  return lines;
}

// The ruleset that declares the review policy (matched by file), for the card's source.
const runtime::RulesetInfo* review_ruleset(const Program& program) {
  if (!program.review) return nullptr;
  for (const auto& ruleset : program.rulesets) {
    if (ruleset.file == program.review->rule.file) return &ruleset;
  }
  return nullptr;
}

// A guideline link: a source that is a URL, or a NICE guideline number ("NICE NG56") turned
// into its page on nice.org.uk.
std::string guideline_url(const std::vector<std::string>& sources) {
  for (const auto& source : sources) {
    if (source.starts_with("https://") || source.starts_with("http://")) {
      return source.substr(0, source.find(' '));
    }
  }
  for (const auto& source : sources) {
    const auto at = source.find("NICE NG");
    if (at == std::string::npos) continue;
    std::size_t end = at + 7;
    while (end < source.size() && std::isdigit(static_cast<unsigned char>(source[end])))
      ++end;
    if (end > at + 7)
      return "https://www.nice.org.uk/guidance/ng" + source.substr(at + 7, end - at - 7);
  }
  return {};
}

json::object reference_to(const std::string& patient_id) {
  return {{"reference", "Patient/" + patient_id}};
}

json::object action(std::string description, json::object resource) {
  return {{"type", "create"},
          {"description", std::move(description)},
          {"resource", std::move(resource)}};
}

std::vector<std::string> titles_of(const Program& program, const std::vector<std::string>& checks) {
  std::vector<std::string> titles;
  for (const auto& id : checks)
    titles.push_back(check_title(program, id));
  return titles;
}

// One create action per stage: tests and referrals become a ServiceRequest, the letter a
// Task, the conversation a proposed Appointment.
json::array stage_actions(const Program& program, const runtime::ReviewResult& review,
                          const std::string& patient_id) {
  json::array actions;
  const std::string note = review.policy->title;
  for (const auto& stage : review.stages) {
    const std::string date = stage.date.iso();
    const std::string checks = join(titles_of(program, stage.checks), ", ");
    switch (stage.stage->kind) {
      case runtime::StageKind::tests:
      case runtime::StageKind::referral: {
        json::object request{{"resourceType", "ServiceRequest"},
                             {"status", "draft"},
                             {"intent", "proposal"},
                             {"code", json::object{{"text", stage.stage->title}}},
                             {"subject", reference_to(patient_id)},
                             {"occurrenceDateTime", date},
                             {"note", json::array{json::object{{"text", note + ": " + checks}}}}};
        actions.push_back(
            action("Order " + stage.stage->title + " for " + date + " (" + checks + ")",
                   std::move(request)));
        break;
      }
      case runtime::StageKind::letter: {
        json::object task{
            {"resourceType", "Task"},
            {"status", "draft"},
            {"intent", "proposal"},
            {"description", "Send the letter \"" + stage.stage->title + "\" by " + date},
            {"for", reference_to(patient_id)},
            {"restriction", json::object{{"period", json::object{{"end", date}}}}}};
        actions.push_back(
            action("Send the letter \"" + stage.stage->title + "\" by " + date, std::move(task)));
        break;
      }
      case runtime::StageKind::conversation: {
        json::object appointment{
            {"resourceType", "Appointment"},
            {"status", "proposed"},
            {"description", stage.stage->title},
            {"minutesDuration", stage.minutes},
            {"requestedPeriod", json::array{json::object{{"start", date}}}},
            {"participant", json::array{json::object{{"actor", reference_to(patient_id)},
                                                     {"status", "needs-action"}}}}};
        actions.push_back(action("Propose a " + std::to_string(stage.minutes) + "-minute " +
                                     stage.stage->title + " on " + date,
                                 std::move(appointment)));
        break;
      }
    }
  }
  return actions;
}

std::string detail_markdown(const Program& program, const runtime::Record& record,
                            const Evaluation& evaluation) {
  (void)record;
  const runtime::ReviewResult& review = *evaluation.review;
  std::string out;
  out +=
      "**" + md(review.policy->title) + "** due " + review.due_date.iso() + " (" +
      (review.merged ? "one review for " + std::to_string(review.conditions.size()) + " conditions"
                     : std::string("single condition")) +
      ", replaces " + std::to_string(review.replaces) + " reminders)\n\n";

  out += "**Conditions**\n\n";
  for (const auto index : review.conditions) {
    out += "- " + md(program.conditions[index].title);
    for (const auto& present : evaluation.conditions) {
      if (present.condition == index && present.onset)
        out += " (since " + present.onset->text() + ")";
    }
    out += "\n";
  }

  out += "\n**Stages**\n\n";
  int step = 1;
  for (const auto& stage : review.stages) {
    out += std::to_string(step++) + ". " + stage.date.iso() + ": " + md(stage.stage->title);
    if (stage.minutes > 0) out += ", " + std::to_string(stage.minutes) + " minutes";
    if (!stage.checks.empty()) out += " (" + md(join(titles_of(program, stage.checks), ", ")) + ")";
    out += "\n";
  }

  const auto lines = check_lines(program, evaluation);
  out += "\n**Checks**\n\n";
  for (const auto& id : review.checks) {
    out += "- " + md(check_title(program, id));
    const auto line = lines.find(id);
    if (line != lines.end()) {
      if (line->second.due) {
        out += std::string(line->second.overdue ? ": overdue since " : ": due ") +
               line->second.due->iso();
      }
      out += line->second.last_done ? ", last done " + line->second.last_done->iso()
                                    : std::string(", no record of it being done");
      if (!line->second.targets_not_met.empty()) {
        out += "; **target not met**: " + md(join(line->second.targets_not_met, "; "));
      }
    }
    out += "\n";
  }

  if (!review.goals.empty()) {
    out += "\n**What matters to the person (their own goals)**\n\n";
    for (const auto* goal : review.goals) {
      out += "- " + md(goal->text);
      if (goal->recorded) out += " (recorded " + goal->recorded->text() + ")";
      out += "\n";
    }
  }
  if (!review.prompts.empty()) {
    out += "\n**To ask**\n\n";
    for (const auto* prompt : review.prompts)
      out += "- " + md(prompt->text) + "\n";
  }
  if (!review.suppressed.empty()) {
    out += "\n**Not asked**\n\n";
    for (const auto index : review.suppressed) {
      const auto& reminder = evaluation.reminders[index];
      out += "- " + md(program.checks[reminder.check].title) + " (" +
             md(program.conditions[reminder.condition].title) +
             "): " + md(reminder.suppressed_reason);
      if (reminder.suppressed_until) out += " until " + reminder.suppressed_until->iso();
      out += "\n";
    }
  }
  return out;
}

}  // namespace

std::size_t utf8_length(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

bool is_offered_override_reason(std::string_view code) {
  return std::any_of(kOverrideReasons.begin(), kOverrideReasons.end(),
                     [&](const OverrideReason& r) { return code == r.code; });
}

std::string card_summary(const Program& program, const Evaluation& evaluation) {
  const runtime::ReviewResult& review = *evaluation.review;
  std::vector<std::string> names;
  for (const auto index : review.conditions)
    names.push_back(program.conditions[index].title);
  const std::string head = review.policy->title + " due";
  const std::string tail = review.replaces > 0
                               ? " \u2014 replaces " + std::to_string(review.replaces) +
                                     (review.replaces == 1 ? " reminder" : " reminders")
                               : std::string();
  // Name as many conditions as fit; the rest are counted.
  for (std::size_t shown = names.size(); shown >= 1; --shown) {
    std::vector<std::string> part(names.begin(), names.begin() + static_cast<long>(shown));
    std::string list = join(part, ", ");
    if (shown < names.size()) list += " and " + std::to_string(names.size() - shown) + " more";
    const std::string summary = head + ": " + list + tail;
    if (utf8_length(summary) <= kSummaryLimit) return summary;
  }
  // Even one condition's title does not fit: cut it at a word.
  const std::string prefix = head + ": ";
  const std::size_t room = kSummaryLimit - std::min(kSummaryLimit, utf8_length(prefix + tail));
  if (names.empty() || room < 8) return cut_at_word(head + tail, kSummaryLimit);
  std::string first = names.front();
  if (names.size() > 1) first += " and " + std::to_string(names.size() - 1) + " more";
  return prefix + cut_at_word(first, room) + tail;
}

json::object render_card(const Program& program, const runtime::Record& record,
                         const Evaluation& evaluation, const CardIds& ids) {
  const runtime::ReviewResult& review = *evaluation.review;

  // Warning only when a covered check is overdue and its last result missed its target;
  // otherwise the review is information.
  bool overdue_target_missed = false;
  for (const auto& reminder : evaluation.reminders) {
    if (reminder.status == ReminderStatus::overdue && reminder.target &&
        reminder.target->met == false) {
      overdue_target_missed = true;
    }
  }

  const runtime::RulesetInfo* ruleset = review_ruleset(program);
  json::object source{{"label", ruleset != nullptr && !ruleset->title.empty()
                                    ? ruleset->title
                                    : review.policy->title}};
  std::vector<std::string> sources = review.policy->sources;
  if (ruleset != nullptr)
    sources.insert(sources.end(), ruleset->sources.begin(), ruleset->sources.end());
  if (const std::string url = guideline_url(sources); !url.empty()) source["url"] = url;

  json::array override_reasons;
  for (const auto& reason : kOverrideReasons) {
    override_reasons.push_back(json::object{
        {"code", reason.code}, {"system", kOverrideReasonSystem}, {"display", reason.display}});
  }

  json::object suggestion{
      {"label", "Book the " + review.policy->title + " (tests, letter, conversation)"},
      {"uuid", ids.suggestion_uuid},
      {"isRecommended", true},
      {"actions", stage_actions(program, review, ids.patient_id)}};

  return json::object{
      {"uuid", ids.card_uuid},
      {"summary", card_summary(program, evaluation)},
      {"detail", detail_markdown(program, record, evaluation)},
      {"indicator", overdue_target_missed ? "warning" : "info"},
      {"source", std::move(source)},
      {"suggestions", json::array{std::move(suggestion)}},
      {"selectionBehavior", "at-most-one"},
      {"overrideReasons", std::move(override_reasons)},
      {"links", json::array{json::object{
                    {"label", "Open the review"}, {"url", ids.review_url}, {"type", "absolute"}}}},
  };
}

}  // namespace concord::cds
