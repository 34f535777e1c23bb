#include "engine/planning/cohort.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "tests/engine/matching/test_index.h"
#include "tests/engine/planning/plan_oracle.h"

namespace pm {
namespace {

using testing::MakeProfile;

class CohortTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    index_ = new std::shared_ptr<const MatchIndex>(
        MatchIndex::Build(testing::BundledProfiles(),
                          testing::BundledExtractor(), Gazetteer::Bundled()));
  }
  static const MatchIndex& index() { return **index_; }

  static std::vector<std::string> Ids(const std::vector<size_t>& rows) {
    std::vector<std::string> ids;
    for (size_t r : rows) ids.push_back(index().at(r).profile.id);
    return ids;
  }

  // The rows meeting `keep`, ascending: the obvious oracle.
  template <typename Pred>
  static std::vector<size_t> Filter(Pred keep) {
    std::vector<size_t> rows;
    for (size_t r = 0; r < index().size(); ++r) {
      if (keep(index().at(r))) rows.push_back(r);
    }
    return rows;
  }

  static std::shared_ptr<const MatchIndex>* index_;
};
std::shared_ptr<const MatchIndex>* CohortTest::index_ = nullptr;

TEST_F(CohortTest, EmptySelectorSelectsEveryProfile) {
  auto rows = SelectCohort(index(), {});
  ASSERT_TRUE(rows.ok()) << rows.status();
  EXPECT_EQ(rows->size(), index().size());
  EXPECT_TRUE(std::is_sorted(rows->begin(), rows->end()));
}

TEST_F(CohortTest, IdsSelectThoseProfilesInIdOrder) {
  CohortSelector s;
  s.ids = {"lugo-not-loaded-yet", "cali"};
  auto missing = SelectCohort(index(), s);
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(missing.status().message(),
            "ids[0]: no profile with id 'lugo-not-loaded-yet'");

  s.ids = {"cali", "almeria", "cali", "bratislava"};  // repeats count once
  auto rows = SelectCohort(index(), s);
  ASSERT_TRUE(rows.ok()) << rows.status();
  EXPECT_EQ(Ids(*rows),
            (std::vector<std::string>{"almeria", "bratislava", "cali"}));

  s.ids = {"cali", ""};
  EXPECT_EQ(SelectCohort(index(), s).status().message(), "ids[1]: empty id");
  EXPECT_EQ(SelectCohort(index(), s).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(CohortTest, KindCityIncludesAssociations) {
  CohortSelector s;
  s.kind = "City";
  auto cities = SelectCohort(index(), s);
  ASSERT_TRUE(cities.ok());
  EXPECT_EQ(*cities, Filter([](const IndexedProfile& p) {
    return IsCityLike(p.profile.kind);
  }));
  const std::vector<std::string> ids = Ids(*cities);
  EXPECT_NE(std::find(ids.begin(), ids.end(), "anci-lazio"), ids.end());

  s.kind = "region";
  auto regions = SelectCohort(index(), s);
  ASSERT_TRUE(regions.ok());
  EXPECT_EQ(*regions, Filter([](const IndexedProfile& p) {
    return p.profile.kind == PlaceKind::kRegion;
  }));
  EXPECT_EQ(cities->size() + regions->size(), index().size());

  s.kind = "town";
  const absl::Status bad = SelectCohort(index(), s).status();
  EXPECT_EQ(bad.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.message(), "kind must be 'city' or 'region', got 'town'");
}

TEST_F(CohortTest, WorldRegionSelectsItsPartnersWithEveryEuMember) {
  CohortSelector s;
  s.world_region = "latin america and the caribbean";  // any case
  auto rows = SelectCohort(index(), s);
  ASSERT_TRUE(rows.ok()) << rows.status();
  EXPECT_EQ(*rows, Filter([](const IndexedProfile& p) {
    return p.eu_member || p.world_region == "Latin America and the Caribbean";
  }));
  const std::vector<std::string> ids = Ids(*rows);
  auto has = [&](const std::string& id) {
    return std::find(ids.begin(), ids.end(), id) != ids.end();
  };
  EXPECT_TRUE(has("cali"));        // CO
  EXPECT_TRUE(has("bratislava"));  // EU
  EXPECT_FALSE(has("busan"));      // KR
  EXPECT_FALSE(has("boston"));     // US

  s.world_region = "Atlantis";
  const absl::Status bad = SelectCohort(index(), s).status();
  EXPECT_EQ(bad.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.message(),
            "world_region: unknown world region 'Atlantis' (known: Africa, "
            "Antarctica, Asia, Europe, Latin America and the Caribbean, North "
            "America, Oceania)");
}

TEST_F(CohortTest, CriteriaCombine) {
  CohortSelector s;
  s.kind = "region";
  s.world_region = "Latin America and the Caribbean";
  s.ids = {"atlantico", "castilla-y-leon", "cali", "busan"};
  auto rows = SelectCohort(index(), s);
  ASSERT_TRUE(rows.ok());
  // cali is a city, busan a city in Asia.
  EXPECT_EQ(Ids(*rows),
            (std::vector<std::string>{"atlantico", "castilla-y-leon"}));
}

TEST(CohortRegionTest, ARegionGivenByAProfileIsKnown) {
  Profile p = MakeProfile("x", "CO", "It has experience in water efficiency.");
  p.world_region = "Andes";
  auto index =
      MatchIndex::Build({p, MakeProfile("y", "ES", "Water.")},
                        testing::SmallExtractor(), Gazetteer::Bundled());
  CohortSelector s;
  s.world_region = "andes";
  auto rows = SelectCohort(*index, s);
  ASSERT_TRUE(rows.ok()) << rows.status();
  EXPECT_EQ(rows->size(), 2u);  // x, and the EU member y
  s.world_region = "Latin America and the Caribbean";
  rows = SelectCohort(*index, s);
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(*rows, std::vector<size_t>{*index->Find("y")});
}

}  // namespace
}  // namespace pm
