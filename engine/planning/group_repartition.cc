#include "engine/planning/group_repartition.h"

#include <algorithm>
#include <cassert>
#include <random>
#include <utility>

namespace pm {

GroupRepartitioner::GroupRepartitioner(GroupPartition& part)
    : part_(part),
      rules_(part.rules()),
      max_group_(static_cast<size_t>(part.rules().max_group())),
      cap_(max_group_ >= 4 ? kMaxRepartition : kMaxRepartition - 1),
      budget_(kRepartitionWorkPerMember *
              static_cast<int64_t>(part.rules().size())) {}

bool GroupRepartitioner::Repartition(const std::vector<size_t>& slots) {
  std::vector<size_t> members;
  int64_t before = 0;
  for (size_t slot : slots) {
    members.insert(members.end(), part_.group(slot).begin(),
                   part_.group(slot).end());
    before += part_.value(slot);
  }
  if (members.size() > cap_) return false;
  std::vector<std::vector<size_t>> parts;
  const int64_t after = BestPartition(members, &parts);
  if (after <= before) return false;
  part_.Install(slots, parts);
  return true;
}

int64_t GroupRepartitioner::BestPartition(
    const std::vector<size_t>& members,
    std::vector<std::vector<size_t>>* parts) {
  const size_t m = members.size();
  assert(m <= kMaxRepartition);
  // The members' links, looked up once for all the subsets.
  static_assert(kMaxRepartition <= GroupRules::kMaxLinksAmong);
  int64_t links[kMaxRepartition * kMaxRepartition];
  rules_.LinksAmong(members, links);
  // Every subset that may be a group (or a single), with its value,
  // listed under its lowest member in mask order. Only subsets whose
  // members are linked two by two can be groups: they are grown member by
  // member from each lowest one, the others never looked at. Counted as
  // evaluating every subset of at most max_group_ members, so the work
  // budget, and with it the plan, does not depend on what is skipped.
  auto& groups_of_low = groups_of_low_;
  for (size_t size = 1, ways = m; size <= std::min(m, max_group_); ++size) {
    work_ += static_cast<int64_t>(ways);  // ways = C(m, size)
    ways = ways * (m - size) / (size + 1);
  }
  size_t at[PairingOptions::kMaxGroupSize];  // a subset, indices into members
  const auto grow = [&](const auto& self, size_t size, uint32_t g) -> void {
    const int64_t v = rules_.ValueOf(
        size, [&](size_t a) { return members[at[a]]; },
        [&](size_t a, size_t b) { return links[at[a] * m + at[b]]; });
    if (v >= 0) groups_of_low[at[0]].emplace_back(g, v);
    if (size == max_group_ || size == PairingOptions::kMaxGroupSize) return;
    for (size_t j = at[size - 1] + 1; j < m; ++j) {
      bool linked = true;
      for (size_t i = 0; i < size && linked; ++i) {
        linked = links[at[i] * m + j] >= 0;
      }
      if (!linked) continue;
      at[size] = j;
      self(self, size + 1, g | (1u << j));
    }
  };
  for (size_t low = 0; low < m; ++low) {
    groups_of_low[low].clear();
    at[0] = low;
    grow(grow, 1, 1u << low);
    std::sort(groups_of_low[low].begin(), groups_of_low[low].end());
  }
  const uint32_t full = (1u << m) - 1;
  // Counted as the bottom-up table over all 2^m masks would be (each mask
  // weighs the groups under its lowest member), so the work budget, and
  // with it the plan, does not depend on how much the memo below skips.
  for (size_t low = 0; low < m; ++low) {
    work_ += static_cast<int64_t>(groups_of_low[low].size()) *
             (int64_t{1} << (m - 1 - low));
  }
  // Top down from the full set, memoised: only the masks left after taking
  // out allowed groups are visited (few, with sparse links).
  constexpr int64_t kUnseen = -2;
  std::vector<int64_t>& best = best_;
  std::vector<uint32_t>& choice = choice_;
  best.assign(full + 1, kUnseen);
  choice.assign(full + 1, 0);
  best[0] = 0;
  const auto solve = [&](const auto& self, uint32_t mask) -> int64_t {
    if (best[mask] != kUnseen) return best[mask];
    size_t low = 0;
    while (!(mask & (1u << low))) ++low;
    int64_t value = -1;
    for (const auto& [g, v] : groups_of_low[low]) {
      if (g & ~mask) continue;
      const int64_t rest = self(self, mask & ~g);
      if (rest >= 0 && v + rest > value) {
        value = v + rest;
        choice[mask] = g;
      }
    }
    return best[mask] = value;
  };
  solve(solve, full);
  parts->clear();
  if (best[full] < 0) return -1;
  for (uint32_t mask = full; mask != 0; mask &= ~choice[mask]) {
    std::vector<size_t> g;
    for (size_t i = 0; i < m; ++i) {
      if (choice[mask] & (1u << i)) g.push_back(members[i]);
    }
    parts->push_back(std::move(g));
  }
  return best[full];
}

bool GroupRepartitioner::RandomRounds() {
  std::mt19937 rng(20240601u);
  std::vector<size_t> grouped;
  for (size_t a = 0; a < part_.slots(); ++a) {
    if (part_.group(a).size() >= 2) grouped.push_back(a);
  }
  bool improved = false;
  const size_t tries = kRandomRounds * grouped.size();
  for (size_t t = 0; t < tries && work_ <= budget_; ++t) {
    const size_t a = grouped[rng() % grouped.size()];
    if (part_.group(a).size() < 2) continue;
    std::vector<size_t> pool = part_.StrongestNear(a, kRandomPool, false);
    std::vector<size_t> slots = {a};
    size_t members = part_.group(a).size();
    for (size_t i = pool.size(); i > 1; --i) {  // Fisher-Yates on the pool
      std::swap(pool[i - 1], pool[rng() % i]);
    }
    for (const size_t b : pool) {
      if (members + part_.group(b).size() > cap_) continue;
      slots.push_back(b);
      members += part_.group(b).size();
    }
    improved |= Repartition(slots);
  }
  return improved;
}

bool GroupRepartitioner::Pass() {
  std::vector<size_t> visit;  // slots
  if (first_pass_) {
    for (size_t a = 0; a < part_.slots(); ++a) visit.push_back(a);
    first_pass_ = false;
  } else {
    for (size_t m : part_.Around(mark_)) visit.push_back(part_.slot_of(m));
    std::sort(visit.begin(), visit.end());
    visit.erase(std::unique(visit.begin(), visit.end()), visit.end());
  }
  mark_ = part_.changes();
  bool improved = false;
  for (size_t a : visit) {
    if (work_ > budget_ / 5 * 3) break;
    if (part_.group(a).size() < 2) continue;
    const std::vector<size_t> near = part_.StrongestNear(a, kNeighbours, true);
    bool changed = Repartition(part_.Grown({a}, false, cap_)) ||
                   Repartition(part_.Grown({a}, true, cap_));
    for (size_t i = 0; i < near.size() && !changed; ++i) {
      changed = Repartition(part_.Grown({a, near[i]}, false, cap_));
    }
    for (size_t i = 0; i < near.size() && !changed; ++i) {
      for (size_t j = i + 1; j < near.size() && !changed; ++j) {
        changed = Repartition(part_.Grown({a, near[i], near[j]}, true, cap_));
      }
    }
    improved |= changed;
  }
  return improved;
}

}  // namespace pm
