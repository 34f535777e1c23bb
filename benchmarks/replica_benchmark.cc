// Replicas over one PostgreSQL database: how long a write acknowledged by
// replica A takes to be visible on replica B, and SuggestPartners
// throughput through one replica and through two. Starts its own
// PostgreSQL 15 (tests/support/postgres_server.h, fsync on) and two
// `partner-match serve` processes on this machine. With profiles > 0 the
// store first holds that many synthetic profiles (benchmarks/
// synthetic_profiles.h); the replicas' start times are printed (A derives
// the index and saves it in the database, B restores it from there).
//
//   build/benchmarks/replica_benchmark [writes=1000] [seconds=5] [clients=4]
//                                      [profiles=0]
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmarks/synthetic_profiles.h"
#include "engine/store/store.h"
#include "tests/support/postgres_server.h"
#include "tests/support/serve_process.h"

namespace {

namespace pb = ::partnermatch::v1;
using Clock = std::chrono::steady_clock;
using pm::testing::ServeProcess;

std::unique_ptr<grpc::ClientContext> Context() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::seconds(30));
  return context;
}

double Millis(Clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

double Percentile(std::vector<double> values, double p) {
  std::sort(values.begin(), values.end());
  const size_t at = static_cast<size_t>(p * (values.size() - 1) + 0.5);
  return values[at];
}

// SuggestPartners calls per second by `clients` threads for `seconds`,
// spread round robin over `replicas`.
double SuggestQps(const std::vector<ServeProcess*>& replicas,
                  const std::string& id, int clients, int seconds) {
  std::atomic<long> calls{0};
  std::atomic<bool> failed{false};
  const auto end = Clock::now() + std::chrono::seconds(seconds);
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      pb::SuggestPartnersRequest request;
      request.set_profile_id(id);
      pb::SuggestPartnersResponse response;
      for (size_t i = c; Clock::now() < end; ++i) {
        ServeProcess& replica = *replicas[i % replicas.size()];
        if (!replica.stub()
                 .SuggestPartners(Context().get(), request, &response)
                 .ok()) {
          failed = true;
          return;
        }
        ++calls;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  if (failed) std::fprintf(stderr, "a SuggestPartners call failed\n");
  return static_cast<double>(calls) / seconds;
}

}  // namespace

int main(int argc, char** argv) {
  const int writes = argc > 1 ? std::atoi(argv[1]) : 1000;
  const int seconds = argc > 2 ? std::atoi(argv[2]) : 5;
  const int clients = argc > 3 ? std::atoi(argv[3]) : 4;
  const size_t profiles = argc > 4 ? std::strtoul(argv[4], nullptr, 10) : 0;
  auto server = pm::testing::PostgresServer::Start(/*durable=*/true);
  if (!server.ok()) {
    std::fprintf(stderr, "%s\n", std::string(server.status().message()).c_str());
    return 1;
  }
  auto url = (*server)->NewDatabase();
  if (!url.ok()) return 1;
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() /
      absl::StrCat("replica_benchmark_", ::getpid());
  std::filesystem::create_directories(dir);
  std::string suggest_id = "dublin";  // a bundled profile
  if (profiles > 0) {
    const auto start = Clock::now();
    auto store = pm::OpenStore(*url);
    const std::vector<pm::Profile> synthetic = pm::SyntheticProfiles(profiles);
    if (!store.ok() || !(*store)->Upsert(synthetic).ok()) {
      std::fprintf(stderr, "cannot write the synthetic profiles\n");
      return 1;
    }
    suggest_id = synthetic.front().id;
    std::printf("%zu synthetic profiles written in %.1f s\n", profiles,
                Millis(Clock::now() - start) / 1000);
  }
  {
    auto start = Clock::now();
    ServeProcess a(PM_CLI_BINARY, *url, dir, "a");
    const double a_start = Millis(Clock::now() - start) / 1000;
    start = Clock::now();
    ServeProcess b(PM_CLI_BINARY, *url, dir, "b");
    const double b_start = Millis(Clock::now() - start) / 1000;
    std::printf("replica A listening after %.2f s (derived the index, saved "
                "it in the database); B after %.2f s (restored it)\n",
                a_start, b_start);
    if (!a.started() || !b.started()) {
      std::fprintf(stderr, "a replica did not start:\n%s\n%s\n",
                   a.log().c_str(), b.log().c_str());
      return 1;
    }
    std::vector<double> acked, visible;
    pb::UpsertProfilesRequest upsert;
    pb::Profile* p = upsert.add_profiles();
    p->set_id("benchtown");
    p->set_kind("city");
    p->set_country("BR");
    p->set_text("A port city with experience in water management.");
    pb::GetProfileRequest get;
    get.set_id("benchtown");
    for (int i = 0; i < writes; ++i) {
      const std::string name = absl::StrCat("Benchtown ", i);
      p->set_name(name);
      const auto start = Clock::now();
      pb::UpsertProfilesResponse response;
      if (!a.stub().UpsertProfiles(Context().get(), upsert, &response).ok()) {
        std::fprintf(stderr, "upsert %d failed\n", i);
        return 1;
      }
      acked.push_back(Millis(Clock::now() - start));
      const auto seen = pm::testing::WaitUntil(
          [&] {
            pb::GetProfileResponse profile;
            return b.stub().GetProfile(Context().get(), get, &profile).ok() &&
                   profile.profile().name() == name;
          },
          std::chrono::seconds(10));
      if (!seen) {
        std::fprintf(stderr, "write %d not visible on B within 10 s\n", i);
        return 1;
      }
      visible.push_back(Millis(Clock::now() - start));
    }
    std::printf("%d writes through replica A (UpsertProfiles of one profile)\n",
                writes);
    std::printf("  acknowledged by A:        p50 %7.2f ms  p99 %7.2f ms\n",
                Percentile(acked, 0.5), Percentile(acked, 0.99));
    std::printf("  visible on replica B:     p50 %7.2f ms  p99 %7.2f ms  "
                "max %7.2f ms (from the call's start; B polled every 1 ms)\n",
                Percentile(visible, 0.5), Percentile(visible, 0.99),
                *std::max_element(visible.begin(), visible.end()));
    const double one = SuggestQps({&a}, suggest_id, clients, seconds);
    const double two = SuggestQps({&a, &b}, suggest_id, clients, seconds);
    std::printf("SuggestPartners, %d client threads, %d s each:\n", clients,
                seconds);
    std::printf("  through one replica:  %8.0f calls/s\n", one);
    std::printf("  through two replicas: %8.0f calls/s (round robin)\n", two);
  }
  std::filesystem::remove_all(dir);
  return 0;
}
