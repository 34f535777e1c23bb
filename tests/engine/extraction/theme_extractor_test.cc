#include "engine/extraction/theme_extractor.h"

#include <cmath>
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
     "phrases": ["e-mobility", "city logistics", "transportation",
                 "mobility"]},
    {"id": "digital_transition", "label": "Digital transition",
     "phrases": ["digitalisation", "smart city", "IT"]},
    {"id": "sustainable_tourism", "label": "Tourism",
     "phrases": ["tourism"]},
    {"id": "energy_transition", "label": "Energy",
     "phrases": ["energy efficiency", "renewable energy", "solar power",
                 "low-carbon"]},
    {"id": "cooperation", "label": "Cooperation",
     "phrases": ["cooperation agreement"]},
    {"id": "urban_planning", "label": "Urban planning",
     "phrases": ["urban planning"], "weakPhrases": ["sustainability"]}
  ],
  "offerCues": ["has experience in", "experience in", "boasts", "is known for",
                "works on"],
  "seekCues": ["is interested in", "interested in", "is looking to learn",
               "wants to learn", "seeks", "seeks to", "are further interests"]
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
  // "environmental sustainability" is generic: a weak phrase claims nothing.
  EXPECT_THAT(ThemeIds(e), ElementsAre("water", "circular_economy",
                                       "nature_based_solutions"));
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

TEST_F(ThemeExtractorTest, WeakPhrasesAloneClaimNoTheme) {
  EXPECT_EQ(Theme(extractor_->Extract("The city seeks water."), "water"),
            nullptr);
  EXPECT_THAT(ThemeIds(extractor_->Extract(
                  "It seeks sustainability. Sustainability is key.")),
              IsEmpty());
}

TEST_F(ThemeExtractorTest, WeakPhraseAddsWeightButNoRoleToAClaimedTheme) {
  const std::string text =
      "The economy is based on water management. The city seeks water.";
  const Extraction e = extractor_->Extract(text);
  const ThemeInterest* water = Theme(e, "water");
  ASSERT_NE(water, nullptr);
  EXPECT_EQ(water->role, Role::kContext);  // the weak seek does not count
  ASSERT_EQ(water->evidence.size(), 2u);
  EXPECT_FALSE(water->evidence[0].weak);
  EXPECT_TRUE(water->evidence[1].weak);
  EXPECT_EQ(water->evidence[1].role, Role::kSeek);
  // 0.4 for the background fact, 0.3 for the weak seek: 1 - exp(-0.7),
  // capped at 0.5 since no strong mention states a role.
  EXPECT_DOUBLE_EQ(water->weight, 0.5);
  // A weak background mention after a stated interest: 1.0 + 0.3 × 0.4.
  EXPECT_NEAR(WeightOf("The city seeks water management. Water is everywhere.",
                       "water"),
              1 - std::exp(-1.12), 1e-9);
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

TEST_F(ThemeExtractorTest, EconomyFactIsContextAndWeighsLessThanAnInterest) {
  const std::string text =
      "The economy is based on tourism. The city seeks renewable energy.";
  EXPECT_EQ(RoleOf(text, "sustainable_tourism"), Role::kContext);
  EXPECT_EQ(RoleOf(text, "energy_transition"), Role::kSeek);
  EXPECT_LT(WeightOf(text, "sustainable_tourism"),
            WeightOf(text, "energy_transition"));
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

TEST_F(ThemeExtractorTest, NegatedInterestIsNotClaimed) {
  const std::string text =
      "The city is not interested in tourism but seeks renewable energy.";
  const Extraction e = extractor_->Extract(text);
  EXPECT_EQ(Theme(e, "sustainable_tourism"), nullptr);
  EXPECT_EQ(Theme(e, "energy_transition")->role, Role::kSeek);
  EXPECT_THAT(ThemeIds(extractor_->Extract(
                  "Almería has no experience in water management.")),
              IsEmpty());
}

TEST_F(ThemeExtractorTest, SentenceAboutAnotherCityIsNotClaimed) {
  const std::string text =
      "Anci Lazio is an association near Rome. Rome is known for tourism. "
      "Anci Lazio seeks renewable energy.";
  EXPECT_THAT(ThemeIds(extractor_->Extract(text)),
              ElementsAre("energy_transition"));
  // The place's name, when given, decides which city is the place.
  EXPECT_THAT(ThemeIds(extractor_->Extract(text, "Rome")),
              ElementsAre("sustainable_tourism", "energy_transition"));
}

TEST_F(ThemeExtractorTest, ModifierOfAnotherThemesPhraseClaimsNothing) {
  const Extraction e =
      extractor_->Extract("The city is interested in low-carbon mobility.");
  EXPECT_THAT(ThemeIds(e), ElementsAre("urban_mobility"));
  // Apart, both are claimed.
  EXPECT_THAT(ThemeIds(extractor_->Extract(
                  "The city is interested in low-carbon and mobility.")),
              ElementsAre("urban_mobility", "energy_transition"));
}

TEST_F(ThemeExtractorTest, ElidedPhraseInACoordinationCounts) {
  const std::string text = "Water and waste management are further interests.";
  const Extraction e = extractor_->Extract(text);
  EXPECT_THAT(ThemeIds(e), ElementsAre("water", "circular_economy"));
  EXPECT_EQ(Theme(e, "water")->role, Role::kSeek);
  EXPECT_THAT(EvidenceTexts(text, *Theme(e, "water")), ElementsAre("Water"));
  EXPECT_FALSE(Theme(e, "water")->evidence[0].weak);
  EXPECT_EQ(Theme(e, "circular_economy")->role, Role::kSeek);
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
  // "water" is left over and matches the weak phrase only: no claim.
  EXPECT_EQ(Theme(e, "water"), nullptr);
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
  const std::string text = "The county boasts IT and tourism.";
  const Extraction e = extractor_->Extract(text);
  ASSERT_NE(Theme(e, "digital_transition"), nullptr);
  EXPECT_THAT(EvidenceTexts(text, *Theme(e, "digital_transition")),
              ElementsAre("IT"));
  EXPECT_EQ(Theme(e, "digital_transition")->role, Role::kOffer);
  // The pronoun "it" is not the acronym "IT", nor "nbs" the acronym "NBS".
  const Extraction lower =
      extractor_->Extract("It seeks tourism, and it has nbs too.");
  EXPECT_EQ(Theme(lower, "digital_transition"), nullptr);
  EXPECT_EQ(Theme(lower, "nature_based_solutions"), nullptr);
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
              IsEmpty());
  EXPECT_THAT(
      ThemeIds(extractor_->Extract("It seeks climate. Change is near.")),
      IsEmpty());
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

// Weight = 1 - exp(-sum of strengths); see the header.
TEST_F(ThemeExtractorTest, WeightFollowsTheDocumentedFormula) {
  const auto w = [](double strength) { return 1 - std::exp(-strength); };
  EXPECT_NEAR(WeightOf("The city seeks tourism.", "sustainable_tourism"),
              w(1.0), 1e-9);
  EXPECT_NEAR(WeightOf("The city boasts tourism.", "sustainable_tourism"),
              w(1.0), 1e-9);
  EXPECT_NEAR(WeightOf("Tourism is everywhere.", "sustainable_tourism"),
              w(0.4), 1e-9);
  // Independent evidence: two phrases in two sentences.
  EXPECT_NEAR(WeightOf("It seeks water reuse. It boasts water management.",
                       "water"),
              w(2.0), 1e-9);
  // A repeated phrase counts half; so does a second phrase in one sentence.
  EXPECT_NEAR(WeightOf("It seeks water reuse. It boasts water reuse.", "water"),
              w(1.5), 1e-9);
  EXPECT_NEAR(WeightOf("It seeks water reuse and water management.", "water"),
              w(1.5), 1e-9);
  // In one sentence the strongest mention counts fully, whatever its place.
  EXPECT_NEAR(WeightOf("Water reuse, it seeks water management.", "water"),
              w(1.0 + 0.5 * 0.4), 1e-9);
}

TEST_F(ThemeExtractorTest, WeightGrowsWithEvidenceAndSaturates) {
  std::string text;
  double last = 0.0;
  for (int i = 0; i < 30; ++i) {
    text += i % 2 == 0 ? "It seeks water reuse. " : "It boasts water management. ";
    const double weight = WeightOf(text, "water");
    EXPECT_GE(weight, last);
    EXPECT_LE(weight, 1.0);
    last = weight;
  }
  // Repeats of two phrases add up to at most 2 + 2.
  EXPECT_LE(last, 1 - std::exp(-4.0) + 1e-9);
  EXPECT_GT(last, 0.98);
}

TEST_F(ThemeExtractorTest, StatedInterestOutweighsAnyAmountOfContext) {
  std::string context;
  for (int i = 0; i < 10; ++i) context += "Tourism is everywhere. ";
  EXPECT_LE(WeightOf(context, "sustainable_tourism"), 0.5);
  EXPECT_GT(WeightOf("The city seeks tourism.", "sustainable_tourism"),
            WeightOf(context, "sustainable_tourism"));
}

TEST_F(ThemeExtractorTest, WeightDoesNotDependOnProfileLength) {
  std::string long_text = "The city seeks tourism.";
  for (int i = 0; i < 20; ++i) {
    long_text += " It has a long history of many different things.";
  }
  EXPECT_DOUBLE_EQ(WeightOf("The city seeks tourism.", "sustainable_tourism"),
                   WeightOf(long_text, "sustainable_tourism"));
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
