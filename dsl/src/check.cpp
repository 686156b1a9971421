// The checker: resolves every name across the whole library and reports every problem it can
// find in one pass (errors and warnings), so that an author fixes a file in one round.
#include "concord/dsl/check.hpp"

#include <map>
#include <set>

#include "codes.hpp"
#include "concord/runtime/record.hpp"
#include "limits.hpp"
#include "spelling.hpp"

namespace concord::dsl {
namespace {

namespace x3 = boost::spirit::x3;
using runtime::IntervalUnit;
using runtime::StageKind;

using limits::max_conversation_minutes;
using limits::max_days_before;
using limits::max_interval_months;

std::string unit_name(IntervalUnit unit, int count) {
  const char* names[] = {"day", "week", "month", "year"};
  std::string name = names[static_cast<int>(unit)];
  if (count != 1)
    name += 's';
  return name;
}

std::string describe(const ast::Duration& d) {
  return std::to_string(d.count) + " " + unit_name(d.unit, d.count);
}

// The longest interval, 120 months, counted in each unit.
int max_count(IntervalUnit unit) {
  switch (unit) {
    case IntervalUnit::days:
      return 3652;
    case IntervalUnit::weeks:
      return 521;
    case IntervalUnit::months:
      return max_interval_months;
    case IntervalUnit::years:
      return max_interval_months / 12;
  }
  return max_interval_months;
}

std::string place(const ast::RulesetFile& file, const ast::Located& at) {
  return file.path + ":" + std::to_string(at.line);
}

std::string quote(std::string_view name) {
  return "'" + std::string(name) + "'";
}

template <typename Decl, typename Visit>
void for_each_decl(const ast::RulesetFile& file, Visit visit) {
  for (const ast::Item& item : file.items) {
    if (const Decl* decl = boost::get<Decl>(&item.get()))
      visit(*decl);
  }
}

class Checker {
 public:
  Checker(const std::vector<ast::RulesetFile>& files, std::vector<Diagnostic>& out)
      : files_(files), out_(out) {}

  std::optional<CheckedLibrary> run() {
    for (const ast::RulesetFile& file : files_)
      library_.files.push_back(&file);
    check_ruleset_names();
    declare_value_sets();
    declare_conditions();
    check_reviews();
    check_checks();
    report_unused();
    if (failed_)
      return std::nullopt;
    return std::move(library_);
  }

 private:
  struct Declared {
    std::uint32_t index = 0;
    const ast::RulesetFile* file = nullptr;
    const ast::Located* at = nullptr;
  };
  using NameTable = std::map<std::string, Declared, std::less<>>;

  void report(Severity severity, const ast::RulesetFile& file, const ast::Located& at,
              std::string code, std::string message, std::string hint = {}) {
    out_.push_back({file.path, at.line, at.column, severity, std::move(code), std::move(message),
                    std::move(hint)});
    if (severity == Severity::error)
      failed_ = true;
  }
  void error(const ast::RulesetFile& file, const ast::Located& at, std::string code,
             std::string message, std::string hint = {}) {
    report(Severity::error, file, at, std::move(code), std::move(message), std::move(hint));
  }
  void warning(const ast::RulesetFile& file, const ast::Located& at, std::string code,
               std::string message, std::string hint = {}) {
    report(Severity::warning, file, at, std::move(code), std::move(message), std::move(hint));
  }

  // Adds a name to a table, or reports it as a duplicate of the first declaration.
  bool declare(NameTable& table, const std::string& kind, const ast::RulesetFile& file,
               const ast::Identifier& name, std::uint32_t index) {
    const auto [it, added] = table.try_emplace(name.name, Declared{index, &file, &name});
    if (!added) {
      error(file, name, "duplicate-id", kind + " " + quote(name.name) + " is declared twice",
            "the first is at " + place(*it->second.file, *it->second.at) + "; rename one of them");
    }
    return added;
  }

  // Looks a name up, or reports it with the closest declared name as a suggestion.
  std::optional<std::uint32_t> resolve(const NameTable& table, const std::string& kind,
                                       const ast::RulesetFile& file, const ast::Identifier& name) {
    if (const auto it = table.find(name.name); it != table.end())
      return it->second.index;
    std::vector<std::string_view> candidates;
    for (const auto& [candidate, declared] : table)
      candidates.push_back(candidate);
    std::string hint;
    if (const auto suggestion = closest_name(name.name, candidates)) {
      hint = "did you mean " + quote(*suggestion) + "?";
    } else if (kind == "codes list") {
      hint = "declare it with 'codes " + name.name + " = snomed [...]' in any ruleset file";
    } else {
      hint = "declare it with '" + kind + " " + name.name + " ...' in any ruleset file";
    }
    error(file, name, "unknown-name", "unknown " + kind + " " + quote(name.name), hint);
    return std::nullopt;
  }

  std::optional<runtime::ValueSetIndex> resolve_value_set(const ast::RulesetFile& file,
                                                          const ast::Identifier& name) {
    const auto index = resolve(value_set_names_, "codes list", file, name);
    if (index)
      value_set_used_[*index] = true;
    return index;
  }

  void check_interval(const ast::RulesetFile& file, const ast::Duration& d,
                      const std::string& what) {
    if (d.count < 1) {
      error(file, d, "bad-interval", what + " of " + describe(d) + " is too short",
            "use a whole number of at least 1");
    } else if (d.count > max_count(d.unit)) {
      error(file, d, "bad-interval",
            what + " of " + describe(d) + " is longer than " + std::to_string(max_interval_months) +
                " months",
            "the longest " + what + " is 10 years (120 months)");
    }
  }

  void check_ruleset_names() {
    NameTable names;
    for (const ast::RulesetFile& file : files_) {
      declare(names, "ruleset", file, file.header.name, 0);
    }
  }

  void declare_value_sets() {
    for (const ast::RulesetFile& file : files_) {
      for_each_decl<ast::CodesDecl>(file, [&](const ast::CodesDecl& decl) {
        const auto index = static_cast<runtime::ValueSetIndex>(library_.value_sets.size());
        if (!declare(value_set_names_, "codes list", file, decl.name, index))
          return;
        library_.value_sets.push_back({&decl, &file});
        value_set_used_.push_back(false);
        check_codes(file, decl);
      });
    }
  }

  void check_codes(const ast::RulesetFile& file, const ast::CodesDecl& decl) {
    std::map<std::string, int> first_line;  // "system|code" -> where it was first listed
    for (const ast::SystemCodes& list : decl.lists) {
      if (list.system.empty() || list.system.find_first_of(" \t|") != std::string::npos) {
        error(file, list, "bad-code", quote(list.system) + " is not a code system",
              "use snomed, loinc, read2, ctv3, dmd, icd10, cvx or the system's URI");
        continue;
      }
      if (const auto token = token_for_uri(list.system)) {
        warning(file, list, "system-uri",
                "records name the code system " + quote(list.system) + " " + quote(*token) +
                    ", so these codes would never match",
                "write " + std::string(*token) + " [...] instead of the URI");
      }
      for (const ast::Code& code : list.codes) {
        if (code.value.empty()) {
          error(file, code, "bad-code", "a code cannot be empty");
          continue;
        }
        if (list.system == runtime::code_system::snomed) {
          if (const auto problem = sctid_problem(code.value)) {
            error(file, code, "bad-code", quote(code.value) + " is not a SNOMED CT concept id",
                  *problem);
            continue;
          }
        }
        const auto [it, added] = first_line.try_emplace(list.system + "|" + code.value, code.line);
        if (!added) {
          warning(file, code, "duplicate-code",
                  quote(code.value) + " is listed twice in " + quote(decl.name.name),
                  "it is first listed on line " + std::to_string(it->second) + "; remove one");
        }
      }
    }
  }

  void declare_conditions() {
    for (const ast::RulesetFile& file : files_) {
      for_each_decl<ast::ConditionDecl>(file, [&](const ast::ConditionDecl& decl) {
        const auto index = static_cast<runtime::ConditionIndex>(library_.conditions.size());
        if (!declare(condition_names_, "condition", file, decl.name, index))
          return;
        CheckedLibrary::Condition condition;
        condition.decl = &decl;
        condition.file = &file;
        condition.diagnosis = resolve_value_set(file, decl.diagnosis).value_or(0);
        if (decl.resolved_by)
          condition.resolved = resolve_value_set(file, *decl.resolved_by);
        library_.conditions.push_back(condition);
        condition_has_check_.push_back(false);
      });
    }
  }

  void check_reviews() {
    for (const ast::RulesetFile& file : files_) {
      for_each_decl<ast::ReviewDecl>(file, [&](const ast::ReviewDecl& decl) {
        const bool is_first = !library_.review;
        if (!is_first) {
          const auto& first = *library_.review;
          error(file, decl, "duplicate-review",
                "a library has one review, and " + quote(first.decl->name.name) +
                    " is already declared at " + place(*first.file, *first.decl),
                "merge the two reviews into one, or load only one of them");
        } else {
          library_.review = CheckedLibrary::Review{&decl, &file};
        }
        check_review(file, decl, is_first);
      });
    }
  }

  // `is_first`: the library's review, whose stages the checks are matched against.
  void check_review(const ast::RulesetFile& file, const ast::ReviewDecl& review, bool is_first) {
    check_expression(file, review.merge_when);
    check_interval(file, review.gather, "gather window");

    NameTable stage_names;
    const ast::StageDecl* conversation = nullptr;
    const ast::StageDecl* previous_timed = nullptr;
    int previous_days = 0;
    for (const ast::StageDecl& stage : review.stages) {
      declare(stage_names, "stage", file, stage.name, 0);
      const bool is_conversation = stage.kind.kind == StageKind::conversation;
      if (is_conversation) {
        if (conversation) {
          error(file, stage.kind, "bad-stage",
                "a review has one conversation stage, and " + quote(conversation->name.name) +
                    " is one",
                "make this stage another kind, or remove it");
        } else {
          conversation = &stage;
        }
      }
      if (stage.minutes) {
        if (is_conversation) {
          check_minutes(file, *stage.minutes);
        } else {
          error(file, *stage.minutes, "bad-stage",
                "only the conversation stage has a length in minutes",
                "move 'minutes ...' to the conversation stage");
        }
      }
      if (stage.before) {
        const ast::Duration& before = *stage.before;
        if (is_conversation) {
          error(file, before, "bad-stage",
                "the conversation is when the other stages count back from, so it cannot be "
                "before itself",
                "remove '" + describe(before) + " before' from this stage");
        } else if (before.unit != IntervalUnit::days && before.unit != IntervalUnit::weeks) {
          error(file, before, "bad-interval",
                "a stage's time before the conversation is counted in days or weeks",
                "write it in weeks, e.g. '3 weeks before'");
        } else {
          const int days = before.unit == IntervalUnit::weeks ? before.count * 7 : before.count;
          if (before.count < 0 || days > max_days_before) {
            error(file, before, "bad-interval",
                  describe(before) + " before the conversation is out of range",
                  "use 0 to " + std::to_string(max_days_before) + " days (52 weeks)");
          } else if (previous_timed && days > previous_days) {
            warning(file, before, "stage-order",
                    "stage " + quote(stage.name.name) + " comes earlier than stage " +
                        quote(previous_timed->name.name) + " but is listed after it",
                    "list the stages in the order they happen");
          }
          previous_timed = &stage;
          previous_days = days;
        }
      }
      if (is_first)
        review_stage_kinds_.insert(stage.kind.kind);
    }
    if (!conversation) {
      error(file, review, "bad-stage",
            "review " + quote(review.name.name) + " has no conversation stage",
            "add one, e.g.: stage talk conversation \"Care and support planning\"");
    }

    NameTable ask_names;
    for (const ast::AskDecl& ask : review.asks)
      declare(ask_names, "question", file, ask.name, 0);
  }

  void check_minutes(const ast::RulesetFile& file, const ast::Minutes& minutes) {
    const std::string range = "use 1 to " + std::to_string(max_conversation_minutes) + " minutes";
    if (minutes.base < 1 || minutes.base > max_conversation_minutes) {
      error(file, minutes, "bad-minutes",
            "a conversation of " + std::to_string(minutes.base) + " minutes is out of range",
            range);
    }
    if (minutes.per_extra_condition && (*minutes.per_extra_condition < 0 ||
                                        *minutes.per_extra_condition > max_conversation_minutes)) {
      error(file, minutes, "bad-minutes",
            std::to_string(*minutes.per_extra_condition) +
                " minutes per extra condition is out of range",
            "use 0 to " + std::to_string(max_conversation_minutes) + " minutes");
    }
    if (minutes.up_to) {
      if (*minutes.up_to < minutes.base || *minutes.up_to > max_conversation_minutes) {
        error(file, minutes, "bad-minutes",
              "'up to " + std::to_string(*minutes.up_to) + "' must be between the base length (" +
                  std::to_string(minutes.base) + ") and " +
                  std::to_string(max_conversation_minutes) + " minutes",
              range);
      }
    } else if (minutes.per_extra_condition && *minutes.per_extra_condition > 0) {
      warning(file, minutes, "uncapped-minutes",
              "the conversation has no upper limit, so it is capped at " +
                  std::to_string(max_conversation_minutes) + " minutes",
              "add 'up to N' to say how long it may get");
    }
  }

  void check_expression(const ast::RulesetFile& file, const ast::OrExpr& expr) {
    check_and(file, expr.first);
    for (const ast::AndExpr& term : expr.rest)
      check_and(file, term);
  }
  void check_and(const ast::RulesetFile& file, const ast::AndExpr& expr) {
    check_operand(file, expr.first);
    for (const ast::Operand& operand : expr.rest)
      check_operand(file, operand);
  }
  void check_operand(const ast::RulesetFile& file, const ast::Operand& operand) {
    if (const auto* comparison = boost::get<ast::Comparison>(&operand.get())) {
      if (comparison->number < 0) {
        error(file, *comparison, "bad-number",
              quote(runtime::to_string(comparison->measure)) +
                  " is a count and is never negative, so comparing it with a negative number is "
                  "a mistake",
              "compare with 0 or more");
      }
    } else if (const auto* negation = boost::get<x3::forward_ast<ast::Not>>(&operand.get())) {
      check_operand(file, negation->get().operand);
    } else if (const auto* group = boost::get<x3::forward_ast<ast::OrExpr>>(&operand.get())) {
      check_expression(file, group->get());
    }
  }

  // The conditions a check is for: those after `for`, or else the only one in its file.
  std::vector<runtime::ConditionIndex> conditions_of(const ast::RulesetFile& file,
                                                     const ast::CheckDecl& check) {
    std::vector<runtime::ConditionIndex> targets;
    if (check.conditions.empty()) {
      std::vector<const ast::ConditionDecl*> here;
      for_each_decl<ast::ConditionDecl>(file,
                                        [&](const ast::ConditionDecl& c) { here.push_back(&c); });
      if (here.size() == 1) {
        if (const auto it = condition_names_.find(here.front()->name.name);
            it != condition_names_.end()) {
          targets.push_back(it->second.index);
        }
      } else if (here.empty()) {
        error(file, check.name, "missing-for",
              "check " + quote(check.name.name) +
                  " does not say which condition it is for, and this file declares none",
              "add 'for CONDITION' after the check's title");
      } else {
        std::string names;
        for (const auto* c : here)
          names += (names.empty() ? "" : ", ") + quote(c->name.name);
        error(file, check.name, "missing-for",
              "check " + quote(check.name.name) +
                  " does not say which condition it is for, and this file declares several (" +
                  names + ")",
              "add 'for " + here.front()->name.name + "' (or several: 'for a, b') after the title");
      }
      return targets;
    }
    std::set<std::string_view> listed;
    for (const ast::Identifier& name : check.conditions) {
      if (!listed.insert(name.name).second) {
        error(file, name, "duplicate-id",
              "condition " + quote(name.name) + " is listed twice for check " +
                  quote(check.name.name),
              "remove one of them");
        continue;
      }
      if (const auto index = resolve(condition_names_, "condition", file, name)) {
        targets.push_back(*index);
      }
    }
    return targets;
  }

  void check_checks() {
    struct FirstTitle {
      std::string title;
      const ast::RulesetFile* file;
      const ast::CheckDecl* decl;
    };
    std::map<std::string, FirstTitle, std::less<>> titles;  // check id -> first title
    std::map<std::pair<runtime::ConditionIndex, std::string>, const ast::CheckDecl*> pairs;
    std::map<const ast::CheckDecl*, const ast::RulesetFile*> file_of;

    for (const ast::RulesetFile& file : files_) {
      for_each_decl<ast::CheckDecl>(file, [&](const ast::CheckDecl& check) {
        file_of[&check] = &file;
        check_interval(file, check.every, "check interval");

        std::vector<runtime::DoneBy> done_by;
        for (const ast::DoneBy& way : check.done_by) {
          if (const auto index = resolve_value_set(file, way.value_set)) {
            done_by.push_back({way.kind, *index});
          }
        }

        if (library_.review && !review_stage_kinds_.count(check.stage.kind)) {
          const auto& review = *library_.review;
          const std::string kind(runtime::to_string(check.stage.kind));
          error(file, check.stage, "missing-stage",
                "check " + quote(check.name.name) + " happens at a " + quote(kind) +
                    " stage, but review " + quote(review.decl->name.name) + " has none",
                "add a " + kind + " stage to the review at " + place(*review.file, *review.decl) +
                    ", or give the check another stage");
        }

        const auto [first, added] =
            titles.try_emplace(check.name.name, FirstTitle{check.title, &file, &check});
        if (!added && first->second.title != check.title) {
          warning(file, check.name, "title-mismatch",
                  "check " + quote(check.name.name) + " is titled \"" + check.title +
                      "\" here but \"" + first->second.title + "\" at " +
                      place(*first->second.file, *first->second.decl),
                  "the review shows one title per check: use the same title everywhere");
        }

        for (const runtime::ConditionIndex condition : conditions_of(file, check)) {
          const auto [previous, fresh] = pairs.try_emplace({condition, check.name.name}, &check);
          if (!fresh) {
            error(file, check.name, "duplicate-id",
                  "condition " + quote(library_.conditions[condition].decl->name.name) +
                      " already has a check " + quote(check.name.name),
                  "the first is at " + place(*file_of[previous->second], *previous->second) +
                      "; rename or remove one of them");
            continue;
          }
          condition_has_check_[condition] = true;
          library_.checks.push_back({&check, &file, condition, done_by});
        }
      });
    }
  }

  void report_unused() {
    for (std::size_t i = 0; i < library_.value_sets.size(); ++i) {
      if (value_set_used_[i])
        continue;
      const auto& set = library_.value_sets[i];
      warning(*set.file, set.decl->name, "unused",
              "codes list " + quote(set.decl->name.name) + " is never used",
              "use it in a condition or a check, or remove it");
    }
    for (std::size_t i = 0; i < library_.conditions.size(); ++i) {
      if (condition_has_check_[i])
        continue;
      const auto& condition = library_.conditions[i];
      warning(*condition.file, condition.decl->name, "no-checks",
              "condition " + quote(condition.decl->name.name) + " has no checks",
              "add one: check NAME \"Title\" for " + condition.decl->name.name +
                  " stage tests every 12 months done by observation in CODES");
    }
  }

  const std::vector<ast::RulesetFile>& files_;
  std::vector<Diagnostic>& out_;
  bool failed_ = false;
  CheckedLibrary library_;
  NameTable value_set_names_;
  NameTable condition_names_;
  std::vector<bool> value_set_used_;
  std::vector<bool> condition_has_check_;
  std::set<StageKind> review_stage_kinds_;  // of the library's first review
};

}  // namespace

std::optional<CheckedLibrary> check(const std::vector<ast::RulesetFile>& files,
                                    std::vector<Diagnostic>& out) {
  try {
    return Checker(files, out).run();
  } catch (const std::exception& e) {
    out.push_back({"", 0, 0, Severity::error, "internal",
                   std::string("the checker failed unexpectedly: ") + e.what(),
                   "please report this with the rulesets that caused it"});
    return std::nullopt;
  }
}

}  // namespace concord::dsl
