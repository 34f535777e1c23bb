// Progress of long work (extracting the themes of thousands of profiles,
// scoring a large cohort's pairs), reported by the engine to whoever shows
// it: a progress bar on a terminal (service/cli/progress_bar.h), milestones
// in the server's log (service/progress_log.h). The engine only counts; it
// never knows how progress is shown.
#ifndef PARTNER_MATCH_ENGINE_COMMON_PROGRESS_H_
#define PARTNER_MATCH_ENGINE_COMMON_PROGRESS_H_

#include <cstddef>
#include <string_view>

namespace pm {

// Receives the steps of one task after another. The engine calls it from the
// thread that does the work, once per item: implementations keep Update
// cheap (e.g. redraw at most a few times a second).
class Progress {
 public:
  virtual ~Progress() = default;
  // A task of `total` items begins, e.g. ("extracting themes", 10000).
  virtual void Start(std::string_view task, size_t total) = 0;
  // `done` (≤ total) items of the current task are done.
  virtual void Update(size_t done) = 0;
  // The current task has ended (all done, or abandoned on an error).
  virtual void Finish() = 0;
};

// One task on an optional Progress (null: nothing is reported): Start on
// construction, Step per item, Finish on destruction.
class ProgressTask {
 public:
  ProgressTask(Progress* progress, std::string_view task, size_t total)
      : progress_(progress) {
    if (progress_ != nullptr) progress_->Start(task, total);
  }
  ProgressTask(const ProgressTask&) = delete;
  ProgressTask& operator=(const ProgressTask&) = delete;
  ~ProgressTask() {
    if (progress_ != nullptr) progress_->Finish();
  }
  // One more item is done.
  void Step() { Done(done_ + 1); }
  // `done` items are done (at least as many as before).
  void Done(size_t done) {
    done_ = done;
    if (progress_ != nullptr) progress_->Update(done_);
  }

 private:
  Progress* const progress_;
  size_t done_ = 0;
};

}  // namespace pm

#endif  // PARTNER_MATCH_ENGINE_COMMON_PROGRESS_H_
