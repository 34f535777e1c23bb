#include "engine/io/seed_page.h"

#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "data/bundled_data.h"
#include "engine/geo/gazetteer.h"
#include "engine/geo/places.h"
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
using ::testing::IsSupersetOf;
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
      ParseSeedPage(page, "page.txt", TestGazetteer(), PlaceGazetteer());
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

TEST(SeedPageTest, ANamelessCardListingASharedInterestIsThePlaceInOrder) {
  const SeedPageImport import = ParseOk(
      "Colima is a region of Mexico.\n\n"
      "A coastal city on the Bay of Biscay in Spain.\n\n"
      "Increasing urban resilience would be an area of common interest for "
      "Toyama, Donostia, and Lugo, covering energy.\n\n"
      "Discover what we did in IUC\n\n"
      "Dortmund is a city in Italy.\n");
  ASSERT_THAT(Ids(import), ElementsAre("colima", "donostia", "dortmund"))
      << ::testing::PrintToString(import.warnings);
  EXPECT_THAT(import.profiles[1].text,
              StartsWith("A coastal city on the Bay of Biscay"));
  EXPECT_THAT(import.profiles[1].known_partners, ElementsAre("toyama", "lugo"));
  EXPECT_EQ(import.profiles[1].country, "ES");
  ASSERT_EQ(import.warnings.size(), 2u);
  EXPECT_THAT(import.warnings[1], HasSubstr("'Donostia': the text does not "
                                            "say whether it is a city"));
  EXPECT_THAT(import.warnings[0], StartsWith("page.txt:3: "));
  EXPECT_THAT(import.warnings[0], HasSubstr("3 places (Toyama, Donostia, Lugo)"));
  EXPECT_THAT(import.warnings[0],
              HasSubstr("named it 'Donostia', the only one that fits the "
                        "page's alphabetical order between 'Colima' and "
                        "'Dortmund'"));
}

TEST(SeedPageTest, ALaterSubjectWithADesignatorNamesTheCard) {
  const SeedPageImport import = ParseOk(
      "Bacau needs new investments in Italy. Currently, Bacau County is "
      "facing a demographic decline.\n");
  ASSERT_THAT(Ids(import), ElementsAre("bacau"));
  EXPECT_EQ(import.profiles[0].name, "Bacau County");
  EXPECT_EQ(import.profiles[0].kind, PlaceKind::kRegion);
  EXPECT_THAT(import.warnings, IsEmpty());
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
            "complete its 'country' in the drafts (--drafts FILE) and import "
            "them");
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
              ElementsAre("aurora", "krapina-zagorje", "castilla-y-leon",
                          "anci-lazio", "barcelona-metropolitan-area",
                          "busan", "la-libertad", "bratislava", "ancona"));
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
      "page.txt", TestGazetteer(), PlaceGazetteer());
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(parsed.status().message(),
            "page.txt:3: invalid UTF-8 at byte 7 of the line");
}

TEST(SeedPageTest, EmptyPageIsAnError) {
  for (const char* page : {"", "\n\n  \n", "Load more\n\nCC BY-SA 3.0\n"}) {
    absl::StatusOr<SeedPageImport> parsed =
        ParseSeedPage(page, "page.txt", TestGazetteer(), PlaceGazetteer());
    ASSERT_FALSE(parsed.ok()) << page;
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(parsed.status().message()),
                StartsWith("page.txt: no profile card found"));
  }
}

// ---------------------------------------------------------------------------
// The real page (tests/data/seed_page.txt, the programme page as captured).

class SeedPageRealTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::ifstream in(std::string(PM_TEST_DATA_DIR) + "/seed_page.txt",
                     std::ios::binary);
    ASSERT_TRUE(in) << "missing " << PM_TEST_DATA_DIR << "/seed_page.txt";
    std::ostringstream content;
    content << in.rdbuf();
    absl::StatusOr<SeedPageImport> parsed =
        ParseSeedPage(content.str(), "seed_page.txt", Gazetteer::Bundled(),
                      PlaceGazetteer::Bundled());
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

TEST_F(SeedPageRealTest, ImportsAllTwentyNineCardsAsCurated) {
  ASSERT_NE(import_, nullptr);
  absl::StatusOr<std::vector<Profile>> curated = ParseProfilesJsonl(
      bundled::File_profiles_jsonl(), "data/profiles.jsonl",
      Gazetteer::Bundled());
  ASSERT_TRUE(curated.ok()) << curated.status();
  ASSERT_EQ(curated->size(), 29u);
  EXPECT_THAT(import_->drafts, IsEmpty());
  ASSERT_EQ(import_->profiles.size(), curated->size());
  ASSERT_EQ(import_->inferred.size(), curated->size());
  for (size_t i = 0; i < curated->size(); ++i) {
    const Profile& want = (*curated)[i];
    const Profile& got = import_->profiles[i];
    EXPECT_EQ(got.id, want.id);
    EXPECT_EQ(got.country, want.country) << want.id;
    EXPECT_EQ(got.kind, want.kind) << want.id;
    EXPECT_EQ(got.text, want.text) << want.id;
    // Two names differ from the curated ones as the page writes them: the
    // page gives Busan's full name and writes Donostia without its accent.
    if (want.id == "busan") {
      EXPECT_EQ(got.name, "Busan Metropolitan City");
    } else if (want.id == "donostia-san-sebastian") {
      EXPECT_EQ(got.name, "Donostia-San Sebastian");
    } else {
      EXPECT_EQ(got.name, want.name) << want.id;
    }
    // The page states no partnership of Eixo Atlántico in a form the parser
    // reads ("a good practice transferred to …").
    if (want.id != "eixo-atlantico") {
      EXPECT_EQ(got.known_partners, want.known_partners) << want.id;
    }
  }
}

TEST_F(SeedPageRealTest, WarnsOncePerInferenceSayingFromWhichWords) {
  ASSERT_NE(import_, nullptr);
  size_t inferences = 0;
  for (const InferredFields& inferred : import_->inferred) {
    inferences += inferred.country + inferred.kind;
  }
  size_t inference_warnings = 0;
  for (const std::string& warning : import_->warnings) {
    inference_warnings += absl::StrContains(warning, " inferred");
  }
  EXPECT_EQ(inference_warnings, inferences);
  EXPECT_EQ(inferences, 21u);
  EXPECT_THAT(import_->warnings,
              IsSupersetOf(
                  {"seed_page.txt:7: 'Anci Lazio': country IT inferred from "
                   "'Lazio', 'Rome' (places of IT that the text names)",
                   "seed_page.txt:19: 'Aurora': country US inferred from "
                   "'Aurora' (places of that name lie in CA, US) and "
                   "'Illinois'",
                   "seed_page.txt:23: 'Barcelona': country ES inferred from "
                   "'Barcelona', the most populous of the places of that name "
                   "(in ES, VE): check it",
                   "seed_page.txt:128: 'Mendoza': country AR inferred from "
                   "'Mendoza' (region of AR in the place gazetteer)"}));
  // Mendoza and Colima are a city and a state of that name: the kind is
  // decided by the text's words, with a warning.
  for (const char* prefix :
       {"seed_page.txt:114: 'Colima': kind region inferred: 'Colima' is both "
        "a city and a region of MX",
        "seed_page.txt:128: 'Mendoza': kind region inferred: 'Mendoza' is both "
        "a city and a region of AR"}) {
    EXPECT_THAT(import_->warnings, Contains(StartsWith(prefix)));
  }
  const Profile* mendoza = FindProfile(*import_, "mendoza");
  ASSERT_NE(mendoza, nullptr);
  EXPECT_EQ(mendoza->kind, PlaceKind::kRegion);
  const size_t row = static_cast<size_t>(mendoza - &import_->profiles[0]);
  EXPECT_TRUE(import_->inferred[row].kind);
  EXPECT_TRUE(import_->inferred[row].country);
}

TEST_F(SeedPageRealTest, NamesAtlanticoFromItsSecondParagraphWithAWarning) {
  ASSERT_NE(import_, nullptr);
  // "The region is home to …" (line 96) names no place; "Atlántico seeks …"
  // (line 98) does.
  EXPECT_THAT(import_->warnings,
              Contains(AllOf(StartsWith("seed_page.txt:96: "),
                             HasSubstr("named it 'Atlántico' from the subject "
                                       "of line 98"))));
  const Profile* atlantico = FindProfile(*import_, "atlantico");
  ASSERT_NE(atlantico, nullptr);
  EXPECT_EQ(atlantico->kind, PlaceKind::kRegion);
}

TEST_F(SeedPageRealTest, TheDonostiaCardIsDonostiaWithItsTwoPartners) {
  ASSERT_NE(import_, nullptr);
  // "A service-based city, …" (line 71) names no place; its second paragraph
  // lists three, of which only Donostia fits between Da Lat and Dortmund.
  EXPECT_THAT(import_->warnings,
              Contains(AllOf(StartsWith("seed_page.txt:71: "),
                             HasSubstr("Donostia-San Sebastian, Lugo, Toyama"),
                             HasSubstr("between 'Da Lat' and 'Dortmund'"))));
  const Profile* donostia = FindProfile(*import_, "donostia-san-sebastian");
  ASSERT_NE(donostia, nullptr);
  EXPECT_THAT(donostia->known_partners, ElementsAre("lugo", "toyama"));
  for (const char* id : {"lugo", "toyama"}) {
    EXPECT_EQ(FindProfile(*import_, id), nullptr) << id;
  }
  const Profile* da_lat = FindProfile(*import_, "da-lat");
  ASSERT_NE(da_lat, nullptr);
  EXPECT_THAT(da_lat->text, Not(HasSubstr("Donostia")));
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
    if (profile.id != "bratislava" && profile.id != "donostia-san-sebastian") {
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
