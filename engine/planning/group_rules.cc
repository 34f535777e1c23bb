#include "engine/planning/group_rules.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <utility>

#include "engine/common/parallel_for.h"

namespace pm {

GroupRules::GroupRules(const CohortPairs& pairs, double min_gain,
                       std::vector<bool> must_place)
    : pairs_(pairs),
      n_(pairs.size()),
      sparse_(pairs.sparse()),
      max_group_(pairs.options().trios ? pairs.options().max_group_size : 2),
      min_gain_(CohortPairs::ToUnits(min_gain)),
      units_(sparse_ ? 0 : n_ * n_, -1),
      fixed_mate_(n_, kNoMate),
      must_place_(std::move(must_place)) {
  for (const auto& [a, b] : pairs.fixed()) {
    fixed_mate_[a] = b;
    fixed_mate_[b] = a;
  }
  if (sparse_) {
    LinkCandidates();
    FindNearOf();
    return;
  }
  for (size_t i = 0; i < n_; ++i) {
    if (pairs.options().cancel.Cancelled()) return;  // Plan returns CANCELLED
    for (size_t j = i + 1; j < n_; ++j) {
      const CohortPairs::Link l = pairs.link(i, j);
      if (l.kind == CohortPairs::Link::kNone) continue;
      units_[i * n_ + j] = units_[j * n_ + i] = l.units;
    }
  }
  near_.resize(n_);
  std::vector<std::pair<int64_t, size_t>> ranked[2];  // same side, other
  for (size_t i = 0; i < n_; ++i) {
    ranked[0].clear();
    ranked[1].clear();
    for (size_t j = 0; j < n_; ++j) {
      if (j != i && units(i, j) > 0) {
        ranked[eu(i) != eu(j)].emplace_back(-units(i, j), j);
      }
    }
    for (int other = 1; other >= 0; --other) {
      auto& r = ranked[other];
      const size_t keep =
          std::min(r.size(), other ? kNearPartners : kNearPeers);
      std::partial_sort(r.begin(), r.begin() + keep, r.end());
      for (size_t k = 0; k < keep; ++k) near_[i].push_back(r[k].second);
    }
  }
  FindNearOf();
}

void GroupRules::FindNearOf() {
  near_of_.assign(n_, {});
  near_units_.assign(n_, {});
  std::vector<std::pair<int64_t, size_t>> ranked;  // (-units, member)
  for (size_t x = 0; x < n_; ++x) {
    ranked.clear();
    for (size_t m : near_[x]) {
      near_of_[m].push_back(x);
      ranked.emplace_back(-units(x, m), m);
    }
    std::stable_sort(ranked.begin(), ranked.end(),
                     [](const auto& p, const auto& q) {
                       return p.first < q.first;
                     });
    for (size_t k = 0; k < ranked.size(); ++k) {
      near_[x][k] = ranked[k].second;
      near_units_[x].push_back(-ranked[k].first);
    }
  }
}

void GroupRules::LinkCandidates() {
  const CandidateGraph& graph = pairs_.candidates();
  // Each link both ways, bucketed by its first member (counted, then
  // placed), each bucket sorted by (other member, units) and its repeats
  // dropped: the lowest units of a pair listed twice kept.
  const size_t kLists = 2;
  const size_t keep[kLists] = {kNearPartners, kNearPeers};
  auto lists = [&](size_t i) {
    return std::array<const std::vector<Candidate>*, kLists>{
        &graph.partners[i], &graph.peers[i]};
  };
  std::vector<size_t> start(n_ + 1, 0);
  auto count = [&](size_t i, size_t j) {
    ++start[i + 1];
    ++start[j + 1];
  };
  for (size_t i = 0; i < n_; ++i) {
    for (const std::vector<Candidate>* list : lists(i)) {
      for (const Candidate& c : *list) count(i, c.member);
    }
  }
  for (const auto& [a, b] : pairs_.fixed()) count(a, b);
  for (size_t i = 0; i < n_; ++i) start[i + 1] += start[i];
  std::vector<std::pair<size_t, int64_t>> links(start[n_]);  // (j, units)
  std::vector<size_t> at(start.begin(), start.end() - 1);
  auto link = [&](size_t i, size_t j, int64_t units) {
    links[at[i]++] = {j, units};
    links[at[j]++] = {i, units};
  };
  near_.resize(n_);
  for (size_t i = 0; i < n_; ++i) {
    for (size_t l = 0; l < kLists; ++l) {
      const std::vector<Candidate>& list = *lists(i)[l];
      for (size_t r = 0; r < list.size(); ++r) {
        link(i, list[r].member, CohortPairs::ToUnits(list[r].score));
        if (r < keep[l]) near_[i].push_back(list[r].member);
      }
    }
  }
  for (const auto& [a, b] : pairs_.fixed()) link(a, b, pairs_.link(a, b).units);
  std::vector<size_t> kept(n_);  // links of member i left after repeats
  ParallelFor(n_, [&](size_t i) {
    const auto first = links.begin() + static_cast<long>(start[i]);
    const auto last = links.begin() + static_cast<long>(start[i + 1]);
    std::sort(first, last);
    kept[i] = static_cast<size_t>(
        std::unique(first, last,
                    [](const auto& x, const auto& y) {
                      return x.first == y.first;
                    }) -
        first);
  });
  linked_start_.assign(n_ + 1, 0);
  for (size_t i = 0; i < n_; ++i) {
    linked_start_[i + 1] = linked_start_[i] + kept[i];
  }
  linked_.resize(linked_start_[n_]);
  units_.resize(linked_start_[n_]);
  for (size_t i = 0; i < n_; ++i) {
    for (size_t k = 0; k < kept[i]; ++k) {
      linked_[linked_start_[i] + k] = links[start[i] + k].first;
      units_[linked_start_[i] + k] = links[start[i] + k].second;
    }
  }
}

void GroupRules::LinksAmong(const std::vector<size_t>& members,
                            int64_t* links) const {
  const size_t m = members.size();
  assert(m <= kMaxLinksAmong);
  if (!sparse_) {
    for (size_t a = 0; a < m; ++a) {
      for (size_t b = 0; b < m; ++b) {
        links[a * m + b] = a == b ? -1 : units_[members[a] * n_ + members[b]];
      }
    }
    return;
  }
  // The members by number, then each one's sorted link list searched for
  // the members after it, each search starting where the last one ended.
  std::array<size_t, kMaxLinksAmong> order;
  for (size_t a = 0; a < m; ++a) order[a] = a;
  std::sort(order.begin(), order.begin() + static_cast<long>(m),
            [&](size_t a, size_t b) { return members[a] < members[b]; });
  for (size_t a = 0; a < m; ++a) links[a * m + a] = -1;
  for (size_t oa = 0; oa < m; ++oa) {
    const size_t a = order[oa];
    auto it = linked_.begin() + static_cast<long>(linked_start_[members[a]]);
    const auto end =
        linked_.begin() + static_cast<long>(linked_start_[members[a] + 1]);
    for (size_t ob = oa + 1; ob < m; ++ob) {
      const size_t b = order[ob];
      it = std::lower_bound(it, end, members[b]);
      const int64_t u =
          it != end && *it == members[b]
              ? units_[static_cast<size_t>(it - linked_.begin())]
              : -1;
      links[a * m + b] = links[b * m + a] = u;
    }
  }
}

int64_t GroupRules::Settle(const std::vector<size_t>& g,
                           std::vector<std::vector<size_t>>* out) const {
  if (g.empty()) return 0;
  const int64_t v = Value(g);
  if (v >= 0) {
    if (out) out->push_back(g);
    return v;
  }
  for (size_t m : g) {
    if (fixed_mate_[m] == kNoMate && must_place_[m]) return -1;
  }
  int64_t total = 0;
  for (size_t m : g) {
    const size_t mate = fixed_mate_[m];
    if (mate == kNoMate) {
      if (out) out->push_back({m});
    } else if (m < mate) {
      total += units(m, mate);
      if (out) out->push_back({m, mate});
    }
  }
  return total;
}

}  // namespace pm
