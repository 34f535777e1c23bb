// What a progress display says about a task: items done of the total, the
// rate, the time left. Shared by the terminal bar (service/cli/
// progress_bar.h) and the server's log (service/progress_log.h), so both
// show the same figures.
#ifndef PARTNER_MATCH_SERVICE_PROGRESS_METER_H_
#define PARTNER_MATCH_SERVICE_PROGRESS_METER_H_

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

namespace pm::service {

class ProgressMeter {
 public:
  using Clock = std::chrono::steady_clock;

  void Start(std::string_view task, size_t total, Clock::time_point now);
  void Update(size_t done) { done_ = done; }

  const std::string& task() const { return task_; }
  size_t done() const { return done_; }
  size_t total() const { return total_; }
  // Seconds since Start.
  double Elapsed(Clock::time_point now) const;
  // Items per second so far (0 before the first second's tenth).
  double Rate(Clock::time_point now) const;
  // "4,512/10,000  1,203/s  0:04 left" (no total: "4,512  1,203/s"; the
  // rate only from 1 a second).
  std::string Figures(Clock::time_point now) const;

 private:
  std::string task_;
  size_t total_ = 0;
  size_t done_ = 0;
  Clock::time_point start_;
};

// 10000 → "10,000".
std::string Thousands(size_t n);
// Seconds as "0:04", "12:30", "1:02:03".
std::string Duration(double seconds);

}  // namespace pm::service

#endif  // PARTNER_MATCH_SERVICE_PROGRESS_METER_H_
