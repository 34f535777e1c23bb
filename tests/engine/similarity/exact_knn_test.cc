#include "engine/similarity/exact_knn.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

namespace pm {
namespace {

// Rows are n × d, row-major, as ExactKnn takes them.
struct Rows {
  size_t n = 0;
  size_t d = 0;
  std::vector<float> values;  // n × d, row-major
};

// Small non-negative integers: every inner product is exact in float, so
// the engine must agree with the oracle bit for bit, ties included.
Rows IntegerRows(size_t n, size_t d, int max_value, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> value(0, max_value);
  Rows rows{n, d, std::vector<float>(n * d)};
  for (float& v : rows.values) v = static_cast<float>(value(rng));
  return rows;
}

// Non-negative unit rows (like the interest and latent vectors).
Rows UnitRows(size_t n, size_t d, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> value(0, 1);
  Rows rows{n, d, std::vector<float>(n * d)};
  for (size_t i = 0; i < n; ++i) {
    double norm = 0;
    for (size_t c = 0; c < d; ++c) {
      float v = value(rng);
      rows.values[i * d + c] = v;
      norm += double{v} * v;
    }
    for (size_t c = 0; c < d; ++c) {
      rows.values[i * d + c] /= static_cast<float>(std::sqrt(norm));
    }
  }
  return rows;
}

double Dot(const Rows& rows, size_t a, size_t b) {
  double dot = 0;
  for (size_t c = 0; c < rows.d; ++c) {
    dot += double{rows.values[a * rows.d + c]} * rows.values[b * rows.d + c];
  }
  return dot;
}

// The oracle: every other row scored in double, sorted by score descending
// then row ascending, the first min(k, n − 1) kept.
KnnGraph BruteForce(const Rows& rows, size_t k) {
  KnnGraph graph;
  graph.n = rows.n;
  graph.k = rows.n <= 1 ? 0 : std::min(k, rows.n - 1);
  for (size_t i = 0; i < rows.n; ++i) {
    std::vector<std::pair<double, uint32_t>> all;
    for (size_t j = 0; j < rows.n; ++j) {
      if (j == i) continue;
      all.push_back({-Dot(rows, i, j), static_cast<uint32_t>(j)});
    }
    std::sort(all.begin(), all.end());
    for (size_t r = 0; r < graph.k; ++r) {
      graph.neighbours.push_back(all[r].second);
      graph.scores.push_back(static_cast<float>(-all[r].first));
    }
  }
  return graph;
}

KnnGraph Knn(const Rows& rows, int k, int threads, int block_rows) {
  ExactKnnOptions options;
  options.k = k;
  options.threads = threads;
  options.block_rows = block_rows;
  auto graph = ExactKnn(rows.values.data(), rows.n, rows.d, options);
  EXPECT_TRUE(graph.ok()) << graph.status();
  return graph.ok() ? *std::move(graph) : KnnGraph{};
}

void ExpectSame(const KnnGraph& actual, const KnnGraph& expected) {
  ASSERT_EQ(actual.n, expected.n);
  ASSERT_EQ(actual.k, expected.k);
  EXPECT_EQ(actual.neighbours, expected.neighbours);
  EXPECT_EQ(actual.scores, expected.scores);
}

TEST(ExactKnnTest, MatchesBruteForceOnExactScoresWithTies) {
  // Values 0..2 over few columns: many equal scores, many duplicate rows,
  // some zero rows.
  uint32_t seed = 1;
  for (size_t n : {2, 3, 17, 40, 129}) {
    for (size_t d : {1, 3, 8, 33}) {
      Rows rows = IntegerRows(n, d, 2, seed++);
      for (int k : {1, 4, 16, 200}) {
        KnnGraph expected = BruteForce(rows, static_cast<size_t>(k));
        for (int block_rows : {1, 5, 16, 64, 512}) {
          for (int threads : {1, 3}) {
            SCOPED_TRACE(testing::Message()
                         << "n=" << n << " d=" << d << " k=" << k
                         << " block_rows=" << block_rows
                         << " threads=" << threads);
            ExpectSame(Knn(rows, k, threads, block_rows), expected);
          }
        }
      }
    }
  }
}

TEST(ExactKnnTest, KAtLeastNMinusOneListsEveryOtherRow) {
  Rows rows = IntegerRows(6, 4, 3, 7);
  for (int k : {5, 6, 50}) {
    KnnGraph graph = Knn(rows, k, 2, 4);
    ASSERT_EQ(graph.k, 5u);
    for (size_t i = 0; i < 6; ++i) {
      std::vector<uint32_t> listed(graph.neighbours.begin() + i * 5,
                                   graph.neighbours.begin() + i * 5 + 5);
      std::sort(listed.begin(), listed.end());
      std::vector<uint32_t> others;
      for (uint32_t j = 0; j < 6; ++j) {
        if (j != i) others.push_back(j);
      }
      EXPECT_EQ(listed, others) << "row " << i;
    }
  }
}

TEST(ExactKnnTest, ZeroRowsTieToTheLowerRows) {
  // Rows 0, 2 and 4 are zero: every score with them is 0, so a zero row's
  // neighbours are simply the lowest other rows, and a non-zero row ranks
  // zero rows by index after its positive scores.
  Rows rows{5, 2, {0, 0, 1, 0, 0, 0, 1, 1, 0, 0}};
  KnnGraph graph = Knn(rows, 3, 1, 2);
  ASSERT_EQ(graph.k, 3u);
  EXPECT_EQ(std::vector<uint32_t>(graph.neighbours.begin(),
                                  graph.neighbours.begin() + 3),
            (std::vector<uint32_t>{1, 2, 3}));
  EXPECT_EQ(std::vector<uint32_t>(graph.neighbours.begin() + 3,
                                  graph.neighbours.begin() + 6),
            (std::vector<uint32_t>{3, 0, 2}));
  EXPECT_EQ(std::vector<float>(graph.scores.begin() + 3,
                               graph.scores.begin() + 6),
            (std::vector<float>{1, 0, 0}));
  EXPECT_EQ(std::vector<uint32_t>(graph.neighbours.begin() + 12,
                                  graph.neighbours.begin() + 15),
            (std::vector<uint32_t>{0, 1, 2}));
}

TEST(ExactKnnTest, UnitRowsAgreeWithBruteForceWithinRounding) {
  for (size_t n : {50, 300}) {
    for (size_t d : {16, 70}) {
      Rows rows = UnitRows(n, d, static_cast<uint32_t>(n + d));
      KnnGraph expected = BruteForce(rows, 10);
      KnnGraph graph = Knn(rows, 10, 2, 64);
      ASSERT_EQ(graph.k, 10u);
      for (size_t i = 0; i < n; ++i) {
        for (size_t r = 0; r < 10; ++r) {
          const size_t at = i * 10 + r;
          EXPECT_NEAR(graph.scores[at], expected.scores[at], 1e-5)
              << "row " << i << " rank " << r;
          // The listed neighbour's own score is the one reported.
          EXPECT_NEAR(graph.scores[at], Dot(rows, i, graph.neighbours[at]),
                      1e-5);
          EXPECT_NE(graph.neighbours[at], i);
        }
      }
    }
  }
}

TEST(ExactKnnTest, SameResultForEveryThreadCount) {
  Rows rows = UnitRows(700, 24, 3);
  KnnGraph one = Knn(rows, 7, 1, 128);
  for (int threads : {2, 5}) ExpectSame(Knn(rows, 7, threads, 128), one);
}

TEST(ExactKnnTest, FewRowsGiveAnEmptyGraph) {
  for (size_t n : {0, 1}) {
    Rows rows = IntegerRows(n, 3, 2, 5);
    KnnGraph graph = Knn(rows, 4, 0, 512);
    EXPECT_EQ(graph.n, n);
    EXPECT_EQ(graph.k, 0u);
    EXPECT_TRUE(graph.neighbours.empty());
    EXPECT_TRUE(graph.scores.empty());
  }
}

TEST(ExactKnnTest, RejectsBadOptionsAndValues) {
  Rows rows = IntegerRows(4, 3, 2, 9);
  auto run = [&](ExactKnnOptions options, size_t d = 3) {
    return ExactKnn(rows.values.data(), rows.n, d, options).status();
  };
  ExactKnnOptions options;
  options.k = 0;
  EXPECT_EQ(run(options), absl::InvalidArgumentError("k (0) must be at least 1"));
  options = {};
  options.threads = -1;
  EXPECT_EQ(run(options),
            absl::InvalidArgumentError("threads (-1) must not be negative"));
  options = {};
  options.block_rows = 0;
  EXPECT_EQ(run(options),
            absl::InvalidArgumentError("block_rows (0) must be at least 1"));
  EXPECT_EQ(run({}, 0),
            absl::InvalidArgumentError("rows have no columns (d = 0)"));
  rows.values[2 * 3 + 1] = std::numeric_limits<float>::quiet_NaN();
  EXPECT_EQ(run({}), absl::InvalidArgumentError(
                         "row 2, column 1: value is not finite"));
  rows.values[2 * 3 + 1] = std::numeric_limits<float>::infinity();
  EXPECT_EQ(run({}), absl::InvalidArgumentError(
                         "row 2, column 1: value is not finite"));
}

// ---- ExactKnnBipartite ------------------------------------------------------

// The oracle: left and right stacked into one set of rows, each row's
// candidates restricted to the other side, numbered as ExactKnnBipartite
// numbers them (right row j is nl + j).
KnnGraph BruteForceBipartite(const Rows& left, const Rows& right, size_t k) {
  Rows both{left.n + right.n, left.d, left.values};
  both.values.insert(both.values.end(), right.values.begin(),
                     right.values.end());
  KnnGraph graph;
  graph.n = both.n;
  graph.k = std::min({k, left.n, right.n});
  for (size_t i = 0; i < both.n; ++i) {
    std::vector<std::pair<double, uint32_t>> all;
    for (size_t j = 0; j < both.n; ++j) {
      if ((i < left.n) == (j < left.n)) continue;
      all.push_back({-Dot(both, i, j), static_cast<uint32_t>(j)});
    }
    std::sort(all.begin(), all.end());
    for (size_t r = 0; r < graph.k; ++r) {
      graph.neighbours.push_back(all[r].second);
      graph.scores.push_back(static_cast<float>(-all[r].first));
    }
  }
  return graph;
}

TEST(ExactKnnBipartiteTest, MatchesBruteForceOnExactScoresWithTies) {
  uint32_t seed = 100;
  for (size_t nl : {1, 7, 40, 130}) {
    for (size_t nr : {1, 3, 65}) {
      for (size_t d : {1, 5, 33}) {
        Rows left = IntegerRows(nl, d, 2, seed++);
        Rows right = IntegerRows(nr, d, 2, seed++);
        for (int k : {1, 4, 200}) {
          KnnGraph expected =
              BruteForceBipartite(left, right, static_cast<size_t>(k));
          for (int block_rows : {1, 16, 512}) {
            for (int threads : {1, 3}) {
              SCOPED_TRACE(testing::Message()
                           << "nl=" << nl << " nr=" << nr << " d=" << d
                           << " k=" << k << " block_rows=" << block_rows
                           << " threads=" << threads);
              ExactKnnOptions options;
              options.k = k;
              options.threads = threads;
              options.block_rows = block_rows;
              auto graph =
                  ExactKnnBipartite(left.values.data(), nl,
                                    right.values.data(), nr, d, options);
              ASSERT_TRUE(graph.ok()) << graph.status();
              ExpectSame(*graph, expected);
            }
          }
        }
      }
    }
  }
}

TEST(ExactKnnBipartiteTest, AnEmptySideGivesNoNeighbours) {
  Rows left = IntegerRows(5, 3, 2, 1);
  auto graph = ExactKnnBipartite(left.values.data(), 5, nullptr, 0, 3);
  ASSERT_TRUE(graph.ok()) << graph.status();
  EXPECT_EQ(graph->n, 5u);
  EXPECT_EQ(graph->k, 0u);
  EXPECT_TRUE(graph->neighbours.empty());
}

TEST(ExactKnnBipartiteTest, NamesTheSideOfABadValue) {
  Rows left = IntegerRows(3, 2, 2, 1);
  Rows right = IntegerRows(3, 2, 2, 2);
  right.values[5] = std::numeric_limits<float>::quiet_NaN();
  auto graph = ExactKnnBipartite(left.values.data(), 3, right.values.data(),
                                 3, 2);
  ASSERT_FALSE(graph.ok());
  EXPECT_EQ(graph.status().message(),
            "right row 2, column 1: value is not finite");
}

}  // namespace
}  // namespace pm
