// Internal: the evaluated reviews behind the cards returned, kept for the review page. Each
// entry holds a snapshot of the review (what the page reads of the record, a few kilobytes;
// not the record itself) and the Program it was evaluated with, because the Evaluation points
// into both. Bounded in number and in age; the oldest go first.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "concord/runtime/view.hpp"

namespace concord::cds::detail {

struct CachedReview {
  std::shared_ptr<const runtime::Program> program;
  std::unique_ptr<const runtime::ViewSnapshot> view;
  std::chrono::steady_clock::time_point expires;
};

class ReviewCache {
 public:
  ReviewCache(std::size_t capacity, std::chrono::seconds ttl) : capacity_(capacity), ttl_(ttl) {}

  void put(const std::string& uuid, std::shared_ptr<CachedReview> review,
           std::chrono::steady_clock::time_point now) {
    review->expires = now + ttl_;
    Dropped dropped;  // freed after the lock is released: a Record is thousands of allocations
    std::lock_guard lock(mutex_);
    drop_expired(now, dropped);
    while (!order_.empty() && entries_.size() >= capacity_) {
      drop(entries_.find(order_.front()), dropped);
      order_.pop_front();
      ++evicted_;
    }
    if (capacity_ == 0) return;
    entries_[uuid] = std::move(review);
    order_.push_back(uuid);
  }

  // Entries dropped to make room before they expired: links that stopped working early.
  std::uint64_t evicted() const {
    std::lock_guard lock(mutex_);
    return evicted_;
  }

  std::shared_ptr<const CachedReview> get(const std::string& uuid,
                                          std::chrono::steady_clock::time_point now) {
    Dropped dropped;
    std::lock_guard lock(mutex_);
    drop_expired(now, dropped);
    const auto found = entries_.find(uuid);
    return found == entries_.end() ? nullptr : found->second;
  }

  std::size_t size() const {
    std::lock_guard lock(mutex_);
    return entries_.size();
  }

 private:
  using Entries = std::unordered_map<std::string, std::shared_ptr<const CachedReview>>;
  using Dropped = std::vector<std::shared_ptr<const CachedReview>>;

  // Takes the entry out; the review itself goes to `dropped`, to be freed outside the lock.
  void drop(Entries::iterator entry, Dropped& dropped) {
    if (entry == entries_.end()) return;
    dropped.push_back(std::move(entry->second));
    entries_.erase(entry);
  }

  // Entries are added in time order with one lifetime, so the expired ones are at the front.
  void drop_expired(std::chrono::steady_clock::time_point now, Dropped& dropped) {
    while (!order_.empty()) {
      const auto found = entries_.find(order_.front());
      if (found != entries_.end() && found->second->expires > now) break;
      drop(found, dropped);
      order_.pop_front();
    }
  }

  std::size_t capacity_;
  std::chrono::seconds ttl_;
  mutable std::mutex mutex_;
  Entries entries_;
  std::deque<std::string> order_;
  std::uint64_t evicted_ = 0;
};

}  // namespace concord::cds::detail
