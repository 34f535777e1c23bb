#include "service/cli/progress_bar.h"

#include <unistd.h>

#include <cstdio>
#include <string>

namespace pm::cli {

using Clock = service::ProgressMeter::Clock;

ProgressBar::ProgressBar(const Context& ctx) : ctx_(ctx) {}

void ProgressBar::Start(std::string_view task, size_t total) {
  shown_ = !ctx_.quiet && ::isatty(STDOUT_FILENO) == 1 &&
           ::isatty(STDERR_FILENO) == 1;
  const Clock::time_point now = Clock::now();
  meter_.Start(task, total, now);
  if (shown_) Draw(now);
}

void ProgressBar::Update(size_t done) {
  meter_.Update(done);
  if (!shown_) return;
  const Clock::time_point now = Clock::now();
  if (now - last_draw_ < std::chrono::milliseconds(100) &&
      done != meter_.total()) {
    return;
  }
  Draw(now);
}

void ProgressBar::Finish() {
  if (shown_) std::fputs("\r\033[K", stderr);
  std::fflush(stderr);
  shown_ = false;
}

void ProgressBar::Draw(Clock::time_point now) {
  last_draw_ = now;
  constexpr size_t kWidth = 24;
  std::string bar;
  if (meter_.total() > 0) {
    const size_t filled =
        std::min(kWidth, meter_.done() * kWidth / meter_.total());
    bar = "  [" + std::string(filled, '#') + std::string(kWidth - filled, '.') + "]";
  }
  std::fprintf(stderr, "\r\033[K%s%s  %s", meter_.task().c_str(), bar.c_str(),
               meter_.Figures(now).c_str());
  std::fflush(stderr);
}

}  // namespace pm::cli
