// Internal: the service's counters, rendered in the Prometheus text exposition format.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "concord/runtime/program.hpp"

namespace concord::cds::detail {

class Metrics {
 public:
  // `route` is the route's pattern ("/cds-services/{id}"), never the raw path, so that the
  // number of series stays small.
  void request(const std::string& route, int status, std::chrono::duration<double> latency);
  void cards(std::size_t count);
  void feedback(const std::string& outcome, const std::string& reason);
  void reload(bool ok);
  void rulesets(const std::vector<runtime::RulesetInfo>& loaded);
  std::string render(std::size_t cached_reviews, std::uint64_t evicted_reviews,
                     std::size_t held_programs) const;

 private:
  static constexpr std::array<double, 12> kBuckets{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                   0.05,   0.1,   0.25,   0.5,   1,    2.5};
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, std::uint64_t> requests_;
  std::array<std::uint64_t, kBuckets.size()> bucket_counts_{};
  std::uint64_t latency_count_ = 0;
  double latency_sum_ = 0;
  std::uint64_t cards_ = 0;
  std::map<std::string, std::uint64_t> feedback_;
  std::map<std::string, std::uint64_t> override_reasons_;
  std::uint64_t reloads_ok_ = 0, reloads_failed_ = 0;
  std::vector<std::pair<std::string, std::string>> rulesets_;
};

}  // namespace concord::cds::detail
