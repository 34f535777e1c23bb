// A real PostgreSQL server for tests and benchmarks: initdb in a temporary
// directory, pg_ctl start listening on a Unix socket in that directory only
// (run as the `postgres` user when the process is root, which PostgreSQL
// refuses to run as), stopped and removed at exit.
#ifndef PARTNER_MATCH_TESTS_SUPPORT_POSTGRES_SERVER_H_
#define PARTNER_MATCH_TESTS_SUPPORT_POSTGRES_SERVER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace pm::testing {

class PostgresServer {
 public:
  // The process's one server, started on first use. An error saying why
  // when it cannot start (no initdb, no `postgres` user for root, …): tests
  // skip with that message.
  static absl::StatusOr<PostgresServer*> Shared();
  // A server of the caller's own. `durable`: fsync on, as in production
  // (Shared's is off: tests need no durability); benchmarks of writes use it.
  static absl::StatusOr<std::unique_ptr<PostgresServer>> Start(bool durable);
  ~PostgresServer();

  // A new, empty database; its postgresql:// URL.
  absl::StatusOr<std::string> NewDatabase();
  // The URL of database `name` on this server.
  std::string Url(const std::string& name) const;

 private:
  PostgresServer(std::string dir, std::string run_as);

  const std::string dir_;     // data in dir_/data, the socket in dir_
  const std::string run_as_;  // "runuser -u postgres -- " or ""
  int databases_ = 0;
};

}  // namespace pm::testing

#endif  // PARTNER_MATCH_TESTS_SUPPORT_POSTGRES_SERVER_H_
