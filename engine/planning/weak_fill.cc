#include "engine/planning/weak_fill.h"

#include "engine/matching/exclusion.h"

namespace pm {

bool MayWeakFill(const CohortPairs& pairs, size_t i, size_t j) {
  if (pairs.eu(i) == pairs.eu(j) || pairs.options().min_score > 0 ||
      pairs.forbidden(i, j) ||
      pairs.link(i, j).kind != CohortPairs::Link::kNone) {
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
  std::vector<int> partners_of(pairs.size(), 0);
  for (const auto& g : groups) {
    for (size_t m : g) ++partners_of[m];
  }
  std::vector<size_t> member_of_row(pairs.index().size());
  for (size_t m = 0; m < pairs.size(); ++m) member_of_row[pairs.row(m)] = m;
  std::vector<std::vector<size_t>> out;
  for (size_t u = 0; u < pairs.size(); ++u) {
    if (partners_of[u] > 0) continue;
    std::vector<size_t> candidates;  // rows
    for (size_t v = 0; v < pairs.size(); ++v) {
      if (partners_of[v] < pairs.options().capacity && MayWeakFill(pairs, u, v)) {
        candidates.push_back(pairs.row(v));
      }
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
  return out;
}

}  // namespace pm
