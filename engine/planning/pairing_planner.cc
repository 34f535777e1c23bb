// PairingPlanner: the exact pairs-only plan, the trio search on top, and
// the plan's groups and explanations.
#include "engine/planning/pairing_planner.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <limits>
#include <memory>
#include <tuple>

#include "engine/common/status_macros.h"
#include "engine/planning/bipartite_matching.h"
#include "engine/planning/group_rules.h"
#include "engine/planning/group_search.h"
#include "engine/common/parallel_for.h"
#include "engine/planning/plan_explanation.h"
#include "engine/planning/weak_fill.h"

namespace pm {
namespace {

// The pairs of the optimum under capacity 1: fixed pairs, then a
// maximum-weight matching of everyone else.
std::vector<std::vector<size_t>> MatchPairs(const CohortPairs& pairs) {
  std::vector<std::vector<size_t>> groups;
  std::vector<bool> taken(pairs.size(), false);
  for (const auto& [a, b] : pairs.fixed()) {
    groups.push_back({a, b});
    taken[a] = taken[b] = true;
  }
  std::vector<size_t> left, right;  // free EU, free partner-country members
  for (size_t m = 0; m < pairs.size(); ++m) {
    if (!taken[m]) (pairs.eu(m) ? left : right).push_back(m);
  }
  auto weight = [&](size_t i, size_t j) -> int64_t {
    const CohortPairs::Link l = pairs.link(left[i], right[j]);
    return l.kind == CohortPairs::Link::kPartners ? l.units : 0;
  };
  for (const auto& [i, j] : MaxWeightMatching(left.size(), right.size(),
                                              weight, pairs.options().cancel)) {
    groups.push_back({left[i], right[j]});
  }
  return groups;
}

// The pairs of the optimum under capacity c > 1, or on the candidate graph
// (any capacity): fixed pairs, then a maximum-weight b-matching on the
// capacity they leave, over every allowed pair or the candidate graph's.
std::vector<std::vector<size_t>> MatchPairsWithCapacity(
    const CohortPairs& pairs) {
  std::vector<std::vector<size_t>> groups;
  std::vector<int> room(pairs.size(), pairs.options().capacity);
  for (const auto& [a, b] : pairs.fixed()) {
    groups.push_back({a, b});
    --room[a];
    --room[b];
  }
  std::vector<size_t> left, right, pos(pairs.size());
  for (size_t m = 0; m < pairs.size(); ++m) {
    auto& side = pairs.eu(m) ? left : right;
    pos[m] = side.size();
    side.push_back(m);
  }
  std::vector<int> cap_left, cap_right;
  for (size_t m : left) cap_left.push_back(room[m]);
  for (size_t m : right) cap_right.push_back(room[m]);
  std::vector<WeightedEdge> edges;
  auto add = [&](size_t eu, size_t partner, int64_t units) {
    if (room[eu] > 0 && room[partner] > 0 && units > 0 &&
        !pairs.fixed_pair(eu, partner)) {
      edges.emplace_back(pos[eu], pos[partner], units);
    }
  };
  if (pairs.sparse()) {
    // Each candidate pair once (its score is its link's).
    std::vector<WeightedEdge> listed;  // (EU member, partner member, units)
    for (size_t m = 0; m < pairs.size(); ++m) {
      for (const Candidate& c : pairs.candidates().partners[m]) {
        listed.emplace_back(pairs.eu(m) ? m : c.member,
                            pairs.eu(m) ? c.member : m,
                            CohortPairs::ToUnits(c.score));
      }
    }
    std::sort(listed.begin(), listed.end());
    listed.erase(std::unique(listed.begin(), listed.end()), listed.end());
    for (const auto& [eu, partner, units] : listed) add(eu, partner, units);
  } else {
    for (size_t eu : left) {
      for (size_t partner : right) {
        const CohortPairs::Link l = pairs.link(eu, partner);
        if (l.kind == CohortPairs::Link::kPartners) add(eu, partner, l.units);
      }
    }
  }
  for (size_t k : MaxWeightBMatching(left.size(), right.size(), edges, cap_left,
                                     cap_right, pairs.options().cancel)) {
    groups.push_back(
        {left[std::get<0>(edges[k])], right[std::get<1>(edges[k])]});
  }
  return groups;
}

// The default least gain of a trio member: the lowest score of the pairs
// the pairs-only plan forms anyway (0 when it forms none).
double WeakestPairScore(const CohortPairs& pairs,
                        const std::vector<std::vector<size_t>>& groups) {
  double weakest = std::numeric_limits<double>::infinity();
  for (const auto& g : groups) {
    weakest = std::min(weakest, pairs.link(g[0], g[1]).score);
  }
  return groups.empty() ? 0 : weakest;
}

}  // namespace

absl::StatusOr<PairingPlan> PairingPlanner::Plan(
    const MatchIndex& index, std::vector<size_t> cohort,
    const PairingOptions& options) const {
  PM_ASSIGN_OR_RETURN(
      CohortPairs pairs,
      CohortPairs::Build(index, scorer_, std::move(cohort), options));
  // Each stage stops early once options.cancel fires; its partial result
  // is dropped here.
  PM_RETURN_IF_ERROR(options.cancel.Check());
  std::vector<std::vector<size_t>> groups =
      options.capacity == 1 && !pairs.sparse() ? MatchPairs(pairs)
                                               : MatchPairsWithCapacity(pairs);
  PM_RETURN_IF_ERROR(options.cancel.Check());
  PairingPlan plan;
  plan.cohort = pairs.rows();
  plan.conflicts = pairs.conflicts();
  plan.candidates_per_member = pairs.sparse() ? pairs.candidates().k : 0;
  for (const auto& g : groups) {
    plan.pairs_only_score += pairs.link(g[0], g[1]).score;
  }
  std::unique_ptr<GroupRules> rules;
  if (options.trios && options.max_group_size > 2) {
    plan.min_trio_gain = options.min_trio_gain
                             ? *options.min_trio_gain
                             : WeakestPairScore(pairs, groups);
    std::vector<bool> placed(pairs.size(), false);
    for (const auto& g : groups) {
      for (size_t m : g) placed[m] = true;
    }
    rules = std::make_unique<GroupRules>(pairs, plan.min_trio_gain,
                                         std::move(placed));
    PM_RETURN_IF_ERROR(options.cancel.Check());
    groups = SearchGroups(*rules, groups);
    PM_RETURN_IF_ERROR(options.cancel.Check());
  }
  for (auto& g : WeakFillPairs(pairs, groups)) groups.push_back(std::move(g));
  PM_RETURN_IF_ERROR(options.cancel.Check());
  // Each group's reasons (the plan's costliest part after the matching on a
  // large cohort), on all cores.
  plan.groups.resize(groups.size());
  std::atomic<bool> stopped{false};
  ParallelFor(groups.size(), [&](size_t i) {
    if (i % 64 == 0 && options.cancel.Cancelled()) stopped = true;
    if (!stopped) plan.groups[i] = MakePlannedGroup(pairs, groups[i]);
  });
  PM_RETURN_IF_ERROR(options.cancel.Check());
  std::sort(plan.groups.begin(), plan.groups.end(),
            [](const PlannedGroup& x, const PlannedGroup& y) {
              if (x.score != y.score) return x.score > y.score;
              return x.members < y.members;
            });
  for (const PlannedGroup& g : plan.groups) plan.total_score += g.score;
  UnmatchedExplainer explainer(pairs, groups, rules.get());
  for (size_t m = 0; m < pairs.size(); ++m) {
    PM_RETURN_IF_ERROR(options.cancel.Check());
    if (!explainer.matched(m)) plan.unmatched.push_back(explainer.Explain(m));
  }
  return plan;
}

absl::StatusOr<PairingPlan> PairingPlanner::Plan(
    const MatchIndex& index, const CohortSelector& selector,
    const PairingOptions& options) const {
  PM_ASSIGN_OR_RETURN(std::vector<size_t> cohort,
                      SelectCohort(index, selector));
  return Plan(index, std::move(cohort), options);
}

}  // namespace pm
