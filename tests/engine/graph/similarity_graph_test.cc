#include "engine/graph/similarity_graph.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <utility>
#include <vector>

#include "tests/engine/graph/graph_test_data.h"

namespace pm {
namespace {

using testing::AllRows;
using testing::BundledIndex;
using testing::Planted;
using testing::PlantedCohort;

TEST(SimilarityGraphTest, KeepsEachPlacesNearestNeighbours) {
  const Planted p = PlantedCohort(true, true);
  const std::vector<size_t> rows = AllRows(*p.index);
  for (int k : {1, 2, 4}) {
    SimilarityGraphOptions options;
    options.neighbours = k;
    options.min_similarity = 0.1;
    auto graph = BuildSimilarityGraph(*p.index, rows, options);
    ASSERT_TRUE(graph.ok()) << graph.status();
    // Oracle: all pairs, sorted, union of each place's top k.
    std::set<std::pair<size_t, size_t>> expected;
    for (size_t a : rows) {
      std::vector<std::pair<double, size_t>> sims;
      for (size_t b : rows) {
        const double s = ThematicSimilarity(*p.index, a, b);
        if (b != a && s > 0 && s >= options.min_similarity)
          sims.push_back({-s, b});
      }
      std::sort(sims.begin(), sims.end());
      for (size_t i = 0; i < sims.size() && i < static_cast<size_t>(k); ++i) {
        expected.insert(
            {std::min(a, sims[i].second), std::max(a, sims[i].second)});
      }
    }
    std::set<std::pair<size_t, size_t>> got;
    for (const SimilarityEdge& e : graph->edges) {
      EXPECT_LT(e.a, e.b);
      EXPECT_NEAR(e.weight, ThematicSimilarity(*p.index, e.a, e.b), 1e-12);
      got.insert({e.a, e.b});
    }
    EXPECT_EQ(got.size(), graph->edges.size());
    EXPECT_EQ(got, expected) << "k = " << k;
  }
}

TEST(SimilarityGraphTest, LatentBlendKeepsEachPlacesNearestNeighbours) {
  auto index = BundledIndex();
  const std::vector<size_t> rows = AllRows(*index);
  SimilarityGraphOptions options;
  options.latent_weight = 0.5;
  options.neighbours = 3;
  auto graph = BuildSimilarityGraph(*index, rows, options);
  ASSERT_TRUE(graph.ok()) << graph.status();
  // Oracle with a tolerance for float rounding: each place's k-th best
  // similarity is its threshold; everything clearly above it is linked, and
  // every link clears one end's threshold.
  std::vector<double> threshold(index->size(), 0.0);
  std::vector<std::vector<double>> sim(index->size(),
                                       std::vector<double>(index->size(), 0.0));
  for (size_t a : rows) {
    std::vector<double> s;
    for (size_t b : rows) {
      if (b == a) continue;
      sim[a][b] = ThematicSimilarity(*index, a, b, 0.5);
      EXPECT_NEAR(sim[a][b],
                  0.5 * ThematicSimilarity(*index, a, b) +
                      0.5 * index->latent().Similarity(a, b),
                  1e-9);
      if (sim[a][b] >= options.min_similarity) s.push_back(sim[a][b]);
    }
    std::sort(s.rbegin(), s.rend());
    threshold[a] = s.size() >= 3 ? s[2] : options.min_similarity;
  }
  std::set<std::pair<size_t, size_t>> got;
  for (const SimilarityEdge& e : graph->edges) {
    got.insert({e.a, e.b});
    EXPECT_NEAR(e.weight, sim[e.a][e.b], 1e-9);
    EXPECT_TRUE(e.weight >= threshold[e.a] - 1e-6 ||
                e.weight >= threshold[e.b] - 1e-6);
  }
  for (size_t a : rows) {
    for (size_t b : rows) {
      if (a != b && sim[a][b] > threshold[a] + 1e-6) {
        EXPECT_TRUE(got.count({std::min(a, b), std::max(a, b)}));
      }
    }
  }
}

}  // namespace
}  // namespace pm
