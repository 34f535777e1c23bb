#include "engine/planning/bipartite_matching.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <random>
#include <set>
#include <vector>

namespace pm {
namespace {

// The best matching weight of the r × c table `w` (0: no edge), by trying
// every choice of column (or none) for every row.
int64_t BruteForceMatching(const std::vector<int64_t>& w, size_t r, size_t c) {
  std::vector<bool> used(c, false);
  std::function<int64_t(size_t)> best = [&](size_t i) -> int64_t {
    if (i == r) return 0;
    int64_t out = best(i + 1);  // row i unmatched
    for (size_t j = 0; j < c; ++j) {
      if (used[j] || w[i * c + j] <= 0) continue;
      used[j] = true;
      out = std::max(out, w[i * c + j] + best(i + 1));
      used[j] = false;
    }
    return out;
  };
  return best(0);
}

// The best b-matching weight, by trying every subset of `edges`.
int64_t BruteForceBMatching(size_t left, size_t right,
                            const std::vector<WeightedEdge>& edges,
                            const std::vector<int>& cap_left,
                            const std::vector<int>& cap_right) {
  int64_t best = 0;
  for (uint32_t subset = 0; subset < (1u << edges.size()); ++subset) {
    std::vector<int> dl(left, 0), dr(right, 0);
    int64_t total = 0;
    bool ok = true;
    for (size_t k = 0; k < edges.size() && ok; ++k) {
      if (!(subset & (1u << k))) continue;
      const auto& [l, r, w] = edges[k];
      ok = ++dl[l] <= cap_left[l] && ++dr[r] <= cap_right[r];
      total += w;
    }
    if (ok) best = std::max(best, total);
  }
  return best;
}

std::vector<int64_t> RandomWeights(std::mt19937& rng, size_t n) {
  std::vector<int64_t> w(n);
  for (int64_t& x : w) x = rng() % 3 == 0 ? 0 : 1 + rng() % 1000;
  return w;
}

TEST(MaxWeightAssignmentTest, MatchesBruteForceOnRandomTables) {
  std::mt19937 rng(7);
  for (int trial = 0; trial < 300; ++trial) {
    const size_t r = rng() % 6, c = r + rng() % 4;
    const std::vector<int64_t> w = RandomWeights(rng, r * c);
    const std::vector<int64_t> a = MaxWeightAssignment(w, r, c);
    ASSERT_EQ(a.size(), r);
    std::set<int64_t> columns;
    int64_t total = 0;
    for (size_t i = 0; i < r; ++i) {
      if (a[i] < 0) continue;
      ASSERT_LT(static_cast<size_t>(a[i]), c);
      EXPECT_TRUE(columns.insert(a[i]).second) << "column used twice";
      EXPECT_GT(w[i * c + a[i]], 0) << "a zero-weight edge is no edge";
      total += w[i * c + a[i]];
    }
    EXPECT_EQ(total, BruteForceMatching(w, r, c)) << "trial " << trial;
  }
}

TEST(MaxWeightMatchingTest, EitherSideMayBeLargerAndNonPositiveIsNoEdge) {
  std::mt19937 rng(11);
  for (int trial = 0; trial < 300; ++trial) {
    const size_t left = rng() % 7, right = rng() % 7;
    std::vector<int64_t> w = RandomWeights(rng, left * right);
    for (int64_t& x : w) {
      if (x > 0 && rng() % 5 == 0) x = -x;  // negative: no edge
    }
    const auto weight = [&](size_t i, size_t j) { return w[i * right + j]; };
    const auto matched = MaxWeightMatching(left, right, weight);
    std::set<size_t> ls, rs;
    int64_t total = 0;
    for (size_t k = 0; k < matched.size(); ++k) {
      const auto [i, j] = matched[k];
      ASSERT_LT(i, left);
      ASSERT_LT(j, right);
      EXPECT_TRUE(ls.insert(i).second && rs.insert(j).second);
      EXPECT_GT(weight(i, j), 0);
      if (k > 0) {
        EXPECT_LT(matched[k - 1], matched[k]);
      }
      total += weight(i, j);
    }
    std::vector<int64_t> positive(w.size());
    for (size_t k = 0; k < w.size(); ++k)
      positive[k] = std::max<int64_t>(0, w[k]);
    EXPECT_EQ(total, BruteForceMatching(positive, left, right))
        << "trial " << trial;
  }
}

TEST(MaxWeightMatchingTest, PrefersTwoPairsToOneHeavierPair) {
  // 0-0 weighs 10; 0-1 and 1-0 weigh 6 each: the optimum takes both.
  const std::vector<int64_t> w = {10, 6, 6, 0};
  const auto matched =
      MaxWeightMatching(2, 2, [&](size_t i, size_t j) { return w[i * 2 + j]; });
  EXPECT_EQ(matched, (std::vector<std::pair<size_t, size_t>>{{0, 1}, {1, 0}}));
  EXPECT_TRUE(MaxWeightMatching(0, 3, [](size_t, size_t) {
                return int64_t{1};
              }).empty());
}

TEST(MaxWeightBMatchingTest, MatchesBruteForceOnRandomGraphs) {
  std::mt19937 rng(13);
  for (int trial = 0; trial < 600; ++trial) {
    const size_t left = 1 + rng() % 4, right = 1 + rng() % 4;
    std::vector<WeightedEdge> edges;
    for (size_t l = 0; l < left; ++l) {
      for (size_t r = 0; r < right; ++r) {
        if (rng() % 3 != 0 && edges.size() < 12) {
          // Every other trial few distinct weights: many equal distances
          // in the solver's searches, and many optima.
          edges.emplace_back(l, r, 1 + rng() % (trial % 2 ? 3 : 1000));
        }
      }
    }
    std::vector<int> cap_left(left), cap_right(right);
    for (int& c : cap_left) c = rng() % 4;  // 0: the vertex is full
    for (int& c : cap_right) c = rng() % 4;
    const std::vector<size_t> chosen =
        MaxWeightBMatching(left, right, edges, cap_left, cap_right);
    std::vector<int> dl(left, 0), dr(right, 0);
    int64_t total = 0;
    for (size_t k = 0; k < chosen.size(); ++k) {
      ASSERT_LT(chosen[k], edges.size());
      if (k > 0) {
        EXPECT_LT(chosen[k - 1], chosen[k]);
      }
      const auto& [l, r, w] = edges[chosen[k]];
      EXPECT_LE(++dl[l], cap_left[l]);
      EXPECT_LE(++dr[r], cap_right[r]);
      total += w;
    }
    EXPECT_EQ(total,
              BruteForceBMatching(left, right, edges, cap_left, cap_right))
        << "trial " << trial;
  }
}

TEST(MaxWeightBMatchingTest, LeavesASlotEmptyRatherThanLoseWeight) {
  // Left 0 may take two partners; right 0 only one. Edges 0-0 (5), 1-0 (9),
  // 0-1 (4): the optimum is 1-0 and 0-1 (13), not 0-0 and 0-1 (9).
  const std::vector<WeightedEdge> edges = {{0, 0, 5}, {1, 0, 9}, {0, 1, 4}};
  EXPECT_EQ(MaxWeightBMatching(2, 2, edges, {2, 1}, {1, 1}),
            (std::vector<size_t>{1, 2}));
  EXPECT_TRUE(MaxWeightBMatching(2, 2, {}, {1, 1}, {1, 1}).empty());
}

// Larger sparse graphs than exhaustive search reaches, capacity 1: the
// Hungarian assignment on the dense table (0 for a missing edge) is the
// oracle (capacities are covered by the exhaustive test above).
TEST(MaxWeightBMatchingTest, MatchesTheHungarianAssignmentOnSparseGraphs) {
  std::mt19937 rng(29);
  for (int trial = 0; trial < 40; ++trial) {
    const size_t left = 20 + rng() % 120, right = 20 + rng() % 120;
    const size_t degree = 1 + rng() % 6;
    std::vector<WeightedEdge> edges;
    std::vector<int64_t> w(left * right, 0);
    for (size_t l = 0; l < left; ++l) {
      for (size_t d = 0; d < degree; ++d) {
        const size_t r = rng() % right;
        if (w[l * right + r] != 0) continue;
        // Few distinct weights: many optima of equal weight.
        w[l * right + r] = 1 + static_cast<int64_t>(rng() % 20);
        edges.emplace_back(l, r, w[l * right + r]);
      }
    }
    const std::vector<int> ones_l(left, 1), ones_r(right, 1);
    int64_t total = 0;
    std::vector<int> dl(left, 0), dr(right, 0);
    for (size_t k : MaxWeightBMatching(left, right, edges, ones_l, ones_r)) {
      const auto& [l, r, weight] = edges[k];
      EXPECT_LE(++dl[l], 1);
      EXPECT_LE(++dr[r], 1);
      total += weight;
    }
    int64_t expected = 0;
    for (const auto& [l, r] : MaxWeightMatching(
             left, right, [&](size_t i, size_t j) { return w[i * right + j]; })) {
      expected += w[l * right + r];
    }
    EXPECT_EQ(total, expected) << "trial " << trial;
  }
}

}  // namespace
}  // namespace pm
