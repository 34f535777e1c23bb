#include "engine/store/postgres_store.h"

#include <libpq-fe.h>
#include <poll.h>

#include <chrono>
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
        if (auto s = session.BumpChangeSequence(); !s.ok()) return s.status();
        for (const Profile& p : profiles) {
          const std::string what = absl::StrCat("profile '", p.id, "'");
          std::optional<std::string> eu;
          if (p.eu_member.has_value()) eu = *p.eu_member ? "true" : "false";
          absl::StatusOr<Result> row = session.Run(
              what,
              "INSERT INTO profiles (id, name, kind, country, text, "
              "population, eu_member, world_region) "
              "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
              "ON CONFLICT (id) DO UPDATE SET name = excluded.name, "
              "kind = excluded.kind, country = excluded.country, "
              "text = excluded.text, population = excluded.population, "
              "eu_member = excluded.eu_member, "
              "world_region = excluded.world_region "
              "RETURNING (xmax = 0)",
              {p.id, p.name, std::string(PlaceKindName(p.kind)), p.country,
               p.text, std::to_string(p.population), eu, p.world_region});
          if (!row.ok()) return row.status();
          (Text(row->get(), 0, 0) == "t" ? counts.created : counts.updated) +=
              1;
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
    if (auto s = session.BumpChangeSequence(); !s.ok()) return s.status();
    absl::StatusOr<Result> deleted =
        session.Run(absl::StrCat("deleting profile '", Sv(id), "'"),
                    "DELETE FROM profiles WHERE id = $1", {std::string(id)});
    if (!deleted.ok()) return deleted.status();
    if (std::string_view(PQcmdTuples(deleted->get())) == "0") {
      return absl::NotFoundError(
          absl::StrCat("no profile with id '", Sv(id), "'"));
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<Profile>> PostgresStore::LoadAll() const {
  std::lock_guard<std::mutex> lock(mu_);
  if (auto s = EnsureConnected(conn_, false); !s.ok()) return s.status();
  Session session(conn_, display_);
  // One snapshot for both queries; ids in byte order, as SQLite sorts them.
  return session.InTransaction(
      "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
      [&]() -> absl::StatusOr<std::vector<Profile>> {
        absl::StatusOr<Result> rows = session.Run(
            "reading profiles",
            "SELECT id, name, kind, country, text, population, eu_member, "
            "world_region FROM profiles ORDER BY id COLLATE \"C\"");
        if (!rows.ok()) return rows.status();
        const PGresult* r = rows->get();
        std::vector<Profile> profiles;
        std::unordered_map<std::string, size_t> index;
        for (int i = 0; i < PQntuples(r); ++i) {
          Profile profile;
          profile.id = Text(r, i, 0);
          profile.name = Text(r, i, 1);
          const std::string kind = Text(r, i, 2);
          std::optional<PlaceKind> parsed = ParsePlaceKind(kind);
          if (!parsed.has_value()) {
            return absl::DataLossError(
                absl::StrCat("store '", display_, "': profile '", profile.id,
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
            "SELECT profile_id, partner_id FROM known_partners "
            "ORDER BY profile_id, position");
        if (!partners.ok()) return partners.status();
        for (int i = 0; i < PQntuples(partners->get()); ++i) {
          auto it = index.find(Text(partners->get(), i, 0));
          if (it == index.end()) continue;
          profiles[it->second].known_partners.push_back(
              Text(partners->get(), i, 1));
        }
        return profiles;
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
    if (auto s = session.BumpChangeSequence(); !s.ok()) return s.status();
    absl::StatusOr<Result> row = session.Run(
        "recording a decision",
        "INSERT INTO decisions (profile_id, partner_id, kind, who, why, "
        "recorded_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING sequence",
        {decision.profile_id, decision.partner_id,
         std::string(DecisionKindName(decision.kind)), decision.who,
         decision.why, std::to_string(decision.recorded_at_unix_micros)});
    if (!row.ok()) return row.status();
    decision.sequence = Int(row->get(), 0, 0);
    return decision;
  });
}

absl::StatusOr<std::vector<Decision>> PostgresStore::LoadDecisions() const {
  std::lock_guard<std::mutex> lock(mu_);
  if (auto s = EnsureConnected(conn_, false); !s.ok()) return s.status();
  Session session(conn_, display_);
  absl::StatusOr<Result> rows = session.Run(
      "reading decisions",
      "SELECT sequence, profile_id, partner_id, kind, who, why, recorded_at "
      "FROM decisions ORDER BY sequence");
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
      return absl::DataLossError(absl::StrCat("store '", display_,
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
  const absl::Time deadline = absl::Now() + timeout;
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
    const absl::Duration left = deadline - absl::Now();
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
