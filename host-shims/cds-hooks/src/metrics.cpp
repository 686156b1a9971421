#include "metrics.hpp"

#include <sstream>

#include "review_cache.hpp"

namespace concord::cds::detail {
namespace {

// Label values are escaped as the exposition format asks (backslash, quote, newline).
std::string label(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    out += c == '\n' ? 'n' : c;
  }
  return out;
}

}  // namespace

void Metrics::request(const std::string& route, int status, std::chrono::duration<double> latency) {
  std::lock_guard lock(mutex_);
  ++requests_[{route, status}];
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (latency.count() <= kBuckets[i]) ++bucket_counts_[i];
  }
  ++latency_count_;
  latency_sum_ += latency.count();
}

void Metrics::cards(std::size_t count) {
  std::lock_guard lock(mutex_);
  cards_ += count;
}

void Metrics::feedback(const std::string& outcome, const std::string& reason) {
  std::lock_guard lock(mutex_);
  ++feedback_[outcome];
  if (!reason.empty()) ++override_reasons_[reason];
}

void Metrics::reload(bool ok) {
  std::lock_guard lock(mutex_);
  ++(ok ? reloads_ok_ : reloads_failed_);
}

void Metrics::rulesets(const std::vector<runtime::RulesetInfo>& loaded) {
  std::lock_guard lock(mutex_);
  rulesets_.clear();
  for (const auto& r : loaded)
    rulesets_.emplace_back(r.name, r.version);
}

std::string Metrics::render(std::size_t cached_reviews, std::uint64_t evicted_reviews,
                            std::size_t held_programs) const {
  std::lock_guard lock(mutex_);
  std::ostringstream out;
  out << "# HELP concord_http_requests_total HTTP requests by route and status.\n"
         "# TYPE concord_http_requests_total counter\n";
  for (const auto& [key, count] : requests_) {
    out << "concord_http_requests_total{path=\"" << label(key.first) << "\",status=\"" << key.second
        << "\"} " << count << "\n";
  }
  out << "# HELP concord_http_request_duration_seconds Time from a request's arrival to its "
         "response.\n# TYPE concord_http_request_duration_seconds histogram\n";
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    out << "concord_http_request_duration_seconds_bucket{le=\"" << kBuckets[i] << "\"} "
        << bucket_counts_[i] << "\n";
  }
  out << "concord_http_request_duration_seconds_bucket{le=\"+Inf\"} " << latency_count_ << "\n"
      << "concord_http_request_duration_seconds_sum " << latency_sum_ << "\n"
      << "concord_http_request_duration_seconds_count " << latency_count_ << "\n";
  out << "# HELP concord_cards_returned_total CDS Hooks cards returned.\n"
         "# TYPE concord_cards_returned_total counter\n"
      << "concord_cards_returned_total " << cards_ << "\n";
  out << "# HELP concord_feedback_total Card feedback by outcome.\n"
         "# TYPE concord_feedback_total counter\n";
  for (const auto& [outcome, count] : feedback_) {
    out << "concord_feedback_total{outcome=\"" << label(outcome) << "\"} " << count << "\n";
  }
  out << "# HELP concord_override_reasons_total Overridden cards by the reason chosen.\n"
         "# TYPE concord_override_reasons_total counter\n";
  for (const auto& [reason, count] : override_reasons_) {
    out << "concord_override_reasons_total{reason=\"" << label(reason) << "\"} " << count << "\n";
  }
  out << "# HELP concord_reloads_total Ruleset reloads by result.\n"
         "# TYPE concord_reloads_total counter\n"
      << "concord_reloads_total{result=\"ok\"} " << reloads_ok_ << "\n"
      << "concord_reloads_total{result=\"failed\"} " << reloads_failed_ << "\n";
  out << "# HELP concord_ruleset_info The rulesets in service (1 for each).\n"
         "# TYPE concord_ruleset_info gauge\n";
  for (const auto& [name, version] : rulesets_) {
    out << "concord_ruleset_info{name=\"" << label(name) << "\",version=\"" << label(version)
        << "\"} 1\n";
  }
  out << "# HELP concord_review_cache_entries Reviews held for their review page.\n"
         "# TYPE concord_review_cache_entries gauge\n"
      << "concord_review_cache_entries " << cached_reviews << "\n"
      << "# HELP concord_review_cache_evictions_total Reviews dropped before their time was up, "
         "to make room, or because they were made with the oldest of more than "
      << ReviewCache::kMaxPrograms
      << " ruleset versions: card links that stopped working early (raise [service] "
         "review_links).\n"
         "# TYPE concord_review_cache_evictions_total counter\n"
      << "concord_review_cache_evictions_total " << evicted_reviews << "\n"
      << "# HELP concord_review_cache_programs Ruleset versions the held reviews keep in memory "
         "(at most "
      << ReviewCache::kMaxPrograms
      << ").\n"
         "# TYPE concord_review_cache_programs gauge\n"
      << "concord_review_cache_programs " << held_programs << "\n";
  return out.str();
}

}  // namespace concord::cds::detail
