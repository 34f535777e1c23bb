// Runs the real partner-match binary (PM_CLI_BINARY): taxonomy check and
// taxonomy show.
#include <google/protobuf/util/json_util.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "partnermatch/v1/partner_match.pb.h"
#include "tests/service/cli_fixture.h"

namespace {

namespace v1 = partnermatch::v1;
using ::testing::HasSubstr;
using ::testing::Not;

using Result = pm::testing::CliResult;

class TaxonomyCommandTest : public pm::testing::CliFixture {
 protected:
  void SetUp() override {
    CliFixture::SetUp();
    profiles_ = std::string(PM_SOURCE_DIR) + "/data/profiles.jsonl";
  }

  // Runs the binary on a store of this test's own.
  Result Run(const std::string& args) {
    return CliFixture::Run("--db " + Store() + " " + args);
  }

  std::string profiles_;
};

constexpr char kProfiles[] =
    R"({"id": "a", "name": "A", "kind": "city", "country": "ES", )"
    R"("text": "A boasts water reuse and seeks solar power."})"
    "\n";

TEST_F(TaxonomyCommandTest, BundledTaxonomyChecksCleanOnTheBundledProfiles) {
  const Result r = Run("taxonomy check --profiles " + profiles_);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("Profiles: 29, from " + profiles_));
  EXPECT_THAT(r.out, HasSubstr("Phrases two themes claim, or a strong phrase "
                               "shadows (after stemming): none"));
  EXPECT_THAT(r.out, HasSubstr("Cues in both the offer and the seek list: none"));
  EXPECT_THAT(r.out, HasSubstr("Themes without a definition: none"));
  EXPECT_THAT(r.out, HasSubstr("Phrases that match nothing in these 29 "
                               "profiles: "));
  EXPECT_THAT(r.out, HasSubstr("OK: no problems found"));
  EXPECT_EQ(r.err, "");
}

TEST_F(TaxonomyCommandTest, ListsPhrasesThatMatchInTheFileButNotTheBundledProfiles) {
  constexpr char kOwn[] =
      R"({"id": "x", "name": "X", "kind": "city", "country": "ES", )"
      R"("text": "X seeks desalination and water reuse."})"
      "\n";
  const Result r = Run("taxonomy check --profiles " + WriteFile("own.jsonl", kOwn));
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("Phrases that match in these profiles and in "
                               "none of the 29 bundled profiles: "));
  EXPECT_THAT(r.out, HasSubstr("water \"desalination\""));
  // Without --profiles the store is checked and nothing is compared.
  EXPECT_THAT(Run("taxonomy check").out,
              Not(HasSubstr("in none of the 29 bundled profiles")));
}

TEST_F(TaxonomyCommandTest, WithoutProfilesItChecksTheStore) {
  const Result r = Run("taxonomy check");
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("Profiles: 29, from the store " + db_));
}

TEST_F(TaxonomyCommandTest, ClashingPhrasesAreProblems) {
  const std::string taxonomy = WriteFile("clash.json", R"({"themes": [
      {"id": "water", "definition": "Water.", "phrases": ["water reuse"]},
      {"id": "circular", "definition": "Reuse.", "phrases": ["water reuses"]},
      {"id": "energy", "definition": "Energy.", "phrases": ["solar power"],
       "weakPhrases": ["solar powers"]}]})");
  const Result r = Run("taxonomy check --taxonomy " + taxonomy +
                       " --profiles " + WriteFile("p.jsonl", kProfiles));
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("Taxonomy: " + taxonomy +
                               ": 3 themes, 4 phrases, 0 cues"));
  EXPECT_THAT(r.out, HasSubstr("(after stemming): 2\n"));
  // The table: stems, the phrase that matches, the one that never does.
  EXPECT_THAT(r.out,
              HasSubstr("\n  solar power              energy \"solar power\""
                        "                     energy \"solar powers\" (weak)\n"));
  EXPECT_THAT(r.out,
              HasSubstr("\n  water reus               water \"water reuse\""
                        "                      circular \"water reuses\"\n"));
  EXPECT_THAT(r.out, HasSubstr("\n2 problems found\n"));
}

TEST_F(TaxonomyCommandTest, ThemeWithoutDefinitionAndCueInBothListsAreProblems) {
  const std::string taxonomy = WriteFile("t.json", R"({"themes": [
      {"id": "water", "phrases": ["water reuse"]},
      {"id": "energy", "definition": "Energy.", "phrases": ["solar power"]}],
    "offerCues": ["boasts"], "seekCues": ["seeks", "boasts"]})");
  const Result r = Run("taxonomy check --taxonomy " + taxonomy +
                       " --profiles " + WriteFile("p.jsonl", kProfiles));
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("Themes without a definition: 1\n  water\n"));
  EXPECT_THAT(r.out,
              HasSubstr("Cues in both the offer and the seek list: 1\n  boasts\n"));
  EXPECT_THAT(r.out, HasSubstr("\n2 problems found\n"));
}

TEST_F(TaxonomyCommandTest, UnusedPhrasesAreAHintUnlessAskedToFail) {
  const std::string taxonomy = WriteFile("t.json", R"({"themes": [
      {"id": "water", "definition": "Water.", "phrases": ["water reuse"]},
      {"id": "ports", "definition": "Ports.", "phrases": ["port"],
       "weakPhrases": ["harbour"]}],
    "offerCues": ["boasts"], "seekCues": ["seeks", "wants to learn"]})");
  const std::string profiles = WriteFile("p.jsonl", kProfiles);
  Result r = Run("taxonomy check --taxonomy " + taxonomy + " --profiles " +
                 profiles);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("Phrases that match nothing in these 1 "
                               "profiles: 2 of 3 (a hint, not a problem)\n"
                               "  ports                    port, harbour (weak)\n"));
  EXPECT_THAT(r.out, HasSubstr("Cues that match nothing in these profiles: 1 "
                               "of 3 (a hint, not a problem)\n  wants to learn\n"));
  EXPECT_THAT(r.out, HasSubstr("OK: no problems found"));

  r = Run("taxonomy check --fail-on-unused --taxonomy " + taxonomy +
          " --profiles " + profiles);
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("2 of 3 (problems: --fail-on-unused)"));
  EXPECT_THAT(r.out, HasSubstr("\n2 problems found\n"));
}

TEST_F(TaxonomyCommandTest, BadTaxonomyFileFailsNamingTheFileAndTheTheme) {
  const std::string malformed = WriteFile("bad.json", R"({"themes": [)");
  Result r = Run("taxonomy check --taxonomy " + malformed);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "partner-match: error: " + malformed +
                       ": malformed taxonomy JSON: Unexpected end of string. "
                       "Expected a value or ] within an array.\n");

  const std::string no_phrases = WriteFile(
      "empty.json", R"({"themes": [{"id": "water", "definition": "W."}]})");
  r = Run("taxonomy check --taxonomy " + no_phrases);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "partner-match: error: " + no_phrases +
                       ": theme \"water\": no phrases\n");

  r = Run("taxonomy show --taxonomy " + no_phrases);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr(": theme \"water\": no phrases"));
}

TEST_F(TaxonomyCommandTest, BadProfilesFileFails) {
  const Result r = Run("taxonomy check --profiles " +
                       WriteFile("p.jsonl", "{\"id\": \"a\"}\n"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("partner-match: error: "));
  EXPECT_THAT(r.err, HasSubstr("p.jsonl:1"));
}

TEST_F(TaxonomyCommandTest, UsageErrorsExitTwo) {
  EXPECT_EQ(Run("taxonomy").exit_code, 2);
  EXPECT_EQ(Run("taxonomy frobnicate").exit_code, 2);
  EXPECT_EQ(Run("taxonomy check --taxonomy " + (dir_ / "missing.json").string())
                .exit_code,
            2);
  EXPECT_EQ(Run("taxonomy check --help").exit_code, 0);
  EXPECT_EQ(Run("taxonomy show --help").exit_code, 0);
}

TEST_F(TaxonomyCommandTest, ShowListsTheThemes) {
  const Result r = Run("taxonomy show");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("Taxonomy: the bundled taxonomy"));
  EXPECT_THAT(r.out, HasSubstr("  water  "));
  EXPECT_THAT(r.out, HasSubstr("  air_quality  "));
  EXPECT_THAT(r.out, Not(HasSubstr("(no definition)")));
}

TEST_F(TaxonomyCommandTest, ShowJsonIsTheTaxonomyMessageWithTheContractIds) {
  const Result r = Run("taxonomy show --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  v1::Taxonomy taxonomy;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(r.out, &taxonomy).ok())
      << r.out;
  std::vector<std::string> ids;
  for (const v1::Theme& t : taxonomy.themes()) ids.push_back(t.id());
  EXPECT_THAT(ids, ::testing::ElementsAre(
                       "water", "circular_economy", "nature_based_solutions",
                       "climate_adaptation", "energy_transition",
                       "urban_mobility", "digital_transition",
                       "culture_heritage", "sustainable_tourism",
                       "urban_regeneration", "housing", "social_inclusion",
                       "food_agriculture", "regional_innovation",
                       "ports_maritime", "jobs_skills", "health_wellbeing",
                       "urban_resilience", "urban_planning", "air_quality"));
  EXPECT_GT(taxonomy.offer_cues_size(), 0);
  EXPECT_GT(taxonomy.seek_cues_size(), 0);
}

}  // namespace
