#include "engine/store/profile_store.h"

#include <sqlite3.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
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

// The behaviour both backends share is tested once for both in
// store_contract_test.cc; here what is SQLite's own.

TEST_F(ProfileStoreTest, ReopenedStoreKeepsANulByteInText) {
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
         "UPDATE meta SET value = '99' WHERE key = 'schema_version';");
  absl::StatusOr<std::unique_ptr<ProfileStore>> store =
      ProfileStore::Open(StorePath());
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(store.status().message(),
            absl::StrCat("the store '", StorePath(),
                         "' has schema version "
                         "'99'; this program reads version 2 (use a newer "
                         "partner-match, or another file)"));
}

TEST_F(ProfileStoreTest, OpenMigratesAVersionOneStoreKeepingItsRows) {
  // A store as partner-match wrote it before schema version 2.
  const std::string path = StorePath();
  fs::create_directories(fs::path(path).parent_path());
  RunSql(path, R"sql(
CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)
  WITHOUT ROWID, STRICT;
CREATE TABLE profiles (
  id TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL,
  country TEXT NOT NULL, text TEXT NOT NULL,
  population INTEGER NOT NULL DEFAULT 0, eu_member INTEGER,
  world_region TEXT NOT NULL DEFAULT '') WITHOUT ROWID, STRICT;
CREATE TABLE known_partners (
  profile_id TEXT NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
  position INTEGER NOT NULL, partner_id TEXT NOT NULL,
  PRIMARY KEY (profile_id, position)) WITHOUT ROWID, STRICT;
CREATE TABLE decisions (
  sequence INTEGER PRIMARY KEY AUTOINCREMENT, profile_id TEXT NOT NULL,
  partner_id TEXT NOT NULL, kind TEXT NOT NULL, who TEXT NOT NULL,
  why TEXT NOT NULL DEFAULT '', recorded_at INTEGER NOT NULL) STRICT;
INSERT INTO meta VALUES ('application', 'partner-match'),
  ('schema_version', '1'), ('change_sequence', '2');
INSERT INTO profiles (id, name, kind, country, text)
  VALUES ('old', 'Old town', 'city', 'ES', 'Has experience in water.');
INSERT INTO decisions (profile_id, partner_id, kind, who, recorded_at)
  VALUES ('old', 'other', 'declined', 'coordinator', 1);
)sql");
  std::unique_ptr<ProfileStore> store = OpenOrDie(path);
  ASSERT_NE(store, nullptr);
  EXPECT_FALSE(store->created());
  absl::StatusOr<std::vector<Profile>> all = store->LoadAll();
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].name, "Old town");
  absl::StatusOr<std::vector<Decision>> log = store->LoadDecisions();
  ASSERT_TRUE(log.ok()) << log.status();
  EXPECT_EQ(log->size(), 1u);
  // Rows from before the migration are older than any snapshot that can ask
  // for changes; writes after it are tracked.
  absl::StatusOr<StoreChanges> before = store->ChangesSince(2);
  ASSERT_TRUE(before.ok()) << before.status();
  EXPECT_TRUE(before->upserted.empty());
  ASSERT_TRUE(store->Delete("old").ok());
  absl::StatusOr<StoreChanges> after = store->ChangesSince(2);
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(after->sequence, 3);
  EXPECT_THAT(after->removed, ::testing::ElementsAre("old"));
  store.reset();
  EXPECT_NE(OpenOrDie(path), nullptr);  // the migration ran once
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

TEST(ProfileStoreDefaultPathTest, PmDbWins) {
  ScopedEnv env;
  env.Set("PM_DB", "postgresql://pm@db.internal/pm");
  env.Set("PARTNER_MATCH_DB", "/srv/pm.db");
  env.Set("HOME", "/home/u");
  EXPECT_EQ(DefaultStorePath(), "postgresql://pm@db.internal/pm");
}

TEST(ProfileStoreDefaultPathTest, ThenPartnerMatchDb) {
  ScopedEnv env;
  env.Set("PM_DB", nullptr);
  env.Set("PARTNER_MATCH_DB", "/srv/pm.db");
  env.Set("XDG_DATA_HOME", "/xdg");
  env.Set("HOME", "/home/u");
  EXPECT_EQ(DefaultStorePath(), "/srv/pm.db");
}

TEST(ProfileStoreDefaultPathTest, ThenXdgDataHome) {
  ScopedEnv env;
  env.Set("PM_DB", nullptr);
  env.Set("PARTNER_MATCH_DB", nullptr);
  env.Set("XDG_DATA_HOME", "/xdg");
  env.Set("HOME", "/home/u");
  EXPECT_EQ(DefaultStorePath(), "/xdg/partner-match/store.db");
}

TEST(ProfileStoreDefaultPathTest, ThenHomeIgnoringARelativeXdgDataHome) {
  ScopedEnv env;
  env.Set("PM_DB", "");
  env.Set("PARTNER_MATCH_DB", "");
  env.Set("XDG_DATA_HOME", "relative/dir");
  env.Set("HOME", "/home/u");
  EXPECT_EQ(DefaultStorePath(), "/home/u/.local/share/partner-match/store.db");
}

}  // namespace
}  // namespace pm
