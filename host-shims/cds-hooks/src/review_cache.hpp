// Internal: the evaluated reviews behind the cards returned, kept for the review page. Each
// entry owns its Record and holds the Program it was evaluated with, because the Evaluation
// points into both. Bounded in number and in age; the oldest go first.
#pragma once

#include <chrono>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "concord/runtime/evaluate.hpp"

namespace concord::cds::detail {

struct CachedReview {
  std::shared_ptr<const runtime::Program> program;
  std::unique_ptr<const runtime::Record> record;
  runtime::Evaluation evaluation;
  std::chrono::steady_clock::time_point expires;
};

class ReviewCache {
 public:
  ReviewCache(std::size_t capacity, std::chrono::seconds ttl) : capacity_(capacity), ttl_(ttl) {}

  void put(const std::string& uuid, std::shared_ptr<CachedReview> review,
           std::chrono::steady_clock::time_point now) {
    review->expires = now + ttl_;
    std::lock_guard lock(mutex_);
    drop_expired(now);
    while (!order_.empty() && entries_.size() >= capacity_) {
      entries_.erase(order_.front());
      order_.pop_front();
    }
    if (capacity_ == 0) return;
    entries_[uuid] = std::move(review);
    order_.push_back(uuid);
  }

  std::shared_ptr<const CachedReview> get(const std::string& uuid,
                                          std::chrono::steady_clock::time_point now) {
    std::lock_guard lock(mutex_);
    drop_expired(now);
    const auto found = entries_.find(uuid);
    return found == entries_.end() ? nullptr : found->second;
  }

  std::size_t size() const {
    std::lock_guard lock(mutex_);
    return entries_.size();
  }

 private:
  // Entries are added in time order with one lifetime, so the expired ones are at the front.
  void drop_expired(std::chrono::steady_clock::time_point now) {
    while (!order_.empty()) {
      const auto found = entries_.find(order_.front());
      if (found != entries_.end() && found->second->expires > now) break;
      if (found != entries_.end()) entries_.erase(found);
      order_.pop_front();
    }
  }

  std::size_t capacity_;
  std::chrono::seconds ttl_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<const CachedReview>> entries_;
  std::deque<std::string> order_;
};

}  // namespace concord::cds::detail
