// The thematic similarity graph of a cohort of places: each place linked
// to its most similar places, the graph thematic clusters are found on and
// drawn (thematic_clusters.h, graph_dot.h).
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
// either keeps the other, with its similarity as the weight. Themes alone:
// the neighbours come from the exact all-pairs top-k (ExactKnn, blocked
// float GEMM, all cores), memory O(m·T + m·neighbours) for a cohort of m
// places, time O(m²·T / 2) multiply-adds — seconds at 100,000 places. With a
// latent weight rows are scored one at a time (the latent similarity is not
// an inner product), O(m²·T) plus the latent part. No m × m structure.
#ifndef PARTNER_MATCH_ENGINE_GRAPH_SIMILARITY_GRAPH_H_
#define PARTNER_MATCH_ENGINE_GRAPH_SIMILARITY_GRAPH_H_

#include <cstddef>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/matching/match_index.h"

namespace pm {

// (1 − latent_weight)·cos(interest_a, interest_b) + latent_weight·
// latent().Similarity(a, b) for rows a, b of `index`, in [0, 1]; the cosine
// alone for texts in two languages (their words cannot be compared).
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
// kMaxLatentClusterCohort with a latent weight. Cost O(m²·T) time (plus
// O(m·(n·r + Σ df)) with a latent weight, latent_text.h),
// O(m·(T + neighbours) + n) memory.
absl::StatusOr<SimilarityGraph> BuildSimilarityGraph(
    const MatchIndex& index, const std::vector<size_t>& rows,
    const SimilarityGraphOptions& options = {});

// The largest cohort clustered or drawn with a latent weight (row by row,
// O(m²·(T + r)) time: seconds at this size). Themes alone have no limit.
inline constexpr size_t kMaxLatentClusterCohort = 20000;

}  // namespace pm

#endif  // PARTNER_MATCH_ENGINE_GRAPH_SIMILARITY_GRAPH_H_
