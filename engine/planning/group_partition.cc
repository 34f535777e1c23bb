#include "engine/planning/group_partition.h"

#include <algorithm>
#include <array>
#include <cassert>

namespace pm {

std::vector<std::vector<size_t>> GroupPartition::Groups() const {
  std::vector<std::vector<size_t>> out;
  for (const auto& g : groups_) {
    if (g.size() >= 2) out.push_back(g);
  }
  return out;
}

std::vector<size_t> GroupPartition::Around(size_t since) const {
  std::vector<size_t> out;
  auto add_with_mates = [&](size_t x) {
    const std::vector<size_t>& g = groups_[group_of_[x]];
    out.insert(out.end(), g.begin(), g.end());
  };
  for (size_t i = since; i < changed_.size(); ++i) {
    add_with_mates(changed_[i]);
    for (size_t x : rules_.near_of(changed_[i])) add_with_mates(x);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

void GroupPartition::Put(size_t slot, const std::vector<size_t>& g) {
  if (slot == groups_.size()) {
    groups_.emplace_back();
    value_.push_back(0);
    marginal_.emplace_back();
    single_.push_back(false);
  }
  changed_.insert(changed_.end(), groups_[slot].begin(), groups_[slot].end());
  changed_.insert(changed_.end(), g.begin(), g.end());
  groups_[slot] = g;
  single_[slot] =
      g.size() == 1 && rules_.fixed_mate(g[0]) == GroupRules::kNoMate;
  value_[slot] = rules_.Value(g);
  assert(value_[slot] >= 0);
  // Every link inside a group is one (its value would be -1 otherwise).
  marginal_[slot].fill(0);
  for (size_t a = 0; a < g.size(); ++a) {
    for (size_t b = a + 1; b < g.size(); ++b) {
      const int64_t u = rules_.units(g[a], g[b]);
      marginal_[slot][a] += u;
      marginal_[slot][b] += u;
    }
  }
  for (size_t m : g) group_of_[m] = slot;
}

void GroupPartition::Apply(const Change& change) {
  std::vector<std::vector<size_t>> parts;
  std::vector<size_t> slots;
  for (const auto& [slot, members] : change.slots) {
    rules_.Settle(members, &parts);
    slots.push_back(slot);
  }
  Install(slots, parts);
}

void GroupPartition::Install(const std::vector<size_t>& slots,
                             const std::vector<std::vector<size_t>>& parts) {
  for (size_t i = 0; i < parts.size(); ++i) {
    Put(i < slots.size() ? slots[i] : groups_.size(), parts[i]);
  }
  for (size_t i = parts.size(); i < slots.size(); ++i) {
    changed_.insert(changed_.end(), groups_[slots[i]].begin(),
                    groups_[slots[i]].end());
    groups_[slots[i]].clear();
    single_[slots[i]] = false;
    value_[slots[i]] = 0;
  }
}

void GroupPartition::Consider(
    std::initializer_list<size_t> slots,
    std::initializer_list<const std::vector<size_t>*> contents,
    Change* best) const {
  int64_t gain = 0;
  for (const std::vector<size_t>* c : contents) {
    const int64_t v = rules_.Settle(*c, nullptr);
    if (v < 0) return;
    gain += v;
  }
  for (size_t slot : slots) gain -= value_[slot];
  if (gain <= best->gain) return;
  best->gain = gain;
  best->slots.clear();
  auto c = contents.begin();
  for (size_t slot : slots) best->slots.emplace_back(slot, **c++);
}

void GroupPartition::Exclude(size_t b) const {
  if (link_to_.size() < groups_.size()) {
    link_to_.resize(groups_.size(), kUntouched);
  }
  if (link_to_[b] == kUntouched) touched_.push_back(b);
  link_to_[b] = kExcluded;
}

void GroupPartition::Touch(size_t a, bool singles_only) const {
  if (link_to_.size() < groups_.size()) {
    link_to_.resize(groups_.size(), kUntouched);
  }
  for (size_t x : groups_[a]) {
    const std::vector<size_t>& near = rules_.near(x);
    const std::vector<int64_t>& units = rules_.near_units(x);
    for (size_t k = 0; k < near.size(); ++k) {
      const size_t b = group_of_[near[k]];
      int64_t& link = link_to_[b];
      if (link == kExcluded || (singles_only && !single(b))) continue;
      if (link == kUntouched) {
        touched_.push_back(b);
        link = units[k];
      } else {
        link = std::max(link, units[k]);
      }
    }
  }
}

void GroupPartition::ClearTouched() const {
  for (size_t b : touched_) link_to_[b] = kUntouched;
  touched_.clear();
}

std::vector<std::pair<size_t, int64_t>> GroupPartition::NearSlots(
    const std::vector<size_t>& slots, const std::vector<size_t>& except,
    bool singles_only) const {
  for (size_t b : except) Exclude(b);
  for (size_t a : slots) Touch(a, singles_only);
  std::vector<std::pair<size_t, int64_t>> out;
  for (size_t b : touched_) {
    if (link_to_[b] != kExcluded) out.emplace_back(b, link_to_[b]);
  }
  ClearTouched();
  std::sort(out.begin(), out.end());  // slots are unique
  return out;
}

std::vector<size_t> GroupPartition::StrongestNear(size_t a, size_t count,
                                                  bool groups_only) const {
  const std::vector<size_t>& g = groups_[a];
  std::array<size_t, PairingOptions::kMaxGroupSize> next{};  // per member
  std::vector<std::pair<int64_t, size_t>> found;  // (-link, slot)
  int64_t last = 0;  // the link of the count-th slot found
  Exclude(a);
  for (;;) {
    size_t from = g.size();
    int64_t link = 0;
    for (size_t i = 0; i < g.size(); ++i) {
      const std::vector<int64_t>& units = rules_.near_units(g[i]);
      if (next[i] < units.size() && units[next[i]] > link) {
        from = i;
        link = units[next[i]];
      }
    }
    if (from == g.size() || (found.size() >= count && link < last)) break;
    const size_t b = group_of_[rules_.near(g[from])[next[from]++]];
    if (link_to_[b] != kUntouched) continue;  // seen (at its strongest)
    touched_.push_back(b);
    link_to_[b] = link;
    if (groups_only && groups_[b].size() < 2) continue;
    found.emplace_back(-link, b);
    if (found.size() == count) last = link;
  }
  ClearTouched();
  std::sort(found.begin(), found.end());
  std::vector<size_t> out;
  for (size_t i = 0; i < found.size() && i < count; ++i) {
    out.push_back(found[i].second);
  }
  return out;
}

std::vector<size_t> GroupPartition::Grown(std::vector<size_t> slots,
                                          bool singles_only,
                                          size_t cap) const {
  size_t members = 0;
  for (size_t slot : slots) {
    members += groups_[slot].size();
    Exclude(slot);
  }
  for (size_t slot : slots) Touch(slot, singles_only);
  while (members < cap) {
    int64_t strongest = 0;
    size_t pick = kNowhere;
    for (size_t b : touched_) {
      const int64_t link = link_to_[b];
      if (link == kExcluded || members + groups_[b].size() > cap) continue;
      if (link > strongest || (link == strongest && link > 0 && b < pick)) {
        strongest = link;
        pick = b;
      }
    }
    if (pick == kNowhere) break;
    slots.push_back(pick);
    members += groups_[pick].size();
    Exclude(pick);
    Touch(pick, singles_only);
  }
  ClearTouched();
  return slots;
}

}  // namespace pm
