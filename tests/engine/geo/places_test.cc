#include "engine/geo/places.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace pm {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr char kHeader[] = "name\tkind\tcountry\tpopulation\talternates\n";

PlaceGazetteer Small() {
  absl::StatusOr<PlaceGazetteer> parsed = PlaceGazetteer::ParseTsv(
      std::string(kHeader) +
          "Mendoza\tcity\tAR\t876884\t\n"
          "Mendoza\tregion\tAR\t1068596\tMendoza Province\n"
          "Krapina-Zagorje\tregion\tHR\t0\t\n"
          "Bacău County\tregion\tRO\t237501\tBacău\n"
          "Santiago de Cali\tcity\tCO\t2392877\tCali\n"
          "Barcelona\tcity\tVE\t506016\t\n"
          "Barcelona\tcity\tES\t1621537\tBarcelone\n"
          "Illinois\tregion\tUS\t8843121\t\n",
      "t.tsv");
  EXPECT_TRUE(parsed.ok()) << parsed.status();
  return parsed.ok() ? *std::move(parsed) : PlaceGazetteer();
}

std::vector<std::string> Countries(const std::vector<const Place*>& places) {
  std::vector<std::string> out;
  for (const Place* p : places) out.push_back(p->country);
  return out;
}

TEST(PlaceGazetteerTest, FindsByNameOrAlternateFoldedMostPopulousFirst) {
  const PlaceGazetteer g = Small();
  EXPECT_EQ(g.size(), 8u);
  EXPECT_EQ(Countries(g.Find("Barcelona")),
            (std::vector<std::string>{"ES", "VE"}));
  EXPECT_EQ(Countries(g.Find("Cali")), std::vector<std::string>{"CO"});
  // Case, accents and hyphens do not matter.
  ASSERT_EQ(g.Find("Krapina-zagorje").size(), 1u);
  EXPECT_EQ(g.Find("krapina zagorje").front()->kind, PlaceKind::kRegion);
  ASSERT_EQ(g.Find("Bacau").size(), 1u);
  EXPECT_EQ(g.Find("Bacau").front()->name, "Bacău County");
  // A name that is a city and a region gives both.
  const std::vector<const Place*> mendoza = g.Find("Mendoza");
  ASSERT_EQ(mendoza.size(), 2u);
  EXPECT_EQ(mendoza[0]->kind, PlaceKind::kRegion);
  EXPECT_EQ(mendoza[1]->kind, PlaceKind::kCity);
  EXPECT_THAT(g.Find("Atlantis"), IsEmpty());
}

TEST(PlaceGazetteerTest, MentionsAreCapitalisedLongestAndInOrder) {
  const PlaceGazetteer g = Small();
  const std::string text =
      "Aurora is the second-largest city in Illinois. The city of "
      "Santiago de Cali trades with mendoza and Barcelona.";
  const std::vector<PlaceMention> mentions = g.Mentioned(text);
  ASSERT_EQ(mentions.size(), 3u);
  EXPECT_EQ(text.substr(mentions[0].begin, mentions[0].end - mentions[0].begin),
            "Illinois");
  EXPECT_EQ(text.substr(mentions[1].begin, mentions[1].end - mentions[1].begin),
            "Santiago de Cali");
  EXPECT_EQ(Countries(mentions[2].places),
            (std::vector<std::string>{"ES", "VE"}));
}

TEST(PlaceGazetteerTest, MalformedRowsAreRefusedByLineAndField) {
  auto bad = [](const std::string& row) {
    absl::StatusOr<PlaceGazetteer> parsed =
        PlaceGazetteer::ParseTsv(std::string(kHeader) + row, "p.tsv");
    return parsed.ok() ? std::string("ok")
                       : std::string(parsed.status().message());
  };
  EXPECT_THAT(bad("X\ttown\tES\t1\t\n"), HasSubstr("p.tsv:2: field 'kind'"));
  EXPECT_THAT(bad("X\tcity\tes\t1\t\n"), HasSubstr("field 'country'"));
  EXPECT_THAT(bad("X\tcity\tES\t-4\t\n"), HasSubstr("field 'population'"));
  EXPECT_THAT(bad("X\tcity\tES\t1\n"), HasSubstr("5 tab-separated fields"));
  EXPECT_THAT(bad("\tcity\tES\t1\t\n"), HasSubstr("field 'name'"));
  EXPECT_THAT(bad(""), HasSubstr("no place"));
  absl::StatusOr<PlaceGazetteer> no_header =
      PlaceGazetteer::ParseTsv("X\tcity\tES\t1\t\n", "p.tsv");
  ASSERT_FALSE(no_header.ok());
  EXPECT_THAT(no_header.status().message(), HasSubstr("p.tsv:1: expected"));
}

TEST(PlaceGazetteerTest, TheBundledGazetteerKnowsTheProgrammesPlaces) {
  const PlaceGazetteer& g = PlaceGazetteer::Bundled();
  EXPECT_GT(g.size(), 10000u);
  EXPECT_EQ(Countries(g.Find("Christchurch")), std::vector<std::string>{"NZ"});
  EXPECT_EQ(Countries(g.Find("Krapina-Zagorje")),
            std::vector<std::string>{"HR"});
  EXPECT_EQ(Countries(g.Find("Lazio")), std::vector<std::string>{"IT"});
  EXPECT_EQ(g.Find("Colima").size(), 2u);  // the city and the state
}

}  // namespace
}  // namespace pm
