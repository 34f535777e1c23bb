// Progress of long work in the server's log (stderr): one line when a task
// of at least kMinLoggedItems starts, at every tenth done (at most one line
// a second), and when it ends, with the figures of the terminal bar:
//   partner-match: extracting themes: 5,000/10,000 (50%)  1,203/s  0:04 left
#ifndef PARTNER_MATCH_SERVICE_PROGRESS_LOG_H_
#define PARTNER_MATCH_SERVICE_PROGRESS_LOG_H_

#include <mutex>
#include <ostream>

#include "engine/common/progress.h"
#include "service/progress_meter.h"

namespace pm::service {

// Thread-safe; tasks of concurrent requests (two plans at once) share the
// one meter, so their lines may mix.
class ProgressLog : public Progress {
 public:
  // Tasks with fewer items are not logged (a request's small upsert).
  static constexpr size_t kMinLoggedItems = 1000;

  explicit ProgressLog(std::ostream& out);
  void Start(std::string_view task, size_t total) override;
  void Update(size_t done) override;
  void Finish() override;

 private:
  std::mutex mu_;
  std::ostream& out_;
  ProgressMeter meter_;
  bool logged_ = false;  // the current task is logged
  size_t next_tenth_ = 1;
  ProgressMeter::Clock::time_point last_line_;
};

}  // namespace pm::service

#endif  // PARTNER_MATCH_SERVICE_PROGRESS_LOG_H_
