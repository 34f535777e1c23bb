// The store contract (engine/store/store.h), one definition run on both
// backends: a SQLite file and a database on a real PostgreSQL server
// (tests/support/postgres_server.h; skipped with the reason when it cannot
// start). Both are opened through OpenStore, as the program does.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "engine/store/store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/store_backends.h"

namespace pm {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::StartsWith;
using testing::Backend;

Profile MakeProfile(std::string id, std::string name = "A place") {
  Profile profile;
  profile.id = std::move(id);
  profile.name = std::move(name);
  profile.kind = PlaceKind::kCity;
  profile.country = "ES";
  profile.text = "Has experience in water efficiency.";
  return profile;
}

Decision MakeDecision(std::string a, std::string b, DecisionKind kind) {
  Decision d;
  d.profile_id = std::move(a);
  d.partner_id = std::move(b);
  d.kind = kind;
  d.who = "coordinator";
  d.why = "met in Lyon";
  return d;
}

class StoreContractTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) /
           absl::StrCat("store_contract_", getpid(), "_",
                        ::testing::UnitTest::GetInstance()
                            ->current_test_info()
                            ->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    location_ = testing::NewStoreLocation(GetParam(), dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // A new handle on the test's store (created by the first).
  std::unique_ptr<Store> OpenOrDie() {
    absl::StatusOr<std::unique_ptr<Store>> store = OpenStore(location_);
    EXPECT_TRUE(store.ok()) << store.status();
    return store.ok() ? *std::move(store) : nullptr;
  }

  static std::vector<Profile> LoadAllOrDie(const Store& store) {
    absl::StatusOr<std::vector<Profile>> profiles = store.LoadAll();
    EXPECT_TRUE(profiles.ok()) << profiles.status();
    return profiles.ok() ? *std::move(profiles) : std::vector<Profile>();
  }

  static int64_t SequenceOrDie(const Store& store) {
    absl::StatusOr<int64_t> sequence = store.ChangeSequence();
    EXPECT_TRUE(sequence.ok()) << sequence.status();
    return sequence.value_or(-1);
  }

  std::string location_;
  fs::path dir_;
};

TEST_P(StoreContractTest, OpenCreatesAnEmptyStoreOnce) {
  std::unique_ptr<Store> store = OpenOrDie();
  ASSERT_NE(store, nullptr);
  EXPECT_TRUE(store->created());
  EXPECT_THAT(LoadAllOrDie(*store), IsEmpty());
  EXPECT_EQ(SequenceOrDie(*store), 0);
  std::unique_ptr<Store> again = OpenOrDie();
  ASSERT_NE(again, nullptr);
  EXPECT_FALSE(again->created());
}

TEST_P(StoreContractTest, ReopenedStoreSeesWhatWasUpserted) {
  Profile toyama = MakeProfile("toyama", "Toyama");
  toyama.kind = PlaceKind::kRegion;
  toyama.country = "JP";
  toyama.text = "Toyama — ports, “quotes”, 'apostrophes'; DROP TABLE x; $1.";
  toyama.population = 4100000000;  // beyond 32 bits
  toyama.known_partners = {"lugo", "donostia"};
  toyama.eu_member = false;
  toyama.world_region = "Asia";
  Profile almeria = MakeProfile("almeria", "Almería");
  almeria.kind = PlaceKind::kAssociation;
  almeria.eu_member = true;
  Profile lugo = MakeProfile("lugo", "Lugo");  // eu_member unset
  Profile upper = MakeProfile("Zaragoza");     // byte order: before 'a'
  {
    std::unique_ptr<Store> store = OpenOrDie();
    ASSERT_NE(store, nullptr);
    absl::StatusOr<UpsertCounts> counts =
        store->Upsert({toyama, almeria, lugo, upper});
    ASSERT_TRUE(counts.ok()) << counts.status();
  }
  std::unique_ptr<Store> reopened = OpenOrDie();
  ASSERT_NE(reopened, nullptr);
  EXPECT_FALSE(reopened->created());
  EXPECT_THAT(LoadAllOrDie(*reopened),
              ElementsAre(upper, almeria, lugo, toyama));
}

TEST_P(StoreContractTest, UpsertCountsCreatedAndUpdated) {
  std::unique_ptr<Store> store = OpenOrDie();
  ASSERT_NE(store, nullptr);
  absl::StatusOr<UpsertCounts> first =
      store->Upsert({MakeProfile("a"), MakeProfile("b")});
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->created, 2);
  EXPECT_EQ(first->updated, 0);
  absl::StatusOr<UpsertCounts> second =
      store->Upsert({MakeProfile("b", "B renamed"), MakeProfile("c")});
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->created, 1);
  EXPECT_EQ(second->updated, 1);
  EXPECT_THAT(LoadAllOrDie(*store),
              ElementsAre(MakeProfile("a"), MakeProfile("b", "B renamed"),
                          MakeProfile("c")));
}

TEST_P(StoreContractTest, UpsertOfNothingChangesNothing) {
  std::unique_ptr<Store> store = OpenOrDie();
  ASSERT_NE(store, nullptr);
  absl::StatusOr<UpsertCounts> counts = store->Upsert({});
  ASSERT_TRUE(counts.ok()) << counts.status();
  EXPECT_EQ(counts->created, 0);
  EXPECT_EQ(counts->updated, 0);
  EXPECT_EQ(SequenceOrDie(*store), 0);
}

TEST_P(StoreContractTest, UpdateReplacesKnownPartnersAndClearsEuMember) {
  std::unique_ptr<Store> store = OpenOrDie();
  ASSERT_NE(store, nullptr);
  Profile a = MakeProfile("a");
  a.known_partners = {"x", "y", "z"};
  a.eu_member = true;
  ASSERT_TRUE(store->Upsert({a}).ok());
  a.known_partners = {"z"};
  a.eu_member.reset();
  ASSERT_TRUE(store->Upsert({a}).ok());
  EXPECT_THAT(LoadAllOrDie(*store), ElementsAre(a));
}

TEST_P(StoreContractTest, UpsertOfABatchIsAllOrNothing) {
  std::unique_ptr<Store> store = OpenOrDie();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->Upsert({MakeProfile("a", "Old name")}).ok());
  const int64_t before = SequenceOrDie(*store);
  // "bad" comes last, after an update and an insert were already written in
  // the transaction; the schema's CHECK refuses its negative population.
  Profile bad = MakeProfile("bad");
  bad.population = -1;
  absl::StatusOr<UpsertCounts> counts =
      store->Upsert({MakeProfile("a", "New name"), MakeProfile("b"), bad});
  ASSERT_FALSE(counts.ok());
  EXPECT_EQ(counts.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(counts.status().message()),
              StartsWith("profile 'bad': "));
  EXPECT_THAT(std::string(counts.status().message()),
              ::testing::HasSubstr("population"));
  EXPECT_THAT(LoadAllOrDie(*store), ElementsAre(MakeProfile("a", "Old name")));
  EXPECT_EQ(SequenceOrDie(*store), before);
  // The store is still usable after the rollback.
  ASSERT_TRUE(store->Upsert({MakeProfile("b")}).ok());
  EXPECT_EQ(LoadAllOrDie(*store).size(), 2u);
}

TEST_P(StoreContractTest, UpsertRefusesTheSameIdTwiceInOneBatch) {
  std::unique_ptr<Store> store = OpenOrDie();
  ASSERT_NE(store, nullptr);
  absl::StatusOr<UpsertCounts> counts =
      store->Upsert({MakeProfile("a"), MakeProfile("b"), MakeProfile("a")});
  ASSERT_FALSE(counts.ok());
  EXPECT_EQ(counts.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(counts.status().message(),
            "profile 'a' appears twice in one upsert");
  EXPECT_THAT(LoadAllOrDie(*store), IsEmpty());
}

TEST_P(StoreContractTest, DeleteRemovesTheProfileAndItsPartners) {
  std::unique_ptr<Store> store = OpenOrDie();
  ASSERT_NE(store, nullptr);
  Profile a = MakeProfile("a");
  a.known_partners = {"b"};
  ASSERT_TRUE(store->Upsert({a, MakeProfile("b")}).ok());
  ASSERT_TRUE(store->Delete("a").ok());
  EXPECT_THAT(LoadAllOrDie(*store), ElementsAre(MakeProfile("b")));
  // Re-created, it does not inherit the old partners.
  ASSERT_TRUE(store->Upsert({MakeProfile("a")}).ok());
  EXPECT_THAT(LoadAllOrDie(*store),
              ElementsAre(MakeProfile("a"), MakeProfile("b")));
}

TEST_P(StoreContractTest, DeleteOfAnUnknownIdIsNotFoundAndNoWrite) {
  std::unique_ptr<Store> store = OpenOrDie();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->Upsert({MakeProfile("a")}).ok());
  const absl::Status status = store->Delete("ghost");
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(status.message(), "no profile with id 'ghost'");
  EXPECT_EQ(LoadAllOrDie(*store).size(), 1u);
  EXPECT_EQ(SequenceOrDie(*store), 1);
}

TEST_P(StoreContractTest, DecisionsAreAppendedInOrderAndKept) {
  {
    std::unique_ptr<Store> store = OpenOrDie();
    ASSERT_NE(store, nullptr);
    absl::StatusOr<Decision> first = store->RecordDecision(
        MakeDecision("a", "b", DecisionKind::kAccepted));
    ASSERT_TRUE(first.ok()) << first.status();
    absl::StatusOr<Decision> second = store->RecordDecision(
        MakeDecision("a", "b", DecisionKind::kDeclined));
    ASSERT_TRUE(second.ok()) << second.status();
    EXPECT_LT(first->sequence, second->sequence);
    EXPECT_GT(first->recorded_at_unix_micros, 0);
  }
  std::unique_ptr<Store> reopened = OpenOrDie();
  ASSERT_NE(reopened, nullptr);
  absl::StatusOr<std::vector<Decision>> log = reopened->LoadDecisions();
  ASSERT_TRUE(log.ok()) << log.status();
  ASSERT_EQ(log->size(), 2u);
  EXPECT_EQ((*log)[0].kind, DecisionKind::kAccepted);
  EXPECT_EQ((*log)[1].kind, DecisionKind::kDeclined);
  EXPECT_EQ((*log)[1].who, "coordinator");
  EXPECT_EQ((*log)[1].why, "met in Lyon");
  EXPECT_LT((*log)[0].sequence, (*log)[1].sequence);
}

TEST_P(StoreContractTest, EveryWriteAdvancesTheChangeSequenceByOne) {
  std::unique_ptr<Store> writer = OpenOrDie();
  std::unique_ptr<Store> reader = OpenOrDie();
  ASSERT_NE(writer, nullptr);
  ASSERT_NE(reader, nullptr);
  ASSERT_TRUE(writer->Upsert({MakeProfile("a"), MakeProfile("b")}).ok());
  EXPECT_EQ(SequenceOrDie(*reader), 1);
  ASSERT_TRUE(
      writer->RecordDecision(MakeDecision("a", "b", DecisionKind::kDeclined))
          .ok());
  EXPECT_EQ(SequenceOrDie(*reader), 2);
  ASSERT_TRUE(writer->Delete("a").ok());
  EXPECT_EQ(SequenceOrDie(*reader), 3);
  EXPECT_EQ(SequenceOrDie(*writer), 3);
  EXPECT_THAT(LoadAllOrDie(*reader), ElementsAre(MakeProfile("b")));
}

TEST_P(StoreContractTest, WaitForChangeReturnsAtOnceWhenBehind) {
  std::unique_ptr<Store> store = OpenOrDie();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->Upsert({MakeProfile("a")}).ok());
  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<int64_t> sequence = store->WaitForChange(0, absl::Seconds(30));
  ASSERT_TRUE(sequence.ok()) << sequence.status();
  EXPECT_EQ(*sequence, 1);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST_P(StoreContractTest, WaitForChangeTimesOutWithoutAWrite) {
  std::unique_ptr<Store> store = OpenOrDie();
  ASSERT_NE(store, nullptr);
  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<int64_t> sequence =
      store->WaitForChange(0, absl::Milliseconds(300));
  ASSERT_TRUE(sequence.ok()) << sequence.status();
  EXPECT_EQ(*sequence, 0);
  EXPECT_GE(std::chrono::steady_clock::now() - start,
            std::chrono::milliseconds(300));
}

TEST_P(StoreContractTest, WaitForChangeWakesOnAnotherHandlesWrite) {
  std::unique_ptr<Store> waiter = OpenOrDie();
  std::unique_ptr<Store> writer = OpenOrDie();
  ASSERT_NE(waiter, nullptr);
  ASSERT_NE(writer, nullptr);
  // Listening before the write, the waiter must be woken by it, long before
  // its timeout.
  std::thread write([&writer] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    EXPECT_TRUE(writer->Upsert({MakeProfile("a")}).ok());
  });
  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<int64_t> sequence =
      waiter->WaitForChange(0, absl::Seconds(30));
  const auto waited = std::chrono::steady_clock::now() - start;
  write.join();
  ASSERT_TRUE(sequence.ok()) << sequence.status();
  EXPECT_EQ(*sequence, 1);
  EXPECT_LT(waited, std::chrono::seconds(5));
}

TEST_P(StoreContractTest, ConcurrentWritersFromTwoHandlesAreAllKept) {
  std::unique_ptr<Store> first = OpenOrDie();
  std::unique_ptr<Store> second = OpenOrDie();
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);
  constexpr int kWrites = 20;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    Store* store = t % 2 == 0 ? first.get() : second.get();
    threads.emplace_back([store, t] {
      for (int i = 0; i < kWrites; ++i) {
        // Every thread also rewrites the shared profile "same".
        const absl::StatusOr<UpsertCounts> counts = store->Upsert(
            {MakeProfile(absl::StrCat("p", t, "-", i)),
             MakeProfile("same", absl::StrCat("writer ", t))});
        EXPECT_TRUE(counts.ok()) << counts.status();
        EXPECT_TRUE(store->LoadAll().ok());
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(LoadAllOrDie(*first).size(), 4u * kWrites + 1);
  EXPECT_EQ(SequenceOrDie(*second), 4 * kWrites);
}

TEST_P(StoreContractTest, ChangesSinceSaysWhatTheLaterWritesDid) {
  std::unique_ptr<Store> writer = OpenOrDie();
  std::unique_ptr<Store> reader = OpenOrDie();
  ASSERT_NE(writer, nullptr);
  ASSERT_NE(reader, nullptr);
  const auto changes = [&](int64_t since) {
    absl::StatusOr<StoreChanges> read = reader->ChangesSince(since);
    EXPECT_TRUE(read.ok()) << read.status();
    return read.ok() ? *std::move(read) : StoreChanges();
  };
  const auto ids = [](const std::vector<Profile>& profiles) {
    std::vector<std::string> out;
    for (const Profile& p : profiles) out.push_back(p.id);
    return out;
  };
  ASSERT_TRUE(writer->Upsert({MakeProfile("a"), MakeProfile("b")}).ok());  // 1
  ASSERT_TRUE(
      writer->RecordDecision(MakeDecision("a", "b", DecisionKind::kDeclined))
          .ok());  // 2
  Profile b = MakeProfile("b", "B, renamed");
  b.known_partners = {"x", "y"};
  ASSERT_TRUE(writer->Upsert({b, MakeProfile("c")}).ok());  // 3
  ASSERT_TRUE(writer->Delete("a").ok());                    // 4

  StoreChanges all = changes(-1);
  EXPECT_EQ(all.sequence, 4);
  EXPECT_THAT(all.upserted, ElementsAre(b, MakeProfile("c")));
  EXPECT_THAT(all.removed, ElementsAre("a"));
  ASSERT_EQ(all.decisions.size(), 1u);
  EXPECT_EQ(all.decisions[0].kind, DecisionKind::kDeclined);

  StoreChanges after_two = changes(2);
  EXPECT_EQ(after_two.sequence, 4);
  EXPECT_THAT(after_two.upserted, ElementsAre(b, MakeProfile("c")));
  EXPECT_THAT(after_two.removed, ElementsAre("a"));
  EXPECT_THAT(after_two.decisions, IsEmpty());

  StoreChanges after_three = changes(3);
  EXPECT_THAT(after_three.upserted, IsEmpty());
  EXPECT_THAT(after_three.removed, ElementsAre("a"));

  StoreChanges none = changes(4);
  EXPECT_EQ(none.sequence, 4);
  EXPECT_THAT(none.upserted, IsEmpty());
  EXPECT_THAT(none.removed, IsEmpty());
  EXPECT_THAT(none.decisions, IsEmpty());

  // Written again after its deletion: an upsert, no longer a removal.
  ASSERT_TRUE(writer->Upsert({MakeProfile("a", "A again")}).ok());  // 5
  StoreChanges again = changes(3);
  EXPECT_EQ(again.sequence, 5);
  EXPECT_THAT(ids(again.upserted), ElementsAre("a"));
  EXPECT_THAT(again.removed, IsEmpty());
  ASSERT_TRUE(
      writer->RecordDecision(MakeDecision("a", "c", DecisionKind::kAccepted))
          .ok());  // 6
  StoreChanges decided = changes(5);
  EXPECT_THAT(decided.upserted, IsEmpty());
  ASSERT_EQ(decided.decisions.size(), 1u);
  EXPECT_EQ(decided.decisions[0].partner_id, "c");
  EXPECT_EQ(decided.decisions[0].who, "coordinator");
}

TEST_P(StoreContractTest, TheDerivedIndexIsSavedWholeAndReplaced) {
  std::unique_ptr<Store> writer = OpenOrDie();
  std::unique_ptr<Store> reader = OpenOrDie();
  ASSERT_NE(writer, nullptr);
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->LoadDerivedIndex().status().code(),
            absl::StatusCode::kNotFound);
  ASSERT_TRUE(writer->SaveDerivedIndex("first").ok());
  absl::StatusOr<std::string> first = reader->LoadDerivedIndex();
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(*first, "first");
  // Larger than one chunk of a PostgreSQL large object, every byte value.
  std::string large(3 * (1 << 20) + 17, '\0');
  for (size_t i = 0; i < large.size(); ++i) {
    large[i] = static_cast<char>((i * 7919) % 256);
  }
  ASSERT_TRUE(writer->SaveDerivedIndex(large).ok());
  absl::StatusOr<std::string> second = reader->LoadDerivedIndex();
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_TRUE(*second == large);
  // Derived, not a write: the change sequence stays.
  EXPECT_EQ(SequenceOrDie(*reader), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreContractTest,
                         ::testing::Values(Backend::kSqlite,
                                           Backend::kPostgres),
                         testing::BackendName);

}  // namespace
}  // namespace pm
