// CancellationToken through the engine's long operations: a plan (with
// trios), thematic clusters and the exposure model stop and return
// CANCELLED once their token fires, and a token that never fires changes
// nothing.
#include "engine/common/cancellation.h"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>

#include "engine/graph/thematic_clusters.h"
#include "engine/matching/exposure.h"
#include "engine/planning/pairing_planner.h"
#include "tests/engine/planning/plan_oracle.h"

namespace pm {
namespace {

std::shared_ptr<const MatchIndex> Index(size_t n) {
  return testing::SyntheticIndex(n, 5, 0.6);
}

using testing::AllRows;

// Fires on its `after`-th poll; counts the polls.
struct FiresAfter {
  explicit FiresAfter(int after) : after(after) {}
  CancellationToken Token() {
    return CancellationToken([this] { return ++polls >= after; });
  }
  const int after;
  std::atomic<int> polls{0};
};

TEST(CancellationTokenTest, DefaultNeverFiresAndCheckSaysCancelled) {
  EXPECT_FALSE(CancellationToken().Cancelled());
  EXPECT_TRUE(CancellationToken().Check().ok());
  const CancellationToken fired([] { return true; });
  EXPECT_TRUE(fired.Cancelled());
  EXPECT_EQ(fired.Check().code(), absl::StatusCode::kCancelled);
}

TEST(CancellationTokenTest, APlanWithTriosStopsPartWayAndReturnsCancelled) {
  const auto index = Index(300);
  PairingOptions options;
  options.trios = true;
  const PairingPlanner planner;
  const auto whole = planner.Plan(*index, AllRows(*index), options);
  ASSERT_TRUE(whole.ok()) << whole.status();
  // Fired in each stage in turn: scoring, matching, trio search.
  for (int after : {1, 100, 200, 400, 600}) {
    FiresAfter fires(after);
    options.cancel = fires.Token();
    const auto plan = planner.Plan(*index, AllRows(*index), options);
    EXPECT_EQ(plan.status().code(), absl::StatusCode::kCancelled) << after;
  }
  // Never firing: the same plan as without a token.
  options.cancel = CancellationToken([] { return false; });
  const auto same = planner.Plan(*index, AllRows(*index), options);
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->total_score, whole->total_score);
  EXPECT_EQ(same->groups.size(), whole->groups.size());
}

// The plan of a large cohort (its candidate graph, the sparse matching and
// trio search) stops in each stage too.
TEST(CancellationTokenTest, ACandidateGraphPlanStopsPartWay) {
  const auto index = Index(300);
  PairingOptions options;
  options.trios = true;
  options.method = PairingOptions::Method::kCandidates;
  const PairingPlanner planner;
  const auto whole = planner.Plan(*index, AllRows(*index), options);
  ASSERT_TRUE(whole.ok()) << whole.status();
  for (int after : {1, 10, 20, 40, 80}) {
    FiresAfter fires(after);
    options.cancel = fires.Token();
    const auto plan = planner.Plan(*index, AllRows(*index), options);
    EXPECT_EQ(plan.status().code(), absl::StatusCode::kCancelled) << after;
  }
}

TEST(CancellationTokenTest, ClustersReturnCancelled) {
  const auto index = Index(120);
  ClusterOptions options;
  options.cancel = CancellationToken([] { return true; });
  EXPECT_EQ(FindThematicClusters(*index, AllRows(*index), options)
                .status()
                .code(),
            absl::StatusCode::kCancelled);
}

TEST(CancellationTokenTest, ACancelledExposureModelIsNotKept) {
  const auto index = Index(120);
  const DiverseSuggester suggester;
  FiresAfter fires(10);
  EXPECT_EQ(suggester.Report(index, 0.5, fires.Token()).status().code(),
            absl::StatusCode::kCancelled);
  EXPECT_EQ(suggester.CachedExposure(index), nullptr);
  const auto report = suggester.Report(index, 0.5);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->entries.size(), index->size());
  EXPECT_NE(suggester.CachedExposure(index), nullptr);
}

}  // namespace
}  // namespace pm
