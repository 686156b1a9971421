// The exported C functions. Each one checks its arguments, then runs its body inside
// `guarded`, so that no exception ever leaves the library: out of memory becomes
// CONCORD_ERROR_MEMORY, anything else unexpected CONCORD_ERROR_INTERNAL, with a message.
#include "concord/concord.h"

#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <vector>

#include "concord/config/config.hpp"
#include "concord/fhir/read.hpp"
#include "concord/runtime/date.hpp"
#include "concord/runtime/evaluate.hpp"
#include "concord/runtime/render.hpp"
#include "concord/runtime/today.hpp"
#include "handle.hpp"
#include "open_config.hpp"

namespace {

using concord::abi::PluginNotes;
using concord::abi::ThreadSlot;

// Records a failure where concord_errmsg(runtime) will find it, and returns the status.
// Never throws: if even the message cannot be stored, the slot says "out of memory".
int fail(concord_runtime* runtime, int status, std::string_view message) noexcept {
  ThreadSlot* slot = &concord::abi::handleless_slot();
  if (runtime != nullptr) {
    try {
      slot = &runtime->slot();
    } catch (...) {
      // No room for this thread's slot: the handleless slot carries the message instead.
    }
  }
  concord::abi::store_message(*slot, message);
  return status;
}

// Records success: the calling thread's message on this runtime becomes "".
int succeed(concord_runtime* runtime) noexcept {
  try {
    if (ThreadSlot* slot = runtime->find_slot()) concord::abi::clear_message(*slot);
  } catch (...) {
    // A lock failure here leaves an old message behind; the status is still right.
  }
  return CONCORD_OK;
}

template <typename Body>
int guarded(concord_runtime* runtime, std::string_view function, Body&& body) noexcept {
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return fail(runtime, CONCORD_ERROR_MEMORY, "out of memory");
  } catch (const std::exception& e) {
    try {
      return fail(runtime, CONCORD_ERROR_INTERNAL,
                  std::string(function) + ": internal error: " + e.what() +
                      " (this is a bug in Concord; please report it with this message)");
    } catch (...) {
      return fail(runtime, CONCORD_ERROR_INTERNAL, "internal error");
    }
  } catch (...) {
    return fail(
        runtime, CONCORD_ERROR_INTERNAL,
        "internal error: an unknown exception (this is a bug in Concord; please report it)");
  }
}

// Reads at most `limit` bytes of a NUL-terminated string, so an unterminated one is not
// overrun.
std::string_view bounded(const char* text, std::size_t limit) {
  std::size_t n = 0;
  while (n < limit && text[n] != '\0')
    ++n;
  return {text, n};
}

int evaluate(concord_runtime* runtime, const char* record, std::size_t record_len,
             std::string_view source, const char* date_iso, concord_result** out) {
  namespace rt = concord::runtime;
  if (runtime == nullptr) {
    if (out != nullptr) *out = nullptr;
    return fail(nullptr, CONCORD_ERROR_ARGUMENT,
                "concord_evaluate: runtime is NULL; open one with concord_open first");
  }
  if (out == nullptr) {
    return fail(runtime, CONCORD_ERROR_ARGUMENT,
                "concord_evaluate: out is NULL; pass the address of a concord_result* to "
                "receive the result");
  }
  *out = nullptr;
  if (record == nullptr) {
    return fail(runtime, CONCORD_ERROR_ARGUMENT,
                "concord_evaluate: record is NULL; pass the FHIR R4 JSON bytes and their length");
  }
  if (record_len > CONCORD_MAX_RECORD_BYTES) {
    return guarded(runtime, "concord_evaluate", [&] {
      return fail(runtime, CONCORD_ERROR_RECORD,
                  std::string(source) + ": the record is " + std::to_string(record_len) +
                      " bytes, more than the " + std::to_string(CONCORD_MAX_RECORD_BYTES) +
                      " (64 MiB) concord_evaluate accepts; pass one person's record at a time "
                      "(split Bulk Data exports by Patient)");
    });
  }
  return guarded(runtime, "concord_evaluate", [&] {
    rt::Date date = concord::runtime::today_local();
    if (date_iso != nullptr) {
      const std::string_view text = bounded(date_iso, 11);
      const auto parsed = rt::Date::parse_iso(text);
      if (!parsed) {
        return fail(runtime, CONCORD_ERROR_ARGUMENT,
                    "concord_evaluate: date '" + std::string(text) +
                        "' is not a calendar date; write it as YYYY-MM-DD (e.g. 2026-12-01), "
                        "or pass NULL for today");
      }
      date = *parsed;
    }

    // Take the current rules once: a reload running meanwhile does not affect this call.
    const std::shared_ptr<const concord::abi::Loaded> state = runtime->current();
    if (!state || !state->program) {
      return fail(runtime, CONCORD_ERROR_RULESETS,
                  "concord_evaluate: no rules are loaded, because the rulesets in " +
                      runtime->rulesets_text() +
                      " had errors when opened; fix them (concord_diagnostics_json lists "
                      "them) and call concord_reload");
    }
    const rt::Program& program = *state->program;

    const concord::fhir::ReadResult read =
        concord::fhir::read_json(std::string_view(record, record_len), source);
    if (read.error) {
      const auto& e = *read.error;
      std::string message = e.source;
      if (!e.where.empty()) message += ":" + e.where;
      message += ": " + e.message;
      if (!e.hint.empty()) message += " (" + e.hint + ")";
      return fail(runtime, CONCORD_ERROR_RECORD, message);
    }
    std::vector<rt::OutputNote> notes;
    notes.reserve(read.warnings.size());
    for (const auto& w : read.warnings) {
      notes.push_back(
          {"warning", w.where.empty() ? w.source : w.source + ":" + w.where, w.message});
    }

    auto result = std::make_unique<concord_result>();
    for (const rt::Record& person : read.records) {
      PluginNotes plugin_notes;
      const rt::Evaluation evaluation = rt::evaluate(program, person, date);
      // A plugin that failed for this person is a warning in this person's output only.
      std::vector<std::string> faults = plugin_notes.take();
      if (faults.empty()) {
        result->json += rt::render_json(program, person, evaluation, notes);
      } else {
        std::vector<rt::OutputNote> with_faults = notes;
        for (std::string& fault : faults)
          with_faults.push_back({"warning", "plugin", std::move(fault)});
        result->json += rt::render_json(program, person, evaluation, with_faults);
      }
      result->json += '\n';
      ++result->count;
    }
    *out = result.release();
    return succeed(runtime);
  });
}

constexpr std::string_view default_source = "record";

// Hands out a runtime for `sources` with its rules loaded: CONCORD_OK, or, when the rulesets
// have errors, CONCORD_ERROR_RULESETS with the runtime still handed out so that its
// diagnostics can be read and concord_reload called once they are fixed.
int open_runtime(std::string_view function, concord::abi::Sources sources, concord_runtime** out) {
  auto runtime = std::make_unique<concord_runtime>(std::move(sources));
  if (const auto errors = runtime->load()) {
    const std::string message = std::string(function) + ": the rulesets in " +
                                runtime->rulesets_text() +
                                " have errors, so no rules are loaded; fix them and call "
                                "concord_reload:\n" +
                                *errors;
    fail(nullptr, CONCORD_ERROR_RULESETS, message);
    fail(runtime.get(), CONCORD_ERROR_RULESETS, message);
    *out = runtime.release();
    return CONCORD_ERROR_RULESETS;
  }
  *out = runtime.release();
  return CONCORD_OK;
}

}  // namespace

extern "C" {

CONCORD_API int concord_abi_version(void) {
  return CONCORD_ABI_VERSION;
}

CONCORD_API const char* concord_version(void) {
  return CONCORD_VERSION;
}

CONCORD_API const char* concord_errstr(int status) {
  switch (status) {
    case CONCORD_OK:
      return "not an error";
    case CONCORD_ERROR_ARGUMENT:
      return "bad argument";
    case CONCORD_ERROR_RULESETS:
      return "the rulesets have errors";
    case CONCORD_ERROR_RECORD:
      return "the record cannot be read";
    case CONCORD_ERROR_MEMORY:
      return "out of memory";
    case CONCORD_ERROR_INTERNAL:
      return "internal error";
    default:
      return "unknown status code";
  }
}

CONCORD_API int concord_open(const char* rulesets_dir, size_t dir_len, concord_runtime** out) {
  if (out == nullptr) {
    return fail(nullptr, CONCORD_ERROR_ARGUMENT,
                "concord_open: out is NULL; pass the address of a concord_runtime* to receive "
                "the runtime");
  }
  *out = nullptr;
  if (rulesets_dir == nullptr || dir_len == 0) {
    return fail(nullptr, CONCORD_ERROR_ARGUMENT,
                "concord_open: rulesets_dir is NULL or empty; pass the path of a rulesets "
                "folder and its length in bytes");
  }
  const std::string_view dir(rulesets_dir, dir_len);
  if (dir.find('\0') != std::string_view::npos) {
    return fail(nullptr, CONCORD_ERROR_ARGUMENT,
                "concord_open: rulesets_dir contains a NUL byte within dir_len; pass the "
                "path's length without the terminating NUL");
  }
  return guarded(nullptr, "concord_open", [&] {
    concord::abi::Sources sources;
    sources.rulesets = {std::filesystem::path(std::string(dir))};
    sources.plugins_note = concord::abi::no_plugins_note();
    return open_runtime("concord_open", std::move(sources), out);
  });
}

CONCORD_API int concord_open_config(const char* config_path, size_t path_len,
                                    concord_runtime** out) {
  if (out == nullptr) {
    return fail(nullptr, CONCORD_ERROR_ARGUMENT,
                "concord_open_config: out is NULL; pass the address of a concord_runtime* to "
                "receive the runtime");
  }
  *out = nullptr;
  if (config_path == nullptr && path_len != 0) {
    return fail(nullptr, CONCORD_ERROR_ARGUMENT,
                "concord_open_config: config_path is NULL but path_len is not 0; pass the path "
                "and its length in bytes, or NULL and 0 for the default configuration file");
  }
  const std::string_view path(config_path == nullptr ? "" : config_path, path_len);
  if (path.find('\0') != std::string_view::npos) {
    return fail(nullptr, CONCORD_ERROR_ARGUMENT,
                "concord_open_config: config_path contains a NUL byte within path_len; pass the "
                "path's length without the terminating NUL");
  }
  return guarded(nullptr, "concord_open_config", [&] {
    const std::filesystem::path file = path.empty()
                                           ? std::filesystem::path(concord::config::kDefaultPath)
                                           : std::filesystem::path(std::string(path));
    concord::abi::Configured configured = concord::abi::configure(file);
    if (!configured.sources) {
      return fail(nullptr, CONCORD_ERROR_ARGUMENT, "concord_open_config: " + configured.error);
    }
    return open_runtime("concord_open_config", std::move(*configured.sources), out);
  });
}

CONCORD_API int concord_reload(concord_runtime* runtime) {
  if (runtime == nullptr) {
    return fail(nullptr, CONCORD_ERROR_ARGUMENT, "concord_reload: runtime is NULL");
  }
  return guarded(runtime, "concord_reload", [&] {
    if (const auto errors = runtime->load()) {
      const bool kept = runtime->current()->program != nullptr;
      return fail(runtime, CONCORD_ERROR_RULESETS,
                  "concord_reload: the rulesets in " + runtime->rulesets_text() + " have errors; " +
                      (kept ? "the previous rules stay in use" : "no rules are loaded yet") +
                      ":\n" + *errors);
    }
    return succeed(runtime);
  });
}

CONCORD_API const char* concord_diagnostics_json(concord_runtime* runtime, size_t* len) {
  if (len != nullptr) *len = 0;
  if (runtime == nullptr) {
    fail(nullptr, CONCORD_ERROR_ARGUMENT, "concord_diagnostics_json: runtime is NULL");
    return nullptr;
  }
  const char* text = nullptr;
  guarded(runtime, "concord_diagnostics_json", [&] {
    const auto state = runtime->current();
    ThreadSlot& slot = runtime->slot();
    slot.diagnostics = state ? state->diagnostics_json : std::string("[]");
    text = slot.diagnostics.c_str();
    if (len != nullptr) *len = slot.diagnostics.size();
    return CONCORD_OK;
  });
  return text;
}

CONCORD_API int concord_evaluate(concord_runtime* runtime, const char* record, size_t record_len,
                                 const char* date_iso, concord_result** out) {
  return evaluate(runtime, record, record_len, default_source, date_iso, out);
}

CONCORD_API int concord_evaluate_source(concord_runtime* runtime, const char* record,
                                        size_t record_len, const char* source_name,
                                        size_t source_len, const char* date_iso,
                                        concord_result** out) {
  if (source_name == nullptr && source_len != 0) {
    if (out != nullptr) *out = nullptr;
    return fail(runtime, CONCORD_ERROR_ARGUMENT,
                "concord_evaluate_source: source_name is NULL but source_len is not 0");
  }
  const std::string_view source =
      source_len == 0 ? default_source : std::string_view(source_name, source_len);
  return evaluate(runtime, record, record_len, source, date_iso, out);
}

CONCORD_API const char* concord_result_json(const concord_result* result, size_t* len) {
  if (result == nullptr) {
    if (len != nullptr) *len = 0;
    return nullptr;
  }
  if (len != nullptr) *len = result->json.size();
  return result->json.c_str();
}

CONCORD_API size_t concord_result_count(const concord_result* result) {
  return result == nullptr ? 0 : result->count;
}

CONCORD_API void concord_result_free(concord_result* result) {
  delete result;
}

CONCORD_API const char* concord_errmsg(concord_runtime* runtime) {
  if (runtime == nullptr) return concord::abi::handleless_slot().c_message();
  try {
    const ThreadSlot* slot = runtime->find_slot();
    return slot == nullptr ? "" : slot->c_message();
  } catch (...) {
    return "the message could not be read (a lock failed)";
  }
}

CONCORD_API void concord_close(concord_runtime* runtime) {
  delete runtime;
}

}  // extern "C"
