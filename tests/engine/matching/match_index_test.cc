#include "engine/matching/match_index.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "tests/engine/matching/test_index.h"

namespace pm {
namespace {

using testing::MakeProfile;
using testing::SmallExtractor;

TEST(MatchIndexTest, KeepsProfilesInIdOrderAndFindsThem) {
  auto index = MatchIndex::Build(
      {MakeProfile("b", "ES", "B has experience in water efficiency."),
       MakeProfile("a", "CO", "A is interested in water efficiency.")},
      SmallExtractor(), Gazetteer::Bundled());
  ASSERT_EQ(index->size(), 2u);
  EXPECT_EQ(index->at(0).profile.id, "a");
  EXPECT_EQ(index->at(1).profile.id, "b");
  EXPECT_EQ(index->Find("b"), 1u);
  EXPECT_FALSE(index->Find("c").has_value());
}

TEST(MatchIndexTest, RowSuggestsTheNearestIdOrName) {
  Profile lugo = MakeProfile("lugo", "ES", "Lugo has experience in water.");
  lugo.name = "Lugo";
  Profile dalat = MakeProfile("da-lat", "VN", "Da Lat seeks water efficiency.");
  dalat.name = "Da Lat";
  auto index = MatchIndex::Build({lugo, dalat}, SmallExtractor(),
                                 Gazetteer::Bundled());
  EXPECT_EQ(index->Row("lugo").value(), 1u);
  // A typo in the id, and a name typed instead of the id.
  EXPECT_EQ(index->Row("lgo").status().message(),
            "no profile with id 'lgo'; did you mean 'lugo'?");
  EXPECT_EQ(index->Row("Da Lat").status().message(),
            "no profile with id 'Da Lat'; did you mean 'da-lat'?");
  const absl::Status far = index->Row("tokyo").status();
  EXPECT_EQ(far.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(far.message(), "no profile with id 'tokyo'");
  // Long client input is quoted by a short prefix only, and its length.
  const std::string long_id(300, 'x');
  EXPECT_EQ(index->Row(long_id).status().message(),
            "no profile with id '" + std::string(64, 'x') + "…' (300 bytes)");
}

TEST(MatchIndexTest, DerivesSideAndWorldRegionFromCountry) {
  Profile given = MakeProfile("x", "CO", "X is interested in mobility.");
  given.eu_member = true;
  given.world_region = "Somewhere";
  auto index = MatchIndex::Build(
      {MakeProfile("es", "ES", "ES is interested in mobility."),
       MakeProfile("co", "CO", "CO is interested in mobility."), given},
      SmallExtractor(), Gazetteer::Bundled());
  EXPECT_TRUE(index->at(*index->Find("es")).eu_member);
  EXPECT_EQ(index->at(*index->Find("es")).world_region, "Europe");
  EXPECT_FALSE(index->at(*index->Find("co")).eu_member);
  EXPECT_TRUE(index->at(*index->Find("x")).eu_member);
  EXPECT_EQ(index->at(*index->Find("x")).world_region, "Somewhere");
}

TEST(MatchIndexTest, SplitsRolesIntoOfferAndSeekRowsNormalised) {
  auto index = MatchIndex::Build(
      {MakeProfile("a", "ES",
                   "A has experience in water efficiency. A is interested in "
                   "circular economy.")},
      SmallExtractor(), Gazetteer::Bundled());
  const int water = index->taxonomy().IndexOf("water");
  const int circular = index->taxonomy().IndexOf("circular_economy");
  EXPECT_FLOAT_EQ(index->offer()(0, water), 1.0f);
  EXPECT_FLOAT_EQ(index->offer()(0, circular), 0.0f);
  EXPECT_FLOAT_EQ(index->seek()(0, circular), 1.0f);
  EXPECT_NEAR(index->interest().row(0).norm(), 1.0f, 1e-6);
}

TEST(MatchIndexTest, ReusesExtractionOfUnchangedProfiles) {
  auto extractor = SmallExtractor();
  auto first = MatchIndex::Build(
      {MakeProfile("a", "ES", "A has experience in water efficiency.")},
      extractor, Gazetteer::Bundled());
  auto second = MatchIndex::Build(
      {MakeProfile("a", "ES", "A has experience in water efficiency."),
       MakeProfile("b", "CO", "B is interested in mobility.")},
      extractor, Gazetteer::Bundled(), first.get());
  ASSERT_EQ(second->size(), 2u);
  EXPECT_EQ(second->at(0).extraction.themes.size(), 1u);
  EXPECT_EQ(second->at(1).extraction.themes.size(), 1u);
}

TEST(MatchIndexTest, BuildsLatentTextRowsInIdOrderWithoutOwnNames) {
  Profile lugo = MakeProfile("lugo", "ES",
                             "Lugo in Spain builds sculpture parks with Toyama.");
  lugo.name = "Lugo";
  Profile toyama = MakeProfile(
      "toyama", "JP", "Toyama in Japan builds sculpture parks with Lugo.");
  toyama.name = "Toyama";
  auto index = MatchIndex::Build(
      {toyama, lugo, MakeProfile("cali", "CO", "Cali has parks.")},
      SmallExtractor(), Gazetteer::Bundled());
  ASSERT_EQ(index->latent().size(), 3u);
  const size_t l = *index->Find("lugo");
  const size_t t = *index->Find("toyama");
  // The two share "sculpture parks" and "builds"; their own names, in one
  // document each after each drops its own, are not terms at all.
  EXPECT_GT(index->latent().Similarity(l, t), 0.5);
  for (const std::string& term : index->latent().terms()) {
    EXPECT_EQ(term.find("lugo"), std::string::npos);
    EXPECT_EQ(term.find("toyama"), std::string::npos);
  }
  const std::vector<std::string_view> names = index->OwnNames(l);
  ASSERT_FALSE(names.empty());
  EXPECT_EQ(names[0], "Lugo");
  EXPECT_NE(std::find(names.begin(), names.end(), "Spain"), names.end());
}

}  // namespace
}  // namespace pm
