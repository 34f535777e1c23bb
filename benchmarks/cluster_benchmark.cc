// Thematic clusters: how long FindThematicClusters takes as the cohort
// grows (the similarity graph from ExactKnn, then Leiden), on synthetic
// profiles generated at run time from the bundled profiles' texts (as
// plan_benchmark, tests/engine/planning/plan_oracle.h), one index per
// size, the whole index as the cohort.
//
//   build/benchmarks/cluster_benchmark --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>

#include <map>
#include <memory>

#include "engine/graph/thematic_clusters.h"
#include "tests/engine/planning/plan_oracle.h"

namespace pm {
namespace {

const MatchIndex& IndexOf(size_t n) {
  static auto* indexes = new std::map<size_t, std::shared_ptr<const MatchIndex>>;
  auto& index = (*indexes)[n];
  if (!index) {
    index = MatchIndex::Build(testing::SyntheticProfiles(n, 5),
                              testing::BundledExtractor(), Gazetteer::Bundled());
  }
  return *index;
}

void BM_Clusters(benchmark::State& state) {
  const MatchIndex& index = IndexOf(static_cast<size_t>(state.range(0)));
  std::vector<size_t> rows(index.size());
  for (size_t i = 0; i < rows.size(); ++i) rows[i] = i;
  ThematicClustering last;
  for (auto _ : state) {
    auto clustering = FindThematicClusters(index, rows);
    if (!clustering.ok()) {
      state.SkipWithError(std::string(clustering.status().message()).c_str());
      return;
    }
    last = *std::move(clustering);
  }
  state.counters["places"] = static_cast<double>(index.size());
  state.counters["edges"] = static_cast<double>(last.graph.edges.size());
  state.counters["clusters"] = static_cast<double>(last.clusters.size());
  state.counters["unclustered"] = static_cast<double>(last.unclustered.size());
  state.counters["modularity"] = last.modularity;
}
BENCHMARK(BM_Clusters)
    ->Arg(10000)
    ->Arg(20000)
    ->Arg(100000)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);

}  // namespace
}  // namespace pm

BENCHMARK_MAIN();
