// GroupRules' links against their definition: on the candidate graph, a
// pair is linked when it is on either member's partner or peer list or is
// fixed (the lowest units of its listings), and LinksAmong reads the same
// links as units().
#include "engine/planning/group_rules.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <utility>

#include "engine/matching/match_index.h"
#include "engine/matching/reciprocal_scorer.h"
#include "tests/engine/planning/plan_oracle.h"

namespace pm {
namespace {

constexpr size_t kMembers = 600;

class GroupRulesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    index_ = new std::shared_ptr<const MatchIndex>(
        testing::SyntheticIndex(kMembers, 31, 0.6));
  }
  static const MatchIndex& index() { return **index_; }
  static std::vector<size_t> Everyone() { return testing::AllRows(index()); }
  // Trio options on `method`, with `fixed` pairs.
  static PairingOptions Options(PairingOptions::Method method,
                                std::vector<IdPair> fixed = {}) {
    PairingOptions o;
    o.trios = true;
    o.method = method;
    o.fixed = std::move(fixed);
    return o;
  }

  static std::shared_ptr<const MatchIndex>* index_;
};
std::shared_ptr<const MatchIndex>* GroupRulesTest::index_ = nullptr;

TEST_F(GroupRulesTest, SparseLinksAreTheCandidateGraphsAndFixedPairs) {
  const ReciprocalScorer scorer;
  auto plain = CohortPairs::Build(
      index(), scorer, Everyone(),
      Options(PairingOptions::Method::kCandidates));
  ASSERT_TRUE(plain.ok()) << plain.status();
  // Three fixed pairs among the candidates, no member twice.
  std::vector<IdPair> fixed;
  std::vector<bool> used(plain->size(), false);
  for (size_t m = 0; m < plain->size() && fixed.size() < 3; m += 97) {
    for (const Candidate& c : plain->candidates().partners[m]) {
      if (used[m] || used[c.member]) continue;
      used[m] = used[c.member] = true;
      fixed.push_back({index().at(plain->row(m)).profile.id,
                       index().at(plain->row(c.member)).profile.id});
    }
  }
  ASSERT_EQ(fixed.size(), 3u);
  auto pairs = CohortPairs::Build(
      index(), scorer, Everyone(),
      Options(PairingOptions::Method::kCandidates, fixed));
  ASSERT_TRUE(pairs.ok()) << pairs.status();
  ASSERT_TRUE(pairs->sparse());
  ASSERT_EQ(pairs->fixed().size(), 3u);
  const GroupRules rules(*pairs, 0, std::vector<bool>(pairs->size(), false));

  std::map<std::pair<size_t, size_t>, int64_t> expected;  // lowest units
  auto add = [&](size_t i, size_t j, int64_t units) {
    for (const auto& key : {std::make_pair(i, j), std::make_pair(j, i)}) {
      auto [it, fresh] = expected.emplace(key, units);
      if (!fresh) it->second = std::min(it->second, units);
    }
  };
  for (size_t i = 0; i < pairs->size(); ++i) {
    for (const auto* list : {&pairs->candidates().partners[i],
                             &pairs->candidates().peers[i]}) {
      for (const Candidate& c : *list) {
        add(i, c.member, CohortPairs::ToUnits(c.score));
      }
    }
  }
  for (const auto& [a, b] : pairs->fixed()) {
    add(a, b, pairs->link(a, b).units);
  }
  size_t linked = 0;
  for (size_t i = 0; i < rules.size(); ++i) {
    for (size_t j = 0; j < rules.size(); ++j) {
      const auto it = expected.find({i, j});
      const int64_t want = it == expected.end() ? -1 : it->second;
      ASSERT_EQ(rules.units(i, j), want) << i << " " << j;
      linked += want >= 0;
    }
  }
  EXPECT_EQ(linked, expected.size());
  EXPECT_GT(linked, 20 * kMembers);
}

TEST_F(GroupRulesTest, LinksAmongReadsTheLinks) {
  const ReciprocalScorer scorer;
  std::mt19937 rng(7);
  for (auto method : {PairingOptions::Method::kCandidates,
                      PairingOptions::Method::kExact}) {
    auto pairs = CohortPairs::Build(index(), scorer, Everyone(),
                                    Options(method));
    ASSERT_TRUE(pairs.ok()) << pairs.status();
    const GroupRules rules(*pairs, 0,
                           std::vector<bool>(pairs->size(), false));
    std::vector<size_t> everyone(rules.size());
    for (size_t i = 0; i < everyone.size(); ++i) everyone[i] = i;
    size_t links = 0;
    for (int trial = 0; trial < 2000; ++trial) {
      // Often a member with its near members, where links are.
      std::vector<size_t> members;
      const size_t m = 1 + rng() % GroupRules::kMaxLinksAmong;
      const size_t x = rng() % rules.size();
      members.push_back(x);
      for (size_t y : rules.near(x)) {
        if (members.size() < m && rng() % 3 == 0) members.push_back(y);
      }
      while (members.size() < m) {
        const size_t y = rng() % rules.size();
        if (std::find(members.begin(), members.end(), y) == members.end()) {
          members.push_back(y);
        }
      }
      std::shuffle(members.begin(), members.end(), rng);
      int64_t table[GroupRules::kMaxLinksAmong * GroupRules::kMaxLinksAmong];
      rules.LinksAmong(members, table);
      for (size_t a = 0; a < m; ++a) {
        for (size_t b = 0; b < m; ++b) {
          const int64_t want = a == b ? -1 : rules.units(members[a], members[b]);
          ASSERT_EQ(table[a * m + b], want)
              << "sparse " << rules.sparse() << ", trial " << trial;
          links += want >= 0;
        }
      }
    }
    EXPECT_GT(links, 2000u);
  }
}

}  // namespace
}  // namespace pm
