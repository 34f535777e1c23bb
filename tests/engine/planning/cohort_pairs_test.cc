// CohortPairs::LinkOfParts against link(): the same link from the pair's
// score parts, on the pair table and on the candidate graph, with declined,
// forbidden and fixed pairs and the hard kind rule.
#include "engine/planning/cohort_pairs.h"

#include <gtest/gtest.h>

#include <random>

#include "engine/matching/match_index.h"
#include "engine/matching/reciprocal_scorer.h"
#include "tests/engine/planning/plan_oracle.h"

namespace pm {
namespace {

TEST(CohortPairsTest, LinkOfPartsIsTheLink) {
  std::vector<Profile> profiles = testing::SyntheticProfiles(160, 71, 0.5);
  std::vector<Decision> decisions;
  std::mt19937 rng(13);
  for (int k = 0; k < 40; ++k) {
    Decision d;
    d.sequence = k + 1;
    d.profile_id = profiles[rng() % profiles.size()].id;
    d.partner_id = profiles[rng() % profiles.size()].id;
    d.kind = DecisionKind::kDeclined;
    d.who = "ana";
    if (d.profile_id != d.partner_id) decisions.push_back(d);
  }
  auto index = MatchIndex::Build(std::move(profiles),
                                 testing::BundledExtractor(),
                                 Gazetteer::Bundled(), nullptr,
                                 std::move(decisions));
  const std::vector<size_t> cohort = testing::AllRows(*index);
  const ReciprocalScorer scorer;
  size_t links[3] = {0, 0, 0};  // by kind
  for (auto method : {PairingOptions::Method::kExact,
                      PairingOptions::Method::kCandidates}) {
    PairingOptions o;
    o.trios = true;
    o.method = method;
    o.kind_rule = KindRule::kHard;
    o.min_score = 0.05;
    for (int k = 0; k < 30; ++k) {
      o.forbidden.push_back({index->at(rng() % index->size()).profile.id,
                             index->at(rng() % index->size()).profile.id});
      if (o.forbidden.back().profile_id == o.forbidden.back().partner_id) {
        o.forbidden.pop_back();
      }
    }
    auto pairs = CohortPairs::Build(*index, scorer, cohort, o);
    ASSERT_TRUE(pairs.ok()) << pairs.status();
    for (size_t i = 0; i < pairs->size(); ++i) {
      for (size_t j = 0; j < pairs->size(); ++j) {
        // Other-side pairs EU member first (the pair table's order).
        if (i == j || (pairs->eu(i) != pairs->eu(j) && !pairs->eu(i))) {
          continue;
        }
        const CohortPairs::Link want = pairs->link(i, j);
        const CohortPairs::Link got = pairs->LinkOfParts(
            i, j, scorer.Score(*index, pairs->row(i), pairs->row(j)));
        ASSERT_EQ(got.kind, want.kind) << i << " " << j;
        ASSERT_EQ(got.score, want.score) << i << " " << j;
        ASSERT_EQ(got.units, want.units) << i << " " << j;
        ASSERT_EQ(got.fixed, want.fixed) << i << " " << j;
        ++links[want.kind];
      }
    }
  }
  EXPECT_GT(links[CohortPairs::Link::kNone], 1000u);
  EXPECT_GT(links[CohortPairs::Link::kPartners], 1000u);
  EXPECT_GT(links[CohortPairs::Link::kSameSide], 1000u);
}

}  // namespace
}  // namespace pm
