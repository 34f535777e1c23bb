// The exact solvers; why each is exact is proven at its definition.
#include "engine/planning/bipartite_matching.h"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/successive_shortest_path_nonnegative_weights.hpp>
#include <cassert>
#include <limits>

namespace pm {

// The Hungarian algorithm with potentials (shortest augmenting paths,
// O(r²·c)) finds a minimum-cost assignment of every row to a distinct
// column under cost -w. That assignment, less its zero-weight edges, is a
// maximum-weight matching: any matching extends to an assignment of equal
// weight (its unmatched rows take unused columns, at weight 0, as r <= c),
// and any assignment less its zero edges is a matching of equal weight.
std::vector<int64_t> MaxWeightAssignment(const std::vector<int64_t>& w,
                                         size_t r, size_t c,
                                         const CancellationToken& cancel) {
  assert(r <= c);
  std::vector<int64_t> assignment(r, -1);
  if (r == 0) return assignment;
  constexpr int64_t kInf = std::numeric_limits<int64_t>::max() / 4;
  // 1-based as in the classic formulation; column 0 is a virtual start.
  std::vector<int64_t> u(r + 1, 0), v(c + 1, 0);
  std::vector<size_t> p(c + 1, 0), way(c + 1, 0);
  std::vector<int64_t> minv(c + 1);
  std::vector<char> used(c + 1);
  for (size_t i = 1; i <= r; ++i) {
    if (cancel.Cancelled()) return assignment;  // O(r·c) per row
    p[0] = i;
    size_t j0 = 0;
    std::fill(minv.begin(), minv.end(), kInf);
    std::fill(used.begin(), used.end(), 0);
    do {
      used[j0] = 1;
      const size_t i0 = p[j0];
      const int64_t* row = &w[(i0 - 1) * c];
      const int64_t ui0 = u[i0];
      int64_t delta = kInf;
      size_t j1 = 0;
      for (size_t j = 1; j <= c; ++j) {
        if (used[j]) continue;
        const int64_t cur = -row[j - 1] - ui0 - v[j];
        if (cur < minv[j]) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j] < delta) {
          delta = minv[j];
          j1 = j;
        }
      }
      for (size_t j = 0; j <= c; ++j) {
        if (used[j]) {
          u[p[j]] += delta;
          v[j] -= delta;
        } else {
          minv[j] -= delta;
        }
      }
      j0 = j1;
    } while (p[j0] != 0);
    do {
      const size_t j1 = way[j0];
      p[j0] = p[j1];
      j0 = j1;
    } while (j0 != 0);
  }
  for (size_t j = 1; j <= c; ++j) {
    if (p[j] != 0 && w[(p[j] - 1) * c + (j - 1)] > 0) {
      assignment[p[j] - 1] = static_cast<int64_t>(j - 1);
    }
  }
  return assignment;
}

// As a min-cost flow:
//   source -> L_i (capacity cap_left[i], cost 0)
//   L_i -> R_j    (capacity 1, cost C - w_ij) for each edge
//   L_i -> sink   (capacity cap_left[i], cost C): "leave this slot empty"
//   R_j -> sink   (capacity cap_right[j], cost 0)
// with C = max w, so every cost is >= 0 (what Boost's
// successive_shortest_path_nonnegative_weights needs). The bypass edges make
// every maximum flow saturate the source (value F = Σ cap_left), and a
// maximum flow of value F is, unit path by unit path, a b-matching M plus
// F - |M| bypass units, of cost C·F - w(M); conversely every b-matching
// gives such a flow. So the minimum-cost maximum flow is a maximum-weight
// b-matching; integral, as capacities are integers. Costs are integral
// doubles (exact below 2^53; doubles keep Boost's potentials well defined
// for vertices the residual graph no longer reaches).
std::vector<size_t> MaxWeightBMatching(size_t left, size_t right,
                                       const std::vector<WeightedEdge>& edges,
                                       const std::vector<int>& cap_left,
                                       const std::vector<int>& cap_right) {
  using Traits =
      boost::adjacency_list_traits<boost::vecS, boost::vecS, boost::directedS>;
  using Graph = boost::adjacency_list<
      boost::vecS, boost::vecS, boost::directedS, boost::no_property,
      boost::property<
          boost::edge_capacity_t, double,
          boost::property<
              boost::edge_residual_capacity_t, double,
              boost::property<boost::edge_reverse_t, Traits::edge_descriptor,
                              boost::property<boost::edge_weight_t, double>>>>>;
  const size_t source = left + right, sink = source + 1;
  Graph g(sink + 1);
  auto capacity = boost::get(boost::edge_capacity, g);
  auto reverse = boost::get(boost::edge_reverse, g);
  auto cost = boost::get(boost::edge_weight, g);
  auto add = [&](size_t from, size_t to, double cap, double c) {
    auto e = boost::add_edge(from, to, g).first;
    auto back = boost::add_edge(to, from, g).first;
    capacity[e] = cap;
    capacity[back] = 0;
    cost[e] = c;
    cost[back] = -c;
    reverse[e] = back;
    reverse[back] = e;
    return e;
  };
  int64_t max_w = 0;
  for (const auto& [l, r, w] : edges) max_w = std::max(max_w, w);
  const double big = static_cast<double>(max_w);
  for (size_t i = 0; i < left; ++i) {
    if (cap_left[i] <= 0) continue;
    add(source, i, cap_left[i], 0);
    add(i, sink, cap_left[i], big);
  }
  for (size_t j = 0; j < right; ++j) {
    if (cap_right[j] > 0) add(left + j, sink, cap_right[j], 0);
  }
  std::vector<Traits::edge_descriptor> pair_edges;
  pair_edges.reserve(edges.size());
  for (const auto& [l, r, w] : edges) {
    pair_edges.push_back(add(l, left + r, 1, big - static_cast<double>(w)));
  }
  boost::successive_shortest_path_nonnegative_weights(g, source, sink);
  auto residual = boost::get(boost::edge_residual_capacity, g);
  std::vector<size_t> chosen;  // indices into edges
  for (size_t k = 0; k < edges.size(); ++k) {
    if (residual[pair_edges[k]] < 0.5) chosen.push_back(k);
  }
  return chosen;
}

}  // namespace pm
