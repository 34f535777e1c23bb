#include "engine/taxonomy/taxonomy.h"

#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace pm {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::ElementsAreArray;

constexpr char kSmallTaxonomy[] = R"json({
  "themes": [
    {"id": "water", "label": "Water", "definition": "Water supply and use.",
     "phrases": ["water efficiency", "water management"],
     "weakPhrases": ["water"]},
    {"id": "circular_economy", "label": "Circular economy",
     "phrases": ["circular economy"]}
  ],
  "offerCues": ["has experience in", "boasts"],
  "seekCues": ["is interested in"]
})json";

absl::Status ParseError(const std::string& json) {
  return Taxonomy::ParseJson(json, "test.json").status();
}

TEST(TaxonomyTest, ParsesThemesPhrasesAndCues) {
  absl::StatusOr<Taxonomy> taxonomy =
      Taxonomy::ParseJson(kSmallTaxonomy, "small.json");
  ASSERT_TRUE(taxonomy.ok()) << taxonomy.status();
  ASSERT_EQ(taxonomy->size(), 2);
  const Theme& water = taxonomy->themes()[0];
  EXPECT_EQ(water.id, "water");
  EXPECT_EQ(water.label, "Water");
  EXPECT_EQ(water.definition, "Water supply and use.");
  EXPECT_THAT(water.phrases,
              ElementsAre("water efficiency", "water management"));
  EXPECT_THAT(water.weak_phrases, ElementsAre("water"));
  EXPECT_THAT(taxonomy->themes()[1].weak_phrases, IsEmpty());
  EXPECT_THAT(taxonomy->offer_cues(),
              ElementsAre("has experience in", "boasts"));
  EXPECT_THAT(taxonomy->seek_cues(), ElementsAre("is interested in"));
}

TEST(TaxonomyTest, AcceptsProtoFieldNamesAsWellAsJsonNames) {
  absl::StatusOr<Taxonomy> taxonomy = Taxonomy::ParseJson(
      R"({"themes": [{"id": "a", "phrases": ["x"], "weak_phrases": ["y"]}],
          "offer_cues": ["boasts"], "seek_cues": ["seeks"]})",
      "t");
  ASSERT_TRUE(taxonomy.ok()) << taxonomy.status();
  EXPECT_THAT(taxonomy->themes()[0].weak_phrases, ElementsAre("y"));
  EXPECT_THAT(taxonomy->offer_cues(), ElementsAre("boasts"));
  EXPECT_THAT(taxonomy->seek_cues(), ElementsAre("seeks"));
}

TEST(TaxonomyTest, IndexOfFindsThemesByIdAndMinusOneOtherwise) {
  absl::StatusOr<Taxonomy> taxonomy = Taxonomy::ParseJson(kSmallTaxonomy, "t");
  ASSERT_TRUE(taxonomy.ok());
  EXPECT_EQ(taxonomy->IndexOf("water"), 0);
  EXPECT_EQ(taxonomy->IndexOf("circular_economy"), 1);
  EXPECT_EQ(taxonomy->IndexOf("housing"), -1);
  EXPECT_EQ(taxonomy->IndexOf(""), -1);
  EXPECT_EQ(taxonomy->IndexOf("Water"), -1);  // ids are case-sensitive
}

TEST(TaxonomyTest, CuesAreOptional) {
  absl::StatusOr<Taxonomy> taxonomy = Taxonomy::ParseJson(
      R"({"themes": [{"id": "a", "phrases": ["x"]}]})", "t");
  ASSERT_TRUE(taxonomy.ok()) << taxonomy.status();
  EXPECT_THAT(taxonomy->offer_cues(), IsEmpty());
  EXPECT_THAT(taxonomy->seek_cues(), IsEmpty());
}

// The text after "malformed taxonomy JSON: " is protobuf's (3.21).
TEST(TaxonomyTest, RejectsMalformedJsonNamingTheSource) {
  const absl::Status status = ParseError(R"({"themes": [)");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "test.json: malformed taxonomy JSON: Unexpected end of string. "
            "Expected a value or ] within an array.");
}

TEST(TaxonomyTest, RejectsUnknownField) {
  const absl::Status status = ParseError(
      R"({"themes": [{"id": "a", "phrases": ["x"], "colour": "blue"}]})");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "test.json: malformed taxonomy JSON: (themes[0]) colour: Cannot "
            "find field.");
}

TEST(TaxonomyTest, RejectsWrongFieldType) {
  const absl::Status status =
      ParseError(R"({"themes": [{"id": "a", "phrases": [5]}]})");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "test.json: malformed taxonomy JSON: (themes[0].phrases[0]): "
            "invalid value 5 for type TYPE_STRING");
}

TEST(TaxonomyTest, RejectsEmptyTaxonomy) {
  for (const char* json : {"{}", R"({"themes": []})"}) {
    const absl::Status status = ParseError(json);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << json;
    EXPECT_EQ(status.message(), "test.json: the taxonomy has no themes")
        << json;
  }
}

TEST(TaxonomyTest, RejectsEmptyThemeId) {
  const absl::Status status = ParseError(
      R"({"themes": [{"id": "a", "phrases": ["x"]}, {"phrases": ["y"]}]})");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "test.json: themes[1] has an empty id");
}

TEST(TaxonomyTest, RejectsDuplicateThemeId) {
  const absl::Status status = ParseError(
      R"({"themes": [{"id": "water", "phrases": ["x"]},
                     {"id": "energy", "phrases": ["y"]},
                     {"id": "water", "phrases": ["z"]}]})");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "test.json: themes[2]: duplicate theme id \"water\"");
}

TEST(TaxonomyTest, RejectsThemeWithoutPhrases) {
  const absl::Status status = ParseError(
      R"({"themes": [{"id": "housing", "weakPhrases": ["homes"]}]})");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "test.json: theme \"housing\": no phrases");
}

TEST(TaxonomyTest, RejectsEmptyPhrase) {
  const absl::Status status = ParseError(
      R"({"themes": [{"id": "water", "phrases": ["water reuse", ""]}]})");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "test.json: theme \"water\": phrases[1] \"\" has no words");
}

TEST(TaxonomyTest, RejectsPhraseOfPunctuationOnly) {
  const absl::Status status =
      ParseError(R"({"themes": [{"id": "water", "phrases": [" - "]}]})");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "test.json: theme \"water\": phrases[0] \" - \" has no words");
}

TEST(TaxonomyTest, RejectsEmptyWeakPhrase) {
  const absl::Status status = ParseError(
      R"({"themes": [{"id": "water", "phrases": ["x"], "weakPhrases": [" "]}]})");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "test.json: theme \"water\": weak_phrases[0] \" \" has no words");
}

TEST(TaxonomyTest, RejectsEmptyCues) {
  absl::Status status = ParseError(
      R"({"themes": [{"id": "a", "phrases": ["x"]}], "offerCues": ["boasts", ""]})");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "test.json: offer_cues[1] \"\" has no words");

  status = ParseError(
      R"({"themes": [{"id": "a", "phrases": ["x"]}], "seekCues": ["..."]})");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "test.json: seek_cues[0] \"...\" has no words");
}

// The theme ids that docs/design.md makes part of the product's interface.
TEST(TaxonomyTest, BundledTaxonomyLoadsWithTheDesignsTwentyThemeIds) {
  const Taxonomy& bundled = Taxonomy::Bundled();
  std::vector<std::string> ids;
  for (const Theme& theme : bundled.themes()) {
    ids.push_back(theme.id);
    EXPECT_FALSE(theme.label.empty()) << theme.id;
    EXPECT_FALSE(theme.definition.empty()) << theme.id;
  }
  // In this order: other programs index themes by position.
  EXPECT_THAT(ids, ElementsAreArray(
                       std::vector<std::string>{"water",
                                                "circular_economy",
                                                "nature_based_solutions",
                                                "climate_adaptation",
                                                "energy_transition",
                                                "urban_mobility",
                                                "digital_transition",
                                                "culture_heritage",
                                                "sustainable_tourism",
                                                "urban_regeneration",
                                                "housing",
                                                "social_inclusion",
                                                "food_agriculture",
                                                "regional_innovation",
                                                "ports_maritime",
                                                "jobs_skills",
                                                "health_wellbeing",
                                                "urban_resilience",
                                                "urban_planning",
                                                "air_quality"}));
  EXPECT_THAT(bundled.offer_cues(), ::testing::Not(IsEmpty()));
  EXPECT_THAT(bundled.seek_cues(), ::testing::Not(IsEmpty()));
}

TEST(TaxonomyTest, BundledIsParsedOnceAndSharedBetweenThreads) {
  const Taxonomy* seen[4] = {};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&seen, i] { seen[i] = &Taxonomy::Bundled(); });
  }
  for (std::thread& t : threads) t.join();
  for (const Taxonomy* t : seen) EXPECT_EQ(t, &Taxonomy::Bundled());
}

}  // namespace
}  // namespace pm
