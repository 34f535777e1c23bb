// The catalog: the profiles a command or the server works on, backed by a
// store (SQLite or PostgreSQL: engine/store/store.h; or held in memory for
// --profiles FILE), with the current MatchIndex snapshot.
#ifndef PARTNER_MATCH_ENGINE_CATALOG_PROFILE_CATALOG_H_
#define PARTNER_MATCH_ENGINE_CATALOG_PROFILE_CATALOG_H_

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "engine/common/progress.h"
#include "engine/extraction/theme_extractor.h"
#include "engine/geo/gazetteer.h"
#include "engine/matching/exclusion.h"
#include "engine/matching/exposure.h"
#include "engine/matching/match_index.h"
#include "engine/store/store.h"

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
// Start in seconds: a catalog saves the derived index and its exposure
// model in its store (Store::SaveDerivedIndex, saved_index.h) after every
// build from scratch (first open, large writes, background rebuilds) and
// restores it on open, whichever process saved it; profiles written since
// are folded in like any write.
class ProfileCatalog {
 public:
  // Stops a background rebuild under way (its work is dropped).
  ~ProfileCatalog();
  // Opens (creating when missing) the store `path` names (a SQLite file or
  // a postgresql:// URL: pm::OpenStore); a store created now is filled with
  // the bundled profiles unless `empty`. Errors from opening the store, or
  // from loading a stored profile.
  // `progress` (may be null; must outlive the catalog) is told of every
  // index build from scratch, this one's and later writes'.
  static absl::StatusOr<std::unique_ptr<ProfileCatalog>> OpenStore(
      const std::string& path, bool empty = false,
      Progress* progress = nullptr);
  // An in-memory catalog of `profiles` (normalised here; INVALID_ARGUMENT
  // naming the profile on error). Writes change only memory.
  static absl::StatusOr<std::unique_ptr<ProfileCatalog>> InMemory(
      std::vector<Profile> profiles, Progress* progress = nullptr);

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

  // The change sequence of the store write the snapshot is built from
  // (0 in memory).
  int64_t snapshot_sequence() const;
  // Waits for the store's change sequence to exceed `seen` (Store::
  // WaitForChange); in memory, sleeps `timeout` and returns `seen`.
  absl::StatusOr<int64_t> WaitForChange(int64_t seen, absl::Duration timeout);
  // Takes in writes other processes made to the store: when its change
  // sequence moved past snapshot_sequence(), reads what changed since
  // (Store::ChangesSince) and applies it to the snapshot as one write
  // (profiles added, changed or removed; decisions). Returns
  // snapshot_sequence() then. Errors from reading the store leave the
  // snapshot as it was.
  absl::StatusOr<int64_t> Refresh();

  const Gazetteer& gazetteer() const { return *gazetteer_; }
  // Where long work on this catalog reports progress, or null.
  Progress* progress() const { return progress_; }
  // Empty for an in-memory catalog; a URL without its password.
  const std::string& store_path() const { return store_path_; }
  // True when OpenStore created the store.
  bool created() const { return store_ != nullptr && store_->created(); }

  // The exposure model (default scorer and exposure options) saved with the
  // derived index, read at open or computed at the last save: for
  // DiverseSuggester::Seed. Null when there is none (in memory).
  std::shared_ptr<const ExposureModel> SavedExposure() const;

  // Waits until no background rebuild is due or running (tests, benchmarks).
  void WaitForRebuild();

  // The drift rule (see the class comment).
  static constexpr double kRebuildShare = 0.1;

 private:
  ProfileCatalog(std::unique_ptr<Store> store,
                 std::shared_ptr<const ThemeExtractor> extractor,
                 Progress* progress);
  IndexOptions BuildOptions() const;
  void Swap(std::shared_ptr<const MatchIndex> next);
  // The snapshot after `upserts` and `removals` on `current`: an Update, or
  // a Build when the write alone passes the drift rule.
  std::shared_ptr<const MatchIndex> Apply(
      const MatchIndex& current, std::vector<Profile> upserts,
      const std::vector<std::string>& removals)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  // Swaps `next` in, then wakes the rebuild thread if `next` passes the
  // drift rule.
  void SwapAndSchedule(std::shared_ptr<const MatchIndex> next)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  // After this catalog's own write to the store: the snapshot is at the
  // store's change sequence unless another process wrote in between (then
  // the next Refresh reads the store).
  void AdvanceSequence(int64_t before) ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  // The index of the store's `profiles`: restored from the store's saved
  // index (the profiles changed since folded in), or built and saved when
  // there is none or it cannot be used (stale format, other taxonomy,
  // corrupt: said on stderr; the profiles are then read from the store
  // again). Errors from that read.
  absl::StatusOr<std::shared_ptr<const MatchIndex>> LoadIndex(
      std::vector<Profile> profiles, std::vector<Decision> decisions)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  // Saves `index` in the store with its exposure model, computed now
  // (saved_index.h); a failure is said on stderr and costs only the next
  // start's time. Nothing is saved in memory or once `cancel` fires.
  void SaveIndex(const MatchIndex& index, const CancellationToken& cancel = {});
  void RebuildLoop();
  // The first load reads the whole store; later ones read the changes since
  // snapshot_sequence() and apply them (Refresh).
  absl::Status Reload() ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);

  const Gazetteer* gazetteer_;
  std::shared_ptr<const ThemeExtractor> extractor_;
  const std::string store_path_;
  Progress* const progress_;
  std::mutex write_mu_;  // serialises writers
  // Null in memory. Writes to it hold write_mu_; the store is thread-safe,
  // so WaitForChange does not.
  const std::unique_ptr<Store> store_;
  mutable std::mutex snapshot_mu_;
  std::shared_ptr<const MatchIndex> snapshot_ ABSL_GUARDED_BY(snapshot_mu_);
  int64_t snapshot_sequence_ ABSL_GUARDED_BY(snapshot_mu_) = 0;
  std::shared_ptr<const ExposureModel> saved_exposure_
      ABSL_GUARDED_BY(snapshot_mu_);
  // The background rebuild.
  std::mutex rebuild_mu_;
  std::condition_variable rebuild_cv_;
  bool rebuild_due_ ABSL_GUARDED_BY(rebuild_mu_) = false;
  bool rebuilding_ ABSL_GUARDED_BY(rebuild_mu_) = false;
  bool stop_ ABSL_GUARDED_BY(rebuild_mu_) = false;
  std::thread rebuilder_;
};

}  // namespace pm

#endif  // PARTNER_MATCH_ENGINE_CATALOG_PROFILE_CATALOG_H_
