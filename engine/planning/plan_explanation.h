// The explanations of a pairing plan: each planned group with the reasons
// of its pairs and its weak marks, why two members may not be grouped (the
// "barrier" sentences), and why each member left out is left out.
#ifndef PARTNER_MATCH_ENGINE_PLANNING_PLAN_EXPLANATION_H_
#define PARTNER_MATCH_ENGINE_PLANNING_PLAN_EXPLANATION_H_

#include <cstddef>
#include <string>
#include <vector>

#include "engine/planning/cohort_pairs.h"
#include "engine/planning/group_rules.h"
#include "engine/planning/pairing_plan.h"

namespace pm {

// The planned group of `members` (member numbers of `pairs`, every two
// linked, or a weak-fill pair: MayWeakFill; asserted): members EU first, then by member number; every pair
// with its score, its reasons (ReciprocalScorer::Explain; for a same-side
// pair only the themes they share) and GroupPair::weak; the group's score,
// fixed and weak marks.
PlannedGroup MakePlannedGroup(const CohortPairs& pairs,
                              std::vector<size_t> members);

// Why members i and j may not be partners (other sides) or group mates
// (same side), in a few words ("in the same country", "declined by ana",
// "scoring 0.012, below min_score 0.050"), or "" when they may.
std::string Barrier(const CohortPairs& pairs, size_t i, size_t j);

// Why a member with no group in `groups` (member numbers) is left out.
// `rules` is set when groups of three or more were allowed. Refers to
// `pairs`, `groups` and `rules`, which must outlive it; thread-safe.
class UnmatchedExplainer {
 public:
  UnmatchedExplainer(const CohortPairs& pairs,
                     const std::vector<std::vector<size_t>>& groups,
                     const GroupRules* rules);

  bool matched(size_t m) const { return !groups_of_[m].empty(); }

  // The cause, best partner and sentence for member u (not matched). O(n)
  // for a cohort of n; on a sparse CohortPairs O(1) when u has candidates
  // (its best candidate is the best partner named).
  UnmatchedMember Explain(size_t u) const;

 private:
  // "its best eligible partner, Cali (cali, 0.221), is paired with ...".
  std::string TakenReason(size_t u, size_t v, double score,
                          std::vector<size_t>* taken_by) const;
  // Why u did not join group g (groups of three or more allowed).
  std::string JoinReason(size_t u, const std::vector<size_t>& g) const;

  const CohortPairs& pairs_;
  const std::vector<std::vector<size_t>>& groups_;
  const GroupRules* rules_;
  std::vector<std::vector<size_t>> groups_of_;
};

}  // namespace pm

#endif  // PARTNER_MATCH_ENGINE_PLANNING_PLAN_EXPLANATION_H_
