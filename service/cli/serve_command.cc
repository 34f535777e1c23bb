// serve.
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "engine/catalog/store_follower.h"
#include "engine/matching/reciprocal_scorer.h"
#include "service/cli/cli_common.h"
#include "service/grpc/server.h"

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

int RunServe(const Context& common, const std::string& host, int port) {
  service::BlockShutdownSignals();
  auto catalog = OpenCatalog(common, MissingStore::kCreateAtDefaultPath);
  if (!catalog.ok()) return Fail(catalog.status());
  ReciprocalScorer scorer;
  auto server = service::PartnerMatchServer::Start(
      **catalog, absl::StrCat(host, ":", port), scorer.options());
  if (!server.ok()) return Fail(server.status());
  std::cout << "partner-match serving partnermatch.v1.PartnerMatch on " << host
            << ":" << (*server)->port() << " ("
            << (common.profiles.empty() ? "store " + (*catalog)->store_path()
                                        : "profiles " + common.profiles)
            << ")\n";
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
  struct Options {
    std::string host = "127.0.0.1";
    int port = 50051;
  };
  auto options = std::make_shared<Options>();
  CLI::App* serve = app.add_subcommand("serve", "Run the gRPC server");
  serve->add_option("--port", options->port,
                    "Port to listen on (0 picks a free one)")
      ->check(CLI::Range(0, 65535));
  serve->add_option("--host", options->host,
                    "Address to listen on; 0.0.0.0 for every interface");
  AddProfilesOption(serve, ctx);
  serve->callback([&ctx, options] {
    ctx.exit_code = RunServe(ctx, options->host, options->port);
  });
}

}  // namespace pm::cli
