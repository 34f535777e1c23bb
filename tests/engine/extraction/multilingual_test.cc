// Profiles in the programme's other languages: language detection, stems
// and elision per language, the per-language taxonomy files, and a Spanish
// profile and an English one about the same themes finding each other.
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "engine/extraction/theme_extractor.h"
#include "engine/geo/gazetteer.h"
#include "engine/matching/match_index.h"
#include "engine/matching/reciprocal_scorer.h"
#include "engine/model/language.h"
#include "engine/taxonomy/taxonomy.h"
#include "engine/text/language_detector.h"
#include "engine/text/stop_words.h"
#include "engine/text/text_analyzer.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace pm {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::shared_ptr<const ThemeExtractor> BundledExtractor() {
  static const auto* extractor = new std::shared_ptr<const ThemeExtractor>(
      std::make_shared<ThemeExtractor>(std::shared_ptr<const Taxonomy>(
          &Taxonomy::Bundled(), [](const Taxonomy*) {})));
  return *extractor;
}

// Theme id -> role name, for readable expectations.
std::map<std::string, std::string> Themes(const Extraction& e) {
  std::map<std::string, std::string> out;
  for (const ThemeInterest& t : e.themes) {
    out[Taxonomy::Bundled().themes()[static_cast<size_t>(t.theme)].id] =
        RoleName(t.role);
  }
  return out;
}

TEST(LanguageDetectorTest, TellsTheProgrammesLanguagesApart) {
  const LanguageDetector& d = LanguageDetector::Installed();
  EXPECT_EQ(d.Detect("The city has long experience in water management and "
                     "wants to learn about the circular economy."),
            Language::kEnglish);
  EXPECT_EQ(d.Detect("La ciudad tiene una larga experiencia en la gestión "
                     "del agua y quiere aprender sobre economía circular."),
            Language::kSpanish);
  EXPECT_EQ(d.Detect("A cidade tem uma longa experiência na gestão da água e "
                     "quer aprender sobre a economia circular."),
            Language::kPortuguese);
  EXPECT_EQ(d.Detect("La ville a une longue expérience de la gestion de "
                     "l'eau et souhaite découvrir l'économie circulaire."),
            Language::kFrench);
  EXPECT_EQ(d.Detect("La città ha una lunga esperienza nella gestione "
                     "dell'acqua e vuole conoscere l'economia circolare."),
            Language::kItalian);
  EXPECT_EQ(d.Detect("Die Stadt hat langjährige Erfahrung in der "
                     "Wasserwirtschaft und möchte mehr über die "
                     "Kreislaufwirtschaft lernen."),
            Language::kGerman);
}

TEST(LanguageDetectorTest, TextWithoutLettersIsEnglish) {
  const LanguageDetector& d = LanguageDetector::Installed();
  EXPECT_EQ(d.Detect(""), Language::kEnglish);
  EXPECT_EQ(d.Detect("2030 — 1,500 / 45?"), Language::kEnglish);
}

TEST(LanguageDetectorTest, MissingFingerprintsAreNamed) {
  const auto loaded = LanguageDetector::Load("/nonexistent-folder");
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(loaded.status().message(),
              HasSubstr("/nonexistent-folder/en.lm"));
}

std::vector<std::string> Stems(std::string_view text, Language language) {
  std::vector<std::string> out;
  for (const Token& t : TextAnalyzer::Analyze(text, language).tokens) {
    out.push_back(t.stem);
  }
  return out;
}

TEST(TextAnalyzerLanguageTest, StemsInTheTextsLanguageWithAccentsStripped) {
  // Spanish: singular and plural, with and without accents, one stem.
  const std::vector<std::string> a = Stems("gestión", Language::kSpanish);
  const std::vector<std::string> b = Stems("Gestiones", Language::kSpanish);
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a, b);
  EXPECT_EQ(a, Stems("gestion", Language::kSpanish));
  // The English stemmer does not know Spanish verbs.
  EXPECT_EQ(Stems("desarrollo", Language::kSpanish),
            Stems("desarrollar", Language::kSpanish));
  EXPECT_NE(Stems("desarrollo", Language::kEnglish),
            Stems("desarrollar", Language::kEnglish));
  EXPECT_EQ(Stems("Kreislaufwirtschaft", Language::kGerman),
            Stems("Kreislaufwirtschaften", Language::kGerman));
}

TEST(TextAnalyzerLanguageTest, FrenchAndItalianElisionSeparatesWords) {
  const AnalyzedText fr = TextAnalyzer::Analyze("l'eau", Language::kFrench);
  ASSERT_EQ(fr.tokens.size(), 2u);
  EXPECT_EQ(fr.tokens[0].folded, "l");
  EXPECT_EQ(fr.tokens[1].folded, "eau");
  EXPECT_EQ(TextAnalyzer::Analyze("dell'acqua", Language::kItalian)
                .tokens.size(),
            2u);
  // English keeps contractions whole.
  EXPECT_EQ(TextAnalyzer::Analyze("doesn't").tokens.size(), 1u);
}

TEST(StopWordsTest, PerLanguage) {
  EXPECT_TRUE(IsStopWord("the", Language::kEnglish));
  EXPECT_TRUE(IsStopWord("del", Language::kSpanish));
  EXPECT_TRUE(IsStopWord("tambien", Language::kSpanish));  // folded "también"
  EXPECT_TRUE(IsStopWord("und", Language::kGerman));
  EXPECT_FALSE(IsStopWord("und", Language::kEnglish));
  EXPECT_FALSE(IsStopWord("agua", Language::kSpanish));
}

TEST(TaxonomyLanguageTest, BundledTaxonomyHasEveryLanguageAndTheme) {
  const Taxonomy& t = Taxonomy::Bundled();
  EXPECT_EQ(t.languages().size(), std::size(kLanguages));
  for (Language language : kLanguages) {
    EXPECT_FALSE(t.OfferCues(language).empty()) << LanguageCode(language);
    EXPECT_FALSE(t.SeekCues(language).empty()) << LanguageCode(language);
    for (int theme = 0; theme < t.size(); ++theme) {
      EXPECT_FALSE(t.Phrases(theme, language, false).empty())
          << LanguageCode(language) << " " << t.themes()[theme].id;
    }
  }
}

TEST(TaxonomyLanguageTest, BadLanguageFilesAreRefusedWithTheirProblem) {
  Taxonomy t = Taxonomy::Bundled();
  const auto message = [&](std::string_view json) {
    Taxonomy copy = t;
    return std::string(copy.AddLanguageJson(json, "x.json").message());
  };
  EXPECT_EQ(message(R"({"language": "nl"})"),
            "x.json: unknown language \"nl\" (one of es, pt, fr, it, de)");
  EXPECT_EQ(message(R"({"language": "en"})"),
            "x.json: unknown language \"en\" (one of es, pt, fr, it, de)");
  EXPECT_EQ(message(R"({"language": "es"})"),
            "x.json: language \"es\" given twice");
  Taxonomy english = *Taxonomy::ParseJson(R"({"themes": [{"id": "water",
      "phrases": ["water"]}]})", "t");
  EXPECT_EQ(std::string(english
                            .AddLanguageJson(R"({"language": "es", "themes":
      [{"id": "agua", "phrases": ["agua"]}]})", "x.json")
                            .message()),
            "x.json: themes[0]: unknown theme id \"agua\"");
  EXPECT_EQ(std::string(english
                            .AddLanguageJson(R"({"language": "es", "themes":
      [{"id": "water", "phrases": ["-"]}]})", "x.json")
                            .message()),
            "x.json: theme \"water\": phrases[0] \"-\" has no words");
  EXPECT_THAT(std::string(english.AddLanguageJson("{", "x.json").message()),
              HasSubstr("x.json: malformed taxonomy language JSON"));
  EXPECT_FALSE(english.HasLanguage(Language::kSpanish));
  // A taxonomy without the language reads its texts as English.
  const ThemeExtractor extractor(std::make_shared<const Taxonomy>(english));
  const Extraction e = extractor.Extract("El agua de la ciudad.");
  EXPECT_EQ(e.language, Language::kEnglish);
}

constexpr char kSpanish[] =
    "Ciudad mediterránea de España. Tiene una amplia experiencia en "
    "eficiencia hídrica y en la reutilización de aguas residuales. Quiere "
    "aprender sobre economía circular y gestión de residuos.";
constexpr char kEnglish[] =
    "City in Colombia with a long record in recycling and waste management, "
    "and experience in the circular economy. It is interested in water "
    "efficiency and wastewater treatment.";

TEST(MultilingualExtractionTest, SpanishAndEnglishProfilesGetTheSameThemes) {
  const Extraction es = BundledExtractor()->Extract(kSpanish, "Almería");
  const Extraction en = BundledExtractor()->Extract(kEnglish, "Cali");
  EXPECT_EQ(es.language, Language::kSpanish);
  EXPECT_EQ(en.language, Language::kEnglish);
  EXPECT_EQ(Themes(es), (std::map<std::string, std::string>{
                            {"circular_economy", "seek"}, {"water", "offer"}}));
  EXPECT_EQ(Themes(en), (std::map<std::string, std::string>{
                            {"circular_economy", "offer"}, {"water", "seek"}}));
  // The evidence is the original Spanish text.
  std::set<std::string> words;
  for (const ThemeInterest& t : es.themes) {
    for (const Evidence& e : t.evidence) {
      words.insert(std::string(kSpanish).substr(e.begin, e.end - e.begin));
    }
  }
  EXPECT_TRUE(words.count("eficiencia hídrica")) << ::testing::PrintToString(words);
  EXPECT_TRUE(words.count("economía circular")) << ::testing::PrintToString(words);
}

TEST(MultilingualExtractionTest, AGivenLanguageOverridesDetection) {
  const Extraction e = BundledExtractor()->Extract(kSpanish, "Almería",
                                                   Language::kEnglish);
  EXPECT_EQ(e.language, Language::kEnglish);
  // Read as English, "eficiencia hídrica" is no water phrase.
  EXPECT_EQ(e.Find(Taxonomy::Bundled().IndexOf("water")), nullptr);
}

Profile MakeProfile(std::string id, std::string country, std::string text) {
  Profile p;
  p.id = id;
  p.name = id;
  p.country = std::move(country);
  p.text = std::move(text);
  return p;
}

// A Spanish profile (EU side) and an English one (partner side) that offer
// what the other seeks find each other first, ahead of English profiles on
// the other themes whose texts share more words with theirs.
TEST(MultilingualMatchingTest, SpanishAndEnglishProfilesFindEachOther) {
  std::vector<Profile> profiles = {
      MakeProfile("almeria", "ES", kSpanish),
      MakeProfile("cali", "CO", kEnglish),
      MakeProfile("bogota", "CO",
                  "City in Colombia with experience in public transport. It "
                  "is interested in cycling and the city's heritage."),
      MakeProfile("graz", "AT",
                  "City in Austria with experience in cycling and public "
                  "transport. It is interested in the city's cultural "
                  "heritage."),
  };
  const auto index = MatchIndex::Build(profiles, BundledExtractor(),
                                       Gazetteer::Bundled());
  const ReciprocalScorer scorer;
  const auto from_spanish = scorer.Suggest(*index, "almeria", 2);
  ASSERT_TRUE(from_spanish.ok()) << from_spanish.status();
  ASSERT_FALSE(from_spanish->empty());
  EXPECT_EQ(index->at(from_spanish->front().partner).profile.id, "cali");
  EXPECT_GT(from_spanish->front().parts.reciprocal, 0);
  const auto from_english = scorer.Suggest(*index, "cali", 2);
  ASSERT_TRUE(from_english.ok()) << from_english.status();
  ASSERT_FALSE(from_english->empty());
  EXPECT_EQ(index->at(from_english->front().partner).profile.id, "almeria");
  // The themes carry the score: both reasons name a theme.
  ASSERT_FALSE(from_spanish->front().reasons.empty());
}

}  // namespace
}  // namespace pm
