// The checker: resolves every name across the whole library and reports every problem it can
// find in one pass (errors and warnings), so that an author fixes a file in one round.
#include "concord/dsl/check.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <sstream>

#include "codes.hpp"
#include "concord/runtime/record.hpp"
#include "conversion.hpp"
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
  if (count != 1) name += 's';
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

std::string number_text(double number) {
  std::ostringstream text;
  text << number;
  return text.str();
}

std::string comparison_text(runtime::Comparison op) {
  const char* texts[] = {"<", "<=", ">", ">=", "=", "!="};
  return texts[static_cast<int>(op)];
}

template <typename Decl, typename Visit>
void for_each_decl(const ast::RulesetFile& file, Visit visit) {
  for (const ast::Item& item : file.items) {
    if (const Decl* decl = boost::get<Decl>(&item.get())) visit(*decl);
  }
}

class Checker {
 public:
  Checker(const std::vector<ast::RulesetFile>& files, std::vector<Diagnostic>& out,
          const Extensions& extensions)
      : files_(files), out_(out), extensions_(extensions) {}

  std::optional<CheckedLibrary> run() {
    for (const ast::RulesetFile& file : files_)
      library_.files.push_back(&file);
    check_ruleset_names();
    declare_value_sets();
    declare_conditions();
    check_presence();
    check_reviews();
    check_checks();
    check_person();
    check_suppressions();
    report_unused();
    if (failed_) return std::nullopt;
    library_.functions = extensions_.functions;
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
    if (severity == Severity::error) failed_ = true;
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
    if (const auto it = table.find(name.name); it != table.end()) return it->second.index;
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

  // Reports a name that none of the tables holds, suggesting the closest name in any of them.
  void report_unknown(const ast::RulesetFile& file, const ast::Identifier& name,
                      const std::string& kind, const std::vector<std::string_view>& candidates,
                      const std::string& fallback_hint) {
    const auto suggestion = closest_name(name.name, candidates);
    error(file, name, "unknown-name", "unknown " + kind + " " + quote(name.name),
          suggestion ? "did you mean " + quote(*suggestion) + "?" : fallback_hint);
  }

  static void add_names(const NameTable& table, std::vector<std::string_view>& out) {
    for (const auto& [name, declared] : table)
      out.push_back(name);
  }

  std::optional<runtime::ValueSetIndex> resolve_value_set(const ast::RulesetFile& file,
                                                          const ast::Identifier& name) {
    const auto index = resolve(value_set_names_, "codes list", file, name);
    if (index) value_set_used_[*index] = true;
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

  // Declares every codes list first, so that one list may take in another declared later or
  // in another file; then checks each and works out the codes it holds.
  void declare_value_sets() {
    for (const ast::RulesetFile& file : files_) {
      for_each_decl<ast::CodesDecl>(file, [&](const ast::CodesDecl& decl) {
        const auto index = static_cast<runtime::ValueSetIndex>(library_.value_sets.size());
        if (!declare(value_set_names_, "codes list", file, decl.name, index)) return;
        library_.value_sets.push_back({&decl, &file, {}});
        value_set_used_.push_back(false);
      });
    }
    for (const auto& set : library_.value_sets) {
      check_codes(*set.file, *set.decl);
      if (set.decl->measured) check_conversions(*set.file, set.decl->name, *set.decl->measured);
    }
    expansion_.assign(library_.value_sets.size(), Expansion::pending);
    for (std::size_t i = 0; i < library_.value_sets.size(); ++i)
      expand(static_cast<runtime::ValueSetIndex>(i));
  }

  enum class Expansion : std::uint8_t { pending, in_progress, done };

  // The codes of one part (or nothing for a part already reported as wrong).
  void add_part_codes(const ast::CodesPart& part, std::vector<runtime::Code>& out) {
    if (const auto* list = boost::get<ast::SystemCodes>(&part.get())) {
      for (const ast::Code& code : list->codes)
        out.emplace_back(list->system, code.value);
    } else if (const auto* refset = boost::get<ast::RefsetRef>(&part.get())) {
      if (const auto it = refsets_.find(refset->id); it != refsets_.end()) {
        for (const std::string& member : it->second)
          out.emplace_back(runtime::code_system::snomed, member);
      }
    } else {
      const auto& name = boost::get<ast::Identifier>(part.get());
      const auto it = value_set_names_.find(name.name);
      if (it == value_set_names_.end()) return;
      const auto index = static_cast<runtime::ValueSetIndex>(it->second.index);
      if (expansion_[index] == Expansion::in_progress) {
        if (index != expanding_.back()) report_cycle(name);  // itself: reported when checked
        return;
      }
      expand(index);
      const auto& codes = library_.value_sets[index].codes;
      out.insert(out.end(), codes.begin(), codes.end());
    }
  }

  // Joins a codes list's parts, takes its exclusions away and adds the legacy codes that the
  // terminology maps to its SNOMED CT codes. Lists it takes in are expanded first.
  void expand(runtime::ValueSetIndex index) {
    if (expansion_[index] != Expansion::pending) return;
    expansion_[index] = Expansion::in_progress;
    expanding_.push_back(index);
    auto& set = library_.value_sets[index];
    std::vector<runtime::Code> included;
    for (const ast::CodesPart& part : set.decl->parts)
      add_part_codes(part, included);
    std::vector<runtime::Code> excluded;
    for (const ast::CodesPart& part : set.decl->except)
      add_part_codes(part, excluded);
    std::set<std::string, std::less<>> removed;
    for (const runtime::Code& code : excluded)
      removed.insert(code.key());
    std::set<std::string, std::less<>> seen;
    std::vector<runtime::Code> codes;
    const auto keep = [&](const runtime::Code& code) {
      if (!removed.contains(code.key()) && seen.insert(code.key()).second) codes.push_back(code);
    };
    for (const runtime::Code& code : included)
      keep(code);
    if (extensions_.terminology) {
      const std::size_t listed = codes.size();
      for (std::size_t i = 0; i < listed; ++i) {
        if (codes[i].system() != runtime::code_system::snomed) continue;
        for (const runtime::Code& legacy :
             extensions_.terminology->legacy_codes_for(std::string(codes[i].value())))
          keep(legacy);
      }
    }
    if (codes.empty() && !included.empty()) {
      warning(*set.file, set.decl->name, "empty-codes",
              "codes list " + quote(set.decl->name.name) +
                  " holds no codes once its exclusions are taken away",
              "nothing recorded will ever match it; check what 'except' removes");
    } else if (codes.empty() && !set.decl->parts.empty() && !failed_) {
      warning(*set.file, set.decl->name, "empty-codes",
              "codes list " + quote(set.decl->name.name) + " holds no codes",
              "its refsets have no active members in the loaded terminology, so nothing "
              "recorded will ever match it");
    }
    set.codes = std::move(codes);
    expanding_.pop_back();
    expansion_[index] = Expansion::done;
  }

  // A codes list that takes itself in, directly or through others.
  void report_cycle(const ast::Identifier& name) {
    const auto& closing = library_.value_sets[expanding_.back()];
    std::string path;
    bool in_cycle = false;
    for (const runtime::ValueSetIndex index : expanding_) {
      const std::string& step = library_.value_sets[index].decl->name.name;
      if (step == name.name) in_cycle = true;
      if (in_cycle) path += step + " -> ";
    }
    error(*closing.file, name, "codes-cycle",
          "codes list " + quote(name.name) + " takes itself in: " + path + name.name,
          "a codes list may take in other lists, but never itself; remove one of the names");
  }

  void check_conversions(const ast::RulesetFile& file, const ast::Identifier& name,
                         const ast::MeasuredIn& measured) {
    std::map<std::string, int> first_line;  // unit converted from -> where
    for (const ast::Conversion& conversion : measured.conversions) {
      const std::string& from = conversion.from.text;
      if (from == measured.unit.text) {
        error(file, conversion.from, "bad-conversion",
              quote(name.name) + " is measured in " + from + ", so values in " + from +
                  " need no conversion",
              "remove this 'converting' clause");
        continue;
      }
      const auto [it, added] = first_line.try_emplace(from, conversion.from.line);
      if (!added) {
        error(file, conversion.from, "duplicate-id",
              quote(name.name) + " converts from " + from + " twice",
              "the first is on line " + std::to_string(it->second) + "; remove one of them");
        continue;
      }
      const LinearForm linear = linear_form(conversion.by);
      if (!linear.ok()) {
        const std::string hint =
            linear.code == "nonlinear-conversion"
                ? "a conversion is linear in 'value', e.g. (value - 2.15) * 10.929 or value / 18"
                : "use numbers a conversion can divide by";
        error(file, linear.at, linear.code,
              linear.problem + ", so it is not a linear conversion from " + from, hint);
      }
    }
  }

  void check_codes(const ast::RulesetFile& file, const ast::CodesDecl& decl) {
    std::map<std::string, int> first_line;  // "system|code" -> where it was first listed
    for (const ast::CodesPart& part : decl.parts)
      check_part(file, decl, part, first_line);
    std::map<std::string, int> first_excluded;
    for (const ast::CodesPart& part : decl.except)
      check_part(file, decl, part, first_excluded);
  }

  void check_part(const ast::RulesetFile& file, const ast::CodesDecl& decl,
                  const ast::CodesPart& part, std::map<std::string, int>& first_line) {
    if (const auto* refset = boost::get<ast::RefsetRef>(&part.get())) {
      check_refset(file, *refset);
    } else if (const auto* name = boost::get<ast::Identifier>(&part.get())) {
      if (is_system_token(name->name)) {
        error(file, *name, "bad-code", quote(name->name) + " is a code system, with no codes",
              "write its codes in brackets: " + name->name + " [123456, 234567]");
      } else if (name->name == decl.name.name) {
        error(file, *name, "codes-cycle", "codes list " + quote(name->name) + " takes itself in",
              "a codes list may take in other lists, but never itself; remove the name");
      } else {
        resolve_value_set(file, *name);
      }
    } else {
      check_system_codes(file, decl, boost::get<ast::SystemCodes>(part.get()), first_line);
    }
  }

  static bool is_system_token(std::string_view name) {
    namespace system = runtime::code_system;
    for (const std::string_view token : {system::snomed, system::loinc, system::read2, system::ctv3,
                                         system::dmd, system::icd10, system::cvx}) {
      if (name == token) return true;
    }
    return false;
  }

  // A refset is expanded once, when the library is loaded, by the configured terminology.
  void check_refset(const ast::RulesetFile& file, const ast::RefsetRef& refset) {
    if (refset.id.empty()) {
      error(file, refset, "bad-code", "a refset id cannot be empty",
            "write the refset's SNOMED CT id or the name the terminology knows it by");
      return;
    }
    if (refsets_.contains(refset.id)) return;
    if (!extensions_.terminology) {
      error(file, refset, "no-terminology",
            "refset " + quote(refset.id) + " needs a terminology, and none is loaded",
            "install the terminology plugin (libconcord_terminology.so) with its refset files "
            "in a configured plugin folder (concord plugins list shows it), or list the codes "
            "as snomed [...]");
      return;
    }
    auto members = extensions_.terminology->refset_members(refset.id);
    if (!members) {
      error(file, refset, "unknown-refset",
            "the loaded terminology does not know refset " + quote(refset.id),
            "check the id, and that the terminology plugin's 'refsets' setting names the "
            "release file that holds it");
      return;
    }
    for (const std::string& member : *members) {
      if (const auto problem = sctid_problem(member)) {
        error(file, refset, "bad-code",
              "refset " + quote(refset.id) + " has member " + quote(member) +
                  ", which is not a SNOMED CT concept id",
              *problem + "; fix the terminology's refset file");
        return;
      }
    }
    refsets_.emplace(refset.id, std::move(*members));
  }

  void check_system_codes(const ast::RulesetFile& file, const ast::CodesDecl& decl,
                          const ast::SystemCodes& list, std::map<std::string, int>& first_line) {
    if (list.system.empty() || list.system.find_first_of(" \t|") != std::string::npos) {
      error(file, list, "bad-code", quote(list.system) + " is not a code system",
            "use snomed, loinc, read2, ctv3, dmd, icd10, cvx or the system's URI");
      return;
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

  void declare_conditions() {
    for (const ast::RulesetFile& file : files_) {
      for_each_decl<ast::ConditionDecl>(file, [&](const ast::ConditionDecl& decl) {
        const auto index = static_cast<runtime::ConditionIndex>(library_.conditions.size());
        if (!declare(condition_names_, "condition", file, decl.name, index)) return;
        CheckedLibrary::Condition condition;
        condition.decl = &decl;
        condition.file = &file;
        condition.diagnosis = resolve_value_set(file, decl.diagnosis).value_or(0);
        if (decl.resolved_by) condition.resolved = resolve_value_set(file, *decl.resolved_by);
        library_.conditions.push_back(condition);
        condition_has_check_.push_back(false);
      });
    }
  }

  // What a condition asks for besides its diagnosis. Checked once every condition is declared,
  // so that naming one is reported as circular rather than unknown.
  void check_presence() {
    place_ = Place::presence;
    for (const CheckedLibrary::Condition& condition : library_.conditions) {
      for (const ast::Operand& operand : condition.decl->also)
        check_operand(*condition.file, operand);
    }
    place_ = Place::review;
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
      if (is_first) review_stage_kinds_.insert(stage.kind.kind);
    }
    if (!conversation) {
      error(file, review, "bad-stage",
            "review " + quote(review.name.name) + " has no conversation stage",
            "add one, e.g.: stage talk conversation \"Care and support planning\"");
    }

    NameTable ask_names;
    for (const ast::AskDecl& ask : review.asks) {
      declare(ask_names, "question", file, ask.name, 0);
      if (ask.when) check_expression(file, *ask.when);
    }
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
      check_comparison(file, *comparison);
    } else if (const auto* fact = boost::get<ast::FactTest>(&operand.get())) {
      resolve_value_set(file, fact->value_set);
      if (fact->within) check_interval(file, *fact->within, "'within' window");
      if (fact->relation) check_relation(file, *fact);
    } else if (const auto* count = boost::get<ast::CountTest>(&operand.get())) {
      check_count(file, *count);
    } else if (const auto* score = boost::get<ast::ScoreTest>(&operand.get())) {
      check_score(file, *score);
    } else if (const auto* latest = boost::get<ast::LatestTest>(&operand.get())) {
      resolve_value_set(file, latest->value_set);
      resolve_value_set(file, latest->within_set);
    } else if (const auto* name = boost::get<ast::Identifier>(&operand.get())) {
      check_bare_name(file, *name);
    } else if (const auto* negation = boost::get<x3::forward_ast<ast::Not>>(&operand.get())) {
      check_operand(file, negation->get().operand);
    } else if (const auto* group = boost::get<x3::forward_ast<ast::OrExpr>>(&operand.get())) {
      check_expression(file, group->get());
    }
  }

  // `count KIND in CODES [within N UNIT] CMP NUMBER`: a count of days is a whole number.
  void check_count(const ast::RulesetFile& file, const ast::CountTest& count) {
    resolve_value_set(file, count.value_set);
    if (count.within) check_interval(file, *count.within, "'within' window");
    if (count.value < 0 || count.value != std::floor(count.value) ||
        count.value > limits::max_fact_count) {
      error(file, count, "bad-number",
            "a count of recorded facts is a whole number, so comparing it with " +
                number_text(count.value) + " is a mistake",
            "compare with a whole number from 0 to " + std::to_string(limits::max_fact_count) +
                ", e.g. 'count record in " + count.value_set.name + " within 12 months >= 2'");
    }
  }

  // A score is a function of a loaded functions plugin, found by name once, at load time.
  void check_score(const ast::RulesetFile& file, const ast::ScoreTest& score) {
    const std::string& name = score.function.name;
    if (library_.scores.contains(name) || !reported_scores_.insert(name).second) return;
    if (!extensions_.functions) {
      error(file, score.function, "no-functions",
            "score " + quote(name) + " needs a functions plugin, and none is loaded",
            "install the clinical plugin (libconcord_clinical.so) in a configured plugin "
            "folder; concord plugins list shows what is loaded");
      return;
    }
    if (const auto slot = extensions_.functions->find(name)) {
      library_.scores.emplace(name, *slot);
      return;
    }
    const std::vector<std::string>& known = extensions_.functions->names();
    std::vector<std::string_view> candidates(known.begin(), known.end());
    std::string loaded;
    for (const std::string& n : known)
      loaded += (loaded.empty() ? "" : ", ") + n;
    report_unknown(file, score.function, "score", candidates,
                   "the loaded functions are: " + (loaded.empty() ? "none" : loaded));
  }

  void check_relation(const ast::RulesetFile& file, const ast::FactTest& fact) {
    const ast::FactRelation& relation = *fact.relation;
    const ast::Moment& moment = relation.moment;
    if (fact.within && !relation.after) {
      error(file, relation, "bad-date",
            "a fact cannot be both 'within' a window before the evaluation date and 'before' "
            "a moment: the first asks for the latest fact, the second for the earliest",
            "write two facts joined by 'and', or drop one of the two");
    }
    if (moment.date.empty()) {
      if (place_ == Place::review) {
        error(file, moment, "no-onset",
              "'onset' is the onset of one condition, and the review's rules are about the "
              "whole person",
              "use 'onset' in a condition's presence or a check's target; here, compare with a "
              "date or use 'within'");
      }
    } else if (!runtime::Date::parse_iso(moment.date)) {
      error(file, moment, "bad-date", quote(moment.date) + " is not a date in the calendar",
            "write a real day as YYYY-MM-DD, e.g. 2006-04-01");
    }
  }

  void check_comparison(const ast::RulesetFile& file, const ast::Comparison& comparison) {
    using runtime::Measure;
    const std::string measure(runtime::to_string(comparison.measure));
    if (place_ == Place::presence && comparison.measure == Measure::conditions) {
      error(file, comparison, "circular-presence",
            "a condition's presence cannot depend on how many conditions the person has",
            "test the person's own facts here (a diagnosis, a medication, age); count "
            "conditions in the review's 'merge when'");
    }
    if (const auto* level = boost::get<ast::Identifier>(&comparison.value.get())) {
      if (comparison.measure != Measure::frailty) {
        error(file, *level, "bad-comparison",
              quote(measure) + " is a number, so it cannot be compared with " + quote(level->name),
              "only frailty has level names (mild, moderate, severe); compare " + measure +
                  " with a number");
      } else if (!limits::frailty_level(level->name)) {
        const std::vector<std::string_view> levels(limits::frailty_level_names.begin(),
                                                   limits::frailty_level_names.end());
        report_unknown(file, *level, "frailty level", levels,
                       "the frailty levels are mild, moderate and severe (or 0 to 3)");
      }
      return;
    }
    const double number = boost::get<double>(comparison.value.get());
    const auto out_of_range = [&](const std::string& what, const std::string& hint) {
      error(file, comparison, "bad-number",
            quote(measure) + " " + what + ", so comparing it with " + number_text(number) +
                " is a mistake",
            hint);
    };
    switch (comparison.measure) {
      case Measure::conditions:
      case Measure::medicines:
      case Measure::goals:
        if (number < 0) out_of_range("is a count and is never negative", "compare with 0 or more");
        break;
      case Measure::age:
        if (number < 0 || number > limits::max_age)
          out_of_range("is in whole years", "compare with 0 to " + std::to_string(limits::max_age));
        break;
      case Measure::frailty:
        if (number < 0 || number > limits::max_frailty)
          out_of_range("is 0 (none) to 3 (severe)",
                       "compare with 0 to 3, or with mild, moderate or severe");
        break;
      case Measure::activation:
        if (number < 0 || number > limits::max_activation)
          out_of_range("is a PAM level from 1 to 4 (0 when unknown)", "compare with 0 to 4");
        break;
      case Measure::end_of_life:
        break;
    }
  }

  // A bare name: `end_of_life`, or a condition id meaning "this condition is present".
  void check_bare_name(const ast::RulesetFile& file, const ast::Identifier& name) {
    if (name.name == "end_of_life") return;
    if (condition_names_.count(name.name)) {
      if (place_ == Place::presence) {
        error(file, name, "circular-presence",
              "a condition's presence cannot depend on another condition (" + quote(name.name) +
                  "), so that presence never goes round in a circle",
              "test the diagnosis codes themselves, e.g. 'record in CODES'");
      }
      return;
    }
    std::vector<std::string_view> candidates;
    add_names(condition_names_, candidates);
    for (const std::string_view measure :
         {"conditions", "medicines", "age", "frailty", "activation", "goals", "end_of_life"}) {
      candidates.push_back(measure);
    }
    report_unknown(file, name, "condition or measure", candidates,
                   "a name on its own is a condition (true when the person has it) or "
                   "end_of_life; measures are compared, e.g. 'age >= 80'");
  }

  // The conditions a check is for: those after `for`, or else the only one in its file.
  std::vector<runtime::ConditionIndex> conditions_of(const ast::RulesetFile& file,
                                                     const ast::CheckDecl& check) {
    std::vector<runtime::ConditionIndex> targets;
    if (check.for_frailty) {
      if (!check.conditions.empty()) {
        error(file, check.conditions.front(), "mixed-for",
              "check " + quote(check.name.name) +
                  " is for a frailty level and for conditions at once",
              "write two checks with the same id: one 'for frailty >= LEVEL', one 'for " +
                  check.conditions.front().name + "'");
      }
      return targets;
    }
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
        check_ids_.try_emplace(check.name.name, Declared{0, &file, &check.name});
        const ast::Located* from_onset = nullptr;
        if (const auto* every = boost::get<ast::Recurring>(&check.every.get())) {
          check_interval(file, every->interval, "check interval");
          if (every->from_onset) from_onset = every;
        } else if (const auto* season = boost::get<ast::SeasonStart>(&check.every.get())) {
          check_season(file, *season);
        } else {
          from_onset = &boost::get<ast::OnsetWindow>(check.every.get());
          check_onset_window(file, boost::get<ast::OnsetWindow>(check.every.get()));
        }
        for (const ast::IntervalWhen& other : check.intervals_when) {
          if (!boost::get<ast::Recurring>(&check.every.get())) {
            error(file, other, "bad-interval",
                  "check " + quote(check.name.name) +
                      " is not due every N months, so it cannot have another interval 'when'",
                  "give the check an interval ('every 12 months') before 'or every ... when'");
          }
          check_interval(file, other.interval, "check interval");
          place_ = Place::check;
          check_expression(file, other.when);
          place_ = Place::review;
        }
        if (check.only_when) {
          place_ = Place::check;
          check_expression(file, *check.only_when);
          place_ = Place::review;
        }
        if (from_onset && check.for_frailty) {
          error(file, *from_onset, "no-onset",
                "check " + quote(check.name.name) +
                    " is raised for a frailty level, which has no onset to count from",
                "count from the last time it was done ('every 12 months'), or raise the check "
                "for a condition");
        }
        check_targets(file, check);

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

        if (check.for_frailty) {
          if (!frailty_checks_.try_emplace(check.name.name, Declared{0, &file, &check.name})
                   .second) {
            const Declared& first = frailty_checks_.at(check.name.name);
            error(file, check.name, "duplicate-id",
                  "check " + quote(check.name.name) + " is already declared for a frailty level",
                  "the first is at " + place(*first.file, *first.at) +
                      "; one check per id is raised for frailty: remove one of them");
          } else {
            library_.checks.push_back({&check, &file, 0, check.for_frailty->level, done_by});
          }
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
          library_.checks.push_back({&check, &file, condition, 0, done_by});
        }
      });
    }
  }

  // `every season from DAY MONTH`: the season starts on that day every year, so it must be a
  // day every year has (not 29 February).
  void check_season(const ast::RulesetFile& file, const ast::SeasonStart& season) {
    static constexpr const char* months[] = {"January",   "February", "March",    "April",
                                             "May",       "June",     "July",     "August",
                                             "September", "October",  "November", "December"};
    const bool real = season.day >= 1 && season.month >= 1 && season.month <= 12 &&
                      runtime::Date::from_ymd(2027, season.month, season.day).has_value();
    if (!real) {
      const std::string month =
          season.month >= 1 && season.month <= 12 ? months[season.month - 1] : "?";
      error(file, season, "bad-date",
            quote(std::to_string(season.day) + " " + month) +
                " is not a day that every year has, so a season cannot start on it",
            "start the season on a real day of the month, e.g. 'every season from 1 September'");
    }
  }

  // `due N to M UNIT after onset`: the reminder is raised in the 12 months after onset, so the
  // window must close within them.
  void check_onset_window(const ast::RulesetFile& file, const ast::OnsetWindow& window) {
    const int day_factor[] = {1, 7, 31, 366};
    const int factor = day_factor[static_cast<int>(window.unit)];
    const std::string text = std::to_string(window.from) + " to " + std::to_string(window.to) +
                             " " + unit_name(window.unit, window.to);
    if (window.from < 0 || window.to < window.from) {
      error(file, window, "bad-interval",
            "the window " + text + " after onset does not run forwards",
            "write the earlier time first, e.g. 'due 10 to 56 days after onset'");
    } else if (window.to < 1 || static_cast<long>(window.to) * factor > 366) {
      error(file, window, "bad-interval",
            "the window " + text + " after onset must end between 1 day and 12 months after it",
            "a check due after onset is raised in the 12 months after the diagnosis; for a "
            "recurring check write 'every N months'");
    }
  }

  void check_targets(const ast::RulesetFile& file, const ast::CheckDecl& check) {
    place_ = Place::check;
    const ast::TargetDecl* conditional = nullptr;
    for (const ast::TargetDecl& target : check.targets) {
      if (target.when) {
        check_expression(file, *target.when);
        conditional = &target;
      } else if (conditional) {
        warning(file, target, "target-order",
                "the last target whose 'when' holds applies, so this general target always "
                "overrides the conditional one on line " +
                    std::to_string(conditional->line),
                "write the general target first");
      }
      check_bounds(file, target);
    }
    place_ = Place::review;
  }

  // The values a bound allows, as an interval, to find bounds that contradict each other.
  struct Range {
    double low = -std::numeric_limits<double>::infinity();
    bool low_strict = false;
    double high = std::numeric_limits<double>::infinity();
    bool high_strict = false;

    void narrow(runtime::Comparison op, double limit) {
      using runtime::Comparison;
      const bool strict = op == Comparison::lt || op == Comparison::gt;
      if (op == Comparison::lt || op == Comparison::le || op == Comparison::eq) {
        if (limit < high || (limit == high && strict)) {
          high = limit;
          high_strict = strict;
        }
      }
      if (op == Comparison::gt || op == Comparison::ge || op == Comparison::eq) {
        if (limit > low || (limit == low && strict)) {
          low = limit;
          low_strict = strict;
        }
      }
    }
    bool empty() const { return low > high || (low == high && (low_strict || high_strict)); }
  };

  void check_bounds(const ast::RulesetFile& file, const ast::TargetDecl& target) {
    std::map<runtime::ValueSetIndex, Range> ranges;
    bool never_met = false;  // reported once per target
    for (const ast::Bound& bound : target.bounds) {
      const auto index = resolve_value_set(file, bound.value_set);
      if (!index) continue;
      check_bound_unit(file, bound, *index);
      if (never_met) continue;
      const std::string written = "latest " + bound.value_set.name + " " +
                                  comparison_text(bound.op) + " " + number_text(bound.limit);
      using runtime::Comparison;
      if ((bound.op == Comparison::lt && bound.limit <= 0) ||
          ((bound.op == Comparison::le || bound.op == Comparison::eq) && bound.limit < 0)) {
        warning(file, bound, "never-met",
                quote(written) + " can never be met: measured values are not negative",
                "check the comparison and the limit");
        never_met = true;
        continue;
      }
      Range& range = ranges[*index];
      range.narrow(bound.op, bound.limit);
      if (range.empty()) {
        warning(file, bound, "never-met",
                quote(written) + " contradicts an earlier bound on " + quote(bound.value_set.name) +
                    ", so this target can never be met",
                "a target is met when all its bounds hold: check the comparisons and limits");
        never_met = true;
      }
    }
  }

  void check_bound_unit(const ast::RulesetFile& file, const ast::Bound& bound,
                        runtime::ValueSetIndex index) {
    const auto& set = library_.value_sets[index];
    const std::string& name = set.decl->name.name;
    if (!set.decl->measured) {
      error(
          file, bound.value_set, "no-unit",
          "codes list " + quote(name) + " declares no unit, so a target cannot compare its values",
          "add 'measured in " + bound.unit.text + "' to codes " + name + " at " +
              place(*set.file, *set.decl));
      return;
    }
    const ast::MeasuredIn& measured = *set.decl->measured;
    const std::string& unit = measured.unit.text;
    if (bound.unit.text == unit) return;
    bool converts = false;
    for (const ast::Conversion& conversion : measured.conversions)
      converts = converts || conversion.from.text == bound.unit.text;
    const std::string hint = converts
                                 ? quote(name) + " converts " + bound.unit.text + " to " + unit +
                                       " when it reads records, but its targets are compared in " +
                                       unit + ": write the target in " + unit
                                 : "write the target in " + unit + ", the unit " + quote(name) +
                                       " declares at " + place(*set.file, measured);
    error(file, bound.unit, "unit-mismatch",
          "target is in " + bound.unit.text + " but " + quote(name) + " is measured in " + unit,
          hint);
  }

  // Reports a second declaration of a modifier that a library has at most one of.
  bool first_of(std::optional<std::pair<const ast::RulesetFile*, const ast::Located*>>& first,
                const ast::RulesetFile& file, const ast::Located& at, const std::string& what) {
    if (first) {
      error(file, at, "duplicate-id", what + " is declared twice",
            "the first is at " + place(*first->first, *first->second) + "; remove one of them");
      return false;
    }
    first = std::make_pair(&file, &at);
    return true;
  }

  void check_person() {
    using First = std::optional<std::pair<const ast::RulesetFile*, const ast::Located*>>;
    First frailty[limits::max_frailty + 1];
    First end_of_life;
    First activation;
    for (const ast::RulesetFile& file : files_) {
      for_each_decl<ast::FrailtyDecl>(file, [&](const ast::FrailtyDecl& decl) {
        const std::string level(limits::frailty_level_names.at(decl.level - 1));
        if (first_of(frailty[decl.level], file, decl, "frailty level " + quote(level)))
          resolve_value_set(file, decl.value_set);
      });
      for_each_decl<ast::EndOfLifeDecl>(file, [&](const ast::EndOfLifeDecl& decl) {
        if (!first_of(end_of_life, file, decl, "end of life")) return;
        resolve_value_set(file, decl.value_set);
        std::set<std::string_view> listed;
        for (const ast::Identifier& check : decl.suppresses) {
          if (!listed.insert(check.name).second) {
            error(file, check, "duplicate-id",
                  "check " + quote(check.name) + " is listed twice after 'suppresses'",
                  "remove one of them");
          } else {
            resolve(check_ids_, "check", file, check);
          }
        }
      });
      for_each_decl<ast::ActivationDecl>(file, [&](const ast::ActivationDecl& decl) {
        if (first_of(activation, file, decl, "activation")) resolve_value_set(file, decl.value_set);
      });
    }
    // A check for a frailty level can only be raised if some level at or above it is declared.
    for (const CheckedLibrary::Check& check : library_.checks) {
      if (check.frailty == 0) continue;
      bool recorded = false;
      for (int level = check.frailty; level <= limits::max_frailty; ++level)
        recorded = recorded || frailty[level].has_value();
      if (recorded) continue;
      const std::string level(limits::frailty_level_names.at(check.frailty - 1));
      error(*check.file, *check.decl->for_frailty, "no-frailty",
            "check " + quote(check.decl->name.name) + " is for frailty >= " + level +
                ", but no 'frailty' declaration says how " + level +
                " (or more severe) frailty is recorded, so it could never be raised",
            "declare 'frailty " + level +
                " when record in CODES' (the shipped rulesets do it in "
                "common/person.concord)");
    }
    // The reminders of checks for frailty name the pseudo-condition `frailty`, which no
    // declared condition may also be called.
    if (!frailty_checks_.empty()) {
      if (const auto it = condition_names_.find("frailty"); it != condition_names_.end()) {
        error(*it->second.file, *it->second.at, "duplicate-id",
              "condition 'frailty' clashes with the condition id that the reminders of checks "
              "'for frailty >= LEVEL' carry",
              "rename the condition");
      }
    }
  }

  void check_suppressions() {
    for (const ast::RulesetFile& file : files_) {
      for_each_decl<ast::SuppressDecl>(file, [&](const ast::SuppressDecl& decl) {
        const std::string& scope = decl.scope.name;
        if (!condition_names_.count(scope) && !check_ids_.count(scope)) {
          std::vector<std::string_view> candidates;
          add_names(condition_names_, candidates);
          add_names(check_ids_, candidates);
          report_unknown(file, decl.scope, "condition or check", candidates,
                         "name a condition (to suppress its reminders) or a check (to "
                         "suppress that check for every condition)");
        }
        resolve_value_set(file, decl.value_set);
        const std::string& reason = decl.reason.name;
        if (std::find(limits::known_reasons.begin(), limits::known_reasons.end(), reason) ==
            limits::known_reasons.end()) {
          const std::vector<std::string_view> reasons(limits::known_reasons.begin(),
                                                      limits::known_reasons.end());
          const auto suggestion = closest_name(reason, reasons);
          warning(file, decl.reason, "unknown-reason",
                  quote(reason) + " is not one of the reasons the runtime knows",
                  suggestion ? "did you mean " + quote(*suggestion) + "?"
                             : "the known reasons are declined, informed_dissent, unsuitable, "
                               "end_of_life and frailty");
        }
        if (decl.lasts) check_interval(file, *decl.lasts, "suppression");
      });
    }
  }

  void report_unused() {
    for (std::size_t i = 0; i < library_.value_sets.size(); ++i) {
      if (value_set_used_[i]) continue;
      const auto& set = library_.value_sets[i];
      warning(*set.file, set.decl->name, "unused",
              "codes list " + quote(set.decl->name.name) + " is never used",
              "use it in a condition or a check, or remove it");
    }
    for (std::size_t i = 0; i < library_.conditions.size(); ++i) {
      if (condition_has_check_[i]) continue;
      const auto& condition = library_.conditions[i];
      warning(*condition.file, condition.decl->name, "no-checks",
              "condition " + quote(condition.decl->name.name) + " has no checks",
              "add one: check NAME \"Title\" for " + condition.decl->name.name +
                  " stage tests every 12 months done by observation in CODES");
    }
  }

  const std::vector<ast::RulesetFile>& files_;
  std::vector<Diagnostic>& out_;
  const Extensions& extensions_;
  bool failed_ = false;
  std::map<std::string, std::vector<std::string>, std::less<>> refsets_;  // id -> members
  std::set<std::string, std::less<>> reported_scores_;  // scores already reported as unknown
  std::vector<Expansion> expansion_;                    // by value set index
  std::vector<runtime::ValueSetIndex> expanding_;       // the lists being expanded, outermost first
  // Where the expression being checked sits: a condition's presence may not depend on
  // conditions.
  enum class Place { presence, check, review } place_ = Place::review;
  CheckedLibrary library_;
  NameTable value_set_names_;
  NameTable condition_names_;
  NameTable check_ids_;       // every check id in the library, at its first declaration
  NameTable frailty_checks_;  // ids of the checks `for frailty >= LEVEL`
  std::vector<bool> value_set_used_;
  std::vector<bool> condition_has_check_;
  std::set<StageKind> review_stage_kinds_;  // of the library's first review
};

}  // namespace

std::optional<CheckedLibrary> check(const std::vector<ast::RulesetFile>& files,
                                    std::vector<Diagnostic>& out, const Extensions& extensions) {
  try {
    return Checker(files, out, extensions).run();
  } catch (const std::exception& e) {
    out.push_back({"", 0, 0, Severity::error, "internal",
                   std::string("the checker failed unexpectedly: ") + e.what(),
                   "please report this with the rulesets that caused it"});
    return std::nullopt;
  }
}

}  // namespace concord::dsl
