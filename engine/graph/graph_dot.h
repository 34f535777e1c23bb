// Graphviz output: the similarity graph of a cohort (with its thematic
// clusters) and a pairing plan as DOT text, written with Boost.Graph's
// write_graphviz. Drawing the DOT (Graphviz's `dot` process) is the CLI's
// business: service/cli/graphviz.h.
//
// The DOT is an undirected graph `graph G { ... }`. Node ids are 0, 1, ...;
// every node carries its profile id in the `id` attribute (it becomes the
// SVG element id), a label "Name\n(CC)" and a tooltip; EU members are filled
// blue (#cfe2ff), partner-country members orange (#ffe5b4). Every attribute
// value is written quoted and escaped here (backslash and double quote;
// control characters become spaces; UTF-8 passes through), because Boost's
// own escaping leaves backslashes and DOT keywords ("node", "graph") as they
// are. Output is deterministic. All functions are thread-safe.
#ifndef PARTNER_MATCH_ENGINE_GRAPH_GRAPH_DOT_H_
#define PARTNER_MATCH_ENGINE_GRAPH_GRAPH_DOT_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "engine/graph/thematic_clusters.h"
#include "engine/matching/match_index.h"

namespace pm {

// `text` as a quoted DOT string for an escString attribute such as a label:
// '\' → "\\", '"' → "\"", ASCII control characters (newlines included) →
// ' ', other bytes (UTF-8) unchanged. E.g. say "hi" → "say \"hi\"".
std::string DotQuote(std::string_view text);

// The fills of the two sides' nodes.
inline constexpr const char* kEuMemberFill = "#cfe2ff";
inline constexpr const char* kPartnerCountryFill = "#ffe5b4";

// The similarity graph as DOT: one node per row of graph.rows, one edge per
// graph edge, labelled with its weight to two decimals and drawn wider the
// stronger it is. With `clusters` (found on this graph), each node's label
// and tooltip name its cluster ("C1" = clusters[0]) and its fill is kept,
// but its border takes the cluster's colour; edges between clusters are
// dashed grey. Laid out by neato (graph attribute layout=neato). Every row
// must be a row of `index` (asserted).
std::string SimilarityGraphDot(
    const MatchIndex& index, const SimilarityGraph& graph,
    const std::vector<ThematicCluster>& clusters = {});

// One pair inside a planned group (the planner's GroupPair, field for
// field).
struct PlanDotPair {
  size_t a = 0;  // rows of the MatchIndex
  size_t b = 0;
  double score = 0;        // what the pair adds to the group's score
  bool same_side = false;  // two same-side members of a trio: drawn dotted
  bool fixed = false;      // a fixed pair or an accepted decision: bold
};

// A pair or trio of a plan, in plain engine terms (the planner's
// PlannedGroup converts one for one).
struct PlanDotGroup {
  std::vector<size_t> members;  // rows of the MatchIndex, 2 or more
  double score = 0;             // the group's objective
  bool fixed = false;           // holds a fixed pair or an accepted decision
  // The pairs inside the group, each drawn as an edge labelled with its
  // score. Empty: every two members are linked (bold when `fixed`), and for
  // a pair the edge is labelled with `score`.
  std::vector<PlanDotPair> pairs;
};

struct PlanDot {
  std::vector<PlanDotGroup> groups;
  std::vector<size_t> unmatched;  // rows; drawn dashed, without edges
};

// The plan as DOT, laid out left to right: the members of every group, each
// group's edges (thicker the higher the score; trios purple; fixed bold;
// same-side dotted grey), and the unmatched places as dashed nodes. A place
// listed twice (capacity > 1) is drawn once. Every row must be a row of
// `index` (asserted).
std::string PairingPlanDot(const MatchIndex& index, const PlanDot& plan);

}  // namespace pm

#endif  // PARTNER_MATCH_ENGINE_GRAPH_GRAPH_DOT_H_
