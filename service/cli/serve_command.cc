// serve.
#include <chrono>
#include <cstdint>
#include <iostream>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "engine/catalog/store_follower.h"
#include "engine/matching/reciprocal_scorer.h"
#include "service/cli/cli_common.h"
#include "service/grpc/server.h"
#include "service/progress_log.h"

namespace pm::cli {
namespace {

void PrintSummary(const MatchIndex& index, const ReciprocalScorer& scorer) {
  int cities = 0, eu = 0;
  for (const IndexedProfile& p : index.profiles()) {
    cities += IsCityLike(p.profile.kind);
    eu += p.eu_member;
  }
  const int n = static_cast<int>(index.size());
  std::cout << n << " profiles loaded: " << cities << " cities, " << n - cities
            << " regions; " << eu << " EU members, " << n - eu
            << " in partner countries\n";
  // The summary is O(n²·T): skip it for cohorts far beyond a programme's.
  constexpr size_t kMaxSummaryProfiles = 5000;
  if (index.size() > kMaxSummaryProfiles || index.size() < 2) return;
  auto pairs = scorer.StrongestPairs(index, 5);
  if (pairs.empty()) return;
  std::cout << "strongest suggested pairs:\n";
  for (const auto& [a, s] : pairs) {
    std::string themes;
    for (const MatchReason& r : s.reasons) {
      if (!themes.empty()) themes += ", ";
      themes += index.taxonomy().themes()[r.theme].id;
      if (themes.size() > 60) break;
    }
    std::cout << absl::StrFormat("  %.3f  %s (%s) — %s (%s): %s\n",
                                 s.parts.score, index.at(a).profile.name,
                                 index.at(a).profile.country,
                                 index.at(s.partner).profile.name,
                                 index.at(s.partner).profile.country, themes);
  }
}

struct ServeOptions {
  std::string host = "127.0.0.1";
  int port = 50051;
  std::string auth_tokens;  // a token file; empty: no auth
  bool auth_reads = false;
  bool insecure = false;
  std::string tls_cert, tls_key, tls_client_ca;
  double shutdown_grace_seconds = 5;
};

int RunServe(Context common, const ServeOptions& flags) {
  service::BlockShutdownSignals();
  // The server logs the milestones of long work (the index build of a large
  // store, large imports and plans) instead of drawing a bar.
  service::ProgressLog log(std::cerr);
  common.progress = &log;
  service::ServerOptions options;
  if (!flags.auth_tokens.empty()) {
    auto tokens = service::AuthTokens::Load(flags.auth_tokens);
    if (!tokens.ok()) return Fail(tokens.status());
    options.auth_tokens = *std::move(tokens);
  } else if (flags.auth_reads) {
    return Fail(absl::InvalidArgumentError("--auth-reads needs --auth-tokens"));
  }
  options.auth_reads = flags.auth_reads;
  options.insecure = flags.insecure;
  options.tls_cert_file = flags.tls_cert;
  options.tls_key_file = flags.tls_key;
  options.tls_client_ca_file = flags.tls_client_ca;
  options.shutdown_grace = std::chrono::milliseconds(
      static_cast<int64_t>(flags.shutdown_grace_seconds * 1000));
  auto catalog = OpenCatalog(common, MissingStore::kCreateAtDefaultPath);
  if (!catalog.ok()) return Fail(catalog.status());
  ReciprocalScorer scorer;
  const std::string& host = flags.host;
  auto server = service::PartnerMatchServer::Start(
      **catalog, absl::StrCat(host, ":", flags.port), scorer.options(),
      std::move(options));
  if (!server.ok()) return Fail(server.status());
  std::cout << "partner-match serving partnermatch.v1.PartnerMatch on " << host
            << ":" << (*server)->port() << " ("
            << (common.profiles.empty() ? "store " + (*catalog)->store_path()
                                        : "profiles " + common.profiles)
            << ")" << (flags.tls_cert.empty() ? "" : " over TLS")
            << (flags.auth_tokens.empty() ? ", open to every caller"
                                          : ", with bearer tokens")
            << "\n";
  PrintSummary(*(*catalog)->Snapshot(), scorer);
  // Other processes may write to the store (replicas over one PostgreSQL
  // database, or commands on the same SQLite file): follow them.
  std::unique_ptr<StoreFollower> follower;
  if (common.profiles.empty()) {
    service::PartnerMatchServer* running = server->get();
    follower = std::make_unique<StoreFollower>(
        **catalog, [running](bool serving, const std::string& why) {
          running->SetServing(serving);
          std::cerr << "partner-match: " << (serving ? "SERVING" : "NOT_SERVING")
                    << ": " << why << std::endl;
        },
        absl::Seconds(1), [](const StoreFollower::Refreshed& r) {
          std::cerr << "partner-match: snapshot at change " << r.sequence
                    << ", " << r.profiles << " profiles: another process's "
                    << "writes applied in "
                    << absl::FormatDuration(absl::Trunc(r.took, absl::Milliseconds(1)))
                    << std::endl;
        });
  }
  std::cout << "Ctrl-C or SIGTERM stops the server." << std::endl;
  service::ServeUntilSignal(**server);
  follower.reset();
  std::cout << "stopped" << std::endl;
  return 0;
}

}  // namespace

void AddServeCommand(CLI::App& app, Context& ctx) {
  auto options = std::make_shared<ServeOptions>();
  CLI::App* serve = app.add_subcommand("serve", "Run the gRPC server");
  serve->add_option("--port", options->port,
                    "Port to listen on (0 picks a free one)")
      ->check(CLI::Range(0, 65535));
  serve->add_option("--host", options->host,
                    "Address to listen on; 0.0.0.0 for every interface "
                    "(needs --auth-tokens, or --insecure)");
  serve->add_option("--auth-tokens", options->auth_tokens,
                    "Token file: one 'NAME TOKEN' a line ('NAME TOKEN read' "
                    "for a read-only token); writes then need "
                    "'authorization: Bearer TOKEN'")
      ->check(CLI::ExistingFile);
  serve->add_flag("--auth-reads", options->auth_reads,
                  "Reads need a token too (with --auth-tokens)");
  serve->add_flag("--insecure", options->insecure,
                  "Serve a non-loopback --host without --auth-tokens");
  serve->add_option("--tls-cert", options->tls_cert,
                    "TLS: the server's certificate chain (PEM)");
  serve->add_option("--tls-key", options->tls_key,
                    "TLS: the server's private key (PEM)");
  serve->add_option("--tls-client-ca", options->tls_client_ca,
                    "Mutual TLS: require client certificates signed by "
                    "these CAs (PEM)");
  serve->add_option("--shutdown-grace", options->shutdown_grace_seconds,
                    "Seconds running calls get to finish after SIGTERM "
                    "before they are cancelled")
      ->check(CLI::Range(0.0, 300.0));
  AddProfilesOption(serve, ctx);
  serve->callback([&ctx, options] {
    ctx.exit_code = RunServe(ctx, *options);
  });
}

}  // namespace pm::cli
