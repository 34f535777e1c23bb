// Thematic clusters of places: a sparse similarity graph of a cohort (each
// place linked to its most similar places) and communities found on it by
// modularity optimisation (Leiden, or Louvain), each labelled with its
// dominant themes and its most central members.
//
// Similarity. The thematic similarity of two places is the cosine of their
// interest rows (MatchIndex::interest(), L2-normalised, non-negative), in
// [0, 1]; 0 when either place has no theme. Roles do not matter here: a
// cluster gathers places that work on the same themes, whoever offers or
// seeks them (that is the reciprocal scorer's business). Optionally
// (latent_weight w > 0) it is blended with the latent text similarity,
// (1 − w)·cos + w·MatchIndex::latent().Similarity, so that places sharing
// specific topics the taxonomy does not name also draw together; the
// default is the themes alone, so that clusters match their theme labels.
//
// Graph. Each place keeps its `neighbours` most similar places of the cohort
// (similarity ≥ min_similarity, ties to the lower row); a pair is linked when
// either keeps the other, with its similarity as the weight. Rows are scored
// one at a time: memory O(m·T + m·neighbours) for a cohort of m places, time
// O(m²·T). No m × m structure.
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
#include "engine/matching/match_index.h"

namespace pm {

// (1 − latent_weight)·cos(interest_a, interest_b) + latent_weight·
// latent().Similarity(a, b) for rows a, b of `index`, in [0, 1].
// Cost O(T), plus O(r + terms of a and b) with a latent weight.
double ThematicSimilarity(const MatchIndex& index, size_t a, size_t b,
                          double latent_weight = 0);

// One link of the similarity graph, between rows of the MatchIndex.
struct SimilarityEdge {
  size_t a = 0;  // a < b
  size_t b = 0;
  double weight = 0;  // ThematicSimilarity(a, b, latent_weight), > 0
};

// A sparse similarity graph over a cohort of places.
struct SimilarityGraph {
  std::vector<size_t> rows;  // the cohort: rows of the MatchIndex, ascending
  std::vector<SimilarityEdge> edges;  // sorted by (a, b), each pair once
};

struct SimilarityGraphOptions {
  // Each place is linked to this many of its most similar places (≥ 1).
  int neighbours = 5;
  // Pairs less similar than this are never linked (in [0, 1]; pairs with no
  // theme in common, similarity 0, never are).
  double min_similarity = 0.05;
  // Share of the latent text similarity in the similarity (in [0, 1]; 0:
  // themes only).
  double latent_weight = 0;
};

// The k-nearest-neighbour similarity graph of the cohort `rows` (any order;
// the result is the same for every order). INVALID_ARGUMENT for a row out of
// range ("rows[3]: no row 42 in an index of 29 profiles"), a repeated row,
// or options out of range; RESOURCE_EXHAUSTED for a cohort larger than
// kMaxClusterCohort. Cost O(m²·T) time (plus O(m·(n·r + Σ df)) with a
// latent weight, latent_text.h), O(m·(T + neighbours) + n) memory.
absl::StatusOr<SimilarityGraph> BuildSimilarityGraph(
    const MatchIndex& index, const std::vector<size_t>& rows,
    const SimilarityGraphOptions& options = {});

// The largest cohort clustered or drawn (O(m²·T) time: seconds at this size).
inline constexpr size_t kMaxClusterCohort = 20000;

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
