#include "service/progress_log.h"

#include "absl/strings/str_format.h"

namespace pm::service {

using Clock = ProgressMeter::Clock;

ProgressLog::ProgressLog(std::ostream& out) : out_(out) {}

void ProgressLog::Start(std::string_view task, size_t total) {
  std::lock_guard<std::mutex> lock(mu_);
  const auto now = Clock::now();
  meter_.Start(task, total, now);
  logged_ = total >= kMinLoggedItems;
  next_tenth_ = 1;
  last_line_ = now;
  if (logged_) {
    out_ << "partner-match: " << meter_.task() << ": "
         << Thousands(total) << " to do" << std::endl;
  }
}

void ProgressLog::Update(size_t done) {
  std::lock_guard<std::mutex> lock(mu_);
  meter_.Update(done);
  if (!logged_ || done * 10 < next_tenth_ * meter_.total()) return;
  while (done * 10 >= next_tenth_ * meter_.total()) ++next_tenth_;
  const auto now = Clock::now();
  if (done < meter_.total() && now - last_line_ < std::chrono::seconds(1)) {
    return;
  }
  last_line_ = now;
  out_ << absl::StrFormat("partner-match: %s: %s (%d%%)", meter_.task(),
                          meter_.Figures(now),
                          static_cast<int>(100 * done / meter_.total()))
       << std::endl;
}

void ProgressLog::Finish() {
  std::lock_guard<std::mutex> lock(mu_);
  if (!logged_) return;
  const auto now = Clock::now();
  out_ << absl::StrFormat("partner-match: %s: done, %s in %s",
                          meter_.task(), Thousands(meter_.done()),
                          Duration(meter_.Elapsed(now)))
       << std::endl;
  logged_ = false;
}

}  // namespace pm::service
