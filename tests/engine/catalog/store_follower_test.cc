// ProfileCatalog::Refresh and StoreFollower over two catalogs on one SQLite
// file (the PostgreSQL replicas are tested end to end in
// tests/service/replica_test.cc).
#include "engine/catalog/store_follower.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

#include "tests/engine/matching/test_index.h"

namespace pm {
namespace {

using testing::MakeProfile;

class StoreFollowerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("follower_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    const std::string path = (dir_ / "store.db").string();
    auto a = ProfileCatalog::OpenStore(path);
    ASSERT_TRUE(a.ok()) << a.status();
    a_ = *std::move(a);
    auto b = ProfileCatalog::OpenStore(path);
    ASSERT_TRUE(b.ok()) << b.status();
    b_ = *std::move(b);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path dir_;
  std::unique_ptr<ProfileCatalog> a_, b_;
};

TEST_F(StoreFollowerTest, RefreshTakesInAnotherCatalogsWriteOnce) {
  ASSERT_TRUE(
      a_->Upsert({MakeProfile("x", "ES", "Water efficiency.")}).ok());
  EXPECT_FALSE(b_->Snapshot()->Find("x").has_value());
  absl::StatusOr<int64_t> sequence = b_->Refresh();
  ASSERT_TRUE(sequence.ok()) << sequence.status();
  EXPECT_EQ(*sequence, b_->snapshot_sequence());
  // The writer's own snapshot is at its write's sequence: it reads nothing
  // back.
  EXPECT_EQ(*sequence, a_->snapshot_sequence());
  const auto snapshot = b_->Snapshot();
  EXPECT_TRUE(snapshot->Find("x").has_value());
  // Nothing new: the snapshot stays.
  ASSERT_TRUE(b_->Refresh().ok());
  EXPECT_EQ(b_->Snapshot(), snapshot);
}

TEST_F(StoreFollowerTest, TheFollowerTakesInAWriteWithinOneSecond) {
  std::atomic<int> not_serving{0};
  std::atomic<int64_t> refreshed_to{0};
  std::atomic<size_t> refreshed_profiles{0};
  StoreFollower follower(
      *b_,
      [&](bool serving, const std::string&) {
        if (!serving) ++not_serving;
      },
      absl::Seconds(1), [&](const StoreFollower::Refreshed& r) {
        refreshed_profiles = r.profiles;
        refreshed_to = r.sequence;
      });
  ASSERT_TRUE(a_->RecordDecision([] {
                  Decision d;
                  d.profile_id = "bratislava";
                  d.partner_id = "cali";
                  d.kind = DecisionKind::kDeclined;
                  d.who = "coordinator";
                  return d;
                }())
                  .ok());
  const auto start = std::chrono::steady_clock::now();
  while (b_->Snapshot()->decisions().empty() &&
         std::chrono::steady_clock::now() - start < std::chrono::seconds(1)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_EQ(b_->Snapshot()->decisions().size(), 1u);
  EXPECT_EQ(b_->Snapshot()->decisions()[0].partner_id, "cali");
  EXPECT_EQ(not_serving, 0);
  // The refresh was reported with its figures (a log line in `serve`).
  while (refreshed_to.load() == 0 &&
         std::chrono::steady_clock::now() - start < std::chrono::seconds(1)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(refreshed_to.load(), b_->snapshot_sequence());
  EXPECT_EQ(refreshed_profiles.load(), b_->Snapshot()->size());
}

}  // namespace
}  // namespace pm
