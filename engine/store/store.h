// The store interface: profiles, the decision log, a change sequence, the
// changes since a sequence and the saved derived index, behind one
// interface with two backends (ProfileStore: an embedded SQLite
// file; PostgresStore: a PostgreSQL database shared by several processes).
// OpenStore picks one from the --db value.
#ifndef PARTNER_MATCH_ENGINE_STORE_STORE_H_
#define PARTNER_MATCH_ENGINE_STORE_STORE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "engine/model/decision.h"
#include "engine/model/profile.h"

namespace pm {

struct UpsertCounts {
  int created = 0;
  int updated = 0;
};

// What changed in a store after a point: read in one transaction, so it
// brings a reader that had every write up to the point exactly to
// `sequence`.
struct StoreChanges {
  int64_t sequence = 0;             // the change sequence this read saw
  std::vector<Profile> upserted;    // written since, as stored now; id order
  std::vector<std::string> removed;  // deleted since, not written again
  std::vector<Decision> decisions;  // recorded since, oldest first
};

// Thread-safe in every backend. Every write is one transaction: all or none.
class Store {
 public:
  virtual ~Store() = default;

  // True when opening created the store (its schema), so the caller may
  // fill it.
  virtual bool created() const = 0;
  // What the store is, for messages: the file path, or the URL without its
  // password.
  virtual const std::string& path() const = 0;

  // Inserts or replaces `profiles` (by id) in one transaction. INVALID_ARGUMENT
  // "profile '<id>': …" when the schema refuses one, or "profile '<id>'
  // appears twice in one upsert".
  virtual absl::StatusOr<UpsertCounts> Upsert(
      const std::vector<Profile>& profiles) = 0;
  // NOT_FOUND "no profile with id 'x'" when absent.
  virtual absl::Status Delete(std::string_view id) = 0;
  // All profiles, in id order.
  virtual absl::StatusOr<std::vector<Profile>> LoadAll() const = 0;

  // Appends `decision` to the decision log (append-only: nothing there is
  // ever changed or deleted) and returns it with its sequence number and
  // the time it was recorded. The caller checks ids and fields.
  virtual absl::StatusOr<Decision> RecordDecision(Decision decision) = 0;
  // The whole decision log, oldest first.
  virtual absl::StatusOr<std::vector<Decision>> LoadDecisions() const = 0;

  // What the writes after change `since` did: the profiles they wrote or
  // deleted, the decisions they recorded. A replica reads this instead of
  // every profile.
  virtual absl::StatusOr<StoreChanges> ChangesSince(int64_t since) const = 0;

  // The saved derived index (bytes the store keeps for its readers, written
  // by SaveDerivedIndex; see engine/catalog/saved_index.h), so that a
  // process starts without re-deriving every profile. NOT_FOUND when none
  // was saved.
  virtual absl::StatusOr<std::string> LoadDerivedIndex() const = 0;
  // Replaces the saved derived index with `bytes`, whole or not at all.
  // Not a write in the change sequence: it is derived from the profiles.
  virtual absl::Status SaveDerivedIndex(std::string_view bytes) = 0;

  // The change sequence: the number of the last committed write (upsert,
  // delete, decision) by any process on this store; 0 for a new store. It
  // grows by one per write, in commit order.
  virtual absl::StatusOr<int64_t> ChangeSequence() const = 0;
  // Blocks until the change sequence exceeds `seen` or `timeout` passes,
  // and returns the change sequence then (equal to `seen` on a timeout
  // without change). UNAVAILABLE when the store cannot be reached.
  virtual absl::StatusOr<int64_t> WaitForChange(int64_t seen,
                                                absl::Duration timeout) = 0;
};

// OK, or INVALID_ARGUMENT naming the first id that appears twice in one
// upsert: every backend refuses such a batch before writing.
absl::Status CheckDistinctIds(const std::vector<Profile>& profiles);

// True for a PostgreSQL connection URL (postgresql://… or postgres://…).
bool IsPostgresUrl(std::string_view path_or_url);

// Opens the store `path_or_url` names: a PostgreSQL database for a
// postgresql:// URL, else the SQLite file at that path (both created when
// missing).
absl::StatusOr<std::unique_ptr<Store>> OpenStore(
    const std::string& path_or_url);

}  // namespace pm

#endif  // PARTNER_MATCH_ENGINE_STORE_STORE_H_
