#include <algorithm>
#include <cctype>

#include "assess.hpp"
#include "concord/runtime/render.hpp"

namespace concord::runtime {
namespace {

std::string reason_text(const std::string& reason) {
  if (reason == "declined") return "Declined";
  if (reason == "informed_dissent") return "Informed dissent";
  if (reason == "unsuitable") return "Recorded as unsuitable";
  std::string text = reason;
  std::replace(text.begin(), text.end(), '_', ' ');
  if (!text.empty()) text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
  return text;
}

std::string season_start_text(const SeasonStart& season) {
  static constexpr const char* months[] = {"January",   "February", "March",    "April",
                                           "May",       "June",     "July",     "August",
                                           "September", "October",  "November", "December"};
  return std::to_string(season.day) + " " + months[season.month - 1];
}

std::string frailty_text(int level) {
  static constexpr const char* levels[] = {"mild", "moderate", "severe"};
  return std::string("Frailty (") + levels[level - 1] + " or more) needs one";
}

}  // namespace

std::string why(const Program& program, const Reminder& r) {
  const CheckDef& check = program.checks[r.check];
  const std::string& condition = program.conditions[r.condition].title;
  if (r.status == ReminderStatus::suppressed) {
    if (!r.suppressed_by) {
      return "On the palliative care register since " + r.suppressed_since->iso() +
             ": routine monitoring stops.";
    }
    // Condition-scoped adjustments name the condition; check-scoped ones the check.
    const std::string subject =
        r.suppressed_by->condition ? "for " + condition : std::string(check.title);
    return reason_text(r.suppressed_reason) + " (" + subject + ", recorded " +
           r.suppressed_since->iso() + "): not asked until " + r.suppressed_until->iso() + ".";
  }
  if (check.after_onset) {
    const std::string window = condition + " needs one " + describe(check.after_onset->from) +
                               " to " + describe(check.after_onset->to) + " after diagnosis";
    if (!r.last_done) {
      return check.title + ": none on record; " + window + ", so it " +
             (r.status == ReminderStatus::overdue ? "was due " : "is due ") + r.due_date.iso() +
             ".";
    }
    return check.title + " recorded " + r.last_done->iso() + "; " + window + ".";
  }
  if (check.season) {
    const std::string each = (check.frailty ? std::string("Frailty") : condition) +
                             " needs one each season, from " + season_start_text(*check.season);
    if (!r.last_done) return check.title + ": none on record; " + each + ".";
    return check.title + " last recorded " + r.last_done->iso() + "; " + each + ", so it " +
           (r.status == ReminderStatus::overdue ? "was due " : "is due ") + r.due_date.iso() + ".";
  }
  const std::string every =
      (check.frailty ? frailty_text(check.frailty) : condition + " needs one") + " every " +
      describe(r.interval.count ? r.interval : check.interval);
  const std::string so_it = std::string(", so it ") +
                            (r.status == ReminderStatus::overdue ? "was due " : "is due ") +
                            r.due_date.iso() + ".";
  if (r.counted_from_onset) {
    return check.title +
           (r.last_done ? " last recorded " + r.last_done->iso() + ", before"
                        : ": none on record since") +
           " the diagnosis on " + r.counted_from_onset->iso() + "; " + every + " from diagnosis" +
           so_it;
  }
  if (!r.last_done) return check.title + ": none on record; " + every + ".";
  return check.title + " last recorded " + r.last_done->iso() + "; " + every + so_it;
}

}  // namespace concord::runtime
