// The runtime handle: loading and publishing rules, and the per-thread message slots.
#include "handle.hpp"

#include <algorithm>

#include "concord/config/config.hpp"
#include "concord/dsl/library.hpp"

namespace concord::abi {

void store_message(ThreadSlot& slot, std::string_view message) noexcept {
  try {
    slot.message.assign(message);
    slot.fixed = nullptr;
  } catch (...) {
    slot.message.clear();
    slot.fixed = "out of memory (the full message could not be stored)";
  }
}

void clear_message(ThreadSlot& slot) noexcept {
  slot.message.clear();
  slot.fixed = nullptr;
}

ThreadSlot& handleless_slot() noexcept {
  thread_local ThreadSlot slot;
  return slot;
}

namespace {
thread_local PluginNotes* active_notes = nullptr;

bool needs_a_plugin(const std::vector<dsl::Diagnostic>& diagnostics) {
  return std::any_of(diagnostics.begin(), diagnostics.end(), [](const dsl::Diagnostic& d) {
    return d.code == "no-terminology" || d.code == "no-functions";
  });
}
}  // namespace

PluginNotes::PluginNotes() : outer_(active_notes) {
  active_notes = this;
}

PluginNotes::~PluginNotes() {
  active_notes = outer_;
}

runtime::plugins::Reporter PluginNotes::reporter() {
  return [fallback = runtime::plugins::stderr_reporter()](const std::string& message) {
    if (active_notes == nullptr) return fallback(message);
    active_notes->messages_.push_back(message);
  };
}

}  // namespace concord::abi

std::string concord_runtime::rulesets_text() const {
  return concord::config::paths_text(sources_.rulesets);
}

std::optional<std::string> concord_runtime::load() {
  namespace dsl = concord::dsl;
  const std::lock_guard reload(reload_mutex_);
  concord::abi::PluginNotes notes;
  dsl::LoadResult loaded = dsl::load_library(sources_.rulesets, sources_.extensions);
  std::vector<std::string> warnings = sources_.plugin_warnings;
  for (std::string& message : notes.take())
    warnings.push_back(std::move(message));
  for (std::string& message : warnings) {
    loaded.diagnostics.push_back({sources_.configuration.string(), 0, 0, dsl::Severity::warning,
                                  "plugin", std::move(message),
                                  "the message names the plugin; check its settings and data "
                                  "files (concord plugins list --config FILE shows each "
                                  "plugin)"});
  }

  auto next = std::make_shared<concord::abi::Loaded>();
  next->diagnostics_json = dsl::format_json(loaded.diagnostics);
  std::optional<std::string> errors;
  if (loaded.ok() && loaded.program) {
    next->program = std::move(loaded.program);
  } else {
    // Keep serving the last good rules; only the diagnostics change.
    if (auto previous = current()) next->program = previous->program;
    errors = dsl::format_text(loaded.diagnostics, loaded.sources);
    while (!errors->empty() && errors->back() == '\n')
      errors->pop_back();
    if (concord::abi::needs_a_plugin(loaded.diagnostics)) *errors += "\nnote: " + plugins_note();
  }
  {
    const std::lock_guard lock(state_mutex_);
    state_ = std::move(next);
  }
  return errors;
}

std::shared_ptr<const concord::abi::Loaded> concord_runtime::current() const {
  const std::lock_guard lock(state_mutex_);
  return state_;
}

concord::abi::ThreadSlot& concord_runtime::slot() {
  const std::lock_guard lock(slots_mutex_);
  return slots_[std::this_thread::get_id()];
}

concord::abi::ThreadSlot* concord_runtime::find_slot() {
  const std::lock_guard lock(slots_mutex_);
  const auto it = slots_.find(std::this_thread::get_id());
  return it == slots_.end() ? nullptr : &it->second;
}
