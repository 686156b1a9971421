#include "concord/fhir/care_plan.hpp"

#include <boost/json.hpp>
#include <boost/uuid/random_generator.hpp>
#include <boost/uuid/uuid_io.hpp>

namespace concord::fhir {
namespace json = boost::json;
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// application/x-www-form-urlencoded: '+' is a space, %XX a byte; a malformed escape is kept
// as written rather than guessed at.
std::string form_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
               hex_value(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2])));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  return std::string(s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1));
}

void add_steps(std::string_view text, std::vector<std::string>& steps) {
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    if (std::string step = trim(text.substr(start, end - start)); !step.empty()) {
      steps.push_back(std::move(step));
    }
    start = end + 1;
  }
}

json::object entry(const std::string& url, json::object resource, std::string_view type) {
  return json::object{{"fullUrl", url},
                      {"resource", std::move(resource)},
                      {"request", json::object{{"method", "POST"}, {"url", type}}}};
}

}  // namespace

AgreedPlan agreed_plan_from_form(std::string_view body) {
  AgreedPlan plan;
  std::vector<std::string> titles;
  std::size_t start = 0;
  while (start < body.size()) {
    std::size_t end = body.find('&', start);
    if (end == std::string_view::npos) end = body.size();
    const std::string_view pair = body.substr(start, end - start);
    start = end + 1;
    const std::size_t equals = pair.find('=');
    const std::string name = form_decode(pair.substr(0, equals));
    const std::string value =
        equals == std::string_view::npos ? std::string() : form_decode(pair.substr(equals + 1));
    if (name == "subject") {
      plan.subject = trim(value);
    } else if (name == "created") {
      plan.created = trim(value);
    } else if (name == "plan_title") {
      plan.title = trim(value);
    } else if (name == "condition") {
      plan.addresses.push_back({trim(value), {}});
    } else if (name == "condition_title") {
      titles.push_back(trim(value));
    } else if (name == "goal") {
      if (std::string goal = trim(value); !goal.empty()) plan.goals.push_back(std::move(goal));
    } else if (name == "action_plan") {
      add_steps(value, plan.actions);
    }
  }
  for (std::size_t i = 0; i < plan.addresses.size() && i < titles.size(); ++i)
    plan.addresses[i].display = titles[i];
  return plan;
}

std::string care_plan_bundle(const AgreedPlan& plan, const std::function<std::string()>& new_uuid) {
  boost::uuids::random_generator random;
  const auto next_url = [&] {
    return "urn:uuid:" + (new_uuid ? new_uuid() : boost::uuids::to_string(random()));
  };
  json::value subject = nullptr;
  if (!plan.subject.empty()) subject = json::object{{"reference", "Patient/" + plan.subject}};

  json::array entries;
  json::array goal_refs;
  for (const std::string& text : plan.goals) {
    const std::string url = next_url();
    json::object goal{{"resourceType", "Goal"},
                      {"lifecycleStatus", "active"},
                      {"description", json::object{{"text", text}}}};
    if (!subject.is_null()) goal["subject"] = subject;
    entries.push_back(entry(url, std::move(goal), "Goal"));
    goal_refs.push_back(json::object{{"reference", url}});
  }

  json::object care_plan{{"resourceType", "CarePlan"}, {"status", "active"}, {"intent", "plan"}};
  if (!plan.title.empty()) care_plan["title"] = plan.title;
  if (!subject.is_null()) care_plan["subject"] = subject;
  if (!plan.created.empty()) care_plan["created"] = plan.created;
  json::array addresses;
  for (const AgreedCondition& c : plan.addresses) {
    json::object ref;
    if (!c.id.empty()) ref["reference"] = "Condition/" + c.id;
    if (!c.display.empty()) ref["display"] = c.display;
    if (!ref.empty()) addresses.push_back(std::move(ref));
  }
  if (!addresses.empty()) care_plan["addresses"] = std::move(addresses);
  if (!goal_refs.empty()) care_plan["goal"] = std::move(goal_refs);
  json::array activity;
  for (const std::string& step : plan.actions) {
    activity.push_back(
        json::object{{"detail", json::object{{"status", "not-started"}, {"description", step}}}});
  }
  if (!activity.empty()) care_plan["activity"] = std::move(activity);
  entries.push_back(entry(next_url(), std::move(care_plan), "CarePlan"));

  return json::serialize(json::object{
      {"resourceType", "Bundle"}, {"type", "transaction"}, {"entry", std::move(entries)}});
}

}  // namespace concord::fhir
