#include <sstream>

#include "concord/runtime/render.hpp"
#include "view_text.hpp"

namespace concord::runtime {
namespace {

void list_ids(std::ostringstream& out, const std::vector<std::string>& ids) {
  for (std::size_t i = 0; i < ids.size(); ++i)
    out << (i ? ", " : "") << ids[i];
}

}  // namespace

std::string render_text(const Program& program, const Record& record, const Evaluation& evaluation,
                        std::string_view locale) {
  const view::Words words(program, std::string(locale));
  std::ostringstream out;
  out << "Record " << (record.id.empty() ? "(no id)" : record.id);
  if (!record.source.empty()) out << " from " << record.source;
  out << ", evaluated on " << evaluation.date.iso() << "\n";

  if (evaluation.deceased) {
    std::string text = deceased_text(evaluation);
    text.front() = 'T';
    out << text << ".\n";
    return out.str();
  }
  if (evaluation.conditions.empty()) {
    out << "No long-term condition in the loaded rulesets: nothing to review.\n";
    return out.str();
  }
  out << "Conditions:";
  for (const PresentCondition& c : evaluation.conditions) {
    out << "\n  - " << words.condition(program.conditions[c.condition]);
    if (c.onset) out << " (since " << c.onset->text() << ")";
  }
  out << "\n";

  if (!evaluation.review) {
    out << "Nothing is due: no review and no prompt.\n";
  } else {
    const ReviewResult& r = *evaluation.review;
    out << "\n"
        << r.policy->title << (r.merged ? " (merged)" : " (single condition)")
        << ", conversation on " << r.due_date.iso() << "\n"
        << "Replaces " << r.replaces << " single-condition reminder" << (r.replaces == 1 ? "" : "s")
        << " with one review of " << r.checks.size() << " check"
        << (r.checks.size() == 1 ? "" : "s") << ".\n";
    for (const StageResult& s : r.stages) {
      out << "  " << s.date.iso() << "  " << words.stage(*s.stage);
      if (s.minutes) out << " (" << s.minutes << " minutes)";
      if (!s.checks.empty()) {
        out << ": ";
        list_ids(out, s.checks);
      }
      out << "\n";
    }
    if (!r.goals.empty()) {
      out << "The person's goals:\n";
      for (const Goal* g : r.goals)
        out << "  - " << g->text << "\n";
    }
    if (!r.prompts.empty()) {
      out << "Questions for the conversation:\n";
      for (const Prompt* p : r.prompts)
        out << "  - " << words.prompt(*p) << "\n";
    }
  }

  out << "\nSingle-condition reminders:\n";
  for (const Reminder& rem : evaluation.reminders) {
    out << "  [" << to_string(rem.status) << "] " << program.conditions[rem.condition].id << " / "
        << program.checks[rem.check].id << ": " << why(program, rem) << "\n";
  }
  return out.str();
}

}  // namespace concord::runtime
