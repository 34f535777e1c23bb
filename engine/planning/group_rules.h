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
  // The kNearPartners partners, then the kNearPeers peers, with the
  // strongest links to i, strongest first (ties in member order).
  const std::vector<size_t>& near(size_t i) const { return near_[i]; }
  // The members whose near lists hold i, ascending.
  const std::vector<size_t>& near_of(size_t i) const { return near_of_[i]; }
  // The plan's cancellation token (PairingOptions::cancel).
  const CancellationToken& cancel() const { return pairs_.options().cancel; }

  // The value of `g` as a group, or -1 when it may not be one. A single
  // member is worth 0 (-1 when it has a fixed partner or must be placed).
  int64_t Value(const std::vector<size_t>& g) const;

  // What `g` settles into: itself when it may be a group, else its fixed
  // pairs and single members. Appends the parts to `out`; returns the value,
  // or -1 when that would leave a member that must be placed single.
  int64_t Settle(const std::vector<size_t>& g,
                 std::vector<std::vector<size_t>>* out) const;

 private:
  void LinkCandidates();
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
};

}  // namespace pm

#endif  // PARTNER_MATCH_ENGINE_PLANNING_GROUP_RULES_H_
