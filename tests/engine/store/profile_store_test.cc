#include "engine/store/profile_store.h"

#include <sqlite3.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace pm {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::StartsWith;

Profile MakeProfile(std::string id, std::string name = "A place") {
  Profile profile;
  profile.id = std::move(id);
  profile.name = std::move(name);
  profile.kind = PlaceKind::kCity;
  profile.country = "ES";
  profile.text = "Has experience in water efficiency.";
  return profile;
}

// Runs `sql` on the SQLite file at `path` with a connection of its own.
void RunSql(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* error = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  EXPECT_EQ(rc, SQLITE_OK) << (error != nullptr ? error : "");
  sqlite3_free(error);
  sqlite3_close(db);
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

class ProfileStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const ::testing::TestInfo* info =
        ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::path(::testing::TempDir()) /
           absl::StrCat("profile_store_test_", info->name(), "_", getpid());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ignored;
    fs::permissions(dir_, fs::perms::owner_all, fs::perm_options::add, ignored);
    fs::remove_all(dir_, ignored);
  }

  std::string StorePath() const { return (dir_ / "store.db").string(); }

  std::unique_ptr<ProfileStore> OpenOrDie(const std::string& path) {
    absl::StatusOr<std::unique_ptr<ProfileStore>> store =
        ProfileStore::Open(path);
    EXPECT_TRUE(store.ok()) << store.status();
    return store.ok() ? *std::move(store) : nullptr;
  }

  std::vector<Profile> LoadAllOrDie(const ProfileStore& store) {
    absl::StatusOr<std::vector<Profile>> profiles = store.LoadAll();
    EXPECT_TRUE(profiles.ok()) << profiles.status();
    return profiles.ok() ? *std::move(profiles) : std::vector<Profile>();
  }

  fs::path dir_;
};

TEST_F(ProfileStoreTest, OpenCreatesTheDirectoryAndAnEmptyStore) {
  const std::string path = (dir_ / "a" / "b" / "store.db").string();
  std::unique_ptr<ProfileStore> store = OpenOrDie(path);
  ASSERT_NE(store, nullptr);
  EXPECT_TRUE(store->created());
  EXPECT_EQ(store->path(), path);
  EXPECT_TRUE(fs::exists(path));
  EXPECT_THAT(LoadAllOrDie(*store), IsEmpty());
}

TEST_F(ProfileStoreTest, ReopenedStoreSeesWhatWasUpserted) {
  Profile toyama = MakeProfile("toyama", "Toyama");
  toyama.kind = PlaceKind::kRegion;
  toyama.country = "JP";
  toyama.text =
      std::string("Toyama — ports, “quotes”, a NUL ") + '\0' + " byte.";
  toyama.population = 410000;
  toyama.known_partners = {"lugo", "donostia"};
  toyama.eu_member = false;
  toyama.world_region = "Asia";
  Profile almeria = MakeProfile("almeria", "Almería");
  almeria.kind = PlaceKind::kAssociation;
  almeria.eu_member = true;
  Profile lugo = MakeProfile("lugo", "Lugo");  // eu_member unset
  {
    std::unique_ptr<ProfileStore> store = OpenOrDie(StorePath());
    ASSERT_NE(store, nullptr);
    absl::StatusOr<UpsertCounts> counts =
        store->Upsert({toyama, almeria, lugo});
    ASSERT_TRUE(counts.ok()) << counts.status();
  }
  std::unique_ptr<ProfileStore> reopened = OpenOrDie(StorePath());
  ASSERT_NE(reopened, nullptr);
  EXPECT_FALSE(reopened->created());
  // In id order.
  EXPECT_THAT(LoadAllOrDie(*reopened), ElementsAre(almeria, lugo, toyama));
}

TEST_F(ProfileStoreTest, UpsertCountsCreatedAndUpdated) {
  std::unique_ptr<ProfileStore> store = OpenOrDie(StorePath());
  ASSERT_NE(store, nullptr);
  absl::StatusOr<UpsertCounts> first =
      store->Upsert({MakeProfile("a"), MakeProfile("b")});
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->created, 2);
  EXPECT_EQ(first->updated, 0);

  absl::StatusOr<UpsertCounts> second =
      store->Upsert({MakeProfile("b", "B renamed"), MakeProfile("c")});
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->created, 1);
  EXPECT_EQ(second->updated, 1);
  EXPECT_THAT(LoadAllOrDie(*store),
              ElementsAre(MakeProfile("a"), MakeProfile("b", "B renamed"),
                          MakeProfile("c")));
}

TEST_F(ProfileStoreTest, UpsertOfNothingChangesNothing) {
  std::unique_ptr<ProfileStore> store = OpenOrDie(StorePath());
  ASSERT_NE(store, nullptr);
  absl::StatusOr<UpsertCounts> counts = store->Upsert({});
  ASSERT_TRUE(counts.ok()) << counts.status();
  EXPECT_EQ(counts->created, 0);
  EXPECT_EQ(counts->updated, 0);
}

TEST_F(ProfileStoreTest, UpdateReplacesKnownPartnersAndClearsEuMember) {
  std::unique_ptr<ProfileStore> store = OpenOrDie(StorePath());
  ASSERT_NE(store, nullptr);
  Profile a = MakeProfile("a");
  a.known_partners = {"x", "y", "z"};
  a.eu_member = true;
  ASSERT_TRUE(store->Upsert({a}).ok());
  a.known_partners = {"z"};
  a.eu_member.reset();
  ASSERT_TRUE(store->Upsert({a}).ok());
  EXPECT_THAT(LoadAllOrDie(*store), ElementsAre(a));
}

TEST_F(ProfileStoreTest, UpsertOfABatchIsAllOrNothing) {
  std::unique_ptr<ProfileStore> store = OpenOrDie(StorePath());
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->Upsert({MakeProfile("a", "Old name")}).ok());

  // "bad" comes last, after an update and an insert were already written in
  // the transaction; the schema's CHECK refuses its negative population.
  Profile bad = MakeProfile("bad");
  bad.population = -1;
  absl::StatusOr<UpsertCounts> counts =
      store->Upsert({MakeProfile("a", "New name"), MakeProfile("b"), bad});
  ASSERT_FALSE(counts.ok());
  EXPECT_EQ(counts.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(counts.status().message(),
            "profile 'bad': CHECK constraint failed: population >= 0");

  EXPECT_THAT(LoadAllOrDie(*store), ElementsAre(MakeProfile("a", "Old name")));
  // The store is still usable after the rollback.
  ASSERT_TRUE(store->Upsert({MakeProfile("b")}).ok());
  EXPECT_EQ(LoadAllOrDie(*store).size(), 2u);
}

TEST_F(ProfileStoreTest, UpsertRefusesAnEmptyNameThroughTheSchema) {
  std::unique_ptr<ProfileStore> store = OpenOrDie(StorePath());
  ASSERT_NE(store, nullptr);
  absl::StatusOr<UpsertCounts> counts =
      store->Upsert({MakeProfile("a"), MakeProfile("b", "")});
  ASSERT_FALSE(counts.ok());
  EXPECT_EQ(counts.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(counts.status().message(),
            "profile 'b': CHECK constraint failed: length(name) > 0");
  EXPECT_THAT(LoadAllOrDie(*store), IsEmpty());
}

TEST_F(ProfileStoreTest, UpsertRefusesTheSameIdTwiceInOneBatch) {
  std::unique_ptr<ProfileStore> store = OpenOrDie(StorePath());
  ASSERT_NE(store, nullptr);
  absl::StatusOr<UpsertCounts> counts =
      store->Upsert({MakeProfile("a"), MakeProfile("b"), MakeProfile("a")});
  ASSERT_FALSE(counts.ok());
  EXPECT_EQ(counts.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(counts.status().message(),
            "profile 'a' appears twice in one upsert");
  EXPECT_THAT(LoadAllOrDie(*store), IsEmpty());
}

TEST_F(ProfileStoreTest, DeleteRemovesTheProfileAndItsPartners) {
  std::unique_ptr<ProfileStore> store = OpenOrDie(StorePath());
  ASSERT_NE(store, nullptr);
  Profile a = MakeProfile("a");
  a.known_partners = {"b"};
  ASSERT_TRUE(store->Upsert({a, MakeProfile("b")}).ok());
  ASSERT_TRUE(store->Delete("a").ok());
  EXPECT_THAT(LoadAllOrDie(*store), ElementsAre(MakeProfile("b")));
  // Re-created, it does not inherit the old partners.
  ASSERT_TRUE(store->Upsert({MakeProfile("a")}).ok());
  EXPECT_THAT(LoadAllOrDie(*store),
              ElementsAre(MakeProfile("a"), MakeProfile("b")));
}

TEST_F(ProfileStoreTest, DeleteOfAnUnknownIdIsNotFound) {
  std::unique_ptr<ProfileStore> store = OpenOrDie(StorePath());
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->Upsert({MakeProfile("a")}).ok());
  const absl::Status status = store->Delete("ghost");
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(status.message(), "no profile with id 'ghost'");
  EXPECT_EQ(LoadAllOrDie(*store).size(), 1u);
}

TEST_F(ProfileStoreTest, TwoStoresOnOneFileSeeEachOthersWrites) {
  std::unique_ptr<ProfileStore> writer = OpenOrDie(StorePath());
  std::unique_ptr<ProfileStore> reader = OpenOrDie(StorePath());
  ASSERT_NE(writer, nullptr);
  ASSERT_NE(reader, nullptr);
  EXPECT_TRUE(writer->created());
  EXPECT_FALSE(reader->created());
  ASSERT_TRUE(writer->Upsert({MakeProfile("a")}).ok());
  EXPECT_THAT(LoadAllOrDie(*reader), ElementsAre(MakeProfile("a")));
}

TEST_F(ProfileStoreTest, ConcurrentCallsOnOneStoreAreSerialised) {
  std::unique_ptr<ProfileStore> store = OpenOrDie(StorePath());
  ASSERT_NE(store, nullptr);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&store, t] {
      for (int i = 0; i < 10; ++i) {
        EXPECT_TRUE(
            store->Upsert({MakeProfile(absl::StrCat("p", t, "-", i))}).ok());
        EXPECT_TRUE(store->LoadAll().ok());
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(LoadAllOrDie(*store).size(), 40u);
}

TEST_F(ProfileStoreTest, OpenRefusesAnotherApplicationsSqliteFileUntouched) {
  const std::string path = (dir_ / "other.db").string();
  RunSql(path,
         "CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('x');");
  const std::string before = ReadFile(path);
  absl::StatusOr<std::unique_ptr<ProfileStore>> store =
      ProfileStore::Open(path);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(store.status().message(),
            absl::StrCat("'", path,
                         "' is not a partner-match store (it has "
                         "no meta table); choose another file"));
  EXPECT_EQ(ReadFile(path), before);
  EXPECT_FALSE(fs::exists(path + "-wal"));
}

TEST_F(ProfileStoreTest, OpenRefusesAMetaTableOfAnotherApplication) {
  const std::string path = (dir_ / "other.db").string();
  RunSql(path,
         "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);"
         "INSERT INTO meta VALUES ('application', 'other-tool');");
  absl::StatusOr<std::unique_ptr<ProfileStore>> store =
      ProfileStore::Open(path);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(store.status().message(),
            absl::StrCat("'", path,
                         "' is not a partner-match store "
                         "(application 'other-tool'); choose another file"));
}

TEST_F(ProfileStoreTest, OpenRefusesAStoreOfANewerSchemaVersion) {
  ASSERT_NE(OpenOrDie(StorePath()), nullptr);
  RunSql(StorePath(),
         "UPDATE meta SET value = '2' WHERE key = 'schema_version';");
  absl::StatusOr<std::unique_ptr<ProfileStore>> store =
      ProfileStore::Open(StorePath());
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(store.status().message(),
            absl::StrCat("the store '", StorePath(),
                         "' has schema version "
                         "'2'; this program reads version 1 (use a newer "
                         "partner-match, or another file)"));
}

TEST_F(ProfileStoreTest, OpenRefusesAFileThatIsNotSqlite) {
  const std::string path = (dir_ / "notes.txt").string();
  std::ofstream(path) << "These are not the droids you are looking for.\n"
                      << std::string(1000, 'x');
  const std::string before = ReadFile(path);
  absl::StatusOr<std::unique_ptr<ProfileStore>> store =
      ProfileStore::Open(path);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(store.status().message(),
            absl::StrCat("'", path,
                         "' is not a partner-match store (file is "
                         "not a database); choose another file"));
  EXPECT_EQ(ReadFile(path), before);
}

TEST_F(ProfileStoreTest, OpenUnderARegularFileFailsNamingThePath) {
  std::ofstream(dir_ / "file") << "x";
  const std::string path = (dir_ / "file" / "sub" / "store.db").string();
  absl::StatusOr<std::unique_ptr<ProfileStore>> store =
      ProfileStore::Open(path);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(store.status().message()),
              StartsWith(absl::StrCat("cannot create the directory '",
                                      (dir_ / "file" / "sub").string(),
                                      "' for the store '", path, "': ")));
}

TEST_F(ProfileStoreTest, OpenInAReadOnlyDirectoryFailsNamingThePath) {
  if (geteuid() == 0) GTEST_SKIP() << "root writes to read-only directories";
  const fs::path locked = dir_ / "locked";
  fs::create_directories(locked);
  fs::permissions(locked, fs::perms::owner_read | fs::perms::owner_exec);
  const std::string path = (locked / "store.db").string();
  absl::StatusOr<std::unique_ptr<ProfileStore>> store =
      ProfileStore::Open(path);
  fs::permissions(locked, fs::perms::owner_all);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(store.status().message()), HasSubstr(path));
}

TEST_F(ProfileStoreTest, OpenRefusesAnEmptyPath) {
  absl::StatusOr<std::unique_ptr<ProfileStore>> store = ProfileStore::Open("");
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(store.status().message(), "store path is empty");
}

TEST_F(ProfileStoreTest, AnInMemoryStoreWorks) {
  std::unique_ptr<ProfileStore> store = OpenOrDie(":memory:");
  ASSERT_NE(store, nullptr);
  EXPECT_TRUE(store->created());
  ASSERT_TRUE(store->Upsert({MakeProfile("a")}).ok());
  EXPECT_THAT(LoadAllOrDie(*store), ElementsAre(MakeProfile("a")));
}

// Sets environment variables for one test and restores them after.
class ScopedEnv {
 public:
  void Set(const char* name, const char* value) {
    const char* old = std::getenv(name);
    saved_.push_back(
        {name, old ? std::optional<std::string>(old) : std::nullopt});
    if (value == nullptr) {
      unsetenv(name);
    } else {
      setenv(name, value, 1);
    }
  }
  ~ScopedEnv() {
    for (auto it = saved_.rbegin(); it != saved_.rend(); ++it) {
      if (it->second.has_value()) {
        setenv(it->first.c_str(), it->second->c_str(), 1);
      } else {
        unsetenv(it->first.c_str());
      }
    }
  }

 private:
  std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

TEST(ProfileStoreDefaultPathTest, PartnerMatchDbWins) {
  ScopedEnv env;
  env.Set("PARTNER_MATCH_DB", "/srv/pm.db");
  env.Set("XDG_DATA_HOME", "/xdg");
  env.Set("HOME", "/home/u");
  EXPECT_EQ(DefaultStorePath(), "/srv/pm.db");
}

TEST(ProfileStoreDefaultPathTest, ThenXdgDataHome) {
  ScopedEnv env;
  env.Set("PARTNER_MATCH_DB", nullptr);
  env.Set("XDG_DATA_HOME", "/xdg");
  env.Set("HOME", "/home/u");
  EXPECT_EQ(DefaultStorePath(), "/xdg/partner-match/store.db");
}

TEST(ProfileStoreDefaultPathTest, ThenHomeIgnoringARelativeXdgDataHome) {
  ScopedEnv env;
  env.Set("PARTNER_MATCH_DB", "");
  env.Set("XDG_DATA_HOME", "relative/dir");
  env.Set("HOME", "/home/u");
  EXPECT_EQ(DefaultStorePath(), "/home/u/.local/share/partner-match/store.db");
}

}  // namespace
}  // namespace pm
