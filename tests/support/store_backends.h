// The two store backends, for tests that run on both (TEST_P over Backend):
// a SQLite file and a database on the process's PostgreSQL server
// (postgres_server.h).
#ifndef PARTNER_MATCH_TESTS_SUPPORT_STORE_BACKENDS_H_
#define PARTNER_MATCH_TESTS_SUPPORT_STORE_BACKENDS_H_

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "tests/support/postgres_server.h"

namespace pm::testing {

enum class Backend { kSqlite, kPostgres };

// "Sqlite" or "Postgres", for INSTANTIATE_TEST_SUITE_P.
inline std::string BackendName(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::kSqlite ? "Sqlite" : "Postgres";
}

// A new store for the calling test: `dir`/store.db, or a new database on
// the shared server. Marks the test skipped, with the reason, when that
// server cannot start; empty then, and on failure (the caller returns).
inline std::string NewStoreLocation(Backend backend,
                                    const std::filesystem::path& dir) {
  if (backend == Backend::kSqlite) return (dir / "store.db").string();
  absl::StatusOr<PostgresServer*> server = PostgresServer::Shared();
  if (!server.ok()) {
    GTEST_MESSAGE_(std::string(server.status().message()).c_str(),
                   ::testing::TestPartResult::kSkip);
    return "";
  }
  absl::StatusOr<std::string> url = (*server)->NewDatabase();
  EXPECT_TRUE(url.ok()) << url.status();
  return url.value_or("");
}

}  // namespace pm::testing

#endif  // PARTNER_MATCH_TESTS_SUPPORT_STORE_BACKENDS_H_
