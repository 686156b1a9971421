// What the review view and the letter share: the words of one locale (ruleset texts and
// the views' own, with their fallbacks), HTML building blocks, and one row per check id.
#pragma once

#include <initializer_list>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "concord/runtime/messages.hpp"
#include "concord/runtime/view.hpp"

namespace concord::runtime::view {

// The words of one locale. A ruleset text (a prompt, a stage, check or condition title) is
// looked up in the locale, then its language, then it is the ruleset's own text; a view text
// in the locale, its language, then the built-in English.
class Words {
 public:
  Words(const Program& program, std::string locale);

  std::string operator()(std::string_view id, std::initializer_list<MessageArg> args = {}) const;
  std::string ruleset(std::string_view id, const std::string& own) const;

  std::string condition(const ConditionDef& c) const {
    return ruleset("condition." + c.id, c.title);
  }
  std::string check(const CheckDef& c) const { return ruleset("check." + c.id, c.title); }
  std::string stage(const StageDef& s) const { return ruleset("stage." + s.id, s.title); }
  std::string prompt(const Prompt& p) const { return ruleset("prompt." + p.id, p.text); }
  // The check in plain words for the person ("HbA1c (average blood sugar)").
  std::string plain_check(const CheckDef& c) const;

  std::string date(Date d) const { return (*this)("view.date", {{"date", d}}); }
  std::string date(const RecordedDate& d) const;
  std::string number(double value) const { return (*this)("view.number", {{"value", value}}); }

  const std::string& locale() const { return locale_; }

 private:
  const Program& program_;
  std::string locale_;
};

// A unit as people write it: "mm[Hg]" is "mmHg", "mL/min/{1.73_m2}" is "mL/min/1.73 m²".
std::string display_unit(std::string_view ucum);

// <time datetime="2026-12-01">1 December 2026</time>
std::string time_element(const Words& words, Date d);

// One check id as the views show it: the conditions that need it, the reminder that leads
// (overdue before due before suppressed before not due), and the measured target.
struct CheckRow {
  const CheckDef* check = nullptr;
  std::vector<ConditionIndex> conditions;
  const Reminder* lead = nullptr;
  std::optional<Date> last_done;         // the latest across the conditions
  const TargetResult* target = nullptr;  // the first reminder's target that has bounds
  bool in_review = false;
};
std::vector<CheckRow> check_rows(const Program& program, const Evaluation& evaluation);

// The measured values of a target, joined ("150/85"), and their unit; empty when none.
struct MeasuredValue {
  std::string values;
  std::string unit;
  std::optional<Date> date;
};
MeasuredValue measured_value(const Words& words, const TargetResult& target);
// The limits joined the same way ("140/90").
std::string limits(const Words& words, const TargetResult& target);

// The person's id, or a neutral word when the record has none.
std::string person_label(const Words& words, const Record& record);

// The CSS shared by both documents: legible type, AA contrast, print rules.
std::string_view base_css();

}  // namespace concord::runtime::view
