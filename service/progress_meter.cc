#include "service/progress_meter.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace pm::service {

std::string Thousands(size_t n) {
  std::string digits = absl::StrCat(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string Duration(double seconds) {
  const long s = std::lround(std::max(0.0, seconds));
  if (s >= 3600) {
    return absl::StrFormat("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
  }
  return absl::StrFormat("%d:%02d", s / 60, s % 60);
}

void ProgressMeter::Start(std::string_view task, size_t total,
                          Clock::time_point now) {
  task_ = std::string(task);
  total_ = total;
  done_ = 0;
  start_ = now;
}

double ProgressMeter::Elapsed(Clock::time_point now) const {
  return std::chrono::duration<double>(now - start_).count();
}

double ProgressMeter::Rate(Clock::time_point now) const {
  const double elapsed = Elapsed(now);
  return elapsed < 0.1 ? 0 : static_cast<double>(done_) / elapsed;
}

std::string ProgressMeter::Figures(Clock::time_point now) const {
  const double rate = Rate(now);
  std::string out = total_ > 0
                        ? absl::StrCat(Thousands(done_), "/", Thousands(total_))
                        : Thousands(done_);
  if (rate >= 1) {
    absl::StrAppend(&out, "  ", Thousands(static_cast<size_t>(rate)), "/s");
  }
  if (rate > 0) {
    if (total_ > done_) {
      absl::StrAppend(&out, "  ",
                      Duration(static_cast<double>(total_ - done_) / rate),
                      " left");
    }
  }
  return out;
}

}  // namespace pm::service
