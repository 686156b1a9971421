#include "peer_questions.hpp"

#include <boost/json.hpp>
#include <stdexcept>
#include <string_view>

#include "concord/fhir/read.hpp"

namespace concord::peer {
namespace {

runtime::ConditionIndex condition_named(const runtime::Program& program, std::string_view id) {
  for (runtime::ConditionIndex i = 0; i < program.conditions.size(); ++i) {
    if (program.conditions[i].id == id) return i;
  }
  throw std::runtime_error("the peer library has no condition '" + std::string(id) + "'");
}

runtime::CheckIndex check_named(const runtime::Program& program, runtime::ConditionIndex condition,
                                std::string_view id) {
  for (runtime::CheckIndex i = 0; i < program.checks.size(); ++i) {
    if (program.checks[i].id == id && program.checks[i].condition == condition) return i;
  }
  throw std::runtime_error("the peer library has no check '" + std::string(id) + "' for '" +
                           program.conditions[condition].id + "'");
}

std::vector<std::string> id_list(const boost::json::object& selected, std::string_view key,
                                 const std::string& path) {
  const boost::json::value* list = selected.if_contains(key);
  if (list == nullptr || !list->is_array()) {
    throw std::runtime_error(path + ": /selected/" + std::string(key) +
                             " is missing or not a list of record ids");
  }
  std::vector<std::string> ids;
  for (const boost::json::value& id : list->get_array()) {
    if (!id.is_string()) {
      throw std::runtime_error(path + ": /selected/" + std::string(key) +
                               " holds something other than a record id");
    }
    ids.emplace_back(id.get_string());
  }
  return ids;
}

}  // namespace

Questions find_questions(const runtime::Program& program) {
  Questions q;
  q.diabetes = condition_named(program, "diabetes");
  q.hba1c = check_named(program, q.diabetes, "hba1c");
  q.hypertension = condition_named(program, "hypertension");
  q.bp = check_named(program, q.hypertension, "bp");
  return q;
}

Answer answer(const Questions& questions, const runtime::Evaluation& evaluation) {
  Answer out;
  for (const runtime::Reminder& r : evaluation.reminders) {
    const bool overdue = r.status == runtime::ReminderStatus::overdue;
    if (r.condition == questions.diabetes && r.check == questions.hba1c) {
      out.diabetes_hba1c = overdue || (r.target && r.target->met == false);
    } else if (r.condition == questions.hypertension && r.check == questions.bp) {
      out.hypertension_bp = overdue;
    }
  }
  return out;
}

std::map<std::string, std::set<std::string>> codes_by_value_set(const runtime::Program& program) {
  std::map<std::string, std::set<std::string>> out;
  for (const runtime::ValueSetDef& set : program.value_sets)
    out[set.name];
  for (const auto& [key, sets] : program.code_index) {
    for (runtime::ValueSetIndex set : sets)
      out[program.value_sets[set].name].insert(key);
  }
  return out;
}

Selection read_selection(const std::string& path) {
  std::string text;
  if (auto issue = fhir::load_text_file(path, text)) {
    throw std::runtime_error(path + ": " + issue->message);
  }
  boost::system::error_code ec;
  const boost::json::value doc = boost::json::parse(text, ec);
  if (ec) throw std::runtime_error(path + ": not JSON (" + ec.message() + ")");
  const boost::json::object* root = doc.if_object();
  const boost::json::value* selected = root ? root->if_contains("selected") : nullptr;
  if (selected == nullptr || !selected->is_object()) {
    throw std::runtime_error(path +
                             ": no \"selected\" object with the people each question selects");
  }
  return {id_list(selected->get_object(), "a", path), id_list(selected->get_object(), "b", path)};
}

}  // namespace concord::peer
