// Internal: the append-only feedback file. Each line is one JSON object holding the card's
// uuid, the outcome, the times and the override reason code: never a patient identifier or
// the clinician's free-text comment.
#pragma once

#include <filesystem>
#include <mutex>
#include <string>

namespace concord::cds::detail {

struct FeedbackEntry {
  std::string service;
  std::string card;
  std::string outcome;            // "accepted" or "overridden"
  std::string outcome_timestamp;  // as the CDS Client gave it
  std::string override_reason;    // a code, or empty
  std::size_t accepted_suggestions = 0;
};

class FeedbackLog {
 public:
  // Opens (creating) the file for appending; returns an error message, or empty.
  std::string open(const std::filesystem::path& path);
  ~FeedbackLog();
  // Appends one line and waits until it is on disk (fsync). Returns false when it could not.
  bool append(const FeedbackEntry& entry);

 private:
  std::mutex mutex_;
  int fd_ = -1;
};

}  // namespace concord::cds::detail
