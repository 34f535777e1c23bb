#include "engine/store/profile_store.h"

#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <system_error>
#include <thread>
#include <unordered_map>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "engine/common/status_macros.h"
#include "engine/common/strings.h"

namespace pm {
namespace {


// What makes a SQLite file a partner-match store: the `meta` rows
// `application` and `schema_version`.
constexpr std::string_view kApplication = "partner-match";
constexpr int kBusyTimeoutMs = 5000;

// kMigrations[v] takes the schema from version v to v + 1 (version 0: an
// empty file). Append a migration for every schema change; never edit one
// that has shipped.
//
// STRICT tables (SQLite >= 3.37) refuse values of the wrong type; the CHECKs
// repeat the cheapest of NormalizeProfile's rules so that a caller that
// skipped it cannot store a profile the engine cannot read back.
constexpr const char* kMigrations[] = {
    R"sql(
CREATE TABLE meta (
  key   TEXT PRIMARY KEY NOT NULL,
  value TEXT NOT NULL
) WITHOUT ROWID, STRICT;
CREATE TABLE profiles (
  id           TEXT PRIMARY KEY NOT NULL CHECK (length(id) BETWEEN 1 AND 64),
  name         TEXT NOT NULL CHECK (length(name) > 0),
  kind         TEXT NOT NULL CHECK (kind IN ('city', 'region', 'association')),
  country      TEXT NOT NULL CHECK (length(country) = 2),
  text         TEXT NOT NULL CHECK (length(text) > 0),
  population   INTEGER NOT NULL DEFAULT 0 CHECK (population >= 0),
  eu_member    INTEGER CHECK (eu_member IN (0, 1)),
  world_region TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID, STRICT;
CREATE TABLE known_partners (
  profile_id TEXT NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
  position   INTEGER NOT NULL CHECK (position >= 0),
  partner_id TEXT NOT NULL CHECK (length(partner_id) BETWEEN 1 AND 64),
  PRIMARY KEY (profile_id, position)
) WITHOUT ROWID, STRICT;
CREATE TABLE decisions (
  sequence    INTEGER PRIMARY KEY AUTOINCREMENT,
  profile_id  TEXT NOT NULL CHECK (length(profile_id) BETWEEN 1 AND 64),
  partner_id  TEXT NOT NULL CHECK (length(partner_id) BETWEEN 1 AND 64),
  kind        TEXT NOT NULL CHECK (kind IN ('accepted', 'declined', 'existing')),
  who         TEXT NOT NULL CHECK (length(who) > 0),
  why         TEXT NOT NULL DEFAULT '',
  recorded_at INTEGER NOT NULL
) STRICT;
)sql",
    // Version 2: the change that last wrote each profile, the deleted ids
    // and the change that recorded each decision, so that a reader asks for what changed since its snapshot
    // (ChangesSince) instead of reading every profile.
    R"sql(
ALTER TABLE profiles ADD COLUMN changed_at INTEGER NOT NULL DEFAULT 0;
CREATE INDEX profiles_changed_at ON profiles (changed_at);
CREATE TABLE removed_profiles (
  id         TEXT PRIMARY KEY NOT NULL,
  changed_at INTEGER NOT NULL
) WITHOUT ROWID, STRICT;
CREATE INDEX removed_profiles_changed_at ON removed_profiles (changed_at);
ALTER TABLE decisions ADD COLUMN changed_at INTEGER NOT NULL DEFAULT 0;
CREATE INDEX decisions_changed_at ON decisions (changed_at);
)sql",
};
constexpr int kSchemaVersion = static_cast<int>(std::size(kMigrations));

// The canonical code for a SQLite result code.
absl::StatusCode CodeFor(int rc) {
  switch (rc & 0xFF) {
    case SQLITE_CONSTRAINT:
    case SQLITE_TOOBIG:
    case SQLITE_MISMATCH:
    case SQLITE_RANGE:
      return absl::StatusCode::kInvalidArgument;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_PERM:
    case SQLITE_PROTOCOL:
      return absl::StatusCode::kUnavailable;
    case SQLITE_FULL:
      return absl::StatusCode::kResourceExhausted;
    case SQLITE_CORRUPT:
      return absl::StatusCode::kDataLoss;
    case SQLITE_NOTADB:
      return absl::StatusCode::kFailedPrecondition;
    default:
      return absl::StatusCode::kInternal;
  }
}

// "store '<path>': <what>: <SQLite's message>".
absl::Status SqliteError(sqlite3* db, int rc, std::string_view path,
                         std::string_view what) {
  const char* detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  return absl::Status(CodeFor(rc), absl::StrCat("store '", Sv(path),
                                                "': ", Sv(what), ": ", detail));
}

// A prepared statement, finalised on destruction. Values are only ever
// bound, never spliced into SQL.
class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql) {
    rc_ = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()),
                             &stmt_, nullptr);
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // SQLITE_OK when the statement compiled and every bind so far succeeded.
  int rc() const { return rc_; }

  void Reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  void BindText(int index, std::string_view value) {
    Keep(sqlite3_bind_text64(stmt_, index, value.data(), value.size(),
                             SQLITE_TRANSIENT, SQLITE_UTF8));
  }
  void BindInt(int index, int64_t value) {
    Keep(sqlite3_bind_int64(stmt_, index, value));
  }
  void BindNull(int index) { Keep(sqlite3_bind_null(stmt_, index)); }

  // SQLITE_ROW, SQLITE_DONE, or the error (also a failed bind or prepare).
  int Step() {
    if (rc_ != SQLITE_OK) return rc_;
    return sqlite3_step(stmt_);
  }

  std::string ColumnText(int column) {
    const auto* text =
        reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
    const int size = sqlite3_column_bytes(stmt_, column);
    return text == nullptr ? std::string() : std::string(text, size);
  }
  int64_t ColumnInt(int column) { return sqlite3_column_int64(stmt_, column); }
  bool ColumnIsNull(int column) {
    return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
  }

 private:
  void Keep(int rc) {
    if (rc_ == SQLITE_OK) rc_ = rc;
  }

  sqlite3_stmt* stmt_ = nullptr;
  int rc_ = SQLITE_OK;
};

absl::Status Exec(sqlite3* db, const char* sql, std::string_view path,
                  std::string_view what) {
  const int rc = sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return SqliteError(db, rc, path, what);
  return absl::OkStatus();
}

// Ends the caller's write transaction: when `status` (of its statements)
// is OK, counts one more write in the change sequence and commits, else
// (or when either fails) rolls back. The status of the whole write.
absl::Status FinishWrite(sqlite3* db, std::string_view path,
                         absl::Status status, std::string_view what) {
  if (status.ok()) {
    status = Exec(db,
                  "INSERT INTO meta (key, value) VALUES ('change_sequence', "
                  "'1') ON CONFLICT (key) DO UPDATE SET "
                  "value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)",
                  path, "counting the write");
  }
  if (status.ok()) {
    status = Exec(db, "COMMIT", path, absl::StrCat("committing ", Sv(what)));
  }
  if (!status.ok()) sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
  return status;
}

struct DbCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using DbHandle = std::unique_ptr<sqlite3, DbCloser>;

absl::Status NotAStore(std::string_view path, std::string_view why) {
  return absl::FailedPreconditionError(
      absl::StrCat("'", Sv(path), "' is not a partner-match store (", Sv(why),
                   "); choose another file"));
}

// The number of tables, views and indexes in the database; reading it is
// the first access to the file, so a file that is not SQLite fails here.
absl::StatusOr<int64_t> SchemaObjectCount(sqlite3* db, std::string_view path) {
  Statement count(db, "SELECT count(*) FROM sqlite_schema");
  const int rc = count.Step();
  if ((rc & 0xFF) == SQLITE_NOTADB) return NotAStore(path, sqlite3_errmsg(db));
  if (rc != SQLITE_ROW) return SqliteError(db, rc, path, "reading the schema");
  return count.ColumnInt(0);
}

// The schema version of a store whose `meta` table names this
// application; FAILED_PRECONDITION for another file or a newer version.
absl::StatusOr<int> ReadSchemaVersion(sqlite3* db, std::string_view path) {
  Statement select(db, "SELECT value FROM meta WHERE key = ?1");
  if (select.rc() != SQLITE_OK) return NotAStore(path, "it has no meta table");
  const auto value = [&](std::string_view key) -> std::optional<std::string> {
    select.Reset();
    select.BindText(1, key);
    if (select.Step() != SQLITE_ROW) return std::nullopt;
    return select.ColumnText(0);
  };
  const std::optional<std::string> application = value("application");
  if (application != kApplication) {
    return NotAStore(path,
                     application.has_value()
                         ? absl::StrCat("application '", *application, "'")
                         : std::string("no application marker"));
  }
  const std::optional<std::string> text = value("schema_version");
  int version = 0;
  if (!text || !absl::SimpleAtoi(*text, &version) || version < 1 ||
      version > kSchemaVersion) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the store '", Sv(path), "' has schema version '", text.value_or(""),
        "'; this program reads version ", kSchemaVersion,
        " (use a newer partner-match, or another file)"));
  }
  return version;
}

// Creates the schema in an empty file or migrates an older one to
// kSchemaVersion, in one transaction, unless another process did it first;
// `created` says whether the file was empty.
absl::Status Migrate(sqlite3* db, std::string_view path, bool& created) {
  created = false;
  absl::Status status =
      Exec(db, "BEGIN IMMEDIATE", path, "starting the schema transaction");
  if (!status.ok()) return status;
  int version = 0;
  absl::StatusOr<int64_t> objects = SchemaObjectCount(db, path);
  if (!objects.ok()) {
    status = objects.status();
  } else if (*objects > 0) {
    absl::StatusOr<int> read = ReadSchemaVersion(db, path);
    if (read.ok()) version = *read;
    status = read.status();
  }
  for (int v = version; status.ok() && v < kSchemaVersion; ++v) {
    status = Exec(db, kMigrations[v], path,
                  absl::StrCat("migrating the schema to version ", v + 1));
  }
  if (status.ok() && version < kSchemaVersion) {
    Statement upsert(db,
                     "INSERT INTO meta (key, value) VALUES (?1, ?2) "
                     "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    const std::string schema_version = std::to_string(kSchemaVersion);
    for (const auto& [key, value] :
         {std::pair<std::string_view, std::string_view>{"application",
                                                        kApplication},
          {"schema_version", schema_version}}) {
      upsert.Reset();
      upsert.BindText(1, key);
      upsert.BindText(2, value);
      const int rc = upsert.Step();
      if (rc != SQLITE_DONE) {
        status = SqliteError(db, rc, path, "writing the meta table");
        break;
      }
    }
  }
  if (status.ok()) {
    status = Exec(db, "COMMIT", path, "committing the schema");
  }
  if (!status.ok()) {
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    return status;
  }
  created = version == 0;
  return absl::OkStatus();
}

// The change sequence (0 before the first write).
absl::StatusOr<int64_t> ReadChangeSequence(sqlite3* db, std::string_view path) {
  Statement select(db,
                   "SELECT CAST(value AS INTEGER) FROM meta "
                   "WHERE key = 'change_sequence'");
  const int rc = select.Step();
  if (rc == SQLITE_DONE) return 0;
  if (rc != SQLITE_ROW) {
    return SqliteError(db, rc, path, "reading the change sequence");
  }
  return select.ColumnInt(0);
}

// Writes one profile inside the caller's transaction. INVALID_ARGUMENT
// "profile '<id>': <constraint>" when the schema refuses it.
absl::Status WriteProfile(sqlite3* db, std::string_view path, Statement& exists,
                          Statement& upsert, Statement& delete_partners,
                          Statement& add_partner, Statement& unremove,
                          const Profile& profile, int64_t change,
                          UpsertCounts& counts) {
  const auto failed = [&](int rc) {
    const std::string what = absl::StrCat("profile '", profile.id, "'");
    if (CodeFor(rc) == absl::StatusCode::kInvalidArgument) {
      return absl::InvalidArgumentError(
          absl::StrCat(what, ": ", sqlite3_errmsg(db)));
    }
    return SqliteError(db, rc, path, what);
  };
  exists.Reset();
  exists.BindText(1, profile.id);
  const int found = exists.Step();
  if (found != SQLITE_ROW && found != SQLITE_DONE) return failed(found);
  (found == SQLITE_ROW ? counts.updated : counts.created) += 1;

  upsert.Reset();
  upsert.BindText(1, profile.id);
  upsert.BindText(2, profile.name);
  upsert.BindText(3, PlaceKindName(profile.kind));
  upsert.BindText(4, profile.country);
  upsert.BindText(5, profile.text);
  upsert.BindInt(6, profile.population);
  if (profile.eu_member.has_value()) {
    upsert.BindInt(7, *profile.eu_member ? 1 : 0);
  } else {
    upsert.BindNull(7);
  }
  upsert.BindText(8, profile.world_region);
  upsert.BindInt(9, change);
  if (int rc = upsert.Step(); rc != SQLITE_DONE) return failed(rc);
  unremove.Reset();
  unremove.BindText(1, profile.id);
  if (int rc = unremove.Step(); rc != SQLITE_DONE) return failed(rc);

  delete_partners.Reset();
  delete_partners.BindText(1, profile.id);
  if (int rc = delete_partners.Step(); rc != SQLITE_DONE) return failed(rc);
  for (size_t i = 0; i < profile.known_partners.size(); ++i) {
    add_partner.Reset();
    add_partner.BindText(1, profile.id);
    add_partner.BindInt(2, static_cast<int64_t>(i));
    add_partner.BindText(3, profile.known_partners[i]);
    if (int rc = add_partner.Step(); rc != SQLITE_DONE) return failed(rc);
  }
  return absl::OkStatus();
}

// Runs `body` (reads) in one read transaction: every query sees one
// snapshot.
template <typename Body>
auto InReadTransaction(sqlite3* db, std::string_view path, Body body)
    -> decltype(body()) {
  if (absl::Status s = Exec(db, "BEGIN", path, "starting a read"); !s.ok()) {
    return s;
  }
  auto outcome = body();
  absl::Status status = outcome.status();
  if (status.ok()) status = Exec(db, "COMMIT", path, "ending a read");
  if (!status.ok()) {
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    return status;
  }
  return outcome;
}

// The profiles last written after change `since` (all for -1), in id
// order, with their known partners.
absl::StatusOr<std::vector<Profile>> ReadProfiles(sqlite3* db,
                                                  std::string_view path,
                                                  int64_t since) {
  std::vector<Profile> profiles;
  if (since < 0) {
    Statement count(db, "SELECT COUNT(*) FROM profiles");
    if (count.Step() == SQLITE_ROW) {
      profiles.reserve(static_cast<size_t>(count.ColumnInt(0)));
    }
  }
  // Every profile: one scan in id order. The changed ones: through the
  // changed_at index (named: without statistics SQLite would scan).
  Statement select(db, since < 0
                           ? "SELECT id, name, kind, country, text, "
                             "population, eu_member, world_region FROM "
                             "profiles ORDER BY id"
                           : "SELECT id, name, kind, country, text, "
                             "population, eu_member, world_region FROM "
                             "profiles INDEXED BY profiles_changed_at "
                             "WHERE changed_at > ?1 ORDER BY id");
  if (since >= 0) select.BindInt(1, since);
  std::unordered_map<std::string, size_t> index;
  int rc;
  while ((rc = select.Step()) == SQLITE_ROW) {
    Profile profile;
    profile.id = select.ColumnText(0);
    profile.name = select.ColumnText(1);
    const std::string kind = select.ColumnText(2);
    std::optional<PlaceKind> parsed = ParsePlaceKind(kind);
    if (!parsed.has_value()) {
      return absl::DataLossError(
          absl::StrCat("store '", Sv(path), "': profile '", profile.id,
                       "' has an unknown kind '", kind, "'"));
    }
    profile.kind = *parsed;
    profile.country = select.ColumnText(3);
    profile.text = select.ColumnText(4);
    profile.population = select.ColumnInt(5);
    if (!select.ColumnIsNull(6)) profile.eu_member = select.ColumnInt(6) != 0;
    profile.world_region = select.ColumnText(7);
    index.emplace(profile.id, profiles.size());
    profiles.push_back(std::move(profile));
  }
  if (rc != SQLITE_DONE) return SqliteError(db, rc, path, "reading profiles");
  Statement partners(
      db, since < 0
              ? "SELECT profile_id, partner_id FROM known_partners "
                "ORDER BY profile_id, position"
              : "SELECT k.profile_id, k.partner_id FROM profiles p "
                "INDEXED BY profiles_changed_at CROSS JOIN known_partners k "
                "ON k.profile_id = p.id WHERE p.changed_at > ?1 "
                "ORDER BY k.profile_id, k.position");
  if (since >= 0) partners.BindInt(1, since);
  while ((rc = partners.Step()) == SQLITE_ROW) {
    auto it = index.find(partners.ColumnText(0));
    if (it == index.end()) continue;  // an orphan row: ignore it
    profiles[it->second].known_partners.push_back(partners.ColumnText(1));
  }
  if (rc != SQLITE_DONE) {
    return SqliteError(db, rc, path, "reading known partners");
  }
  return profiles;
}

// The ids deleted after change `since` and not written again.
absl::StatusOr<std::vector<std::string>> ReadRemoved(sqlite3* db,
                                                     std::string_view path,
                                                     int64_t since) {
  Statement select(
      db,
      "SELECT id FROM removed_profiles INDEXED BY removed_profiles_changed_at "
      "WHERE changed_at > ?1 ORDER BY id");
  select.BindInt(1, since);
  std::vector<std::string> ids;
  int rc;
  while ((rc = select.Step()) == SQLITE_ROW) ids.push_back(select.ColumnText(0));
  if (rc != SQLITE_DONE) {
    return SqliteError(db, rc, path, "reading deleted profiles");
  }
  return ids;
}

// The decisions recorded after change `since` (all for -1), oldest first.
absl::StatusOr<std::vector<Decision>> ReadDecisions(sqlite3* db,
                                                    std::string_view path,
                                                    int64_t since) {
  Statement select(db, since < 0
                           ? "SELECT sequence, profile_id, partner_id, kind, "
                             "who, why, recorded_at FROM decisions "
                             "ORDER BY sequence"
                           : "SELECT sequence, profile_id, partner_id, kind, "
                             "who, why, recorded_at FROM decisions INDEXED BY "
                             "decisions_changed_at WHERE changed_at > ?1 "
                             "ORDER BY sequence");
  if (since >= 0) select.BindInt(1, since);
  std::vector<Decision> decisions;
  int rc;
  while ((rc = select.Step()) == SQLITE_ROW) {
    Decision d;
    d.sequence = select.ColumnInt(0);
    d.profile_id = select.ColumnText(1);
    d.partner_id = select.ColumnText(2);
    const std::string kind = select.ColumnText(3);
    std::optional<DecisionKind> parsed = ParseDecisionKind(kind);
    if (!parsed) {
      return absl::DataLossError(absl::StrCat("store '", Sv(path),
                                              "': decision ", d.sequence,
                                              " has an unknown kind '", kind,
                                              "'"));
    }
    d.kind = *parsed;
    d.who = select.ColumnText(4);
    d.why = select.ColumnText(5);
    d.recorded_at_unix_micros = select.ColumnInt(6);
    decisions.push_back(std::move(d));
  }
  if (rc != SQLITE_DONE) return SqliteError(db, rc, path, "reading decisions");
  return decisions;
}

}  // namespace

std::string DefaultStorePath() {
  const auto env = [](const char* name) -> std::string {
    const char* value = std::getenv(name);
    return value == nullptr ? std::string() : std::string(value);
  };
  for (const char* name : {"PM_DB", "PARTNER_MATCH_DB"}) {
    if (std::string db = env(name); !db.empty()) return db;
  }
  // The XDG spec says a relative XDG_DATA_HOME is invalid and to be ignored.
  if (std::string xdg = env("XDG_DATA_HOME"); !xdg.empty() && xdg[0] == '/') {
    return xdg + "/partner-match/store.db";
  }
  if (std::string home = env("HOME"); !home.empty()) {
    return home + "/.local/share/partner-match/store.db";
  }
  return "partner-match/store.db";  // no home at all: the working directory
}

ProfileStore::ProfileStore(sqlite3* db, std::string path, bool created)
    : db_(db), path_(std::move(path)), created_(created) {}

ProfileStore::~ProfileStore() { sqlite3_close_v2(db_); }

absl::StatusOr<std::unique_ptr<ProfileStore>> ProfileStore::Open(
    const std::string& path) {
  if (path.empty()) return absl::InvalidArgumentError("store path is empty");
  if (path != ":memory:") {
    const std::filesystem::path parent =
        std::filesystem::path(path).parent_path();
    std::error_code error;
    if (!parent.empty()) std::filesystem::create_directories(parent, error);
    if (error) {
      return absl::UnavailableError(
          absl::StrCat("cannot create the directory '", parent.string(),
                       "' for the store '", path, "': ", error.message()));
    }
  }
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(
      path.c_str(), &raw,
      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
      nullptr);
  DbHandle db(raw);  // closed on every early return
  if (rc != SQLITE_OK) {
    return absl::UnavailableError(absl::StrCat(
        "cannot open the store '", path,
        "': ", raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
  }
  sqlite3_busy_timeout(db.get(), kBusyTimeoutMs);

  // Refuse a foreign file before writing anything to it (even the WAL
  // journal mode is a write).
  absl::StatusOr<int64_t> objects = SchemaObjectCount(db.get(), path);
  if (!objects.ok()) return objects.status();
  int version = 0;
  if (*objects > 0) {
    PM_ASSIGN_OR_RETURN(version, ReadSchemaVersion(db.get(), path));
  }
  if (sqlite3_db_readonly(db.get(), "main") == 1) {
    return absl::UnavailableError(absl::StrCat(
        "the store '", path, "' is read-only (check the file's permissions)"));
  }
  // WAL lets readers run beside the writer; synchronous=FULL makes every
  // acknowledged commit survive a crash or power loss. A file system that
  // cannot do WAL keeps its journal mode, durability is the same.
  for (const char* pragma :
       {"PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL",
        "PRAGMA foreign_keys = ON"}) {
    if (absl::Status s = Exec(db.get(), pragma, path, pragma); !s.ok()) {
      return s;
    }
  }
  bool created = false;
  if (version < kSchemaVersion) {
    PM_RETURN_IF_ERROR(Migrate(db.get(), path, created));
  }
  return std::unique_ptr<ProfileStore>(
      new ProfileStore(db.release(), path, created));
}

absl::StatusOr<UpsertCounts> ProfileStore::Upsert(
    const std::vector<Profile>& profiles) {
  UpsertCounts counts;
  if (profiles.empty()) return counts;
  PM_RETURN_IF_ERROR(CheckDistinctIds(profiles));

  std::lock_guard<std::mutex> lock(mu_);
  if (absl::Status s = Exec(db_, "BEGIN IMMEDIATE", path_,
                            "starting the upsert transaction");
      !s.ok()) {
    return s;
  }
  absl::StatusOr<int64_t> change = ReadChangeSequence(db_, path_);
  absl::Status status = change.status();
  if (status.ok()) {
    // Finalised before COMMIT/ROLLBACK.
    Statement exists(db_, "SELECT 1 FROM profiles WHERE id = ?1");
    Statement upsert(db_,
                     "INSERT INTO profiles (id, name, kind, country, text, "
                     "population, eu_member, world_region, changed_at) "
                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
                     "ON CONFLICT (id) DO UPDATE SET name = excluded.name, "
                     "kind = excluded.kind, country = excluded.country, "
                     "text = excluded.text, population = excluded.population, "
                     "eu_member = excluded.eu_member, "
                     "world_region = excluded.world_region, "
                     "changed_at = excluded.changed_at");
    Statement unremove(db_, "DELETE FROM removed_profiles WHERE id = ?1");
    Statement delete_partners(
        db_, "DELETE FROM known_partners WHERE profile_id = ?1");
    Statement add_partner(db_,
                          "INSERT INTO known_partners (profile_id, position, "
                          "partner_id) VALUES (?1, ?2, ?3)");
    for (const Profile& profile : profiles) {
      status = WriteProfile(db_, path_, exists, upsert, delete_partners,
                            add_partner, unremove, profile, *change + 1,
                            counts);
      if (!status.ok()) break;
    }
  }
  PM_RETURN_IF_ERROR(FinishWrite(db_, path_, status, "the upsert"));
  return counts;
}

absl::Status ProfileStore::Delete(std::string_view id) {
  std::lock_guard<std::mutex> lock(mu_);
  if (absl::Status s = Exec(db_, "BEGIN IMMEDIATE", path_,
                            "starting the delete transaction");
      !s.ok()) {
    return s;
  }
  absl::StatusOr<int64_t> change = ReadChangeSequence(db_, path_);
  absl::Status status = change.status();
  if (status.ok()) {
    Statement partners(db_, "DELETE FROM known_partners WHERE profile_id = ?1");
    partners.BindText(1, id);
    int rc = partners.Step();
    if (rc == SQLITE_DONE) {
      Statement profile(db_, "DELETE FROM profiles WHERE id = ?1");
      profile.BindText(1, id);
      rc = profile.Step();
    }
    const bool found = rc == SQLITE_DONE && sqlite3_changes(db_) > 0;
    if (found) {
      Statement remove(db_,
                       "INSERT INTO removed_profiles (id, changed_at) "
                       "VALUES (?1, ?2) ON CONFLICT (id) DO UPDATE SET "
                       "changed_at = excluded.changed_at");
      remove.BindText(1, id);
      remove.BindInt(2, *change + 1);
      rc = remove.Step();
    }
    if (rc != SQLITE_DONE) {
      status = SqliteError(db_, rc, path_,
                           absl::StrCat("deleting profile '", Sv(id), "'"));
    } else if (!found) {
      status = absl::NotFoundError(
          absl::StrCat("no profile with id '", Sv(id), "'"));
    }
  }
  return FinishWrite(db_, path_, status, "the delete");
}

absl::StatusOr<Decision> ProfileStore::RecordDecision(Decision decision) {
  std::lock_guard<std::mutex> lock(mu_);
  decision.recorded_at_unix_micros =
      std::chrono::duration_cast<std::chrono::microseconds>(
          std::chrono::system_clock::now().time_since_epoch())
          .count();
  if (absl::Status s = Exec(db_, "BEGIN IMMEDIATE", path_,
                            "starting the decision transaction");
      !s.ok()) {
    return s;
  }
  absl::Status status;
  {
    Statement insert(db_,
                     "INSERT INTO decisions (profile_id, partner_id, kind, "
                     "who, why, recorded_at, changed_at) VALUES (?1, ?2, ?3, "
                     "?4, ?5, ?6, (SELECT COALESCE(MAX(CAST(value AS "
                     "INTEGER)), 0) + 1 FROM meta WHERE key = "
                     "'change_sequence'))");
    insert.BindText(1, decision.profile_id);
    insert.BindText(2, decision.partner_id);
    insert.BindText(3, DecisionKindName(decision.kind));
    insert.BindText(4, decision.who);
    insert.BindText(5, decision.why);
    insert.BindInt(6, decision.recorded_at_unix_micros);
    if (int rc = insert.Step(); rc != SQLITE_DONE) {
      status = SqliteError(db_, rc, path_, "recording a decision");
    }
  }
  decision.sequence = sqlite3_last_insert_rowid(db_);
  PM_RETURN_IF_ERROR(FinishWrite(db_, path_, status, "the decision"));
  return decision;
}

absl::StatusOr<int64_t> ProfileStore::ChangeSequence() const {
  std::lock_guard<std::mutex> lock(mu_);
  return ReadChangeSequence(db_, path_);
}

absl::StatusOr<int64_t> ProfileStore::WaitForChange(int64_t seen,
                                                    absl::Duration timeout) {
  constexpr absl::Duration kPollInterval = absl::Milliseconds(20);
  // The monotonic clock: a change of the wall clock moves no timeout.
  const auto deadline = std::chrono::steady_clock::now() +
                        absl::ToChronoNanoseconds(timeout);
  while (true) {
    absl::StatusOr<int64_t> sequence = ChangeSequence();
    if (!sequence.ok() || *sequence > seen) return sequence;
    const absl::Duration left =
        absl::FromChrono(deadline - std::chrono::steady_clock::now());
    if (left <= absl::ZeroDuration()) return sequence;
    std::this_thread::sleep_for(
        absl::ToChronoMicroseconds(std::min(left, kPollInterval)));
  }
}

absl::StatusOr<std::vector<Decision>> ProfileStore::LoadDecisions() const {
  std::lock_guard<std::mutex> lock(mu_);
  return ReadDecisions(db_, path_, -1);
}

absl::StatusOr<std::vector<Profile>> ProfileStore::LoadAll() const {
  std::lock_guard<std::mutex> lock(mu_);
  // One read transaction: both queries see the same snapshot.
  return InReadTransaction(db_, path_, [&] { return ReadProfiles(db_, path_, -1); });
}

std::string DerivedIndexPath(const std::string& store_path) {
  return store_path + ".index";
}

absl::StatusOr<std::string> ProfileStore::LoadDerivedIndex() const {
  const std::string path = DerivedIndexPath(path_);
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (path_ == ":memory:" || !in) {
    return absl::NotFoundError(absl::StrCat("no index file '", path, "'"));
  }
  // One read of the whole file.
  std::string bytes(
      static_cast<size_t>(std::max<std::streamoff>(in.tellg(), 0)), '\0');
  in.seekg(0);
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!in) {
    return absl::DataLossError(
        absl::StrCat("cannot read the index file '", path, "' whole"));
  }
  return bytes;
}

absl::Status ProfileStore::SaveDerivedIndex(std::string_view bytes) {
  if (path_ == ":memory:") return absl::OkStatus();
  const std::string path = DerivedIndexPath(path_);
  // Unique per process and thread: two saves at once each write their own
  // file, and the last rename wins with a whole file.
  const std::string temporary = absl::StrCat(
      path, ".tmp", static_cast<long>(::getpid()), "-",
      std::hash<std::thread::id>()(std::this_thread::get_id()));
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.flush();
    if (!out) {
      std::remove(temporary.c_str());
      return absl::UnavailableError(
          absl::StrCat("cannot write the index file '", temporary, "'"));
    }
  }
  std::error_code error;
  std::filesystem::rename(temporary, path, error);
  if (error) {
    std::remove(temporary.c_str());
    return absl::UnavailableError(absl::StrCat(
        "cannot replace the index file '", path, "': ", error.message()));
  }
  return absl::OkStatus();
}

absl::StatusOr<StoreChanges> ProfileStore::ChangesSince(int64_t since) const {
  std::lock_guard<std::mutex> lock(mu_);
  return InReadTransaction(
      db_, path_, [&]() -> absl::StatusOr<StoreChanges> {
        StoreChanges changes;
        PM_ASSIGN_OR_RETURN(changes.sequence, ReadChangeSequence(db_, path_));
        PM_ASSIGN_OR_RETURN(changes.upserted, ReadProfiles(db_, path_, since));
        PM_ASSIGN_OR_RETURN(changes.removed, ReadRemoved(db_, path_, since));
        PM_ASSIGN_OR_RETURN(changes.decisions, ReadDecisions(db_, path_, since));
        return changes;
      });
}

}  // namespace pm
