// The rules of a group of the pairing planner, over the members of a
// CohortPairs, and a group's value: what the trio search (group_search.h)
// optimises and the plan's explanations check.
#ifndef PARTNER_MATCH_ENGINE_PLANNING_GROUP_RULES_H_
#define PARTNER_MATCH_ENGINE_PLANNING_GROUP_RULES_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "engine/planning/cohort_pairs.h"

namespace pm {

// The rules of a group, over member numbers: at most `max_group` members,
// both sides present, every two members linked (partners allowed, or same
// side and not declined or forbidden), fixed partners together, and — with
// three or more — each member adding at least `min_gain` (the sum of its
// links inside). A group's value is the sum of its links. Immutable after
// construction; refers to `pairs`, which must outlive it. Memory 8n² bytes;
// on a sparse CohortPairs only the candidate graph's links (partners, peers
// and fixed pairs) count, O(n·k): groups are then searched on that graph.
class GroupRules {
 public:
  // `min_gain`: the least a member of a group of three or more adds;
  // `must_place`: members that may not be left single (those the pairs-only
  // plan places).
  GroupRules(const CohortPairs& pairs, double min_gain,
             std::vector<bool> must_place);

  static constexpr size_t kNoMate = static_cast<size_t>(-1);
  // Members a search looks at around each member: its strongest partners
  // (other side) and peers (same side).
  static constexpr size_t kNearPartners = 64;
  static constexpr size_t kNearPeers = 12;

  size_t size() const { return n_; }
  int max_group() const { return max_group_; }
  double min_gain() const { return min_gain_ / CohortPairs::kScoreUnits; }
  // The link of members i and j in score units, -1 when they may not be in
  // one group.
  int64_t units(size_t i, size_t j) const {
    if (!sparse_) return units_[i * n_ + j];
    const auto first = linked_.begin() + static_cast<long>(linked_start_[i]);
    const auto last = linked_.begin() + static_cast<long>(linked_start_[i + 1]);
    const auto it = std::lower_bound(first, last, j);
    return it != last && *it == j ? units_[static_cast<size_t>(
                                        it - linked_.begin())]
                                  : -1;
  }
  // True when only the candidate graph's links count (above).
  bool sparse() const { return sparse_; }
  size_t fixed_mate(size_t i) const { return fixed_mate_[i]; }
  bool eu(size_t i) const { return pairs_.eu(i); }
  // The kNearPartners partners and the kNearPeers peers with the strongest
  // links to i, strongest first (ties: partners first, each in the order
  // chosen: member order, or the candidate lists' order).
  const std::vector<size_t>& near(size_t i) const { return near_[i]; }
  // units(i, near(i)[k]) at k: read on every step of the search, so kept
  // rather than looked up.
  const std::vector<int64_t>& near_units(size_t i) const {
    return near_units_[i];
  }
  // The members whose near lists hold i, ascending.
  const std::vector<size_t>& near_of(size_t i) const { return near_of_[i]; }
  // The plan's cancellation token (PairingOptions::cancel).
  const CancellationToken& cancel() const { return pairs_.options().cancel; }

  // Dense: units(i, j) at [j]; sparse: null.
  const int64_t* dense_row(size_t i) const {
    return sparse_ ? nullptr : units_.data() + i * n_;
  }
  // The links among `members` (at most kMaxLinksAmong, distinct):
  // links[a * m + b] = units(members[a], members[b]) for m members, -1 on
  // the diagonal. On sparse rules each member's link list is walked once
  // instead of searched per pair.
  static constexpr size_t kMaxLinksAmong = 16;
  void LinksAmong(const std::vector<size_t>& members, int64_t* links) const;
  // Sparse: calls f(j, units(i, j)) for every member j linked to i.
  template <typename F>
  void ForEachLink(size_t i, F f) const {
    for (size_t k = linked_start_[i]; k < linked_start_[i + 1]; ++k) {
      f(linked_[k], units_[k]);
    }
  }

  // The value of `g` as a group, or -1 when it may not be one. A single
  // member is worth 0 (-1 when it has a fixed partner or must be placed).
  int64_t Value(const std::vector<size_t>& g) const {
    return ValueOf(
        g.size(), [&g](size_t a) { return g[a]; },
        [this, &g](size_t a, size_t b) { return units(g[a], g[b]); });
  }
  // Value of the group of `size` members member(0) … member(size - 1), with
  // link(a, b) = units(member(a), member(b)): for callers that hold the
  // links of many groups' members at hand (GroupRepartitioner).
  template <typename Member, typename Link>
  int64_t ValueOf(size_t size, Member member, Link link) const;

  // What `g` settles into: itself when it may be a group, else its fixed
  // pairs and single members. Appends the parts to `out`; returns the value,
  // or -1 when that would leave a member that must be placed single.
  int64_t Settle(const std::vector<size_t>& g,
                 std::vector<std::vector<size_t>>* out) const;

 private:
  void LinkCandidates();
  // near_of_ and near_units_ from near_; near_ ordered by link.
  void FindNearOf();

  const CohortPairs& pairs_;
  const size_t n_;
  const bool sparse_;
  const int max_group_;
  const int64_t min_gain_;
  // Dense: n × n, symmetric, -1 for no link. Sparse: parallel to linked_.
  std::vector<int64_t> units_;
  // Sparse: member i's linked members, ascending, at
  // linked_[linked_start_[i] .. linked_start_[i + 1]).
  std::vector<size_t> linked_start_, linked_;
  std::vector<size_t> fixed_mate_;
  std::vector<bool> must_place_;
  std::vector<std::vector<size_t>> near_, near_of_;
  std::vector<std::vector<int64_t>> near_units_;
};

// One member's links laid out over all members (-1: no link), for O(1)
// reads while a search step weighs many members against it, where
// GroupRules::units would search a sparse list. Load costs the member's
// links (nothing with dense rules: their row is read in place).
class LinkRow {
 public:
  explicit LinkRow(size_t n) : row_(n, -1) {}
  void Load(const GroupRules& rules, size_t member) {
    for (size_t j : set_) row_[j] = -1;
    set_.clear();
    dense_ = rules.dense_row(member);
    if (dense_ != nullptr) return;
    rules.ForEachLink(member, [this](size_t j, int64_t u) {
      row_[j] = u;
      set_.push_back(j);
    });
  }
  // Asks for units(member, j) to be fetched ahead of its use.
  void Prefetch(size_t j) const {
    __builtin_prefetch(dense_ != nullptr ? dense_ + j : row_.data() + j);
  }
  // units(member, j).
  int64_t operator[](size_t j) const {
    return dense_ != nullptr ? dense_[j] : row_[j];
  }
  // The sum of the links with the members of g other than `skip` (missing
  // ones counted as 0); *all: whether all of them are links.
  int64_t SumOver(const std::vector<size_t>& g, size_t skip, bool* all) const {
    int64_t sum = 0;
    *all = true;
    for (size_t m : g) {
      if (m == skip) continue;
      const int64_t u = (*this)[m];
      if (u < 0) {
        *all = false;
      } else {
        sum += u;
      }
    }
    return sum;
  }

 private:
  std::vector<int64_t> row_;  // sparse rules: the member's links
  std::vector<size_t> set_;   // where row_ holds one
  const int64_t* dense_ = nullptr;
};

template <typename Member, typename Link>
int64_t GroupRules::ValueOf(size_t size, Member member, Link link) const {
  if (size == 0) return 0;
  if (size == 1) {
    return fixed_mate_[member(0)] == kNoMate && !must_place_[member(0)] ? 0
                                                                        : -1;
  }
  if (size > static_cast<size_t>(max_group_)) return -1;
  int64_t marginal[PairingOptions::kMaxGroupSize] = {0, 0, 0, 0};
  bool sides[2] = {false, false};
  int64_t total = 0;
  for (size_t a = 0; a < size; ++a) {
    sides[eu(member(a))] = true;
    const size_t mate = fixed_mate_[member(a)];
    if (mate != kNoMate) {
      bool in_group = false;
      for (size_t b = 0; b < size; ++b) in_group |= member(b) == mate;
      if (!in_group) return -1;
    }
    for (size_t b = a + 1; b < size; ++b) {
      const int64_t u = link(a, b);
      if (u < 0) return -1;
      total += u;
      marginal[a] += u;
      marginal[b] += u;
    }
  }
  if (!sides[0] || !sides[1]) return -1;
  if (size >= 3) {
    for (size_t a = 0; a < size; ++a) {
      if (marginal[a] < min_gain_) return -1;
    }
  }
  return total;
}

}  // namespace pm

#endif  // PARTNER_MATCH_ENGINE_PLANNING_GROUP_RULES_H_
