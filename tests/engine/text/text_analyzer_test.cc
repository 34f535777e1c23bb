#include "engine/text/text_analyzer.h"

#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace pm {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::vector<std::string> Folded(const AnalyzedText& a) {
  std::vector<std::string> out;
  for (const Token& t : a.tokens) out.push_back(t.folded);
  return out;
}

std::vector<std::string> Stems(const AnalyzedText& a) {
  std::vector<std::string> out;
  for (const Token& t : a.tokens) out.push_back(t.stem);
  return out;
}

// The text of each sentence, cut from `text` by its offsets.
std::vector<std::string> SentenceTexts(std::string_view text,
                                       const AnalyzedText& a) {
  std::vector<std::string> out;
  for (const Sentence& s : a.sentences) {
    out.emplace_back(text.substr(s.begin, s.end - s.begin));
  }
  return out;
}

// ---- ValidateUtf8 ----

TEST(TextAnalyzerValidateUtf8Test, AcceptsValidText) {
  EXPECT_TRUE(ValidateUtf8("").ok());
  EXPECT_TRUE(ValidateUtf8("Almería, Trás-os-Montes, 東京, Rome’s").ok());
}

TEST(TextAnalyzerValidateUtf8Test, RejectsInvalidByteWithItsOffset) {
  const absl::Status status = ValidateUtf8(
      "abc\xff"
      "def");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "invalid UTF-8 at byte 3");
}

TEST(TextAnalyzerValidateUtf8Test, RejectsTruncatedSequenceAtItsStart) {
  const absl::Status status = ValidateUtf8("Almer\xc3");  // "í" cut short
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "invalid UTF-8 at byte 5");
}

TEST(TextAnalyzerValidateUtf8Test, RejectsOverlongEncoding) {
  EXPECT_EQ(ValidateUtf8("a\xc0\xaf").code(),
            absl::StatusCode::kInvalidArgument);
}

// ---- FoldText ----

TEST(TextAnalyzerFoldTextTest, StripsAccentsAndFoldsCase) {
  EXPECT_EQ(FoldText("Almería"), "almeria");
  EXPECT_EQ(FoldText("Trás-os-Montes"), "tras-os-montes");
  EXPECT_EQ(FoldText("CASTILLA Y LEÓN"), "castilla y leon");
  EXPECT_EQ(FoldText("Besòs"), "besos");
  EXPECT_EQ(FoldText("Künzel"), "kunzel");
}

TEST(TextAnalyzerFoldTextTest, DecomposedAndComposedAccentsFoldAlike) {
  EXPECT_EQ(FoldText("Almeri\xcc\x81"
                     "a"),
            "almeria");  // i + U+0301
}

TEST(TextAnalyzerFoldTextTest, AppliesCompatibilityMappingsAndFullCaseFolding) {
  EXPECT_EQ(FoldText("Straße"), "strasse");
  EXPECT_EQ(FoldText("ﬁnance"), "finance");    // U+FB01 ligature
  EXPECT_EQ(FoldText("Ｔｏｋｙｏ"), "tokyo");  // full-width letters
}

TEST(TextAnalyzerFoldTextTest, EmptyStaysEmpty) { EXPECT_EQ(FoldText(""), ""); }

// ASCII folds without utf8proc; a non-ASCII letter sends the same text
// through utf8proc, whose fold is the reference.
TEST(TextAnalyzerFoldTextTest, AsciiFoldsAsUtf8procFoldsIt) {
  std::string all;
  for (int c = 1; c < 0x80; ++c) {
    const std::string one(1, static_cast<char>(c));
    EXPECT_EQ(FoldText(one) + "e", FoldText(one + "\u00E9")) << "byte " << c;
    all += one;
  }
  EXPECT_EQ(FoldText(all) + "e", FoldText(all + "\u00E9"));
}

// ---- Tokens ----

TEST(TextAnalyzerTest, TokensKeepByteOffsetsIntoTheOriginalText) {
  const std::string text = "Almería has experience.";
  const AnalyzedText a = TextAnalyzer::Analyze(text);
  ASSERT_EQ(a.tokens.size(), 3u);
  EXPECT_EQ(a.tokens[0].folded, "almeria");
  EXPECT_EQ(a.tokens[0].begin, 0u);
  EXPECT_EQ(a.tokens[0].end, 8u);  // "í" is two bytes
  EXPECT_EQ(text.substr(a.tokens[0].begin, a.tokens[0].end - a.tokens[0].begin),
            "Almería");
  EXPECT_EQ(text.substr(a.tokens[1].begin, a.tokens[1].end - a.tokens[1].begin),
            "has");
  EXPECT_EQ(text.substr(a.tokens[2].begin, a.tokens[2].end - a.tokens[2].begin),
            "experience");
}

TEST(TextAnalyzerTest, OffsetsStayRightAfterCharactersThatFoldToMoreBytes) {
  // "ß" folds to "ss" and "ﬁ" to "fi": folding per token keeps offsets.
  const std::string text = "Straße ﬁnance Köln";
  const AnalyzedText a = TextAnalyzer::Analyze(text);
  ASSERT_EQ(a.tokens.size(), 3u);
  EXPECT_THAT(Folded(a), ElementsAre("strasse", "finance", "koln"));
  for (const Token& t : a.tokens) {
    EXPECT_EQ(FoldText(text.substr(t.begin, t.end - t.begin)), t.folded);
  }
  EXPECT_EQ(text.substr(a.tokens[2].begin), "Köln");
}

TEST(TextAnalyzerTest, PunctuationProducesNoTokens) {
  const AnalyzedText a =
      TextAnalyzer::Analyze("Ports, (tourism); \"culture\" & trade: 22@!");
  EXPECT_THAT(Folded(a),
              ElementsAre("ports", "tourism", "culture", "trade", "22"));
}

TEST(TextAnalyzerTest, HyphenIsATokenOfItsOwn) {
  const std::string text = "e-mobility and nature-based solutions";
  const AnalyzedText a = TextAnalyzer::Analyze(text);
  EXPECT_THAT(Folded(a), ElementsAre("e", "-", "mobility", "and", "nature", "-",
                                     "based", "solutions"));
  EXPECT_EQ(a.tokens[1].stem, "-");
  EXPECT_EQ(a.tokens[1].begin, 1u);
  EXPECT_EQ(a.tokens[1].end, 2u);
}

TEST(TextAnalyzerTest, UnicodeHyphenIsFoldedToAsciiHyphen) {
  const AnalyzedText a = TextAnalyzer::Analyze("e\u2010mobility");
  EXPECT_THAT(Folded(a), ElementsAre("e", "-", "mobility"));
  EXPECT_EQ(a.tokens[1].end - a.tokens[1].begin, 3u);  // U+2010 is 3 bytes
}

TEST(TextAnalyzerTest, HyphenedPlaceNameSplitsAroundHyphens) {
  EXPECT_THAT(Folded(TextAnalyzer::Analyze("Trás-os-Montes")),
              ElementsAre("tras", "-", "os", "-", "montes"));
}

TEST(TextAnalyzerTest, DecimalNumbersAndThousandsAreOneToken) {
  EXPECT_THAT(Folded(TextAnalyzer::Analyze("Industry 5.0 and 1,500 meters")),
              ElementsAre("industry", "5.0", "and", "1,500", "meters"));
}

TEST(TextAnalyzerTest, LettersAndDigitsTogetherAreOneToken) {
  EXPECT_THAT(Folded(TextAnalyzer::Analyze("RIS4 and COVID-19")),
              ElementsAre("ris4", "and", "covid", "-", "19"));
}

TEST(TextAnalyzerTest, InitialismKeepsInnerPeriods) {
  EXPECT_THAT(Folded(TextAnalyzer::Analyze("ports, e.g. Busan")),
              ElementsAre("ports", "e.g", "busan"));
}

TEST(TextAnalyzerTest, PossessiveApostropheSIsDropped) {
  const std::string text = "Rome’s area and Italy's capital";
  const AnalyzedText a = TextAnalyzer::Analyze(text);
  EXPECT_THAT(Folded(a),
              ElementsAre("rome", "area", "and", "italy", "capital"));
  EXPECT_EQ(text.substr(a.tokens[0].begin, a.tokens[0].end - a.tokens[0].begin),
            "Rome");
}

TEST(TextAnalyzerTest, PluralPossessiveApostropheIsPunctuation) {
  EXPECT_THAT(Folded(TextAnalyzer::Analyze("residents’ tenacity")),
              ElementsAre("residents", "tenacity"));
}

TEST(TextAnalyzerTest, ContractionIsOneTokenWithoutItsApostrophe) {
  const std::string text = "workforce doesn’t generate";
  const AnalyzedText a = TextAnalyzer::Analyze(text);
  EXPECT_THAT(Folded(a), ElementsAre("workforce", "doesnt", "generate"));
  EXPECT_EQ(text.substr(a.tokens[1].begin, a.tokens[1].end - a.tokens[1].begin),
            "doesn’t");
}

TEST(TextAnalyzerTest, MissingSpaceAfterPeriodSeparatesWords) {
  EXPECT_THAT(Folded(TextAnalyzer::Analyze("the sector.The city")),
              ElementsAre("the", "sector", "the", "city"));
}

TEST(TextAnalyzerTest, SplitsWordsRunTogetherByALostSpace) {
  const std::string text = "sustainable agricultureIt also seeks";
  const AnalyzedText a = TextAnalyzer::Analyze(text);
  EXPECT_THAT(Folded(a),
              ElementsAre("sustainable", "agriculture", "it", "also", "seeks"));
  EXPECT_EQ(text.substr(a.tokens[1].begin, a.tokens[1].end - a.tokens[1].begin),
            "agriculture");
  EXPECT_EQ(text.substr(a.tokens[2].begin, a.tokens[2].end - a.tokens[2].begin),
            "It");
}

TEST(TextAnalyzerTest, KeepsShortPrefixesAndAcronymsBeforeCapitals) {
  EXPECT_THAT(Folded(TextAnalyzer::Analyze("iPhone McKinsey eMobility RIS4 "
                                           "COVID")),
              ElementsAre("iphone", "mckinsey", "emobility", "ris4", "covid"));
}

TEST(TextAnalyzerTest, NonLatinScriptsAreWords) {
  EXPECT_THAT(Folded(TextAnalyzer::Analyze("Τόκιο 東京")),
              ElementsAre("τοκιο", "東京"));
}

TEST(TextAnalyzerTest, EmptyAndBlankTextsHaveNoTokensOrSentences) {
  for (std::string_view text : {"", "   \n\n  ", "...!?", "— “ ”"}) {
    const AnalyzedText a = TextAnalyzer::Analyze(text);
    EXPECT_THAT(a.tokens, IsEmpty()) << text;
    EXPECT_THAT(a.sentences, IsEmpty()) << text;
  }
}

TEST(TextAnalyzerTest, InvalidUtf8DoesNotCrash) {
  const AnalyzedText a = TextAnalyzer::Analyze(
      "water\xff\xfe"
      "energy \xc3");
  EXPECT_THAT(Folded(a), ElementsAre("water", "energy"));
}

// ---- Stems ----

TEST(TextAnalyzerTest, PluralsStemLikeSingulars) {
  EXPECT_EQ(TextAnalyzer::PhraseStems("solutions"),
            TextAnalyzer::PhraseStems("solution"));
  EXPECT_EQ(TextAnalyzer::PhraseStems("cities"),
            TextAnalyzer::PhraseStems("city"));
  EXPECT_EQ(TextAnalyzer::PhraseStems("strategies"),
            TextAnalyzer::PhraseStems("strategy"));
  EXPECT_EQ(TextAnalyzer::PhraseStems("ports"),
            TextAnalyzer::PhraseStems("port"));
}

TEST(TextAnalyzerTest, StemsAreSnowballEnglish) {
  EXPECT_THAT(Stems(TextAnalyzer::Analyze("Seeking renewable energies")),
              ElementsAre("seek", "renew", "energi"));
}

TEST(TextAnalyzerTest, PhraseStemsFoldBeforeStemming) {
  EXPECT_EQ(TextAnalyzer::PhraseStems("NATURE-BASED Solutions"),
            (std::vector<std::string>{"natur", "-", "base", "solut"}));
}

TEST(TextAnalyzerTest, PhraseStemsOfEmptyPhraseIsEmpty) {
  EXPECT_THAT(TextAnalyzer::PhraseStems(""), IsEmpty());
  EXPECT_THAT(TextAnalyzer::PhraseStems(" , ; "), IsEmpty());
}

TEST(TextAnalyzerTest, StemmingIsThreadSafe) {
  const std::vector<std::string> expected =
      TextAnalyzer::PhraseStems("circular economies and water efficiencies");
  std::vector<std::vector<std::string>> results(4);
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&results, i] {
      for (int k = 0; k < 200; ++k) {
        results[i] = TextAnalyzer::PhraseStems(
            "circular economies and water efficiencies");
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (const auto& r : results) EXPECT_EQ(r, expected);
}

// ---- Sentences ----

TEST(TextAnalyzerTest, SplitsSentencesAtPeriodBeforeCapital) {
  const std::string text =
      "Almería has extensive experience in water efficiency. The city is "
      "looking to learn best practices on circular economy.";
  const AnalyzedText a = TextAnalyzer::Analyze(text);
  EXPECT_THAT(SentenceTexts(text, a),
              ElementsAre("Almería has extensive experience in water "
                          "efficiency.",
                          "The city is looking to learn best practices on "
                          "circular economy."));
  ASSERT_EQ(a.sentences.size(), 2u);
  EXPECT_EQ(a.sentences[0].first_token, 0u);
  EXPECT_EQ(a.sentences[0].last_token, 7u);
  EXPECT_EQ(a.sentences[1].first_token, 7u);
  EXPECT_EQ(a.sentences[1].last_token, a.tokens.size());
  EXPECT_EQ(a.tokens[6].sentence, 0u);
  EXPECT_EQ(a.tokens[7].sentence, 1u);
}

TEST(TextAnalyzerTest, SplitsAtQuestionAndExclamationMarksAndBeforeDigits) {
  const std::string text = "Is it green? Yes! 2030 is the goal.";
  EXPECT_THAT(SentenceTexts(text, TextAnalyzer::Analyze(text)),
              ElementsAre("Is it green?", "Yes!", "2030 is the goal."));
}

TEST(TextAnalyzerTest, DoesNotSplitBeforeLowerCase) {
  const std::string text = "It grew 5 p.c. in the year. and more";
  EXPECT_THAT(SentenceTexts(text, TextAnalyzer::Analyze(text)),
              ElementsAre("It grew 5 p.c. in the year. and more"));
}

TEST(TextAnalyzerTest, DoesNotSplitAfterAbbreviations) {
  const std::string text =
      "Ports, e.g. Busan, and saints, i.e. St. Louis and Dr. Who. Next one.";
  EXPECT_THAT(SentenceTexts(text, TextAnalyzer::Analyze(text)),
              ElementsAre("Ports, e.g. Busan, and saints, i.e. St. Louis and "
                          "Dr. Who.",
                          "Next one."));
}

TEST(TextAnalyzerTest, DoesNotSplitAfterInitial) {
  const std::string text = "Designed by J. Smith. It works.";
  EXPECT_THAT(SentenceTexts(text, TextAnalyzer::Analyze(text)),
              ElementsAre("Designed by J. Smith.", "It works."));
}

TEST(TextAnalyzerTest, DoesNotSplitInsideDecimalNumber) {
  const std::string text = "RIS4 and Industry 5.0 Strategies matter. Yes.";
  EXPECT_THAT(SentenceTexts(text, TextAnalyzer::Analyze(text)),
              ElementsAre("RIS4 and Industry 5.0 Strategies matter.", "Yes."));
}

TEST(TextAnalyzerTest, SplitsAfterYearAtSentenceEnd) {
  const std::string text = "Top exporter in 2020. The region grows.";
  EXPECT_THAT(SentenceTexts(text, TextAnalyzer::Analyze(text)),
              ElementsAre("Top exporter in 2020.", "The region grows."));
}

TEST(TextAnalyzerTest, SplitsAfterClosingQuote) {
  const std::string text = "It is vulnerable to “El Niño.” The region grows.";
  EXPECT_THAT(
      SentenceTexts(text, TextAnalyzer::Analyze(text)),
      ElementsAre("It is vulnerable to “El Niño.”", "The region grows."));
}

TEST(TextAnalyzerTest, SplitsAtBlankLineWithoutPeriod) {
  const std::string text =
      "Discover what we did in IUC\n\nThematic Clusters\n \t\nMobility & "
      "Transport\nstill the same sentence";
  EXPECT_THAT(SentenceTexts(text, TextAnalyzer::Analyze(text)),
              ElementsAre("Discover what we did in IUC", "Thematic Clusters",
                          "Mobility & Transport\nstill the same sentence"));
}

TEST(TextAnalyzerTest, SentencesAreTrimmedAndSkipTokenlessStretches) {
  const std::string text = "  \n\nFirst one.   \n\n  ...  \n\n  Second one.  ";
  EXPECT_THAT(SentenceTexts(text, TextAnalyzer::Analyze(text)),
              ElementsAre("First one.", "Second one."));
}

TEST(TextAnalyzerTest, MissingSpaceAfterPeriodDoesNotSplitOrCrash) {
  const std::string text =
      "Its economy is mainly based in tradeand features clusters.The port "
      "and sustainable agricultureIt also seeks energy.";
  const AnalyzedText a = TextAnalyzer::Analyze(text);
  EXPECT_THAT(SentenceTexts(text, a), ElementsAre(text));
  EXPECT_EQ(a.tokens.size(), 18u);  // "agricultureIt" is two words
}

TEST(TextAnalyzerTest, EveryTokenLiesInsideItsSentence) {
  const std::string text =
      "Bratislava will continue to cooperate with Tokorozawa. It has been "
      "committed to SUD and climate change adaptation as city’s historic "
      "areas are at risk!\n\nDiscover what we did in IUC\n\nLoad more";
  const AnalyzedText a = TextAnalyzer::Analyze(text);
  ASSERT_EQ(a.sentences.size(), 4u);
  size_t expected_first = 0;
  for (size_t s = 0; s < a.sentences.size(); ++s) {
    const Sentence& sentence = a.sentences[s];
    EXPECT_EQ(sentence.first_token, expected_first);
    EXPECT_LT(sentence.first_token, sentence.last_token);
    for (size_t t = sentence.first_token; t < sentence.last_token; ++t) {
      EXPECT_EQ(a.tokens[t].sentence, s);
      EXPECT_GE(a.tokens[t].begin, sentence.begin);
      EXPECT_LE(a.tokens[t].end, sentence.end);
    }
    expected_first = sentence.last_token;
  }
  EXPECT_EQ(expected_first, a.tokens.size());
}

}  // namespace
}  // namespace pm

namespace pm {
namespace {

TEST(StartsUpperCaseTest, UnicodeUpperAndTitleCaseLetters) {
  EXPECT_TRUE(StartsUpperCase("Bari"));
  EXPECT_TRUE(StartsUpperCase("Ústí nad Labem"));
  EXPECT_TRUE(StartsUpperCase("Łódź"));
  EXPECT_FALSE(StartsUpperCase("the city"));
  EXPECT_FALSE(StartsUpperCase("1893"));
  EXPECT_FALSE(StartsUpperCase("“Quoted”"));
  EXPECT_FALSE(StartsUpperCase(""));
}

}  // namespace
}  // namespace pm

namespace pm {
namespace {

TEST(CodePointTest, DecodesStepsBackAndClassifies) {
  const std::string text = "Ú\xC2\xA0" "a\xCC\x81’\xff";  // Ú NBSP a+acute ’ bad
  CodePointAt at = DecodeCodePoint(text, 0);
  EXPECT_EQ(at.cp, U'Ú');
  EXPECT_EQ(at.length, 2u);
  EXPECT_TRUE(IsUpperCaseLetter(at.cp));
  at = DecodeCodePoint(text, 2);
  EXPECT_EQ(at.cp, 0xA0u);
  EXPECT_TRUE(IsWhiteSpace(at.cp));
  EXPECT_FALSE(IsWordCodePoint(at.cp));
  EXPECT_TRUE(IsWordCodePoint(DecodeCodePoint(text, 4).cp));   // a
  EXPECT_TRUE(IsWordCodePoint(DecodeCodePoint(text, 5).cp));   // combining
  EXPECT_FALSE(IsWordCodePoint(DecodeCodePoint(text, 7).cp));  // ’
  at = DecodeCodePoint(text, 10);
  EXPECT_EQ(at.cp, 0xFFFDu);
  EXPECT_EQ(at.length, 1u);
  EXPECT_EQ(PreviousCodePoint(text, 10), 7u);
  EXPECT_EQ(PreviousCodePoint(text, 2), 0u);
  EXPECT_FALSE(IsUpperCaseLetter(U'a'));
  EXPECT_FALSE(IsWhiteSpace(U'a'));
}

}  // namespace
}  // namespace pm
