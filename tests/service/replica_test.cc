// Replicas end to end: two (or three) real `partner-match serve` processes
// over one database on a real PostgreSQL server (tests/support; skipped
// with the reason when it cannot start), called over gRPC.
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <signal.h>
#include <unistd.h>

#include <sys/wait.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <memory>
#include <set>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "tests/support/postgres_server.h"
#include "tests/support/serve_process.h"

namespace pm {
namespace {

namespace fs = std::filesystem;
namespace pb = ::partnermatch::v1;

using testing::ServeProcess;
using testing::WaitUntil;

// A replica of this test: the real binary.
class Replica : public ServeProcess {
 public:
  Replica(const std::string& url, const fs::path& dir, const std::string& name)
      : ServeProcess(PM_CLI_BINARY, url, dir, name) {}
};

std::unique_ptr<grpc::ClientContext> Context() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::seconds(30));
  return context;
}

pb::Profile NewProfile(const std::string& id, const std::string& name) {
  pb::Profile p;
  p.set_id(id);
  p.set_name(name);
  p.set_kind("city");
  p.set_country("BR");
  p.set_text("A port city with experience in water management and "
             "sustainable tourism; wants to learn about circular economy.");
  return p;
}

grpc::Status Upsert(Replica& replica, const pb::Profile& profile) {
  pb::UpsertProfilesRequest request;
  *request.add_profiles() = profile;
  pb::UpsertProfilesResponse response;
  return replica.stub().UpsertProfiles(Context().get(), request, &response);
}

// The profile's name on `replica`, or "" when it does not have it.
std::string NameOn(Replica& replica, const std::string& id) {
  pb::GetProfileRequest request;
  request.set_id(id);
  pb::GetProfileResponse response;
  if (!replica.stub().GetProfile(Context().get(), request, &response).ok()) {
    return "";
  }
  return response.profile().name();
}

class ReplicaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<testing::PostgresServer*> server =
        testing::PostgresServer::Shared();
    if (!server.ok()) GTEST_SKIP() << server.status().message();
    server_ = *server;
    absl::StatusOr<std::string> url = server_->NewDatabase();
    ASSERT_TRUE(url.ok()) << url.status();
    url_ = *url;
    dir_ = fs::path(::testing::TempDir()) /
           absl::StrCat("replica_", getpid(), "_",
                        ::testing::UnitTest::GetInstance()
                            ->current_test_info()
                            ->name());
    fs::create_directories(dir_);
    // A first, so that it creates the schema and the bundled profiles.
    a_ = std::make_unique<Replica>(url_, dir_, "a");
    ASSERT_TRUE(a_->started()) << a_->log();
    b_ = std::make_unique<Replica>(url_, dir_, "b");
    ASSERT_TRUE(b_->started()) << b_->log();
  }
  void TearDown() override {
    a_.reset();
    b_.reset();
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  testing::PostgresServer* server_ = nullptr;
  std::string url_;
  fs::path dir_;
  std::unique_ptr<Replica> a_, b_;
};

TEST_F(ReplicaTest, AnUpsertThroughAIsReadThroughBWithinOneSecond) {
  for (int i = 0; i < 5; ++i) {
    const std::string name = absl::StrCat("Newtown ", i);
    ASSERT_TRUE(Upsert(*a_, NewProfile("newtown", name)).ok());
    const auto took = WaitUntil([&] { return NameOn(*b_, "newtown") == name; },
                                std::chrono::seconds(1));
    ASSERT_TRUE(took.has_value()) << "write " << i << " not visible on B "
                                  << "within 1 s\n" << b_->log();
  }
}

TEST_F(ReplicaTest, ADeclinedDecisionThroughBIsRespectedByAPlanThroughA) {
  pb::ProposePairingsRequest request;
  request.mutable_cohort()->set_kind("city");
  request.mutable_options()->set_min_score(0.05);
  const auto plan_pairs = [&] {
    pb::ProposePairingsResponse plan;
    EXPECT_TRUE(
        a_->stub().ProposePairings(Context().get(), request, &plan).ok());
    std::set<std::set<std::string>> pairs;
    for (const pb::PlannedGroup& g : plan.groups()) {
      pairs.insert({g.member_ids().begin(), g.member_ids().end()});
    }
    return pairs;
  };
  const std::set<std::set<std::string>> before = plan_pairs();
  ASSERT_FALSE(before.empty());
  const std::set<std::string> pair = *before.begin();
  ASSERT_EQ(pair.size(), 2u);

  pb::RecordDecisionRequest decide;
  decide.mutable_decision()->set_profile_id(*pair.begin());
  decide.mutable_decision()->set_partner_id(*pair.rbegin());
  decide.mutable_decision()->set_kind("declined");
  decide.mutable_decision()->set_who("coordinator");
  pb::RecordDecisionResponse recorded;
  const grpc::Status status =
      b_->stub().RecordDecision(Context().get(), decide, &recorded);
  ASSERT_TRUE(status.ok()) << status.error_message();

  const auto took = WaitUntil([&] { return plan_pairs().count(pair) == 0; },
                              std::chrono::seconds(1));
  EXPECT_TRUE(took.has_value())
      << "A still pairs " << *pair.begin() << " with " << *pair.rbegin()
      << " 1 s after B recorded the decline\n" << a_->log();
}

TEST_F(ReplicaTest, BKeepsServingAfterKill9OfAndARestartedACatchesUp) {
  a_->Kill(SIGKILL);
  ASSERT_TRUE(Upsert(*b_, NewProfile("aftertown", "After the crash")).ok());
  EXPECT_EQ(NameOn(*b_, "aftertown"), "After the crash");
  EXPECT_EQ(b_->Health(), "SERVING");
  a_ = std::make_unique<Replica>(url_, dir_, "a2");
  ASSERT_TRUE(a_->started()) << a_->log();
  EXPECT_EQ(NameOn(*a_, "aftertown"), "After the crash");
  EXPECT_EQ(a_->Health(), "SERVING");
}

TEST_F(ReplicaTest, RacingWritesOfOneProfileEndTheSameOnBothReplicas) {
  std::thread through_a([&] {
    for (int i = 0; i < 20; ++i) {
      EXPECT_TRUE(Upsert(*a_, NewProfile("contested", absl::StrCat("A", i))).ok());
    }
  });
  for (int i = 0; i < 20; ++i) {
    EXPECT_TRUE(Upsert(*b_, NewProfile("contested", absl::StrCat("B", i))).ok());
  }
  through_a.join();
  // The last write in the database's order: both replicas must show it.
  PGconn* conn = PQconnectdb(url_.c_str());
  PGresult* row =
      PQexec(conn, "SELECT name FROM profiles WHERE id = 'contested'");
  ASSERT_EQ(PQntuples(row), 1);
  const std::string stored = PQgetvalue(row, 0, 0);
  PQclear(row);
  PQfinish(conn);
  EXPECT_TRUE(stored == "A19" || stored == "B19") << stored;
  EXPECT_TRUE(WaitUntil(
                  [&] {
                    return NameOn(*a_, "contested") == stored &&
                           NameOn(*b_, "contested") == stored;
                  },
                  std::chrono::seconds(1))
                  .has_value())
      << "A: " << NameOn(*a_, "contested") << ", B: "
      << NameOn(*b_, "contested") << ", database: " << stored;
}

TEST_F(ReplicaTest, HealthIsNotServingWhileTheDatabaseCannotBeReached) {
  // postgresql://postgres@/<database>?host=…
  const size_t start = url_.find("@/") + 2;
  const std::string database = url_.substr(start, url_.find('?') - start);
  PGconn* admin = PQconnectdb(server_->Url("postgres").c_str());
  ASSERT_EQ(PQstatus(admin), CONNECTION_OK);
  const auto sql = [&](const std::string& statement) {
    PGresult* result = PQexec(admin, statement.c_str());
    EXPECT_TRUE(PQresultStatus(result) == PGRES_COMMAND_OK ||
                PQresultStatus(result) == PGRES_TUPLES_OK)
        << statement << ": " << PQresultErrorMessage(result);
    PQclear(result);
  };
  sql(absl::StrCat("ALTER DATABASE ", database, " ALLOW_CONNECTIONS false"));
  sql(absl::StrCat("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                   "WHERE datname = '", database, "'"));
  EXPECT_TRUE(WaitUntil([&] { return a_->Health() == "NOT_SERVING"; },
                        std::chrono::seconds(10))
                  .has_value())
      << a_->log();
  // Reads still come from the snapshot.
  EXPECT_FALSE(NameOn(*a_, "dublin").empty());
  sql(absl::StrCat("ALTER DATABASE ", database, " ALLOW_CONNECTIONS true"));
  EXPECT_TRUE(WaitUntil([&] { return a_->Health() == "SERVING"; },
                        std::chrono::seconds(10))
                  .has_value())
      << a_->log();
  EXPECT_TRUE(WaitUntil([&] { return b_->Health() == "SERVING"; },
                        std::chrono::seconds(10))
                  .has_value())
      << b_->log();
  PQfinish(admin);
  // And writes flow again.
  const grpc::Status write = Upsert(*a_, NewProfile("backtown", "Back"));
  ASSERT_TRUE(write.ok()) << write.error_message();
  EXPECT_TRUE(WaitUntil([&] { return NameOn(*b_, "backtown") == "Back"; },
                        std::chrono::seconds(1))
                  .has_value());
}

// `init` on a database: creates the schema and the bundled profiles once,
// and never prints the password.
// One store, one truth, without PostgreSQL: a `serve` over a SQLite file
// sees what the command line imports into that file while it runs.
TEST(SqliteFollowTest, TheServerSeesWhatTheCliImportsWithinOneSecond) {
  const fs::path dir = fs::path(::testing::TempDir()) /
                       absl::StrCat("sqlite_follow_", getpid());
  fs::create_directories(dir);
  const std::string db = (dir / "store.db").string();
  const std::string init =
      absl::StrCat(PM_CLI_BINARY, " --db ", db, " init > /dev/null");
  ASSERT_EQ(std::system(init.c_str()), 0) << init;
  Replica server(db, dir, "serve");
  ASSERT_TRUE(server.started()) << server.log();
  const fs::path file = dir / "new.jsonl";
  std::ofstream(file)
      << R"({"id": "cli-town", "name": "Cli Town", "kind": "city", )"
      << R"("country": "PT", "text": "Cli Town seeks partners in water )"
      << R"(efficiency and offers port logistics."})" << "\n";
  const std::string command = absl::StrCat(PM_CLI_BINARY, " --db ", db,
                                           " import ", file.string(),
                                           " > /dev/null");
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
  const auto took = WaitUntil(
      [&] { return NameOn(server, "cli-town") == "Cli Town"; },
      std::chrono::seconds(1));
  EXPECT_TRUE(took.has_value()) << "not visible within 1 s\n" << server.log();
  fs::remove_all(dir);
}

// service/cli/huge_pages.h: the program starts itself again with glibc's
// huge-page tunable (same process id), unless told not to.
TEST(HugePagesTest, TheServerRunsWithItsHeapOnHugePagesUnlessToldNot) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  GTEST_SKIP() << "a sanitizer's allocator replaces glibc's";
#endif
  std::ifstream thp("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string mode;
  std::getline(thp, mode);
  if (mode.find('[') == std::string::npos ||
      mode.find("[never]") != std::string::npos) {
    GTEST_SKIP() << "transparent huge pages are off here: '" << mode << "'";
  }
  const fs::path dir = fs::path(::testing::TempDir()) /
                       absl::StrCat("huge_pages_", getpid());
  fs::create_directories(dir);
  const std::string db = (dir / "store.db").string();
  const std::string init =
      absl::StrCat(PM_CLI_BINARY, " --db ", db, " init > /dev/null");
  ASSERT_EQ(std::system(init.c_str()), 0) << init;
  const auto environment = [](pid_t pid) {
    std::ifstream in(absl::StrCat("/proc/", pid, "/environ"));
    std::string all((std::istreambuf_iterator<char>(in)), {});
    for (char& c : all) {
      if (c == '\0') c = '\n';
    }
    return all;
  };
  {
    Replica server(db, dir, "serve");
    ASSERT_TRUE(server.started()) << server.log();
    EXPECT_NE(environment(server.pid()).find("GLIBC_TUNABLES=glibc.malloc."
                                             "hugetlb=1\n"),
              std::string::npos);
    EXPECT_EQ(server.Health(), "SERVING");
  }
  ::setenv("PM_HUGE_PAGES", "0", 1);
  {
    Replica server(db, dir, "serve-no-huge-pages");
    ASSERT_TRUE(server.started()) << server.log();
    EXPECT_EQ(environment(server.pid()).find("GLIBC_TUNABLES"),
              std::string::npos);
  }
  ::unsetenv("PM_HUGE_PAGES");
  fs::remove_all(dir);
}

TEST(PostgresInitTest, CreatesOnceAndNamesTheDatabaseWithoutThePassword) {
  absl::StatusOr<testing::PostgresServer*> server =
      testing::PostgresServer::Shared();
  if (!server.ok()) GTEST_SKIP() << server.status().message();
  absl::StatusOr<std::string> url = (*server)->NewDatabase();
  ASSERT_TRUE(url.ok()) << url.status();
  // Trust authentication ignores the password; it must not be shown.
  std::string with_password = *url;
  with_password.replace(with_password.find("postgres@"), 9,
                        "postgres:s3cret@");
  const fs::path out =
      fs::path(::testing::TempDir()) / absl::StrCat("init_", getpid());
  const auto init = [&] {
    const int status =
        std::system(absl::StrCat(PM_CLI_BINARY, " --db '", with_password,
                                 "' init >", out.string(), " 2>&1")
                        .c_str());
    std::ifstream in(out);
    std::ostringstream text;
    text << in.rdbuf();
    return std::make_pair(WEXITSTATUS(status), text.str());
  };
  const auto [first_code, first] = init();
  EXPECT_EQ(first_code, 0) << first;
  EXPECT_EQ(first, absl::StrCat("created ", *url, " with 29 profiles\n"));
  const auto [second_code, second] = init();
  EXPECT_EQ(second_code, 1);
  EXPECT_EQ(second, absl::StrCat("partner-match: error: a store already "
                                 "exists in '",
                                 *url,
                                 "'; use it, or choose another database "
                                 "with --db\n"));
  fs::remove(out);
}

}  // namespace
}  // namespace pm
