#include "engine/matching/score.h"

#include <gtest/gtest.h>

namespace pm {
namespace {

TEST(ScoreTest, CombineWeighsEachFeatureOnce) {
  ScoreWeights w;
  w.shared = 1;
  w.reciprocal = 10;
  w.one_sided = 100;
  w.latent = 1000;
  ScoreFeatures f;
  f.shared = 0.5;
  f.gives = 0.2;
  f.gets = 0.4;
  f.reciprocal = Harmonic(f.gives, f.gets);
  f.latent = 0.25;
  EXPECT_NEAR(f.reciprocal, 2 * 0.2 * 0.4 / 0.6, 1e-12);
  EXPECT_NEAR(Combine(w, f), 0.5 + 10 * f.reciprocal + 100 * 0.3 + 250, 1e-9);
  f.penalty_factor = 0.5;
  EXPECT_NEAR(Combine(w, f),
              0.5 * (0.5 + 10 * f.reciprocal + 100 * 0.3 + 250), 1e-9);
  // The same-side part drops gives, gets and their harmonic mean.
  EXPECT_NEAR(CombineSimilarity(w, f), 0.5 * (0.5 + 250), 1e-9);
}

TEST(ScoreTest, HarmonicAndSimilarityAreNeverUndefinedOrNegative) {
  EXPECT_EQ(Harmonic(0, 0), 0);
  EXPECT_EQ(Harmonic(0.3, 0), 0);
  ScoreFeatures f;
  f.shared = -0.1;  // rounding can leave a cosine just below 0
  EXPECT_EQ(CombineSimilarity(ScoreWeights{}, f), 0);
  EXPECT_LT(Combine(ScoreWeights{}, f), 0);
}

TEST(ScoreTest, DefaultWeightsKeepScoresWithinZeroToOne) {
  ScoreFeatures best;
  best.shared = best.gives = best.gets = best.reciprocal = best.latent = 1;
  EXPECT_NEAR(Combine(ScoreWeights{}, best), 1.0, 1e-12);
  EXPECT_GT(kWeakScore, 0);
  EXPECT_LT(kWeakScore, Combine(ScoreWeights{}, best));
}

TEST(ScoreTest, TextsInTwoLanguagesAreScoredOnTheirThemesAlone) {
  ScoreWeights w;
  w.shared = 1;
  w.reciprocal = 1;
  w.one_sided = 2;
  w.latent = 4;
  ScoreFeatures f;
  f.shared = 0.5;
  f.gives = 0.2;
  f.gets = 0.4;
  f.reciprocal = Harmonic(f.gives, f.gets);
  f.latent = 0.9;  // ignored: the words of two languages cannot be compared
  f.texts_comparable = false;
  const double themes = 0.5 + f.reciprocal + 2 * 0.3;
  EXPECT_NEAR(Combine(w, f), themes * 8 / 4, 1e-9);
  // The best pair still scores the largest score of same-language pairs.
  ScoreFeatures best;
  best.shared = best.gives = best.gets = best.reciprocal = best.latent = 1;
  best.texts_comparable = false;
  EXPECT_NEAR(Combine(ScoreWeights{}, best), 1.0, 1e-12);
  w.shared = w.reciprocal = w.one_sided = 0;
  EXPECT_EQ(Combine(w, f), 0);
}

}  // namespace
}  // namespace pm
