// The two documents of care and support planning, rendered from an Evaluation as HTML5 with
// inline CSS: the clinician's review view and the results-and-questions letter sent to the
// person before the conversation. Every human text comes from the Program's messages.
#pragma once

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

// The ids of the views' own texts (besides the rulesets' prompt, stage, check and condition
// texts), so that `concord check` can report the ones a locale file lacks.
const std::vector<std::string_view>& view_message_ids();

// Escapes text for HTML element content and attribute values (& < > " ').
std::string html_escape(std::string_view text);

}  // namespace concord::runtime
