// The catalog: the profiles a command or the server works on, backed by the
// SQLite store (or held in memory for --profiles FILE), with the current
// MatchIndex snapshot.
#ifndef PARTNER_MATCH_ENGINE_CATALOG_PROFILE_CATALOG_H_
#define PARTNER_MATCH_ENGINE_CATALOG_PROFILE_CATALOG_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/extraction/theme_extractor.h"
#include "engine/geo/gazetteer.h"
#include "engine/matching/exclusion.h"
#include "engine/matching/match_index.h"
#include "engine/store/profile_store.h"

namespace pm {

// Thread-safe. Readers take Snapshot() and work on it without locks; writers
// are serialised, write the store first, then swap in a new snapshot, so a
// snapshot never shows a write the store refused.
//
// Writes are incremental: the next snapshot is MatchIndex::Update of the
// current one (the upserts extracted and folded into the current latent
// basis, everything unchanged shared). Drift rule: once the documents
// added, replaced or removed since the basis was built exceed
// kRebuildShare of the profiles, a background thread rebuilds the basis and
// term statistics from scratch over a snapshot, then, under the writers'
// lock, replays onto it the writes made meanwhile and swaps it in; readers
// and writers go on meanwhile. A single write larger than that share
// rebuilds at once (an import builds the index once, at the end).
//
// Start in seconds: a catalog on a store keeps the derived index in a file
// next to it (index_file.h), saved after every build from scratch (first
// open, large writes, background rebuilds) and restored on open; profiles
// written since are folded in like any write.
//
// One store, one truth: a catalog on a store polls SQLite's data_version
// every kPollInterval and, when another process has written, reloads the
// store and applies the difference as one write.
class ProfileCatalog {
 public:
  ~ProfileCatalog();
  // Opens (creating when missing) the store at `path`; a store created now is
  // filled with the bundled profiles unless `empty`. Errors from
  // ProfileStore::Open, or from loading a stored profile.
  static absl::StatusOr<std::unique_ptr<ProfileCatalog>> OpenStore(
      const std::string& path, bool empty = false);
  // An in-memory catalog of `profiles` (normalised here; INVALID_ARGUMENT
  // naming the profile on error). Writes change only memory.
  static absl::StatusOr<std::unique_ptr<ProfileCatalog>> InMemory(
      std::vector<Profile> profiles);

  std::shared_ptr<const MatchIndex> Snapshot() const;

  // Normalises and validates every profile (INVALID_ARGUMENT "profiles[3]
  // ('x'): field 'country': …"; duplicate ids in one call are refused), then
  // stores all in one transaction. Nothing changes on error. Any number of
  // profiles (callers bound requests by size: see the service's limits).
  absl::StatusOr<UpsertCounts> Upsert(std::vector<Profile> profiles);
  // NOT_FOUND for an unknown id. The profile's decisions stay in the log.
  absl::Status Delete(std::string_view id);

  // Appends a coordinator's decision to the log (stored before the new
  // snapshot is swapped in) and returns it with its sequence number and time.
  // INVALID_ARGUMENT naming the field for an empty id, the same id twice, a
  // missing `who`, over-long or non-UTF-8 text; NOT_FOUND for an id that is
  // not loaded; FAILED_PRECONDITION naming the rule for an accepted or
  // existing pair that the programme's `rules` exclude (same side, same
  // country: ProgrammeRule), so no decision can make a pair plannable that
  // the programme forbids. Suggestions and plans respect the latest
  // decision per pair.
  absl::StatusOr<Decision> RecordDecision(Decision decision,
                                          const MatchRules& rules = {});

  const Gazetteer& gazetteer() const { return *gazetteer_; }
  // Empty for an in-memory catalog.
  const std::string& store_path() const { return store_path_; }

  // Waits until no background rebuild is due or running (tests, benchmarks).
  void WaitForRebuild();

  // The drift rule (see the class comment).
  static constexpr double kRebuildShare = 0.1;
  static constexpr std::chrono::milliseconds kPollInterval{250};

 private:
  ProfileCatalog(std::unique_ptr<ProfileStore> store,
                 std::shared_ptr<const ThemeExtractor> extractor);
  void Swap(std::shared_ptr<const MatchIndex> next);
  // The snapshot after `upserts` and `removals` on `current`: an Update, or
  // a Build when the write alone passes the drift rule. Caller holds
  // write_mu_.
  std::shared_ptr<const MatchIndex> Apply(const MatchIndex& current,
                                          std::vector<Profile> upserts,
                                          const std::vector<std::string>& removals);
  // Swaps `next` in, then wakes the rebuild thread if `next` passes the
  // drift rule. Caller holds write_mu_.
  void SwapAndSchedule(std::shared_ptr<const MatchIndex> next);
  // The index of the store's `profiles`: restored from the saved index file
  // (the profiles changed since folded in), or built and saved when there
  // is none or it cannot be used (stale format, other taxonomy, corrupt:
  // said on stderr).
  absl::StatusOr<std::shared_ptr<const MatchIndex>> LoadIndex(
      std::vector<Profile> profiles, std::vector<Decision> decisions);
  // Saves `index` next to the store (index_file.h); a failure is said on
  // stderr and costs only the next start's time.
  void SaveIndex(const MatchIndex& index) const;
  void StartThreads();
  void RebuildLoop();
  void PollLoop();
  // Applies what another process changed in the store, if anything.
  absl::Status Reload();

  const Gazetteer* gazetteer_;
  std::shared_ptr<const ThemeExtractor> extractor_;
  const std::string store_path_;
  std::mutex write_mu_;  // serialises writers
  std::unique_ptr<ProfileStore> store_ ABSL_GUARDED_BY(write_mu_);  // null in memory
  mutable std::mutex snapshot_mu_;
  std::shared_ptr<const MatchIndex> snapshot_ ABSL_GUARDED_BY(snapshot_mu_);
  // Background rebuild and store polling.
  std::mutex rebuild_mu_;
  std::condition_variable rebuild_cv_;
  bool rebuild_due_ ABSL_GUARDED_BY(rebuild_mu_) = false;
  bool rebuilding_ ABSL_GUARDED_BY(rebuild_mu_) = false;
  bool stop_ ABSL_GUARDED_BY(rebuild_mu_) = false;
  int64_t data_version_ = 0;  // of the store, as last seen (poller only)
  std::thread rebuilder_, poller_;
};

}  // namespace pm

#endif  // PARTNER_MATCH_ENGINE_CATALOG_PROFILE_CATALOG_H_
