#include "engine/planning/group_rules.h"

#include <algorithm>
#include <tuple>
#include <utility>

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
  for (size_t x = 0; x < n_; ++x) {
    for (size_t m : near_[x]) {
      near_of_[m].push_back(x);
      near_units_[x].push_back(units(x, m));
    }
  }
}

void GroupRules::LinkCandidates() {
  const CandidateGraph& graph = pairs_.candidates();
  std::vector<std::tuple<size_t, size_t, int64_t>> links;  // both ways
  auto link = [&](size_t i, size_t j, int64_t units) {
    links.emplace_back(i, j, units);
    links.emplace_back(j, i, units);
  };
  near_.resize(n_);
  for (size_t i = 0; i < n_; ++i) {
    const std::vector<Candidate>* lists[2] = {&graph.partners[i],
                                              &graph.peers[i]};
    const size_t keep[2] = {kNearPartners, kNearPeers};
    for (int l = 0; l < 2; ++l) {
      for (size_t r = 0; r < lists[l]->size(); ++r) {
        const Candidate& c = (*lists[l])[r];
        link(i, c.member, CohortPairs::ToUnits(c.score));
        if (r < keep[l]) near_[i].push_back(c.member);
      }
    }
  }
  for (const auto& [a, b] : pairs_.fixed()) link(a, b, pairs_.link(a, b).units);
  std::sort(links.begin(), links.end());
  links.erase(std::unique(links.begin(), links.end(),
                          [](const auto& x, const auto& y) {
                            return std::get<0>(x) == std::get<0>(y) &&
                                   std::get<1>(x) == std::get<1>(y);
                          }),
              links.end());
  linked_start_.assign(n_ + 1, 0);
  for (const auto& [i, j, units] : links) {
    ++linked_start_[i + 1];
    linked_.push_back(j);
    units_.push_back(units);
  }
  for (size_t i = 0; i < n_; ++i) linked_start_[i + 1] += linked_start_[i];
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
