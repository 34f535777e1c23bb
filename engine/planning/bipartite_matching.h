// Exact maximum-weight matchings of bipartite graphs, the solvers under the
// pairing planner: the Hungarian assignment for dense tables, and a min-cost
// flow by successive shortest paths on the sparse graph (any capacities).
// Weights are integers (the planner's scores in CohortPairs::kScoreUnits),
// so the optimum is exact.
//
// Boost's general-graph maximum_weighted_matching is not used: the graphs
// here are bipartite, Boost 1.74's blossom code took 50 s on a dense
// 500 + 500 cohort that the assignment solves in 0.07 s (same optimum), and
// it has open reports of loops and wrong results (boostorg/graph#223, #399).
//
// All functions are pure and thread-safe. Checked against exhaustive search
// in tests/engine/planning/bipartite_matching_test.cc.
#ifndef PARTNER_MATCH_ENGINE_PLANNING_BIPARTITE_MATCHING_H_
#define PARTNER_MATCH_ENGINE_PLANNING_BIPARTITE_MATCHING_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <tuple>
#include <utility>
#include <vector>

#include "engine/common/cancellation.h"

namespace pm {

// Maximum-weight matching of a complete bipartite graph: `w` is r × c,
// row-major (row i, column j: the weight of edge i–j), weights >= 0 (0: no
// edge), r <= c (asserted). Returns for each row its column, or -1 when the
// row is unmatched. O(r²·c) time, O(c) memory besides `w`. Among matchings
// of equal weight the result is the one the algorithm's fixed order finds
// (same input, same output).
// Stops early, with a partial result, once `cancel` fires.
std::vector<int64_t> MaxWeightAssignment(const std::vector<int64_t>& w,
                                         size_t r, size_t c,
                                         const CancellationToken& cancel = {});

// A maximum-weight matching between `left` and `right` vertices (numbered
// 0..left-1 and 0..right-1), with weights `weight(l, r)` (<= 0: no edge).
// Returns the matched (l, r) pairs in ascending order. Runs
// MaxWeightAssignment on the smaller side; builds a min(l, r) × max(l, r)
// weight table.
template <typename WeightFn>
std::vector<std::pair<size_t, size_t>> MaxWeightMatching(
    size_t left, size_t right, WeightFn weight,
    const CancellationToken& cancel = {}) {
  const bool transpose = left > right;
  const size_t r = transpose ? right : left, c = transpose ? left : right;
  std::vector<int64_t> w(r * c, 0);
  for (size_t i = 0; i < r; ++i) {
    for (size_t j = 0; j < c; ++j) {
      const int64_t x = transpose ? weight(j, i) : weight(i, j);
      w[i * c + j] = std::max<int64_t>(0, x);
    }
  }
  const std::vector<int64_t> a = MaxWeightAssignment(w, r, c, cancel);
  std::vector<std::pair<size_t, size_t>> out;
  for (size_t i = 0; i < r; ++i) {
    if (a[i] < 0) continue;
    const size_t j = static_cast<size_t>(a[i]);
    out.emplace_back(transpose ? j : i, transpose ? i : j);
  }
  std::sort(out.begin(), out.end());
  return out;
}

// One edge of a bipartite graph: left vertex, right vertex, weight (> 0).
using WeightedEdge = std::tuple<size_t, size_t, int64_t>;

// A maximum-weight b-matching: a set of `edges` (left < `left`, right <
// `right`, weight > 0, each pair at most once) in which left vertex i lies
// on at most cap_left[i] chosen edges and right vertex j on at most
// cap_right[j] (capacities >= 0; sizes `left` and `right`). Returns the
// indices into `edges` of the chosen ones, ascending. Weights up to 2^62 /
// (left + right + 1) are exact. A min-cost flow by successive shortest
// paths, each search stopped as soon as it can route its unit: O(F·E·log V)
// at worst for F = Σ cap_left, in practice a small neighbourhood per unit on
// sparse graphs (benchmarks/plan_benchmark.cc, BM_PlanLarge). Stops early,
// with a partial result, once `cancel` fires.
std::vector<size_t> MaxWeightBMatching(size_t left, size_t right,
                                       const std::vector<WeightedEdge>& edges,
                                       const std::vector<int>& cap_left,
                                       const std::vector<int>& cap_right,
                                       const CancellationToken& cancel = {});

}  // namespace pm

#endif  // PARTNER_MATCH_ENGINE_PLANNING_BIPARTITE_MATCHING_H_
