// The embedded store: profiles in SQLite, every write one transaction.
#ifndef PARTNER_MATCH_ENGINE_STORE_PROFILE_STORE_H_
#define PARTNER_MATCH_ENGINE_STORE_PROFILE_STORE_H_

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/model/decision.h"
#include "engine/model/profile.h"
#include "engine/store/store.h"

struct sqlite3;

namespace pm {

// The default store path (or URL: OpenStore): $PM_DB if set, else
// $PARTNER_MATCH_DB if set, else
// $XDG_DATA_HOME/partner-match/store.db, else
// $HOME/.local/share/partner-match/store.db.
std::string DefaultStorePath();

// Where a SQLite store keeps its derived index: the file "<path>.index"
// beside it, replaced atomically (a temporary file renamed over it). A
// file of its own: a blob of hundreds of megabytes in the database would
// go through the write-ahead log on every save.
std::string DerivedIndexPath(const std::string& store_path);

// Thread-safe: one connection, calls serialised by a mutex. The change
// sequence is the `change_sequence` row of the `meta` table (absent: 0);
// each profile row keeps the change that last wrote it, and
// `removed_profiles` the change that deleted an id.
class ProfileStore : public Store {
 public:
  // Opens the store at `path`, creating the file, its parent directory and
  // the schema when they do not exist (`created()` then says so).
  // UNAVAILABLE/INTERNAL naming the path when SQLite cannot open it;
  // FAILED_PRECONDITION when the file is not a partner-match store.
  static absl::StatusOr<std::unique_ptr<ProfileStore>> Open(
      const std::string& path);
  ~ProfileStore() override;

  // True when Open created the store.
  bool created() const override { return created_; }
  const std::string& path() const override { return path_; }

  // Inserts or replaces `profiles` (by id) in one transaction: all or none.
  absl::StatusOr<UpsertCounts> Upsert(
      const std::vector<Profile>& profiles) override;
  // NOT_FOUND "no profile with id 'x'" when absent.
  absl::Status Delete(std::string_view id) override;
  // All profiles, in id order.
  absl::StatusOr<std::vector<Profile>> LoadAll() const override;

  // Appends `decision` to the decision log (nothing is ever deleted or
  // changed there) and returns it with its sequence number and the time it
  // was recorded. The caller checks the ids and fields; INVALID_ARGUMENT
  // when the schema refuses a field.
  absl::StatusOr<Decision> RecordDecision(Decision decision) override;
  // The whole decision log, oldest first.
  absl::StatusOr<std::vector<Decision>> LoadDecisions() const override;

  absl::StatusOr<StoreChanges> ChangesSince(int64_t since) const override;

  // In the file DerivedIndexPath(path()); none for ":memory:".
  absl::StatusOr<std::string> LoadDerivedIndex() const override;
  absl::Status SaveDerivedIndex(std::string_view bytes) override;

  absl::StatusOr<int64_t> ChangeSequence() const override;
  // Polls the change sequence (SQLite has no notifications).
  absl::StatusOr<int64_t> WaitForChange(int64_t seen,
                                        absl::Duration timeout) override;

 private:
  ProfileStore(sqlite3* db, std::string path, bool created);

  mutable std::mutex mu_;
  sqlite3* db_ ABSL_GUARDED_BY(mu_);
  const std::string path_;
  const bool created_;
};

}  // namespace pm

#endif  // PARTNER_MATCH_ENGINE_STORE_PROFILE_STORE_H_
