// The exact similarity graph against FAISS, in one process on the same
// seeded data: FAISS IndexFlatIP (every row searched against all rows, k + 1
// to drop the row itself) and pm::ExactKnn, both on `threads` threads
// (OpenMP and OpenBLAS set to the same count). Rows are non-negative and of
// unit norm, like the interest and latent vectors. Checks that the two agree
// (ties aside: the scores at every rank within an epsilon), prints both
// times, and the ratio last.
//
//   build/benchmarks/knn_vs_faiss --n 100000 --d 128 --k 20 --threads 2
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <random>
#include <string>
#include <vector>

#include "engine/similarity/exact_knn.h"
#include "faiss/IndexFlat.h"

extern "C" void openblas_set_num_threads(int threads);

namespace {

using FaissId = faiss::Index::idx_t;

struct Flags {
  long n = 20000;
  long d = 128;
  long k = 20;
  long threads = 2;
  long block = pm::ExactKnnOptions{}.block_rows;
  long seed = 42;
};

// Parses --name value pairs; false (after a message) on a bad flag.
bool ParseFlags(int argc, char** argv, Flags* flags) {
  struct Known {
    const char* name;
    long* value;
    long min;
  } known[] = {{"--n", &flags->n, 2},         {"--d", &flags->d, 1},
               {"--k", &flags->k, 1},         {"--threads", &flags->threads, 1},
               {"--block", &flags->block, 1}, {"--seed", &flags->seed, 0}};
  for (int a = 1; a < argc; a += 2) {
    Known* flag = nullptr;
    for (Known& candidate : known) {
      if (std::strcmp(argv[a], candidate.name) == 0) flag = &candidate;
    }
    if (flag == nullptr || a + 1 >= argc) {
      std::fprintf(stderr,
                   "usage: knn_vs_faiss [--n N] [--d D] [--k K] [--threads T] "
                   "[--block B] [--seed S] (bad or incomplete flag '%.40s')\n",
                   argv[a]);
      return false;
    }
    char* end = nullptr;
    const long value = std::strtol(argv[a + 1], &end, 10);
    if (*end != '\0' || value < flag->min) {
      std::fprintf(stderr, "%s: '%.40s' is not an integer ≥ %ld\n",
                   flag->name, argv[a + 1], flag->min);
      return false;
    }
    *flag->value = value;
  }
  if (flags->k >= flags->n) {
    std::fprintf(stderr, "--k (%ld) must be below --n (%ld)\n", flags->k,
                 flags->n);
    return false;
  }
  return true;
}

// n × d, row-major: uniform non-negative entries, each row scaled to unit
// norm.
std::vector<float> UnitRows(size_t n, size_t d, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> value(0, 1);
  std::vector<float> rows(n * d);
  for (size_t i = 0; i < n; ++i) {
    float* row = &rows[i * d];
    double norm = 0;
    for (size_t c = 0; c < d; ++c) {
      row[c] = value(rng);
      norm += double{row[c]} * row[c];
    }
    for (size_t c = 0; c < d; ++c) row[c] /= static_cast<float>(std::sqrt(norm));
  }
  return rows;
}

// Wall-clock and process CPU time: on a shared machine the CPU time shows
// what the work cost when the wall clock includes waiting for a core.
struct Stopwatch {
  std::chrono::steady_clock::time_point wall = std::chrono::steady_clock::now();
  std::clock_t cpu = std::clock();

  std::string Report() const {
    const double wall_s = WallSeconds();
    const double cpu_s = static_cast<double>(std::clock() - cpu) / CLOCKS_PER_SEC;
    char text[96];
    std::snprintf(text, sizeof text, "%.3f s (CPU %.3f s)", wall_s, cpu_s);
    return text;
  }
  double WallSeconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                         wall)
        .count();
  }
};

// FAISS's top-k of every row without the row itself: n × k scores and ids.
struct FaissGraph {
  std::vector<float> scores;
  std::vector<FaissId> ids;
};

FaissGraph FaissKnn(const std::vector<float>& rows, size_t n, size_t d,
                    size_t k) {
  faiss::IndexFlatIP index(static_cast<FaissId>(d));
  index.add(static_cast<FaissId>(n), rows.data());
  std::vector<float> scores(n * (k + 1));
  std::vector<FaissId> ids(n * (k + 1));
  index.search(static_cast<FaissId>(n), rows.data(),
               static_cast<FaissId>(k + 1), scores.data(), ids.data());
  FaissGraph graph{std::vector<float>(n * k), std::vector<FaissId>(n * k)};
  for (size_t i = 0; i < n; ++i) {
    size_t out = 0;  // drop self, or the last when self is not listed
    for (size_t r = 0; r <= k && out < k; ++r) {
      if (ids[i * (k + 1) + r] == static_cast<FaissId>(i)) continue;
      graph.scores[i * k + out] = scores[i * (k + 1) + r];
      graph.ids[i * k + out] = ids[i * (k + 1) + r];
      ++out;
    }
  }
  return graph;
}

}  // namespace

int main(int argc, char** argv) {
  Flags flags;
  if (!ParseFlags(argc, argv, &flags)) return 2;
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // each figure as it comes
  const size_t n = flags.n, d = flags.d, k = flags.k;
  const std::vector<float> rows = UnitRows(n, d, flags.seed);
  std::printf("n = %zu, d = %zu, k = %zu, threads = %ld, block = %ld\n", n, d,
              k, flags.threads, flags.block);

  omp_set_num_threads(static_cast<int>(flags.threads));
  openblas_set_num_threads(static_cast<int>(flags.threads));
  Stopwatch faiss_watch;
  const FaissGraph faiss = FaissKnn(rows, n, d, k);
  const double faiss_seconds = faiss_watch.WallSeconds();
  std::printf("faiss IndexFlatIP: %s\n", faiss_watch.Report().c_str());

  pm::ExactKnnOptions options;
  options.k = static_cast<int>(k);
  options.threads = static_cast<int>(flags.threads);
  options.block_rows = static_cast<int>(flags.block);
  Stopwatch engine_watch;
  auto engine = pm::ExactKnn(rows.data(), n, d, options);
  const double engine_seconds = engine_watch.WallSeconds();
  if (!engine.ok()) {
    std::fprintf(stderr, "ExactKnn: %s\n", engine.status().ToString().c_str());
    return 1;
  }
  std::printf("engine ExactKnn:   %s\n", engine_watch.Report().c_str());

  // Agreement: the same score at every rank (within kEpsilon, float
  // rounding), hence the same neighbour sets up to ties at rank k.
  constexpr float kEpsilon = 1e-5f;
  size_t same_sets = 0, bad_ranks = 0;
  float worst = 0;
  for (size_t i = 0; i < n; ++i) {
    size_t shared = 0;
    for (size_t r = 0; r < k; ++r) {
      const float gap =
          std::fabs(engine->score(i, r) - faiss.scores[i * k + r]);
      worst = std::max(worst, gap);
      if (gap > kEpsilon) ++bad_ranks;
      for (size_t q = 0; q < k; ++q) {
        if (engine->neighbour(i, r) == faiss.ids[i * k + q]) ++shared;
      }
    }
    if (shared == k) ++same_sets;
  }
  std::printf(
      "agreement: %zu of %zu rows have the same neighbour set; largest score "
      "gap at a rank %.2g (%zu ranks beyond %.0e)\n",
      same_sets, n, worst, bad_ranks, kEpsilon);
  std::printf("speed-up (faiss / engine): %.2f x\n",
              faiss_seconds / engine_seconds);
  return bad_ranks == 0 ? 0 : 1;
}
