// Cooperative cancellation of long engine work (plans, clusters, the
// exposure model): the caller hands in a token, the engine polls it at
// bounded intervals in its loops and stops early, and the entry point
// returns CANCELLED instead of a result. The engine knows nothing of what
// cancels: the service ties a token to a call's deadline, its client's
// cancellation and the server's shutdown.
#ifndef PARTNER_MATCH_ENGINE_COMMON_CANCELLATION_H_
#define PARTNER_MATCH_ENGINE_COMMON_CANCELLATION_H_

#include <functional>
#include <utility>

#include "absl/status/status.h"

namespace pm {

// Copyable and cheap to pass by const reference. Cancelled() may be called
// from any thread; once it has returned true it keeps returning true as
// long as `poll` does (the service's polls never go back).
class CancellationToken {
 public:
  // Never cancelled.
  CancellationToken() = default;
  // Cancelled when `poll` returns true. `poll` must be thread-safe and cost
  // at most a lock or two: the engine calls it about once per outer-loop
  // step (every few milliseconds of work at most).
  explicit CancellationToken(std::function<bool()> poll)
      : poll_(std::move(poll)) {}

  bool Cancelled() const { return poll_ && poll_(); }

  // OK, or CANCELLED when Cancelled(): what an entry point returns when its
  // loops stopped early.
  absl::Status Check() const {
    if (!Cancelled()) return absl::OkStatus();
    return absl::CancelledError(
        "cancelled: the caller gave up (deadline passed or call cancelled) "
        "or the server is stopping");
  }

 private:
  std::function<bool()> poll_;
};

}  // namespace pm

#endif  // PARTNER_MATCH_ENGINE_COMMON_CANCELLATION_H_
