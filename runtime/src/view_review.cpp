// The clinician's review view: one page for the whole review, readable without JavaScript
// and printable; the small script only makes the FHIR Bundle when no service takes the form.
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

std::string status_text(const Words& w, const Reminder& r) {
  switch (r.status) {
    case ReminderStatus::due:
      return w("view.status.due", {{"date", r.due_date}});
    case ReminderStatus::overdue:
      return w("view.status.overdue", {{"date", r.due_date}});
    case ReminderStatus::not_due:
      return w("view.status.not_due", {{"date", r.due_date}});
    case ReminderStatus::suppressed:
      return w("view.status.suppressed");
  }
  return {};
}

std::string comparison_id(std::string_view prefix, Comparison c) {
  switch (c) {
    case Comparison::le:
      return std::string(prefix) + "le";
    case Comparison::lt:
      return std::string(prefix) + "lt";
    case Comparison::ge:
      return std::string(prefix) + "ge";
    case Comparison::gt:
      return std::string(prefix) + "gt";
    case Comparison::eq:
    case Comparison::ne:
      return std::string(prefix) + "eq";
  }
  return std::string(prefix) + "eq";
}

std::string reason_text(const Words& w, const std::string& reason) {
  const std::string id = "view.reason." + reason;
  std::string text = w(id);
  return text == id ? reason : text;
}

std::string condition_list(const Program& p, const Words& w,
                           const std::vector<ConditionIndex>& cs) {
  std::string out;
  for (ConditionIndex c : cs) {
    if (!out.empty()) out += ", ";
    out += w.condition(p.conditions[c]);
  }
  return out;
}

void write_head(std::ostringstream& out, const Words& w, const std::string& title) {
  out << "<!DOCTYPE html>\n<html lang=\"" << esc(w.locale()) << "\">\n<head>\n"
      << "<meta charset=\"utf-8\">\n"
      << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      << "<title>" << esc(title) << "</title>\n<style>" << view::base_css() << "</style>\n"
      << "</head>\n";
}

void write_conditions(std::ostringstream& out, const Program& p, const Words& w,
                      const Evaluation& e) {
  out << "<section aria-labelledby=\"conditions\">\n<h2 id=\"conditions\">"
      << esc(w("view.conditions")) << "</h2>\n";
  if (e.conditions.empty()) {
    out << "<p>" << esc(w("view.no_conditions")) << "</p>\n</section>\n";
    return;
  }
  out << "<ul class=\"conditions\">\n";
  for (const PresentCondition& c : e.conditions) {
    out << "<li>" << esc(w.condition(p.conditions[c.condition]));
    if (c.onset)
      out << " <span class=\"muted\">(" << esc(w("view.since", {{"date", w.date(*c.onset)}}))
          << ")</span>";
    out << "</li>\n";
  }
  out << "</ul>\n</section>\n";
}

void write_stages(std::ostringstream& out, const Program& p, const Words& w,
                  const ReviewResult& r) {
  out << "<section aria-labelledby=\"stages\">\n<h2 id=\"stages\">" << esc(w("view.stages"))
      << "</h2>\n<ol class=\"stages\">\n";
  for (const StageResult& s : r.stages) {
    out << "<li class=\"stage\" data-stage=\"" << esc(s.stage->id) << "\"><h3>"
        << esc(w.stage(*s.stage)) << "</h3>\n<p>" << view::time_element(w, s.date);
    if (s.stage->kind == StageKind::conversation) {
      out << ", " << esc(w("view.minutes", {{"minutes", std::int64_t{s.minutes}}}));
    }
    out << "</p>\n";
    if (!s.checks.empty()) {
      out << "<ul>\n";
      for (const std::string& id : s.checks) {
        for (const CheckDef& def : p.checks) {
          if (def.id == id) {
            out << "<li>" << esc(w.check(def)) << "</li>\n";
            break;
          }
        }
      }
      out << "</ul>\n";
    }
    out << "</li>\n";
  }
  out << "</ol>\n</section>\n";
}

void write_checks(std::ostringstream& out, const Program& p, const Words& w,
                  const std::vector<CheckRow>& rows) {
  out << "<section aria-labelledby=\"checks\">\n<h2 id=\"checks\">" << esc(w("view.checks"))
      << "</h2>\n<table>\n<thead><tr>";
  for (const char* col : {"check", "for", "last_done", "last_value", "target", "status"}) {
    out << "<th scope=\"col\">" << esc(w(std::string("view.col.") + col)) << "</th>";
  }
  out << "</tr></thead>\n<tbody>\n";
  for (const CheckRow& row : rows) {
    const Reminder& lead = *row.lead;
    out << "<tr data-check=\"" << esc(row.check->id) << "\"><th scope=\"row\">"
        << esc(w.check(*row.check)) << "</th><td>" << esc(condition_list(p, w, row.conditions))
        << "</td><td>"
        << (row.last_done ? view::time_element(w, *row.last_done) : esc(w("view.never")))
        << "</td><td>";
    std::string target_cell;
    if (row.target) {
      const view::MeasuredValue v = view::measured_value(w, *row.target);
      if (!v.values.empty()) {
        out << esc(v.values + " " + v.unit);
        if (v.date)
          out << "<br><span class=\"muted\">" << view::time_element(w, *v.date) << "</span>";
      }
      const BoundResult& first = row.target->bounds.front();
      target_cell = esc(w(comparison_id("view.target.", first.bound->comparison),
                          {{"limit", std::string_view(view::limits(w, *row.target))},
                           {"unit", std::string_view(view::display_unit(first.bound->unit))}}));
      if (row.target->met) {
        const bool met = *row.target->met;
        target_cell += " <strong class=\"" + std::string(met ? "met" : "not-met") + "\">" +
                       esc(w(met ? "view.target.met" : "view.target.not_met")) + "</strong>";
      } else {
        target_cell += " <span class=\"muted\">(" + esc(w("view.target.unknown")) + ")</span>";
      }
    }
    out << "</td><td>" << target_cell << "</td><td";
    if (lead.status == ReminderStatus::overdue) out << " class=\"overdue\"";
    out << ">" << esc(status_text(w, lead)) << "</td></tr>\n";
  }
  out << "</tbody>\n</table>\n</section>\n";
}

void write_suppressed(std::ostringstream& out, const Program& p, const Words& w,
                      const Evaluation& e) {
  out << "<section aria-labelledby=\"suppressed\">\n<h2 id=\"suppressed\">"
      << esc(w("view.suppressed")) << "</h2>\n";
  std::vector<const Reminder*> items;
  for (const Reminder& r : e.reminders) {
    if (r.status == ReminderStatus::suppressed) items.push_back(&r);
  }
  if (items.empty()) {
    out << "<p>" << esc(w("view.suppressed.none")) << "</p>\n</section>\n";
    return;
  }
  out << "<ul>\n";
  for (const Reminder* r : items) {
    out << "<li data-check=\"" << esc(p.checks[r->check].id) << "\">"
        << esc(w("view.suppressed.item",
                 {{"check", std::string_view(w.check(p.checks[r->check]))},
                  {"condition", std::string_view(w.condition(p.conditions[r->condition]))},
                  {"reason", std::string_view(reason_text(w, r->suppressed_reason))}}))
        << ", "
        << (r->suppressed_until ? esc(w("view.until", {{"date", *r->suppressed_until}}))
                                : esc(w("view.no_end")))
        << "</li>\n";
  }
  out << "</ul>\n</section>\n";
}

void write_goals(std::ostringstream& out, const Words& w, const Record& record) {
  out << "<section aria-labelledby=\"goals\">\n<h2 id=\"goals\">" << esc(w("view.goals"))
      << "</h2>\n";
  if (record.goals.empty()) {
    out << "<p>" << esc(w("view.goals.none")) << "</p>\n</section>\n";
    return;
  }
  out << "<ul class=\"goals\">\n";
  for (const Goal& g : record.goals) {
    out << "<li>" << esc(g.text);
    if (g.recorded) {
      out << " <span class=\"muted\">("
          << esc(w("view.goal.recorded", {{"date", w.date(*g.recorded)}})) << ")</span>";
    }
    out << "</li>\n";
  }
  out << "</ul>\n</section>\n";
}

void write_prompts(std::ostringstream& out, const Words& w, const ReviewResult& r) {
  out << "<section aria-labelledby=\"prompts\">\n<h2 id=\"prompts\">" << esc(w("view.prompts"))
      << "</h2>\n<ol class=\"prompts\">\n";
  for (const Prompt* prompt : r.prompts)
    out << "<li data-prompt=\"" << esc(prompt->id) << "\">" << esc(w.prompt(*prompt)) << "</li>\n";
  out << "</ol>\n</section>\n";
}

// Builds the same transaction Bundle as fhir::care_plan_bundle, in the browser, when no
// service takes the form. Reading the page never needs it.
constexpr std::string_view bundle_script = R"(
(function () {
  var form = document.getElementById("goals-form");
  if (!form || form.getAttribute("action")) return;
  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = new Uint8Array(16); crypto.getRandomValues(b);
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function values(name) {
    return Array.prototype.map.call(form.querySelectorAll("[name='" + name + "']"), function (e) { return e.value; });
  }
  function lines(text) {
    return text.split(/\r?\n/).map(function (s) { return s.trim(); }).filter(function (s) { return s; });
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var subject = form.elements["subject"].value;
    var who = subject ? { reference: "Patient/" + subject } : undefined;
    var entries = [], goalRefs = [];
    values("goal").forEach(function (text) {
      text = text.trim();
      if (!text) return;
      var url = "urn:uuid:" + uuid();
      goalRefs.push({ reference: url });
      entries.push({ fullUrl: url, resource: { resourceType: "Goal", lifecycleStatus: "active",
        description: { text: text }, subject: who }, request: { method: "POST", url: "Goal" } });
    });
    var titles = values("condition_title");
    var addresses = values("condition").map(function (id, i) {
      var ref = { display: titles[i] };
      if (id) ref.reference = "Condition/" + id;
      return ref;
    });
    var activity = lines(values("action_plan").join("\n")).map(function (step) {
      return { detail: { status: "not-started", description: step } };
    });
    var plan = { resourceType: "CarePlan", status: "active", intent: "plan",
      title: form.elements["plan_title"].value, subject: who, created: form.elements["created"].value,
      addresses: addresses, goal: goalRefs, activity: activity };
    var planUrl = "urn:uuid:" + uuid();
    entries.push({ fullUrl: planUrl, resource: plan, request: { method: "POST", url: "CarePlan" } });
    var bundle = { resourceType: "Bundle", type: "transaction", entry: entries };
    var out = document.getElementById("bundle");
    out.textContent = JSON.stringify(bundle, null, 2);
    document.getElementById("bundle-download").href =
      "data:application/fhir+json;charset=utf-8," + encodeURIComponent(out.textContent);
    document.getElementById("bundle-area").hidden = false;
  });
})();
)";

void write_form(std::ostringstream& out, const Program& p, const Words& w, const Record& record,
                const Evaluation& e, const ViewOptions& options) {
  out << "<section aria-labelledby=\"agree\" class=\"no-print\">\n<h2 id=\"agree\">"
      << esc(w("view.form")) << "</h2>\n<p>" << esc(w("view.form.intro")) << "</p>\n"
      << "<form id=\"goals-form\" method=\"post\"";
  if (!options.goals_action.empty()) out << " action=\"" << esc(options.goals_action) << "\"";
  out << ">\n<input type=\"hidden\" name=\"subject\" value=\"" << esc(record.id) << "\">\n"
      << "<input type=\"hidden\" name=\"created\" value=\"" << e.date.iso() << "\">\n"
      << "<input type=\"hidden\" name=\"plan_title\" value=\""
      << esc(e.review ? e.review->policy->title : w("view.no_review_title")) << "\">\n";
  for (const PresentCondition& c : e.conditions) {
    out << "<input type=\"hidden\" name=\"condition\" value=\"" << esc(c.evidence) << "\">"
        << "<input type=\"hidden\" name=\"condition_title\" value=\""
        << esc(w.condition(p.conditions[c.condition])) << "\">\n";
  }
  for (int n = 1; n <= 3; ++n) {
    out << "<label for=\"goal-" << n << "\">" << esc(w("view.form.goal", {{"n", std::int64_t{n}}}))
        << "</label>\n<textarea id=\"goal-" << n << "\" name=\"goal\" rows=\"2\"></textarea>\n";
  }
  out << "<label for=\"action-plan\">" << esc(w("view.form.action"))
      << "</label>\n<textarea id=\"action-plan\" name=\"action_plan\" rows=\"5\"></textarea>\n";
  if (!options.goals_action.empty()) {
    out << "<button type=\"submit\">" << esc(w("view.form.save")) << "</button>\n</form>\n";
  } else {
    out << "<button type=\"submit\">" << esc(w("view.form.build")) << "</button>\n</form>\n"
        << "<div id=\"bundle-area\" hidden>\n<label for=\"bundle\">" << esc(w("view.form.bundle"))
        << "</label>\n<textarea id=\"bundle\" rows=\"12\" readonly></textarea>\n"
        << "<p><a id=\"bundle-download\" download=\"care-plan-bundle.json\">"
        << esc(w("view.form.download")) << "</a></p>\n</div>\n"
        << "<noscript><p>" << esc(w("view.form.noscript")) << "</p></noscript>\n"
        << "<script>" << bundle_script << "</script>\n";
  }
  out << "</section>\n";
}

std::string ruleset_versions(const Program& p) {
  std::string out;
  for (const RulesetInfo& r : p.rulesets) {
    if (!out.empty()) out += ", ";
    out += r.name + " " + r.version;
  }
  return out;
}

}  // namespace

std::string render_review_html(const Program& program, const Record& record,
                               const Evaluation& evaluation, const ViewOptions& options) {
  const Words w(program, options.locale);
  const ReviewResult* review = evaluation.review ? &*evaluation.review : nullptr;
  const std::string heading = review ? review->policy->title : w("view.no_review_title");
  const std::string person = view::person_label(w, record);
  std::ostringstream out;
  write_head(out, w,
             w("view.document_title",
               {{"title", std::string_view(heading)}, {"person", std::string_view(person)}}));
  out << "<body>\n<a class=\"skip\" href=\"#main\">" << esc(w("view.skip")) << "</a>\n"
      << "<header>\n<h1>" << esc(heading) << "</h1>\n<p class=\"lead\">" << esc(person) << ". "
      << esc(w("view.evaluated", {{"date", evaluation.date}})) << "</p>\n";
  if (review) {
    const StageResult* talk = nullptr;
    for (const StageResult& s : review->stages) {
      if (s.stage->kind == StageKind::conversation) talk = &s;
    }
    out << "<p><strong>" << esc(w(review->merged ? "view.kind.merged" : "view.kind.single"))
        << ".</strong> "
        << esc(w("view.conversation",
                 {{"date", review->due_date}, {"minutes", std::int64_t{talk ? talk->minutes : 0}}}))
        << " "
        << esc(w("view.replaces", {{"count", std::int64_t{review->replaces}},
                                   {"checks", static_cast<std::int64_t>(review->checks.size())}}))
        << "</p>\n";
  } else if (evaluation.deceased) {
    out << "<p><strong>"
        << esc(evaluation.died ? w("view.deceased", {{"date", *evaluation.died}})
                               : w("view.deceased_undated"))
        << "</strong></p>\n";
  } else if (!evaluation.conditions.empty()) {
    out << "<p>" << esc(w("view.nothing_due")) << "</p>\n";
  }
  out << "</header>\n<nav aria-label=\"" << esc(w("view.nav")) << "\">\n<ul>\n";
  const auto nav = [&](const char* id, const char* text_id) {
    out << "<li><a href=\"#" << id << "\">" << esc(w(text_id)) << "</a></li>\n";
  };
  nav("conditions", "view.conditions");
  if (review) nav("stages", "view.stages");
  nav("checks", "view.checks");
  nav("suppressed", "view.suppressed");
  nav("goals", "view.goals");
  if (review) nav("prompts", "view.prompts");
  nav("agree", "view.form");
  out << "</ul>\n</nav>\n<main id=\"main\">\n";

  write_conditions(out, program, w, evaluation);
  if (review) write_stages(out, program, w, *review);
  write_checks(out, program, w, view::check_rows(program, evaluation));
  write_suppressed(out, program, w, evaluation);
  write_goals(out, w, record);
  if (review) write_prompts(out, w, *review);
  write_form(out, program, w, record, evaluation, options);
  out << "</main>\n<footer>\n<p>"
      << esc(w("view.footer", {{"rulesets", std::string_view(ruleset_versions(program))}}))
      << "</p>\n</footer>\n</body>\n</html>\n";
  return out.str();
}

}  // namespace concord::runtime
