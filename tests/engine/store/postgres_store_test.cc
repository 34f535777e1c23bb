// What is PostgresStore's own (the contract both backends share is in
// store_contract_test.cc): URLs and errors, the schema and its version, the
// append-only decision log, NOTIFY, reconnection. Against a real server
// (tests/support/postgres_server.h), skipped with the reason when it cannot
// start.
#include "engine/store/postgres_store.h"

#include <libpq-fe.h>
#include <poll.h>

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/postgres_server.h"

namespace pm {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

Profile MakeProfile(std::string id) {
  Profile profile;
  profile.id = std::move(id);
  profile.name = "A place";
  profile.kind = PlaceKind::kCity;
  profile.country = "ES";
  profile.text = "Has experience in water efficiency.";
  return profile;
}

TEST(RedactPostgresUrlTest, TakesOutThePasswordOnly) {
  EXPECT_EQ(RedactPostgresUrl("postgresql://pm:s3cret@db.internal:5432/pm"),
            "postgresql://pm@db.internal:5432/pm");
  EXPECT_EQ(RedactPostgresUrl("postgresql://pm@db/pm?password=x&sslmode=require"),
            "postgresql://pm@db/pm?sslmode=require");
  EXPECT_EQ(RedactPostgresUrl("postgresql://pm@db/pm?sslmode=require&password=x"),
            "postgresql://pm@db/pm?sslmode=require");
  EXPECT_EQ(RedactPostgresUrl("postgres:///pm?host=/run/postgresql"),
            "postgres:///pm?host=/run/postgresql");
  EXPECT_EQ(RedactPostgresUrl("postgresql://a:b@[::1]/pm"),
            "postgresql://a@[::1]/pm");
}

TEST(PostgresStoreOpenTest, AnUnreachableServerIsUnavailableWithoutThePassword) {
  absl::StatusOr<std::unique_ptr<PostgresStore>> store = PostgresStore::Open(
      "postgresql://pm:s3cret@/pm?host=/nonexistent-pm-dir");
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), absl::StatusCode::kUnavailable);
  const std::string message(store.status().message());
  EXPECT_THAT(message,
              HasSubstr("cannot connect to the store "
                        "'postgresql://pm@/pm?host=/nonexistent-pm-dir': "));
  EXPECT_THAT(message, HasSubstr("/nonexistent-pm-dir/.s.PGSQL.5432"));
  EXPECT_THAT(message, Not(HasSubstr("s3cret")));
}

class PostgresStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<testing::PostgresServer*> server =
        testing::PostgresServer::Shared();
    if (!server.ok()) GTEST_SKIP() << server.status().message();
    absl::StatusOr<std::string> url = (*server)->NewDatabase();
    ASSERT_TRUE(url.ok()) << url.status();
    url_ = *url;
    admin_ = PQconnectdb(url_.c_str());
    ASSERT_EQ(PQstatus(admin_), CONNECTION_OK) << PQerrorMessage(admin_);
  }
  void TearDown() override {
    if (admin_ != nullptr) PQfinish(admin_);
  }

  std::unique_ptr<PostgresStore> OpenOrDie() {
    absl::StatusOr<std::unique_ptr<PostgresStore>> store =
        PostgresStore::Open(url_);
    EXPECT_TRUE(store.ok()) << store.status();
    return store.ok() ? *std::move(store) : nullptr;
  }

  // Runs `sql` on the test's own connection; PostgreSQL's error, or "".
  std::string Sql(const std::string& sql) {
    PGresult* result = PQexec(admin_, sql.c_str());
    const ExecStatusType status = PQresultStatus(result);
    std::string error;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      error = PQresultErrorMessage(result);
    }
    PQclear(result);
    return error;
  }

  std::string url_;
  PGconn* admin_ = nullptr;
};

TEST_F(PostgresStoreTest, OpenCreatesTheSchemaAtTheCurrentVersion) {
  std::unique_ptr<PostgresStore> store = OpenOrDie();
  ASSERT_NE(store, nullptr);
  EXPECT_TRUE(store->created());
  PGresult* result =
      PQexec(admin_, "SELECT application, version FROM pm_schema");
  ASSERT_EQ(PQntuples(result), 1);
  EXPECT_STREQ(PQgetvalue(result, 0, 0), "partner-match");
  EXPECT_EQ(std::atoi(PQgetvalue(result, 0, 1)), PostgresStore::kSchemaVersion);
  PQclear(result);
}

TEST_F(PostgresStoreTest, OpenRefusesANewerSchemaVersion) {
  ASSERT_NE(OpenOrDie(), nullptr);
  ASSERT_EQ(Sql("UPDATE pm_schema SET version = 99"), "");
  absl::StatusOr<std::unique_ptr<PostgresStore>> store =
      PostgresStore::Open(url_);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(store.status().message(),
            absl::StrCat("the store '", url_,
                         "' has schema version 99; this program reads "
                         "version 2 (use a newer partner-match, or another "
                         "database)"));
}

TEST_F(PostgresStoreTest, OpenRefusesAnotherApplicationsSchemaTable) {
  ASSERT_EQ(Sql("CREATE TABLE pm_schema (application text, version int);"
                "INSERT INTO pm_schema VALUES ('other-tool', 3)"),
            "");
  absl::StatusOr<std::unique_ptr<PostgresStore>> store =
      PostgresStore::Open(url_);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(store.status().message()),
              HasSubstr("is not partner-match's"));
}

TEST_F(PostgresStoreTest, TheDecisionLogIsAppendOnly) {
  std::unique_ptr<PostgresStore> store = OpenOrDie();
  ASSERT_NE(store, nullptr);
  Decision d;
  d.profile_id = "a";
  d.partner_id = "b";
  d.kind = DecisionKind::kDeclined;
  d.who = "coordinator";
  ASSERT_TRUE(store->RecordDecision(d).ok());
  EXPECT_THAT(Sql("UPDATE decisions SET why = 'rewritten'"),
              HasSubstr("the decision log is append-only"));
  EXPECT_THAT(Sql("DELETE FROM decisions"),
              HasSubstr("the decision log is append-only"));
  EXPECT_THAT(Sql("TRUNCATE decisions"),
              HasSubstr("the decision log is append-only"));
  absl::StatusOr<std::vector<Decision>> log = store->LoadDecisions();
  ASSERT_TRUE(log.ok()) << log.status();
  ASSERT_EQ(log->size(), 1u);
  EXPECT_EQ((*log)[0].why, "");
}

TEST_F(PostgresStoreTest, ASavedIndexReplacesTheLargeObjectItHeld) {
  std::unique_ptr<PostgresStore> store = OpenOrDie();
  ASSERT_NE(store, nullptr);
  for (const char* bytes : {"one", "two", "three"}) {
    ASSERT_TRUE(store->SaveDerivedIndex(bytes).ok());
  }
  // One large object left: each save unlinked the one it replaced.
  PGresult* result =
      PQexec(admin_, "SELECT count(*) FROM pg_largeobject_metadata");
  ASSERT_EQ(PQresultStatus(result), PGRES_TUPLES_OK);
  EXPECT_STREQ(PQgetvalue(result, 0, 0), "1");
  PQclear(result);
  absl::StatusOr<std::string> saved = store->LoadDerivedIndex();
  ASSERT_TRUE(saved.ok()) << saved.status();
  EXPECT_EQ(*saved, "three");
}

TEST_F(PostgresStoreTest, EveryWriteNotifiesItsChangeSequence) {
  std::unique_ptr<PostgresStore> store = OpenOrDie();
  ASSERT_NE(store, nullptr);
  ASSERT_EQ(Sql("LISTEN partner_match_changes"), "");
  ASSERT_TRUE(store->Upsert({MakeProfile("a")}).ok());
  ASSERT_TRUE(store->Delete("a").ok());
  std::vector<std::string> payloads;
  for (int attempt = 0; attempt < 50 && payloads.size() < 2; ++attempt) {
    pollfd fd{PQsocket(admin_), POLLIN, 0};
    ::poll(&fd, 1, 100);
    PQconsumeInput(admin_);
    while (PGnotify* notify = PQnotifies(admin_)) {
      payloads.push_back(notify->extra);
      PQfreemem(notify);
    }
  }
  EXPECT_THAT(payloads, ::testing::ElementsAre("1", "2"));
}

TEST_F(PostgresStoreTest, ANulByteIsRefusedNamingTheField) {
  std::unique_ptr<PostgresStore> store = OpenOrDie();
  ASSERT_NE(store, nullptr);
  Profile profile = MakeProfile("a");
  profile.text = std::string("before ") + '\0' + " after";
  absl::StatusOr<UpsertCounts> counts = store->Upsert({profile});
  ASSERT_FALSE(counts.ok());
  EXPECT_EQ(counts.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(counts.status().message(),
            "profile 'a': field 'text' holds a NUL byte, which PostgreSQL "
            "cannot store");
}

TEST_F(PostgresStoreTest, ALostConnectionFailsOneCallAndIsReopened) {
  std::unique_ptr<PostgresStore> store = OpenOrDie();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->Upsert({MakeProfile("a")}).ok());
  ASSERT_TRUE(store->WaitForChange(0, absl::Milliseconds(10)).ok());
  // Ends every other session on this database: the store's two.
  ASSERT_EQ(Sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() "
                "AND pid <> pg_backend_pid()"),
            "");
  absl::StatusOr<std::vector<Profile>> first = store->LoadAll();
  if (!first.ok()) {
    EXPECT_EQ(first.status().code(), absl::StatusCode::kUnavailable)
        << first.status();
    EXPECT_THAT(std::string(first.status().message()),
                HasSubstr(absl::StrCat("store '", url_, "'")));
  }
  absl::StatusOr<std::vector<Profile>> second = store->LoadAll();
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->size(), 1u);
  // The LISTEN connection too.
  absl::StatusOr<int64_t> waited = store->WaitForChange(0, absl::Seconds(1));
  if (!waited.ok()) {
    EXPECT_EQ(waited.status().code(), absl::StatusCode::kUnavailable);
    waited = store->WaitForChange(0, absl::Seconds(1));
  }
  ASSERT_TRUE(waited.ok()) << waited.status();
  EXPECT_EQ(*waited, 1);
}

}  // namespace
}  // namespace pm
