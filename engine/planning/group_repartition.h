// Phases 3 and 4 of the trio search (group_search.h): exact re-partitions
// of small neighbourhoods of a GroupPartition, by dynamic programming over
// the subsets of their members.
#ifndef PARTNER_MATCH_ENGINE_PLANNING_GROUP_REPARTITION_H_
#define PARTNER_MATCH_ENGINE_PLANNING_GROUP_REPARTITION_H_

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "engine/planning/group_partition.h"

namespace pm {

// Re-partitions neighbourhoods of `part` optimally and installs every
// re-partition that raises the objective. Both phases share one work
// budget (kRepartitionWorkPerMember per member, counted in group
// evaluations, not timed, so the plan is deterministic); Pass may use three
// fifths of it. Not thread-safe; refers to `part`, which must outlive it.
class GroupRepartitioner {
 public:
  explicit GroupRepartitioner(GroupPartition& part);

  // One pass of exact re-partitions around each group a: a grown by the
  // slots nearest to it; a with the singles nearest to it; a with each of
  // its kNeighbours nearest groups, grown; a with each two of those, topped
  // up with singles. Members fit the cap (9, 10 with groups of four). The
  // first pass visits every group, each later one the groups of the
  // members around the changes since the pass before (GroupPartition::
  // Around). True when anything improved.
  bool Pass();

  // Re-partitions of random neighbourhoods: a random group with a random
  // choice among the kRandomPool slots most strongly linked to it, up to
  // the cap; kRandomRounds tries per group, within the work budget. The
  // generator's seed is fixed and draws are taken modulo (not through a
  // distribution, whose results differ between libraries), so the same
  // input gives the same plan. True when anything improved.
  bool RandomRounds();

  // The best partition of `members` (at most kMaxRepartition) into groups
  // and singles under the rules, by dynamic programming over subsets (the
  // group of the lowest member, then the best of the rest); its value, or
  // -1 if none. Counts its work against the budget.
  int64_t BestPartition(const std::vector<size_t>& members,
                        std::vector<std::vector<size_t>>* parts);
  static constexpr size_t kMaxRepartition = 10;

 private:
  // Groups re-partitioned with each group, and the work allowed for it.
  static constexpr size_t kNeighbours = 3;
  static constexpr size_t kRandomPool = 12;
  static constexpr size_t kRandomRounds = 20;
  static constexpr int64_t kRepartitionWorkPerMember = 100'000;

  // Re-partitions the members of `slots` exactly; applies it when it gains.
  bool Repartition(const std::vector<size_t>& slots);
  GroupPartition& part_;
  const GroupRules& rules_;
  const size_t max_group_;
  const size_t cap_;      // members re-partitioned at once
  const int64_t budget_;  // work allowed for re-partitions
  int64_t work_ = 0;      // group evaluations by re-partitions
  bool first_pass_ = true;
  size_t mark_ = 0;  // the partition's changes() at the last pass's start
  // BestPartition's tables, reused: the allowed subsets under each lowest
  // member, the best value of each subset, and its first group.
  std::vector<std::pair<uint32_t, int64_t>> groups_of_low_[kMaxRepartition];
  std::vector<int64_t> best_;
  std::vector<uint32_t> choice_;
};

}  // namespace pm

#endif  // PARTNER_MATCH_ENGINE_PLANNING_GROUP_REPARTITION_H_
