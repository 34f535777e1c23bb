// The embedded store: profiles in SQLite, every write one transaction.
#ifndef PARTNER_MATCH_ENGINE_STORE_PROFILE_STORE_H_
#define PARTNER_MATCH_ENGINE_STORE_PROFILE_STORE_H_

#include <cstdint>
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

struct sqlite3;

namespace pm {

// The default store path: $PARTNER_MATCH_DB if set, else
// $XDG_DATA_HOME/partner-match/store.db, else
// $HOME/.local/share/partner-match/store.db.
std::string DefaultStorePath();

struct UpsertCounts {
  int created = 0;
  int updated = 0;
};

// Thread-safe: one connection, calls serialised by a mutex.
class ProfileStore {
 public:
  // Opens the store at `path`, creating the file, its parent directory and
  // the schema when they do not exist (`created()` then says so).
  // UNAVAILABLE/INTERNAL naming the path when SQLite cannot open it;
  // FAILED_PRECONDITION when the file is not a partner-match store.
  static absl::StatusOr<std::unique_ptr<ProfileStore>> Open(
      const std::string& path);
  ~ProfileStore();

  // True when Open created the store.
  bool created() const { return created_; }
  const std::string& path() const { return path_; }

  // Inserts or replaces `profiles` (by id) in one transaction: all or none.
  absl::StatusOr<UpsertCounts> Upsert(const std::vector<Profile>& profiles);
  // NOT_FOUND "no profile with id 'x'" when absent.
  absl::Status Delete(std::string_view id);
  // All profiles, in id order.
  absl::StatusOr<std::vector<Profile>> LoadAll() const;

  // Appends `decision` to the decision log (nothing is ever deleted or
  // changed there) and returns it with its sequence number and the time it
  // was recorded. The caller checks the ids and fields; INVALID_ARGUMENT
  // when the schema refuses a field.
  absl::StatusOr<Decision> RecordDecision(Decision decision);
  // The whole decision log, oldest first.
  absl::StatusOr<std::vector<Decision>> LoadDecisions() const;

  // SQLite's PRAGMA data_version of this connection: it changes when
  // another connection (another process) commits a write, not on this
  // one's own writes. Cheap: no disk read.
  absl::StatusOr<int64_t> DataVersion() const;

 private:
  ProfileStore(sqlite3* db, std::string path, bool created);

  mutable std::mutex mu_;
  sqlite3* db_ ABSL_GUARDED_BY(mu_);
  const std::string path_;
  const bool created_;
};

}  // namespace pm

#endif  // PARTNER_MATCH_ENGINE_STORE_PROFILE_STORE_H_
