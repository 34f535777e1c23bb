// Never hide a member for lack of words: after the optimum, a member with
// no group (one whose eligible partners all score 0, typically a profile of
// one or two sentences sharing no theme or word with anyone) is paired with
// a free other-side member the rules allow, ranked by the evidence that
// remains (ReciprocalScorer::RankWeak: same kind, LSA cosine, id), as
// Suggest does (ReciprocalScorer::WeakFill). Such a pair scores 0, adds
// nothing to the plan's total and is marked weak (GroupPair::weak).
#ifndef PARTNER_MATCH_ENGINE_PLANNING_WEAK_FILL_H_
#define PARTNER_MATCH_ENGINE_PLANNING_WEAK_FILL_H_

#include <cstddef>
#include <vector>

#include "engine/planning/cohort_pairs.h"

namespace pm {

// Whether members i and j are on opposite sides and may be partners but for
// a score of 0 or less: not forbidden, not excluded by the programme's
// rules or the kind rule, and min_score is 0 (a coordinator who sets a
// floor gets no pair below it).
bool MayWeakFill(const CohortPairs& pairs, size_t i, size_t j);

// The weak pairs (member numbers, EU member first) for the members with no
// group in `groups`, in member order: each takes the first candidate in
// RankWeak's order among the other-side members it MayWeakFill with that
// have room for a partner (fewer groups than the capacity). O(f · g) rule
// checks and pair scores for f such members and g members with room (on
// all cores), plus RankWeak on the few that pass; memory O(g) per member
// of a chunk of 256. Stops early, with part of the pairs, once the plan's
// cancellation token fires.
std::vector<std::vector<size_t>> WeakFillPairs(
    const CohortPairs& pairs, const std::vector<std::vector<size_t>>& groups);

}  // namespace pm

#endif  // PARTNER_MATCH_ENGINE_PLANNING_WEAK_FILL_H_
