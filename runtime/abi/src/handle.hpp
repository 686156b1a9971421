// The C ABI's handles behind their opaque names: a runtime holds the current compiled rules
// (swapped atomically on reload) and a message slot per calling thread.
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>

#include "concord/runtime/program.hpp"

namespace concord::abi {

// What one load of the rulesets folder left behind. Immutable once published, so readers
// need only a shared_ptr copy, never a lock held across evaluation.
struct Loaded {
  std::shared_ptr<const runtime::Program> program;  // the last good rules; null if none yet
  std::string diagnostics_json;                     // of this load, even when it failed
};

// Per-thread strings handed out through the C API: each thread overwrites only its own, so a
// pointer one thread holds is never freed by another thread's call.
struct ThreadSlot {
  std::string message;
  std::string diagnostics;
  const char* fixed = nullptr;  // a static message used when storing `message` ran out of memory
  const char* c_message() const { return fixed ? fixed : message.c_str(); }
};

// Records a message in a slot without throwing: if the copy cannot be made, the slot says
// "out of memory" instead.
void store_message(ThreadSlot& slot, std::string_view message) noexcept;
void clear_message(ThreadSlot& slot) noexcept;

// The message slot for calls that had no runtime to hold it (NULL runtime, failed open).
ThreadSlot& handleless_slot() noexcept;

}  // namespace concord::abi

struct concord_runtime {
  explicit concord_runtime(std::filesystem::path rulesets) : rulesets_(std::move(rulesets)) {}

  const std::filesystem::path& rulesets() const { return rulesets_; }

  // Loads the folder and publishes the result. Returns the text of the errors when the rules
  // did not compile (the previous program, if any, stays current), or nullopt when clean.
  std::optional<std::string> load();

  // The current state, copied under a short lock: the caller may evaluate on it for as long
  // as it likes while reloads publish newer states.
  std::shared_ptr<const concord::abi::Loaded> current() const;

  // The calling thread's slot, created on first use. Its strings are written only by that
  // thread; the map is node-based, so other threads adding slots never move it.
  concord::abi::ThreadSlot& slot();
  // The calling thread's slot if it has one, else null (never allocates).
  concord::abi::ThreadSlot* find_slot();

 private:
  const std::filesystem::path rulesets_;
  std::mutex reload_mutex_;  // one reload at a time, so publication order is load order
  mutable std::mutex state_mutex_;
  std::shared_ptr<const concord::abi::Loaded> state_;
  std::mutex slots_mutex_;
  std::unordered_map<std::thread::id, concord::abi::ThreadSlot> slots_;
};

struct concord_result {
  std::string json;  // JSON Lines, one contract object per record
  std::size_t count = 0;
};
