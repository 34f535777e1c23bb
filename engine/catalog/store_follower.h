// A replica's follower: keeps a catalog's snapshot up to date with the
// writes other processes make to its store, and says whether the replica
// should serve.
#ifndef PARTNER_MATCH_ENGINE_CATALOG_STORE_FOLLOWER_H_
#define PARTNER_MATCH_ENGINE_CATALOG_STORE_FOLLOWER_H_

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/time/time.h"
#include "engine/catalog/profile_catalog.h"

namespace pm {

// One thread: waits for the store's change sequence to move
// (ProfileCatalog::WaitForChange: LISTEN/NOTIFY on PostgreSQL, with a
// sequence check every `check_interval` as the fallback), then calls
// ProfileCatalog::Refresh.
//
// `on_serving(serving, why)` is called when the replica's state changes:
// false when the store cannot be reached or a refresh fails, and it stays
// false until the follower has caught up with the store again. `why` says
// what happened, for a log line.
//
// `on_refresh` (may be empty) is called after each refresh that took in
// another process's writes, with the figures an operator watches: the
// change sequence the snapshot is now at, the profiles it holds, and how
// long the refresh took from the moment the change was seen.
class StoreFollower {
 public:
  using ServingCallback = std::function<void(bool serving,
                                             const std::string& why)>;
  struct Refreshed {
    int64_t sequence = 0;
    size_t profiles = 0;
    absl::Duration took;  // reading the store and applying the change
  };
  using RefreshCallback = std::function<void(const Refreshed&)>;

  StoreFollower(ProfileCatalog& catalog, ServingCallback on_serving,
                absl::Duration check_interval = absl::Seconds(1),
                RefreshCallback on_refresh = {});
  // Stops the thread (within one check interval).
  ~StoreFollower();
  StoreFollower(const StoreFollower&) = delete;
  StoreFollower& operator=(const StoreFollower&) = delete;

  // How long after a failure the follower tries the store again.
  static constexpr absl::Duration kRetryDelay = absl::Milliseconds(500);

 private:
  void Run();
  // Reports `serving` when it differs from the last report.
  void Report(bool serving, const std::string& why);

  ProfileCatalog& catalog_;
  const ServingCallback on_serving_;
  const RefreshCallback on_refresh_;
  const absl::Duration check_interval_;
  bool serving_ = true;  // the follower thread's own
  std::mutex mu_;
  std::condition_variable stop_cv_;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace pm

#endif  // PARTNER_MATCH_ENGINE_CATALOG_STORE_FOLLOWER_H_
