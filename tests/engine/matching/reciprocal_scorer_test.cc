#include "engine/matching/reciprocal_scorer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>

#include "tests/engine/matching/test_index.h"

namespace pm {
namespace {

using testing::MakeProfile;
using testing::SmallExtractor;

constexpr char kOffersWater[] = "It has experience in water efficiency. ";
constexpr char kSeeksWater[] = "It is interested in water efficiency. ";
constexpr char kOffersCircular[] = "It has experience in circular economy. ";
constexpr char kSeeksCircular[] = "It is interested in circular economy. ";

std::vector<std::string> Ids(const MatchIndex& index,
                             const std::vector<PartnerSuggestion>& s) {
  std::vector<std::string> ids;
  for (const auto& x : s) ids.push_back(index.at(x.partner).profile.id);
  return ids;
}

TEST(ReciprocalScorerTest, MutualFitOutranksOneSidedInterest) {
  auto index = MatchIndex::Build(
      {MakeProfile("a", "ES", std::string(kOffersWater) + kSeeksCircular),
       MakeProfile("mutual", "CO", std::string(kOffersCircular) + kSeeksWater),
       MakeProfile("gives", "MX", kOffersCircular),
       MakeProfile("takes", "BR", kSeeksWater)},
      SmallExtractor(), Gazetteer::Bundled());
  ReciprocalScorer scorer;
  auto s = scorer.Suggest(*index, "a", 10);
  ASSERT_TRUE(s.ok()) << s.status();
  ASSERT_EQ(s->size(), 3u);
  EXPECT_EQ(Ids(*index, *s)[0], "mutual");
  EXPECT_GT((*s)[0].parts.reciprocal, 0);
  EXPECT_EQ((*s)[1].parts.reciprocal, 0);
  EXPECT_GT((*s)[0].parts.score, (*s)[1].parts.score);
}

TEST(ReciprocalScorerTest, NeverSuggestsSameSideSameCountryOrKnownPartners) {
  Profile known = MakeProfile("known", "CO", kSeeksWater);
  known.known_partners = {"a"};
  Profile same_country = MakeProfile("spanish", "ES", kSeeksWater);
  same_country.eu_member = false;  // on the other side, but the same country
  auto index = MatchIndex::Build(
      {MakeProfile("a", "ES", kOffersWater),
       MakeProfile("eu", "FR", kSeeksWater), known, same_country,
       MakeProfile("ok", "JP", kSeeksWater)},
      SmallExtractor(), Gazetteer::Bundled());
  ReciprocalScorer scorer;
  auto s = scorer.Suggest(*index, "a", 10);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(Ids(*index, *s), std::vector<std::string>{"ok"});

  auto eu = scorer.Explain(*index, "a", "eu");
  ASSERT_TRUE(eu.ok());
  EXPECT_EQ(eu->exclusion,
            "both are EU members; a pair joins an EU member with a "
            "partner-country member");
  EXPECT_EQ(scorer.Explain(*index, "a", "spanish")->exclusion,
            "both are in the same country (ES)");
  EXPECT_EQ(scorer.Explain(*index, "a", "known")->exclusion,
            "already partners (a known partnership is not suggested again as "
            "new)");
  EXPECT_FALSE(scorer.Explain(*index, "a", "ok")->exclusion.has_value());

  // The ranking loop's check names the same rules, without a sentence.
  auto rule = [&](const char* x, const char* y) {
    return scorer.Excludes(*index, *index->Find(x), *index->Find(y));
  };
  EXPECT_EQ(rule("a", "a"), ExclusionRule::kSelf);
  EXPECT_EQ(rule("a", "eu"), ExclusionRule::kSameSide);
  EXPECT_EQ(rule("a", "spanish"), ExclusionRule::kSameCountry);
  EXPECT_EQ(rule("known", "a"), ExclusionRule::kKnownPartner);
  EXPECT_EQ(rule("ok", "a"), ExclusionRule::kNone);
  EXPECT_EQ(Describe(ExclusionRule::kNone, *index, 0, 1), "");
}

TEST(ReciprocalScorerTest, CityWithRegionIsASoftPenalty) {
  auto index = MatchIndex::Build(
      {MakeProfile("a", "ES", kOffersWater),
       MakeProfile("region", "CO", kSeeksWater, PlaceKind::kRegion),
       MakeProfile("city", "MX", kSeeksWater)},
      SmallExtractor(), Gazetteer::Bundled());
  ReciprocalScorer scorer;
  auto s = scorer.Suggest(*index, "a", 10);
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(Ids(*index, *s), (std::vector<std::string>{"city", "region"}));
  EXPECT_NEAR((*s)[1].parts.score,
              (*s)[0].parts.score * scorer.options().rules.kind_mismatch_factor,
              1e-9);
  ASSERT_EQ((*s)[1].penalties.size(), 1u);
  EXPECT_EQ((*s)[1].penalties[0], "a city paired with a region (score x0.7)");
}

TEST(ReciprocalScorerTest, ReasonsSplitTheScoreByThemeWithRoles) {
  auto index = MatchIndex::Build(
      {MakeProfile("a", "ES", std::string(kOffersWater) + kSeeksCircular),
       MakeProfile("b", "CO", std::string(kOffersCircular) + kSeeksWater)},
      SmallExtractor(), Gazetteer::Bundled());
  ReciprocalScorer scorer;
  auto e = scorer.Explain(*index, "a", "b");
  ASSERT_TRUE(e.ok());
  double sum = e->text.contribution;
  for (const MatchReason& r : e->reasons) sum += r.contribution;
  EXPECT_NEAR(sum, e->parts.score, 1e-6);
  ASSERT_EQ(e->reasons.size(), 2u);
  for (const MatchReason& r : e->reasons) {
    const std::string& theme = index->taxonomy().themes()[r.theme].id;
    if (theme == "water") {
      EXPECT_EQ(r.kind, ReasonKind::kSeeks);  // b seeks the water a offers
      EXPECT_EQ(r.self_role, Role::kOffer);
      EXPECT_EQ(r.partner_role, Role::kSeek);
    } else {
      EXPECT_EQ(theme, "circular_economy");
      EXPECT_EQ(r.kind, ReasonKind::kOffers);  // b offers the circular economy a seeks
    }
  }
}

TEST(ReciprocalScorerTest, SuggestAgreesWithBruteForceOnRandomCohorts) {
  const std::vector<std::string> sentences = {
      kOffersWater, kSeeksWater, kOffersCircular, kSeeksCircular,
      "It has experience in mobility. ", "It is interested in mobility. ",
      "Its mobility is famous. "};
  const std::vector<std::string> countries = {"ES", "IT", "FR", "CO",
                                              "JP", "US", "BR"};
  std::mt19937 rng(42);
  for (int round = 0; round < 20; ++round) {
    std::vector<Profile> profiles;
    for (int i = 0; i < 25; ++i) {
      std::string text;
      for (const std::string& s : sentences) {
        if (rng() % 3 == 0) text += s;
      }
      if (text.empty()) text = sentences[rng() % sentences.size()];
      profiles.push_back(MakeProfile(
          "p" + std::to_string(i), countries[rng() % countries.size()], text,
          rng() % 4 == 0 ? PlaceKind::kRegion : PlaceKind::kCity));
    }
    auto index =
        MatchIndex::Build(profiles, SmallExtractor(), Gazetteer::Bundled());
    ReciprocalScorer scorer;
    for (size_t a = 0; a < index->size(); ++a) {
      const std::string& id = index->at(a).profile.id;
      // The oracle: Explain every other profile, keep the eligible ones with
      // a positive score, sort by score then id.
      std::vector<std::pair<double, std::string>> expected;
      for (size_t b = 0; b < index->size(); ++b) {
        if (a == b) continue;
        auto e = scorer.Explain(*index, id, index->at(b).profile.id);
        ASSERT_TRUE(e.ok());
        if (!e->exclusion && e->parts.score > 0) {
          expected.emplace_back(-e->parts.score, index->at(b).profile.id);
        }
      }
      std::sort(expected.begin(), expected.end());
      size_t eligible = 0;
      for (size_t b = 0; b < index->size(); ++b) {
        eligible += a != b && !scorer.Exclusion(*index, a, b).has_value();
      }
      auto got = scorer.Suggest(*index, id, 5);
      ASSERT_TRUE(got.ok());
      // The positive scores first; the eligible rest follow as weak.
      ASSERT_EQ(got->size(), std::min<size_t>(5, eligible));
      for (size_t i = expected.size(); i < got->size(); ++i) {
        EXPECT_TRUE((*got)[i].weak);
        EXPECT_EQ((*got)[i].parts.score, 0);
      }
      // Rank i holds a partner whose oracle score is the i-th best: the same
      // partner, or one tied with it to float rounding (the ranking sums
      // the latent text's cosines in float over posting lists, Explain in
      // double term by term, so two partners tied in exact arithmetic may
      // come in either order).
      std::map<std::string, double> oracle;
      for (const auto& [score, partner] : expected) oracle[partner] = -score;
      for (size_t i = 0; i < std::min(got->size(), expected.size()); ++i) {
        const std::string& partner = index->at((*got)[i].partner).profile.id;
        EXPECT_NEAR((*got)[i].parts.score, -expected[i].first, 1e-5);
        ASSERT_EQ(oracle.count(partner), 1u) << partner;
        EXPECT_NEAR(oracle[partner], -expected[i].first, 1e-5)
            << "round " << round << " profile " << id << " rank " << i;
      }
    }
  }
}

// Rank's bounds skip rows before scoring them; the oracle scores every row
// the straightforward way (Excludes, then Score) and sorts them all. Cohorts
// with ties (repeated texts), a second language, regions, known partners,
// decisions, and k from 1 to more than the eligible rows.
TEST(ReciprocalScorerTest, RankAgreesWithScoringEveryRow) {
  const std::vector<std::string> sentences = {
      kOffersWater, kSeeksWater, kOffersCircular, kSeeksCircular,
      "It has experience in mobility. ", "It is interested in mobility. ",
      "Its harbour and its sculpture parks are famous. ",
      "Restorative justice and metal industry shape its economy. ",
      "Der Hafen und die Industrie prägen die Stadt. "};
  const std::vector<std::string> countries = {"ES", "IT", "FR", "CO",
                                              "JP", "US", "BR"};
  std::mt19937 rng(7);
  for (int round = 0; round < 12; ++round) {
    std::vector<Profile> profiles;
    std::vector<std::string> texts;
    for (int i = 0; i < 40; ++i) {
      std::string text;
      if (!texts.empty() && rng() % 4 == 0) {
        text = texts[rng() % texts.size()];  // a repeated text: ties
      } else {
        for (const std::string& s : sentences) {
          if (rng() % 3 == 0) text += s;
        }
        if (text.empty()) text = sentences[rng() % sentences.size()];
      }
      texts.push_back(text);
      profiles.push_back(MakeProfile(
          "p" + std::to_string(i), countries[rng() % countries.size()], text,
          rng() % 4 == 0 ? PlaceKind::kRegion : PlaceKind::kCity));
      if (rng() % 5 == 0) {
        profiles.back().known_partners.push_back("p" + std::to_string(rng() % 40));
      }
    }
    std::vector<Decision> decisions;
    for (int d = 0; d < 8; ++d) {
      Decision decision;
      decision.profile_id = "p" + std::to_string(rng() % 40);
      decision.partner_id = "p" + std::to_string(rng() % 40);
      decision.kind = static_cast<DecisionKind>(rng() % 3);
      decision.who = "Ana";
      decisions.push_back(decision);
    }
    auto index = MatchIndex::Build(profiles, SmallExtractor(),
                                   Gazetteer::Bundled(), nullptr, decisions);
    ReciprocalScorer scorer;
    for (size_t a = 0; a < index->size(); ++a) {
      std::vector<std::pair<double, size_t>> all;  // (-score, row)
      for (size_t b = 0; b < index->size(); ++b) {
        if (scorer.Excludes(*index, a, b) != ExclusionRule::kNone) continue;
        const double score = scorer.Score(*index, a, b).score;
        if (score > 0) all.emplace_back(-score, b);
      }
      std::sort(all.begin(), all.end());
      for (size_t k : {1, 3, 10, 50}) {
        const auto got = scorer.Rank(*index, a, k);
        ASSERT_EQ(got.size(), std::min(k, all.size()));
        for (size_t i = 0; i < got.size(); ++i) {
          const auto [row, score] = got[i];
          EXPECT_NEAR(score, -all[i].first, 1e-6)
              << "round " << round << " row " << a << " k " << k << " rank " << i;
          // The same row, or one tied with it to float rounding.
          if (row != all[i].second) {
            EXPECT_NEAR(scorer.Score(*index, a, row).score, -all[i].first, 1e-6);
          }
          EXPECT_EQ(scorer.Excludes(*index, a, row), ExclusionRule::kNone);
        }
      }
    }
  }
}

TEST(ReciprocalScorerTest, PartnersWithNothingInCommonFollowAsWeak) {
  auto index = MatchIndex::Build(
      {MakeProfile("a", "ES", kOffersWater),
       MakeProfile("fit", "CO", std::string(kSeeksWater) + kOffersCircular),
       MakeProfile("region", "MX", "Its harbour is old.", PlaceKind::kRegion),
       MakeProfile("city", "JP", "Its harbour is old."),
       MakeProfile("eu", "FR", "Its harbour is old.")},
      SmallExtractor(), Gazetteer::Bundled());
  ReciprocalScorer scorer;
  auto s = scorer.Suggest(*index, "a", 10);
  ASSERT_TRUE(s.ok()) << s.status();
  // The partner that fits, then the eligible rest, a city (the kind of the
  // asking place) before a region; never the place on the same side.
  EXPECT_EQ(Ids(*index, *s),
            (std::vector<std::string>{"fit", "city", "region"}));
  EXPECT_FALSE((*s)[0].weak);
  EXPECT_GE((*s)[0].parts.score, kWeakScore);
  for (size_t i = 1; i < s->size(); ++i) {
    EXPECT_TRUE((*s)[i].weak);
    EXPECT_LT((*s)[i].parts.score, kWeakScore);
  }
  // k still caps the list.
  EXPECT_EQ(Ids(*index, *scorer.Suggest(*index, "a", 2)),
            (std::vector<std::string>{"fit", "city"}));
}

TEST(ReciprocalScorerTest, RefusesUnknownIdsAndBadK) {
  auto index = MatchIndex::Build({MakeProfile("a", "ES", kOffersWater)},
                                 SmallExtractor(), Gazetteer::Bundled());
  ReciprocalScorer scorer;
  auto unknown = scorer.Suggest(*index, "nowhere", 5);
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(unknown.status().message(), "no profile with id 'nowhere'");
  EXPECT_EQ(scorer.Suggest(*index, "a", 0).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(scorer.Explain(*index, "a", "nowhere").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(scorer.Explain(*index, "a", "a").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ReciprocalScorerTest, StrongestPairsListsEachPairOnce) {
  auto index = MatchIndex::Build(
      {MakeProfile("a", "ES", std::string(kOffersWater) + kSeeksCircular),
       MakeProfile("b", "CO", std::string(kOffersCircular) + kSeeksWater),
       MakeProfile("c", "IT", kSeeksCircular)},
      SmallExtractor(), Gazetteer::Bundled());
  ReciprocalScorer scorer;
  auto pairs = scorer.StrongestPairs(*index, 10);
  ASSERT_EQ(pairs.size(), 2u);
  EXPECT_EQ(index->at(pairs[0].first).profile.id, "a");
  EXPECT_EQ(index->at(pairs[0].second.partner).profile.id, "b");
  EXPECT_EQ(index->at(pairs[1].first).profile.id, "c");
}

}  // namespace
}  // namespace pm

namespace pm {
namespace {

TEST(ReciprocalScorerTest, RespectsTheLatestDecisionPerPair) {
  auto decide = [](std::string a, std::string b, DecisionKind kind) {
    Decision d;
    d.profile_id = std::move(a);
    d.partner_id = std::move(b);
    d.kind = kind;
    d.who = "Ana";
    d.why = "different priorities";
    return d;
  };
  const std::vector<Profile> profiles = {
      testing::MakeProfile("a", "ES", kOffersWater),
      testing::MakeProfile("declined", "CO", kSeeksWater),
      testing::MakeProfile("accepted", "MX", kSeeksWater),
      testing::MakeProfile("reconsidered", "JP", kSeeksWater)};
  auto index = MatchIndex::Build(
      profiles, testing::SmallExtractor(), Gazetteer::Bundled(), nullptr,
      {decide("a", "declined", DecisionKind::kDeclined),
       decide("accepted", "a", DecisionKind::kAccepted),
       decide("a", "reconsidered", DecisionKind::kDeclined),
       decide("reconsidered", "a", DecisionKind::kExisting)});
  ReciprocalScorer scorer;
  auto s = scorer.Suggest(*index, "a", 10);
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s->empty());
  auto rule = [&](const char* x) {
    return scorer.Excludes(*index, *index->Find("a"), *index->Find(x));
  };
  EXPECT_EQ(rule("declined"), ExclusionRule::kDeclined);
  EXPECT_EQ(rule("accepted"), ExclusionRule::kAccepted);
  EXPECT_EQ(rule("reconsidered"), ExclusionRule::kExisting);
  EXPECT_EQ(scorer.Explain(*index, "a", "declined")->exclusion,
            "declined by Ana: different priorities");
  EXPECT_EQ(scorer.Explain(*index, "a", "accepted")->exclusion,
            "already accepted as partners by Ana (not suggested again as new)");
  EXPECT_EQ(scorer.Explain(*index, "a", "reconsidered")->exclusion,
            "an existing partnership, recorded by Ana (not suggested again as "
            "new)");
}

}  // namespace
}  // namespace pm

namespace pm {
namespace {

// A cohort where no theme of the small taxonomy is named, but two places
// share specific words: only the latent text part can match them.
std::vector<Profile> SpecificTopicCohort() {
  std::vector<Profile> profiles = {
      testing::MakeProfile("lugo", "ES",
                           "Lugo runs restorative justice programmes and "
                           "sculpture parks. It works with Toyama in Japan."),
      testing::MakeProfile("toyama", "JP",
                           "Toyama wants to learn restorative justice and "
                           "build sculpture parks like Lugo in Spain."),
      testing::MakeProfile("cali", "CO", "Cali has a botanical garden."),
      testing::MakeProfile("lima", "PE", "Lima has a botanical garden."),
      testing::MakeProfile("porto", "PT", "Porto builds a botanical garden."),
      testing::MakeProfile("quito", "EC", "Quito runs a tram line."),
      testing::MakeProfile("bari", "IT", "Bari runs a tram line.")};
  profiles[0].name = "Lugo";
  profiles[1].name = "Toyama";
  return profiles;
}

TEST(ReciprocalScorerTest, LatentTextFindsPartnersTheThemesMiss) {
  auto index = MatchIndex::Build(SpecificTopicCohort(),
                                 testing::SmallExtractor(),
                                 Gazetteer::Bundled());
  ReciprocalScorer scorer;
  auto s = scorer.Suggest(*index, "lugo", 3);
  ASSERT_TRUE(s.ok());
  ASSERT_FALSE(s->empty());
  EXPECT_EQ(index->at((*s)[0].partner).profile.id, "toyama");
  EXPECT_GT((*s)[0].parts.latent, 0);
  EXPECT_TRUE((*s)[0].reasons.empty());  // no theme: the text is the reason
  EXPECT_NEAR((*s)[0].text.contribution, (*s)[0].parts.score, 1e-9);

  // Turned off, the latent part leaves nothing to match on: the eligible
  // partners still follow, each a weak match of score 0.
  ScoreOptions off;
  off.weights.latent = 0;
  auto none = ReciprocalScorer(off).Suggest(*index, "lugo", 3);
  ASSERT_TRUE(none.ok());
  ASSERT_FALSE(none->empty());
  for (const PartnerSuggestion& weak : *none) {
    EXPECT_TRUE(weak.weak);
    EXPECT_EQ(weak.parts.score, 0);
  }
}

TEST(ReciprocalScorerTest, SharedTermsNeverNameThePlacesOrTheirCountries) {
  auto index = MatchIndex::Build(SpecificTopicCohort(),
                                 testing::SmallExtractor(),
                                 Gazetteer::Bundled());
  ReciprocalScorer scorer;
  auto e = scorer.Explain(*index, "lugo", "toyama");
  ASSERT_TRUE(e.ok());
  std::vector<std::string> terms;
  for (const SharedTerm& t : e->text.shared_terms) terms.push_back(t.term);
  ASSERT_FALSE(terms.empty());
  EXPECT_EQ(terms[0], "restorative justice");
  EXPECT_NE(std::find(terms.begin(), terms.end(), "sculpture parks"),
            terms.end());
  for (const std::string& t : terms) {
    for (const char* name : {"Lugo", "Toyama", "Japan", "Spain"}) {
      EXPECT_EQ(t.find(name), std::string::npos) << t;
    }
  }
}

TEST(ReciprocalScorerTest, ThemeReasonsAndTextAddUpToTheScore) {
  auto index = MatchIndex::Build(
      {MakeProfile("a", "ES",
                   std::string(kOffersWater) + kSeeksCircular +
                       "It runs sculpture parks."),
       MakeProfile("b", "CO",
                   std::string(kOffersCircular) + kSeeksWater +
                       "It wants sculpture parks."),
       MakeProfile("c", "MX", "It has sculpture parks and water efficiency."),
       MakeProfile("d", "IT", "It is interested in mobility.")},
      SmallExtractor(), Gazetteer::Bundled());
  ReciprocalScorer scorer;
  auto s = scorer.Suggest(*index, "a", 10);
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(s->size(), 2u);
  for (const PartnerSuggestion& p : *s) {
    double sum = p.text.contribution;
    for (const MatchReason& r : p.reasons) sum += r.contribution;
    EXPECT_NEAR(sum, p.parts.score, 1e-6);
    EXPECT_NEAR(p.text.contribution,
                p.parts.penalty_factor * scorer.options().weights.latent *
                    p.parts.latent,
                1e-9);
    EXPECT_GT(p.parts.latent, 0);
  }
}

}  // namespace
}  // namespace pm
