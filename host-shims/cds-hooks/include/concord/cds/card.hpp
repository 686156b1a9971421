// The one CDS Hooks card that stands for a person's merged review: a short summary, the
// stages and checks in markdown, suggestions that book the stages as FHIR resources, and a
// link to the review page.
#pragma once

#include <boost/json/object.hpp>

#include <string>

#include "concord/runtime/evaluate.hpp"

namespace concord::cds {

// What the card needs beyond the evaluation: identifiers made for this response.
struct CardIds {
  std::string card_uuid;
  std::string suggestion_uuid;
  std::string patient_id;  // the FHIR id the created resources refer to (Patient/<id>)
  std::string review_url;  // the absolute link to the review page
};

// The code system of the override reasons the card offers (local to Concord).
inline constexpr const char* kOverrideReasonSystem = "urn:concord:cds:override-reason";

// The summary line, under 140 characters: "<review> due: <conditions> — replaces N reminders",
// naming fewer conditions ("and 2 more") when all of them would not fit.
std::string card_summary(const runtime::Program& program, const runtime::Evaluation& evaluation);

// The card for an evaluation that has a review (evaluation.review must be set).
boost::json::object render_card(const runtime::Program& program, const runtime::Record& record,
                                const runtime::Evaluation& evaluation, const CardIds& ids);

// True for an override reason code the card offers.
bool is_offered_override_reason(std::string_view code);

// Counts characters (UTF-8 code points), as the 140-character summary limit counts them.
std::size_t utf8_length(std::string_view text);

}  // namespace concord::cds
