#include "review_page.hpp"

#include "concord/runtime/render.hpp"

namespace concord::cds::detail {
namespace {

std::string escape(std::string_view text) {
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
        out += c;
    }
  }
  return out;
}

std::string check_title(const runtime::Program& program, std::string_view id) {
  for (const auto& check : program.checks) {
    if (check.id == id) return check.title;
  }
  return std::string(id);
}

constexpr const char* kStyle =
    "body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;"
    "line-height:1.45;color:#1b1b1b}h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:1.6rem}"
    "table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.3rem .5rem;"
    "border-bottom:1px solid #ddd;vertical-align:top}.overdue{color:#a00;font-weight:600}";

std::string page(const std::string& title, const std::string& body) {
  return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
         "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>" +
         escape(title) + "</title><style>" + kStyle + "</style></head><body>\n" + body +
         "</body></html>\n";
}

}  // namespace

std::string message_page_html(const std::string& title, const std::string& message) {
  return page(title, "<h1>" + escape(title) + "</h1>\n<p>" + escape(message) + "</p>\n");
}

std::string review_page_html(const runtime::Program& program, const runtime::Record& record,
                             const runtime::Evaluation& evaluation) {
  (void)record;
  if (!evaluation.review) {
    return message_page_html("No review due", "Nothing is due for this person.");
  }
  const runtime::ReviewResult& review = *evaluation.review;
  std::string body = "<h1>" + escape(review.policy->title) + "</h1>\n<p>Conversation on <strong>" +
                     review.due_date.iso() + "</strong>; evaluated " + evaluation.date.iso() +
                     "; replaces " + std::to_string(review.replaces) + " single reminders.</p>\n";

  body += "<h2>Conditions</h2>\n<ul>\n";
  for (const auto index : review.conditions) {
    body += "<li>" + escape(program.conditions[index].title);
    for (const auto& present : evaluation.conditions) {
      if (present.condition == index && present.onset) {
        body += " <small>(since " + escape(present.onset->text()) + ")</small>";
      }
    }
    body += "</li>\n";
  }
  body += "</ul>\n<h2>Stages</h2>\n<table><tr><th>Date</th><th>Stage</th><th>Checks</th></tr>\n";
  for (const auto& stage : review.stages) {
    std::string checks;
    for (const auto& id : stage.checks)
      checks += (checks.empty() ? "" : ", ") + escape(check_title(program, id));
    body +=
        "<tr><td>" + stage.date.iso() + "</td><td>" + escape(stage.stage->title) +
        (stage.minutes > 0 ? " (" + std::to_string(stage.minutes) + " minutes)" : std::string()) +
        "</td><td>" + checks + "</td></tr>\n";
  }
  body +=
      "</table>\n<h2>Checks</h2>\n<table><tr><th>Condition</th><th>Check</th><th>Status</th>"
      "<th>Why</th></tr>\n";
  for (const auto& reminder : evaluation.reminders) {
    if (reminder.status == runtime::ReminderStatus::not_due) continue;
    const auto status = runtime::to_string(reminder.status);
    body += "<tr><td>" + escape(program.conditions[reminder.condition].title) + "</td><td>" +
            escape(program.checks[reminder.check].title) + "</td><td" +
            (reminder.status == runtime::ReminderStatus::overdue ? " class=\"overdue\"" : "") +
            ">" + escape(status) + "</td><td>" + escape(runtime::why(program, reminder)) +
            "</td></tr>\n";
  }
  body += "</table>\n";
  if (!review.goals.empty()) {
    body += "<h2>The person's own goals</h2>\n<ul>\n";
    for (const auto* goal : review.goals) {
      body += "<li>" + escape(goal->text) +
              (goal->recorded ? " <small>(recorded " + escape(goal->recorded->text()) + ")</small>"
                              : std::string()) +
              "</li>\n";
    }
    body += "</ul>\n";
  }
  if (!review.prompts.empty()) {
    body += "<h2>To ask</h2>\n<ul>\n";
    for (const auto* prompt : review.prompts)
      body += "<li>" + escape(prompt->text) + "</li>\n";
    body += "</ul>\n";
  }
  return page(review.policy->title, body);
}

}  // namespace concord::cds::detail
