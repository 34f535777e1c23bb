#include "engine/io/import_merge.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace pm {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

Profile Place(std::string id, std::string name, PlaceKind kind,
              std::string country, std::string text) {
  Profile p;
  p.id = std::move(id);
  p.name = std::move(name);
  p.kind = kind;
  p.country = std::move(country);
  p.text = std::move(text);
  return p;
}

const std::vector<Profile>& Stored() {
  static const std::vector<Profile> stored = {
      Place("busan", "Busan", PlaceKind::kCity, "KR", "Busan is a port."),
      Place("colima", "Colima", PlaceKind::kRegion, "MX", "Colima has ports."),
  };
  return stored;
}

TEST(ImportMergeTest, AnUnchangedPageChangesNothing) {
  IncomingProfile busan{Place("busan", "Busan Metropolitan City",
                              PlaceKind::kCity, "KR", "Busan is a port."),
                        /*from_page=*/true};
  const ImportPlan plan = PlanImport(Stored(), {busan});
  EXPECT_THAT(plan.writes, IsEmpty());
  ASSERT_EQ(plan.steps.size(), 1u);
  EXPECT_EQ(plan.steps[0].action, MergeAction::kKeep);
  EXPECT_THAT(plan.steps[0].notes,
              ElementsAre("kept the store's name 'Busan' (the page writes "
                          "'Busan Metropolitan City')"));
  EXPECT_EQ(plan.kept, 1);
}

TEST(ImportMergeTest, AnInferredKindNeverReplacesAStoredOne) {
  IncomingProfile colima{Place("colima", "Colima", PlaceKind::kCity, "MX",
                               "Colima has two ports."),
                         /*from_page=*/true, /*country_inferred=*/false,
                         /*kind_inferred=*/true};
  const ImportPlan plan = PlanImport(Stored(), {colima});
  ASSERT_EQ(plan.writes.size(), 1u);
  EXPECT_EQ(plan.writes[0].kind, PlaceKind::kRegion);
  EXPECT_EQ(plan.writes[0].text, "Colima has two ports.");
  EXPECT_EQ(plan.steps[0].action, MergeAction::kChange);
  EXPECT_THAT(plan.steps[0].notes,
              ElementsAre("text", "kept the store's kind region (the page's "
                                  "city was inferred)"));
  // A stated kind does replace it.
  colima.kind_inferred = false;
  EXPECT_EQ(PlanImport(Stored(), {colima}).writes[0].kind, PlaceKind::kCity);
}

TEST(ImportMergeTest, ByNameAndCountryUnderTheStoredIdAndPartnersAdded) {
  IncomingProfile page{Place("pusan", "BUSAN", PlaceKind::kCity, "KR",
                             "Busan is a port."),
                       /*from_page=*/true};
  page.profile.known_partners = {"toyama"};
  const ImportPlan plan = PlanImport(Stored(), {page});
  ASSERT_EQ(plan.writes.size(), 1u);
  EXPECT_EQ(plan.writes[0].id, "busan");
  EXPECT_THAT(plan.writes[0].known_partners, ElementsAre("toyama"));
  EXPECT_EQ(plan.changed, 1);
  EXPECT_EQ(plan.steps[0].notes.front(),
            "matched 'Busan' (KR) by name and country: its id 'busan' kept, "
            "not 'pusan'");
}

TEST(ImportMergeTest, AProfileFileReplacesTheFieldsAndNewPlacesAreAdded) {
  IncomingProfile file{Place("busan", "Busan", PlaceKind::kRegion, "KR",
                             "Busan is a metropolitan city.")};
  IncomingProfile lugo{Place("lugo", "Lugo", PlaceKind::kCity, "ES", "Lugo.")};
  IncomingProfile again = lugo;  // twice in one import: one place
  again.profile.text = "Lugo again.";
  const ImportPlan plan = PlanImport(Stored(), {file, lugo, again});
  ASSERT_EQ(plan.writes.size(), 2u);
  EXPECT_EQ(plan.writes[0].kind, PlaceKind::kRegion);
  EXPECT_EQ(plan.writes[1].text, "Lugo again.");
  EXPECT_EQ(plan.added, 1);
  EXPECT_EQ(plan.changed, 2);
  EXPECT_THAT(plan.steps[0].notes, ElementsAre("text", "kind city -> region"));
}

}  // namespace
}  // namespace pm
