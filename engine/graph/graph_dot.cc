#include "engine/graph/graph_dot.h"

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/graphviz.hpp>
#include <cassert>
#include <cstdio>
#include <map>
#include <sstream>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace pm {
namespace {

// ---- DOT text ------------------------------------------------------------

// `text` escaped for the inside of a quoted DOT escString (no quotes).
std::string Escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else if (u < 0x20 || u == 0x7f) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

// Lines joined by Graphviz's centred line break "\n", quoted.
std::string QuoteLines(const std::vector<std::string>& lines) {
  std::string out = "\"";
  for (size_t i = 0; i < lines.size(); ++i) {
    if (i > 0) out += "\\n";
    out += Escape(lines[i]);
  }
  out += '"';
  return out;
}

// An attribute list: key=value pairs, values already quoted or numeric.
class Attributes {
 public:
  Attributes& Add(std::string_view key, std::string value) {
    if (!text_.empty()) text_ += ", ";
    absl::StrAppend(&text_, std::string(key), "=", value);
    return *this;
  }
  Attributes& Quoted(std::string_view key, std::string_view value) {
    return Add(key, DotQuote(value));
  }
  Attributes& Number(std::string_view key, double value) {
    return Add(key, absl::StrFormat("%.3g", value));
  }
  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

struct DotVertex {
  std::string attributes;
};
struct DotEdge {
  std::string attributes;
};
using DotGraph = boost::adjacency_list<boost::vecS, boost::vecS,
                                       boost::undirectedS, DotVertex, DotEdge>;

// Writes `g` with Boost's writer; `graph_lines` go first in the body
// (graph, node and edge defaults), each ending in ';'.
std::string Write(const DotGraph& g,
                  const std::vector<std::string>& graph_lines) {
  std::ostringstream out;
  boost::write_graphviz(
      out, g,
      [&g](std::ostream& os, DotGraph::vertex_descriptor v) {
        os << " [" << g[v].attributes << "]";
      },
      [&g](std::ostream& os, DotGraph::edge_descriptor e) {
        os << "[" << g[e].attributes << "]";
      },
      [&graph_lines](std::ostream& os) {
        for (const std::string& line : graph_lines) os << line << "\n";
      });
  return out.str();
}

std::string Side(const IndexedProfile& p) {
  return p.eu_member ? "EU member" : "partner country";
}

// The attributes every place's node has.
Attributes PlaceNode(const IndexedProfile& p, const std::string& suffix) {
  Attributes a;
  a.Quoted("id", p.profile.id);
  std::vector<std::string> lines = {p.profile.name,
                                    absl::StrCat("(", p.profile.country, ")")};
  if (!suffix.empty()) lines.back() += " · " + suffix;
  a.Add("label", QuoteLines(lines));
  a.Quoted("tooltip", absl::StrCat(p.profile.name, " (", p.profile.id, ", ",
                                   p.profile.country, ", ", Side(p),
                                   suffix.empty() ? "" : ", ", suffix, ")"));
  a.Quoted("fillcolor", p.eu_member ? kEuMemberFill : kPartnerCountryFill);
  return a;
}

// Colours for cluster borders (ColorBrewer Dark2 and Set1).
constexpr const char* kClusterColours[] = {
    "#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02",
    "#a6761d", "#e41a1c", "#377eb8", "#4daf4a", "#984ea3", "#ff7f00"};
constexpr size_t kClusterColourCount =
    sizeof(kClusterColours) / sizeof(kClusterColours[0]);

}  // namespace

std::string DotQuote(std::string_view text) {
  return absl::StrCat("\"", Escape(text), "\"");
}

std::string SimilarityGraphDot(const MatchIndex& index,
                               const SimilarityGraph& graph,
                               const std::vector<ThematicCluster>& clusters) {
  std::map<size_t, size_t> cluster_of;  // row -> cluster
  for (size_t c = 0; c < clusters.size(); ++c) {
    for (size_t r : clusters[c].members) cluster_of[r] = c;
  }
  DotGraph g;
  std::map<size_t, DotGraph::vertex_descriptor> vertex_of;
  for (size_t row : graph.rows) {
    assert(row < index.size());
    const auto it = cluster_of.find(row);
    Attributes a = PlaceNode(
        index.at(row),
        it == cluster_of.end() ? "" : absl::StrCat("C", it->second + 1));
    if (it != cluster_of.end()) {
      a.Quoted("color", kClusterColours[it->second % kClusterColourCount]);
      a.Add("penwidth", "2.5");
    }
    vertex_of[row] = boost::add_vertex(DotVertex{a.text()}, g);
  }
  for (const SimilarityEdge& e : graph.edges) {
    assert(vertex_of.count(e.a) && vertex_of.count(e.b));
    Attributes a;
    a.Quoted("label", absl::StrFormat("%.2f", e.weight));
    a.Number("penwidth", 0.5 + 3.5 * e.weight);
    a.Number("len", 2.5 - 1.5 * e.weight);
    a.Quoted("tooltip", absl::StrCat(index.at(e.a).profile.name, " — ",
                                     index.at(e.b).profile.name, ": ",
                                     absl::StrFormat("%.3f", e.weight)));
    const auto ca = cluster_of.find(e.a), cb = cluster_of.find(e.b);
    if (!clusters.empty()) {
      if (ca != cluster_of.end() && cb != cluster_of.end() &&
          ca->second == cb->second) {
        a.Quoted("color", kClusterColours[ca->second % kClusterColourCount]);
      } else {
        a.Quoted("color", "#999999");
        a.Quoted("style", "dashed");
      }
    }
    boost::add_edge(vertex_of[e.a], vertex_of[e.b], DotEdge{a.text()}, g);
  }
  return Write(g, {"graph [layout=\"neato\", overlap=\"false\", "
                   "splines=\"true\", fontname=\"Helvetica\"];",
                   "node [shape=\"box\", style=\"rounded,filled\", "
                   "fontname=\"Helvetica\", fontsize=\"10\"];",
                   "edge [fontname=\"Helvetica\", fontsize=\"8\"];"});
}

std::string PairingPlanDot(const MatchIndex& index, const PlanDot& plan) {
  DotGraph g;
  std::map<size_t, DotGraph::vertex_descriptor> vertex_of;
  const auto vertex = [&](size_t row, bool unmatched) {
    assert(row < index.size());
    auto it = vertex_of.find(row);
    if (it != vertex_of.end()) return it->second;
    Attributes a = PlaceNode(index.at(row), unmatched ? "unmatched" : "");
    if (unmatched) a.Quoted("style", "rounded,filled,dashed");
    return vertex_of[row] = boost::add_vertex(DotVertex{a.text()}, g);
  };
  const auto link = [&](const PlanDotPair& p, bool label,
                        const PlanDotGroup& group) {
    Attributes a;
    if (label) a.Quoted("label", absl::StrFormat("%.3f", p.score));
    a.Number("penwidth", 1 + 6 * std::clamp(p.score, 0.0, 1.0));
    if (p.same_side) {
      a.Quoted("color", "#999999");
      a.Quoted("style", "dotted");
    } else {
      a.Quoted("color", group.members.size() > 2 ? "#7570b3" : "#333333");
      if (p.fixed) a.Quoted("style", "bold");
    }
    a.Quoted("tooltip", absl::StrCat(index.at(p.a).profile.name, " — ",
                                     index.at(p.b).profile.name, ": ",
                                     absl::StrFormat("%.3f", p.score),
                                     p.fixed ? " (fixed)" : "",
                                     p.same_side ? " (same side)" : ""));
    boost::add_edge(vertex(p.a, false), vertex(p.b, false), DotEdge{a.text()},
                    g);
  };
  for (const PlanDotGroup& group : plan.groups) {
    for (size_t row : group.members) vertex(row, false);
    if (!group.pairs.empty()) {
      for (const PlanDotPair& p : group.pairs) link(p, true, group);
    } else {
      const bool pair = group.members.size() == 2;
      for (size_t i = 0; i < group.members.size(); ++i) {
        for (size_t j = i + 1; j < group.members.size(); ++j) {
          link({group.members[i], group.members[j], group.score, false,
                group.fixed},
               pair, group);
        }
      }
    }
  }
  for (size_t row : plan.unmatched) vertex(row, true);
  return Write(g, {"graph [rankdir=\"LR\", fontname=\"Helvetica\"];",
                   "node [shape=\"box\", style=\"rounded,filled\", "
                   "fontname=\"Helvetica\", fontsize=\"10\"];",
                   "edge [fontname=\"Helvetica\", fontsize=\"8\"];"});
}

}  // namespace pm
