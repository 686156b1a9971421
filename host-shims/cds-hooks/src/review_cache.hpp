// Internal: the evaluated reviews behind the cards returned, kept for the review page. Each
// entry holds a snapshot of the review (what the page reads of the record, a few kilobytes;
// not the record itself) and the Program it was evaluated with, because the Evaluation points
// into both. Bounded in number and in age; the oldest go first. Bounded too in the Programs
// they keep alive: a Program is megabytes (the shipped library about 4 MB), and reviews made
// before each of many reloads would otherwise keep one each, for as long as their links last.
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
  // At most this many Programs are kept: when a review needs one more, the reviews made with
  // the oldest go (counted as evicted). Reloads are rare in service, so in practice only a
  // burst of them (or a soak test) ever reaches it.
  static constexpr std::size_t kMaxPrograms = 8;

  ReviewCache(std::size_t capacity, std::chrono::seconds ttl) : capacity_(capacity), ttl_(ttl) {}

  void put(const std::string& uuid, std::shared_ptr<CachedReview> review,
           std::chrono::steady_clock::time_point now) {
    if (capacity_ == 0) return;
    review->expires = now + ttl_;
    Dropped dropped;  // freed after the lock is released: a Program, thousands of allocations
    std::lock_guard lock(mutex_);
    drop_expired(now, dropped);
    if (const auto reused = entries_.find(uuid); reused != entries_.end()) {
      drop(reused, dropped);  // a card id is never reused; if it were, the new review wins
      std::erase(order_, uuid);
    }
    while (!order_.empty() && entries_.size() >= capacity_) {
      if (entries_.contains(order_.front())) ++evicted_;
      drop(entries_.find(order_.front()), dropped);
      order_.pop_front();
    }
    const runtime::Program* program = review->program.get();
    if (!program_entries_.contains(program)) {
      while (programs_.size() >= kMaxPrograms)
        drop_program(programs_.front(), dropped);
      programs_.push_back(program);
    }
    ++program_entries_[program];
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

  // How many Programs the kept reviews hold.
  std::size_t programs() const {
    std::lock_guard lock(mutex_);
    return programs_.size();
  }

 private:
  using Entries = std::unordered_map<std::string, std::shared_ptr<const CachedReview>>;
  using Dropped = std::vector<std::shared_ptr<const CachedReview>>;

  // Takes the entry out; the review itself goes to `dropped`, to be freed outside the lock.
  void drop(Entries::iterator entry, Dropped& dropped) {
    if (entry == entries_.end()) return;
    const runtime::Program* program = entry->second->program.get();
    if (const auto counted = program_entries_.find(program);
        counted != program_entries_.end() && --counted->second == 0) {
      program_entries_.erase(counted);
      std::erase(programs_, program);
    }
    dropped.push_back(std::move(entry->second));
    entries_.erase(entry);
  }

  // Every review made with `program` goes, and with the last of them the Program.
  void drop_program(const runtime::Program* program, Dropped& dropped) {
    std::deque<std::string> kept;
    for (std::string& uuid : order_) {
      const auto entry = entries_.find(uuid);
      if (entry == entries_.end()) continue;
      if (entry->second->program.get() == program) {
        drop(entry, dropped);
        ++evicted_;
      } else {
        kept.push_back(std::move(uuid));
      }
    }
    order_ = std::move(kept);
    std::erase(programs_, program);  // when it had no entry left to take it out
    program_entries_.erase(program);
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
  std::unordered_map<const runtime::Program*, std::size_t> program_entries_;  // entries each
  std::deque<const runtime::Program*> programs_;  // the Programs held, oldest first
};

}  // namespace concord::cds::detail
