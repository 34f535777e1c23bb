// Query throughput of a running `partner-match serve` (issue 10, point 6):
// `--in-flight` client threads, each with one request outstanding at a time
// on a shared channel, send SuggestPartners for `--seconds`, then
// Health/Check for as long, and the program prints for each RPC the calls,
// QPS and the p50/p99/max latency, side by side. SuggestPartners asks for
// random ids `<prefix><i>`, i < `--profiles` (the ids of
// benchmarks/synthetic_profiles.h), with the server's default k and
// diversity. The first second of each RPC is a warm-up, not counted.
//
//   build/benchmarks/write_benchmark --n 100000 --jsonl /tmp/p100k.jsonl
//   build/partner-match --db /tmp/s.db init --empty
//   build/partner-match --db /tmp/s.db import /tmp/p100k.jsonl
//   build/partner-match --db /tmp/s.db serve --port 50051 &
//   build/partner-match health --address 127.0.0.1:50051 --wait 60
//   build/benchmarks/grpc_load --address 127.0.0.1:50051 --in-flight 8
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "grpc/health/v1/health.grpc.pb.h"
#include "partnermatch/v1/partner_match.grpc.pb.h"

namespace {

namespace pb = ::partnermatch::v1;
using Clock = std::chrono::steady_clock;

struct Load {
  size_t calls = 0;
  size_t errors = 0;
  double seconds = 0;
  std::vector<double> ms;  // latency of each call counted
};

// `in_flight` threads call `call(thread, rng)` back to back; calls that end
// in the first `warmup` are not counted.
Load Run(int in_flight, double warmup, double seconds,
         const std::function<grpc::Status(std::mt19937_64&)>& call) {
  const Clock::time_point start = Clock::now();
  const Clock::time_point counted =
      start + std::chrono::duration_cast<Clock::duration>(
                  std::chrono::duration<double>(warmup));
  const Clock::time_point end =
      counted + std::chrono::duration_cast<Clock::duration>(
                    std::chrono::duration<double>(seconds));
  std::vector<Load> loads(static_cast<size_t>(in_flight));
  std::vector<std::thread> threads;
  for (int t = 0; t < in_flight; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937_64 rng(static_cast<uint64_t>(t) + 1);
      Load& load = loads[static_cast<size_t>(t)];
      while (true) {
        const Clock::time_point sent = Clock::now();
        if (sent >= end) break;
        const grpc::Status status = call(rng);
        const Clock::time_point done = Clock::now();
        if (sent < counted || done > end) continue;
        ++load.calls;
        if (!status.ok()) {
          if (++load.errors == 1) {
            std::fprintf(stderr, "error: %s\n", status.error_message().c_str());
          }
        }
        load.ms.push_back(
            std::chrono::duration<double, std::milli>(done - sent).count());
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  Load all;
  all.seconds = seconds;
  for (Load& load : loads) {
    all.calls += load.calls;
    all.errors += load.errors;
    all.ms.insert(all.ms.end(), load.ms.begin(), load.ms.end());
  }
  std::sort(all.ms.begin(), all.ms.end());
  return all;
}

void Print(const char* rpc, int in_flight, const Load& load) {
  auto at = [&](double q) {
    if (load.ms.empty()) return 0.0;
    return load.ms[std::min(load.ms.size() - 1,
                            static_cast<size_t>(q * static_cast<double>(load.ms.size())))];
  };
  std::printf("%-16s %2d in flight  %8zu calls  %8.1f QPS  p50 %7.2f ms  "
              "p99 %7.2f ms  max %7.2f ms  errors %zu\n",
              rpc, in_flight, load.calls,
              static_cast<double>(load.calls) / load.seconds, at(0.5), at(0.99),
              load.ms.empty() ? 0.0 : load.ms.back(), load.errors);
}

int Usage() {
  std::fprintf(stderr,
               "usage: grpc_load --address HOST:PORT [--profiles 100000] "
               "[--prefix p] [--in-flight 8] [--seconds 20]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string address;
  std::string prefix = "p";
  long profiles = 100000;
  int in_flight = 8;
  double seconds = 20;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const char* value = argv[i + 1];
    if (flag == "--address") {
      address = value;
    } else if (flag == "--profiles") {
      profiles = std::atol(value);
    } else if (flag == "--prefix") {
      prefix = value;
    } else if (flag == "--in-flight") {
      in_flight = std::atoi(value);
    } else if (flag == "--seconds") {
      seconds = std::atof(value);
    } else {
      return Usage();
    }
  }
  if (argc % 2 == 0 || address.empty() || profiles < 1 || in_flight < 1 ||
      seconds <= 0) {
    return Usage();
  }
  const std::shared_ptr<grpc::Channel> channel =
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
  const auto match = pb::PartnerMatch::NewStub(channel);
  const auto health = grpc::health::v1::Health::NewStub(channel);
  constexpr double kWarmup = 1.0;

  const Load suggest = Run(in_flight, kWarmup, seconds, [&](std::mt19937_64& rng) {
    pb::SuggestPartnersRequest request;
    request.set_profile_id(
        prefix + std::to_string(rng() % static_cast<uint64_t>(profiles)));
    pb::SuggestPartnersResponse response;
    grpc::ClientContext context;
    return match->SuggestPartners(&context, request, &response);
  });
  const Load check = Run(in_flight, kWarmup, seconds, [&](std::mt19937_64&) {
    grpc::health::v1::HealthCheckRequest request;
    grpc::health::v1::HealthCheckResponse response;
    grpc::ClientContext context;
    return health->Check(&context, request, &response);
  });
  Print("SuggestPartners", in_flight, suggest);
  Print("Health/Check", in_flight, check);
  return suggest.errors + check.errors == 0 ? 0 : 1;
}
