// The goals and action plan agreed in the care and support planning conversation, written
// back to the record as a FHIR R4 transaction Bundle of Goal resources and one CarePlan.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace concord::fhir {

// A condition the plan addresses: the Condition resource's id in the record (empty when the
// record gave none: the reference then carries its display only) and its title.
struct AgreedCondition {
  std::string id;
  std::string display;
};

struct AgreedPlan {
  std::string subject;  // the Patient resource id
  std::string title;    // the review's title, e.g. "Long-term conditions review"
  std::string created;  // the conversation date, YYYY-MM-DD (empty: left out)
  std::vector<AgreedCondition> addresses;
  std::vector<std::string> goals;    // each in the person's own words
  std::vector<std::string> actions;  // the action plan, one step each
};

// Reads the review view's form as a browser posts it (application/x-www-form-urlencoded):
// `subject`, `created`, `plan_title`, `condition` and `condition_title` in pairs, `goal`
// (repeated) and `action_plan` (one step per line). Blank goals and steps are dropped.
AgreedPlan agreed_plan_from_form(std::string_view body);

// A transaction Bundle (JSON): one Goal per goal (lifecycleStatus active, description.text,
// subject) and one CarePlan (status active, intent plan, subject, title, created, addresses
// the conditions, goal references, one activity per step with detail.description), each
// entry with a urn:uuid fullUrl and a POST request. `new_uuid` makes the UUIDs (a random
// version 4 UUID each when not given).
std::string care_plan_bundle(const AgreedPlan& plan,
                             const std::function<std::string()>& new_uuid = {});

}  // namespace concord::fhir
