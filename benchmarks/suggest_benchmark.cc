// Cost of building the match index and of one SuggestPartners query as the
// cohort grows. Profiles are generated at run time from the bundled ones:
// each synthetic profile takes the text of a random bundled profile and a
// random country, so extraction and scoring do real work.
//
// BM_BuildIndex is what an upsert costs: the snapshot is rebuilt, extraction
// included. BM_BuildIndexReusingExtraction rebuilds with the previous
// snapshot (every text unchanged, as after an upsert of one profile), so
// only the vectors and the latent text index are recomputed.
// BM_LatentText is the latent text index alone (TF-IDF + randomized SVD).
#include <benchmark/benchmark.h>

#include <map>
#include <memory>
#include <utility>
#include <random>

#include "benchmarks/synthetic_profiles.h"
#include "engine/io/profile_format.h"
#include "engine/matching/latent_text.h"
#include "engine/matching/match_index.h"
#include "engine/matching/reciprocal_scorer.h"

namespace pm {
namespace {

std::shared_ptr<const ThemeExtractor> Extractor() {
  static auto* extractor = new std::shared_ptr<const ThemeExtractor>(
      std::make_shared<ThemeExtractor>(std::shared_ptr<const Taxonomy>(
          &Taxonomy::Bundled(), [](const Taxonomy*) {})));
  return *extractor;
}

void BM_BuildIndex(benchmark::State& state) {
  const std::vector<Profile> profiles = SyntheticProfiles(state.range(0));
  for (auto _ : state) {
    auto index = MatchIndex::Build(profiles, Extractor(), Gazetteer::Bundled());
    benchmark::DoNotOptimize(index);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_BuildIndex)->RangeMultiplier(10)->Range(100, 100000)
    ->Unit(benchmark::kMillisecond);

void BM_BuildIndexReusingExtraction(benchmark::State& state) {
  const std::vector<Profile> profiles = SyntheticProfiles(state.range(0));
  auto previous = MatchIndex::Build(profiles, Extractor(), Gazetteer::Bundled());
  for (auto _ : state) {
    auto index = MatchIndex::Build(profiles, Extractor(), Gazetteer::Bundled(),
                                   previous.get());
    benchmark::DoNotOptimize(index);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_BuildIndexReusingExtraction)->RangeMultiplier(10)
    ->Range(100, 100000)->Unit(benchmark::kMillisecond);

void BM_LatentText(benchmark::State& state) {
  const std::vector<Profile> profiles = SyntheticProfiles(state.range(0));
  std::vector<LatentDocument> documents;
  for (const Profile& p : profiles) documents.push_back({p.text, {p.name}, {}, {}});
  int rank = 0;
  for (auto _ : state) {
    LatentText latent = LatentText::Build(documents);
    rank = latent.rank();
    benchmark::DoNotOptimize(latent);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.counters["rank"] = rank;
}
BENCHMARK(BM_LatentText)->RangeMultiplier(10)->Range(100, 100000)
    ->Unit(benchmark::kMillisecond);

// The index of n synthetic profiles, built once per size: the benchmark
// library runs a function several times while it sizes the iterations.
// `mixed`: MixedSyntheticProfiles (every text different).
std::shared_ptr<const MatchIndex> CachedIndex(size_t n, bool mixed = false) {
  static auto* indexes =
      new std::map<std::pair<size_t, bool>, std::shared_ptr<const MatchIndex>>;
  auto& index = (*indexes)[{n, mixed}];
  if (index == nullptr) {
    index = MatchIndex::Build(
        mixed ? MixedSyntheticProfiles(n) : SyntheticProfiles(n), Extractor(),
        Gazetteer::Bundled());
  }
  return index;
}

// Suggest (k = 10, reasons included) for one profile after another of
// CachedIndex(n, mixed).
void RunSuggest(benchmark::State& state, bool mixed) {
  auto index = CachedIndex(static_cast<size_t>(state.range(0)), mixed);
  ReciprocalScorer scorer;
  size_t i = 0;
  for (auto _ : state) {
    auto s = scorer.Suggest(*index, index->at(i++ % index->size()).profile.id, 10);
    benchmark::DoNotOptimize(s);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.counters["profiles"] = static_cast<double>(state.range(0));
}

// Suggest's ranking alone (ReciprocalScorer::Rank, k = 10): RunSuggest
// less the reasons of the 10 returned.
void RunRank(benchmark::State& state, bool mixed) {
  auto index = CachedIndex(static_cast<size_t>(state.range(0)), mixed);
  ReciprocalScorer scorer;
  size_t i = 0;
  for (auto _ : state) {
    auto ranked = scorer.Rank(*index, i++ % index->size(), 10);
    benchmark::DoNotOptimize(ranked);
  }
  state.counters["profiles"] = static_cast<double>(state.range(0));
}

void BM_Suggest(benchmark::State& state) { RunSuggest(state, false); }
BENCHMARK(BM_Suggest)->RangeMultiplier(10)->Range(100, 100000)
    ->Unit(benchmark::kMicrosecond);

void BM_Rank(benchmark::State& state) { RunRank(state, false); }
BENCHMARK(BM_Rank)->RangeMultiplier(10)->Range(100, 100000)
    ->Unit(benchmark::kMicrosecond);

// BM_Suggest and BM_Rank where no two texts are alike
// (MixedSyntheticProfiles): the bounds of Rank meet no exact ties, but the
// scores are lower and closer together.
void BM_SuggestMixed(benchmark::State& state) { RunSuggest(state, true); }
BENCHMARK(BM_SuggestMixed)->Arg(10000)->Arg(100000)
    ->Unit(benchmark::kMicrosecond);

void BM_RankMixed(benchmark::State& state) { RunRank(state, true); }
BENCHMARK(BM_RankMixed)->Arg(10000)->Arg(100000)
    ->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace pm

BENCHMARK_MAIN();
