// The FHIR CarePlan renderer: the contract's JSON output of one record (concord_output 1) in, a
// FHIR R4 Bundle out, holding the merged review as a CarePlan, the person's own goals as Goal
// resources, and the staged appointments (tests, letter, conversation) as a RequestGroup whose
// actions carry the checks and the conversation prompts.
#include <boost/json.hpp>
#include <cstdint>
#include <cstdio>
#include <stdexcept>
#include <string>

#include "plugin_support.hpp"

namespace {

namespace json = boost::json;
using namespace concord::plugin_support;

// A stable urn:uuid for a resource, derived from the record and the resource's role, so that
// rendering the same output twice gives the same Bundle.
std::string urn(std::string_view record_id, std::string_view role) {
  auto fnv = [](std::string_view a, std::string_view b, std::uint64_t h) {
    for (unsigned char c : a)
      h = (h ^ c) * 0x100000001b3ULL;
    h = (h ^ 0xff) * 0x100000001b3ULL;
    for (unsigned char c : b)
      h = (h ^ c) * 0x100000001b3ULL;
    return h;
  };
  std::uint64_t hi = fnv(record_id, role, 0xcbf29ce484222325ULL);
  std::uint64_t lo = fnv(role, record_id, 0x84222325cbf29ce4ULL);
  hi = (hi & ~0xf000ULL) | 0x8000ULL;                          // version 8: custom
  lo = (lo & ~0xc000000000000000ULL) | 0x8000000000000000ULL;  // RFC 4122 variant
  char text[48];
  std::snprintf(text, sizeof text, "urn:uuid:%08x-%04x-%04x-%04x-%012llx",
                static_cast<unsigned>(hi >> 32), static_cast<unsigned>((hi >> 16) & 0xffff),
                static_cast<unsigned>(hi & 0xffff), static_cast<unsigned>(lo >> 48),
                static_cast<unsigned long long>(lo & 0xffffffffffffULL));
  return text;
}

std::string text_of(const json::value* v) {
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

const json::value* field(const json::object& o, std::string_view key) {
  return o.if_contains(key);
}

const json::array& array_of(const json::object& o, std::string_view key) {
  static const json::array empty;
  const auto* v = o.if_contains(key);
  return v && v->is_array() ? v->as_array() : empty;
}

json::object entry(const std::string& full_url, json::object resource) {
  return {{"fullUrl", full_url}, {"resource", std::move(resource)}};
}

// The title of a check, from the reminders that name it (the review lists ids only).
std::string check_title(const json::object& output, std::string_view check) {
  for (const auto& r : array_of(output, "reminders")) {
    if (!r.is_object()) continue;
    if (text_of(field(r.as_object(), "check")) == check) {
      const std::string title = text_of(field(r.as_object(), "title"));
      if (!title.empty()) return title;
    }
  }
  return std::string(check);
}

json::value render(const json::object& output) {
  const auto* version = field(output, "concord_output");
  if (!version || !version->is_int64() || version->as_int64() != 1) {
    throw std::invalid_argument("the input is not a concord_output 1 object");
  }
  const auto* record = field(output, "record");
  const std::string record_id =
      record && record->is_object() ? text_of(field(record->as_object(), "id")) : "";
  const std::string evaluated = text_of(field(output, "evaluation_date"));
  json::array entries;
  const auto* review_value = field(output, "review");
  if (review_value && review_value->is_object()) {
    const json::object& review = review_value->as_object();
    const json::object subject{{"reference", "Patient/" + record_id}};
    const std::string careplan_url = urn(record_id, "careplan");
    const std::string requestgroup_url = urn(record_id, "requestgroup");

    json::array goal_refs;
    std::size_t n = 0;
    for (const auto& g : array_of(review, "goals")) {
      if (!g.is_object()) continue;
      const std::string url = urn(record_id, "goal-" + std::to_string(n++));
      json::object goal{{"resourceType", "Goal"},
                        {"lifecycleStatus", "active"},
                        {"description", {{"text", text_of(field(g.as_object(), "text"))}}},
                        {"subject", subject},
                        {"expressedBy", subject}};
      const std::string recorded = text_of(field(g.as_object(), "recorded"));
      if (!recorded.empty()) goal["startDate"] = recorded;
      goal_refs.push_back(json::object{{"reference", url}});
      entries.push_back(entry(url, std::move(goal)));
    }

    json::array actions;
    for (const auto& s : array_of(review, "stages")) {
      if (!s.is_object()) continue;
      const json::object& stage = s.as_object();
      json::object action{{"id", text_of(field(stage, "id"))},
                          {"title", text_of(field(stage, "title"))},
                          {"code", json::array{{{"text", text_of(field(stage, "kind"))}}}}};
      const std::string date = text_of(field(stage, "date"));
      if (!date.empty()) action["timingDateTime"] = date;
      if (const auto* minutes = field(stage, "minutes"); minutes && minutes->is_int64()) {
        action["timingDuration"] = {{"value", minutes->as_int64()},
                                    {"unit", "min"},
                                    {"system", "http://unitsofmeasure.org"},
                                    {"code", "min"}};
      }
      json::array sub;
      for (const auto& c : array_of(stage, "checks")) {
        if (!c.is_string()) continue;
        sub.push_back(
            json::object{{"id", c.as_string()}, {"title", check_title(output, c.as_string())}});
      }
      if (text_of(field(stage, "kind")) == "conversation") {
        for (const auto& p : array_of(review, "prompts")) {
          if (!p.is_object()) continue;
          sub.push_back(json::object{{"id", text_of(field(p.as_object(), "id"))},
                                     {"textEquivalent", text_of(field(p.as_object(), "text"))}});
        }
      }
      if (!sub.empty()) action["action"] = std::move(sub);
      actions.push_back(std::move(action));
    }
    json::object group{{"resourceType", "RequestGroup"},
                       {"status", "active"},
                       {"intent", "plan"},
                       {"subject", subject},
                       {"action", std::move(actions)}};
    if (!evaluated.empty()) group["authoredOn"] = evaluated;

    json::array addresses;
    std::string conditions;
    for (const auto& c : array_of(review, "conditions")) {
      if (!c.is_string()) continue;
      addresses.push_back(json::object{{"display", c.as_string()}});
      conditions += (conditions.empty() ? "" : ", ") + std::string(c.as_string());
    }
    const auto* replaces = field(review, "replaces");
    std::string description = text_of(field(review, "kind")) + " review for " + conditions;
    if (replaces && replaces->is_int64()) {
      description +=
          "; replaces " + std::to_string(replaces->as_int64()) + " single-condition reminders";
    }
    json::array notes;
    for (const auto& s : array_of(review, "suppressed")) {
      if (!s.is_object()) continue;
      const json::object& o = s.as_object();
      std::string text = text_of(field(o, "check")) + " (" + text_of(field(o, "condition")) +
                         ") not offered: " + text_of(field(o, "reason"));
      const std::string until = text_of(field(o, "until"));
      if (!until.empty()) text += " until " + until;
      notes.push_back(json::object{{"text", text}});
    }
    json::object careplan{
        {"resourceType", "CarePlan"},
        {"status", "active"},
        {"intent", "plan"},
        {"title", text_of(field(review, "title"))},
        {"description", description},
        {"subject", subject},
        {"addresses", std::move(addresses)},
        {"goal", std::move(goal_refs)},
        {"activity", json::array{{{"reference", {{"reference", requestgroup_url}}}}}}};
    if (!evaluated.empty()) careplan["created"] = evaluated;
    if (!notes.empty()) careplan["note"] = std::move(notes);
    // The CarePlan first: it is what a reader of the Bundle looks for.
    entries.insert(entries.begin(), entry(careplan_url, std::move(careplan)));
    entries.push_back(entry(requestgroup_url, std::move(group)));
  }
  return json::object{
      {"resourceType", "Bundle"}, {"type", "collection"}, {"entry", std::move(entries)}};
}

int create(const concord_plugin_settings* settings, void** instance, concord_plugin_error* error) {
  if (auto key = unknown_setting(settings, {}); !key.empty()) {
    return fail(error, CONCORD_PLUGIN_BAD_ARGUMENT,
                "unknown setting '" + key + "': this plugin takes no settings");
  }
  *instance = nullptr;
  return CONCORD_PLUGIN_OK;
}

void destroy(void*) {}

int render_output(void*, concord_str output_json, concord_plugin_text_sink sink, void* context,
                  concord_plugin_error* error) {
  return guard(error, [&] {
    boost::system::error_code ec;
    const json::value input = json::parse(view(output_json), ec);
    if (ec || !input.is_object()) {
      return fail(error, CONCORD_PLUGIN_BAD_ARGUMENT,
                  "the input is not a JSON object (" + ec.message() +
                      "); give one line of `concord run --format json`");
    }
    const std::string document = json::serialize(render(input.as_object()));
    return sink(context, str(document)) == 0 ? static_cast<int>(CONCORD_PLUGIN_OK)
                                             : static_cast<int>(CONCORD_PLUGIN_STOPPED);
  });
}

const concord_renderer_api kApi = {"fhir", "application/fhir+json", &render_output};

const concord_plugin kPlugin = {
    CONCORD_PLUGIN_ABI_VERSION,
    CONCORD_PLUGIN_RENDERER,
    "fhir_careplan",
    "1.0.0",
    "The merged review as a FHIR R4 Bundle: CarePlan, Goal and RequestGroup",
    &create,
    &destroy,
    nullptr,
    nullptr,
    &kApi,
};

}  // namespace

extern "C" CONCORD_PLUGIN_EXPORT const concord_plugin* concord_plugin_entry(void) {
  return &kPlugin;
}
