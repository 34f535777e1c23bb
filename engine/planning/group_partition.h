// The state of the trio search (group_search.h): a partition of a cohort's
// members into slots, each a group or a single member, with each slot's
// value under GroupRules, and the changes the search's phases make to it.
#ifndef PARTNER_MATCH_ENGINE_PLANNING_GROUP_PARTITION_H_
#define PARTNER_MATCH_ENGINE_PLANNING_GROUP_PARTITION_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <utility>
#include <vector>

#include "engine/planning/group_rules.h"

namespace pm {

// Every member of `rules` is in exactly one slot once the search has put
// them (Put); a slot emptied by a change stays, unused. Not thread-safe;
// refers to `rules`, which must outlive it.
class GroupPartition {
 public:
  explicit GroupPartition(const GroupRules& rules)
      : rules_(rules), group_of_(rules.size(), kNowhere) {}

  static constexpr size_t kNowhere = static_cast<size_t>(-1);

  // A change: new contents for some slots (each settles into groups,
  // GroupRules::Settle), and what it gains.
  struct Change {
    int64_t gain = 0;
    std::vector<std::pair<size_t, std::vector<size_t>>> slots;
  };

  const GroupRules& rules() const { return rules_; }
  size_t slots() const { return groups_.size(); }
  const std::vector<size_t>& group(size_t slot) const { return groups_[slot]; }
  int64_t value(size_t slot) const { return value_[slot]; }
  // The links of group(slot)[k] with the other members of its group.
  int64_t marginal(size_t slot, size_t k) const { return marginal_[slot][k]; }
  // Ask for a slot's data to be fetched ahead of its use, for loops over
  // scattered slots: its group's header, value and marginal links; then
  // (once those have arrived) its members.
  void PrefetchSlot(size_t slot) const {
    __builtin_prefetch(&groups_[slot]);
    __builtin_prefetch(&value_[slot]);
    __builtin_prefetch(&marginal_[slot]);
  }
  void PrefetchMembers(size_t slot) const {
    if (!groups_[slot].empty()) __builtin_prefetch(groups_[slot].data());
  }
  // The slot of a member; kNowhere before it is put.
  size_t slot_of(size_t member) const { return group_of_[member]; }
  // A single member without a fixed partner.
  bool single(size_t slot) const { return single_[slot]; }
  // The groups of two members or more, in slot order.
  std::vector<std::vector<size_t>> Groups() const;

  // A mark of the changes so far, for Around.
  size_t changes() const { return changed_.size(); }
  // The members whose best move may have changed since the mark `since`
  // (changes()): the members of every slot changed since (before and after
  // the change), the members whose near lists hold one of them, and the
  // group mates of both (a member's moves look at the slots of its group's
  // near members). Ascending, each once. How the search's later passes
  // know what to look at again.
  std::vector<size_t> Around(size_t since) const;

  // Stores `g` (a valid group or single) in slot `slot`, appending a slot
  // when slot == slots().
  void Put(size_t slot, const std::vector<size_t>& g);
  // Makes `change`: each slot's new contents settled into groups.
  void Apply(const Change& change);
  // Puts `parts` (valid groups and singles) in `slots`, then new slots;
  // clears the slots left over.
  void Install(const std::vector<size_t>& slots,
               const std::vector<std::vector<size_t>>& parts);
  // Considers replacing the contents of `slots` by `contents` (one for one);
  // keeps it in `best` when it gains more than best->gain.
  void Consider(std::initializer_list<size_t> slots,
                std::initializer_list<const std::vector<size_t>*> contents,
                Change* best) const;

  // The slots (other than those in `except`) holding a near member
  // (GroupRules::near) of a member of `slots`, each with its strongest link
  // to them, in slot order; singles only when `singles_only`.
  std::vector<std::pair<size_t, int64_t>> NearSlots(
      const std::vector<size_t>& slots, const std::vector<size_t>& except,
      bool singles_only) const;
  // The `count` slots of NearSlots({a}, {a}, false) with the strongest
  // links > 0 (groups of two members or more only, when `groups_only`),
  // strongest first, ties to the lower slot. The members' near lists are
  // walked together strongest link first (they are ordered by link),
  // stopping once no slot left can enter.
  std::vector<size_t> StrongestNear(size_t a, size_t count,
                                    bool groups_only) const;
  // `slots` with, one by one, the slot of NearSlots(slots, slots,
  // singles_only) most strongly linked to them (a link > 0; ties: the lowest
  // slot) among those whose members keep the total within `cap`, until none
  // is left. The near slots are kept up to date as slots join rather than
  // listed anew for each.
  std::vector<size_t> Grown(std::vector<size_t> slots, bool singles_only,
                            size_t cap) const;

 private:
  const GroupRules& rules_;
  std::vector<std::vector<size_t>> groups_;  // slots; empty when unused
  std::vector<int64_t> value_;
  std::vector<std::array<int64_t, PairingOptions::kMaxGroupSize>> marginal_;
  std::vector<size_t> group_of_;
  std::vector<bool> single_;     // per slot: single() (read on every step)
  std::vector<size_t> changed_;  // members of changed slots, in order

  // Marks of the scratch below.
  static constexpr int64_t kUntouched = -2;
  static constexpr int64_t kExcluded = -3;
  // Excludes slot b from the near slots being gathered.
  void Exclude(size_t b) const;
  // Gathers the slots of the near members of slot a's members (singles
  // only, when `singles_only`) that are not excluded: each one's strongest
  // link in link_to_, each listed once in touched_.
  void Touch(size_t a, bool singles_only) const;
  // Unmarks the slots touched or excluded since the last call.
  void ClearTouched() const;
  // Scratch of NearSlots and Grown: per slot, the strongest link gathered
  // (or a mark), all kUntouched between calls; the slots marked.
  mutable std::vector<int64_t> link_to_;
  mutable std::vector<size_t> touched_;
};

}  // namespace pm

#endif  // PARTNER_MATCH_ENGINE_PLANNING_GROUP_PARTITION_H_
