// ProfileCatalog::Refresh, the saved index and StoreFollower over two
// catalogs on one store, on both backends: a SQLite file and a database on a
// real PostgreSQL server (tests/support/postgres_server.h; skipped with the
// reason when it cannot start). The replicas are tested end to end, as
// `serve` processes, in tests/service/replica_test.cc.
#include "engine/catalog/store_follower.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "tests/engine/matching/test_index.h"
#include "tests/support/store_backends.h"

namespace pm {
namespace {

using testing::Backend;
using testing::MakeProfile;

// The tasks a catalog started (a build: "extracting themes", ...).
class TaskLog : public Progress {
 public:
  void Start(std::string_view task, size_t) override {
    tasks.emplace_back(task);
  }
  void Update(size_t) override {}
  void Finish() override {}
  std::vector<std::string> tasks;
};

// A coordinator's decision that `a` and `b` are not to be paired.
Decision Declined(std::string a, std::string b) {
  Decision d;
  d.profile_id = std::move(a);
  d.partner_id = std::move(b);
  d.kind = DecisionKind::kDeclined;
  d.who = "coordinator";
  return d;
}

class StoreFollowerTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("follower_" + std::to_string(::getpid()) + "_" +
            std::to_string(static_cast<int>(GetParam())) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    location_ = testing::NewStoreLocation(GetParam(), dir_);
    if (location_.empty()) return;
    auto a = ProfileCatalog::OpenStore(location_);
    ASSERT_TRUE(a.ok()) << a.status();
    a_ = *std::move(a);
    auto b = ProfileCatalog::OpenStore(location_, false, &b_tasks_);
    ASSERT_TRUE(b.ok()) << b.status();
    b_ = *std::move(b);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path dir_;
  std::string location_;
  TaskLog b_tasks_;
  std::unique_ptr<ProfileCatalog> a_, b_;
};

TEST_P(StoreFollowerTest, TheSecondCatalogRestoresTheSavedIndex) {
  // A built the index from the texts and saved it in the store; B derived
  // nothing (no extraction task) and holds the same index.
  EXPECT_TRUE(b_tasks_.tasks.empty())
      << "B started '" << b_tasks_.tasks.front() << "'";
  const auto a = a_->Snapshot();
  const auto b = b_->Snapshot();
  ASSERT_EQ(a->size(), b->size());
  EXPECT_EQ(a->latent().basis(), b->latent().basis());
  EXPECT_EQ(a->latent().embeddings(), b->latent().embeddings());
  EXPECT_NE(b_->SavedExposure(), nullptr);
}

TEST_P(StoreFollowerTest, RefreshAppliesWhatChangedAndSharesTheRest) {
  const auto before = b_->Snapshot();
  // Two writes of 29 profiles: under the drift rule, so an update.
  ASSERT_TRUE(a_->Upsert({MakeProfile("cali", "CO", "Cali seeks partners in "
                                                    "urban mobility.")})
                  .ok());
  ASSERT_TRUE(a_->Delete("bratislava").ok());
  ASSERT_TRUE(a_->RecordDecision(Declined("dublin", "cali")).ok());
  ASSERT_TRUE(b_->Refresh().ok());
  EXPECT_EQ(b_->snapshot_sequence(), a_->snapshot_sequence());
  const auto after = b_->Snapshot();
  EXPECT_EQ(after->size(), before->size() - 1);
  EXPECT_FALSE(after->Find("bratislava").has_value());
  EXPECT_EQ(after->at(*after->Find("cali")).profile.text,
            "Cali seeks partners in urban mobility.");
  ASSERT_EQ(after->decisions().size(), 1u);
  EXPECT_EQ(after->decisions()[0].partner_id, "cali");
  // An incremental update: an unchanged profile's row is shared.
  const std::string unchanged = before->at(0).profile.id == "bratislava"
                                    ? before->at(1).profile.id
                                    : before->at(0).profile.id;
  EXPECT_EQ(after->shared_at(*after->Find(unchanged)),
            before->shared_at(*before->Find(unchanged)));
  // A's own writes come back from the store unchanged: nothing to apply.
  const auto a_before = a_->Snapshot();
  ASSERT_TRUE(a_->Refresh().ok());
  EXPECT_EQ(a_->Snapshot(), a_before);
}

TEST_P(StoreFollowerTest, RefreshTakesInAnotherCatalogsWriteOnce) {
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

TEST_P(StoreFollowerTest, TheFollowerTakesInAWriteWithinOneSecond) {
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
  ASSERT_TRUE(a_->RecordDecision(Declined("bratislava", "cali")).ok());
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

INSTANTIATE_TEST_SUITE_P(Backends, StoreFollowerTest,
                         ::testing::Values(Backend::kSqlite,
                                           Backend::kPostgres),
                         testing::BackendName);

}  // namespace
}  // namespace pm
