// The catalog: the profiles a command or the server works on, backed by a
// store (SQLite or PostgreSQL: engine/store/store.h; or held in memory for
// --profiles FILE), with the current MatchIndex snapshot.
#ifndef PARTNER_MATCH_ENGINE_CATALOG_PROFILE_CATALOG_H_
#define PARTNER_MATCH_ENGINE_CATALOG_PROFILE_CATALOG_H_

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/common/progress.h"
#include "engine/extraction/theme_extractor.h"
#include "engine/geo/gazetteer.h"
#include "engine/matching/exclusion.h"
#include "engine/matching/match_index.h"
#include "engine/store/store.h"

namespace pm {

// Thread-safe. Readers take Snapshot() and work on it without locks; writers
// are serialised, write the store first, then swap in a new snapshot, so a
// snapshot never shows a write the store refused.
class ProfileCatalog {
 public:
  // Opens (creating when missing) the store `path` names (a SQLite file or
  // a postgresql:// URL: pm::OpenStore); a store created now is filled with
  // the bundled profiles unless `empty`. Errors from opening the store, or
  // from loading a stored profile.
  // `progress` (may be null; must outlive the catalog) is told of every
  // index build, this one's and later writes'.
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
  // stores all in one transaction. Nothing changes on error. At most
  // kMaxUpsertBatch profiles per call (RESOURCE_EXHAUSTED beyond).
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
  // sequence moved past snapshot_sequence(), rebuilds the snapshot from the
  // store. Returns snapshot_sequence() then. Errors from reading the store
  // leave the snapshot as it was.
  absl::StatusOr<int64_t> Refresh();

  const Gazetteer& gazetteer() const { return *gazetteer_; }
  // Where long work on this catalog reports progress, or null.
  Progress* progress() const { return progress_; }
  // Empty for an in-memory catalog; a URL without its password.
  const std::string& store_path() const { return store_path_; }
  // True when OpenStore created the store.
  bool created() const { return store_ != nullptr && store_->created(); }

  static constexpr size_t kMaxUpsertBatch = 10000;

 private:
  ProfileCatalog(std::unique_ptr<Store> store,
                 std::shared_ptr<const ThemeExtractor> extractor,
                 Progress* progress);
  IndexOptions BuildOptions() const;
  void Swap(std::shared_ptr<const MatchIndex> next);
  // Reads the whole store into a new snapshot (Refresh's full rebuild).
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
};

}  // namespace pm

#endif  // PARTNER_MATCH_ENGINE_CATALOG_PROFILE_CATALOG_H_
