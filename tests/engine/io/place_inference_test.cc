#include "engine/io/place_inference.h"

#include <string>
#include <unordered_set>
#include <utility>

#include "engine/geo/gazetteer.h"
#include "engine/geo/places.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace pm {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

const Gazetteer& Countries() {
  static const Gazetteer* gazetteer = [] {
    absl::StatusOr<Gazetteer> parsed = Gazetteer::ParseTsv(
        "code\tname\tworld_region\teu_member\taliases\n"
        "AR\tArgentina\tLatin America and the Caribbean\tfalse\t\n"
        "ES\tSpain\tEurope\ttrue\tSpanish\n"
        "HR\tCroatia\tEurope\ttrue\t\n"
        "US\tUnited States\tNorth America\tfalse\t\n"
        "CA\tCanada\tNorth America\tfalse\t\n"
        "VE\tVenezuela\tLatin America and the Caribbean\tfalse\t\n"
        "IT\tItaly\tEurope\ttrue\t\n",
        "c.tsv");
    EXPECT_TRUE(parsed.ok()) << parsed.status();
    return new Gazetteer(*std::move(parsed));
  }();
  return *gazetteer;
}

const PlaceGazetteer& Places() {
  static const PlaceGazetteer* places = [] {
    absl::StatusOr<PlaceGazetteer> parsed = PlaceGazetteer::ParseTsv(
        "name\tkind\tcountry\tpopulation\talternates\n"
        "Mendoza\tcity\tAR\t876884\t\n"
        "Mendoza\tregion\tAR\t1068596\tMendoza Province\n"
        "Aurora\tcity\tUS\t359407\t\n"
        "Aurora\tcity\tCA\t55445\t\n"
        "Illinois\tregion\tUS\t8843121\t\n"
        "Barcelona\tcity\tES\t1621537\t\n"
        "Barcelona\tcity\tVE\t506016\t\n"
        "Krapina-Zagorje\tregion\tHR\t0\t\n"
        "Lazio\tregion\tIT\t3752500\t\n"
        "Rome\tcity\tIT\t2318895\tRoma\n"
        "Most\tcity\tUS\t66000\t\n"
        "Donostia\tcity\tES\t185357\tSan Sebastian\n",
        "p.tsv");
    EXPECT_TRUE(parsed.ok()) << parsed.status();
    return new PlaceGazetteer(*std::move(parsed));
  }();
  return *places;
}

PlaceInference Infer(std::vector<std::string> forms, std::string_view text,
                     std::string country = "",
                     const std::unordered_set<std::string>* common = nullptr) {
  return InferPlace(CardFacts{std::move(forms), text, std::move(country),
                              common},
                    Places(), Countries());
}

TEST(PlaceInferenceTest, TheNameAloneGivesTheCountryAndKind) {
  const PlaceInference r = Infer({"Krapina-zagorje County", "Krapina-zagorje"},
                                 "Krapina-zagorje County’s economy is IT.");
  EXPECT_EQ(r.country, "HR");
  EXPECT_EQ(r.country_note,
            "country HR inferred from 'Krapina-zagorje' (region of HR in the "
            "place gazetteer)");
  EXPECT_EQ(r.kind, PlaceKind::kRegion);
  EXPECT_EQ(r.misspelt, "Krapina-zagorje");
  EXPECT_EQ(r.spelling, "Krapina-Zagorje");
}

TEST(PlaceInferenceTest, OtherPlacesOfTheTextDecideBetweenNamesakes) {
  const PlaceInference r =
      Infer({"Aurora"}, "Aurora is the second-largest city in Illinois.");
  EXPECT_EQ(r.country, "US");
  EXPECT_THAT(r.country_note, HasSubstr("lie in CA, US) and 'Illinois'"));
}

TEST(PlaceInferenceTest, OtherwiseTheMostPopulousNamesakeWithACheck) {
  const PlaceInference r = Infer({"Barcelona"}, "Barcelona is green.");
  EXPECT_EQ(r.country, "ES");
  EXPECT_THAT(r.country_note, HasSubstr("the most populous"));
  EXPECT_THAT(r.country_note, HasSubstr("(in ES, VE): check it"));
}

TEST(PlaceInferenceTest, AnUnknownNameTakesTheCountryOfThePlacesItNames) {
  const PlaceInference r =
      Infer({"Anci Lazio"}, "Anci Lazio unites Lazio and Rome.");
  EXPECT_EQ(r.country, "IT");
  EXPECT_EQ(r.country_note,
            "country IT inferred from 'Lazio', 'Rome' (places of IT that the "
            "text names)");
  EXPECT_FALSE(r.kind.has_value());
  // No leading country: none inferred, and the note says why.
  const PlaceInference tie =
      Infer({"Xanadu"}, "Xanadu trades with Rome and Illinois.");
  EXPECT_THAT(tie.country, IsEmpty());
  EXPECT_THAT(tie.country_note, HasSubstr("no one leading country"));
}

TEST(PlaceInferenceTest, CountriesAndCommonWordsAreNoPlaceMentions) {
  const std::unordered_set<std::string> common = {"most"};
  const PlaceInference r =
      Infer({"Xanadu"}, "Most of Xanadu lies in Spain.", "", &common);
  EXPECT_THAT(r.country, IsEmpty());
}

TEST(PlaceInferenceTest, ACityAndARegionOfOneNameAreDecidedByTheText) {
  const PlaceInference region =
      Infer({"Mendoza"}, "Mendoza seeks Regional Innovation Strategies.");
  EXPECT_EQ(region.kind, PlaceKind::kRegion);
  EXPECT_THAT(region.kind_note,
              HasSubstr("'Mendoza' is both a city and a region of AR"));
  const PlaceInference city =
      Infer({"Mendoza"}, "The city of Mendoza has wine.", "AR");
  EXPECT_EQ(city.kind, PlaceKind::kCity);
  EXPECT_THAT(city.country, IsEmpty());  // given, not inferred
  const PlaceInference unsure = Infer({"Mendoza"}, "Mendoza has wine.");
  EXPECT_FALSE(unsure.kind.has_value());
  EXPECT_THAT(unsure.kind_note, HasSubstr("the text does not say which"));
}

TEST(PlaceInferenceTest, AHyphenatedNameIsFoundByItsParts) {
  const PlaceInference r =
      Infer({"Donostia-San Sebastian"}, "Donostia-San Sebastian is green.");
  EXPECT_EQ(r.country, "ES");
  EXPECT_THAT(r.country_note, HasSubstr("from 'Donostia'"));
  EXPECT_EQ(r.kind, PlaceKind::kCity);
}

}  // namespace
}  // namespace pm
