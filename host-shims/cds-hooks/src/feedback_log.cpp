#include "feedback_log.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <boost/json.hpp>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>

namespace concord::cds::detail {

std::string FeedbackLog::open(const std::filesystem::path& path) {
  if (path.empty()) return {};  // not stored: counted in the metrics only
  fd_ = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd_ < 0) {
    return path.string() + ": cannot open the feedback file for appending (" +
           std::strerror(errno) + "); give a writable path";
  }
  return {};
}

FeedbackLog::~FeedbackLog() {
  if (fd_ >= 0) ::close(fd_);
}

bool FeedbackLog::append(const FeedbackEntry& entry) {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char received[32];
  std::strftime(received, sizeof received, "%Y-%m-%dT%H:%M:%SZ", &utc);
  boost::json::object line{{"received", received},
                           {"service", entry.service},
                           {"card", entry.card},
                           {"outcome", entry.outcome},
                           {"outcome_timestamp", entry.outcome_timestamp},
                           {"accepted_suggestions", entry.accepted_suggestions}};
  if (!entry.override_reason.empty()) line["override_reason"] = entry.override_reason;
  const std::string text = boost::json::serialize(line) + "\n";

  std::lock_guard lock(mutex_);
  if (fd_ < 0) return true;
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd_, text.data() + written, text.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    written += static_cast<std::size_t>(n);
  }
  return ::fsync(fd_) == 0;
}

}  // namespace concord::cds::detail
