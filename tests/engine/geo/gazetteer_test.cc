#include "engine/geo/gazetteer.h"

#include <algorithm>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace pm {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr char kHeader[] = "code\tname\tworld_region\teu_member\taliases\n";

std::string SmallTsv() {
  return std::string(kHeader) +
         "BR\tBrazil\tLatin America and the Caribbean\tfalse\t"
         "Federative Republic of Brazil;Brazilian\n"
         "KR\tSouth Korea\tAsia\tfalse\tRepublic of Korea;Korea;Korean\n"
         "KP\tNorth Korea\tAsia\tfalse\t"
         "Democratic People's Republic of Korea;DPRK;North Korean\n"
         "ES\tSpain\tEurope\ttrue\tKingdom of Spain ; Spanish\n"
         "JP\tJapan\tAsia\tfalse\tJapanese\n"
         "GN\tGuinea\tAfrica\tfalse\tGuinean\n"
         "GW\tGuinea-Bissau\tAfrica\tfalse\t\n"
         "NE\tNiger\tAfrica\tfalse\t\n"
         "NG\tNigeria\tAfrica\tfalse\tNigerian\n";
}

const Gazetteer& Small() {
  static const Gazetteer* const gazetteer = [] {
    absl::StatusOr<Gazetteer> parsed = Gazetteer::ParseTsv(SmallTsv(), "t.tsv");
    EXPECT_TRUE(parsed.ok()) << parsed.status();
    return new Gazetteer(*std::move(parsed));
  }();
  return *gazetteer;
}

std::vector<std::string> MentionedCodes(std::string_view text) {
  std::vector<std::string> codes;
  for (const Country* country : Small().Mentioned(text)) {
    codes.push_back(country->code);
  }
  return codes;
}

void ExpectParseError(const std::string& content, const std::string& message) {
  absl::StatusOr<Gazetteer> parsed = Gazetteer::ParseTsv(content, "t.tsv");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(parsed.status().message(), message);
}

TEST(GazetteerTest, ParsesRowsWithTrimmedAliases) {
  const Country* spain = Small().Find("ES");
  ASSERT_NE(spain, nullptr);
  EXPECT_EQ(spain->code, "ES");
  EXPECT_EQ(spain->name, "Spain");
  EXPECT_EQ(spain->world_region, "Europe");
  EXPECT_TRUE(spain->eu_member);
  EXPECT_THAT(spain->aliases, ElementsAre("Kingdom of Spain", "Spanish"));
  EXPECT_THAT(Small().Find("NE")->aliases, IsEmpty());
  EXPECT_FALSE(Small().Find("JP")->eu_member);
  EXPECT_EQ(Small().countries().size(), 9u);
}

TEST(GazetteerTest, FindIsCaseInsensitive) {
  const Country* brazil = Small().Find("BR");
  ASSERT_NE(brazil, nullptr);
  EXPECT_EQ(Small().Find("br"), brazil);
  EXPECT_EQ(Small().Find("bR"), brazil);
}

TEST(GazetteerTest, FindUnknownCodeIsNull) {
  EXPECT_EQ(Small().Find("XX"), nullptr);
  EXPECT_EQ(Small().Find(""), nullptr);
  EXPECT_EQ(Small().Find("BRA"), nullptr);
}

TEST(GazetteerTest, AcceptsCrlfBlankLinesAndAMissingAliasColumn) {
  absl::StatusOr<Gazetteer> parsed = Gazetteer::ParseTsv(
      "code\tname\tworld_region\teu_member\taliases\r\n"
      "fr\tFrance\tEurope\ttrue\r\n"
      "\r\n"
      "JP\tJapan\tAsia\tfalse\tJapanese\r\n",
      "t.tsv");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_EQ(parsed->countries().size(), 2u);
  EXPECT_EQ(parsed->countries()[0].code, "FR");
  EXPECT_THAT(parsed->countries()[0].aliases, IsEmpty());
  EXPECT_THAT(parsed->countries()[1].aliases, ElementsAre("Japanese"));
}

TEST(GazetteerTest, HeaderOnlyIsAnEmptyGazetteer) {
  absl::StatusOr<Gazetteer> parsed = Gazetteer::ParseTsv(kHeader, "t.tsv");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_THAT(parsed->countries(), IsEmpty());
}

TEST(GazetteerTest, RefusesEmptyContent) {
  ExpectParseError(
      "",
      "t.tsv:1: expected the header "
      "'code<TAB>name<TAB>world_region<TAB>eu_member<TAB>aliases'");
}

TEST(GazetteerTest, RefusesAWrongHeader) {
  ExpectParseError(
      "code,name,world_region,eu_member,aliases\n",
      "t.tsv:1: expected the header "
      "'code<TAB>name<TAB>world_region<TAB>eu_member<TAB>aliases'");
}

TEST(GazetteerTest, RefusesARowWithTooFewFields) {
  ExpectParseError(std::string(kHeader) + "ES\tSpain\tEurope\n",
                   "t.tsv:2: expected 5 tab-separated fields (code, name, "
                   "world_region, eu_member, aliases), found 3");
}

TEST(GazetteerTest, RefusesARowWithTooManyFields) {
  ExpectParseError(std::string(kHeader) + "ES\tSpain\tEurope\ttrue\ta\tb\n",
                   "t.tsv:2: expected 5 tab-separated fields (code, name, "
                   "world_region, eu_member, aliases), found 6");
}

TEST(GazetteerTest, RefusesACodeThatIsNotAlpha2) {
  ExpectParseError(std::string(kHeader) + "ESP\tSpain\tEurope\ttrue\t\n",
                   "t.tsv:2: field 'code': 'ESP' is not an ISO 3166-1 "
                   "alpha-2 code");
  ExpectParseError(std::string(kHeader) + "E1\tSpain\tEurope\ttrue\t\n",
                   "t.tsv:2: field 'code': 'E1' is not an ISO 3166-1 "
                   "alpha-2 code");
}

TEST(GazetteerTest, RefusesAnEmptyNameOrRegion) {
  ExpectParseError(std::string(kHeader) + "ES\t \tEurope\ttrue\t\n",
                   "t.tsv:2: field 'name': empty");
  ExpectParseError(std::string(kHeader) + "ES\tSpain\t\ttrue\t\n",
                   "t.tsv:2: field 'world_region': empty");
}

TEST(GazetteerTest, RefusesEuMemberOtherThanTrueOrFalse) {
  ExpectParseError(std::string(kHeader) + "\nES\tSpain\tEurope\tyes\t\n",
                   "t.tsv:3: field 'eu_member': expected true or false, "
                   "got 'yes'");
}

TEST(GazetteerTest, RefusesADuplicateCodeNamingBothLines) {
  ExpectParseError(std::string(kHeader) +
                       "ES\tSpain\tEurope\ttrue\t\n"
                       "JP\tJapan\tAsia\tfalse\t\n"
                       "es\tEspaña\tEurope\ttrue\t\n",
                   "t.tsv:4: duplicate code 'ES' (first on line 2)");
}

TEST(GazetteerTest, MentionedFindsANameBeforeACurlyApostrophe) {
  EXPECT_THAT(MentionedCodes("Brazil’s third largest city"), ElementsAre("BR"));
  EXPECT_THAT(MentionedCodes("Brazil's coast"), ElementsAre("BR"));
  EXPECT_THAT(MentionedCodes("«Brazil»"), ElementsAre("BR"));
}

TEST(GazetteerTest, MentionedFindsMultiWordAliases) {
  EXPECT_THAT(MentionedCodes("a city in the Republic of Korea."),
              ElementsAre("KR"));
}

TEST(GazetteerTest, MentionedPrefersTheLongestPhraseAtAPosition) {
  EXPECT_THAT(MentionedCodes("the Democratic People's Republic of Korea"),
              ElementsAre("KP"));
  EXPECT_THAT(MentionedCodes("Bissau is the capital of Guinea-Bissau"),
              ElementsAre("GW"));
}

TEST(GazetteerTest, MentionedFindsAdjectives) {
  EXPECT_THAT(MentionedCodes("Spanish and Japanese cities, a Korean region"),
              ElementsAre("ES", "JP", "KR"));
}

TEST(GazetteerTest, MentionedListsEachCountryOnceInOrderOfFirstMention) {
  EXPECT_THAT(MentionedCodes("Japan and Spain; Spanish ports; Japanese food; "
                             "Spain again"),
              ElementsAre("JP", "ES"));
}

TEST(GazetteerTest, MentionedMatchesWholeWordsOnly) {
  EXPECT_THAT(MentionedCodes("Nigeria"), ElementsAre("NG"));
  EXPECT_THAT(MentionedCodes("Niger"), ElementsAre("NE"));
  EXPECT_THAT(MentionedCodes("Nigerians and Japanesque Brazilé"), IsEmpty());
  EXPECT_THAT(MentionedCodes("Spain-Japan exchange"), ElementsAre("ES", "JP"));
}

TEST(GazetteerTest, MentionedIsCaseSensitive) {
  EXPECT_THAT(MentionedCodes("brazil, SPAIN and japanese"), IsEmpty());
}

TEST(GazetteerTest, MentionedSurvivesInvalidUtf8) {
  EXPECT_THAT(MentionedCodes("\xff Japan \xe2\x80"), ElementsAre("JP"));
  EXPECT_THAT(MentionedCodes(""), IsEmpty());
}

TEST(GazetteerTest, BundledHasEveryCountryAndTheEuMembers) {
  const Gazetteer& bundled = Gazetteer::Bundled();
  EXPECT_GE(bundled.countries().size(), 249u);
  const auto eu =
      std::count_if(bundled.countries().begin(), bundled.countries().end(),
                    [](const Country& c) { return c.eu_member; });
  EXPECT_EQ(eu, 27);
  ASSERT_NE(bundled.Find("es"), nullptr);
  EXPECT_TRUE(bundled.Find("ES")->eu_member);
  ASSERT_NE(bundled.Find("JP"), nullptr);
  EXPECT_FALSE(bundled.Find("JP")->eu_member);
  EXPECT_EQ(&Gazetteer::Bundled(), &bundled);  // parsed once
}

TEST(GazetteerTest, BundledRecognisesProgrammeCountriesInText) {
  const std::vector<const Country*> mentioned = Gazetteer::Bundled().Mentioned(
      "Brazil’s third largest city works with the Republic of Korea and "
      "Spanish ports.");
  std::vector<std::string> codes;
  for (const Country* c : mentioned) codes.push_back(c->code);
  EXPECT_THAT(codes, ElementsAre("BR", "KR", "ES"));
}

}  // namespace
}  // namespace pm
