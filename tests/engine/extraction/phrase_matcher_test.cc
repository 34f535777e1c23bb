#include "engine/extraction/phrase_matcher.h"

#include <string>
#include <string_view>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace pm {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// The text of each match of `set` in `text`, as "id:words".
std::vector<std::string> Found(const PatternSet& set, const std::string& text) {
  const AnalyzedText analyzed = TextAnalyzer::Analyze(text);
  const WordSequence w = CollectWords(text, analyzed);
  std::vector<std::string> out;
  for (const PatternMatch& m : set.FindAll(w)) {
    const size_t begin = analyzed.tokens[w.token[m.first]].begin;
    const size_t end = analyzed.tokens[w.token[m.end - 1]].end;
    out.push_back(std::to_string(m.id) + ":" + text.substr(begin, end - begin));
  }
  return out;
}

PatternSet Stems(std::vector<std::string> phrases) {
  PatternSet set(PatternSet::MatchOn::kStems, 0);
  for (size_t i = 0; i < phrases.size(); ++i) {
    set.Add(phrases[i], static_cast<int>(i));
  }
  return set;
}

TEST(PatternSetTest, StemsMatchPluralsAndInflections) {
  const PatternSet set = Stems({"nature-based solution", "green corridor"});
  EXPECT_THAT(Found(set, "It restores green corridors with nature-based "
                         "solutions."),
              ElementsAre("1:green corridors", "0:nature-based solutions"));
}

TEST(PatternSetTest, HyphenIsOptionalBothWays) {
  const PatternSet set = Stems({"e-mobility", "cooperation", "nature based"});
  EXPECT_THAT(Found(set, "e mobility, emobility, E-Mobility"),
              ElementsAre("0:e mobility", "0:emobility", "0:E-Mobility"));
  EXPECT_THAT(Found(set, "co-operation and nature-based"),
              ElementsAre("1:co-operation", "2:nature-based"));
}

TEST(PatternSetTest, AcronymMatchesOnlyCapitals) {
  const PatternSet set = Stems({"NBS", "IT", "RIS3"});
  EXPECT_THAT(Found(set, "It has NBS, RIS3 and IT; it has nbs and ris3."),
              ElementsAre("0:NBS", "2:RIS3", "1:IT"));
}

TEST(PatternSetTest, PunctuationAndSentencesSeparateWords) {
  const PatternSet set = Stems({"water efficiency", "climate change"});
  EXPECT_THAT(Found(set, "water, efficiency; climate. Change"), IsEmpty());
}

TEST(PatternSetTest, LongestMatchWinsEachWordUsedOnce) {
  const PatternSet set =
      Stems({"climate change", "climate change adaptation", "adaptation"});
  EXPECT_THAT(Found(set, "climate change adaptation and adaptation"),
              ElementsAre("1:climate change adaptation", "2:adaptation"));
}

TEST(PatternSetTest, StrongBeatsWeakOfTheSameLength) {
  PatternSet set(PatternSet::MatchOn::kStems, 0);
  set.Add("water", 0, /*weak=*/true);
  set.Add("water", 1);
  const std::string text = "water";
  const AnalyzedText analyzed = TextAnalyzer::Analyze(text);
  const std::vector<PatternMatch> found =
      set.FindAll(CollectWords(text, analyzed));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].id, 1);
  EXPECT_FALSE(found[0].weak);
}

TEST(PatternSetTest, FoldedWordsMatchExactFormsOnly) {
  PatternSet set(PatternSet::MatchOn::kFoldedWords, 2);
  set.Add("promotes", 0);
  set.Add("has experience in", 1);
  EXPECT_THAT(Found(set, "It PROMOTES tourism, not promoting or promotion."),
              ElementsAre("0:PROMOTES"));
  // Gap words between the cue's words; not across punctuation.
  EXPECT_THAT(Found(set, "It has long, broad experience in water."),
              IsEmpty());
  EXPECT_THAT(Found(set, "It has extensive experience in water."),
              ElementsAre("1:has extensive experience in"));
}

TEST(PatternSetTest, TighterCueBeatsOneWithGapWords) {
  PatternSet set(PatternSet::MatchOn::kFoldedWords, 2);
  set.Add("has experience in", 0);
  set.Add("interest in", 1);
  EXPECT_THAT(Found(set, "It has experience and interest in water."),
              ElementsAre("1:interest in"));
}

TEST(PatternSetTest, FindEveryReportsOverlappingOccurrences) {
  const PatternSet set = Stems({"climate change", "change adaptation"});
  const std::string text = "climate change adaptation";
  const AnalyzedText analyzed = TextAnalyzer::Analyze(text);
  EXPECT_EQ(set.FindEvery(CollectWords(text, analyzed)).size(), 2u);
  EXPECT_EQ(set.FindAll(CollectWords(text, analyzed)).size(), 1u);
}

TEST(PatternSetTest, AddRefusesPhraseWithoutWords) {
  PatternSet set(PatternSet::MatchOn::kStems, 0);
  EXPECT_FALSE(set.Add(" - ", 0));
  EXPECT_TRUE(set.Add("water", 0));
}

TEST(PatternSetTest, CompileGivesTheStemsAndTheClosedForm) {
  const PatternSet set = Stems({});
  EXPECT_THAT(set.Compile("e-Mobility"),
              ElementsAre(ElementsAre("e", "mobil"), ElementsAre("emobl")));
  EXPECT_THAT(set.Compile("-"), IsEmpty());
}

TEST(WordSequenceTest, KnowsCapitalsPossessivesAndGaps) {
  const std::string text = "Rome's parks; Almería, it.";
  const AnalyzedText analyzed = TextAnalyzer::Analyze(text);
  const WordSequence w = CollectWords(text, analyzed);
  ASSERT_EQ(w.size(), 4u);
  EXPECT_TRUE(w.capitalised[0]);
  EXPECT_TRUE(w.possessive[0]);
  EXPECT_FALSE(w.capitalised[1]);
  EXPECT_TRUE(w.GapHas(1, ';'));
  EXPECT_TRUE(w.separated[1]);
  EXPECT_TRUE(w.capitalised[2]);  // "Almería": ASCII first letter
  EXPECT_FALSE(w.possessive[2]);
  EXPECT_TRUE(w.separated[3]);  // the last word
}

}  // namespace
}  // namespace pm
