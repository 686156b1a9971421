// The runtime handle: loading and publishing rules, and the per-thread message slots.
#include "handle.hpp"

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

}  // namespace concord::abi

std::optional<std::string> concord_runtime::load() {
  const std::lock_guard reload(reload_mutex_);
  concord::dsl::LoadResult loaded = concord::dsl::load_library({rulesets_});

  auto next = std::make_shared<concord::abi::Loaded>();
  next->diagnostics_json = concord::dsl::format_json(loaded.diagnostics);
  std::optional<std::string> errors;
  if (loaded.ok() && loaded.program) {
    next->program = std::move(loaded.program);
  } else {
    // Keep serving the last good rules; only the diagnostics change.
    if (auto previous = current()) next->program = previous->program;
    errors = concord::dsl::format_text(loaded.diagnostics, loaded.sources);
    while (!errors->empty() && errors->back() == '\n')
      errors->pop_back();
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
