#include "engine/extraction/taxonomy_check.h"

#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace pm {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

Taxonomy Parse(const std::string& json) {
  absl::StatusOr<Taxonomy> taxonomy = Taxonomy::ParseJson(json, "test");
  EXPECT_TRUE(taxonomy.ok()) << taxonomy.status();
  return taxonomy.ok() ? *std::move(taxonomy) : Taxonomy();
}

std::string Describe(const PhraseRef& p) {
  return p.theme + ":" + p.phrase + (p.weak ? "(weak)" : "");
}

std::vector<std::string> Clashes(const TaxonomyCheckReport& report) {
  std::vector<std::string> out;
  for (const PhraseClash& c : report.clashes) {
    out.push_back(c.stems + " = " + Describe(c.a) + " > " + Describe(c.b));
  }
  return out;
}

TEST(TaxonomyCheckTest, CleanTaxonomyHasNoProblems) {
  const Taxonomy t = Parse(R"({"themes": [
      {"id": "water", "definition": "Water.", "phrases": ["water reuse"]},
      {"id": "energy", "definition": "Energy.", "phrases": ["solar power"]}],
    "offerCues": ["boasts"], "seekCues": ["seeks"]})");
  const TaxonomyCheckReport report =
      CheckTaxonomy(t, {"It boasts water reuse and seeks solar power."});
  EXPECT_EQ(report.problems(), 0u);
  EXPECT_THAT(report.clashes, IsEmpty());
  EXPECT_THAT(report.unused_phrases, IsEmpty());
  EXPECT_THAT(report.unused_cues, IsEmpty());
  EXPECT_EQ(report.texts, 1u);
  EXPECT_EQ(report.phrases, 2u);
  EXPECT_EQ(report.cues, 2u);
}

TEST(TaxonomyCheckTest, ListsPhrasesThatMatchOnlyInTheTextsNotTheReference) {
  const Taxonomy t = Parse(R"({"themes": [
      {"id": "water", "definition": "Water.", "phrases": ["water reuse"],
       "weakPhrases": ["river"]},
      {"id": "energy", "definition": "Energy.", "phrases": ["solar power"]}]})");
  const TaxonomyCheckReport report = CheckTaxonomy(
      t, {"Water reuse by the river.", "Solar power.", "Water reuse and solar power."},
      {"A river town with solar power."});
  EXPECT_EQ(report.reference_texts, 1u);
  ASSERT_EQ(report.phrases_only_in_texts.size(), 1u);
  EXPECT_EQ(Describe(report.phrases_only_in_texts[0].phrase),
            "water:water reuse");
  EXPECT_THAT(report.phrases_only_in_texts[0].texts, ElementsAre(0u, 2u));
  // Without reference texts the list stays empty.
  EXPECT_THAT(CheckTaxonomy(t, {"Water reuse."}).phrases_only_in_texts,
              IsEmpty());
}

TEST(TaxonomyCheckTest, ReportsPhrasesTwoThemesClaimAfterStemming) {
  // "recycled materials" and "recycling material" share the stems
  // "recycl materi"; "e-mobility" and "emobility" share the closed form.
  const Taxonomy t = Parse(R"({"themes": [
      {"id": "circular", "definition": "d", "phrases": ["recycled materials"]},
      {"id": "industry", "definition": "d", "phrases": ["recycling material"]},
      {"id": "mobility", "definition": "d", "phrases": ["e-mobility"]},
      {"id": "digital", "definition": "d", "phrases": ["x"],
       "weakPhrases": ["emobility"]}]})");
  const TaxonomyCheckReport report = CheckTaxonomy(t, {});
  EXPECT_THAT(Clashes(report),
              ElementsAre("emobl = mobility:e-mobility > digital:emobility(weak)",
                          "recycl materi = circular:recycled materials > "
                          "industry:recycling material"));
  EXPECT_EQ(report.problems(), 2u);
}

TEST(TaxonomyCheckTest, ReportsAWeakPhraseItsOwnThemeShadows) {
  const Taxonomy t = Parse(R"({"themes": [
      {"id": "social", "definition": "d", "phrases": ["inclusion"],
       "weakPhrases": ["inclusive", "equity"]}]})");
  EXPECT_THAT(Clashes(CheckTaxonomy(t, {})),
              ElementsAre("inclus = social:inclusion > social:inclusive(weak)"));
}

TEST(TaxonomyCheckTest, DuplicatesWithinOneThemeAndListAreHarmless) {
  const Taxonomy t = Parse(R"({"themes": [
      {"id": "planning", "definition": "d",
       "phrases": ["land use", "land-use", "land uses"]}]})");
  EXPECT_EQ(CheckTaxonomy(t, {}).problems(), 0u);
}

TEST(TaxonomyCheckTest, ReportsCuesInBothListsAndThemesWithoutDefinition) {
  const Taxonomy t = Parse(R"({"themes": [
      {"id": "water", "phrases": ["water reuse"]},
      {"id": "energy", "definition": "  ", "phrases": ["solar power"]},
      {"id": "ports", "definition": "Ports.", "phrases": ["port"]}],
    "offerCues": ["Focuses on", "boasts"],
    "seekCues": ["focuses  on", "seeks"]})");
  const TaxonomyCheckReport report = CheckTaxonomy(t, {});
  EXPECT_THAT(report.cues_in_both_lists, ElementsAre("Focuses on"));
  EXPECT_THAT(report.themes_without_definition, ElementsAre("water", "energy"));
  EXPECT_EQ(report.problems(), 3u);
}

TEST(TaxonomyCheckTest, ListsPhrasesAndCuesThatMatchNothing) {
  const Taxonomy t = Parse(R"({"themes": [
      {"id": "water", "definition": "d", "phrases": ["water reuse", "water"],
       "weakPhrases": ["rivers"]},
      {"id": "energy", "definition": "d", "phrases": ["solar power"]}],
    "offerCues": ["boasts"], "seekCues": ["seeks", "wants to learn"]})");
  // "water" occurs inside "water reuse": matched alone, it is used.
  const TaxonomyCheckReport report = CheckTaxonomy(
      t, {"The city boasts water reuse.", "A river crosses it."});
  std::vector<std::string> unused;
  for (const PhraseRef& p : report.unused_phrases) unused.push_back(Describe(p));
  EXPECT_THAT(unused, ElementsAre("energy:solar power"));
  EXPECT_THAT(report.unused_cues, ElementsAre("seeks", "wants to learn"));
  EXPECT_EQ(report.problems(), 0u);  // unused phrases are no problem
}

TEST(TaxonomyCheckTest, BundledTaxonomyHasNoProblems) {
  const TaxonomyCheckReport report = CheckTaxonomy(Taxonomy::Bundled(), {});
  EXPECT_THAT(Clashes(report), IsEmpty());
  EXPECT_THAT(report.cues_in_both_lists, IsEmpty());
  EXPECT_THAT(report.themes_without_definition, IsEmpty());
}

}  // namespace
}  // namespace pm
