#include "engine/matching/latent_text.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

namespace pm {
namespace {

// A corpus of `n` documents of common programme words, drawn with a fixed
// seed, so that no two documents share anything specific.
std::vector<std::string> FillerTexts(size_t n) {
  const std::vector<std::string> words = {
      "mobility", "water",   "energy",    "tourism",  "housing",
      "climate",  "culture", "digital",   "transport", "innovation",
      "health",   "food",    "resilience", "planning", "waste",
      "heritage", "skills",  "inclusion", "ports",    "agriculture"};
  std::mt19937 rng(11);
  std::vector<std::string> texts;
  for (size_t i = 0; i < n; ++i) {
    std::string text = "The city works on";
    for (int w = 0; w < 6; ++w) text += " " + words[rng() % words.size()];
    text += ". It wants to learn about";
    for (int w = 0; w < 4; ++w) text += " " + words[rng() % words.size()];
    texts.push_back(text + ".");
  }
  return texts;
}

std::vector<LatentDocument> Documents(const std::vector<std::string>& texts) {
  std::vector<LatentDocument> documents;
  for (const std::string& text : texts) {
    LatentDocument d;
    d.text = text;
    documents.push_back(d);
  }
  return documents;
}

// The row most similar to `a` other than `a` itself.
size_t NearestNeighbour(const LatentText& latent, size_t a) {
  const Eigen::VectorXf similarity = latent.SimilarityToAll(a);
  size_t best = a == 0 ? 1 : 0;
  for (size_t b = 0; b < latent.size(); ++b) {
    if (b != a && similarity[static_cast<Eigen::Index>(b)] >
                      similarity[static_cast<Eigen::Index>(best)]) {
      best = b;
    }
  }
  return best;
}

TEST(LatentTextTest, SameInputGivesTheSameVectors) {
  const std::vector<std::string> texts = FillerTexts(40);
  const LatentText first = LatentText::Build(Documents(texts));
  const LatentText second = LatentText::Build(Documents(texts));
  ASSERT_GT(first.rank(), 0);
  EXPECT_EQ(first.terms(), second.terms());
  EXPECT_EQ(first.basis(), second.basis());
  EXPECT_EQ(first.embeddings(), second.embeddings());
  EXPECT_EQ(first.singular_values(), second.singular_values());
}

TEST(LatentTextTest, BasisIsOrthonormalWithDescendingSingularValues) {
  const LatentText latent = LatentText::Build(Documents(FillerTexts(60)));
  ASSERT_GT(latent.rank(), 1);
  const Eigen::MatrixXf gram = latent.basis().transpose() * latent.basis();
  EXPECT_TRUE(gram.isApprox(
      Eigen::MatrixXf::Identity(latent.rank(), latent.rank()), 1e-4f))
      << gram;
  for (int i = 1; i < latent.rank(); ++i) {
    EXPECT_GE(latent.singular_values()[i - 1], latent.singular_values()[i]);
  }
  // Rows of the embeddings are unit vectors (every filler text has terms).
  for (Eigen::Index i = 0; i < latent.embeddings().rows(); ++i) {
    EXPECT_NEAR(latent.embeddings().row(i).norm(), 1.0f, 1e-4f);
  }
}

TEST(LatentTextTest, RankAdaptsToTheCorpusAndIsCapped) {
  LatentTextOptions options;
  options.rank_share = 0.5;
  options.max_rank = 8;
  EXPECT_EQ(LatentText::Build(Documents(FillerTexts(10)), options).rank(), 5);
  EXPECT_EQ(LatentText::Build(Documents(FillerTexts(40)), options).rank(), 8);
}

TEST(LatentTextTest, DocumentsSharingRareSpecificWordsAreNearestNeighbours) {
  std::vector<std::string> texts = FillerTexts(40);
  texts[7] += " Lugo runs restorative justice programmes and sculpture parks "
              "for its metal industry workers.";
  texts[31] += " Toyama wants restorative justice and sculpture parks near "
               "the metal industry.";
  for (double lsa_share : {0.0, 0.5, 1.0}) {
    SCOPED_TRACE(lsa_share);
    LatentTextOptions options;
    options.lsa_share = lsa_share;
    const LatentText latent = LatentText::Build(Documents(texts), options);
    EXPECT_EQ(NearestNeighbour(latent, 7), 31u);
    EXPECT_EQ(NearestNeighbour(latent, 31), 7u);
  }
}

TEST(LatentTextTest, SimilarityToAllAgreesWithSimilarity) {
  std::vector<std::string> texts = FillerTexts(30);
  texts.push_back("");
  const LatentText latent = LatentText::Build(Documents(texts));
  for (size_t a = 0; a < latent.size(); ++a) {
    const Eigen::VectorXf all = latent.SimilarityToAll(a);
    for (size_t b = 0; b < latent.size(); ++b) {
      const double s = latent.Similarity(a, b);
      EXPECT_NEAR(all[static_cast<Eigen::Index>(b)], s, 1e-5);
      EXPECT_NEAR(latent.Similarity(b, a), s, 1e-5);
      EXPECT_GE(s, 0);
      EXPECT_LE(s, 1);
    }
  }
}

TEST(LatentTextTest, EmptyAndShortTextsGiveZeroNotNan) {
  const std::vector<std::string> texts = {"", "a", "The.", "2030", "!!",
                                          "Water.", "Water."};
  const LatentText latent = LatentText::Build(Documents(texts));
  ASSERT_EQ(latent.size(), texts.size());
  EXPECT_TRUE(latent.embeddings().allFinite());
  EXPECT_TRUE(latent.basis().allFinite());
  for (size_t a = 0; a < texts.size(); ++a) {
    const Eigen::VectorXf all = latent.SimilarityToAll(a);
    EXPECT_TRUE(all.allFinite());
    for (size_t b = 0; b < texts.size(); ++b) {
      if (a == b) continue;
      const double expected = a >= 5 && b >= 5 ? 1.0 : 0.0;
      EXPECT_NEAR(latent.Similarity(a, b), expected, 1e-5) << a << " " << b;
    }
  }
  // No documents at all, and a single one.
  EXPECT_EQ(LatentText::Build({}).size(), 0u);
  const std::string only = "Sculpture parks.";
  const LatentText single = LatentText::Build(Documents({only}));
  EXPECT_EQ(single.rank(), 0);  // no term is in two documents
  EXPECT_EQ(single.Similarity(0, 0), 0.0);
}

TEST(LatentTextTest, OwnAndCountryNamesAreNotTermsOfTheirDocument) {
  std::vector<std::string> texts = FillerTexts(10);
  texts.push_back("Lugo Region in Spain works with Toyama on region plans.");
  texts.push_back("Toyama in Japan admires Lugo and its region plans.");
  // A third text names both places, so each name is in two documents.
  texts.push_back("Lugo, Toyama, Spain and Japan: region plans.");
  std::vector<LatentDocument> documents = Documents(texts);
  documents[10].own_names = {"Lugo Region"};
  documents[10].country_names = {"Spain"};
  documents[11].own_names = {"Toyama"};
  documents[11].country_names = {"Japan"};
  const LatentText latent = LatentText::Build(documents);
  auto has_term = [&](size_t row, const std::string& term) {
    const auto& terms = latent.terms();
    const auto it = std::find(terms.begin(), terms.end(), term);
    if (it == terms.end()) return false;
    return latent.Weight(row, static_cast<int>(it - terms.begin())) != 0;
  };
  EXPECT_FALSE(has_term(10, "lugo"));
  EXPECT_TRUE(has_term(10, "toyama"));
  EXPECT_FALSE(has_term(11, "toyama"));
  EXPECT_TRUE(has_term(11, "lugo"));
  // "Region" is a kind of place, not Lugo's name: it stays a term.
  EXPECT_TRUE(has_term(10, "region"));
  // Country names: all words count.
  EXPECT_FALSE(has_term(10, "spain"));
  EXPECT_FALSE(has_term(11, "japan"));
}

TEST(LatentTextTest, SharedTermsNameNoGenericCommonOrNameWords) {
  std::vector<std::string> texts = FillerTexts(20);
  texts.push_back(
      "The Intermunicipal Community of the valley is interested in "
      "desalination plants and mobility.");
  texts.push_back(
      "The town is interested in community gardens, mobility and "
      "desalination plants.");
  const LatentText latent = LatentText::Build(Documents(texts));
  std::vector<std::string> terms;
  for (const SharedTerm& t :
       latent.SharedTerms(20, 21, texts[20], texts[21], {}, 5)) {
    terms.push_back(t.term);
  }
  EXPECT_THAT(terms, ::testing::Contains("desalination plants"));
  // A cue word (data/generic_terms.txt), a word of the filler that more than
  // a quarter of the texts use, a name's word against a common word.
  for (const char* never :
       {"interested", "mobility", "Community", "community"}) {
    EXPECT_THAT(terms, ::testing::Not(::testing::Contains(never)));
  }
  // They still count in the similarity.
  const auto& all = latent.terms();
  EXPECT_NE(std::find(all.begin(), all.end(), "interest"), all.end());
}

TEST(LatentTextTest, SharedTermsAreWrittenFormsWithoutThePlacesNames) {
  std::vector<std::string> texts = FillerTexts(20);
  texts.push_back(
      "Lugo and Toyama both build Sculpture Parks. Lugo trains metal-industry "
      "workers.");
  texts.push_back(
      "Toyama, like Lugo, wants sculpture parks and a metal industry plan.");
  const LatentText latent = LatentText::Build(Documents(texts));
  const std::vector<SharedTerm> shared = latent.SharedTerms(
      20, 21, texts[20], texts[21], {"Lugo", "Toyama"}, 5);
  ASSERT_GE(shared.size(), 2u);
  std::vector<std::string> terms;
  for (const SharedTerm& t : shared) {
    terms.push_back(t.term);
    EXPECT_EQ(texts[20].substr(t.self_evidence.begin,
                               t.self_evidence.end - t.self_evidence.begin),
              t.term);
    EXPECT_GT(t.weight, 0);
    EXPECT_LE(t.partner_evidence.end, texts[21].size());
    EXPECT_LE(t.self_evidence.sentence_begin, t.self_evidence.begin);
  }
  EXPECT_NE(std::find(terms.begin(), terms.end(), "Sculpture Parks"),
            terms.end());
  EXPECT_NE(std::find(terms.begin(), terms.end(), "metal-industry"),
            terms.end());
  for (const std::string& t : terms) {
    EXPECT_EQ(t.find("Lugo"), std::string::npos) << t;
    EXPECT_EQ(t.find("Toyama"), std::string::npos) << t;
  }
  // Strongest first.
  for (size_t i = 1; i < shared.size(); ++i) {
    EXPECT_GE(shared[i - 1].weight, shared[i].weight);
  }
}

}  // namespace
}  // namespace pm
