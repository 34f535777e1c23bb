#include "engine/store/postgres_store.h"

#include <libpq-fe.h>
#include <libpq/libpq-fs.h>
#include <poll.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <unordered_map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "engine/common/status_macros.h"
#include "engine/common/strings.h"

namespace pm {
namespace {

constexpr std::string_view kApplication = "partner-match";

// kMigrations[v] takes the schema from version v to v + 1 (version 0: an
// empty database). Append a migration for every schema change; never edit
// one that has shipped.
constexpr const char* kMigrations[] = {
    R"sql(
CREATE TABLE pm_change (
  only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  sequence bigint NOT NULL CHECK (sequence >= 0)
);
INSERT INTO pm_change (sequence) VALUES (0);
CREATE TABLE profiles (
  id           text PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 64),
  name         text NOT NULL CHECK (length(name) > 0),
  kind         text NOT NULL CHECK (kind IN ('city', 'region', 'association')),
  country      text NOT NULL CHECK (length(country) = 2),
  text         text NOT NULL CHECK (length(text) > 0),
  population   bigint NOT NULL DEFAULT 0 CHECK (population >= 0),
  eu_member    boolean,
  world_region text NOT NULL DEFAULT ''
);
CREATE TABLE known_partners (
  profile_id text NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
  position   integer NOT NULL CHECK (position >= 0),
  partner_id text NOT NULL CHECK (length(partner_id) BETWEEN 1 AND 64),
  PRIMARY KEY (profile_id, position)
);
CREATE TABLE decisions (
  sequence    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  profile_id  text NOT NULL CHECK (length(profile_id) BETWEEN 1 AND 64),
  partner_id  text NOT NULL CHECK (length(partner_id) BETWEEN 1 AND 64),
  kind        text NOT NULL CHECK (kind IN ('accepted', 'declined', 'existing')),
  who         text NOT NULL CHECK (length(who) > 0),
  why         text NOT NULL DEFAULT '',
  recorded_at bigint NOT NULL
);
CREATE FUNCTION pm_decisions_append_only() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the decision log is append-only';
END $$;
CREATE TRIGGER decisions_no_update_or_delete BEFORE UPDATE OR DELETE
  ON decisions FOR EACH ROW EXECUTE FUNCTION pm_decisions_append_only();
CREATE TRIGGER decisions_no_truncate BEFORE TRUNCATE
  ON decisions FOR EACH STATEMENT EXECUTE FUNCTION pm_decisions_append_only();
)sql",
    // Version 2: the change that last wrote each profile, the deleted ids
    // and the change that recorded each decision (ChangesSince), and the
    // saved derived index.
    R"sql(
ALTER TABLE profiles ADD COLUMN changed_at bigint NOT NULL DEFAULT 0;
CREATE INDEX profiles_changed_at ON profiles (changed_at);
CREATE TABLE removed_profiles (
  id         text PRIMARY KEY,
  changed_at bigint NOT NULL
);
CREATE INDEX removed_profiles_changed_at ON removed_profiles (changed_at);
ALTER TABLE decisions ADD COLUMN changed_at bigint NOT NULL DEFAULT 0;
CREATE INDEX decisions_changed_at ON decisions (changed_at);
CREATE TABLE pm_derived_index (
  only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  data     oid,
  saved_at bigint NOT NULL DEFAULT 0
);
INSERT INTO pm_derived_index (data) VALUES (NULL);
)sql",
};
static_assert(std::size(kMigrations) == PostgresStore::kSchemaVersion);

// Any 64-bit number: the advisory lock that serialises schema migrations.
constexpr int64_t kMigrationLock = 0x706d5f736368656dLL;  // "pm_schem"

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

struct ConnDeleter {
  void operator()(PGconn* c) const { PQfinish(c); }
};
using Conn = std::unique_ptr<PGconn, ConnDeleter>;

// libpq's messages end with a newline and may span lines: one line.
std::string OneLine(std::string_view message) {
  std::string out(message);
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) {
    out.pop_back();
  }
  for (char& c : out) {
    if (c == '\n') c = ' ';
  }
  return out;
}

// The canonical code for a failed statement, by its SQLSTATE class.
absl::StatusCode CodeFor(PGconn* conn, const PGresult* result) {
  if (PQstatus(conn) == CONNECTION_BAD) return absl::StatusCode::kUnavailable;
  const char* state =
      result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  if (state == nullptr) return absl::StatusCode::kUnavailable;
  const std::string_view s(state);
  if (StartsWith(s, "22") || StartsWith(s, "23")) {
    return absl::StatusCode::kInvalidArgument;  // data exception, constraint
  }
  if (StartsWith(s, "08") || StartsWith(s, "57")) {
    return absl::StatusCode::kUnavailable;  // connection, operator action
  }
  if (StartsWith(s, "40")) return absl::StatusCode::kAborted;
  if (StartsWith(s, "53")) return absl::StatusCode::kResourceExhausted;
  return absl::StatusCode::kInternal;
}

// Runs `sql` with text parameters (nullopt: NULL); values are only ever
// bound, never spliced into SQL. Returns the result when the statement
// succeeded, else the error "store '<url>': <what>: <PostgreSQL's message>".
class Session {
 public:
  Session(PGconn* conn, const std::string& display)
      : conn_(conn), display_(display) {}

  absl::StatusOr<Result> Run(
      std::string_view what, const char* sql,
      const std::vector<std::optional<std::string>>& params = {}) {
    std::vector<const char*> values;
    std::vector<int> lengths;
    for (const std::optional<std::string>& p : params) {
      values.push_back(p.has_value() ? p->c_str() : nullptr);
      lengths.push_back(p.has_value() ? static_cast<int>(p->size()) : 0);
    }
    // Without parameters, the simple protocol: `sql` may hold several
    // statements (the migrations do).
    Result result(params.empty()
                      ? PQexec(conn_, sql)
                      : PQexecParams(conn_, sql,
                                     static_cast<int>(params.size()), nullptr,
                                     values.data(), lengths.data(), nullptr,
                                     0));
    const ExecStatusType status =
        result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
      return result;
    }
    return Error(result.get(), what);
  }

  absl::Status Error(const PGresult* result, std::string_view what) {
    // The primary message only: DETAIL may quote a whole row.
    const char* primary =
        result != nullptr ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY)
                          : nullptr;
    const char* detail = primary != nullptr ? primary : PQerrorMessage(conn_);
    const absl::StatusCode code = CodeFor(conn_, result);
    if (code == absl::StatusCode::kInvalidArgument) {
      return absl::InvalidArgumentError(
          absl::StrCat(Sv(what), ": ", OneLine(detail)));
    }
    return absl::Status(code, absl::StrCat("store '", display_, "': ", Sv(what),
                                           ": ", OneLine(detail)));
  }

  // Runs `body` in one transaction: COMMIT when it succeeds, else ROLLBACK.
  template <typename Body>
  auto InTransaction(const char* begin, Body body) -> decltype(body()) {
    if (absl::StatusOr<Result> r = Run("starting a transaction", begin);
        !r.ok()) {
      return r.status();
    }
    auto outcome = body();
    if (outcome.ok()) {
      if (absl::StatusOr<Result> r = Run("committing", "COMMIT"); !r.ok()) {
        return r.status();
      }
      return outcome;
    }
    PQclear(PQexec(conn_, "ROLLBACK"));
    return outcome;
  }

  // Counts one more write and announces it (NOTIFY is delivered at commit).
  // First in every write transaction: the row lock serialises writers.
  absl::StatusOr<int64_t> BumpChangeSequence() {
    absl::StatusOr<Result> r = Run(
        "counting the write",
        "WITH c AS (UPDATE pm_change SET sequence = sequence + 1 "
        "RETURNING sequence) "
        "SELECT sequence, pg_notify('partner_match_changes', sequence::text) "
        "FROM c");
    if (!r.ok()) return r.status();
    return std::strtoll(PQgetvalue(r->get(), 0, 0), nullptr, 10);
  }

 private:
  PGconn* conn_;
  const std::string& display_;
};

std::string Text(const PGresult* r, int row, int column) {
  return std::string(PQgetvalue(r, row, column), PQgetlength(r, row, column));
}

int64_t Int(const PGresult* r, int row, int column) {
  return std::strtoll(PQgetvalue(r, row, column), nullptr, 10);
}

// The profiles last written after change `since` (all for -1), in id
// byte order (as SQLite sorts them), with their known partners.
absl::StatusOr<std::vector<Profile>> ReadProfiles(Session& session,
                                                  const std::string& display,
                                                  int64_t since) {
  const std::string after = std::to_string(since);
  absl::StatusOr<Result> rows = session.Run(
      "reading profiles",
      "SELECT id, name, kind, country, text, population, eu_member, "
      "world_region FROM profiles WHERE changed_at > $1 "
      "ORDER BY id COLLATE \"C\"",
      {after});
  if (!rows.ok()) return rows.status();
  const PGresult* r = rows->get();
  std::vector<Profile> profiles;
  profiles.reserve(static_cast<size_t>(PQntuples(r)));
  std::unordered_map<std::string, size_t> index;
  for (int i = 0; i < PQntuples(r); ++i) {
    Profile profile;
    profile.id = Text(r, i, 0);
    profile.name = Text(r, i, 1);
    const std::string kind = Text(r, i, 2);
    std::optional<PlaceKind> parsed = ParsePlaceKind(kind);
    if (!parsed.has_value()) {
      return absl::DataLossError(
          absl::StrCat("store '", display, "': profile '", profile.id,
                       "' has an unknown kind '", kind, "'"));
    }
    profile.kind = *parsed;
    profile.country = Text(r, i, 3);
    profile.text = Text(r, i, 4);
    profile.population = Int(r, i, 5);
    if (!PQgetisnull(r, i, 6)) profile.eu_member = Text(r, i, 6) == "t";
    profile.world_region = Text(r, i, 7);
    index.emplace(profile.id, profiles.size());
    profiles.push_back(std::move(profile));
  }
  absl::StatusOr<Result> partners = session.Run(
      "reading known partners",
      "SELECT k.profile_id, k.partner_id FROM known_partners k "
      "JOIN profiles p ON p.id = k.profile_id WHERE p.changed_at > $1 "
      "ORDER BY k.profile_id, k.position",
      {after});
  if (!partners.ok()) return partners.status();
  for (int i = 0; i < PQntuples(partners->get()); ++i) {
    auto it = index.find(Text(partners->get(), i, 0));
    if (it == index.end()) continue;
    profiles[it->second].known_partners.push_back(Text(partners->get(), i, 1));
  }
  return profiles;
}

// The decisions recorded after change `since` (all for -1), oldest first.
absl::StatusOr<std::vector<Decision>> ReadDecisions(Session& session,
                                                    const std::string& display,
                                                    int64_t since) {
  absl::StatusOr<Result> rows = session.Run(
      "reading decisions",
      "SELECT sequence, profile_id, partner_id, kind, who, why, recorded_at "
      "FROM decisions WHERE changed_at > $1 ORDER BY sequence",
      {std::to_string(since)});
  if (!rows.ok()) return rows.status();
  const PGresult* r = rows->get();
  std::vector<Decision> decisions;
  decisions.reserve(PQntuples(r));
  for (int i = 0; i < PQntuples(r); ++i) {
    Decision d;
    d.sequence = Int(r, i, 0);
    d.profile_id = Text(r, i, 1);
    d.partner_id = Text(r, i, 2);
    const std::string kind = Text(r, i, 3);
    std::optional<DecisionKind> parsed = ParseDecisionKind(kind);
    if (!parsed) {
      return absl::DataLossError(absl::StrCat("store '", display,
                                              "': decision ", d.sequence,
                                              " has an unknown kind '", kind,
                                              "'"));
    }
    d.kind = *parsed;
    d.who = Text(r, i, 4);
    d.why = Text(r, i, 5);
    d.recorded_at_unix_micros = Int(r, i, 6);
    decisions.push_back(std::move(d));
  }
  return decisions;
}

// Large objects move in chunks of this size.
constexpr size_t kLargeObjectChunk = size_t{1} << 20;

// A new large object holding `bytes`, inside the caller's transaction.
absl::StatusOr<Oid> WriteLargeObject(Session& session, PGconn* conn,
                                     std::string_view bytes) {
  const Oid oid = lo_creat(conn, INV_READ | INV_WRITE);
  if (oid == InvalidOid) return session.Error(nullptr, "saving the index");
  const int fd = lo_open(conn, oid, INV_WRITE);
  if (fd < 0) return session.Error(nullptr, "saving the index");
  for (size_t at = 0; at < bytes.size(); at += kLargeObjectChunk) {
    const size_t n = std::min(kLargeObjectChunk, bytes.size() - at);
    if (lo_write(conn, fd, bytes.data() + at, n) != static_cast<int>(n)) {
      return session.Error(nullptr, "saving the index");
    }
  }
  if (lo_close(conn, fd) != 0) return session.Error(nullptr, "saving the index");
  return oid;
}

// The whole of large object `oid`, inside the caller's transaction.
absl::StatusOr<std::string> ReadLargeObject(Session& session, PGconn* conn,
                                            Oid oid) {
  const int fd = lo_open(conn, oid, INV_READ);
  if (fd < 0) return session.Error(nullptr, "reading the saved index");
  const int64_t size = lo_lseek64(conn, fd, 0, SEEK_END);
  if (size < 0 || lo_lseek64(conn, fd, 0, SEEK_SET) != 0) {
    return session.Error(nullptr, "reading the saved index");
  }
  std::string bytes(static_cast<size_t>(size), '\0');
  for (size_t at = 0; at < bytes.size();) {
    const int n = lo_read(conn, fd, bytes.data() + at,
                          std::min(kLargeObjectChunk, bytes.size() - at));
    if (n <= 0) return session.Error(nullptr, "reading the saved index");
    at += static_cast<size_t>(n);
  }
  lo_close(conn, fd);
  return bytes;
}

// Opens a connection; UNAVAILABLE naming the database when it fails.
absl::StatusOr<Conn> Connect(const std::string& url,
                             const std::string& display) {
  // The URL's own parameters (it comes last) override these defaults.
  const char* keywords[] = {"connect_timeout", "fallback_application_name",
                            "dbname", nullptr};
  const char* values[] = {"10", "partner-match", url.c_str(), nullptr};
  Conn conn(PQconnectdbParams(keywords, values, /*expand_dbname=*/1));
  if (conn == nullptr) {
    return absl::ResourceExhaustedError("out of memory connecting to PostgreSQL");
  }
  if (PQstatus(conn.get()) != CONNECTION_OK) {
    return absl::UnavailableError(
        absl::StrCat("cannot connect to the store '", display,
                     "': ", OneLine(PQerrorMessage(conn.get()))));
  }
  // Quiet: NOTICEs ("relation already exists, skipping") are not errors.
  PQsetNoticeProcessor(
      conn.get(), [](void*, const char*) {}, nullptr);
  return conn;
}

// Creates or migrates the schema to kSchemaVersion; `created` when the
// database had none.
absl::Status Migrate(Session& session, const std::string& display,
                     bool& created) {
  return session.InTransaction("BEGIN", [&]() -> absl::Status {
    absl::StatusOr<Result> lock =
        session.Run("waiting for the schema lock", "SELECT pg_advisory_xact_lock($1)",
                    {std::to_string(kMigrationLock)});
    if (!lock.ok()) return lock.status();
    absl::StatusOr<Result> table =
        session.Run("reading the schema version",
                    "SELECT to_regclass('pm_schema') IS NOT NULL");
    if (!table.ok()) return table.status();
    int version = 0;
    if (Text(table->get(), 0, 0) == "t") {
      absl::StatusOr<Result> row = session.Run(
          "reading the schema version",
          "SELECT application, version FROM pm_schema");
      if (!row.ok()) return row.status();
      if (PQntuples(row->get()) != 1 ||
          Text(row->get(), 0, 0) != kApplication) {
        return absl::FailedPreconditionError(absl::StrCat(
            "the database '", display,
            "' has a pm_schema table that is not partner-match's; choose "
            "another database"));
      }
      version = static_cast<int>(Int(row->get(), 0, 1));
    } else {
      absl::StatusOr<Result> create = session.Run(
          "creating the schema version table",
          "CREATE TABLE pm_schema (application text NOT NULL, "
          "version integer NOT NULL); "
          "INSERT INTO pm_schema VALUES ('partner-match', 0)");
      if (!create.ok()) return create.status();
    }
    if (version > PostgresStore::kSchemaVersion) {
      return absl::FailedPreconditionError(absl::StrCat(
          "the store '", display, "' has schema version ", version,
          "; this program reads version ", PostgresStore::kSchemaVersion,
          " (use a newer partner-match, or another database)"));
    }
    created = version == 0;
    for (int v = version; v < PostgresStore::kSchemaVersion; ++v) {
      absl::StatusOr<Result> step = session.Run(
          absl::StrCat("migrating the schema to version ", v + 1),
          kMigrations[v]);
      if (!step.ok()) return step.status();
    }
    absl::StatusOr<Result> done =
        session.Run("writing the schema version",
                    "UPDATE pm_schema SET version = $1",
                    {std::to_string(PostgresStore::kSchemaVersion)});
    return done.ok() ? absl::OkStatus() : done.status();
  });
}

}  // namespace

std::string RedactPostgresUrl(std::string_view url) {
  std::string out(url);
  const size_t scheme = out.find("://");
  if (scheme != std::string::npos) {
    const size_t start = scheme + 3;
    const size_t end = out.find_first_of("/?", start);
    const size_t at = out.rfind('@', end == std::string::npos ? out.size() - 1
                                                                : end - 1);
    if (at != std::string::npos && at >= start) {
      const size_t colon = out.find(':', start);
      if (colon != std::string::npos && colon < at) {
        out.erase(colon, at - colon);
      }
    }
  }
  // A password=… parameter: drop it with its separator.
  for (size_t p = out.find("password="); p != std::string::npos;
       p = out.find("password=", p)) {
    if (p == 0 || (out[p - 1] != '?' && out[p - 1] != '&')) {
      ++p;
      continue;
    }
    size_t end = out.find('&', p);
    if (end == std::string::npos) {
      out.erase(out[p - 1] == '&' ? p - 1 : p);
    } else {
      out.erase(p, end + 1 - p);
    }
  }
  if (!out.empty() && out.back() == '?') out.pop_back();
  return out;
}

PostgresStore::PostgresStore(PGconn* conn, std::string url, bool created)
    : url_(std::move(url)),
      display_(RedactPostgresUrl(url_)),
      created_(created),
      conn_(conn) {}

PostgresStore::~PostgresStore() {
  PQfinish(conn_);
  if (listen_ != nullptr) PQfinish(listen_);
}

absl::StatusOr<std::unique_ptr<PostgresStore>> PostgresStore::Open(
    const std::string& url) {
  const std::string display = RedactPostgresUrl(url);
  absl::StatusOr<Conn> conn = Connect(url, display);
  if (!conn.ok()) return conn.status();
  Session session(conn->get(), display);
  bool created = false;
  if (absl::Status s = Migrate(session, display, created); !s.ok()) return s;
  return std::unique_ptr<PostgresStore>(
      new PostgresStore(conn->release(), url, created));
}

absl::StatusOr<bool> PostgresStore::EnsureConnected(PGconn*& conn,
                                                    bool listening) const {
  if (conn != nullptr && PQstatus(conn) == CONNECTION_OK) {
    // The server writes to an idle connection when it closes it (a
    // restart, pg_terminate_backend), or to deliver a NOTIFY: reconnect in
    // the first case before a call is sent on a dead connection.
    pollfd fd{PQsocket(conn), POLLIN, 0};
    if (::poll(&fd, 1, 0) == 0) return false;
    if (listening && PQconsumeInput(conn) == 1) return false;
  }
  if (conn != nullptr) PQfinish(conn);
  conn = nullptr;
  absl::StatusOr<Conn> fresh = Connect(url_, display_);
  if (!fresh.ok()) return fresh.status();
  conn = fresh->release();
  return true;
}

absl::StatusOr<UpsertCounts> PostgresStore::Upsert(
    const std::vector<Profile>& profiles) {
  UpsertCounts counts;
  if (profiles.empty()) return counts;
  PM_RETURN_IF_ERROR(CheckDistinctIds(profiles));
  for (const Profile& profile : profiles) {
    for (const auto& [field, value] :
         {std::pair<const char*, const std::string*>{"id", &profile.id},
          {"name", &profile.name},
          {"text", &profile.text},
          {"world_region", &profile.world_region}}) {
      if (value->find('\0') != std::string::npos) {
        return absl::InvalidArgumentError(
            absl::StrCat("profile '", profile.id, "': field '", field,
                         "' holds a NUL byte, which PostgreSQL cannot store"));
      }
    }
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (auto s = EnsureConnected(conn_, false); !s.ok()) return s.status();
  Session session(conn_, display_);
  return session.InTransaction(
      "BEGIN", [&]() -> absl::StatusOr<UpsertCounts> {
        absl::StatusOr<int64_t> change = session.BumpChangeSequence();
        if (!change.ok()) return change.status();
        const std::string changed_at = std::to_string(*change);
        for (const Profile& p : profiles) {
          const std::string what = absl::StrCat("profile '", p.id, "'");
          std::optional<std::string> eu;
          if (p.eu_member.has_value()) eu = *p.eu_member ? "true" : "false";
          absl::StatusOr<Result> row = session.Run(
              what,
              "INSERT INTO profiles (id, name, kind, country, text, "
              "population, eu_member, world_region, changed_at) "
              "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
              "ON CONFLICT (id) DO UPDATE SET name = excluded.name, "
              "kind = excluded.kind, country = excluded.country, "
              "text = excluded.text, population = excluded.population, "
              "eu_member = excluded.eu_member, "
              "world_region = excluded.world_region, "
              "changed_at = excluded.changed_at "
              "RETURNING (xmax = 0)",
              {p.id, p.name, std::string(PlaceKindName(p.kind)), p.country,
               p.text, std::to_string(p.population), eu, p.world_region,
               changed_at});
          if (!row.ok()) return row.status();
          (Text(row->get(), 0, 0) == "t" ? counts.created : counts.updated) +=
              1;
          absl::StatusOr<Result> unremoved = session.Run(
              what, "DELETE FROM removed_profiles WHERE id = $1", {p.id});
          if (!unremoved.ok()) return unremoved.status();
          absl::StatusOr<Result> cleared =
              session.Run(what, "DELETE FROM known_partners WHERE profile_id = $1",
                          {p.id});
          if (!cleared.ok()) return cleared.status();
          for (size_t i = 0; i < p.known_partners.size(); ++i) {
            absl::StatusOr<Result> added = session.Run(
                what,
                "INSERT INTO known_partners (profile_id, position, "
                "partner_id) VALUES ($1, $2, $3)",
                {p.id, std::to_string(i), p.known_partners[i]});
            if (!added.ok()) return added.status();
          }
        }
        return counts;
      });
}

absl::Status PostgresStore::Delete(std::string_view id) {
  std::lock_guard<std::mutex> lock(mu_);
  if (auto s = EnsureConnected(conn_, false); !s.ok()) return s.status();
  Session session(conn_, display_);
  return session.InTransaction("BEGIN", [&]() -> absl::Status {
    absl::StatusOr<int64_t> change = session.BumpChangeSequence();
    if (!change.ok()) return change.status();
    const std::string what = absl::StrCat("deleting profile '", Sv(id), "'");
    absl::StatusOr<Result> deleted = session.Run(
        what, "DELETE FROM profiles WHERE id = $1", {std::string(id)});
    if (!deleted.ok()) return deleted.status();
    if (std::string_view(PQcmdTuples(deleted->get())) == "0") {
      return absl::NotFoundError(
          absl::StrCat("no profile with id '", Sv(id), "'"));
    }
    absl::StatusOr<Result> removed = session.Run(
        what,
        "INSERT INTO removed_profiles (id, changed_at) VALUES ($1, $2) "
        "ON CONFLICT (id) DO UPDATE SET changed_at = excluded.changed_at",
        {std::string(id), std::to_string(*change)});
    return removed.ok() ? absl::OkStatus() : removed.status();
  });
}

absl::StatusOr<std::vector<Profile>> PostgresStore::LoadAll() const {
  std::lock_guard<std::mutex> lock(mu_);
  if (auto s = EnsureConnected(conn_, false); !s.ok()) return s.status();
  Session session(conn_, display_);
  // One snapshot for both queries.
  return session.InTransaction(
      "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
      [&] { return ReadProfiles(session, display_, -1); });
}

absl::StatusOr<StoreChanges> PostgresStore::ChangesSince(int64_t since) const {
  std::lock_guard<std::mutex> lock(mu_);
  if (auto s = EnsureConnected(conn_, false); !s.ok()) return s.status();
  Session session(conn_, display_);
  return session.InTransaction(
      "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
      [&]() -> absl::StatusOr<StoreChanges> {
        StoreChanges changes;
        absl::StatusOr<Result> sequence = session.Run(
            "reading the change sequence", "SELECT sequence FROM pm_change");
        if (!sequence.ok()) return sequence.status();
        changes.sequence = Int(sequence->get(), 0, 0);
        PM_ASSIGN_OR_RETURN(changes.upserted,
                            ReadProfiles(session, display_, since));
        absl::StatusOr<Result> removed = session.Run(
            "reading deleted profiles",
            "SELECT id FROM removed_profiles WHERE changed_at > $1 "
            "ORDER BY id COLLATE \"C\"",
            {std::to_string(since)});
        if (!removed.ok()) return removed.status();
        for (int i = 0; i < PQntuples(removed->get()); ++i) {
          changes.removed.push_back(Text(removed->get(), i, 0));
        }
        PM_ASSIGN_OR_RETURN(changes.decisions,
                            ReadDecisions(session, display_, since));
        return changes;
      });
}

absl::StatusOr<Decision> PostgresStore::RecordDecision(Decision decision) {
  decision.recorded_at_unix_micros =
      std::chrono::duration_cast<std::chrono::microseconds>(
          std::chrono::system_clock::now().time_since_epoch())
          .count();
  std::lock_guard<std::mutex> lock(mu_);
  if (auto s = EnsureConnected(conn_, false); !s.ok()) return s.status();
  Session session(conn_, display_);
  return session.InTransaction("BEGIN", [&]() -> absl::StatusOr<Decision> {
    absl::StatusOr<int64_t> change = session.BumpChangeSequence();
    if (!change.ok()) return change.status();
    absl::StatusOr<Result> row = session.Run(
        "recording a decision",
        "INSERT INTO decisions (profile_id, partner_id, kind, who, why, "
        "recorded_at, changed_at) VALUES ($1, $2, $3, $4, $5, $6, $7) "
        "RETURNING sequence",
        {decision.profile_id, decision.partner_id,
         std::string(DecisionKindName(decision.kind)), decision.who,
         decision.why, std::to_string(decision.recorded_at_unix_micros),
         std::to_string(*change)});
    if (!row.ok()) return row.status();
    decision.sequence = Int(row->get(), 0, 0);
    return decision;
  });
}

absl::StatusOr<std::vector<Decision>> PostgresStore::LoadDecisions() const {
  std::lock_guard<std::mutex> lock(mu_);
  if (auto s = EnsureConnected(conn_, false); !s.ok()) return s.status();
  Session session(conn_, display_);
  return ReadDecisions(session, display_, -1);
}

absl::StatusOr<std::string> PostgresStore::LoadDerivedIndex() const {
  absl::StatusOr<Conn> conn = Connect(url_, display_);
  if (!conn.ok()) return conn.status();
  Session session(conn->get(), display_);
  return session.InTransaction(
      "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
      [&]() -> absl::StatusOr<std::string> {
        absl::StatusOr<Result> row = session.Run(
            "reading the saved index",
            "SELECT data FROM pm_derived_index WHERE data IS NOT NULL");
        if (!row.ok()) return row.status();
        if (PQntuples(row->get()) == 0) {
          return absl::NotFoundError(absl::StrCat(
              "no saved index in the store '", display_, "'"));
        }
        const Oid oid =
            static_cast<Oid>(std::strtoul(PQgetvalue(row->get(), 0, 0),
                                          nullptr, 10));
        return ReadLargeObject(session, conn->get(), oid);
      });
}

absl::Status PostgresStore::SaveDerivedIndex(std::string_view bytes) {
  absl::StatusOr<Conn> conn = Connect(url_, display_);
  if (!conn.ok()) return conn.status();
  Session session(conn->get(), display_);
  return session.InTransaction("BEGIN", [&]() -> absl::Status {
    // The row lock serialises savers: each unlinks the object it replaces.
    absl::StatusOr<Result> old = session.Run(
        "saving the index", "SELECT data FROM pm_derived_index FOR UPDATE");
    if (!old.ok()) return old.status();
    absl::StatusOr<Oid> oid = WriteLargeObject(session, conn->get(), bytes);
    if (!oid.ok()) return oid.status();
    absl::StatusOr<Result> saved = session.Run(
        "saving the index",
        "UPDATE pm_derived_index SET data = $1, "
        "saved_at = (SELECT sequence FROM pm_change)",
        {std::to_string(*oid)});
    if (!saved.ok()) return saved.status();
    if (PQntuples(old->get()) == 1 && !PQgetisnull(old->get(), 0, 0)) {
      absl::StatusOr<Result> unlinked =
          session.Run("saving the index", "SELECT lo_unlink($1)",
                      {Text(old->get(), 0, 0)});
      if (!unlinked.ok()) return unlinked.status();
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<int64_t> PostgresStore::ChangeSequence() const {
  std::lock_guard<std::mutex> lock(mu_);
  if (auto s = EnsureConnected(conn_, false); !s.ok()) return s.status();
  Session session(conn_, display_);
  absl::StatusOr<Result> row = session.Run(
      "reading the change sequence", "SELECT sequence FROM pm_change");
  if (!row.ok()) return row.status();
  return Int(row->get(), 0, 0);
}

absl::StatusOr<int64_t> PostgresStore::WaitForChange(int64_t seen,
                                                     absl::Duration timeout) {
  std::lock_guard<std::mutex> lock(listen_mu_);
  // The monotonic clock: a change of the wall clock moves no timeout.
  const auto deadline = std::chrono::steady_clock::now() +
                        absl::ToChronoNanoseconds(timeout);
  absl::StatusOr<bool> fresh = EnsureConnected(listen_, true);
  if (!fresh.ok()) return fresh.status();
  Session session(listen_, display_);
  const auto current = [&]() -> absl::StatusOr<int64_t> {
    absl::StatusOr<Result> row = session.Run(
        "reading the change sequence", "SELECT sequence FROM pm_change");
    if (!row.ok()) return row.status();
    return Int(row->get(), 0, 0);
  };
  if (*fresh) {
    absl::StatusOr<Result> listen =
        session.Run("listening for changes", "LISTEN partner_match_changes");
    if (!listen.ok()) {
      PQfinish(listen_);  // the next call connects and listens again
      listen_ = nullptr;
      return listen.status();
    }
  }
  // After LISTEN, so a write committed meanwhile is either read here or
  // notified below.
  absl::StatusOr<int64_t> latest = current();
  if (!latest.ok() || *latest > seen) return latest;
  while (true) {
    while (PGnotify* notify = PQnotifies(listen_)) {
      const int64_t sequence = std::strtoll(notify->extra, nullptr, 10);
      PQfreemem(notify);
      if (sequence > *latest) *latest = sequence;
    }
    if (*latest > seen) return latest;
    const absl::Duration left =
        absl::FromChrono(deadline - std::chrono::steady_clock::now());
    if (left <= absl::ZeroDuration()) return current();  // the periodic check
    pollfd fd{PQsocket(listen_), POLLIN, 0};
    const int ready = ::poll(
        &fd, 1, static_cast<int>(absl::ToInt64Milliseconds(left)) + 1);
    if (ready > 0 && PQconsumeInput(listen_) == 0) {
      return absl::UnavailableError(
          absl::StrCat("store '", display_, "': waiting for changes: ",
                       OneLine(PQerrorMessage(listen_))));
    }
  }
}

}  // namespace pm
