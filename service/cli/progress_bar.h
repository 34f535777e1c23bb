// The progress bar of long commands on a terminal (import, opening a large
// store, plan, report, suggest --csv), on stderr:
//   extracting themes  [###########.........]  5,512/10,000  1,203/s  0:04 left
// Redrawn in place at most ten times a second, cleared when the task ends.
// Silent unless stdout and stderr are both terminals, and with --quiet.
#ifndef PARTNER_MATCH_SERVICE_CLI_PROGRESS_BAR_H_
#define PARTNER_MATCH_SERVICE_CLI_PROGRESS_BAR_H_

#include "engine/common/progress.h"
#include "service/cli/cli_common.h"
#include "service/progress_meter.h"

namespace pm::cli {

class ProgressBar : public Progress {
 public:
  // Reads ctx.quiet when a task starts (after the options are parsed).
  explicit ProgressBar(const Context& ctx);
  void Start(std::string_view task, size_t total) override;
  void Update(size_t done) override;
  void Finish() override;

 private:
  void Draw(service::ProgressMeter::Clock::time_point now);

  const Context& ctx_;
  bool shown_ = false;  // the current task is drawn
  service::ProgressMeter meter_;
  service::ProgressMeter::Clock::time_point last_draw_;
};

}  // namespace pm::cli

#endif  // PARTNER_MATCH_SERVICE_CLI_PROGRESS_BAR_H_
