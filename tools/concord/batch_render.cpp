// One person's batch output (JSON line or CSV row) and the batch summary.
#include <boost/json.hpp>

#include <cstdio>
#include <utility>

#include "batch.hpp"

namespace concord::tools::batch {

PersonStats person_stats(const runtime::Evaluation& evaluation) {
  PersonStats stats;
  stats.conditions.reserve(evaluation.conditions.size());
  for (const auto& present : evaluation.conditions)
    stats.conditions.push_back(present.condition);
  for (const auto& reminder : evaluation.reminders) {
    if (reminder.status == runtime::ReminderStatus::overdue) ++stats.overdue;
    if (reminder.status == runtime::ReminderStatus::suppressed) ++stats.suppressed;
  }
  if (evaluation.review) {
    stats.review =
        evaluation.review->merged ? PersonStats::Review::merged : PersonStats::Review::single;
    stats.replaces = evaluation.review->replaces;
    stats.review_checks = static_cast<int>(evaluation.review->checks.size());
  }
  return stats;
}

std::string csv_field(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string quoted = "\"";
  for (const char c : text) {
    if (c == '"') quoted.push_back('"');
    quoted.push_back(c);
  }
  quoted.push_back('"');
  return quoted;
}

std::string csv_header() {
  return "record_id,source,conditions,review_kind,due_date,checks,replaces,suppressed,overdue\n";
}

namespace {

std::string joined(const std::vector<std::string>& items) {
  std::string text;
  for (const auto& item : items) {
    if (!text.empty()) text.push_back(';');
    text.append(item);
  }
  return text;
}

std::string render_csv(const runtime::Program& program, const runtime::Record& record,
                       const runtime::Evaluation& evaluation) {
  const PersonStats stats = person_stats(evaluation);
  std::vector<std::string> conditions;
  for (const auto index : stats.conditions)
    conditions.push_back(program.conditions[index].id);
  const auto& review = evaluation.review;
  const char* kind = !review ? "none" : review->merged ? "merged" : "single";
  std::string row;
  row.append(csv_field(record.id)).push_back(',');
  row.append(csv_field(record.source)).push_back(',');
  row.append(csv_field(joined(conditions))).push_back(',');
  row.append(kind).push_back(',');
  row.append(review ? review->due_date.iso() : std::string()).push_back(',');
  row.append(csv_field(review ? joined(review->checks) : std::string())).push_back(',');
  row.append(std::to_string(stats.replaces)).push_back(',');
  row.append(std::to_string(stats.suppressed)).push_back(',');
  row.append(std::to_string(stats.overdue)).push_back('\n');
  return row;
}

}  // namespace

std::string render_person(const runtime::Program& program, const runtime::Record& record,
                          const runtime::Evaluation& evaluation,
                          const std::vector<runtime::OutputNote>& notes, Format format) {
  if (format == Format::csv) return render_csv(program, record, evaluation);
  std::string line = runtime::render_json(program, record, evaluation, notes);
  line.push_back('\n');
  return line;
}

void Summary::add(const PersonStats& person) {
  ++records_;
  for (const auto condition : person.conditions)
    ++conditions_[condition];
  if (person.review == PersonStats::Review::merged) ++merged_;
  if (person.review == PersonStats::Review::single) ++single_;
  replaces_ += static_cast<std::uint64_t>(person.replaces);
  review_checks_ += static_cast<std::uint64_t>(person.review_checks);
  overdue_ += static_cast<std::uint64_t>(person.overdue);
  suppressed_ += static_cast<std::uint64_t>(person.suppressed);
}

void Summary::add_failure(Failure failure) {
  ++failed_;
  if (failures_.size() < kMaxListedFailures) failures_.push_back(std::move(failure));
}

namespace {

// Numbers as people write them (boost::json would write 5 as 5E0).
std::string decimal(double value, int places) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", places, value);
  return text;
}

std::string ratio(std::uint64_t a, std::uint64_t b) {
  return decimal(b == 0 ? 0.0 : static_cast<double>(a) / static_cast<double>(b), 2);
}

std::string json_string(std::string_view text) {
  return boost::json::serialize(boost::json::string(text));
}

}  // namespace

std::string Summary::to_json(const runtime::Program& program, runtime::Date date, unsigned jobs,
                             double elapsed_seconds) const {
  const auto n = [](std::uint64_t value) { return std::to_string(value); };
  std::string failures;
  for (const auto& f : failures_) {
    failures.append(failures.empty() ? "\n" : ",\n");
    // No file name here: record files are often named by the person (an NHS number, a
    // patient id). The batch's stderr names each file next to the same message.
    failures.append("    {\"where\": " + json_string(f.where) +
                    ", \"message\": " + json_string(f.message) + "}");
  }
  std::string conditions;
  for (std::size_t i = 0; i < program.conditions.size(); ++i) {
    if (program.conditions[i].frailty) continue;  // a reminder's owner, never a register
    const auto found = conditions_.find(static_cast<runtime::ConditionIndex>(i));
    conditions.append(conditions.empty() ? "\n" : ",\n");
    conditions.append("    " + json_string(program.conditions[i].id) + ": " +
                      n(found == conditions_.end() ? 0 : found->second));
  }
  const std::uint64_t reviews = merged_ + single_;
  const double rate = elapsed_seconds > 0 ? static_cast<double>(records_) / elapsed_seconds : 0.0;
  std::string text = "{\n";
  text += "  \"concord_batch_summary\": 1,\n";
  text += "  \"evaluation_date\": \"" + date.iso() + "\",\n";
  text += "  \"jobs\": " + std::to_string(jobs) + ",\n";
  text += "  \"inputs\": " + n(inputs_) + ",\n";
  text += "  \"records_read\": " + n(records_) + ",\n";
  text += "  \"records_failed\": " + n(failed_) + ",\n";
  text += "  \"failures\": [" + failures + (failures.empty() ? "" : "\n  ") + "],\n";
  text += "  \"warnings\": " + n(warnings_) + ",\n";
  text += "  \"people_with_review\": {\"merged\": " + n(merged_) + ", \"single\": " + n(single_) +
          ", \"total\": " + n(reviews) + ", \"none\": " + n(records_ - reviews) + "},\n";
  text += "  \"reminders\": {\"single_reminders_replaced\": " + n(replaces_) +
          ", \"review_checks\": " + n(review_checks_) + ", \"reviews\": " + n(reviews) +
          ", \"replaced_per_review\": " + ratio(replaces_, reviews) +
          ", \"replaced_per_review_check\": " + ratio(replaces_, review_checks_) +
          ", \"overdue\": " + n(overdue_) + ", \"suppressed\": " + n(suppressed_) + "},\n";
  text += "  \"conditions\": {" + conditions + (conditions.empty() ? "" : "\n  ") + "},\n";
  text += "  \"elapsed_seconds\": " + decimal(elapsed_seconds, 3) + ",\n";
  text += "  \"records_per_second\": " + decimal(rate, 0) + "\n";
  text += "}\n";
  return text;
}

}  // namespace concord::tools::batch
