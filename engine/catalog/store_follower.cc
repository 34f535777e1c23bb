#include "engine/catalog/store_follower.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace pm {

StoreFollower::StoreFollower(ProfileCatalog& catalog,
                             ServingCallback on_serving,
                             absl::Duration check_interval,
                             RefreshCallback on_refresh)
    : catalog_(catalog),
      on_serving_(std::move(on_serving)),
      on_refresh_(std::move(on_refresh)),
      check_interval_(check_interval),
      thread_([this] { Run(); }) {}

StoreFollower::~StoreFollower() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  stop_cv_.notify_all();
  thread_.join();
}

void StoreFollower::Report(bool serving, const std::string& why) {
  if (serving == serving_) return;
  serving_ = serving;
  if (on_serving_) on_serving_(serving, why);
}

void StoreFollower::Run() {
  const auto stopping = [this](absl::Duration wait) {
    std::unique_lock<std::mutex> lock(mu_);
    return stop_cv_.wait_for(lock, absl::ToChronoMicroseconds(wait),
                             [this] { return stop_; });
  };
  while (!stopping(absl::ZeroDuration())) {
    absl::StatusOr<int64_t> sequence =
        catalog_.WaitForChange(catalog_.snapshot_sequence(), check_interval_);
    if (sequence.ok() && *sequence > catalog_.snapshot_sequence()) {
      const absl::Time seen = absl::Now();
      const int64_t before = catalog_.snapshot_sequence();
      sequence = catalog_.Refresh();
      if (sequence.ok() && *sequence > before && on_refresh_) {
        Refreshed figures;
        figures.sequence = *sequence;
        figures.profiles = catalog_.Snapshot()->size();
        figures.took = absl::Now() - seen;
        on_refresh_(figures);
      }
    }
    if (!sequence.ok()) {
      Report(false, std::string(sequence.status().message()));
      stopping(kRetryDelay);
      continue;
    }
    Report(true, absl::StrCat("caught up with the store at change ",
                              *sequence));
  }
}

}  // namespace pm
