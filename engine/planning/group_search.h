// The search for groups of three or more (trios, and groups of four when
// max_group_size allows) in a pairing plan: a heuristic for an NP-hard
// problem (a weighted packing of triangles and edges) that starts from the
// exact pairs-only optimum and only improves it.
//
// How far it can be from the best. Let OPT be the best plan, OPT_p the sum
// of its partner pairs and OPT_s of its same-side pairs (OPT = OPT_p +
// OPT_s). Without fixed pairs: in each group of OPT the larger partner pair
// carries at least half of the group's partner pairs (a trio has two, both
// through its single member); those pairs, one per group, form a matching
// M', so the best pairs-only plan M* scores w(M*) >= w(M') >= OPT_p / 2
// (OPT_p / 3 with groups of four, whose partner pairs split into at most
// three matchings). The search starts from M* and only improves: plan >=
// w(M*) >= OPT_p / 2. (A group holding a fixed pair contributes that pair
// to M' instead, and only it to the bound.)
// No constant bound covers OPT_s (two members may share much and fit their
// partner little), so the ratio is measured: tests/engine/planning
// (RandomCohortTest.TriosStayCloseToTheBestPlan) and
// benchmarks/plan_benchmark.cc print it against exhaustive search.
#ifndef PARTNER_MATCH_ENGINE_PLANNING_GROUP_SEARCH_H_
#define PARTNER_MATCH_ENGINE_PLANNING_GROUP_SEARCH_H_

#include <cstddef>
#include <vector>

#include "engine/planning/group_rules.h"

namespace pm {

// Improves the partition `start` (groups of member numbers, valid under
// `rules`; members in none are singles) for the objective of GroupRules,
// and returns its groups of two members or more:
//  1. Attach: single members join groups with room by a maximum-weight
//     assignment on their marginal gains (max_group - 2 rounds; on a sparse
//     GroupRules only the groups of a single's near members are offered).
//  2. Local search: at each member x, the best strictly improving change
//     among moving x to another group, swapping it with a member of
//     another group, moving it and filling its place with a single, and
//     (groups of four) merging its group with another or joining a group
//     with another single; candidates are the groups of x's near members
//     (GroupRules::near) and of its group's, each bounded by its link sums
//     before it is evaluated. Passes until none improves; after the first,
//     a pass looks only at the members around the changes since the pass
//     before (GroupPartition::Around), not at the whole cohort.
//  3. Exact re-partition of neighbourhoods (GroupRepartitioner::Pass; after
//     the first, around the changes since the last one): steps 2 and 3
//     alternate until neither improves.
//  4. The same on random neighbourhoods (GroupRepartitioner::RandomRounds),
//     then step 2 once more.
// Every change raises the integer objective, so the search ends, and it
// never ends below its start. Deterministic (no clock, a fixed seed).
std::vector<std::vector<size_t>> SearchGroups(
    const GroupRules& rules, const std::vector<std::vector<size_t>>& start);

}  // namespace pm

#endif  // PARTNER_MATCH_ENGINE_PLANNING_GROUP_SEARCH_H_
