// GroupPartition's neighbourhoods against their definitions, written the
// slow, obvious way, on a partition of a sparse cohort into pairs, trios
// and singles: NearSlots (the slots of the members' near members, each with
// its strongest link), StrongestNear (those ranked by link, then slot, and
// cut) and Grown (the near slot most strongly linked added one at a time,
// NearSlots asked anew each time).
#include "engine/planning/group_partition.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <utility>

#include "absl/strings/str_cat.h"
#include "engine/matching/match_index.h"
#include "engine/matching/reciprocal_scorer.h"
#include "tests/engine/planning/plan_oracle.h"

namespace pm {
namespace {

constexpr size_t kMembers = 600;

std::vector<std::pair<size_t, int64_t>> SlowNearSlots(
    const GroupPartition& part, const std::vector<size_t>& slots,
    const std::vector<size_t>& except, bool singles_only) {
  const GroupRules& rules = part.rules();
  std::map<size_t, int64_t> strongest;
  for (size_t a : slots) {
    for (size_t x : part.group(a)) {
      for (size_t y : rules.near(x)) {
        const size_t b = part.slot_of(y);
        if (std::count(except.begin(), except.end(), b) > 0) continue;
        if (singles_only && !part.single(b)) continue;
        const int64_t u = rules.units(x, y);
        auto [it, fresh] = strongest.emplace(b, u);
        if (!fresh) it->second = std::max(it->second, u);
      }
    }
  }
  return {strongest.begin(), strongest.end()};
}

std::vector<size_t> SlowGrown(const GroupPartition& part,
                              std::vector<size_t> slots, bool singles_only,
                              size_t cap) {
  size_t members = 0;
  for (size_t slot : slots) members += part.group(slot).size();
  for (;;) {
    int64_t strongest = 0;
    size_t pick = GroupPartition::kNowhere;
    for (const auto& [b, link] :
         SlowNearSlots(part, slots, slots, singles_only)) {
      if (members + part.group(b).size() <= cap && link > strongest) {
        strongest = link;
        pick = b;
      }
    }
    if (pick == GroupPartition::kNowhere) return slots;
    slots.push_back(pick);
    members += part.group(pick).size();
  }
}

std::vector<size_t> SlowStrongestNear(const GroupPartition& part, size_t a,
                                      size_t count, bool groups_only) {
  std::vector<std::pair<int64_t, size_t>> ranked;
  for (const auto& [b, link] : SlowNearSlots(part, {a}, {a}, false)) {
    if (link > 0 && (!groups_only || part.group(b).size() >= 2)) {
      ranked.emplace_back(-link, b);
    }
  }
  std::sort(ranked.begin(), ranked.end());
  std::vector<size_t> out;
  for (size_t i = 0; i < ranked.size() && i < count; ++i) {
    out.push_back(ranked[i].second);
  }
  return out;
}

TEST(GroupPartitionTest, NeighbourhoodsFollowTheirDefinitions) {
  auto index = testing::SyntheticIndex(kMembers, 43, 0.6);
  const std::vector<size_t> cohort = testing::AllRows(*index);
  PairingOptions o;
  o.trios = true;
  o.max_group_size = 4;
  o.method = PairingOptions::Method::kCandidates;
  const ReciprocalScorer scorer;
  auto pairs = CohortPairs::Build(*index, scorer, cohort, o);
  ASSERT_TRUE(pairs.ok()) << pairs.status();
  const GroupRules rules(*pairs, 0, std::vector<bool>(pairs->size(), false));
  ASSERT_TRUE(rules.sparse());

  // Pairs of each member with its first free candidate, a third member
  // (a free peer the group takes) in every third pair, the rest singles.
  GroupPartition part(rules);
  std::vector<bool> placed(rules.size(), false);
  for (size_t x = 0; x < rules.size(); ++x) {
    if (placed[x]) continue;
    std::vector<size_t> g = {x};
    for (const Candidate& c : pairs->candidates().partners[x]) {
      if (!placed[c.member]) {
        g.push_back(c.member);
        break;
      }
    }
    if (g.size() == 2 && part.slots() % 3 == 0) {
      for (const Candidate& c : pairs->candidates().peers[x]) {
        std::vector<size_t> trio = {x, g[1], c.member};
        if (!placed[c.member] && c.member != g[1] && rules.Value(trio) >= 0) {
          g = trio;
          break;
        }
      }
    }
    for (size_t m : g) placed[m] = true;
    part.Put(part.slots(), g);
  }
  size_t sizes[5] = {0, 0, 0, 0, 0};
  for (size_t s = 0; s < part.slots(); ++s) ++sizes[part.group(s).size()];
  ASSERT_GT(sizes[1], 10u);
  ASSERT_GT(sizes[2], 50u);
  ASSERT_GT(sizes[3], 10u);

  std::mt19937 rng(3);
  size_t grown = 0;
  for (int trial = 0; trial < 1500; ++trial) {
    std::vector<size_t> slots;
    for (size_t k = 1 + rng() % 3; k > 0; --k) {
      const size_t s = rng() % part.slots();
      if (std::count(slots.begin(), slots.end(), s) == 0) slots.push_back(s);
    }
    std::vector<size_t> except = slots;
    if (trial % 2 == 0) except.push_back(rng() % part.slots());
    const bool singles_only = trial % 3 == 0;
    SCOPED_TRACE(absl::StrCat("trial ", trial));
    ASSERT_EQ(part.NearSlots(slots, except, singles_only),
              SlowNearSlots(part, slots, except, singles_only));
    const size_t count = 1 + rng() % 14;
    ASSERT_EQ(part.StrongestNear(slots[0], count, trial % 2 == 1),
              SlowStrongestNear(part, slots[0], count, trial % 2 == 1));
    const size_t cap = 4 + rng() % 7;
    const std::vector<size_t> got = part.Grown(slots, singles_only, cap);
    ASSERT_EQ(got, SlowGrown(part, slots, singles_only, cap));
    grown += got.size() - slots.size();
  }
  EXPECT_GT(grown, 1500u);
}

}  // namespace
}  // namespace pm
