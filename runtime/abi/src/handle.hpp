// The C ABI's handles behind their opaque names: a runtime holds the current compiled rules
// (swapped atomically on reload), the plugins it was opened with, and a message slot per
// calling thread.
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "concord/dsl/check.hpp"
#include "concord/runtime/plugins.hpp"
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

// What a runtime loads its rules with: the rulesets folders, and the extensions its plugins
// give them (none for concord_open). The plugins stay loaded for as long as the runtime or
// any Program compiled with them lives, because both hold shared pointers to them.
struct Sources {
  std::vector<std::filesystem::path> rulesets;
  dsl::Extensions extensions;
  // The configuration file the plugins were set up by (empty for concord_open): the place
  // load diagnostics about a failing plugin point to.
  std::filesystem::path configuration;
  // For messages about a ruleset that needs a plugin: which plugins the runtime has and
  // where they came from, or that concord_open loads none.
  std::string plugins_note;
  // What the plugins reported while they were set up (a function two plugins provide): a
  // warning in the diagnostics of every load.
  std::vector<std::string> plugin_warnings;
};

// Plugin faults (a score that failed, a refset that could not be read) that the calling
// thread meets while one collector is alive: the call that made it hands them on to the load's
// diagnostics or the record's, so nothing is written to the host's stderr.
class PluginNotes {
 public:
  PluginNotes();
  ~PluginNotes();
  PluginNotes(const PluginNotes&) = delete;
  PluginNotes& operator=(const PluginNotes&) = delete;

  std::vector<std::string> take() { return std::move(messages_); }

  // The reporter the runtime's plugin adapters are given: it adds to the calling thread's
  // collector, or writes to stderr when there is none.
  static runtime::plugins::Reporter reporter();

 private:
  std::vector<std::string> messages_;
  PluginNotes* outer_;
};

}  // namespace concord::abi

struct concord_runtime {
  explicit concord_runtime(concord::abi::Sources sources) : sources_(std::move(sources)) {}

  // The rulesets folders as one line for messages ("a, b").
  std::string rulesets_text() const;
  const std::string& plugins_note() const { return sources_.plugins_note; }

  // Loads the folders with the runtime's plugins and publishes the result. Returns the text
  // of the errors when the rules did not compile (the previous program, if any, stays
  // current), or nullopt when clean.
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
  const concord::abi::Sources sources_;
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
