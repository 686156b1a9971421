// The two documents of care and support planning, rendered from an Evaluation as HTML5 with
// inline CSS: the clinician's review view and the results-and-questions letter sent to the
// person before the conversation. Every human text comes from the Program's messages.
#pragma once

#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "concord/runtime/evaluate.hpp"

namespace concord::runtime {

struct ViewOptions {
  std::string locale = "en-GB";
  std::string goals_action;  // URL the goal-setting form posts to; empty: a form that builds the
                             // FHIR Bundle for download/copy
};

// The review view: conditions covered, stages with dates, checks with last values, dates
// and targets, what was not asked and why, the person's goals, the prompts, and a form for
// agreed goals and an action plan. Readable without JavaScript; printable.
std::string render_review_html(const Program&, const Record&, const Evaluation&,
                               const ViewOptions&);

// The letter to the person: recent results against their targets in plain words, what was
// not measured, and the questions to think about, with space to write. Printable on A4.
std::string render_letter_html(const Program&, const Record&, const Evaluation&,
                               const ViewOptions&);

// A review kept to be viewed later (the page a CDS Hooks card links to): what the review view
// and the letter read of the record, copied out of it, with an Evaluation that refers only to
// the copy. The person's id and goals and the source ids the evaluation cites are kept; the
// record's entries (often thousands) are not, so the record can be freed. Rendering a snapshot
// gives the same pages as rendering the record and evaluation it was made from.
class ViewSnapshot {
 public:
  ViewSnapshot(const Record& record, const Evaluation& evaluation);
  ViewSnapshot(const ViewSnapshot&) = delete;  // the evaluation points into this object
  ViewSnapshot& operator=(const ViewSnapshot&) = delete;

  const Record& record() const { return record_; }
  const Evaluation& evaluation() const { return evaluation_; }

 private:
  std::string_view keep(std::string_view id);

  Record record_;
  Evaluation evaluation_;
  std::deque<std::string> ids_;  // the cited source ids; a deque never moves its elements
};

// The ids of the views' own texts (besides the rulesets' prompt, stage, check and condition
// texts), so that `concord check` can report the ones a locale file lacks.
const std::vector<std::string_view>& view_message_ids();

// Escapes text for HTML element content and attribute values (& < > " ').
std::string html_escape(std::string_view text);

}  // namespace concord::runtime
