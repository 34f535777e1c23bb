// Writes at scale: what an UpsertProfiles of one profile costs a catalog of
// n profiles (the ack), what the first SuggestPartners after it costs, and
// Suggest latency while upserts stream in from another thread, next to the
// same reads with no writer. Profiles are generated at run time from the
// bundled ones (synthetic_profiles.h).
//
//   build/benchmarks/write_benchmark --n 100000 --writes 200
//   build/benchmarks/write_benchmark --n 100000 --jsonl FILE   # only writes
//       FILE: the n profiles as JSON Lines, for a timed `partner-match import`
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "benchmarks/synthetic_profiles.h"
#include "engine/catalog/profile_catalog.h"
#include "engine/io/profile_format.h"
#include "engine/matching/exposure.h"

namespace pm {
namespace {

using Clock = std::chrono::steady_clock;

double Millis(Clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

// CPU time of the calling thread, ms: on a shared machine the wall time
// also counts the other processes' turns.
double ThreadCpuMillis() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
}

// "p50 … p99 … max …" of `ms`.
std::string Summary(std::vector<double> ms) {
  if (ms.empty()) return "none";
  std::sort(ms.begin(), ms.end());
  auto at = [&](double q) {
    return ms[std::min(ms.size() - 1, static_cast<size_t>(q * ms.size()))];
  };
  char line[160];
  std::snprintf(line, sizeof line, "p50 %.2f ms  p99 %.2f ms  max %.2f ms  (%zu)",
                at(0.5), at(0.99), ms.back(), ms.size());
  return line;
}

// Suggest latencies of `reads` queries over random profiles of the current
// snapshot, while `writing` runs (or not).
std::vector<double> Reads(const ProfileCatalog& catalog,
                          const DiverseSuggester& suggester, size_t reads,
                          uint32_t seed) {
  std::vector<double> ms;
  for (size_t i = 0; i < reads; ++i) {
    const auto snapshot = catalog.Snapshot();
    const std::string id =
        snapshot->at((seed + i * 7919) % snapshot->size()).profile.id;
    const auto start = Clock::now();
    auto s = suggester.Suggest(snapshot, id, 10);
    ms.push_back(Millis(Clock::now() - start));
    if (!s.ok()) std::cerr << s.status() << "\n";
  }
  return ms;
}

int Run(int argc, char** argv) {
  size_t n = 100000;
  size_t writes = 200;
  std::string jsonl;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--n") {
      n = std::stoul(argv[i + 1]);
    } else if (flag == "--writes") {
      writes = std::stoul(argv[i + 1]);
    } else if (flag == "--jsonl") {
      jsonl = argv[i + 1];
    } else {
      std::cerr << "unknown flag " << flag << "\n";
      return 2;
    }
  }
  std::vector<Profile> profiles = SyntheticProfiles(n + writes);
  std::vector<Profile> extra(profiles.begin() + static_cast<long>(n),
                             profiles.end());
  profiles.resize(n);
  if (!jsonl.empty()) {
    std::ofstream out(jsonl);
    // Names made unique: an import matches places by name and country.
    for (Profile& p : profiles) {
      p.name += " " + p.id;
      out << ProfileToJsonLine(p) << "\n";
    }
    std::cout << "wrote " << n << " profiles to " << jsonl << "\n";
    return out ? 0 : 1;
  }

  auto start = Clock::now();
  auto catalog = ProfileCatalog::InMemory(profiles).value();
  std::cout << "n = " << n << ": catalog built in "
            << Millis(Clock::now() - start) / 1000 << " s\n";
  DiverseSuggester suggester;
  start = Clock::now();
  suggester.Exposure(catalog->Snapshot());
  std::cout << "exposure model: " << Millis(Clock::now() - start) / 1000
            << " s (once, before the measured reads)\n";

  std::cout << "reads, no writer:            "
            << Summary(Reads(*catalog, suggester, 200, 1)) << "\n";

  // Upsert of one new profile, then the first Suggest on the new snapshot
  // (for the profile written).
  std::vector<double> ack, ack_cpu, first_read, first_read_cpu;
  for (size_t i = 0; i < writes / 2; ++i) {
    const Profile& p = extra[i];
    start = Clock::now();
    double cpu = ThreadCpuMillis();
    auto counts = catalog->Upsert({p});
    ack.push_back(Millis(Clock::now() - start));
    ack_cpu.push_back(ThreadCpuMillis() - cpu);
    if (!counts.ok()) {
      std::cerr << counts.status() << "\n";
      return 1;
    }
    start = Clock::now();
    cpu = ThreadCpuMillis();
    auto s = suggester.Suggest(catalog->Snapshot(), p.id, 10);
    first_read.push_back(Millis(Clock::now() - start));
    first_read_cpu.push_back(ThreadCpuMillis() - cpu);
    if (!s.ok()) std::cerr << s.status() << "\n";
  }
  std::cout << "upsert ack (1 profile):      " << Summary(ack) << "\n";
  std::cout << "  its CPU time:              " << Summary(ack_cpu) << "\n";
  std::cout << "first Suggest after a write: " << Summary(first_read) << "\n";
  std::cout << "  its CPU time:              " << Summary(first_read_cpu) << "\n";

  // Reads while a writer streams the other half of the upserts.
  std::atomic<bool> done{false};
  std::vector<double> stream_ack;
  std::thread writer([&] {
    for (size_t i = writes / 2; i < writes; ++i) {
      const auto t = Clock::now();
      if (!catalog->Upsert({extra[i]}).ok()) std::abort();
      stream_ack.push_back(Millis(Clock::now() - t));
    }
    done = true;
  });
  std::vector<double> during;
  while (!done) {
    std::vector<double> some = Reads(*catalog, suggester, 10, during.size());
    during.insert(during.end(), some.begin(), some.end());
  }
  writer.join();
  std::cout << "reads while upserts stream:  " << Summary(during) << "\n";
  std::cout << "upsert ack meanwhile:        " << Summary(stream_ack) << "\n";
  std::cout << "documents folded since the basis: "
            << catalog->Snapshot()->latent().changed_since_basis() << " of "
            << catalog->Snapshot()->size() << "\n";
  return 0;
}

}  // namespace
}  // namespace pm

int main(int argc, char** argv) { return pm::Run(argc, argv); }
