// Cohort pairing plans: how long a plan takes as the cohort grows, and how
// close the trio heuristic comes to the best plan.
//
// First a table (skip it with --skip_quality): on random small cohorts, the
// planner's trio plan against the best plan under the same rules found by
// exhaustive search (dynamic programming over all partitions, as in
// tests/engine/planning), mean and worst ratio. Then Google Benchmark runs:
// the time of PairingPlanner::Plan for cohorts of 32 members up to the
// limits (3000; 600 with capacity > 1): pairs only, capacity 2 to 10, trios.
// Cohorts are generated at run time from the bundled profiles' texts with
// random countries (60% EU, so trios have members to absorb) and kinds.
//
//   build/benchmarks/plan_benchmark --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <random>

#include "engine/planning/pairing_planner.h"
#include "tests/engine/planning/plan_oracle.h"

namespace pm {
namespace {

constexpr double kEuShare = 0.6;

double Seconds(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

std::shared_ptr<const MatchIndex> SyntheticIndex(size_t n, uint32_t seed) {
  return MatchIndex::Build(testing::SyntheticProfiles(n, seed, kEuShare),
                           testing::BundledExtractor(), Gazetteer::Bundled());
}

// One index of the largest size, shared by all runs; a cohort of n is its
// first n rows.
const MatchIndex& LargeIndex() {
  static const auto* index = new std::shared_ptr<const MatchIndex>(
      SyntheticIndex(PairingPlanner::kMaxExactMembers, 7));
  return **index;
}

std::vector<size_t> FirstRows(size_t n) {
  std::vector<size_t> rows(n);
  for (size_t i = 0; i < n; ++i) rows[i] = i;
  return rows;
}

void RunPlan(benchmark::State& state, const PairingOptions& options) {
  const MatchIndex& index = LargeIndex();
  const std::vector<size_t> cohort = FirstRows(state.range(0));
  PairingPlanner planner;
  PairingPlan last;
  for (auto _ : state) {
    auto plan = planner.Plan(index, cohort, options);
    if (!plan.ok()) {
      state.SkipWithError(std::string(plan.status().message()).c_str());
      return;
    }
    benchmark::DoNotOptimize(plan);
    last = *std::move(plan);
  }
  size_t trios = 0;
  for (const PlannedGroup& g : last.groups) trios += g.members.size() > 2;
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.counters["members"] = static_cast<double>(state.range(0));
  state.counters["groups"] = static_cast<double>(last.groups.size());
  state.counters["trios"] = static_cast<double>(trios);
  state.counters["unmatched"] = static_cast<double>(last.unmatched.size());
  state.counters["total"] = last.total_score;
  state.counters["pairs_only"] = last.pairs_only_score;
}

void BM_PlanPairs(benchmark::State& state) { RunPlan(state, {}); }
BENCHMARK(BM_PlanPairs)
    ->RangeMultiplier(4)
    ->Range(32, 2048)
    ->Arg(PairingPlanner::kMaxExactMembers)
    ->Unit(benchmark::kMillisecond);

// Arguments: members, capacity.
void BM_PlanCapacity(benchmark::State& state) {
  PairingOptions o;
  o.capacity = static_cast<int>(state.range(1));
  RunPlan(state, o);
  state.counters["capacity"] = static_cast<double>(o.capacity);
}
BENCHMARK(BM_PlanCapacity)
    ->ArgsProduct({{64, 256, PairingPlanner::kMaxExactMembersWithCapacity},
                   {2, 3, 5, 10}})
    ->Unit(benchmark::kMillisecond);

void BM_PlanTrios(benchmark::State& state) {
  PairingOptions o;
  o.trios = true;
  RunPlan(state, o);
}
BENCHMARK(BM_PlanTrios)
    ->RangeMultiplier(4)
    ->Range(32, 2048)
    ->Arg(PairingPlanner::kMaxExactMembers)
    ->Unit(benchmark::kMillisecond);

// ---- Plans on the candidate graph --------------------------------------------

// A cohort of n members, the first n rows of an index of n synthetic
// profiles (one index per size, built once).
const MatchIndex& IndexOf(size_t n) {
  static auto* indexes = new std::map<size_t, std::shared_ptr<const MatchIndex>>;
  auto& index = (*indexes)[n];
  if (!index) index = SyntheticIndex(n, 11);
  return *index;
}

// The plan on the candidate graph against the exact plan on the same
// cohort (time: the candidate-graph plan; gap_pct = 100·(exact − graph) /
// exact, by the plans' totals). Arguments: members, trios (0/1).
void BM_PlanGap(benchmark::State& state) {
  const MatchIndex& index = IndexOf(static_cast<size_t>(state.range(0)));
  const std::vector<size_t> cohort = FirstRows(index.size());
  PairingOptions o;
  o.trios = state.range(1) != 0;
  PairingPlanner planner;
  o.method = PairingOptions::Method::kExact;
  const auto t0 = std::chrono::steady_clock::now();
  auto exact = planner.Plan(index, cohort, o);
  const double exact_s = Seconds(std::chrono::steady_clock::now() - t0);
  o.method = PairingOptions::Method::kCandidates;
  PairingPlan graph;
  for (auto _ : state) {
    auto plan = planner.Plan(index, cohort, o);
    if (!plan.ok() || !exact.ok()) {
      state.SkipWithError("plan failed");
      return;
    }
    graph = *std::move(plan);
  }
  state.counters["members"] = static_cast<double>(index.size());
  state.counters["k"] = static_cast<double>(graph.candidates_per_member);
  state.counters["exact_total"] = exact->total_score;
  state.counters["graph_total"] = graph.total_score;
  state.counters["gap_pct"] =
      100 * (exact->total_score - graph.total_score) / exact->total_score;
  state.counters["exact_s"] = exact_s;
}
BENCHMARK(BM_PlanGap)
    ->ArgsProduct({{1000, PairingPlanner::kMaxExactMembers}, {0, 1}})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);

// Cohorts above the exact size (method kAuto: the candidate graph).
// Arguments: members, trios (0/1).
void BM_PlanLarge(benchmark::State& state) {
  const MatchIndex& index = IndexOf(static_cast<size_t>(state.range(0)));
  const std::vector<size_t> cohort = FirstRows(index.size());
  PairingOptions o;
  o.trios = state.range(1) != 0;
  PairingPlanner planner;
  PairingPlan last;
  for (auto _ : state) {
    auto plan = planner.Plan(index, cohort, o);
    if (!plan.ok()) {
      state.SkipWithError(std::string(plan.status().message()).c_str());
      return;
    }
    last = *std::move(plan);
  }
  size_t trios = 0;
  for (const PlannedGroup& g : last.groups) trios += g.members.size() > 2;
  state.counters["members"] = static_cast<double>(index.size());
  state.counters["k"] = static_cast<double>(last.candidates_per_member);
  state.counters["groups"] = static_cast<double>(last.groups.size());
  state.counters["trios"] = static_cast<double>(trios);
  state.counters["unmatched"] = static_cast<double>(last.unmatched.size());
  state.counters["total"] = last.total_score;
}
BENCHMARK(BM_PlanLarge)
    ->ArgsProduct({{10000, 30000, 100000}, {0, 1}})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);

// ---- Trio heuristic against exhaustive search ------------------------------

// Prints one row of the quality table: `trials` random cohorts of n members
// drawn from a pool of synthetic profiles, groups up to `max_group`.
void QualityRow(size_t n, int max_group, int trials, double min_trio_gain) {
  const size_t pool = 60;
  double sum = 0, worst = 1, heuristic_s = 0, exhaustive_s = 0;
  int below = 0, done = 0;
  PairingPlanner planner;
  for (int t = 0; t < trials; ++t) {
    const uint32_t seed = static_cast<uint32_t>(1000 * n + 10 * max_group + t);
    auto index = SyntheticIndex(pool, seed);
    std::mt19937 rng(seed);
    std::vector<size_t> cohort = FirstRows(pool);
    std::shuffle(cohort.begin(), cohort.end(), rng);
    cohort.resize(n);
    PairingOptions o;
    o.trios = true;
    o.max_group_size = max_group;
    if (min_trio_gain >= 0) o.min_trio_gain = min_trio_gain;
    const auto t0 = std::chrono::steady_clock::now();
    auto plan = planner.Plan(*index, cohort, o);
    const auto t1 = std::chrono::steady_clock::now();
    PairingOptions pairs_only = o;
    pairs_only.trios = false;
    auto base = planner.Plan(*index, cohort, pairs_only);
    auto pairs = CohortPairs::Build(*index, planner.scorer(), cohort, o);
    if (!plan.ok() || !base.ok() || !pairs.ok()) continue;
    std::vector<bool> must_place(pairs->size(), false);
    for (const PlannedGroup& g : base->groups) {
      for (size_t row : g.members) {
        must_place[std::lower_bound(pairs->rows().begin(), pairs->rows().end(),
                                    row) -
                   pairs->rows().begin()] = true;
      }
    }
    const testing::PairFacts facts(*pairs, plan->min_trio_gain, must_place);
    const auto t2 = std::chrono::steady_clock::now();
    const int64_t best = testing::BruteForceBest(facts, max_group);
    const auto t3 = std::chrono::steady_clock::now();
    const int64_t got = testing::PlanUnits(*plan);
    const double ratio = best > 0 ? static_cast<double>(got) / best : 1.0;
    sum += ratio;
    worst = std::min(worst, ratio);
    below += got < best;
    heuristic_s += Seconds(t1 - t0);
    exhaustive_s += Seconds(t3 - t2);
    ++done;
  }
  std::printf(
      "%4zu %5d %10s %7d %7d %10.5f %10.5f %12.2f %12.1f\n", n, max_group,
      min_trio_gain < 0 ? "default"
                        : std::to_string(min_trio_gain).substr(0, 4).c_str(),
      done, below, sum / done, worst, 1e3 * heuristic_s / done,
      1e3 * exhaustive_s / done);
  std::fflush(stdout);
}

void PrintQualityTable() {
  std::printf(
      "Trio plans against exhaustive search (random cohorts, %.0f%% EU; "
      "ratio = plan total / best total)\n",
      100 * kEuShare);
  std::printf("%4s %5s %10s %7s %7s %10s %10s %12s %12s\n", "n", "max",
              "min_gain", "cohorts", "below", "mean", "worst", "plan ms",
              "exhaust ms");
  for (size_t n : {8, 10, 12, 14}) QualityRow(n, 3, 60, -1);
  for (size_t n : {8, 10, 12, 14}) QualityRow(n, 3, 60, 0);
  QualityRow(16, 3, 12, -1);
  QualityRow(16, 3, 12, 0);
  for (size_t n : {8, 10, 12}) QualityRow(n, 4, 40, 0);
  QualityRow(14, 4, 12, 0);
  std::printf("\n");
}

}  // namespace
}  // namespace pm

int main(int argc, char** argv) {
  bool quality = true;
  std::vector<char*> args;
  for (int i = 0; i < argc; ++i) {
    if (std::strcmp(argv[i], "--skip_quality") == 0) {
      quality = false;
    } else {
      args.push_back(argv[i]);
    }
  }
  int count = static_cast<int>(args.size());
  benchmark::Initialize(&count, args.data());
  if (benchmark::ReportUnrecognizedArguments(count, args.data())) return 1;
  if (quality) pm::PrintQualityTable();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
