#include "engine/catalog/profile_catalog.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <iostream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "engine/catalog/saved_index.h"
#include "engine/geo/gazetteer.h"
#include "engine/store/profile_store.h"
#include "tests/engine/matching/test_index.h"

namespace pm {
namespace {

using testing::MakeProfile;

class ProfileCatalogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("catalog_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    path_ = (dir_ / "store.db").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // True when the store holds a saved index that decodes.
  bool SavedIndexIsValid() const {
    auto store = ProfileStore::Open(path_);
    if (!store.ok()) return false;
    absl::StatusOr<std::string> bytes = (*store)->LoadDerivedIndex();
    return bytes.ok() && DecodeSavedIndex(*std::move(bytes)).ok();
  }

  std::filesystem::path dir_;
  std::string path_;
};

TEST_F(ProfileCatalogTest, NewStoreStartsWithTheBundledProfiles) {
  auto catalog = ProfileCatalog::OpenStore(path_);
  ASSERT_TRUE(catalog.ok()) << catalog.status();
  auto snapshot = (*catalog)->Snapshot();
  EXPECT_EQ(snapshot->size(), 29u);
  ASSERT_TRUE(snapshot->Find("bratislava").has_value());
  EXPECT_FALSE(snapshot->at(*snapshot->Find("bratislava")).extraction.themes.empty());
  EXPECT_EQ((*catalog)->store_path(), path_);
}

TEST_F(ProfileCatalogTest, EmptyStoreHoldsNothing) {
  auto catalog = ProfileCatalog::OpenStore(path_, /*empty=*/true);
  ASSERT_TRUE(catalog.ok());
  EXPECT_EQ((*catalog)->Snapshot()->size(), 0u);
}

TEST_F(ProfileCatalogTest, UpsertIsVisibleAfterReopening) {
  {
    auto catalog = ProfileCatalog::OpenStore(path_, true);
    ASSERT_TRUE(catalog.ok());
    auto counts = (*catalog)->Upsert(
        {MakeProfile("x", "es", "X has experience in water efficiency.")});
    ASSERT_TRUE(counts.ok()) << counts.status();
    EXPECT_EQ(counts->created, 1);
  }
  auto catalog = ProfileCatalog::OpenStore(path_);
  ASSERT_TRUE(catalog.ok());
  auto snapshot = (*catalog)->Snapshot();
  ASSERT_EQ(snapshot->size(), 1u);
  EXPECT_EQ(snapshot->at(0).profile.country, "ES");  // normalised
}

TEST_F(ProfileCatalogTest, RefusedBatchChangesNothing) {
  auto catalog = ProfileCatalog::OpenStore(path_);
  ASSERT_TRUE(catalog.ok());
  auto before = (*catalog)->Snapshot();
  auto result = (*catalog)->Upsert(
      {MakeProfile("new-place", "ES", "Fine text."),
       MakeProfile("bad", "XX", "Unknown country.")});
  ASSERT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(result.status().message().substr(0, 19), "profiles[1] ('bad')");
  EXPECT_EQ((*catalog)->Snapshot(), before);

  auto reopened = ProfileCatalog::OpenStore(path_);
  ASSERT_TRUE(reopened.ok());
  EXPECT_FALSE((*reopened)->Snapshot()->Find("new-place").has_value());
}

TEST_F(ProfileCatalogTest, RefusesDuplicateIdsInOneBatch) {
  auto catalog = ProfileCatalog::InMemory({});
  ASSERT_TRUE(catalog.ok());
  auto result = (*catalog)->Upsert({MakeProfile("x", "ES", "One."),
                                    MakeProfile("x", "IT", "Two.")});
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(result.status().message(), "profiles[1] ('x'): duplicate id");
}

TEST_F(ProfileCatalogTest, OldSnapshotsStayValidAfterWrites) {
  auto catalog = ProfileCatalog::OpenStore(path_);
  ASSERT_TRUE(catalog.ok());
  auto old = (*catalog)->Snapshot();
  ASSERT_TRUE((*catalog)->Delete("almeria").ok());
  EXPECT_TRUE(old->Find("almeria").has_value());
  EXPECT_FALSE((*catalog)->Snapshot()->Find("almeria").has_value());
  EXPECT_EQ((*catalog)->Delete("almeria").code(), absl::StatusCode::kNotFound);
}

TEST_F(ProfileCatalogTest, UpdateReplacesTheProfileAndItsThemes) {
  auto catalog = ProfileCatalog::InMemory(
      {MakeProfile("x", "ES", "X has experience in water efficiency.")});
  ASSERT_TRUE(catalog.ok());
  auto counts = (*catalog)->Upsert({MakeProfile("x", "ES", "Nothing here.")});
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->updated, 1);
  EXPECT_EQ(counts->created, 0);
  auto snapshot = (*catalog)->Snapshot();
  ASSERT_EQ(snapshot->size(), 1u);
  EXPECT_TRUE(snapshot->at(0).extraction.themes.empty());
}

}  // namespace
}  // namespace pm

namespace pm {
namespace {

Decision MakeDecision(std::string a, std::string b, DecisionKind kind,
                      std::string who = "coordinator") {
  Decision d;
  d.profile_id = std::move(a);
  d.partner_id = std::move(b);
  d.kind = kind;
  d.who = std::move(who);
  return d;
}

TEST_F(ProfileCatalogTest, DecisionsAreLoggedAndSurviveReopening) {
  {
    auto catalog = ProfileCatalog::OpenStore(path_);
    ASSERT_TRUE(catalog.ok());
    auto first = (*catalog)->RecordDecision(
        MakeDecision("bratislava", "cali", DecisionKind::kDeclined, "Ana"));
    ASSERT_TRUE(first.ok()) << first.status();
    EXPECT_EQ(first->sequence, 1);
    EXPECT_GT(first->recorded_at_unix_micros, 0);
    auto second = (*catalog)->RecordDecision(
        MakeDecision("cali", "bratislava", DecisionKind::kAccepted, "Ben"));
    ASSERT_TRUE(second.ok());
    EXPECT_EQ(second->sequence, 2);
  }
  auto catalog = ProfileCatalog::OpenStore(path_);
  ASSERT_TRUE(catalog.ok());
  auto snapshot = (*catalog)->Snapshot();
  ASSERT_EQ(snapshot->decisions().size(), 2u);  // nothing is overwritten
  EXPECT_EQ(snapshot->decisions()[0].who, "Ana");
  const Decision* latest = snapshot->LatestDecision("bratislava", "cali");
  ASSERT_NE(latest, nullptr);
  EXPECT_EQ(latest->kind, DecisionKind::kAccepted);
}

TEST_F(ProfileCatalogTest, DecisionsNameTheirProblem) {
  auto catalog = ProfileCatalog::OpenStore(path_);
  ASSERT_TRUE(catalog.ok());
  auto unknown = (*catalog)->RecordDecision(
      MakeDecision("bratislava", "atlantis", DecisionKind::kDeclined));
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(unknown.status().message(),
            "no profile with id 'atlantis'; did you mean 'atlantico'?");
  auto nobody = (*catalog)->RecordDecision(
      MakeDecision("bratislava", "cali", DecisionKind::kDeclined, ""));
  EXPECT_EQ(nobody.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(nobody.status().message(),
            "field 'who': is required: say who took the decision");
  auto self = (*catalog)->RecordDecision(
      MakeDecision("cali", "cali", DecisionKind::kDeclined));
  EXPECT_EQ(self.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE((*catalog)->Snapshot()->decisions().empty());
}

TEST_F(ProfileCatalogTest, PairsTheProgrammeExcludesCannotBeAccepted) {
  auto catalog = ProfileCatalog::OpenStore(path_);
  ASSERT_TRUE(catalog.ok());
  for (DecisionKind kind : {DecisionKind::kAccepted, DecisionKind::kExisting}) {
    auto refused =
        (*catalog)->RecordDecision(MakeDecision("almeria", "bari", kind));
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_EQ(refused.status().message(),
              absl::StrCat("cannot record 'almeria' and 'bari' as ",
                           DecisionKindName(kind),
                           ": both are EU members; a pair joins an EU member "
                           "with a partner-country member (a declined "
                           "decision can be recorded)"));
  }
  EXPECT_TRUE((*catalog)->Snapshot()->decisions().empty());
  // Declining is always possible; and the rules are the caller's.
  EXPECT_TRUE((*catalog)
                  ->RecordDecision(MakeDecision("almeria", "bari",
                                                DecisionKind::kDeclined))
                  .ok());
  MatchRules no_sides;
  no_sides.require_opposite_sides = false;
  EXPECT_TRUE((*catalog)
                  ->RecordDecision(MakeDecision("almeria", "bari",
                                                DecisionKind::kAccepted),
                                   no_sides)
                  .ok());
  EXPECT_EQ((*catalog)->Snapshot()->decisions().size(), 2u);
}

TEST_F(ProfileCatalogTest, DecisionsSurviveProfileWrites) {
  auto catalog = ProfileCatalog::OpenStore(path_);
  ASSERT_TRUE(catalog.ok());
  ASSERT_TRUE((*catalog)
                  ->RecordDecision(MakeDecision("bratislava", "cali",
                                                DecisionKind::kDeclined))
                  .ok());
  ASSERT_TRUE((*catalog)
                  ->Upsert({testing::MakeProfile("x", "ES", "Some text.")})
                  .ok());
  ASSERT_TRUE((*catalog)->Delete("x").ok());
  EXPECT_EQ((*catalog)->Snapshot()->decisions().size(), 1u);
}

// --- Incremental writes ------------------------------------------------------

// The bundled profiles as a from-scratch build sees them.
std::shared_ptr<const MatchIndex> Rebuilt(const MatchIndex& index) {
  std::vector<Profile> profiles;
  for (const IndexedProfile& p : index.profiles()) profiles.push_back(p.profile);
  return MatchIndex::Build(std::move(profiles), index.shared_extractor(),
                           Gazetteer::Bundled(), nullptr, index.decisions());
}

TEST_F(ProfileCatalogTest, FoldedInUpsertMatchesARebuildWhereItMust) {
  auto catalog = ProfileCatalog::OpenStore(path_);
  ASSERT_TRUE(catalog.ok()) << catalog.status();
  const auto before = (*catalog)->Snapshot();
  const size_t source = *before->Find("bratislava");
  // A copy of a loaded profile under a new id: the same document.
  Profile copy = before->at(source).profile;
  copy.id = "bratislava-copy";
  ASSERT_TRUE((*catalog)->Upsert({copy}).ok());
  const auto after = (*catalog)->Snapshot();
  ASSERT_EQ(after->size(), before->size() + 1);
  EXPECT_EQ(after->latent().changed_since_basis(), 1u);
  const size_t a = *after->Find("bratislava");
  const size_t b = *after->Find("bratislava-copy");
  // Unchanged rows are shared, not copied.
  EXPECT_EQ(after->shared_at(a), before->shared_at(source));
  // Folded in with the basis's statistics: the row of its twin (to the
  // rounding of the norm's sum).
  const auto& folded = after->latent().Row(b);
  const auto& twin = after->latent().Row(a);
  ASSERT_EQ(folded.size(), twin.size());
  for (size_t i = 0; i < twin.size(); ++i) {
    EXPECT_EQ(folded[i].first, twin[i].first);
    EXPECT_NEAR(folded[i].second, twin[i].second, 1e-6f);
  }
  EXPECT_LT((after->latent().embeddings().row(b) -
             after->latent().embeddings().row(a)).norm(), 1e-5f);
  EXPECT_EQ(after->interest().row(b), after->interest().row(a));

  // Against a from-scratch build of the same profiles: extraction and theme
  // vectors exactly; the latent similarity within the documented drift.
  const auto scratch = Rebuilt(*after);
  ASSERT_EQ(scratch->size(), after->size());
  double worst = 0, total = 0;
  for (size_t i = 0; i < after->size(); ++i) {
    EXPECT_EQ(scratch->at(i).profile.id, after->at(i).profile.id);
    EXPECT_EQ(scratch->interest().row(i), after->interest().row(i));
    EXPECT_EQ(scratch->offer().row(i), after->offer().row(i));
    EXPECT_EQ(scratch->seek().row(i), after->seek().row(i));
    for (size_t j = 0; j < after->size(); ++j) {
      const double drift = std::abs(scratch->latent().Similarity(i, j) -
                                    after->latent().Similarity(i, j));
      worst = std::max(worst, drift);
      total += drift;
    }
  }
  const double mean = total / static_cast<double>(after->size() * after->size());
  std::cout << "latent similarity drift after one fold-in into "
            << before->size() << " profiles: largest " << worst << ", mean "
            << mean << "\n";
  EXPECT_LT(worst, 0.35);
  EXPECT_LT(mean, 0.05);
}

TEST_F(ProfileCatalogTest, DriftTriggersABackgroundRebuildEqualToAFreshBuild) {
  auto catalog = ProfileCatalog::OpenStore(path_);
  ASSERT_TRUE(catalog.ok()) << catalog.status();
  const auto before = (*catalog)->Snapshot();
  // One at a time, past a tenth of the profiles.
  const size_t writes = before->size() / 10 + 1;
  for (size_t i = 0; i < writes; ++i) {
    Profile p = before->at(i).profile;
    p.id = absl::StrCat("copy", i);
    p.text += " It also works on sculpture parks.";
    ASSERT_TRUE((*catalog)->Upsert({p}).ok());
    // Readers see each write at once.
    EXPECT_TRUE((*catalog)->Snapshot()->Find(p.id).has_value());
    if (i == 0) {
      ASSERT_TRUE((*catalog)->Delete("copy0").ok());
    }
  }
  (*catalog)->WaitForRebuild();
  const auto after = (*catalog)->Snapshot();
  EXPECT_EQ(after->latent().changed_since_basis(), 0u);
  EXPECT_EQ(after->latent().basis_documents(), after->size());
  EXPECT_FALSE(after->Find("copy0").has_value());
  const auto scratch = Rebuilt(*after);
  ASSERT_EQ(scratch->size(), after->size());
  EXPECT_EQ(scratch->latent().terms(), after->latent().terms());
  EXPECT_EQ(scratch->latent().basis(), after->latent().basis());
  for (size_t i = 0; i < after->size(); ++i) {
    for (size_t j = 0; j < after->size(); ++j) {
      EXPECT_EQ(scratch->latent().Similarity(i, j),
                after->latent().Similarity(i, j));
    }
  }
}

// Refresh (what a server's StoreFollower calls) applies what another
// process wrote as one incremental write: unchanged profiles are shared with
// the previous snapshot, not derived again.
TEST_F(ProfileCatalogTest, RefreshAppliesAnotherConnectionsWritesIncrementally) {
  auto catalog = ProfileCatalog::OpenStore(path_);
  ASSERT_TRUE(catalog.ok()) << catalog.status();
  const auto before = (*catalog)->Snapshot();
  // Another connection to the file, as another process would open it.
  auto other = ProfileStore::Open(path_);
  ASSERT_TRUE(other.ok()) << other.status();
  ASSERT_TRUE((*other)
                  ->Upsert({MakeProfile("elsewhere", "PT",
                                        "Elsewhere seeks water efficiency.")})
                  .ok());
  ASSERT_TRUE((*other)->Delete("bratislava").ok());
  absl::StatusOr<int64_t> sequence = (*catalog)->Refresh();
  ASSERT_TRUE(sequence.ok()) << sequence.status();
  EXPECT_EQ(*sequence, *(*other)->ChangeSequence());
  const auto after = (*catalog)->Snapshot();
  EXPECT_TRUE(after->Find("elsewhere").has_value());
  EXPECT_FALSE(after->Find("bratislava").has_value());
  EXPECT_EQ(after->latent().changed_since_basis(), 2u);
  const size_t was = *before->Find("cali");
  EXPECT_EQ(after->shared_at(*after->Find("cali")), before->shared_at(was));
  // The catalog's own writes still work on top.
  auto counts = (*catalog)->Upsert(
      {MakeProfile("elsewhere", "PT", "Elsewhere offers port logistics.")});
  ASSERT_TRUE(counts.ok()) << counts.status();
  EXPECT_EQ(counts->updated, 1);
}

// --- The saved index ---------------------------------------------------------

TEST_F(ProfileCatalogTest, SavedIndexIsRestoredAndAStaleOrCorruptOneRebuilt) {
  std::shared_ptr<const MatchIndex> first;
  {
    auto catalog = ProfileCatalog::OpenStore(path_);
    ASSERT_TRUE(catalog.ok()) << catalog.status();
    first = (*catalog)->Snapshot();
  }
  const std::string index_path = DerivedIndexPath(path_);
  ASSERT_TRUE(SavedIndexIsValid());
  {
    // Restored: the same index, derived nothing anew.
    auto catalog = ProfileCatalog::OpenStore(path_);
    ASSERT_TRUE(catalog.ok()) << catalog.status();
    const auto restored = (*catalog)->Snapshot();
    ASSERT_EQ(restored->size(), first->size());
    EXPECT_EQ(restored->latent().terms(), first->latent().terms());
    EXPECT_EQ(restored->latent().basis(), first->latent().basis());
    EXPECT_EQ(restored->latent().embeddings(), first->latent().embeddings());
    EXPECT_EQ(restored->interest(), first->interest());
    EXPECT_EQ(restored->offer(), first->offer());
    for (size_t i = 0; i < first->size(); ++i) {
      EXPECT_EQ(restored->at(i).profile, first->at(i).profile);
      EXPECT_EQ(restored->latent().Row(i), first->latent().Row(i));
      EXPECT_EQ(restored->latent().SimilarityToAll(i),
                first->latent().SimilarityToAll(i));
    }
    // With the exposure model of that index, as the service computes it.
    const auto exposure = (*catalog)->SavedExposure();
    ASSERT_NE(exposure, nullptr);
    const ExposureModel fresh =
        ExposureModel::Compute(*restored, ReciprocalScorer(), {});
    EXPECT_EQ(exposure->counts(), fresh.counts());
    EXPECT_EQ(exposure->queries(), fresh.queries());
    EXPECT_EQ(exposure->scale(), fresh.scale());
    EXPECT_EQ(exposure->settings(), fresh.settings());
  }
  {
    // A profile changed by another process since: folded in on open.
    auto other = ProfileStore::Open(path_);
    ASSERT_TRUE(other.ok());
    Profile changed = first->at(*first->Find("bratislava")).profile;
    changed.text = "Bratislava seeks partners in water efficiency.";
    ASSERT_TRUE((*other)->Upsert({changed}).ok());
  }
  {
    auto catalog = ProfileCatalog::OpenStore(path_);
    ASSERT_TRUE(catalog.ok()) << catalog.status();
    const auto snapshot = (*catalog)->Snapshot();
    const IndexedProfile& entry = snapshot->at(*snapshot->Find("bratislava"));
    EXPECT_EQ(entry.profile.text,
              "Bratislava seeks partners in water efficiency.");
    const Extraction fresh =
        snapshot->extractor().Extract(entry.profile.text, entry.profile.name);
    ASSERT_EQ(entry.extraction.themes.size(), fresh.themes.size());
    // Its old row dropped, its new one folded in.
    EXPECT_EQ(snapshot->latent().changed_since_basis(), 2u);
  }
  {
    // Corrupt: said on stderr, rebuilt, saved again.
    std::string bytes;
    {
      std::ifstream in(index_path, std::ios::binary);
      bytes.assign(std::istreambuf_iterator<char>(in), {});
    }
    bytes[bytes.size() / 2] ^= 0x5a;
    std::ofstream(index_path, std::ios::binary | std::ios::trunc) << bytes;
    ::testing::internal::CaptureStderr();
    auto catalog = ProfileCatalog::OpenStore(path_);
    const std::string err = ::testing::internal::GetCapturedStderr();
    ASSERT_TRUE(catalog.ok()) << catalog.status();
    EXPECT_NE(err.find("checksum"), std::string::npos) << err;
    EXPECT_NE(err.find("rebuilding"), std::string::npos) << err;
    EXPECT_EQ((*catalog)->Snapshot()->size(), first->size());
    EXPECT_TRUE(SavedIndexIsValid());
  }
}

}  // namespace
}  // namespace pm
