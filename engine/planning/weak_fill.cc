#include "engine/planning/weak_fill.h"

#include <algorithm>

#include "engine/matching/exclusion.h"
#include "engine/common/parallel_for.h"

namespace pm {

// The rules first, then the score (the one costly check on a sparse
// CohortPairs). With the rules and min_score 0 met, the pair's link is
// kNone exactly when it is no fixed pair and scores <= 0 (CohortPairs::
// MayPartner), so the score is asked once.
bool MayWeakFill(const CohortPairs& pairs, size_t i, size_t j) {
  if (pairs.eu(i) == pairs.eu(j) || pairs.options().min_score > 0 ||
      pairs.forbidden(i, j) || pairs.fixed_pair(i, j)) {
    return false;
  }
  const MatchIndex& index = pairs.index();
  const size_t a = pairs.row(i), b = pairs.row(j);
  if (pairs.options().kind_rule == KindRule::kHard && KindsClash(index, a, b)) {
    return false;
  }
  return pairs.scorer().Excludes(index, a, b) == ExclusionRule::kNone &&
         !(pairs.PairScore(i, j) > 0);
}

std::vector<std::vector<size_t>> WeakFillPairs(
    const CohortPairs& pairs, const std::vector<std::vector<size_t>>& groups) {
  if (pairs.options().min_score > 0) return {};  // no MayWeakFill pair
  const int capacity = pairs.options().capacity;
  std::vector<int> partners_of(pairs.size(), 0);
  for (const auto& g : groups) {
    for (size_t m : g) ++partners_of[m];
  }
  std::vector<size_t> alone, room[2];  // room[eu]: members with room
  for (size_t m = 0; m < pairs.size(); ++m) {
    if (partners_of[m] == 0) alone.push_back(m);
    if (partners_of[m] < capacity) room[pairs.eu(m)].push_back(m);
  }
  std::vector<size_t> member_of_row(pairs.index().size());
  for (size_t m = 0; m < pairs.size(); ++m) member_of_row[pairs.row(m)] = m;
  const CancellationToken& cancel = pairs.options().cancel;
  std::vector<std::vector<size_t>> out;
  // Members without a group in chunks: whom each may weak-fill with among
  // those with room at the chunk's start, on all cores (MayWeakFill does
  // not depend on the pairs formed, and room only shrinks); then, in
  // member order, each takes the first in RankWeak's order that still has
  // room. Chunks bound the lists' memory.
  constexpr size_t kChunk = 256;
  std::vector<std::vector<size_t>> may(kChunk);  // member numbers
  for (size_t first = 0; first < alone.size(); first += kChunk) {
    if (cancel.Cancelled()) break;  // Plan returns CANCELLED
    const size_t count = std::min(kChunk, alone.size() - first);
    for (auto& side : room) {
      side.erase(std::remove_if(side.begin(), side.end(),
                                [&](size_t v) {
                                  return partners_of[v] >= capacity;
                                }),
                 side.end());
    }
    ParallelFor(count, [&](size_t k) {
      const size_t u = alone[first + k];
      may[k].clear();
      if (partners_of[u] > 0) return;  // weak-filled as another's partner
      for (size_t v : room[!pairs.eu(u)]) {
        if (MayWeakFill(pairs, u, v)) may[k].push_back(v);
      }
    });
    for (size_t k = 0; k < count; ++k) {
      const size_t u = alone[first + k];
      if (partners_of[u] > 0) continue;
      std::vector<size_t> candidates;  // rows
      for (size_t v : may[k]) {
        if (partners_of[v] < capacity) candidates.push_back(pairs.row(v));
      }
      const std::vector<size_t> best =
          pairs.scorer().RankWeak(pairs.index(), pairs.row(u), candidates, 1);
      if (best.empty()) continue;
      const size_t v = member_of_row[best.front()];
      ++partners_of[u];
      ++partners_of[v];
      out.push_back(pairs.eu(u) ? std::vector<size_t>{u, v}
                                : std::vector<size_t>{v, u});
    }
  }
  return out;
}

}  // namespace pm
