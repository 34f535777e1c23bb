// GroupRepartitioner::BestPartition against exhaustive search over every
// partition of the members (each part scored by GroupRules::Value), on
// neighbourhoods of a sparse cohort, groups up to three and four, with a
// least gain and members that must be placed.
#include "engine/planning/group_repartition.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <utility>

#include "absl/strings/str_cat.h"
#include "engine/matching/match_index.h"
#include "engine/matching/reciprocal_scorer.h"
#include "tests/engine/planning/plan_oracle.h"

namespace pm {
namespace {

constexpr size_t kMembers = 500;

// The best sum of Value over the partitions of `members` (-1 if none).
int64_t Exhaustive(const GroupRules& rules, std::vector<size_t> members) {
  if (members.empty()) return 0;
  const size_t first = members[0];
  members.erase(members.begin());
  int64_t best = -1;
  const size_t rest = members.size();
  for (uint32_t pick = 0; pick < (1u << rest); ++pick) {
    std::vector<size_t> g = {first}, others;
    for (size_t i = 0; i < rest; ++i) {
      ((pick >> i) & 1 ? g : others).push_back(members[i]);
    }
    if (g.size() > static_cast<size_t>(rules.max_group())) continue;
    const int64_t v = rules.Value(g);
    if (v < 0) continue;
    const int64_t r = Exhaustive(rules, others);
    if (r >= 0) best = std::max(best, v + r);
  }
  return best;
}

TEST(GroupRepartitionTest, BestPartitionIsTheBestOfAllPartitions) {
  auto index = testing::SyntheticIndex(kMembers, 59, 0.6);
  const std::vector<size_t> cohort = testing::AllRows(*index);
  const ReciprocalScorer scorer;
  std::mt19937 rng(5);
  int found = 0;
  for (int max_group : {3, 4}) {
    PairingOptions o;
    o.trios = true;
    o.max_group_size = max_group;
    o.method = PairingOptions::Method::kCandidates;
    auto pairs = CohortPairs::Build(*index, scorer, cohort, o);
    ASSERT_TRUE(pairs.ok()) << pairs.status();
    std::vector<bool> must_place(pairs->size());
    for (size_t m = 0; m < must_place.size(); ++m) {
      must_place[m] = rng() % 4 == 0;
    }
    const GroupRules rules(*pairs, 0.05, must_place);
    GroupPartition part(rules);
    GroupRepartitioner repartitioner(part);
    for (int trial = 0; trial < 150; ++trial) {
      // A member, some of its near members and of theirs (where links
      // are), sometimes a stranger.
      const size_t size =
          1 + rng() % (trial % 10 == 0 ? GroupRepartitioner::kMaxRepartition
                                       : GroupRepartitioner::kMaxRepartition -
                                             1);
      std::vector<size_t> members = {rng() % rules.size()};
      for (size_t tries = 0; members.size() < size && tries < 200; ++tries) {
        const size_t from = members[rng() % members.size()];
        const auto& near = rules.near(from);
        const size_t y = rng() % 8 == 0 || near.empty()
                             ? rng() % rules.size()
                             : near[rng() % std::min<size_t>(near.size(), 8)];
        if (std::find(members.begin(), members.end(), y) == members.end()) {
          members.push_back(y);
        }
      }
      SCOPED_TRACE(absl::StrCat("max_group ", max_group, ", trial ", trial));
      std::vector<std::vector<size_t>> parts;
      const int64_t got = repartitioner.BestPartition(members, &parts);
      ASSERT_EQ(got, Exhaustive(rules, members));
      if (got < 0) continue;
      int64_t sum = 0;
      std::vector<size_t> covered;
      for (const auto& g : parts) {
        ASSERT_GE(rules.Value(g), 0);
        sum += rules.Value(g);
        covered.insert(covered.end(), g.begin(), g.end());
      }
      std::sort(covered.begin(), covered.end());
      std::sort(members.begin(), members.end());
      EXPECT_EQ(covered, members);
      EXPECT_EQ(sum, got);
      found += std::count_if(parts.begin(), parts.end(), [](const auto& g) {
        return g.size() >= 3;
      }) > 0;
    }
  }
  EXPECT_GT(found, 20);
}

}  // namespace
}  // namespace pm
