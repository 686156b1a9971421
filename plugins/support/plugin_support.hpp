// Helpers for plugins written in C++ against concord/plugin.h: settings look-up, error messages,
// and the guard that keeps every exception inside the plugin.
#pragma once

#include <cstdio>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

#include "concord/plugin.h"

namespace concord::plugin_support {

inline std::string_view view(concord_str s) {
  return {s.data ? s.data : "", s.data ? s.size : 0};
}
inline concord_str str(std::string_view s) {
  return {s.data(), s.size()};
}

inline int fail(concord_plugin_error* error, int status, const std::string& message) {
  if (error) std::snprintf(error->message, sizeof error->message, "%s", message.c_str());
  return status;
}

// Runs the body of a C entry point; an exception becomes CONCORD_PLUGIN_FAILED with its text.
template <typename Body>
int guard(concord_plugin_error* error, Body&& body) noexcept {
  try {
    return body();
  } catch (const std::exception& e) {
    return fail(error, CONCORD_PLUGIN_FAILED, e.what());
  } catch (...) {
    return fail(error, CONCORD_PLUGIN_FAILED, "unknown failure");
  }
}

// Every value of `key`, in configuration order.
inline std::vector<std::string> settings_of(const concord_plugin_settings* settings,
                                            std::string_view key) {
  std::vector<std::string> values;
  for (std::size_t i = 0; settings && i < settings->count; ++i) {
    if (key == settings->items[i].key) values.emplace_back(settings->items[i].value);
  }
  return values;
}

// The first key that is not in `known`, or an empty string when all are known.
inline std::string unknown_setting(const concord_plugin_settings* settings,
                                   std::initializer_list<std::string_view> known) {
  for (std::size_t i = 0; settings && i < settings->count; ++i) {
    bool found = false;
    for (auto k : known)
      found = found || k == settings->items[i].key;
    if (!found) return settings->items[i].key;
  }
  return {};
}

}  // namespace concord::plugin_support
