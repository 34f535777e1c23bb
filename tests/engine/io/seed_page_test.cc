#include "engine/io/seed_page.h"

#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/geo/gazetteer.h"
#include "engine/io/profile_format.h"
#include "engine/model/profile.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace pm {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::StartsWith;

// A small gazetteer, so that the synthetic pages depend on no bundled data.
const Gazetteer& TestGazetteer() {
  static const Gazetteer* gazetteer = [] {
    absl::StatusOr<Gazetteer> parsed = Gazetteer::ParseTsv(
        "code\tname\tworld_region\teu_member\taliases\n"
        "ES\tSpain\tEurope\ttrue\tSpanish\n"
        "IT\tItaly\tEurope\ttrue\tItalian\n"
        "JP\tJapan\tAsia\tfalse\tJapanese\n"
        "MX\tMexico\tLatin America and the Caribbean\tfalse\tMexican\n",
        "test.tsv");
    EXPECT_TRUE(parsed.ok()) << parsed.status();
    return new Gazetteer(*std::move(parsed));
  }();
  return *gazetteer;
}

SeedPageImport ParseOk(const std::string& page) {
  absl::StatusOr<SeedPageImport> parsed =
      ParseSeedPage(page, "page.txt", TestGazetteer());
  EXPECT_TRUE(parsed.ok()) << parsed.status();
  return parsed.ok() ? *std::move(parsed) : SeedPageImport{};
}

std::vector<std::string> Ids(const SeedPageImport& import) {
  std::vector<std::string> ids;
  for (const Profile& profile : import.profiles) ids.push_back(profile.id);
  return ids;
}

const Profile* FindProfile(const SeedPageImport& import,
                           const std::string& id) {
  for (const Profile& profile : import.profiles) {
    if (profile.id == id) return &profile;
  }
  return nullptr;
}

// ---------------------------------------------------------------------------
// SlugId

TEST(SeedPageSlugIdTest, FoldsAndJoinsWordsWithDashes) {
  EXPECT_EQ(SlugId("Almería"), "almeria");
  EXPECT_EQ(SlugId("Castilla y León"), "castilla-y-leon");
  EXPECT_EQ(SlugId("Donostia-San Sebastian"), "donostia-san-sebastian");
  EXPECT_EQ(SlugId("  Krapina-zagorje County "), "krapina-zagorje-county");
  EXPECT_EQ(SlugId("Trás-os-Montes"), "tras-os-montes");
  EXPECT_EQ(SlugId("--"), "");
}

// ---------------------------------------------------------------------------
// Synthetic pages, one rule each.

TEST(SeedPageTest, DropsACreditLineBetweenCards) {
  const SeedPageImport import = ParseOk(
      "Lugo is a city in Spain.\n\n"
      "By Jane Doe - Own work, CC BY-SA 4.0\n\n"
      "Toyama is a city in Japan.\n");
  ASSERT_THAT(Ids(import), ElementsAre("lugo", "toyama"));
  EXPECT_EQ(import.profiles[0].text, "Lugo is a city in Spain.");
  EXPECT_EQ(import.profiles[1].text, "Toyama is a city in Japan.");
  EXPECT_THAT(import.warnings, IsEmpty());
}

TEST(SeedPageTest, DropsCreditsInOtherLanguagesAndLicenceLines) {
  const SeedPageImport import = ParseOk(
      "Lugo is a city in Spain.\n\n"
      "De Juan Pérez - Trabajo propio, CC BY-SA 4.0\n\n"
      "Bari is a city in Italy.\n\n"
      "By Sandor Bordas, CC BY-SA 3.0\n\n"
      "Toyama is a city in Japan.\n");
  ASSERT_THAT(Ids(import), ElementsAre("lugo", "bari", "toyama"));
  EXPECT_EQ(import.profiles[1].text, "Bari is a city in Italy.");
  EXPECT_THAT(import.warnings, IsEmpty());
}

TEST(SeedPageTest, HeadingEndsACardAndIsDropped) {
  const SeedPageImport import = ParseOk(
      "Lugo is a city in Spain.\n\n"
      "Urban Mobility & Transport\n\n"
      "The city seeks partners in Japan.\n\n"
      "Load more\n\n"
      "Toyama is a city in Japan.\n");
  ASSERT_THAT(Ids(import), ElementsAre("lugo", "toyama"));
  EXPECT_EQ(import.profiles[0].text, "Lugo is a city in Spain.");
  // After clutter a new card starts; this one names no place.
  ASSERT_EQ(import.warnings.size(), 1u);
  EXPECT_THAT(import.warnings[0], StartsWith("page.txt:5: card skipped"));
  EXPECT_THAT(import.warnings[0], HasSubstr("names no place"));
  EXPECT_THAT(import.warnings[0], HasSubstr("JSON Lines"));
  for (const Profile& profile : import.profiles) {
    EXPECT_THAT(profile.text, Not(HasSubstr("Mobility")));
    EXPECT_THAT(profile.text, Not(HasSubstr("Load more")));
  }
}

TEST(SeedPageTest, HeadingsWithoutBlankLinesAreDroppedButShortSentencesKept) {
  const SeedPageImport import = ParseOk(
      "Thematic Clusters\n"
      "Mobility & Transport\n"
      "Lugo is a city in Spain\n\n"
      "Cross-cutting challenges\n\n"
      "Toyama is a city in Japan.\n");
  ASSERT_THAT(Ids(import), ElementsAre("lugo", "toyama"));
  EXPECT_EQ(import.profiles[0].text, "Lugo is a city in Spain");
  EXPECT_THAT(import.warnings, IsEmpty());
}

TEST(SeedPageTest, SplitsTwoCardsWithoutSeparator) {
  const SeedPageImport import = ParseOk(
      "Lugo is a city in Spain.\n\n"
      "Lugo seeks partners on water.\n\n"
      "Overlooking the bay, Toyama is a port city in Japan.\n\n"
      "It has a long coast.\n\n"
      "Established in 1893, Colima is the largest State in Mexico.\n");
  ASSERT_THAT(Ids(import), ElementsAre("lugo", "toyama", "colima"));
  EXPECT_EQ(import.profiles[0].text,
            "Lugo is a city in Spain.\n\nLugo seeks partners on water.");
  EXPECT_EQ(import.profiles[1].text,
            "Overlooking the bay, Toyama is a port city in Japan.\n\n"
            "It has a long coast.");
  EXPECT_EQ(import.profiles[2].kind, PlaceKind::kRegion);
  EXPECT_THAT(import.warnings, IsEmpty());
}

TEST(SeedPageTest, AnIndefiniteOpeningStartsANamelessCard) {
  const SeedPageImport import = ParseOk(
      "Lugo is a city in Spain.\n\n"
      "A coastal city on the Bay of Biscay in Spain.\n\n"
      "Increasing urban resilience would be an area of common interest for "
      "Lugo, Toyama, and Colima, covering energy.\n");
  ASSERT_THAT(Ids(import), ElementsAre("lugo"));
  EXPECT_EQ(import.profiles[0].text, "Lugo is a city in Spain.");
  ASSERT_EQ(import.warnings.size(), 1u);
  EXPECT_THAT(import.warnings[0], StartsWith("page.txt:3: card skipped"));
  EXPECT_THAT(import.warnings[0], HasSubstr("3 places (Lugo, Toyama, Colima)"));
  EXPECT_THAT(import.warnings[0], HasSubstr("JSON Lines"));
}

TEST(SeedPageTest, NamesANamelessCardFromALaterSubjectWithAWarning) {
  const SeedPageImport import = ParseOk(
      "The region is home to the largest port in Mexico.\n\n"
      "Colima seeks to improve its innovation capacities.\n");
  ASSERT_THAT(Ids(import), ElementsAre("colima"));
  EXPECT_EQ(import.profiles[0].name, "Colima");
  EXPECT_EQ(import.profiles[0].kind, PlaceKind::kRegion);
  EXPECT_EQ(import.profiles[0].country, "MX");
  EXPECT_EQ(import.profiles[0].text,
            "The region is home to the largest port in Mexico.\n\n"
            "Colima seeks to improve its innovation capacities.");
  ASSERT_EQ(import.warnings.size(), 1u);
  EXPECT_THAT(import.warnings[0], StartsWith("page.txt:1: "));
  EXPECT_THAT(import.warnings[0], HasSubstr("names no place"));
  EXPECT_THAT(import.warnings[0],
              HasSubstr("'Colima' from the subject of line 3"));
}

TEST(SeedPageTest, SkipsACardWhoseTextNamesNoCountry) {
  const SeedPageImport import = ParseOk(
      "Lugo is a city in Spain.\n\n"
      "Discover what we did in IUC\n\n"
      "Bari is a port city on the Adriatic.\n");
  ASSERT_THAT(Ids(import), ElementsAre("lugo"));
  ASSERT_EQ(import.warnings.size(), 1u);
  EXPECT_EQ(import.warnings[0],
            "page.txt:5: card 'Bari' skipped: its text mentions no country; "
            "add it as JSON Lines with its 'country' code");
  // The card comes back as a draft lacking only its country.
  ASSERT_EQ(import.drafts.size(), 1u);
  EXPECT_EQ(import.drafts[0].id, "bari");
  EXPECT_EQ(import.drafts[0].name, "Bari");
  EXPECT_EQ(import.drafts[0].text, "Bari is a port city on the Adriatic.");
  EXPECT_EQ(import.drafts[0].country, "");
}

TEST(SeedPageTest, TakesTheFirstCountryMentioned) {
  const SeedPageImport import = ParseOk(
      "Eixo Atlántico is a cross-border association of municipalities from "
      "Galicia (Spain) and Italy.\n");
  ASSERT_EQ(import.profiles.size(), 1u);
  EXPECT_EQ(import.profiles[0].country, "ES");
}

TEST(SeedPageTest, AssumesCityWithAWarningWhereTheKindIsNotStated) {
  const SeedPageImport import = ParseOk(
      "Colleferro and Latina are located in the south of Lazio in Italy.\n");
  ASSERT_EQ(import.profiles.size(), 1u);
  EXPECT_EQ(import.profiles[0].name, "Colleferro and Latina");
  EXPECT_EQ(import.profiles[0].id, "colleferro-and-latina");
  EXPECT_EQ(import.profiles[0].kind, PlaceKind::kCity);
  ASSERT_EQ(import.warnings.size(), 1u);
  EXPECT_EQ(import.warnings[0],
            "page.txt:1: 'Colleferro and Latina': the text does not say "
            "whether it is a city, a region or an association; assumed city");
}

TEST(SeedPageTest, RecognisesNameFormsAndKinds) {
  const SeedPageImport import = ParseOk(
      "The City of Aurora is the second-largest city in Mexico.\n\n"
      "Krapina-zagorje County’s economic activities are trade and tourism "
      "in Italy.\n\n"
      "Castilla y León is Spain’s largest region.\n\n"
      "Anci Lazio is the Association of municipalities of Lazio in Italy.\n\n"
      "The Barcelona Metropolitan Area encompasses 36 municipalities in "
      "Spain.\n\n"
      "Busan Metropolitan City is a port in Japan.\n\n"
      "La Libertad is the third most populous region in Mexico.\n\n"
      "Bratislava is the capital and largest city of Italy.\n\n"
      "Ancona is one of the most important ports in Italy.\n");
  ASSERT_THAT(Ids(import),
              ElementsAre("aurora", "krapina-zagorje-county", "castilla-y-leon",
                          "anci-lazio", "barcelona-metropolitan-area",
                          "busan-metropolitan-city", "la-libertad",
                          "bratislava", "ancona"));
  EXPECT_EQ(import.profiles[0].name, "Aurora");
  EXPECT_EQ(import.profiles[1].name, "Krapina-zagorje County");
  EXPECT_EQ(import.profiles[2].name, "Castilla y León");
  EXPECT_EQ(import.profiles[4].name, "Barcelona Metropolitan Area");
  const PlaceKind city = PlaceKind::kCity;
  const PlaceKind region = PlaceKind::kRegion;
  const std::vector<PlaceKind> expected = {
      city,   region, region, PlaceKind::kAssociation, city, city,
      region, city,   city};
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(import.profiles[i].kind, expected[i]) << import.profiles[i].id;
  }
  EXPECT_THAT(import.warnings, IsEmpty());
}

TEST(SeedPageTest, RecordsContinuedCooperation) {
  const SeedPageImport import = ParseOk(
      "Bratislava is the capital of Italy.\n\n"
      "Bratislava will continue to cooperate with Tokorozawa and Lugo to "
      "integrate urban ecology.\n");
  ASSERT_EQ(import.profiles.size(), 1u);
  EXPECT_THAT(import.profiles[0].known_partners,
              ElementsAre("tokorozawa", "lugo"));
}

TEST(SeedPageTest, RecordsTheOthersOfASharedInterestIncludingThePlace) {
  const SeedPageImport import = ParseOk(
      "Lugo is a city in Spain.\n\n"
      "Increasing urban resilience would be an area of common interest for "
      "Donostia-San Sebastian, Lugo, and Toyama, encompassing energy.\n\n"
      "Discover what we did in IUC\n\n"
      "Toyama is a city in Japan. Tourism is of common interest for Bari "
      "and Lugo.\n");
  ASSERT_THAT(Ids(import), ElementsAre("lugo", "toyama"));
  EXPECT_THAT(import.profiles[0].known_partners,
              ElementsAre("donostia-san-sebastian", "toyama"));
  // Toyama is not among the places sharing the interest.
  EXPECT_THAT(import.profiles[1].known_partners, IsEmpty());
}

TEST(SeedPageTest, ACapitalisedCommonNounIsNoPlace) {
  // "tourism" is written in lower case on the page: "Tourism is …" opens a
  // sentence about tourism, not a card about a place called Tourism.
  const SeedPageImport import = ParseOk(
      "Lugo is a city in Spain known for tourism.\n\n"
      "Tourism is growing in Lugo.\n");
  ASSERT_THAT(Ids(import), ElementsAre("lugo"));
  EXPECT_EQ(import.profiles[0].text,
            "Lugo is a city in Spain known for tourism.\n\n"
            "Tourism is growing in Lugo.");
  EXPECT_THAT(import.warnings, IsEmpty());
}

TEST(SeedPageTest, AParagraphNotTiedToTheCardIsNotGuessedIntoIt) {
  // Neither naming Lugo nor referring back ("It", "The city"): the paragraph
  // is a card of its own, which names no place.
  const SeedPageImport import = ParseOk(
      "Lugo is a city in Spain.\n\n"
      "Key projects include a river plan in Spain.\n");
  ASSERT_THAT(Ids(import), ElementsAre("lugo"));
  EXPECT_EQ(import.profiles[0].text, "Lugo is a city in Spain.");
  ASSERT_EQ(import.warnings.size(), 1u);
  EXPECT_THAT(import.warnings[0], StartsWith("page.txt:3: card skipped"));
}

TEST(SeedPageTest, TreatsNoBreakSpacesAsSpaces) {
  const SeedPageImport import = ParseOk(
      "La\u00a0Libertad\u00a0is the third most populous region in "
      "Mexico.\u00a0The\u00a0region is dry.\u00a0\n\n"
      "La\u00a0Libertad seeks partners.\n");
  ASSERT_EQ(import.profiles.size(), 1u);
  EXPECT_EQ(import.profiles[0].name, "La Libertad");
  EXPECT_EQ(import.profiles[0].kind, PlaceKind::kRegion);
  EXPECT_EQ(import.profiles[0].text,
            "La\u00a0Libertad\u00a0is the third most populous region in "
            "Mexico.\u00a0The\u00a0region is dry.\n\n"
            "La\u00a0Libertad seeks partners.");
}

TEST(SeedPageTest, DropsTheFooterAndWhatFollows) {
  const SeedPageImport import = ParseOk(
      "Lugo is a city in Spain.\n\n"
      "Stay in the loop!\n\n"
      "Toyama is a city in Japan.\n");
  ASSERT_THAT(Ids(import), ElementsAre("lugo"));
}

TEST(SeedPageTest, JoinsWrappedLinesOfOneParagraph) {
  const SeedPageImport import = ParseOk(
      "Lugo is a city in Spain with a\r\n"
      "Roman wall.\r\n"
      "\r\n"
      "Lugo seeks partners.\r\n");
  ASSERT_EQ(import.profiles.size(), 1u);
  EXPECT_EQ(import.profiles[0].text,
            "Lugo is a city in Spain with a\nRoman wall.\n\n"
            "Lugo seeks partners.");
}

TEST(SeedPageTest, SkipsARepeatedCardWithAWarning) {
  const SeedPageImport import = ParseOk(
      "Lugo is a city in Spain.\n\n"
      "Discover what we did in IUC\n\n"
      "Lugo is a city in Spain.\n");
  ASSERT_THAT(Ids(import), ElementsAre("lugo"));
  ASSERT_EQ(import.warnings.size(), 1u);
  EXPECT_EQ(import.warnings[0],
            "page.txt:5: card 'Lugo' skipped: id 'lugo' was already imported "
            "from line 1");
}

TEST(SeedPageTest, ACardFailingTheProfileChecksBecomesAWarning) {
  std::string page = "Lugo is a city in Spain.";
  while (page.size() <= kMaxProfileTextBytes) page += " Lugo has parks.";
  page += "\n\nToyama is a city in Japan.\n";
  const SeedPageImport import = ParseOk(page);
  ASSERT_THAT(Ids(import), ElementsAre("toyama"));
  ASSERT_EQ(import.warnings.size(), 1u);
  EXPECT_THAT(import.warnings[0],
              StartsWith("page.txt:1: card 'Lugo' skipped: "));
  EXPECT_THAT(import.warnings[0], HasSubstr("text"));
}

TEST(SeedPageTest, InvalidUtf8IsAnErrorNamingTheLine) {
  absl::StatusOr<SeedPageImport> parsed = ParseSeedPage(
      "Lugo is a city in Spain.\n\nToyama \xff is a city in Japan.\n",
      "page.txt", TestGazetteer());
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(parsed.status().message(),
            "page.txt:3: invalid UTF-8 at byte 7 of the line");
}

TEST(SeedPageTest, EmptyPageIsAnError) {
  for (const char* page : {"", "\n\n  \n", "Load more\n\nCC BY-SA 3.0\n"}) {
    absl::StatusOr<SeedPageImport> parsed =
        ParseSeedPage(page, "page.txt", TestGazetteer());
    ASSERT_FALSE(parsed.ok()) << page;
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(parsed.status().message()),
                StartsWith("page.txt: no profile card found"));
  }
}

// ---------------------------------------------------------------------------
// The real page (tests/data/seed_page.txt, a copy of shared/seed).

class SeedPageRealTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::ifstream in(std::string(PM_TEST_DATA_DIR) + "/seed_page.txt",
                     std::ios::binary);
    ASSERT_TRUE(in) << "missing " << PM_TEST_DATA_DIR << "/seed_page.txt";
    std::ostringstream content;
    content << in.rdbuf();
    absl::StatusOr<SeedPageImport> parsed =
        ParseSeedPage(content.str(), "seed_page.txt", Gazetteer::Bundled());
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    import_ = new SeedPageImport(*std::move(parsed));
  }
  static void TearDownTestSuite() {
    delete import_;
    import_ = nullptr;
  }

  static const SeedPageImport* import_;
};

const SeedPageImport* SeedPageRealTest::import_ = nullptr;

TEST_F(SeedPageRealTest, ImportsTheCardsThatNameAPlaceAndACountry) {
  ASSERT_NE(import_, nullptr);
  EXPECT_THAT(Ids(*import_),
              ElementsAre("almeria", "ancona", "barranquilla", "belo-horizonte",
                          "bratislava", "busan-metropolitan-city",
                          "colleferro-and-latina", "da-lat", "dortmund",
                          "dublin", "eixo-atlantico", "castilla-y-leon",
                          "chihuahua", "colima", "la-libertad", "piura"));
  EXPECT_EQ(import_->profiles.size(), 16u);
  EXPECT_EQ(import_->warnings.size(), 17u);
}

TEST_F(SeedPageRealTest, ReturnsTheCardsLackingACountryAsDrafts) {
  ASSERT_NE(import_, nullptr);
  std::vector<std::string> ids;
  for (const Profile& draft : import_->drafts) ids.push_back(draft.id);
  EXPECT_THAT(ids, ElementsAre("anci-lazio", "aurora", "barcelona",
                               "barcelona-metropolitan-area", "bari", "boston",
                               "cali", "christchurch", "atlantico", "bacau",
                               "krapina-zagorje-county", "mendoza"));
}

TEST_F(SeedPageRealTest, WarnsAboutEachCardItCannotImportOrMustGuess) {
  ASSERT_NE(import_, nullptr);
  const std::string kNoCountry =
      " skipped: its text mentions no country; add it as JSON Lines with its "
      "'country' code";
  const std::string kAssumedCity =
      "': the text does not say whether it is a city, a region or an "
      "association; assumed city";
  EXPECT_THAT(
      import_->warnings,
      ElementsAre(
          "seed_page.txt:7: card 'Anci Lazio'" + kNoCountry,
          "seed_page.txt:19: card 'Aurora'" + kNoCountry,
          "seed_page.txt:23: card 'Barcelona'" + kNoCountry,
          "seed_page.txt:27: card 'Barcelona Metropolitan Area'" + kNoCountry,
          "seed_page.txt:31: card 'Bari'" + kNoCountry,
          "seed_page.txt:45: card 'Boston'" + kNoCountry,
          "seed_page.txt:59: card 'Cali'" + kNoCountry,
          "seed_page.txt:65: card 'Christchurch'" + kNoCountry,
          "seed_page.txt:67: 'Colleferro and Latina" + kAssumedCity,
          "seed_page.txt:69: 'Da Lat" + kAssumedCity,
          "seed_page.txt:71: card skipped: its opening paragraph (\"A "
          "service-based city, with an emphasis of commerce and …\") names no "
          "place, and its text names 3 places (Donostia-San Sebastian, Lugo, "
          "Toyama) without saying which one the card is about; add it as JSON "
          "Lines (partner-match import FILE.jsonl)",
          "seed_page.txt:96: the card's opening paragraph (\"The region is "
          "home to the largest economy in the Caribbean …\") names no "
          "place; named it 'Atlántico' from the subject of line 98 "
          "(\"Atlántico seeks to improve competitiveness and innovation …\"): "
          "check it",
          "seed_page.txt:96: card 'Atlántico'" + kNoCountry,
          "seed_page.txt:102: card 'Bacau'" + kNoCountry,
          "seed_page.txt:114: 'Colima" + kAssumedCity,
          "seed_page.txt:122: card 'Krapina-zagorje County'" + kNoCountry,
          "seed_page.txt:128: card 'Mendoza'" + kNoCountry));
}

TEST_F(SeedPageRealTest, NamesAtlanticoFromItsSecondParagraphWithAWarning) {
  ASSERT_NE(import_, nullptr);
  // "The region is home to …" (line 96) names no place; "Atlántico seeks …"
  // (line 98) does. The text names no country, so the card is then skipped.
  EXPECT_THAT(import_->warnings,
              Contains(AllOf(StartsWith("seed_page.txt:96: "),
                             HasSubstr("named it 'Atlántico' from the subject "
                                       "of line 98"))));
  EXPECT_EQ(FindProfile(*import_, "atlantico"), nullptr);
}

TEST_F(SeedPageRealTest, SkipsTheDonostiaCardNamingItsLine) {
  ASSERT_NE(import_, nullptr);
  // "A service-based city, …" (line 71) names no place; its second paragraph
  // lists three: none is picked.
  EXPECT_THAT(import_->warnings,
              Contains(AllOf(StartsWith("seed_page.txt:71: card skipped"),
                             HasSubstr("Donostia-San Sebastian, Lugo, Toyama"),
                             HasSubstr("JSON Lines"))));
  for (const char* id : {"donostia-san-sebastian", "lugo", "toyama"}) {
    EXPECT_EQ(FindProfile(*import_, id), nullptr) << id;
  }
  const Profile* da_lat = FindProfile(*import_, "da-lat");
  ASSERT_NE(da_lat, nullptr);
  EXPECT_THAT(da_lat->text, Not(HasSubstr("Donostia")));
}

TEST_F(SeedPageRealTest, RecognisesNamesKindsAndCountries) {
  ASSERT_NE(import_, nullptr);
  struct Expected {
    const char* id;
    const char* name;
    PlaceKind kind;
    const char* country;
  };
  const Expected expected[] = {
      {"almeria", "Almería", PlaceKind::kCity, "ES"},
      {"ancona", "Ancona", PlaceKind::kCity, "IT"},
      {"belo-horizonte", "Belo Horizonte", PlaceKind::kCity, "BR"},
      {"bratislava", "Bratislava", PlaceKind::kCity, "SK"},
      {"busan-metropolitan-city", "Busan Metropolitan City", PlaceKind::kCity,
       "KR"},
      {"da-lat", "Da Lat", PlaceKind::kCity, "VN"},
      {"dublin", "Dublin", PlaceKind::kCity, "IE"},
      {"eixo-atlantico", "Eixo Atlántico", PlaceKind::kAssociation, "ES"},
      {"castilla-y-leon", "Castilla y León", PlaceKind::kRegion, "ES"},
      {"chihuahua", "Chihuahua", PlaceKind::kRegion, "MX"},
      {"la-libertad", "La Libertad", PlaceKind::kRegion, "PE"},
      {"piura", "Piura", PlaceKind::kRegion, "PE"},
  };
  for (const Expected& e : expected) {
    const Profile* profile = FindProfile(*import_, e.id);
    ASSERT_NE(profile, nullptr) << e.id;
    EXPECT_EQ(profile->name, e.name);
    EXPECT_EQ(profile->kind, e.kind) << e.id;
    EXPECT_EQ(profile->country, e.country) << e.id;
  }
}

TEST_F(SeedPageRealTest, AlmeriaIsItsTwoParagraphs) {
  ASSERT_NE(import_, nullptr);
  const Profile* almeria = FindProfile(*import_, "almeria");
  ASSERT_NE(almeria, nullptr);
  EXPECT_EQ(almeria->text,
            "Almería is located in the South East of Spain. The city is "
            "surrounded by an arid landscape and a Mediterranean coastal strip "
            "featuring many tourist attractions, such as the ancient Alcazaba. "
            "The economy of Almería is mainly based on greenhouse agriculture, "
            "tourism, and the service sector.\n\n"
            "Almería has extensive experience in water efficiency. The city is "
            "looking to learn best practices on circular economy, nature-based "
            "solutions, and environmental sustainability.");
}

TEST_F(SeedPageRealTest, CardsWithoutSeparatorAreSplit) {
  ASSERT_NE(import_, nullptr);
  const Profile* colleferro = FindProfile(*import_, "colleferro-and-latina");
  const Profile* da_lat = FindProfile(*import_, "da-lat");
  const Profile* barranquilla = FindProfile(*import_, "barranquilla");
  ASSERT_NE(colleferro, nullptr);
  ASSERT_NE(da_lat, nullptr);
  ASSERT_NE(barranquilla, nullptr);
  EXPECT_THAT(colleferro->text, StartsWith("Colleferro and Latina are"));
  EXPECT_THAT(colleferro->text, Not(HasSubstr("Da Lat")));
  EXPECT_THAT(da_lat->text, StartsWith("Established in 1893, Da Lat is"));
  EXPECT_THAT(da_lat->text, Not(HasSubstr("Bay of Biscay")));
  EXPECT_THAT(barranquilla->text, StartsWith("Barranquilla is"));
  EXPECT_THAT(barranquilla->text, HasSubstr("\n\nBarranquilla seeks"));
}

TEST_F(SeedPageRealTest, RecordsKnownPartnerships) {
  ASSERT_NE(import_, nullptr);
  const Profile* bratislava = FindProfile(*import_, "bratislava");
  ASSERT_NE(bratislava, nullptr);
  EXPECT_THAT(bratislava->known_partners, ElementsAre("tokorozawa"));
  for (const Profile& profile : import_->profiles) {
    if (profile.id != "bratislava") {
      EXPECT_THAT(profile.known_partners, IsEmpty()) << profile.id;
    }
  }
}

TEST_F(SeedPageRealTest, NoClutterInAnyProfile) {
  ASSERT_NE(import_, nullptr);
  for (const Profile& profile : import_->profiles) {
    for (const char* clutter :
         {"Discover what we did in IUC", "Load more", "CC BY-SA", "own work",
          "Own work", "Trabajo propio", "Thematic Clusters",
          "Mobility & Transport", "Cross-cutting challenges",
          "Stay in the loop!", "Updates, unmissable events"}) {
      EXPECT_THAT(profile.text, Not(HasSubstr(clutter))) << profile.id;
    }
  }
}

}  // namespace
}  // namespace pm
