// Positions for drawing a graph, computed here rather than by Graphviz:
// force-directed layouts of Boost.Graph on each connected component, the
// components then packed in rows, largest first.
//
// A component of up to kKamadaKawaiLimit nodes is laid out by Kamada–Kawai
// (springs whose rest lengths are the graph distances, the edge lengths
// 1.5 − weight for weights in [0, 1]); a larger one by Fruchterman–Reingold
// (grid-accelerated repulsion, 300 iterations of linear cooling). Both start
// from the nodes on a circle, so the same graph always gets the same
// picture. Each component is scaled so that its edges are about 1 long on
// average, then spread out where needed to give each node at least 1.6
// square units, and the components are packed in shelves: a single node
// takes one cell. Cost: Kamada–Kawai
// O(s²) memory and O(s²) per iteration for a component of s nodes;
// Fruchterman–Reingold about O(s + e) per iteration.
#ifndef PARTNER_MATCH_ENGINE_GRAPH_GRAPH_LAYOUT_H_
#define PARTNER_MATCH_ENGINE_GRAPH_GRAPH_LAYOUT_H_

#include <cstddef>
#include <vector>

namespace pm {

struct LayoutEdge {
  size_t a = 0;  // node indices < the node count; a == b is ignored
  size_t b = 0;
  double weight = 1;  // in [0, 1]: the stronger, the shorter (clamped)
};

struct LayoutPoint {
  double x = 0;
  double y = 0;
};

// Node i at points[i]; every point inside [0, width] × [0, height], in units
// where neighbouring nodes stand about 1 apart.
struct GraphLayout {
  std::vector<LayoutPoint> points;
  double width = 0;
  double height = 0;
};

inline constexpr size_t kKamadaKawaiLimit = 400;

// Lays out `node_count` nodes joined by `edges` (parallel edges count once;
// an edge naming a node ≥ node_count is ignored). Deterministic.
GraphLayout LayoutGraph(size_t node_count, const std::vector<LayoutEdge>& edges);

}  // namespace pm

#endif  // PARTNER_MATCH_ENGINE_GRAPH_GRAPH_LAYOUT_H_
