// The sparse candidate graph of a large cohort: for each member, its best
// eligible partners (and, for trios, its closest same-side peers), found
// without scoring every pair. The pairing planner solves on this graph
// above the exact solver's size (PairingOptions::Method).
//
// Partners. A pair's score is not an inner product (the reciprocal part is
// a harmonic mean, the latent part adds a TF-IDF cosine, soft rules scale
// it), but it is bounded by one: with c = (w_r + w_o) / 2 and the harmonic
// mean below the arithmetic one,
//   score(a, b) <= w_s·shared + c·(gives + gets) + w_l·s·max(0, lsa)
//                  + w_l·(1 − s)·tfidf
// (s: LatentTextOptions::lsa_share). The first three terms are x_a · y_b
// for x = [√w_s·interest, √c·offer, √c·seek, √(w_l·s)·lsa] and
// y = [√w_s·interest, √c·seek, √c·offer, √(w_l·s)·lsa]: each EU member's
// kRetrieve·k best partner-country members by x·y, and each of those its
// best EU members, come from one exact all-pairs pass (ExactKnnBipartite,
// blocked GEMM); each is then scored exactly (ReciprocalScorer::Score) and
// kept when the rules allow the pair (CohortPairs::link), the best k per
// member. Members with the same vector (the same text) would all retrieve
// the same lowest-numbered partners; a small fixed pseudo-random component
// per member (|x·y| changes by at most 2·10⁻⁴) spreads such ties over the
// equals instead, so the graph has no hubs.
//
// k (adaptive): kBaseCandidates times the ratio of the larger side to the
// smaller, rounded up (members of the larger side compete for fewer
// partners, so each needs more of them), at most kMaxCandidates.
//
// Peers (trios). Each member's kPeers most similar same-side members by
// the similarity part of the score (w_s·shared + w_l·latent), from
// ExactKnn on [√w_s·interest, √(w_l·s)·lsa] within each side, rescored
// exactly, declined and forbidden pairs left out.
//
// Cost: O(e·p·(3T + r)) multiply-adds for e EU and p partner-country
// members (all cores), O(n·kRetrieve·k) exact scores; memory O(n·(T + r +
// k)). Deterministic.
#ifndef PARTNER_MATCH_ENGINE_PLANNING_CANDIDATE_GRAPH_H_
#define PARTNER_MATCH_ENGINE_PLANNING_CANDIDATE_GRAPH_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"

namespace pm {

class CohortPairs;

// One candidate of a member: another member number and what the pair adds
// (its score as a partner pair, or the similarity part as peers).
struct Candidate {
  size_t member = 0;
  double score = 0;
};

struct CandidateGraph {
  // Partners per member (k above).
  size_t k = 0;
  // Per member: its best eligible partners, best first (ties: the spread
  // order above, then member number). Scores > 0.
  std::vector<std::vector<Candidate>> partners;
  // Per member, with peers: its closest same-side members, closest first;
  // scores > 0. Empty lists otherwise.
  std::vector<std::vector<Candidate>> peers;

  static constexpr size_t kBaseCandidates = 16;
  static constexpr size_t kMaxCandidates = 64;
  // Retrieved by the inner-product bound per partner kept.
  static constexpr size_t kRetrieve = 2;
  static constexpr size_t kPeers = 32;
};

// The candidate graph of the members of `pairs` (its rules decide which
// pairs are eligible: CohortPairs::link). INTERNAL if the similarity pass
// fails (it does not on finite vectors).
absl::StatusOr<CandidateGraph> BuildCandidateGraph(const CohortPairs& pairs,
                                                   bool with_peers);

}  // namespace pm

#endif  // PARTNER_MATCH_ENGINE_PLANNING_CANDIDATE_GRAPH_H_
