// Cohort pairing plans: the groups of a programme round (pairs, and trios
// where a third member adds enough) that maximise the cohort's total
// reciprocal score under the programme's rules (cohort_pairs.h), and why
// each member left out is left out (plan_explanation.h).
//
// Objective: the sum of the group scores. A pair scores its reciprocal
// score. A trio (two EU members with one partner-country member, or one EU
// member with two) scores its two partner pairs plus, for its two same-side
// members, the similarity part of their score (kind factor × (w_shared ×
// shared + w_latent × latent)); groups of four likewise over all six pairs.
// A group of three or more needs every member to add at least
// min_trio_gain, and trios never cost anyone a group: every member the best
// pairs-only plan places stays in a group. Then a member still without a
// group, for lack of any score with the members left, gets a weak pair
// scoring 0 (weak_fill.h) rather than being left out.
//
// Methods. Pairs only: exact (bipartite_matching.h) — capacity 1 a
// maximum-weight bipartite matching (Hungarian assignment), capacity > 1 a
// maximum-weight b-matching (min-cost flow, Boost.Graph). The plan's pairs
// are a matching (b-matching) of the bipartite graph whose edges are the
// allowed partner pairs, weighted by their integer scores; fixed pairs are
// removed with their capacity first, so the optimum around them is the
// optimum of the rest. Trios (NP-hard): a heuristic (group_search.h) that
// starts from the exact matching, so it never scores below the best
// pairs-only plan, itself at least half of the best trio plan's partner
// pairs; measured against exhaustive search in the tests and
// benchmarks/plan_benchmark.cc. Scores enter the solvers as integers
// (CohortPairs::kScoreUnits per 1.0): optimal up to that rounding.
//
// Sizes: O(n²) memory (8 bytes per other-side pair; 8n² more with trios) and
// O(n³) time up to kMaxExactMembers (kMaxExactMembersWithCapacity for
// capacity > 1). Above (PairingOptions::Method), the same solvers run on the
// sparse candidate graph (candidate_graph.h: each member's best eligible
// partners, and peers for trios): the pairs are then a maximum-weight
// b-matching of that graph (exact on it), and groups are searched on it;
// O(n·k) memory, the graph's all-pairs pass O(e·p·(3T + r)) multiply-adds.
// Its gap to the exact plan is measured where both run:
// benchmarks/plan_benchmark.cc (BM_PlanGap).
#ifndef PARTNER_MATCH_ENGINE_PLANNING_PAIRING_PLANNER_H_
#define PARTNER_MATCH_ENGINE_PLANNING_PAIRING_PLANNER_H_

#include <cstddef>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/matching/match_index.h"
#include "engine/matching/reciprocal_scorer.h"
#include "engine/planning/cohort.h"
#include "engine/planning/cohort_pairs.h"
#include "engine/planning/pairing_plan.h"

namespace pm {

// Plans pairings for cohorts. Holds a copy of the scorer; stateless
// otherwise; safe to share between threads.
class PairingPlanner {
 public:
  explicit PairingPlanner(ReciprocalScorer scorer = ReciprocalScorer())
      : scorer_(std::move(scorer)) {}

  // The plan for `cohort` (rows of `index`; sorted and deduplicated here).
  // Errors as CohortPairs::Build; nothing is returned on error. Accepted
  // decisions the plan cannot keep are no error: PairingPlan::conflicts. Same
  // input, same plan: ties between plans of equal total are broken by the
  // solvers' fixed order (members in id order). Cost: O(n²·T) to score the
  // pairs, O(s²·l) for the matching, O(c·s·e·log n) for capacity c > 1, and
  // about O(n²) per local-search pass with trios.
  absl::StatusOr<PairingPlan> Plan(const MatchIndex& index,
                                   std::vector<size_t> cohort,
                                   const PairingOptions& options) const;

  // SelectCohort, then Plan: errors of either.
  absl::StatusOr<PairingPlan> Plan(const MatchIndex& index,
                                   const CohortSelector& selector,
                                   const PairingOptions& options) const;

  const ReciprocalScorer& scorer() const { return scorer_; }

  // The largest cohorts planned exactly (defined at PairingOptions).
  static constexpr size_t kMaxExactMembers = PairingOptions::kMaxExactMembers;
  static constexpr size_t kMaxExactMembersWithCapacity =
      PairingOptions::kMaxExactMembersWithCapacity;

 private:
  ReciprocalScorer scorer_;
};

}  // namespace pm

#endif  // PARTNER_MATCH_ENGINE_PLANNING_PAIRING_PLANNER_H_
