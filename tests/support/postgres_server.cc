#include "tests/support/postgres_server.h"

#include <libpq-fe.h>
#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>

#include "absl/strings/str_cat.h"

namespace pm::testing {
namespace {

namespace fs = std::filesystem;

// The directory of initdb and pg_ctl: $PM_PG_BINDIR, else Debian's
// /usr/lib/postgresql/<newest>/bin, else empty (then they come from PATH).
std::string BinDir() {
  if (const char* dir = std::getenv("PM_PG_BINDIR"); dir != nullptr && *dir) {
    return std::string(dir) + "/";
  }
  std::string best;
  int best_version = -1;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", ec)) {
    const int version = std::atoi(entry.path().filename().c_str());
    if (version > best_version && fs::exists(entry.path() / "bin" / "initdb")) {
      best_version = version;
      best = (entry.path() / "bin").string() + "/";
    }
  }
  return best;
}

std::string Slurp(const fs::path& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs `command`, its output into `log`; an error quoting the log's end.
absl::Status Run(const std::string& command, const fs::path& log,
                 const std::string& what) {
  const int rc = std::system((command + " >" + log.string() + " 2>&1").c_str());
  if (rc == 0) return absl::OkStatus();
  std::string output = Slurp(log);
  if (output.size() > 600) output = output.substr(output.size() - 600);
  return absl::UnavailableError(
      absl::StrCat("cannot ", what, " (", command, "): ", output));
}

}  // namespace

PostgresServer::PostgresServer(std::string dir, std::string run_as)
    : dir_(std::move(dir)), run_as_(std::move(run_as)) {}

PostgresServer::~PostgresServer() {
  std::system((run_as_ + BinDir() + "pg_ctl -D " + dir_ +
               "/data -m immediate -w stop >/dev/null 2>&1")
                  .c_str());
  std::error_code ignored;
  fs::remove_all(dir_, ignored);
}

absl::StatusOr<std::unique_ptr<PostgresServer>> PostgresServer::Start(
    bool durable) {
  std::string dir_template = (fs::temp_directory_path() / "pm_pg_XXXXXX");
  if (::mkdtemp(dir_template.data()) == nullptr) {
    return absl::UnavailableError("cannot create a temporary directory");
  }
  std::string run_as;
  if (::geteuid() == 0) {
    const passwd* user = ::getpwnam("postgres");
    if (user == nullptr) {
      fs::remove_all(dir_template);
      return absl::UnavailableError(
          "running as root and there is no 'postgres' user to run "
          "PostgreSQL as (install Debian's postgresql package)");
    }
    if (::chown(dir_template.c_str(), user->pw_uid, user->pw_gid) != 0) {
      fs::remove_all(dir_template);
      return absl::UnavailableError(
          absl::StrCat("cannot give ", dir_template, " to 'postgres'"));
    }
    run_as = "runuser -u postgres -- ";
  }
  // Owned now: removed (and the server stopped) on every return below.
  std::unique_ptr<PostgresServer> server(
      new PostgresServer(dir_template, run_as));
  const fs::path dir(dir_template);
  const std::string bin = BinDir();
  if (absl::Status s =
          Run(run_as + bin + "initdb -D " + dir_template +
                  "/data -U postgres --auth=trust -E UTF8 --locale=C "
                  "--no-sync",
              dir / "initdb.log", "initdb a PostgreSQL cluster");
      !s.ok()) {
    return s;
  }
  // Only the Unix socket in dir.
  if (absl::Status s = Run(
          run_as + bin + "pg_ctl -D " + dir_template + "/data -l " +
              dir_template + "/server.log -w -t 60 -o \"-k " + dir_template +
              " -c listen_addresses='' -c max_connections=50" +
              (durable ? "" : " -c fsync=off") + "\" start",
          dir / "pg_ctl.log", "start PostgreSQL");
      !s.ok()) {
    return absl::UnavailableError(absl::StrCat(
        s.message(), " ", Slurp(dir / "server.log").substr(0, 600)));
  }
  return server;
}

absl::StatusOr<PostgresServer*> PostgresServer::Shared() {
  static std::mutex mu;
  static PostgresServer* running = nullptr;
  static absl::StatusOr<PostgresServer*>* shared = nullptr;
  std::lock_guard<std::mutex> lock(mu);
  if (shared == nullptr) {
    absl::StatusOr<std::unique_ptr<PostgresServer>> started =
        Start(/*durable=*/false);
    if (started.ok()) {
      running = started->release();
      std::atexit([] { delete running; });  // stops it
      shared = new absl::StatusOr<PostgresServer*>(running);
    } else {
      shared = new absl::StatusOr<PostgresServer*>(absl::UnavailableError(
          absl::StrCat("PostgreSQL could not start, so this test is "
                       "skipped: ",
                       started.status().message())));
    }
  }
  return *shared;
}

std::string PostgresServer::Url(const std::string& name) const {
  return absl::StrCat("postgresql://postgres@/", name, "?host=", dir_);
}

absl::StatusOr<std::string> PostgresServer::NewDatabase() {
  const std::string name = absl::StrCat("pm_test_", ++databases_);
  PGconn* conn = PQconnectdb(Url("postgres").c_str());
  PGresult* result =
      PQexec(conn, absl::StrCat("CREATE DATABASE ", name, " STRATEGY FILE_COPY").c_str());
  const bool ok = PQresultStatus(result) == PGRES_COMMAND_OK;
  const std::string error = PQerrorMessage(conn);
  PQclear(result);
  PQfinish(conn);
  if (!ok) {
    return absl::UnavailableError(
        absl::StrCat("cannot create database ", name, ": ", error));
  }
  return Url(name);
}

}  // namespace pm::testing
