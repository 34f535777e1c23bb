// The exact solvers; why each is exact is proven at its definition.
#include "engine/planning/bipartite_matching.h"

#include <cassert>
#include <functional>
#include <limits>
#include <queue>

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

// As a min-cost flow from the left vertices to a sink S:
//   L_i -> R_j  (capacity 1, cost C - w_ij) for each edge
//   L_i -> S    (capacity cap_left[i], cost C): "leave this slot empty"
//   R_j -> S    (capacity cap_right[j], cost 0)
// with C = max w, so every cost is >= 0, and a supply of cap_left[i] at
// each L_i. The bypass edges make every supply routable; a flow routing it
// all is, unit path by unit path, a b-matching M plus F - |M| bypass units
// (F = Σ cap_left), of cost C·F - w(M); conversely every b-matching gives
// such a flow. So a minimum-cost flow is a maximum-weight b-matching
// (integral: capacities are integers).
//
// Successive shortest paths: the supply is added one unit at a time (left
// vertices in order, each cap_left[i] times), each unit routed along a
// shortest path from its vertex to S in the residual graph; a flow of
// minimum cost for the supply so far stays so after each such augmentation
// (no negative cycle appears), so the last flow is optimal. Dijkstra runs on
// the reduced costs c(u,v) + p(u) - p(v) >= 0 (Johnson potentials p, all 0
// at first since every cost is >= 0; after a search reaching S at distance
// D, p(v) += d(v) - D for the vertices settled before S, which keeps every
// residual edge's reduced cost >= 0 and makes the path tight). The search
// stops as soon as S is settled: it visits only the neighbourhood of the
// new unit, not the whole graph (this is what makes sparse candidate graphs
// of 100,000 members fast). The residual edges S -> L_i of bypass units are
// never needed: S is where every search ends. Exact in int64 while
// (left + right + 1) · max w < 2^62.
std::vector<size_t> MaxWeightBMatching(size_t left, size_t right,
                                       const std::vector<WeightedEdge>& edges,
                                       const std::vector<int>& cap_left,
                                       const std::vector<int>& cap_right,
                                       const CancellationToken& cancel) {
  int64_t big = 0;  // C
  for (const auto& [l, r, w] : edges) big = std::max(big, w);
  // Left vertex i's edges at arcs[start[i] .. start[i + 1]): contiguous, so
  // a search reads a vertex's edges from one place.
  struct Arc {
    size_t edge;   // index into `edges`
    size_t right;  // its right vertex
    int64_t cost;  // C - w
  };
  std::vector<size_t> start(left + 1, 0);
  std::vector<Arc> arcs(edges.size());
  for (const auto& e : edges) ++start[std::get<0>(e) + 1];
  for (size_t i = 0; i < left; ++i) start[i + 1] += start[i];
  {
    std::vector<size_t> fill(start.begin(), start.end() - 1);
    for (size_t k = 0; k < edges.size(); ++k) {
      const auto& [l, r, w] = edges[k];
      arcs[fill[l]++] = {k, r, big - w};
    }
  }
  // Vertices: left i, right j at left + j, the sink at left + right. What a
  // search reads of a vertex sits together.
  constexpr size_t kBypass = static_cast<size_t>(-1);
  struct Vertex {
    int64_t potential = 0;
    int64_t dist = 0;
    size_t seen = 0;  // the search number that reached it
    // How the search reached it: the edge (index into `edges`), or kBypass
    // for the sink reached from a left vertex; and from which vertex.
    size_t via = 0;
    size_t from = 0;
    bool settled = false;
  };
  const size_t sink = left + right, vertices = sink + 1;
  std::vector<Vertex> vx(vertices);
  std::vector<char> matched(edges.size(), 0);
  std::vector<std::vector<size_t>> matched_at(right);  // edges, per right
  std::vector<size_t> order;  // vertices settled by the current search
  // (distance, key): among equal distances the sink first, then the right
  // vertices with room (the sink is 0 further: potentials only fall and
  // the sink's stays 0, so the arc's reduced cost p(r) - p(S) >= 0 is 0),
  // then the others. A search ends as soon as it can, without settling
  // the plateaus of equal distances that equal scores (the same text) make:
  // on 100,000 synthetic members this cut the vertices settled 15-fold.
  // Any order among equal distances is a valid Dijkstra order.
  using Entry = std::pair<int64_t, size_t>;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<Entry>> heap;
  auto has_room = [&](size_t v) {
    return v >= left && v < sink &&
           matched_at[v - left].size() <
               static_cast<size_t>(cap_right[v - left]);
  };
  auto order_of = [&](size_t v) -> size_t {
    if (v == sink) return 0;
    return has_room(v) ? 1 + v : 1 + vertices + v;
  };
  size_t search = 0;
  for (size_t s = 0; s < left; ++s) {
    if (s % 64 == 0 && cancel.Cancelled()) break;  // the caller drops it
    for (int unit = 0; unit < cap_left[s]; ++unit) {
      ++search;
      order.clear();
      heap = {};
      auto reach = [&](size_t v, int64_t d, size_t edge, size_t u) {
        Vertex& x = vx[v];
        if (x.seen == search && (x.settled || x.dist <= d)) return;
        x.settled = false;
        x.seen = search;
        x.dist = d;
        x.via = edge;
        x.from = u;
        heap.emplace(d, order_of(v));
      };
      reach(s, 0, kBypass, s);
      while (true) {
        const auto [d, key] = heap.top();  // the sink is always reachable
        heap.pop();
        const size_t u = key == 0           ? sink
                         : key <= vertices ? key - 1
                                           : key - 1 - vertices;
        Vertex& xu = vx[u];
        if (xu.settled || d != xu.dist) continue;
        xu.settled = true;
        order.push_back(u);
        if (u == sink) break;
        const int64_t pu = xu.potential;
        if (u < left) {
          for (size_t q = start[u]; q < start[u + 1]; ++q) {
            const Arc& arc = arcs[q];
            if (matched[arc.edge]) continue;
            const size_t v = left + arc.right;
            reach(v, d + arc.cost + pu - vx[v].potential, arc.edge, u);
          }
          reach(sink, d + big + pu - vx[sink].potential, kBypass, u);
        } else {
          const size_t j = u - left;
          if (matched_at[j].size() < static_cast<size_t>(cap_right[j])) {
            reach(sink, d + pu - vx[sink].potential, kBypass, u);
          }
          for (size_t k : matched_at[j]) {
            const size_t v = std::get<0>(edges[k]);
            reach(v, d - (big - std::get<2>(edges[k])) + pu - vx[v].potential,
                  k, u);
          }
        }
      }
      const int64_t reached = vx[sink].dist;
      for (size_t v : order) vx[v].potential += vx[v].dist - reached;
      // Augment along the path, from the sink back to s.
      for (size_t v = sink; v != s;) {
        const size_t u = vx[v].from, k = vx[v].via;
        if (k != kBypass) {
          const size_t j = std::get<1>(edges[k]);
          if (v >= left) {  // forward u -> v: the edge joins the matching
            matched[k] = 1;
            matched_at[j].push_back(k);
          } else {  // backward u -> v: it leaves it
            matched[k] = 0;
            auto& at = matched_at[j];
            at.erase(std::find(at.begin(), at.end(), k));
          }
        }
        v = u;
      }
    }
  }
  std::vector<size_t> chosen;  // indices into edges
  for (size_t k = 0; k < edges.size(); ++k) {
    if (matched[k]) chosen.push_back(k);
  }
  return chosen;
}

}  // namespace pm
