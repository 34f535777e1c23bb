// The shared store: profiles and the decision log in a PostgreSQL database
// (through libpq) that several partner-match processes use at once.
#ifndef PARTNER_MATCH_ENGINE_STORE_POSTGRES_STORE_H_
#define PARTNER_MATCH_ENGINE_STORE_POSTGRES_STORE_H_

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/store/store.h"

typedef struct pg_conn PGconn;

namespace pm {

// `url` with any password taken out (user:secret@ and password=…), for
// messages and logs.
std::string RedactPostgresUrl(std::string_view url);

// Thread-safe: one connection for reads and writes (calls serialised by a
// mutex), one more for LISTEN, opened by the first WaitForChange. A lost
// connection fails the call in progress (UNAVAILABLE) and is re-opened by
// the next.
//
// Schema: created and migrated by Open under an advisory lock (so replicas
// starting together do it once), its version in pm_schema. Every write is
// one transaction that first increments pm_change.sequence (a row lock:
// writers are serialised and the sequence follows commit order) and sends
// NOTIFY partner_match_changes with the new sequence, delivered at commit.
// Each profile row keeps the change that last wrote it (changed_at) and
// removed_profiles the change that deleted an id, for ChangesSince. The
// decisions table refuses UPDATE, DELETE and TRUNCATE (a trigger). The
// derived index is a large object named by pm_derived_index's one row,
// written and read in chunks on a connection of its own, so a save of
// hundreds of megabytes neither holds the writers' connection nor builds
// one message of that size.
class PostgresStore : public Store {
 public:
  // Connects to `url` (postgresql://user@host:port/dbname?…, libpq's URI
  // syntax) and creates or migrates the schema. UNAVAILABLE naming the
  // database (password redacted) when it cannot connect; FAILED_PRECONDITION
  // when the database holds a partner-match schema of a newer version.
  static absl::StatusOr<std::unique_ptr<PostgresStore>> Open(
      const std::string& url);
  ~PostgresStore() override;

  bool created() const override { return created_; }
  // The URL without its password.
  const std::string& path() const override { return display_; }

  absl::StatusOr<UpsertCounts> Upsert(
      const std::vector<Profile>& profiles) override;
  absl::Status Delete(std::string_view id) override;
  absl::StatusOr<std::vector<Profile>> LoadAll() const override;
  absl::StatusOr<Decision> RecordDecision(Decision decision) override;
  absl::StatusOr<std::vector<Decision>> LoadDecisions() const override;
  absl::StatusOr<StoreChanges> ChangesSince(int64_t since) const override;
  absl::StatusOr<std::string> LoadDerivedIndex() const override;
  absl::Status SaveDerivedIndex(std::string_view bytes) override;
  absl::StatusOr<int64_t> ChangeSequence() const override;
  // Waits for a NOTIFY on the LISTEN connection; reads pm_change.sequence
  // when it starts and when `timeout` passes, so a missed notification is
  // made up for by the next call.
  absl::StatusOr<int64_t> WaitForChange(int64_t seen,
                                        absl::Duration timeout) override;

  // The schema version this program creates and reads.
  static constexpr int kSchemaVersion = 2;

 private:
  PostgresStore(PGconn* conn, std::string url, bool created);
  // Reconnects a lost connection: true when it did, UNAVAILABLE when that
  // fails. `listening`: the LISTEN connection, which the server writes to.
  absl::StatusOr<bool> EnsureConnected(PGconn*& conn, bool listening) const;

  const std::string url_;
  const std::string display_;
  const bool created_;
  mutable std::mutex mu_;
  mutable PGconn* conn_ ABSL_GUARDED_BY(mu_);
  std::mutex listen_mu_;
  PGconn* listen_ ABSL_GUARDED_BY(listen_mu_) = nullptr;
};

}  // namespace pm

#endif  // PARTNER_MATCH_ENGINE_STORE_POSTGRES_STORE_H_
