#include "engine/graph/thematic_clusters.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <iostream>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "tests/engine/graph/graph_test_data.h"

namespace pm {
namespace {

using testing::AllRows;
using testing::BundledIndex;
using testing::kWords;
using testing::MakeProfile;
using testing::Planted;
using testing::PlantedCohort;
using testing::WordExtractor;

std::set<std::string> Ids(const MatchIndex& index,
                          const std::vector<size_t>& rows) {
  std::set<std::string> ids;
  for (size_t r : rows) ids.insert(index.at(r).profile.id);
  return ids;
}

std::set<std::set<std::string>> ClusterIds(const MatchIndex& index,
                                           const ThematicClustering& result) {
  std::set<std::set<std::string>> out;
  for (const ThematicCluster& c : result.clusters)
    out.insert(Ids(index, c.members));
  return out;
}

// Every cohort row is in exactly one cluster or unclustered.
void ExpectPartition(const ThematicClustering& result, size_t n) {
  std::vector<int> seen(n, 0);
  for (const ThematicCluster& c : result.clusters) {
    EXPECT_TRUE(std::is_sorted(c.members.begin(), c.members.end()));
    for (size_t r : c.members) ++seen[r];
  }
  for (size_t r : result.unclustered) ++seen[r];
  for (size_t r = 0; r < n; ++r) EXPECT_EQ(seen[r], 1) << "row " << r;
}

TEST(ThematicClustersTest, LeidenRecoversPlantedCommunitiesExactly) {
  const Planted p = PlantedCohort();
  auto result = FindThematicClusters(*p.index, AllRows(*p.index));
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(ClusterIds(*p.index, *result),
            std::set<std::set<std::string>>(p.communities.begin(),
                                            p.communities.end()));
  EXPECT_TRUE(result->unclustered.empty());
  EXPECT_GT(result->modularity, 0.4);
  // The communities are linked to each other, so the graph alone does not
  // give them away.
  size_t across = 0;
  for (const SimilarityEdge& e : result->graph.edges) {
    across += p.index->at(e.a).profile.id.substr(0, 2) !=
              p.index->at(e.b).profile.id.substr(0, 2);
  }
  EXPECT_GT(across, 0u);
}

TEST(ThematicClustersTest, LouvainRecoversPlantedCommunitiesExactly) {
  const Planted p = PlantedCohort();
  ClusterOptions options;
  options.method = CommunityMethod::kLouvain;
  auto result = FindThematicClusters(*p.index, AllRows(*p.index), options);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(ClusterIds(*p.index, *result),
            std::set<std::set<std::string>>(p.communities.begin(),
                                            p.communities.end()));
}

TEST(ThematicClustersTest, LabelsAreTheDominantThemesAndTheMostCentralMembers) {
  const Planted p = PlantedCohort();
  ClusterOptions options;
  options.central_members = 2;
  auto result = FindThematicClusters(*p.index, AllRows(*p.index), options);
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->clusters.size(), 3u);
  for (const ThematicCluster& c : result->clusters) {
    const int community = p.index->at(c.members[0]).profile.id[1] - '0';
    // Themes: the community's own three, by summed weight (oracle).
    std::vector<double> sum(std::size(kWords), 0.0);
    for (size_t r : c.members) {
      for (const ThemeInterest& t : p.index->at(r).extraction.themes) {
        sum[static_cast<size_t>(t.theme)] += t.weight;
      }
    }
    ASSERT_EQ(c.themes.size(), 3u);
    std::set<int> themes;
    for (size_t i = 0; i < c.themes.size(); ++i) {
      themes.insert(c.themes[i].theme);
      EXPECT_NEAR(c.themes[i].weight,
                  sum[static_cast<size_t>(c.themes[i].theme)], 1e-9);
      if (i > 0) {
        EXPECT_GE(c.themes[i - 1].weight, c.themes[i].weight);
      }
    }
    EXPECT_EQ(themes, (std::set<int>{3 * community, 3 * community + 1,
                                     3 * community + 2}));
    // Centrality: mean similarity to the other members (brute force).
    ASSERT_EQ(c.centrality.size(), c.members.size());
    std::vector<size_t> order(c.members.size());
    double pair_sum = 0;
    for (size_t i = 0; i < c.members.size(); ++i) {
      double s = 0;
      for (size_t j = 0; j < c.members.size(); ++j) {
        if (j != i)
          s += ThematicSimilarity(*p.index, c.members[i], c.members[j]);
      }
      pair_sum += s;
      EXPECT_NEAR(c.centrality[i], s / (c.members.size() - 1), 1e-6);
      order[i] = i;
    }
    EXPECT_NEAR(c.cohesion,
                pair_sum / (c.members.size() * (c.members.size() - 1.0)), 1e-6);
    std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) {
      return c.centrality[x] > c.centrality[y];
    });
    ASSERT_EQ(c.central_members.size(), 2u);
    EXPECT_EQ(c.central_members[0], c.members[order[0]]);
    EXPECT_EQ(c.central_members[1], c.members[order[1]]);
  }
}

TEST(ThematicClustersTest, SameInputSameClustersWhateverTheRowOrder) {
  const Planted p = PlantedCohort(true, true);
  std::vector<size_t> rows = AllRows(*p.index);
  auto first = FindThematicClusters(*p.index, rows);
  ASSERT_TRUE(first.ok());
  std::mt19937 rng(7);
  for (int round = 0; round < 5; ++round) {
    std::shuffle(rows.begin(), rows.end(), rng);
    auto again = FindThematicClusters(*p.index, rows);
    ASSERT_TRUE(again.ok());
    ASSERT_EQ(again->clusters.size(), first->clusters.size());
    for (size_t c = 0; c < first->clusters.size(); ++c) {
      EXPECT_EQ(again->clusters[c].members, first->clusters[c].members);
      EXPECT_EQ(again->clusters[c].central_members,
                first->clusters[c].central_members);
    }
    EXPECT_EQ(again->unclustered, first->unclustered);
    EXPECT_EQ(again->modularity, first->modularity);
  }
}

TEST(ThematicClustersTest, ClustersAreSortedLargestFirst) {
  const Planted p = PlantedCohort(true);
  auto result = FindThematicClusters(*p.index, AllRows(*p.index));
  ASSERT_TRUE(result.ok());
  for (size_t c = 1; c < result->clusters.size(); ++c) {
    EXPECT_GE(result->clusters[c - 1].members.size(),
              result->clusters[c].members.size());
  }
}

TEST(ThematicClustersTest, SmallCommunitiesAreUnclusteredByDefault) {
  const Planted p = PlantedCohort(true, true);
  ClusterOptions options;
  options.min_size = 3;
  auto result = FindThematicClusters(*p.index, AllRows(*p.index), options);
  ASSERT_TRUE(result.ok()) << result.status();
  ExpectPartition(*result, p.index->size());
  EXPECT_EQ(ClusterIds(*p.index, *result),
            std::set<std::set<std::string>>(p.communities.begin(),
                                            p.communities.end()));
  EXPECT_EQ(Ids(*p.index, result->unclustered),
            (std::set<std::string>{"lonely", "pair0", "pair1"}));

  // With the default min_size (2) the pair is a cluster of its own.
  auto pairs = FindThematicClusters(*p.index, AllRows(*p.index));
  ASSERT_TRUE(pairs.ok());
  EXPECT_EQ(ClusterIds(*p.index, *pairs).count({"pair0", "pair1"}), 1u);
  EXPECT_EQ(Ids(*p.index, pairs->unclustered),
            (std::set<std::string>{"lonely"}));
}

TEST(ThematicClustersTest, SmallCommunitiesMergeIntoTheirStrongestNeighbour) {
  const Planted p = PlantedCohort(true, true);
  ClusterOptions options;
  options.min_size = 3;
  options.small_clusters = SmallClusterPolicy::kMerge;
  auto result = FindThematicClusters(*p.index, AllRows(*p.index), options);
  ASSERT_TRUE(result.ok()) << result.status();
  ExpectPartition(*result, p.index->size());
  // The pair mentions water: it joins the water community. The place with
  // no theme has no link and stays unclustered.
  std::set<std::string> water = p.communities[0];
  water.insert({"pair0", "pair1"});
  EXPECT_EQ(ClusterIds(*p.index, *result).count(water), 1u);
  EXPECT_EQ(Ids(*p.index, result->unclustered),
            (std::set<std::string>{"lonely"}));

  // Unless that would break max_size.
  options.max_size = 6;
  auto bounded = FindThematicClusters(*p.index, AllRows(*p.index), options);
  ASSERT_TRUE(bounded.ok()) << bounded.status();
  for (const ThematicCluster& c : bounded->clusters)
    EXPECT_LE(c.members.size(), 6u);
  EXPECT_EQ(Ids(*p.index, bounded->unclustered),
            (std::set<std::string>{"lonely", "pair0", "pair1"}));
}

TEST(ThematicClustersTest, LargeCommunitiesAreSplitWithinTheirCommunity) {
  const Planted p = PlantedCohort();
  for (int max_size : {2, 3, 4}) {
    ClusterOptions options;
    options.max_size = max_size;
    options.min_size = 1;
    auto result = FindThematicClusters(*p.index, AllRows(*p.index), options);
    ASSERT_TRUE(result.ok()) << result.status();
    ExpectPartition(*result, p.index->size());
    EXPECT_TRUE(result->unclustered.empty());
    for (const ThematicCluster& c : result->clusters) {
      EXPECT_LE(c.members.size(), static_cast<size_t>(max_size));
      // A part of a planted community, never a mix.
      const std::set<std::string> ids = Ids(*p.index, c.members);
      EXPECT_EQ(std::count_if(p.communities.begin(), p.communities.end(),
                              [&](const std::set<std::string>& planted) {
                                return std::includes(planted.begin(),
                                                     planted.end(), ids.begin(),
                                                     ids.end());
                              }),
                1);
    }
  }
}

TEST(ThematicClustersTest, ACliqueIsCutToMaxSize) {
  // Seven places with the same themes: similarity 1 between all of them.
  std::vector<Profile> profiles;
  for (int i = 0; i < 7; ++i) {
    profiles.push_back(MakeProfile("p" + std::to_string(i), i % 2 ? "CO" : "ES",
                                   "It has experience in water and forest."));
  }
  auto index =
      MatchIndex::Build(profiles, WordExtractor(), Gazetteer::Bundled());
  ClusterOptions options;
  options.graph.neighbours = 6;
  auto whole = FindThematicClusters(*index, AllRows(*index), options);
  ASSERT_TRUE(whole.ok()) << whole.status();
  ASSERT_EQ(whole->clusters.size(), 1u);
  EXPECT_EQ(whole->clusters[0].members.size(), 7u);
  EXPECT_NEAR(whole->clusters[0].cohesion, 1.0, 1e-6);

  options.max_size = 3;
  auto cut = FindThematicClusters(*index, AllRows(*index), options);
  ASSERT_TRUE(cut.ok()) << cut.status();
  ExpectPartition(*cut, index->size());
  size_t covered = 0;
  for (const ThematicCluster& c : cut->clusters) {
    EXPECT_LE(c.members.size(), 3u);
    covered += c.members.size();
  }
  // Only a lone leftover (below min_size 2) may stay unclustered.
  EXPECT_GE(covered, 6u);
}

TEST(ThematicClustersTest, WorksOnASubsetOfRows) {
  const Planted p = PlantedCohort(true, true);
  std::vector<size_t> rows;
  for (size_t r = 0; r < p.index->size(); ++r) {
    if (p.communities[1].count(p.index->at(r).profile.id) ||
        p.communities[2].count(p.index->at(r).profile.id)) {
      rows.push_back(r);
    }
  }
  auto result = FindThematicClusters(*p.index, rows);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(
      ClusterIds(*p.index, *result),
      (std::set<std::set<std::string>>{p.communities[1], p.communities[2]}));
  EXPECT_EQ(result->graph.rows, rows);

  auto empty = FindThematicClusters(*p.index, {});
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->clusters.empty());
  EXPECT_TRUE(empty->unclustered.empty());
}

TEST(ThematicClustersTest, RefusesBadRowsAndOptions) {
  const Planted p = PlantedCohort();
  auto out_of_range = FindThematicClusters(*p.index, {0, 99});
  EXPECT_EQ(out_of_range.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(out_of_range.status().message(),
            "rows[1]: no row 99 in an index of 15 profiles");
  auto repeated = FindThematicClusters(*p.index, {3, 1, 3});
  EXPECT_EQ(repeated.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(repeated.status().message(), "rows[2]: row 3 ('c0m3') is repeated");

  ClusterOptions options;
  options.min_size = 4;
  options.max_size = 3;
  auto bounds = FindThematicClusters(*p.index, AllRows(*p.index), options);
  EXPECT_EQ(bounds.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(bounds.status().message(), "max_size (3) is below min_size (4)");
  options = ClusterOptions();
  options.max_size = 1;
  EXPECT_EQ(FindThematicClusters(*p.index, AllRows(*p.index), options)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  options = ClusterOptions();
  options.graph.neighbours = 0;
  auto k = FindThematicClusters(*p.index, AllRows(*p.index), options);
  EXPECT_EQ(k.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(k.status().message(), "neighbours must be at least 1, got 0");
  options = ClusterOptions();
  options.resolution = 0;
  EXPECT_EQ(FindThematicClusters(*p.index, AllRows(*p.index), options)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ThematicClustersTest, LatentCentralityIsPairwise) {
  auto index = BundledIndex();
  const std::vector<size_t> rows = AllRows(*index);
  ClusterOptions cluster_options;
  cluster_options.graph.latent_weight = 0.5;
  auto result = FindThematicClusters(*index, rows, cluster_options);
  ASSERT_TRUE(result.ok());
  ExpectPartition(*result, index->size());
  for (const ThematicCluster& c : result->clusters) {
    // Centrality is pairwise here: check one member by brute force.
    double total = 0;
    for (size_t j = 1; j < c.members.size(); ++j) {
      total += ThematicSimilarity(*index, c.members[0], c.members[j], 0.5);
    }
    EXPECT_NEAR(c.centrality[0], total / (c.members.size() - 1), 1e-9);
  }
}

void PrintClusters(const MatchIndex& index, const ThematicClustering& result) {
  std::cout << "modularity " << result.modularity << ", "
            << result.graph.edges.size() << " edges\n";
  for (const ThematicCluster& c : result.clusters) {
    std::cout << "cluster (cohesion " << c.cohesion << "):";
    for (const ClusterTheme& t : c.themes) {
      std::cout << " "
                << index.taxonomy().themes()[static_cast<size_t>(t.theme)].id
                << "(" << t.weight << ")";
    }
    std::cout << "\n  central:";
    for (size_t r : c.central_members)
      std::cout << " " << index.at(r).profile.id;
    std::cout << "\n  members:";
    for (size_t r : c.members) std::cout << " " << index.at(r).profile.id;
    std::cout << "\n";
  }
  std::cout << "unclustered:";
  for (size_t r : result.unclustered)
    std::cout << " " << index.at(r).profile.id;
  std::cout << "\n";
}

// The bundled 29 profiles: a valid clustering, printed for the record.
TEST(ThematicClustersTest, ClustersTheBundledProfiles) {
  auto index = BundledIndex();
  ClusterOptions options;
  options.max_size = 8;
  auto result = FindThematicClusters(*index, AllRows(*index), options);
  ASSERT_TRUE(result.ok()) << result.status();
  ExpectPartition(*result, index->size());
  EXPECT_GE(result->clusters.size(), 2u);
  PrintClusters(*index, *result);
  options.graph.latent_weight = 0.5;
  auto latent = FindThematicClusters(*index, AllRows(*index), options);
  ASSERT_TRUE(latent.ok()) << latent.status();
  ExpectPartition(*latent, index->size());
  std::cout << "with latent_weight 0.5:\n";
  PrintClusters(*index, *latent);
  for (const ThematicCluster& c : result->clusters) {
    EXPECT_LE(c.members.size(), 8u);
    EXPECT_FALSE(c.themes.empty());
  }
}

}  // namespace
}  // namespace pm
