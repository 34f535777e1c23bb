// Thematic clusters of places: communities found by modularity
// optimisation (Leiden, or Louvain) on the sparse similarity graph of a
// cohort (similarity_graph.h), each labelled with its dominant themes and
// its most central members.
//
// Communities. Leiden (Traag, Waltman & van Eck 2019; igraph's
// igraph_community_leiden) with the modularity objective — node weights the
// weighted degrees, resolution γ / 2W for total edge weight W, β = 0.01 —
// iterated until an iteration changes nothing (at most 50 iterations); or
// Louvain (Blondel et al. 2008; igraph_community_multilevel).
// Both are randomised: igraph's generator is seeded with `seed` before every
// run, so the same input gives the same clusters. Leiden's communities are
// connected; Louvain's need not be.
//
// Size bounds. A community larger than max_size is split by running the
// method again on its own subgraph, and the parts that are still too large
// likewise. A split counts when parts of at least max(2, min_size) members
// hold half its members or more; otherwise the resolution is doubled and
// the method run again, up to five times. When no resolution splits it (a
// near-clique stays whole, then falls apart into single places), it is cut
// greedily into groups of at most max_size, each grown from its strongest
// member by the member most strongly linked to the group. A community
// smaller than min_size is reported as unclustered (kUnclustered, the
// default), or merged into the community it is most strongly linked to when
// that keeps the result within max_size (kMerge; the smallest first; those
// with no such link stay unclustered). Places with no link at all are
// always unclustered.
#ifndef PARTNER_MATCH_ENGINE_GRAPH_THEMATIC_CLUSTERS_H_
#define PARTNER_MATCH_ENGINE_GRAPH_THEMATIC_CLUSTERS_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/common/cancellation.h"
#include "engine/graph/similarity_graph.h"
#include "engine/matching/match_index.h"

namespace pm {

enum class CommunityMethod {
  kLeiden,   // Leiden, modularity objective (default)
  kLouvain,  // Louvain (multilevel modularity optimisation)
};

// What becomes of a community smaller than min_size.
enum class SmallClusterPolicy {
  kUnclustered,  // its members are listed as unclustered (default)
  kMerge,        // merged into the community most strongly linked to it
};

struct ClusterOptions {
  SimilarityGraphOptions graph;
  CommunityMethod method = CommunityMethod::kLeiden;
  // Modularity's resolution γ (> 0): above 1 gives more, smaller clusters.
  double resolution = 1.0;
  // Smallest cluster reported (≥ 1); see SmallClusterPolicy.
  int min_size = 2;
  // Largest cluster (0: no limit; otherwise ≥ max(2, min_size)).
  int max_size = 0;
  SmallClusterPolicy small_clusters = SmallClusterPolicy::kUnclustered;
  // Themes in a cluster's label (≥ 1).
  int label_themes = 3;
  // Central members named per cluster (≥ 1).
  int central_members = 3;
  // Seed of igraph's random generator, set before every run.
  uint64_t seed = 20240601;
  // Polled between the stages (graph, communities, labels; each well under
  // a second at the cohort limit): FindThematicClusters returns CANCELLED
  // when it fires.
  CancellationToken cancel;
};

// A theme of a cluster's label.
struct ClusterTheme {
  int theme = 0;      // index into the taxonomy
  double weight = 0;  // sum of the members' extracted weights for it
};

struct ThematicCluster {
  std::vector<size_t> members;  // rows of the MatchIndex, ascending
  // Parallel to members: the member's mean similarity to the other members
  // (its weighted degree in the cluster's complete similarity graph, over
  // size − 1); 0 for a cluster of one. O(s·T) from the members' summed
  // interest rows; with a latent weight, pairwise: O(s²·(T + r)).
  std::vector<double> centrality;
  // The dominant themes, strongest first (the top label_themes by summed
  // weight, ties to the lower theme index; themes with weight 0 left out).
  std::vector<ClusterTheme> themes;
  // The most central members, most central first (ties to the lower row).
  std::vector<size_t> central_members;
  // Mean similarity over the cluster's pairs of members (1 for one member).
  double cohesion = 0;
};

struct ThematicClustering {
  // Largest first; ties: the one with the lowest first member first.
  std::vector<ThematicCluster> clusters;
  // Places in no reported cluster, ascending rows.
  std::vector<size_t> unclustered;
  // The graph the clusters were found on.
  SimilarityGraph graph;
  // Modularity (γ = 1) of the reported partition on `graph`, each
  // unclustered place on its own; 0 for a graph without edges.
  double modularity = 0;
};

// Thematic clusters of the cohort `rows` (rows of `index`, any order; the
// result depends only on the set). Same input and options, same result.
// Errors: those of BuildSimilarityGraph; INVALID_ARGUMENT naming the option
// for options out of range ("max_size (3) is below min_size (4)"); INTERNAL
// when igraph fails. An empty cohort gives an empty clustering.
// Thread-safe: calls into igraph (not thread-safe in Debian's build) are
// serialised by a process-wide mutex; everything else runs concurrently.
absl::StatusOr<ThematicClustering> FindThematicClusters(
    const MatchIndex& index, const std::vector<size_t>& rows,
    const ClusterOptions& options = {});

}  // namespace pm

#endif  // PARTNER_MATCH_ENGINE_GRAPH_THEMATIC_CLUSTERS_H_
