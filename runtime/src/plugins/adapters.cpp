// The adapters between the runtime's C++ interfaces and a loaded plugin's C tables. Every call
// into a plugin is guarded: an error status or an escaping exception fails that call, is
// reported, and never reaches the caller as an exception.
#include <cstdio>
#include <exception>
#include <iostream>
#include <mutex>

#include "concord/runtime/plugins.hpp"

namespace concord::runtime::plugins {
namespace {

concord_str str(std::string_view s) {
  return {s.data(), s.size()};
}
std::string_view view(concord_str s) {
  return {s.data ? s.data : "", s.data ? s.size : 0};
}

std::string message_of(concord_plugin_error& error) {
  error.message[CONCORD_PLUGIN_ERROR_SIZE - 1] = '\0';
  return error.message[0] ? error.message : "no message given";
}

std::string where(const LoadedPlugin& plugin) {
  return "plugin '" + plugin.name() + "' (" + plugin.file().filename().string() + ")";
}

// Runs one plugin call; returns its status, or CONCORD_PLUGIN_FAILED with the exception's
// text in `error` when it threw.
template <typename Call>
int guarded(Call&& call, concord_plugin_error& error) {
  try {
    return call();
  } catch (const std::exception& e) {
    std::snprintf(error.message, sizeof error.message, "threw an exception: %s", e.what());
  } catch (...) {
    std::snprintf(error.message, sizeof error.message, "threw an unknown exception");
  }
  return CONCORD_PLUGIN_FAILED;
}

// Sinks collect into host containers; an allocation failure stops the plugin instead of
// unwinding through its frames.
int collect_text(void* context, concord_str text) {
  try {
    static_cast<std::vector<std::string>*>(context)->emplace_back(view(text));
    return 0;
  } catch (...) {
    return 1;
  }
}

int append_text(void* context, concord_str text) {
  try {
    static_cast<std::string*>(context)->append(view(text));
    return 0;
  } catch (...) {
    return 1;
  }
}

int collect_code(void* context, concord_str system, concord_str code) {
  try {
    static_cast<std::vector<Code>*>(context)->emplace_back(view(system), view(code));
    return 0;
  } catch (...) {
    return 1;
  }
}

concord_fact_kind fact_kind(EventKind kind) {
  switch (kind) {
    case EventKind::observation:
      return CONCORD_FACT_OBSERVATION;
    case EventKind::procedure:
      return CONCORD_FACT_PROCEDURE;
    case EventKind::immunization:
      return CONCORD_FACT_IMMUNIZATION;
    case EventKind::flag:
      return CONCORD_FACT_FLAG;
    case EventKind::encounter:
      return CONCORD_FACT_ENCOUNTER;
  }
  return CONCORD_FACT_OBSERVATION;
}

}  // namespace

Reporter stderr_reporter() {
  return [](const std::string& message) {
    static std::mutex mutex;
    const std::lock_guard lock(mutex);
    std::cerr << "concord: " << message << "\n";
  };
}

PluginTerminology::PluginTerminology(std::shared_ptr<const LoadedPlugin> plugin, Reporter report)
    : plugin_(std::move(plugin)), report_(std::move(report)) {}

std::optional<std::vector<std::string>> PluginTerminology::refset_members(
    std::string_view refset_id) const {
  std::vector<std::string> members;
  concord_plugin_error error{};
  const auto& api = *plugin_->descriptor().terminology;
  const int status = guarded(
      [&] {
        return api.refset_members(plugin_->instance(), str(refset_id), &collect_text, &members,
                                  &error);
      },
      error);
  if (status == CONCORD_PLUGIN_OK) return members;
  if (status != CONCORD_PLUGIN_NOT_FOUND) {
    report_(where(*plugin_) + ": refset " + std::string(refset_id) +
            " could not be read: " + message_of(error));
  }
  return std::nullopt;
}

std::vector<Code> PluginTerminology::legacy_codes_for(std::string_view snomed_concept) const {
  std::vector<Code> codes;
  concord_plugin_error error{};
  const auto& api = *plugin_->descriptor().terminology;
  const int status = guarded(
      [&] {
        return api.legacy_codes_for(plugin_->instance(), str(snomed_concept), &collect_code, &codes,
                                    &error);
      },
      error);
  if (status == CONCORD_PLUGIN_OK) return codes;
  report_(where(*plugin_) + ": legacy codes for " + std::string(snomed_concept) +
          " could not be read: " + message_of(error));
  return {};
}

PluginFunctions::PluginFunctions(std::vector<std::shared_ptr<const LoadedPlugin>> plugins,
                                 Reporter report)
    : plugins_(std::move(plugins)), report_(std::move(report)) {
  for (const auto& plugin : plugins_) {
    const auto& api = *plugin->descriptor().functions;
    concord_plugin_error error{};
    std::size_t count = 0;
    guarded(
        [&] {
          count = api.count(plugin->instance());
          return CONCORD_PLUGIN_OK;
        },
        error);
    for (std::size_t i = 0; i < count; ++i) {
      const char* name = nullptr;
      guarded(
          [&] {
            name = api.name(plugin->instance(), i);
            return CONCORD_PLUGIN_OK;
          },
          error);
      if (!name || !*name) continue;
      if (find(name)) {
        report_(where(*plugin) + ": function '" + name +
                "' is already provided by an earlier plugin; this one is ignored");
        continue;
      }
      slots_.push_back({plugin.get(), i});
      names_.emplace_back(name);
    }
  }
}

std::optional<std::size_t> PluginFunctions::find(std::string_view name) const {
  for (std::size_t i = 0; i < names_.size(); ++i) {
    if (names_[i] == name) return i;
  }
  return std::nullopt;
}

concord_record_view make_record_view(const Record& record, std::vector<concord_fact_view>& facts,
                                     std::vector<concord_code_view>& codes) {
  std::size_t total = 0;
  for (const auto& d : record.diagnoses)
    total += d.codes.size();
  for (const auto& e : record.events)
    total += e.codes.size();
  for (const auto& m : record.medications)
    total += m.codes.size();
  facts.clear();
  codes.clear();
  // Reserved up front so the pointers facts keep into `codes` stay valid while it fills.
  codes.reserve(total);
  facts.reserve(record.diagnoses.size() + record.events.size() + record.medications.size());

  auto add = [&](concord_fact_kind kind,
                 const std::vector<Code>& fact_codes) -> concord_fact_view& {
    const std::size_t first = codes.size();
    for (const auto& c : fact_codes)
      codes.push_back({str(c.system()), str(c.value())});
    concord_fact_view fact{};
    fact.kind = kind;
    fact.codes = codes.data() + first;
    fact.code_count = fact_codes.size();
    facts.push_back(fact);
    return facts.back();
  };
  for (const auto& d : record.diagnoses) {
    auto& f = add(CONCORD_FACT_DIAGNOSIS, d.codes);
    if (d.onset) {
      f.flags |= CONCORD_FACT_HAS_DATE;
      f.date = d.onset->date.days();
    }
    if (d.abatement) {
      f.flags |= CONCORD_FACT_HAS_END;
      f.end = d.abatement->date.days();
    }
    if (d.refuted) f.flags |= CONCORD_FACT_REFUTED;
    if (d.resolved) f.flags |= CONCORD_FACT_RESOLVED;
  }
  for (const auto& e : record.events) {
    auto& f = add(fact_kind(e.kind), e.codes);
    if (e.date) {
      f.flags |= CONCORD_FACT_HAS_DATE;
      f.date = e.date->date.days();
    }
    if (e.quantity) {
      f.flags |= CONCORD_FACT_HAS_VALUE;
      f.value = e.quantity->value;
      f.unit = str(e.quantity->unit);
    }
  }
  for (const auto& m : record.medications) {
    auto& f = add(CONCORD_FACT_MEDICATION, m.codes);
    if (m.start) {
      f.flags |= CONCORD_FACT_HAS_DATE;
      f.date = m.start->date.days();
    }
    if (m.active) f.flags |= CONCORD_FACT_ACTIVE;
  }
  concord_record_view view{};
  view.id = str(record.id);
  view.sex = str(record.sex);
  if (record.birth_date) {
    view.has_birth_date = 1;
    view.birth_date = record.birth_date->date.days();
  }
  view.facts = facts.data();
  view.fact_count = facts.size();
  return view;
}

std::optional<double> PluginFunctions::call(std::size_t slot, const Record& record,
                                            Date date) const {
  if (slot >= slots_.size()) return std::nullopt;
  const Slot& s = slots_[slot];
  thread_local std::vector<concord_fact_view> facts;
  thread_local std::vector<concord_code_view> codes;
  concord_plugin_error error{};
  double value = 0;
  int status = CONCORD_PLUGIN_FAILED;
  try {
    const concord_record_view view = make_record_view(record, facts, codes);
    const auto& api = *s.plugin->descriptor().functions;
    status = guarded(
        [&] { return api.call(s.plugin->instance(), s.index, &view, date.days(), &value, &error); },
        error);
  } catch (const std::exception& e) {
    std::snprintf(error.message, sizeof error.message, "%s", e.what());
  }
  if (status == CONCORD_PLUGIN_OK) return value;
  if (status != CONCORD_PLUGIN_NO_VALUE) {
    report_(where(*s.plugin) + ": function '" + names_[slot] + "' failed: " + message_of(error));
  }
  return std::nullopt;
}

PluginRenderer::PluginRenderer(std::shared_ptr<const LoadedPlugin> plugin)
    : plugin_(std::move(plugin)) {}

std::string_view PluginRenderer::format() const {
  return plugin_->descriptor().renderer->format;
}

std::string_view PluginRenderer::media_type() const {
  return plugin_->descriptor().renderer->media_type;
}

std::optional<std::string> PluginRenderer::render(std::string_view output_json,
                                                  std::string& error_message) const {
  std::string document;
  concord_plugin_error error{};
  const auto& api = *plugin_->descriptor().renderer;
  const int status = guarded(
      [&] {
        return api.render(plugin_->instance(), str(output_json), &append_text, &document, &error);
      },
      error);
  if (status == CONCORD_PLUGIN_OK) return document;
  error_message = where(*plugin_) + " could not render: " + message_of(error);
  return std::nullopt;
}

}  // namespace concord::runtime::plugins
