// Ruleset tests (`concord test`): a test file (*.concordtest) describes people in a few lines
// of facts, an evaluation date and what the rulesets should conclude; this reads the files and
// compares each expectation with what the runtime concluded. The format is in docs/language.md.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "concord/dsl/diagnostic.hpp"
#include "concord/runtime/evaluate.hpp"
#include "concord/runtime/record.hpp"

namespace concord::tools {

inline constexpr std::string_view test_file_extension = ".concordtest";

// One `expect` line: its words after `expect`, kept as written for the failure message.
struct Expectation {
  int line = 0;
  int column = 0;                  // of the subject, for diagnostics
  std::string text;                // as written, without `expect` and any comment
  bool negated = false;            // `expect no ...`
  std::string subject;             // conditions, review, reminder, target, stage, ...
  std::vector<std::string> words;  // the rest, commas dropped
};

struct RulesetTest {
  std::string name;
  std::string file;
  int line = 0;
  std::filesystem::path rulesets;               // resolved against the test file's folder
  std::optional<std::filesystem::path> record;  // a record file whose first person is tested
  runtime::Record facts;                        // the inline facts (added to the record's)
  std::optional<runtime::Date> on;
  std::vector<Expectation> expectations;
};

// Reads one test file. Problems are error diagnostics with a line and column; on any error the
// file's tests are not returned.
std::optional<std::vector<RulesetTest>> parse_test_file(const dsl::SourceFile& source,
                                                        std::vector<dsl::Diagnostic>& out);

// Compares one expectation with an evaluation: nothing when it holds, otherwise what was found
// instead, worded like the expectation ("reminder diabetes/bp overdue due 2021-06-01").
std::optional<std::string> failure_of(const Expectation& expectation,
                                      const runtime::Evaluation& evaluation,
                                      const runtime::Program& program);

}  // namespace concord::tools
