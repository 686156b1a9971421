// Locale files (`rulesets/locales/<tag>.messages`): the human texts of a ruleset library by
// message id, one `id = ICU MessageFormat pattern` per line, loaded with the rulesets into
// the Program's Messages.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "concord/dsl/diagnostic.hpp"
#include "concord/runtime/program.hpp"

namespace concord::dsl {

inline constexpr std::string_view messages_extension = ".messages";

// Whether a path names a locale file (by its extension).
bool is_messages_file(std::string_view path);

// The message ids the Program's rulesets give text for, each with its text: "prompt.<id>",
// "stage.<id>", "check.<id>", "condition.<id>".
struct RulesetText {
  std::string id;
  std::string text;
};
std::vector<RulesetText> ruleset_texts(const runtime::Program& program);

// Reads locale files into program.messages. Reports a malformed line, a pattern ICU cannot
// compile (the message is left out, so its fallback is shown) and a repeated id as
// warnings with file:line:col; then, when any locale file was given, every ruleset text the
// en-GB file lacks and every ruleset message id that names nothing.
void load_messages(const std::vector<const SourceFile*>& files, runtime::Program& program,
                   std::vector<Diagnostic>& diagnostics);

}  // namespace concord::dsl
