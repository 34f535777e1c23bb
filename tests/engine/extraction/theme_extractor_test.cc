#include "engine/extraction/theme_extractor.h"

#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace pm {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// A small taxonomy of its own, so the tests do not depend on data/.
constexpr char kTaxonomyJson[] = R"json({
  "themes": [
    {"id": "water", "label": "Water",
     "phrases": ["water efficiency", "water management", "water reuse"],
     "weakPhrases": ["water"]},
    {"id": "circular_economy", "label": "Circular economy",
     "phrases": ["circular economy", "waste management",
                 "reuse of materials"]},
    {"id": "nature_based_solutions", "label": "Nature-based solutions",
     "phrases": ["nature-based solutions", "green infrastructure", "NBS"]},
    {"id": "climate_adaptation", "label": "Climate adaptation",
     "phrases": ["climate change adaptation", "climate adaptation"]},
    {"id": "climate_mitigation", "label": "Climate mitigation",
     "phrases": ["climate change"]},
    {"id": "urban_mobility", "label": "Urban mobility",
     "phrases": ["e-mobility", "city logistics", "transportation"]},
    {"id": "digital_transition", "label": "Digital transition",
     "phrases": ["digitalisation", "smart city", "IT"]},
    {"id": "sustainable_tourism", "label": "Tourism",
     "phrases": ["tourism"]},
    {"id": "energy_transition", "label": "Energy",
     "phrases": ["energy efficiency", "renewable energy", "solar power"]},
    {"id": "cooperation", "label": "Cooperation",
     "phrases": ["cooperation agreement"]},
    {"id": "urban_planning", "label": "Urban planning",
     "phrases": ["urban planning"], "weakPhrases": ["sustainability"]}
  ],
  "offerCues": ["has experience in", "experience in", "boasts", "is known for",
                "works on"],
  "seekCues": ["is interested in", "interested in", "is looking to learn",
               "wants to learn", "seeks", "seeks to"]
})json";

class ThemeExtractorTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<Taxonomy> taxonomy =
        Taxonomy::ParseJson(kTaxonomyJson, "test taxonomy");
    ASSERT_TRUE(taxonomy.ok()) << taxonomy.status();
    extractor_ = new ThemeExtractor(
        std::make_shared<const Taxonomy>(*std::move(taxonomy)));
  }
  static void TearDownTestSuite() {
    delete extractor_;
    extractor_ = nullptr;
  }

  // The interest in theme `id` of `e`, or nullptr.
  static const ThemeInterest* Theme(const Extraction& e, std::string_view id) {
    const int index = extractor_->taxonomy().IndexOf(id);
    EXPECT_GE(index, 0) << id;
    return e.Find(index);
  }

  static std::vector<std::string> ThemeIds(const Extraction& e) {
    std::vector<std::string> ids;
    for (const ThemeInterest& t : e.themes) {
      ids.push_back(extractor_->taxonomy().themes()[t.theme].id);
    }
    return ids;
  }

  // The text each piece of evidence of `interest` points at.
  static std::vector<std::string> EvidenceTexts(const std::string& text,
                                                const ThemeInterest& interest) {
    std::vector<std::string> out;
    for (const Evidence& e : interest.evidence) {
      out.push_back(text.substr(e.begin, e.end - e.begin));
    }
    return out;
  }

  static Role RoleOf(const std::string& text, std::string_view id) {
    const Extraction e = extractor_->Extract(text);
    const ThemeInterest* t = Theme(e, id);
    EXPECT_NE(t, nullptr) << id << " not found in: " << text;
    return t == nullptr ? Role::kContext : t->role;
  }

  static double WeightOf(const std::string& text, std::string_view id) {
    const Extraction e = extractor_->Extract(text);
    const ThemeInterest* t = Theme(e, id);
    EXPECT_NE(t, nullptr) << id << " not found in: " << text;
    return t == nullptr ? 0.0 : t->weight;
  }

  static ThemeExtractor* extractor_;
};

ThemeExtractor* ThemeExtractorTest::extractor_ = nullptr;

constexpr char kAlmeria[] =
    "Almería has extensive experience in water efficiency. The city is "
    "looking to learn best practices on circular economy, nature-based "
    "solutions, and environmental sustainability.";

TEST_F(ThemeExtractorTest, AlmeriaOffersWaterAndSeeksCircularEconomyAndNbs) {
  const Extraction e = extractor_->Extract(kAlmeria);
  EXPECT_THAT(ThemeIds(e),
              ElementsAre("water", "circular_economy", "nature_based_solutions",
                          "urban_planning"));  // taxonomy order
  EXPECT_EQ(Theme(e, "water")->role, Role::kOffer);
  EXPECT_EQ(Theme(e, "circular_economy")->role, Role::kSeek);
  EXPECT_EQ(Theme(e, "nature_based_solutions")->role, Role::kSeek);
}

TEST_F(ThemeExtractorTest, EvidenceOffsetsPointAtTheMatchedWords) {
  const std::string text = kAlmeria;
  const Extraction e = extractor_->Extract(text);
  EXPECT_THAT(EvidenceTexts(text, *Theme(e, "water")),
              ElementsAre("water efficiency"));
  EXPECT_THAT(EvidenceTexts(text, *Theme(e, "circular_economy")),
              ElementsAre("circular economy"));
  EXPECT_THAT(EvidenceTexts(text, *Theme(e, "nature_based_solutions")),
              ElementsAre("nature-based solutions"));

  const Evidence& water = Theme(e, "water")->evidence[0];
  EXPECT_EQ(water.begin, text.find("water efficiency"));  // "í" is 2 bytes
  EXPECT_EQ(text.substr(water.sentence_begin,
                        water.sentence_end - water.sentence_begin),
            "Almería has extensive experience in water efficiency.");
  EXPECT_EQ(water.role, Role::kOffer);
  EXPECT_FALSE(water.weak);
  const Evidence& nbs = Theme(e, "nature_based_solutions")->evidence[0];
  EXPECT_EQ(
      text.substr(nbs.sentence_begin, nbs.sentence_end - nbs.sentence_begin),
      "The city is looking to learn best practices on circular economy, "
      "nature-based solutions, and environmental sustainability.");
  EXPECT_EQ(nbs.role, Role::kSeek);
}

TEST_F(ThemeExtractorTest, WeakPhraseAloneGivesASmallWeightAndIsMarkedWeak) {
  const Extraction e = extractor_->Extract(kAlmeria);
  const ThemeInterest* planning = Theme(e, "urban_planning");
  ASSERT_NE(planning, nullptr);
  EXPECT_GT(planning->weight, 0.0);
  EXPECT_LE(planning->weight, 0.2);
  ASSERT_EQ(planning->evidence.size(), 1u);
  EXPECT_TRUE(planning->evidence[0].weak);
  EXPECT_LT(planning->weight, Theme(e, "circular_economy")->weight);
}

TEST_F(ThemeExtractorTest, ManyWeakPhrasesStayBelowTheCap) {
  const double w = WeightOf(
      "It seeks sustainability. It seeks sustainability. Sustainability is "
      "key. It wants to learn sustainability. It boasts sustainability.",
      "urban_planning");
  EXPECT_LE(w, 0.2);
}

TEST_F(ThemeExtractorTest, StrongPhraseIsNotCappedByWeakEvidence) {
  // "water" alone is weak; "water reuse" is a strong phrase of the same theme.
  EXPECT_LE(WeightOf("The city seeks water.", "water"), 0.2);
  EXPECT_GT(WeightOf("The city seeks water reuse.", "water"), 0.6);
}

TEST_F(ThemeExtractorTest, CueBeforeAListGivesEveryItemItsRole) {
  const Extraction e = extractor_->Extract(
      "Busan boasts considerable experience in smart city, e-mobility, and "
      "transportation.");
  EXPECT_THAT(ThemeIds(e), ElementsAre("urban_mobility", "digital_transition"));
  EXPECT_EQ(Theme(e, "digital_transition")->role, Role::kOffer);
  const ThemeInterest* mobility = Theme(e, "urban_mobility");
  EXPECT_EQ(mobility->role, Role::kOffer);
  ASSERT_EQ(mobility->evidence.size(), 2u);
  EXPECT_EQ(mobility->evidence[0].role, Role::kOffer);
  EXPECT_EQ(mobility->evidence[1].role, Role::kOffer);
}

TEST_F(ThemeExtractorTest, CueAfterThePhraseDecidesWhenNoneComesBefore) {
  EXPECT_EQ(RoleOf("Tourism is what the city wants to learn about.",
                   "sustainable_tourism"),
            Role::kSeek);
}

TEST_F(ThemeExtractorTest, NearestCueBeforeThePhraseDecides) {
  const std::string text =
      "The city has experience in tourism and seeks renewable energy.";
  EXPECT_EQ(RoleOf(text, "sustainable_tourism"), Role::kOffer);
  EXPECT_EQ(RoleOf(text, "energy_transition"), Role::kSeek);
}

TEST_F(ThemeExtractorTest, PhraseWithoutCueInItsSentenceIsContext) {
  const std::string text =
      "The economy is based on tourism. The city seeks renewable energy.";
  EXPECT_EQ(RoleOf(text, "sustainable_tourism"), Role::kContext);
  EXPECT_EQ(RoleOf(text, "energy_transition"), Role::kSeek);
}

TEST_F(ThemeExtractorTest, OfferAndSeekOfOneThemeMergeToBoth) {
  const std::string text =
      "The city has experience in water management. It wants to learn "
      "about water reuse.";
  const Extraction e = extractor_->Extract(text);
  const ThemeInterest* water = Theme(e, "water");
  ASSERT_NE(water, nullptr);
  EXPECT_EQ(water->role, Role::kBoth);
  ASSERT_EQ(water->evidence.size(), 2u);
  EXPECT_EQ(water->evidence[0].role, Role::kOffer);
  EXPECT_EQ(water->evidence[1].role, Role::kSeek);
}

TEST_F(ThemeExtractorTest, CueDirectlyAfterAnotherIsItsComplement) {
  EXPECT_EQ(RoleOf("The city works on tourism.", "sustainable_tourism"),
            Role::kOffer);
  // "working on" complements "is interested in", which decides.
  EXPECT_EQ(RoleOf("The city is interested in working on tourism.",
                   "sustainable_tourism"),
            Role::kSeek);
  EXPECT_EQ(RoleOf("The city is not interested in working on tourism.",
                   "sustainable_tourism"),
            Role::kContext);
  // With words between them the nearer cue decides.
  EXPECT_EQ(RoleOf("The city is interested in energy efficiency and works on "
                   "tourism.",
                   "sustainable_tourism"),
            Role::kOffer);
}

TEST_F(ThemeExtractorTest, CueWordsMayBeSeparatedByAFewWords) {
  EXPECT_EQ(RoleOf("Busan is well known for tourism.", "sustainable_tourism"),
            Role::kOffer);
  EXPECT_EQ(
      RoleOf("Busan is very well known for tourism.", "sustainable_tourism"),
      Role::kOffer);
  // Three words apart is too far; so is punctuation in between.
  EXPECT_EQ(RoleOf("Busan is, as many say, known for tourism.",
                   "sustainable_tourism"),
            Role::kContext);
  EXPECT_EQ(RoleOf("Busan is very very well known for tourism.",
                   "sustainable_tourism"),
            Role::kContext);
}

TEST_F(ThemeExtractorTest, TighterCueWinsOverOneWithGapWords) {
  // "has experience [and interest] in" (offer, two gap words) loses "in" to
  // "interest in" (the seek cue "interested in", stemmed, no gap words).
  const std::string text = "The city has experience and interest in tourism.";
  EXPECT_EQ(RoleOf(text, "sustainable_tourism"), Role::kSeek);
  // Without competition the cue with gap words still applies.
  EXPECT_EQ(
      RoleOf("The city has some experience in tourism.", "sustainable_tourism"),
      Role::kOffer);
}

TEST_F(ThemeExtractorTest, NegatedCueGivesNoOfferOrSeek) {
  const std::string text =
      "The city is not interested in tourism but seeks renewable energy.";
  const Extraction e = extractor_->Extract(text);
  const ThemeInterest* tourism = Theme(e, "sustainable_tourism");
  ASSERT_NE(tourism, nullptr);  // mentioned, so context
  EXPECT_EQ(tourism->role, Role::kContext);
  EXPECT_EQ(tourism->evidence[0].role, Role::kContext);
  EXPECT_EQ(Theme(e, "energy_transition")->role, Role::kSeek);
}

TEST_F(ThemeExtractorTest, NoExperienceInIsNotAnOffer) {
  EXPECT_EQ(RoleOf("Almería has no experience in water management.", "water"),
            Role::kContext);
  EXPECT_EQ(RoleOf("The region lacks experience in water management.", "water"),
            Role::kContext);
  EXPECT_EQ(
      RoleOf("The city doesn't have experience in water management.", "water"),
      Role::kContext);
}

TEST_F(ThemeExtractorTest, NotOnlyIsNotANegation) {
  EXPECT_EQ(RoleOf("The city is not only interested in tourism.",
                   "sustainable_tourism"),
            Role::kSeek);
}

TEST_F(ThemeExtractorTest, NegatedPhraseAfterACueIsContext) {
  const std::string text = "The city seeks renewable energy but not tourism.";
  EXPECT_EQ(RoleOf(text, "energy_transition"), Role::kSeek);
  EXPECT_EQ(RoleOf(text, "sustainable_tourism"), Role::kContext);
}

TEST_F(ThemeExtractorTest, LongestMatchWins) {
  const std::string text = "Bratislava seeks climate change adaptation.";
  const Extraction e = extractor_->Extract(text);
  EXPECT_THAT(ThemeIds(e), ElementsAre("climate_adaptation"));
  EXPECT_THAT(EvidenceTexts(text, *Theme(e, "climate_adaptation")),
              ElementsAre("climate change adaptation"));
}

TEST_F(ThemeExtractorTest, LongestMatchWinsEvenWhenTheShorterStartsFirst) {
  // "water reuse" starts first, but "reuse of materials" is longer.
  const std::string text = "It seeks water reuse of materials.";
  const Extraction e = extractor_->Extract(text);
  ASSERT_NE(Theme(e, "circular_economy"), nullptr);
  EXPECT_THAT(EvidenceTexts(text, *Theme(e, "circular_economy")),
              ElementsAre("reuse of materials"));
  // "water" is left over, and matches the weak phrase only.
  ASSERT_NE(Theme(e, "water"), nullptr);
  EXPECT_THAT(EvidenceTexts(text, *Theme(e, "water")), ElementsAre("water"));
  EXPECT_TRUE(Theme(e, "water")->evidence[0].weak);
}

TEST_F(ThemeExtractorTest, ShorterPhraseMatchesWhenTheLongerIsAbsent) {
  const std::string text = "The region seeks to limit climate change.";
  const Extraction e = extractor_->Extract(text);
  EXPECT_THAT(ThemeIds(e), ElementsAre("climate_mitigation"));
  EXPECT_THAT(EvidenceTexts(text, *Theme(e, "climate_mitigation")),
              ElementsAre("climate change"));
}

TEST_F(ThemeExtractorTest, PluralsMatchThroughStemming) {
  const std::string text = "It boasts green infrastructures and NBS.";
  EXPECT_EQ(RoleOf("It seeks nature-based solution.", "nature_based_solutions"),
            Role::kSeek);
  const Extraction e = extractor_->Extract(text);
  EXPECT_THAT(EvidenceTexts(text, *Theme(e, "nature_based_solutions")),
              ElementsAre("green infrastructures", "NBS"));
}

TEST_F(ThemeExtractorTest, AccentsAndCaseAreFolded) {
  EXPECT_EQ(RoleOf("IT SEEKS TOURISM.", "sustainable_tourism"), Role::kSeek);
  EXPECT_EQ(RoleOf("It seeks Digitalisatión.", "digital_transition"),
            Role::kSeek);
}

TEST_F(ThemeExtractorTest, AcronymMatchesOnlyWhenWrittenInCapitals) {
  const std::string text = "Krapina-zagorje has potential for IT and tourism.";
  const Extraction e = extractor_->Extract(text);
  ASSERT_NE(Theme(e, "digital_transition"), nullptr);
  EXPECT_THAT(EvidenceTexts(text, *Theme(e, "digital_transition")),
              ElementsAre("IT"));
  // The pronoun "it" is not the acronym "IT", nor "nbs" the acronym "NBS".
  const Extraction lower =
      extractor_->Extract("It seeks tourism, and it has nbs too.");
  EXPECT_EQ(Theme(lower, "digital_transition"), nullptr);
  EXPECT_EQ(Theme(lower, "nature_based_solutions"), nullptr);
}

TEST_F(ThemeExtractorTest, AcronymEvidencePointsAtTheAcronym) {
  const std::string text = "The city seeks NBS.";
  const Extraction e = extractor_->Extract(text);
  ASSERT_NE(Theme(e, "nature_based_solutions"), nullptr);
  EXPECT_THAT(EvidenceTexts(text, *Theme(e, "nature_based_solutions")),
              ElementsAre("NBS"));
  EXPECT_EQ(Theme(e, "nature_based_solutions")->role, Role::kSeek);
}

TEST_F(ThemeExtractorTest, HyphenatedPhraseMatchesSpacedAndClosedForms) {
  for (const std::string text :
       {"It seeks e-mobility.", "It seeks e mobility.", "It seeks emobility.",
        "It seeks E-Mobility.", "It seeks e\u2010mobility."}) {
    const Extraction e = extractor_->Extract(text);
    ASSERT_NE(Theme(e, "urban_mobility"), nullptr) << text;
    EXPECT_EQ(Theme(e, "urban_mobility")->role, Role::kSeek) << text;
    const Evidence& ev = Theme(e, "urban_mobility")->evidence[0];
    EXPECT_EQ(text.substr(ev.begin, ev.end - ev.begin),
              text.substr(9, text.size() - 10))
        << text;
  }
}

TEST_F(ThemeExtractorTest, SpacedTextMatchesHyphenatedPhrase) {
  const std::string text = "It seeks nature based solutions.";
  const Extraction e = extractor_->Extract(text);
  ASSERT_NE(Theme(e, "nature_based_solutions"), nullptr);
  EXPECT_THAT(EvidenceTexts(text, *Theme(e, "nature_based_solutions")),
              ElementsAre("nature based solutions"));
}

TEST_F(ThemeExtractorTest, HyphenatedTextMatchesClosedPhrase) {
  const std::string text = "It seeks a co-operation agreement.";
  const Extraction e = extractor_->Extract(text);
  ASSERT_NE(Theme(e, "cooperation"), nullptr);
  EXPECT_THAT(EvidenceTexts(text, *Theme(e, "cooperation")),
              ElementsAre("co-operation agreement"));
}

TEST_F(ThemeExtractorTest, PhrasesDoNotCrossPunctuationOrSentences) {
  EXPECT_THAT(ThemeIds(extractor_->Extract("It manages water, efficiency "
                                           "and climate; change.")),
              ElementsAre("water"));  // only the weak "water"
  EXPECT_THAT(
      ThemeIds(extractor_->Extract("It seeks climate. Change is near.")),
      IsEmpty());
}

TEST_F(ThemeExtractorTest, CueInAnotherSentenceDoesNotApply) {
  EXPECT_EQ(RoleOf("The city seeks partners. Tourism is its economy.",
                   "sustainable_tourism"),
            Role::kContext);
}

TEST_F(ThemeExtractorTest, EachWordIsUsedByOnePhraseOnly) {
  // "smart city" and "city logistics" cannot share "city"; of two matches
  // of the same length the earlier wins.
  const std::string text = "It boasts smart city logistics.";
  const Extraction e = extractor_->Extract(text);
  EXPECT_THAT(ThemeIds(e), ElementsAre("digital_transition"));
  EXPECT_THAT(EvidenceTexts(text, *Theme(e, "digital_transition")),
              ElementsAre("smart city"));
}

TEST_F(ThemeExtractorTest, WeightGrowsWithEvidence) {
  const double one = WeightOf("The city seeks tourism.", "sustainable_tourism");
  const double two = WeightOf("The city seeks tourism. It boasts tourism.",
                              "sustainable_tourism");
  const double three =
      WeightOf("The city seeks tourism. It boasts tourism. It seeks tourism.",
               "sustainable_tourism");
  EXPECT_GT(one, 0.0);
  EXPECT_LT(one, two);
  EXPECT_LT(two, three);
  EXPECT_LE(three, 1.0);
  // Distinct phrases are stronger evidence than repeats of one phrase.
  const double distinct = WeightOf(
      "It seeks water efficiency. It seeks water management.", "water");
  const double repeated = WeightOf(
      "It seeks water efficiency. It seeks water efficiency.", "water");
  EXPECT_GT(distinct, repeated);
}

TEST_F(ThemeExtractorTest, OneStatedRoleWeighsMoreThanOneMention) {
  EXPECT_GT(WeightOf("The city seeks tourism.", "sustainable_tourism"),
            WeightOf("The economy is tourism.", "sustainable_tourism"));
}

TEST_F(ThemeExtractorTest, WeightSaturatesBelowOrAtOne) {
  std::string text;
  for (int i = 0; i < 40; ++i) {
    text += "It seeks water efficiency, water management and water reuse. ";
  }
  const double w = WeightOf(text, "water");
  EXPECT_GT(w, 0.99);
  EXPECT_LE(w, 1.0);
  const Extraction e = extractor_->Extract(text);
  EXPECT_EQ(Theme(e, "water")->evidence.size(), 120u);
}

TEST_F(ThemeExtractorTest, EvidenceIsInTextOrder) {
  const std::string text =
      "It seeks water reuse. It boasts water efficiency and water "
      "management.";
  const Extraction e = extractor_->Extract(text);
  EXPECT_THAT(
      EvidenceTexts(text, *Theme(e, "water")),
      ElementsAre("water reuse", "water efficiency", "water management"));
}

TEST_F(ThemeExtractorTest, TextWithoutThemesGivesNothing) {
  EXPECT_THAT(extractor_->Extract("").themes, IsEmpty());
  EXPECT_THAT(extractor_->Extract("Discover what we did in IUC").themes,
              IsEmpty());
}

TEST_F(ThemeExtractorTest, ExtractIsSafeFromManyThreads) {
  const Extraction expected = extractor_->Extract(kAlmeria);
  std::vector<std::thread> threads;
  std::vector<size_t> counts(4);
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&counts, i] {
      for (int k = 0; k < 100; ++k) {
        counts[i] = extractor_->Extract(kAlmeria).themes.size();
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (size_t c : counts) EXPECT_EQ(c, expected.themes.size());
}

}  // namespace
}  // namespace pm
