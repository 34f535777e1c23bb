#include "engine/io/profile_format.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "data/bundled_data.h"
#include "engine/text/text_analyzer.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace pm {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

const Gazetteer& TestGazetteer() {
  static const Gazetteer* const gazetteer = [] {
    absl::StatusOr<Gazetteer> parsed = Gazetteer::ParseTsv(
        "code\tname\tworld_region\teu_member\taliases\n"
        "ES\tSpain\tEurope\ttrue\tSpanish\n"
        "IT\tItaly\tEurope\ttrue\tItalian\n"
        "JP\tJapan\tAsia\tfalse\tJapanese\n"
        "CO\tColombia\tLatin America and the Caribbean\tfalse\t\n",
        "test.tsv");
    EXPECT_TRUE(parsed.ok()) << parsed.status();
    return new Gazetteer(*std::move(parsed));
  }();
  return *gazetteer;
}

absl::StatusOr<std::vector<Profile>> Parse(std::string_view content) {
  return ParseProfilesJsonl(content, "p.jsonl", TestGazetteer());
}

// A good line; "kind", "country" and "text" may be replaced.
std::string Line(std::string_view id, std::string_view extra = "") {
  return absl::StrCat(R"({"id": ")", std::string(id),
                      R"(", "name": "Almería", "kind": "city", )",
                      R"("country": "ES", "text": "Almería has experience )",
                      R"(in water efficiency.")", std::string(extra), "}");
}

const char kGoodFile[] =
    R"({"id": "almeria", "name": "Almería", "kind": "city", "country": "ES", "text": "Almería has extensive experience in water efficiency.\n\nThe city is looking to learn."})"
    "\n\n"
    R"({"id": "toyama", "name": "Toyama", "kind": "city", "country": "JP", "text": "Toyama is a compact city.", "population": 410000, "known_partners": ["almeria", "lugo"], "eu_member": false, "world_region": "East Asia"})"
    "\n";

void ExpectError(std::string_view content, std::string_view message) {
  absl::StatusOr<std::vector<Profile>> parsed = Parse(content);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(std::string(parsed.status().message()), message);
}

// ---- ParseProfilesJsonl: good input -------------------------------------

TEST(ProfileFormatTest, ParsesAGoodFileSkippingBlankLines) {
  absl::StatusOr<std::vector<Profile>> parsed = Parse(kGoodFile);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_EQ(parsed->size(), 2u);
  const Profile& almeria = (*parsed)[0];
  EXPECT_EQ(almeria.id, "almeria");
  EXPECT_EQ(almeria.name, "Almería");
  EXPECT_EQ(almeria.kind, PlaceKind::kCity);
  EXPECT_EQ(almeria.country, "ES");
  EXPECT_EQ(almeria.text,
            "Almería has extensive experience in water efficiency.\n\n"
            "The city is looking to learn.");
  EXPECT_EQ(almeria.population, 0);
  EXPECT_THAT(almeria.known_partners, IsEmpty());
  EXPECT_FALSE(almeria.eu_member.has_value());
  EXPECT_EQ(almeria.world_region, "");
  const Profile& toyama = (*parsed)[1];
  EXPECT_EQ(toyama.population, 410000);
  EXPECT_THAT(toyama.known_partners, ElementsAre("almeria", "lugo"));
  EXPECT_EQ(toyama.eu_member, std::optional<bool>(false));
  EXPECT_EQ(toyama.world_region, "East Asia");
}

TEST(ProfileFormatTest, GoodFileRoundTripsThroughProfileToJsonLine) {
  absl::StatusOr<std::vector<Profile>> parsed = Parse(kGoodFile);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  std::string written;
  for (const Profile& profile : *parsed) {
    const std::string line = ProfileToJsonLine(profile);
    EXPECT_EQ(line.find('\n'), std::string::npos) << line;
    absl::StrAppend(&written, line, "\n");
  }
  absl::StatusOr<std::vector<Profile>> reread = Parse(written);
  ASSERT_TRUE(reread.ok()) << reread.status();
  EXPECT_EQ(*reread, *parsed);
}

TEST(ProfileFormatTest, ProfileToJsonLineUsesProtoFieldNamesAndLowercaseKind) {
  Profile profile;
  profile.id = "lugo";
  profile.name = "Lugo";
  profile.kind = PlaceKind::kAssociation;
  profile.country = "ES";
  profile.text = "Lugo.";
  profile.known_partners = {"toyama"};
  profile.eu_member = true;
  EXPECT_EQ(ProfileToJsonLine(profile),
            R"({"id":"lugo","name":"Lugo","kind":"association",)"
            R"("country":"ES","text":"Lugo.","known_partners":["toyama"],)"
            R"("eu_member":true})");
}

TEST(ProfileFormatTest, AcceptsKindAndCountryInAnyCase) {
  absl::StatusOr<std::vector<Profile>> parsed = Parse(
      R"({"id": "a", "name": "A", "kind": "CITY", "country": "es", "text": "t"})"
      "\n"
      R"({"id": "b", "name": "B", "kind": "Region", "country": "Jp", "text": "t"})"
      "\n"
      R"({"id": "c", "name": "C", "kind": "association", "country": "co", "text": "t"})");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_EQ(parsed->size(), 3u);
  EXPECT_EQ((*parsed)[0].kind, PlaceKind::kCity);
  EXPECT_EQ((*parsed)[0].country, "ES");
  EXPECT_EQ((*parsed)[1].kind, PlaceKind::kRegion);
  EXPECT_EQ((*parsed)[1].country, "JP");
  EXPECT_EQ((*parsed)[2].kind, PlaceKind::kAssociation);
  EXPECT_EQ((*parsed)[2].country, "CO");
}

TEST(ProfileFormatTest, AcceptsCamelCaseKnownPartners) {
  absl::StatusOr<std::vector<Profile>> parsed = Parse(
      Line("almeria", R"(, "knownPartners": ["toyama"], "euMember": true)"));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_EQ(parsed->size(), 1u);
  EXPECT_THAT((*parsed)[0].known_partners, ElementsAre("toyama"));
  EXPECT_EQ((*parsed)[0].eu_member, std::optional<bool>(true));
}

TEST(ProfileFormatTest, AcceptsCrlfAByteOrderMarkAndAnEmptyFile) {
  absl::StatusOr<std::vector<Profile>> parsed =
      Parse("\xEF\xBB\xBF" + Line("a") + "\r\n" + Line("b") + "\r\n");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->size(), 2u);
  absl::StatusOr<std::vector<Profile>> empty = Parse("\n  \n");
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_THAT(*empty, IsEmpty());
}

TEST(ProfileFormatTest, TrimsTextAndAcceptsTextAtTheLimit) {
  const std::string text(kMaxProfileTextBytes, 'a');
  absl::StatusOr<std::vector<Profile>> parsed =
      Parse(absl::StrCat(R"({"id": " a ", "name": " A ", "kind": "city", )",
                         R"("country": " es ", "text": "  )", text, R"(\n"})"));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ((*parsed)[0].id, "a");
  EXPECT_EQ((*parsed)[0].name, "A");
  EXPECT_EQ((*parsed)[0].country, "ES");
  EXPECT_EQ((*parsed)[0].text, text);
}

// ---- ParseProfilesJsonl: bad input, one error each ----------------------

TEST(ProfileFormatTest, RefusesInvalidJsonNamingTheLine) {
  ExpectError(Line("a") + "\n" + R"({"id": almeria})",
              "p.jsonl:2: invalid JSON: unexpected token at 'almeria}'");
}

TEST(ProfileFormatTest, RefusesTruncatedJson) {
  ExpectError(R"({"id": "a", )",
              "p.jsonl:1: invalid JSON: unexpected end of string. Expected "
              "an object key or } at the end of the line");
}

TEST(ProfileFormatTest, RefusesALineThatIsNotAnObject) {
  ExpectError(R"(["almeria"])",
              "p.jsonl:1: invalid JSON: a profile line must be a JSON object");
}

TEST(ProfileFormatTest, RefusesAnUnknownFieldNamingIt) {
  ExpectError(Line("a") + "\n" + Line("b", R"(, "town": "x")"),
              "p.jsonl:2: unknown field 'town' (expected id, name, kind, "
              "country, text, population, known_partners, eu_member, "
              "world_region)");
}

TEST(ProfileFormatTest, RefusesAValueOfTheWrongType) {
  ExpectError(Line("a", R"(, "population": "many")"),
              "p.jsonl:1: field 'population': invalid value \"many\" "
              "(expected an integer)");
  ExpectError(Line("a", R"(, "known_partners": [7])"),
              "p.jsonl:1: field 'known_partners[0]': invalid value 7 "
              "(expected a string)");
}

TEST(ProfileFormatTest, RefusesEuMemberThatIsNotABoolean) {
  // Protobuf alone would read the string "yes" as true.
  ExpectError(Line("a", R"(, "eu_member": "yes")"),
              "p.jsonl:1: field 'eu_member': expected true or false, got "
              "\"yes\"");
}

TEST(ProfileFormatTest, RefusesAFieldGivenTwice) {
  ExpectError(Line("a", R"(, "knownPartners": ["b"], "known_partners": ["c"])"),
              "p.jsonl:1: field 'known_partners': given twice");
}

TEST(ProfileFormatTest, RefusesAnUnknownKindNamingIt) {
  ExpectError(
      R"({"id": "a", "name": "A", "kind": "town", "country": "ES", "text": "t"})",
      "p.jsonl:1: field 'kind': unknown kind 'town' (expected city, "
      "region or association)");
}

TEST(ProfileFormatTest, RefusesEachMissingRequiredField) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"name": "A", "kind": "city", "country": "ES", "text": "t"})", "id"},
      {R"({"id": "a", "kind": "city", "country": "ES", "text": "t"})", "name"},
      {R"({"id": "a", "name": "A", "country": "ES", "text": "t"})", "kind"},
      {R"({"id": "a", "name": "A", "kind": "city", "text": "t"})", "country"},
      {R"({"id": "a", "name": "A", "kind": "city", "country": "ES"})", "text"},
      {R"({"id": "a", "name": "A", "kind": "city", "country": "ES", "text": " \n "})",
       "text"},
  };
  for (const auto& [line, field] : cases) {
    SCOPED_TRACE(line);
    ExpectError(Line("x") + "\n\n" + line,
                absl::StrCat("p.jsonl:3: missing field '", field, "'"));
  }
}

TEST(ProfileFormatTest, RefusesInvalidUtf8NamingTheField) {
  const std::string bad_text =
      "Almer\xff"
      "a";
  const std::string expected = absl::StrCat("p.jsonl:2: field 'text': ",
                                            ValidateUtf8(bad_text).message());
  ExpectError(absl::StrCat(Line("a"), "\n",
                           R"({"id": "b", "name": "B", "kind": "city", )",
                           R"("country": "ES", "text": ")", bad_text, R"("})"),
              expected);
}

TEST(ProfileFormatTest, RefusesInvalidUtf8OutsideAnyValueNamingTheByte) {
  const std::string line = "\xff{}";
  ExpectError(line, absl::StrCat("p.jsonl:1: ", ValidateUtf8(line).message()));
}

TEST(ProfileFormatTest, RefusesAnUnknownCountry) {
  ExpectError(
      R"({"id": "a", "name": "A", "kind": "city", "country": "XX", "text": "t"})",
      "p.jsonl:1: field 'country': unknown country code 'XX'");
}

TEST(ProfileFormatTest, RefusesTextOverTheLimit) {
  const std::string text(kMaxProfileTextBytes + 1, 'a');
  ExpectError(absl::StrCat(R"({"id": "a", "name": "A", "kind": "city", )",
                           R"("country": "ES", "text": ")", text, R"("})"),
              "p.jsonl:1: field 'text': 65537 bytes, more than the limit of "
              "65536 bytes");
}

TEST(ProfileFormatTest, RefusesALineOverTheLimitBeforeParsingIt) {
  const std::string line =
      absl::StrCat(R"({"id": "a", "text": ")",
                   std::string(kMaxProfileLineBytes, 'a'), R"("})");
  ExpectError(Line("a") + "\n" + line,
              absl::StrCat("p.jsonl:2: line is ", line.size(),
                           " bytes, more than the limit of 262144 bytes"));
}

TEST(ProfileFormatTest, RefusesADuplicateIdNamingBothLines) {
  ExpectError(Line("a") + "\n" + Line("b") + "\n" + Line("a"),
              "p.jsonl:3: field 'id': duplicate id 'a' (first on line 1)");
}

TEST(ProfileFormatTest, RefusesAnIdOutsideTheAlphabet) {
  ExpectError(Line("Almeria"),
              "p.jsonl:1: field 'id': 'Almeria' is not 1-64 characters of "
              "[a-z0-9._-]");
  ExpectError(Line(std::string(65, 'a')),
              absl::StrCat("p.jsonl:1: field 'id': '", std::string(64, 'a'),
                           "…' (65 bytes) is not 1-64 characters of "
                           "[a-z0-9._-]"));
}

TEST(ProfileFormatTest, RefusesAProfileListingItselfAsAKnownPartner) {
  ExpectError(Line("a", R"(, "known_partners": ["b", "a"])"),
              "p.jsonl:1: field 'known_partners': lists the profile itself "
              "('a')");
}

// ---- NormalizeProfile ---------------------------------------------------

Profile GoodProfile() {
  Profile profile;
  profile.id = "almeria";
  profile.name = "Almería";
  profile.country = "ES";
  profile.text = "Almería has experience in water efficiency.";
  return profile;
}

absl::Status Normalize(Profile& profile) {
  return NormalizeProfile(profile, TestGazetteer());
}

TEST(ProfileFormatNormalizeTest, AcceptsAGoodProfileUnchanged) {
  Profile profile = GoodProfile();
  ASSERT_TRUE(Normalize(profile).ok());
  EXPECT_EQ(profile, GoodProfile());
}

TEST(ProfileFormatNormalizeTest, DropsRepeatedKnownPartnersKeepingTheFirst) {
  Profile profile = GoodProfile();
  profile.known_partners = {"toyama", " lugo ", "toyama"};
  ASSERT_TRUE(Normalize(profile).ok());
  EXPECT_THAT(profile.known_partners, ElementsAre("toyama", "lugo"));
}

TEST(ProfileFormatNormalizeTest, RefusesANegativePopulation) {
  Profile profile = GoodProfile();
  profile.population = -5;
  const absl::Status status = Normalize(profile);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "field 'population': -5 is negative");
}

TEST(ProfileFormatNormalizeTest, RefusesTooManyKnownPartners) {
  Profile profile = GoodProfile();
  for (size_t i = 0; i <= kMaxKnownPartners; ++i) {
    profile.known_partners.push_back(absl::StrCat("p", i));
  }
  const absl::Status status = Normalize(profile);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "field 'known_partners': 101 ids, more than the limit of 100");
}

TEST(ProfileFormatNormalizeTest, RefusesAKnownPartnerThatIsNotAnId) {
  Profile profile = GoodProfile();
  profile.known_partners = {"Toyama City"};
  const absl::Status status = Normalize(profile);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "field 'known_partners': 'Toyama City' is not 1-64 characters of "
            "[a-z0-9._-]");
}

TEST(ProfileFormatNormalizeTest, RefusesANameOverTheLimit) {
  Profile profile = GoodProfile();
  profile.name = std::string(kMaxProfileNameBytes + 1, 'n');
  const absl::Status status = Normalize(profile);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "field 'name': 201 bytes, more than the limit of 200 bytes");
}

TEST(ProfileFormatNormalizeTest, RefusesInvalidUtf8InTheName) {
  Profile profile = GoodProfile();
  profile.name = "Almer\xc3";
  const absl::Status status = Normalize(profile);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      status.message(),
      absl::StrCat("field 'name': ", ValidateUtf8(profile.name).message()));
}

TEST(ProfileFormatNormalizeTest, DerivesEuMembershipAndWorldRegionUnlessGiven) {
  Profile almeria = GoodProfile();
  ASSERT_TRUE(Normalize(almeria).ok());
  EXPECT_TRUE(IsEuMember(almeria, TestGazetteer()));
  EXPECT_EQ(WorldRegion(almeria, TestGazetteer()), "Europe");

  Profile given = GoodProfile();
  given.eu_member = false;
  given.world_region = "Southern Europe";
  ASSERT_TRUE(Normalize(given).ok());
  EXPECT_FALSE(IsEuMember(given, TestGazetteer()));
  EXPECT_EQ(WorldRegion(given, TestGazetteer()), "Southern Europe");

  Profile cali = GoodProfile();
  cali.id = "cali";
  cali.country = "co";
  ASSERT_TRUE(Normalize(cali).ok());
  EXPECT_FALSE(IsEuMember(cali, TestGazetteer()));
  EXPECT_EQ(WorldRegion(cali, TestGazetteer()),
            "Latin America and the Caribbean");
}

// ---- Proto conversions --------------------------------------------------

TEST(ProfileFormatProtoTest, RoundTripsThroughTheProto) {
  Profile profile = GoodProfile();
  profile.kind = PlaceKind::kRegion;
  profile.population = 200000;
  profile.known_partners = {"toyama"};
  profile.eu_member = false;
  profile.world_region = "Europe";
  const partnermatch::v1::Profile proto = ProfileToProto(profile);
  EXPECT_EQ(proto.kind(), "region");
  EXPECT_TRUE(proto.has_eu_member());
  absl::StatusOr<Profile> back = ProfileFromProto(proto);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, profile);
}

TEST(ProfileFormatProtoTest, AbsentEuMemberStaysAbsent) {
  const partnermatch::v1::Profile proto = ProfileToProto(GoodProfile());
  EXPECT_FALSE(proto.has_eu_member());
  absl::StatusOr<Profile> back = ProfileFromProto(proto);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_FALSE(back->eu_member.has_value());
}

TEST(ProfileFormatProtoTest, RefusesAnUnknownKindNamingIt) {
  partnermatch::v1::Profile proto = ProfileToProto(GoodProfile());
  proto.set_kind("village");
  absl::StatusOr<Profile> profile = ProfileFromProto(proto);
  ASSERT_FALSE(profile.ok());
  EXPECT_EQ(profile.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(profile.status().message(),
            "field 'kind': unknown kind 'village' (expected city, region or "
            "association)");
}

// ---- The bundled data set -----------------------------------------------

TEST(ProfileFormatTest, BundledProfilesParseAndRoundTrip) {
  absl::StatusOr<std::vector<Profile>> parsed =
      ParseProfilesJsonl(bundled::File_profiles_jsonl(), "data/profiles.jsonl",
                         Gazetteer::Bundled());
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->size(), 29u);
  std::string written;
  for (const Profile& profile : *parsed) {
    absl::StrAppend(&written, ProfileToJsonLine(profile), "\n");
  }
  absl::StatusOr<std::vector<Profile>> reread =
      ParseProfilesJsonl(written, "written.jsonl", Gazetteer::Bundled());
  ASSERT_TRUE(reread.ok()) << reread.status();
  EXPECT_EQ(*reread, *parsed);
}

}  // namespace
}  // namespace pm

// ---- Holes closed (issue 11, finding 7) ------------------------------------

namespace pm {
namespace {

TEST(ProfileFormatHolesTest, RefusesARawNulInsideAStringNamingTheField) {
  ExpectError(Line("a") + "\n" +
                  absl::StrCat(R"({"id": "b", "name": "Al)", std::string(1, '\0'),
                               R"(mería", "kind": "city", "country": "ES", "text": "x"})"),
              "p.jsonl:2: field 'name': a raw control character (byte 0x00); "
              "JSON strings must escape it");
}

TEST(ProfileFormatHolesTest, RefusesAnEscapedNulNamingTheField) {
  ExpectError(Line("a", R"(, "world_region": "Europe")") + "\n" +
                  R"({"id": "b", "name": "\u0000Lugo", "kind": "city", "country": "ES", "text": "x"})",
              "p.jsonl:2: field 'name': a NUL character (\\u0000) at byte 0");
  ExpectError(Line("a", R"(, "world_region": "\u0000")"),
              "p.jsonl:1: field 'world_region': a NUL character (\\u0000) at "
              "byte 0");
}

TEST(ProfileFormatHolesTest, RefusesKnownPartnersThatAreNotAnArrayOfStrings) {
  ExpectError(Line("a", R"(, "known_partners": "abc")"),
              "p.jsonl:1: field 'known_partners': expected an array of ids, "
              "got \"abc\"");
  ExpectError(Line("a", R"(, "known_partners": [["b"], "c"])"),
              "p.jsonl:1: field 'known_partners': expected an array of ids, "
              "got [[\"b\"], \"c\"]");
  // Still accepted: an array of ids, an empty one, null.
  for (const char* ok : {R"(, "known_partners": ["b", "c"])",
                         R"(, "known_partners": [ ])",
                         R"(, "known_partners": null)"}) {
    EXPECT_TRUE(Parse(Line("a", ok)).ok()) << ok;
  }
}

TEST(ProfileFormatHolesTest, ReportsTheLineOfEachProfile) {
  std::vector<size_t> lines;
  auto parsed = ParseProfilesJsonl(Line("a") + "\n\n" + Line("b") + "\n",
                                   "p.jsonl", TestGazetteer(), &lines);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(lines, (std::vector<size_t>{1, 3}));
}

}  // namespace
}  // namespace pm
