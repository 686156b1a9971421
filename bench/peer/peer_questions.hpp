// The two questions of the peer benchmark, read from Concord's evaluation of the peer library
// (bench/peer/concord): (a) diabetes with the latest HbA1c older than 12 months or above
// 58 mmol/mol, (b) hypertension with the latest BP older than 12 months.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "concord/runtime/evaluate.hpp"
#include "concord/runtime/program.hpp"

namespace concord::peer {

// Where the questions' condition and checks are in a compiled peer library.
struct Questions {
  runtime::ConditionIndex diabetes = 0;
  runtime::CheckIndex hba1c = 0;
  runtime::ConditionIndex hypertension = 0;
  runtime::CheckIndex bp = 0;
};

// Finds the conditions and checks; throws std::runtime_error naming what a library lacks.
Questions find_questions(const runtime::Program& program);

struct Answer {
  bool diabetes_hba1c = false;   // question (a)
  bool hypertension_bp = false;  // question (b)
};

// (a): the hba1c reminder of diabetes is overdue or its target (<= 58 mmol/mol) is not met;
// (b): the bp reminder of hypertension is overdue. No reminder: the condition is absent.
Answer answer(const Questions& questions, const runtime::Evaluation& evaluation);

// The code keys (runtime::code_key: "snomed|73211009") of every value set, by name.
std::map<std::string, std::set<std::string>> codes_by_value_set(const runtime::Program& program);

// The people each question selects, by record id, sorted: {"a": [...], "b": [...]}, as the
// CQL runner writes them (cql_bench.js) and as the expected list is kept.
struct Selection {
  std::vector<std::string> a;
  std::vector<std::string> b;
  friend bool operator==(const Selection&, const Selection&) = default;
};

// Reads a Selection from the "selected" object of a result file; throws std::runtime_error
// naming the file and what is wrong with it.
Selection read_selection(const std::string& path);

}  // namespace concord::peer
