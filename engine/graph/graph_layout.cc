#include "engine/graph/graph_layout.h"

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/circle_layout.hpp>
#include <boost/graph/fruchterman_reingold.hpp>
#include <boost/graph/kamada_kawai_spring_layout.hpp>
#include <boost/graph/topology.hpp>
#include <boost/random/linear_congruential.hpp>
#include <cmath>
#include <numeric>
#include <set>
#include <utility>

namespace pm {
namespace {

using Topology = boost::square_topology<>;
using TopologyPoint = Topology::point_type;
using Graph = boost::adjacency_list<
    boost::vecS, boost::vecS, boost::undirectedS, boost::no_property,
    boost::property<boost::edge_weight_t, double>>;

// A laid-out component is spread out until it has this much room a node.
constexpr double kAreaPerNode = 1.6;

// Union-find over the node indices.
size_t Root(std::vector<size_t>& parent, size_t i) {
  while (parent[i] != i) i = parent[i] = parent[parent[i]];
  return i;
}

// A laid-out component: its nodes, their positions inside [0, w] × [0, h].
struct Piece {
  std::vector<size_t> nodes;
  std::vector<LayoutPoint> points;
  double w = 1, h = 1;
};

// Positions of one connected component of two or more nodes; `edges` use
// indices into `nodes`.
std::vector<LayoutPoint> LayoutComponent(
    size_t n, const std::vector<std::pair<std::pair<size_t, size_t>, double>>&
                  edges) {
  Graph g(n);
  for (const auto& [ends, weight] : edges) {
    boost::add_edge(ends.first, ends.second, 1.5 - weight, g);
  }
  std::vector<TopologyPoint> position(n);
  auto position_map = boost::make_iterator_property_map(
      position.begin(), boost::get(boost::vertex_index, g));
  const double radius = std::max(1.0, static_cast<double>(n) / 6.0);
  boost::circle_graph_layout(g, position_map, radius);
  if (n <= kKamadaKawaiLimit) {
    boost::kamada_kawai_spring_layout(g, position_map,
                                      boost::get(boost::edge_weight, g),
                                      Topology(), boost::edge_length(1.0));
  } else {
    const double side = 2.0 * std::sqrt(static_cast<double>(n));
    boost::minstd_rand generator(20240601);
    boost::rectangle_topology<boost::minstd_rand> topology(generator, -side,
                                                           -side, side, side);
    boost::fruchterman_reingold_force_directed_layout(
        g, position_map, topology,
        boost::cooling(boost::linear_cooling<double>(300)));
  }
  std::vector<LayoutPoint> out(n);
  for (size_t i = 0; i < n; ++i) out[i] = {position[i][0], position[i][1]};
  // Neighbours about 1 apart: scale by the mean edge length.
  double total = 0;
  for (const auto& [ends, weight] : edges) {
    total += std::hypot(out[ends.first].x - out[ends.second].x,
                        out[ends.first].y - out[ends.second].y);
  }
  const double mean = total / static_cast<double>(edges.size());
  const double scale = mean > 1e-9 ? 1.0 / mean : 1.0;
  double min_x = 0, max_x = 0, min_y = 0, max_y = 0;
  for (LayoutPoint& p : out) {
    p.x *= scale;
    p.y *= scale;
    if (!std::isfinite(p.x) || !std::isfinite(p.y)) p = {0, 0};
    min_x = std::min(min_x, p.x);
    max_x = std::max(max_x, p.x);
    min_y = std::min(min_y, p.y);
    max_y = std::max(max_y, p.y);
  }
  // Room for the labels: at least kAreaPerNode square units a node.
  const double area = std::max(max_x - min_x, 1.0) * std::max(max_y - min_y, 1.0);
  const double spread =
      std::sqrt(kAreaPerNode * static_cast<double>(n) / area);
  if (spread > 1) {
    for (LayoutPoint& p : out) {
      p.x *= spread;
      p.y *= spread;
    }
  }
  return out;
}

// Moves the piece's points into [0.5, w − 0.5] × [0.5, h − 0.5].
void Frame(Piece& piece) {
  double min_x = piece.points[0].x, max_x = min_x;
  double min_y = piece.points[0].y, max_y = min_y;
  for (const LayoutPoint& p : piece.points) {
    min_x = std::min(min_x, p.x);
    max_x = std::max(max_x, p.x);
    min_y = std::min(min_y, p.y);
    max_y = std::max(max_y, p.y);
  }
  for (LayoutPoint& p : piece.points) {
    p.x += 0.5 - min_x;
    p.y += 0.5 - min_y;
  }
  piece.w = max_x - min_x + 1;
  piece.h = max_y - min_y + 1;
}

}  // namespace

GraphLayout LayoutGraph(size_t node_count,
                        const std::vector<LayoutEdge>& edges) {
  GraphLayout layout;
  layout.points.resize(node_count);
  if (node_count == 0) return layout;
  // Distinct edges, each (low, high) once with its largest weight.
  std::set<std::pair<size_t, size_t>> seen;
  std::vector<LayoutEdge> distinct;
  for (const LayoutEdge& e : edges) {
    if (e.a == e.b || e.a >= node_count || e.b >= node_count) continue;
    const auto key = std::minmax(e.a, e.b);
    if (!seen.insert(key).second) continue;
    distinct.push_back({key.first, key.second, std::clamp(e.weight, 0.0, 1.0)});
  }
  std::vector<size_t> parent(node_count);
  std::iota(parent.begin(), parent.end(), 0);
  for (const LayoutEdge& e : distinct) {
    parent[Root(parent, e.a)] = Root(parent, e.b);
  }
  // Components in order of their first node.
  std::vector<Piece> pieces;
  std::vector<size_t> piece_of(node_count, SIZE_MAX), local(node_count);
  for (size_t i = 0; i < node_count; ++i) {
    const size_t root = Root(parent, i);
    if (piece_of[root] == SIZE_MAX) {
      piece_of[root] = pieces.size();
      pieces.emplace_back();
    }
    Piece& piece = pieces[piece_of[root]];
    local[i] = piece.nodes.size();
    piece.nodes.push_back(i);
  }
  std::vector<std::vector<std::pair<std::pair<size_t, size_t>, double>>>
      piece_edges(pieces.size());
  for (const LayoutEdge& e : distinct) {
    piece_edges[piece_of[Root(parent, e.a)]].push_back(
        {{local[e.a], local[e.b]}, e.weight});
  }
  double area = 0, widest = 0;
  for (size_t k = 0; k < pieces.size(); ++k) {
    Piece& piece = pieces[k];
    piece.points = piece.nodes.size() == 1
                       ? std::vector<LayoutPoint>{{0, 0}}
                       : LayoutComponent(piece.nodes.size(), piece_edges[k]);
    Frame(piece);
    area += piece.w * piece.h;
    widest = std::max(widest, piece.w);
  }
  // Shelves of about 4:3, largest components first.
  std::stable_sort(pieces.begin(), pieces.end(),
                   [](const Piece& a, const Piece& b) {
                     return a.nodes.size() > b.nodes.size();
                   });
  const double row_width = std::max(widest, std::sqrt(area * 4.0 / 3.0));
  double x = 0, y = 0, row_height = 0;
  for (const Piece& piece : pieces) {
    if (x > 0 && x + piece.w > row_width + 1e-9) {
      y += row_height;
      x = 0;
      row_height = 0;
    }
    for (size_t i = 0; i < piece.nodes.size(); ++i) {
      layout.points[piece.nodes[i]] = {x + piece.points[i].x,
                                       y + piece.points[i].y};
    }
    x += piece.w;
    row_height = std::max(row_height, piece.h);
    layout.width = std::max(layout.width, x);
  }
  layout.height = y + row_height;
  return layout;
}

}  // namespace pm
