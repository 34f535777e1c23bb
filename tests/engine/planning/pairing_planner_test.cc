#include "engine/planning/pairing_planner.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <map>
#include <random>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "engine/matching/match_index.h"
#include "engine/planning/weak_fill.h"
#include "tests/engine/matching/test_index.h"
#include "tests/engine/planning/plan_oracle.h"

namespace pm {
namespace {

using testing::MakeProfile;
using testing::SmallExtractor;

constexpr char kOffersWater[] = "It has experience in water efficiency. ";
constexpr char kSeeksWater[] = "It is interested in water efficiency. ";
constexpr char kOffersCircular[] = "It has experience in circular economy. ";
constexpr char kSeeksCircular[] = "It is interested in circular economy. ";
constexpr char kOffersMobility[] = "It has experience in mobility. ";
constexpr char kSeeksMobility[] = "It is interested in mobility. ";

// The trio heuristic's ratio to the exhaustive optimum on the random
// cohorts of RandomCohortTest.TriosStayCloseToTheBestPlan (fixed seeds):
// measured mean 0.998, worst 0.755 (2-3 of 250 cohorts below the optimum,
// depending on the scorer of the day; with the second round's taxonomy of
// issue 9, mean 0.998 and worst 0.518). The mean floor leaves room for
// scorer changes; the worst-case floor is the bound the design states (the
// search starts from the best pairs-only plan, at least half of the best
// trio plan's partner pairs).
constexpr double kTrioMeanFloor = 0.99;
constexpr double kTrioWorstFloor = 0.5;

std::string Cat(std::initializer_list<const char*> parts) {
  std::string out;
  for (const char* p : parts) out += p;
  return out;
}

std::string Fmt3(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", x);
  return buf;
}

Decision MakeDecision(int64_t sequence, std::string a, std::string b,
                      DecisionKind kind, std::string why = "") {
  Decision d;
  d.sequence = sequence;
  d.profile_id = std::move(a);
  d.partner_id = std::move(b);
  d.kind = kind;
  d.who = "ana";
  d.why = std::move(why);
  return d;
}

std::shared_ptr<const MatchIndex> SmallIndex(
    std::vector<Profile> profiles, std::vector<Decision> decisions = {}) {
  return MatchIndex::Build(std::move(profiles), SmallExtractor(),
                           Gazetteer::Bundled(), nullptr, std::move(decisions));
}

std::vector<size_t> AllRows(const MatchIndex& index) {
  std::vector<size_t> rows(index.size());
  for (size_t i = 0; i < rows.size(); ++i) rows[i] = i;
  return rows;
}

size_t Row(const MatchIndex& index, const std::string& id) {
  return index.Find(id).value();
}

// The default scorer's score of a pair: the oracle for expected texts.
double ScoreOf(const MatchIndex& index, const std::string& a,
               const std::string& b) {
  return ReciprocalScorer().Score(index, Row(index, a), Row(index, b)).score;
}

// The plan's groups as sorted id lists, sorted.
std::vector<std::vector<std::string>> GroupIds(const MatchIndex& index,
                                               const PairingPlan& plan) {
  std::vector<std::vector<std::string>> out;
  for (const PlannedGroup& g : plan.groups) {
    std::vector<std::string> ids;
    for (size_t m : g.members) ids.push_back(index.at(m).profile.id);
    std::sort(ids.begin(), ids.end());
    out.push_back(ids);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> UnmatchedIds(const MatchIndex& index,
                                      const PairingPlan& plan) {
  std::vector<std::string> ids;
  for (const UnmatchedMember& u : plan.unmatched) {
    ids.push_back(index.at(u.member).profile.id);
  }
  return ids;
}

const UnmatchedMember* FindUnmatched(const MatchIndex& index,
                                     const PairingPlan& plan,
                                     const std::string& id) {
  for (const UnmatchedMember& u : plan.unmatched) {
    if (index.at(u.member).profile.id == id) return &u;
  }
  return nullptr;
}

bool Knows(const Profile& a, const Profile& b) {
  auto has = [](const Profile& x, const Profile& y) {
    return std::find(x.known_partners.begin(), x.known_partners.end(), y.id) !=
           x.known_partners.end();
  };
  return has(a, b) || has(b, a);
}

// Checks every rule of a plan from the index and the options directly (not
// through CohortPairs): sides, countries, decisions, forbidden and fixed
// pairs, the kind rule, min_score, capacity, group sizes and scores, member
// order, completeness.
void ExpectValidPlan(const MatchIndex& index, const ReciprocalScorer& scorer,
                     const PairingPlan& plan, const PairingOptions& o) {
  auto key = [&](size_t a, size_t b) {
    const std::string& x = index.at(a).profile.id;
    const std::string& y = index.at(b).profile.id;
    return x < y ? std::make_pair(x, y) : std::make_pair(y, x);
  };
  std::set<std::pair<std::string, std::string>> fixed, forbidden, planned;
  auto ordered = [](const IdPair& p) {
    return p.profile_id < p.partner_id
               ? std::make_pair(p.profile_id, p.partner_id)
               : std::make_pair(p.partner_id, p.profile_id);
  };
  for (const IdPair& p : o.fixed) fixed.insert(ordered(p));
  for (const IdPair& p : o.forbidden) forbidden.insert(ordered(p));
  const std::set<size_t> cohort(plan.cohort.begin(), plan.cohort.end());
  std::set<int64_t> conflicts;  // accepted decisions the plan left out
  for (const DecisionConflict& c : plan.conflicts) {
    conflicts.insert(c.sequence);
    EXPECT_FALSE(c.rule.empty());
  }
  for (const Decision& d : index.decisions()) {
    const Decision* latest = index.LatestDecision(d.profile_id, d.partner_id);
    if (latest != &d || d.kind != DecisionKind::kAccepted) continue;
    if (conflicts.count(d.sequence)) continue;
    auto a = index.Find(d.profile_id), b = index.Find(d.partner_id);
    if (a && b && cohort.count(*a) && cohort.count(*b)) {
      fixed.insert(key(*a, *b));
    }
  }
  const bool trios = o.trios && o.max_group_size > 2;
  const size_t max_size = trios ? static_cast<size_t>(o.max_group_size) : 2;
  std::map<size_t, int> groups_of;
  double total = 0;
  for (size_t gi = 0; gi < plan.groups.size(); ++gi) {
    const PlannedGroup& g = plan.groups[gi];
    SCOPED_TRACE(absl::StrCat("group ", gi));
    ASSERT_GE(g.members.size(), 2u);
    ASSERT_LE(g.members.size(), max_size);
    ASSERT_EQ(g.pairs.size(), g.members.size() * (g.members.size() - 1) / 2);
    if (gi > 0) {
      EXPECT_GE(plan.groups[gi - 1].score, g.score);
    }
    bool sides[2] = {false, false};
    for (size_t k = 0; k < g.members.size(); ++k) {
      const size_t m = g.members[k];
      EXPECT_TRUE(cohort.count(m));
      sides[index.at(m).eu_member] = true;
      ++groups_of[m];
      if (k > 0) {  // EU members first, then id order
        const size_t prev = g.members[k - 1];
        if (index.at(prev).eu_member == index.at(m).eu_member) {
          EXPECT_LT(prev, m);
        } else {
          EXPECT_TRUE(index.at(prev).eu_member);
        }
      }
    }
    EXPECT_TRUE(sides[0] && sides[1]) << "a group needs both sides";
    double sum = 0;
    std::map<size_t, double> own;
    for (const GroupPair& p : g.pairs) {
      const Profile& pa = index.at(p.a).profile;
      const Profile& pb = index.at(p.b).profile;
      SCOPED_TRACE(absl::StrCat(pa.id, " with ", pb.id));
      const auto k = key(p.a, p.b);
      const Decision* d = index.LatestDecision(pa.id, pb.id);
      EXPECT_FALSE(forbidden.count(k));
      EXPECT_FALSE(d && d->kind == DecisionKind::kDeclined);
      const bool same_side = index.at(p.a).eu_member == index.at(p.b).eu_member;
      EXPECT_EQ(p.same_side, same_side);
      EXPECT_EQ(p.fixed, fixed.count(k) > 0);
      EXPECT_EQ(p.weak, !same_side && (p.score < kWeakScore ||
                                       (p.reasons.empty() &&
                                        p.text.shared_terms.empty())));
      if (!same_side) {
        EXPECT_NE(pa.country, pb.country);
        const double score = scorer.Score(index, p.a, p.b).score;
        EXPECT_DOUBLE_EQ(p.score, std::max(0.0, score));
        if (!p.fixed) {
          EXPECT_FALSE(d != nullptr) << "a decided pair proposed as new";
          EXPECT_FALSE(Knows(pa, pb)) << "a known partnership proposed as new";
          // A pair scoring 0 is a weak fill: only without a min_score.
          EXPECT_TRUE(score > 0 || (o.min_score == 0 && p.weak));
          EXPECT_GE(score, o.min_score);
          if (o.kind_rule == KindRule::kHard) {
            EXPECT_EQ(IsCityLike(pa.kind), IsCityLike(pb.kind));
          }
        }
        planned.insert(k);
      } else {
        EXPECT_GE(p.score, 0);
      }
      sum += p.score;
      own[p.a] += p.score;
      own[p.b] += p.score;
    }
    EXPECT_NEAR(g.score, sum, 1e-9);
    EXPECT_EQ(g.fixed, std::any_of(g.pairs.begin(), g.pairs.end(),
                                   [](const GroupPair& p) { return p.fixed; }));
    EXPECT_EQ(g.weak, std::any_of(g.pairs.begin(), g.pairs.end(),
                                  [](const GroupPair& p) { return p.weak; }));
    if (g.members.size() >= 3) {
      for (const auto& [m, gain] : own) {
        EXPECT_GE(gain, plan.min_trio_gain - 1e-9)
            << index.at(m).profile.id << " adds too little";
      }
    }
    total += g.score;
  }
  EXPECT_NEAR(plan.total_score, total, 1e-9);
  EXPECT_EQ(plan.weak_score, kWeakScore);
  for (const auto& [m, count] : groups_of) {
    EXPECT_LE(count, o.capacity) << index.at(m).profile.id;
  }
  for (const auto& k : fixed) {
    EXPECT_TRUE(planned.count(k))
        << "fixed pair " << k.first << "-" << k.second << " missing";
  }
  // Every member is in a group or listed unmatched with a reason, not both.
  std::set<size_t> unmatched;
  for (size_t i = 0; i < plan.unmatched.size(); ++i) {
    const UnmatchedMember& u = plan.unmatched[i];
    EXPECT_FALSE(u.reason.empty());
    EXPECT_FALSE(groups_of.count(u.member));
    if (i > 0) {
      EXPECT_LT(plan.unmatched[i - 1].member, u.member);
    }
    unmatched.insert(u.member);
  }
  EXPECT_EQ(groups_of.size() + unmatched.size(), cohort.size());
  // Nobody is left out for lack of words: without a min_score, no member
  // left out has an other-side member with room that the rules allow.
  if (o.min_score > 0) return;
  for (size_t u : unmatched) {
    for (size_t v : cohort) {
      const Profile& pu = index.at(u).profile;
      const Profile& pv = index.at(v).profile;
      const auto placed = groups_of.find(v);
      if (index.at(u).eu_member == index.at(v).eu_member ||
          (placed != groups_of.end() && placed->second >= o.capacity) || forbidden.count(key(u, v)) ||
          scorer.Excludes(index, u, v) != ExclusionRule::kNone ||
          (o.kind_rule == KindRule::kHard &&
           IsCityLike(pu.kind) != IsCityLike(pv.kind))) {
        continue;
      }
      ADD_FAILURE() << pu.id << " is left out though " << pv.id
                    << " has room and the rules allow the pair";
    }
  }
}

// ---- Rules on hand-made cohorts ---------------------------------------------

TEST(PairingPlannerTest, PairsJoinAnEuMemberWithAPartnerOfAnotherCountry) {
  Profile spanish_partner =
      MakeProfile("es-partner", "ES", Cat({kOffersCircular, kSeeksWater}));
  spanish_partner.eu_member = false;  // other side, same country
  auto index = SmallIndex({
      MakeProfile("es1", "ES", Cat({kOffersWater, kSeeksCircular})),
      MakeProfile("fr1", "FR", Cat({kOffersWater, kSeeksCircular})),
      spanish_partner,
      MakeProfile("co1", "CO", Cat({kOffersWater})),
  });
  PairingPlanner planner;
  PairingOptions o;
  auto plan = planner.Plan(*index, AllRows(*index), o);
  ASSERT_TRUE(plan.ok()) << plan.status();
  ExpectValidPlan(*index, planner.scorer(), *plan, o);
  // es-partner fits es1 best, but the same country: fr1 takes it.
  EXPECT_EQ(GroupIds(*index, *plan),
            (std::vector<std::vector<std::string>>{{"co1", "es1"},
                                                   {"es-partner", "fr1"}}));
  EXPECT_TRUE(plan->unmatched.empty());
  EXPECT_DOUBLE_EQ(plan->total_score, plan->pairs_only_score);
}

TEST(PairingPlannerTest, AcceptedDecisionIsKeptAsAFixedPair) {
  // es1 fits co1 far better than mx1, but the coordinators accepted es1-mx1.
  auto index =
      SmallIndex({MakeProfile("es1", "ES", Cat({kOffersWater, kSeeksCircular})),
                  MakeProfile("co1", "CO", Cat({kOffersCircular, kSeeksWater})),
                  MakeProfile("mx1", "MX", kSeeksMobility)},
                 {MakeDecision(1, "mx1", "es1", DecisionKind::kAccepted)});
  PairingPlanner planner;
  ASSERT_GT(ScoreOf(*index, "es1", "co1"), ScoreOf(*index, "es1", "mx1"));
  PairingOptions o;
  auto plan = planner.Plan(*index, AllRows(*index), o);
  ASSERT_TRUE(plan.ok()) << plan.status();
  ExpectValidPlan(*index, planner.scorer(), *plan, o);
  ASSERT_EQ(plan->groups.size(), 1u);
  EXPECT_TRUE(plan->groups[0].fixed);
  EXPECT_TRUE(plan->groups[0].pairs[0].fixed);
  EXPECT_EQ(GroupIds(*index, *plan)[0],
            (std::vector<std::string>{"es1", "mx1"}));
  const UnmatchedMember* co1 = FindUnmatched(*index, *plan, "co1");
  ASSERT_NE(co1, nullptr);
  EXPECT_EQ(co1->cause, UnmatchedCause::kPartnersTaken);
  EXPECT_EQ(
      co1->reason,
      absl::StrCat("its best eligible partner, Place es1 (es1, ",
                   Fmt3(ScoreOf(*index, "es1", "co1")),
                   "), is paired with Place mx1 (mx1, ",
                   Fmt3(ScoreOf(*index, "es1", "mx1")), ") (a fixed pair)"));
  EXPECT_EQ(co1->taken_by, std::vector<size_t>{Row(*index, "mx1")});
}

TEST(PairingPlannerTest, FixedPairIsPlacedFirstWhateverItsScore) {
  auto index =
      SmallIndex({MakeProfile("es1", "ES", Cat({kOffersWater, kSeeksCircular})),
                  MakeProfile("it1", "IT", Cat({kOffersWater, kSeeksCircular})),
                  MakeProfile("co1", "CO", Cat({kOffersCircular, kSeeksWater})),
                  MakeProfile("mx1", "MX", kSeeksMobility)});
  PairingPlanner planner;
  PairingOptions o;
  // es1-mx1 would never be formed: it scores below min_score.
  o.min_score = ScoreOf(*index, "es1", "mx1") + 0.001;
  ASSERT_GT(ScoreOf(*index, "it1", "co1"), o.min_score);
  o.fixed = {{"es1", "mx1"}};
  auto plan = planner.Plan(*index, AllRows(*index), o);
  ASSERT_TRUE(plan.ok()) << plan.status();
  ExpectValidPlan(*index, planner.scorer(), *plan, o);
  EXPECT_EQ(GroupIds(*index, *plan), (std::vector<std::vector<std::string>>{
                                         {"co1", "it1"}, {"es1", "mx1"}}));
}

TEST(PairingPlannerTest, DeclinedForbiddenKnownAndExistingPairsAreNotPlanned) {
  // es1 fits each of the four partners; each pair is ruled out another way.
  Profile known =
      MakeProfile("br-known", "BR", Cat({kOffersCircular, kSeeksWater}));
  known.known_partners = {"es1"};
  auto index = SmallIndex(
      {MakeProfile("es1", "ES", Cat({kOffersWater, kSeeksCircular})),
       MakeProfile("co-declined", "CO", Cat({kOffersCircular, kSeeksWater})),
       MakeProfile("mx-forbidden", "MX", Cat({kOffersCircular, kSeeksWater})),
       MakeProfile("jp-existing", "JP", Cat({kOffersCircular, kSeeksWater})),
       known},
      {MakeDecision(1, "es1", "co-declined", DecisionKind::kAccepted),
       MakeDecision(2, "es1", "co-declined", DecisionKind::kDeclined,
                    "too far"),
       MakeDecision(3, "jp-existing", "es1", DecisionKind::kExisting)});
  PairingPlanner planner;
  PairingOptions o;
  o.forbidden = {{"mx-forbidden", "es1"}};
  auto plan = planner.Plan(*index, AllRows(*index), o);
  ASSERT_TRUE(plan.ok()) << plan.status();
  ExpectValidPlan(*index, planner.scorer(), *plan, o);
  EXPECT_TRUE(plan->groups.empty());
  const UnmatchedMember* es1 = FindUnmatched(*index, *plan, "es1");
  ASSERT_NE(es1, nullptr);
  EXPECT_EQ(es1->cause, UnmatchedCause::kNoEligiblePartner);
  // Members in id order: br-known, co-declined, jp-existing, mx-forbidden.
  EXPECT_EQ(es1->reason,
            "no eligible partner among the 4 partner-country members of the "
            "cohort: 2 already partners, 1 declined by ana, 1 forbidden by "
            "the options");
  EXPECT_FALSE(es1->best_partner.has_value());
}

TEST(PairingPlannerTest, HardKindRuleNeverPairsACityWithARegion) {
  auto index = SmallIndex(
      {MakeProfile("es1", "ES", Cat({kOffersWater, kSeeksCircular})),
       MakeProfile("co-region", "CO", Cat({kOffersCircular, kSeeksWater}),
                   PlaceKind::kRegion)});
  PairingPlanner planner;
  PairingOptions soft;
  auto soft_plan = planner.Plan(*index, AllRows(*index), soft);
  ASSERT_TRUE(soft_plan.ok());
  ExpectValidPlan(*index, planner.scorer(), *soft_plan, soft);
  ASSERT_EQ(soft_plan->groups.size(), 1u);
  EXPECT_FALSE(soft_plan->groups[0].pairs[0].penalties.empty());

  PairingOptions hard;
  hard.kind_rule = KindRule::kHard;
  auto hard_plan = planner.Plan(*index, AllRows(*index), hard);
  ASSERT_TRUE(hard_plan.ok());
  ExpectValidPlan(*index, planner.scorer(), *hard_plan, hard);
  EXPECT_TRUE(hard_plan->groups.empty());
  EXPECT_EQ(FindUnmatched(*index, *hard_plan, "es1")->reason,
            "no eligible partner among the 1 partner-country members of the "
            "cohort: 1 a city with a region (kind_rule hard)");
}

TEST(PairingPlannerTest, MinScoreLeavesAMemberOutWithItsBestScore) {
  auto index =
      SmallIndex({MakeProfile("es1", "ES", Cat({kOffersWater, kSeeksCircular})),
                  MakeProfile("co1", "CO", Cat({kOffersCircular, kSeeksWater})),
                  MakeProfile("mx1", "MX", kSeeksWater)});
  PairingPlanner planner;
  const double mutual = ScoreOf(*index, "es1", "co1");
  const double one_sided = ScoreOf(*index, "es1", "mx1");
  ASSERT_GT(mutual, one_sided);
  PairingOptions o;
  o.min_score = (mutual + one_sided) / 2;
  auto plan = planner.Plan(*index, AllRows(*index), o);
  ASSERT_TRUE(plan.ok());
  ExpectValidPlan(*index, planner.scorer(), *plan, o);
  EXPECT_EQ(UnmatchedIds(*index, *plan), std::vector<std::string>{"mx1"});
  const UnmatchedMember& mx1 = plan->unmatched[0];
  EXPECT_EQ(mx1.cause, UnmatchedCause::kBelowMinScore);
  EXPECT_EQ(mx1.best_partner, Row(*index, "es1"));
  EXPECT_DOUBLE_EQ(mx1.best_score, one_sided);
  EXPECT_EQ(
      mx1.reason,
      absl::StrCat("its best partner allowed by the rules, Place es1 "
                   "(es1), scores ",
                   Fmt3(one_sided), ", below min_score ", Fmt3(o.min_score)));
  // Above every score, nobody is paired.
  o.min_score = mutual + 1;
  plan = planner.Plan(*index, AllRows(*index), o);
  ASSERT_TRUE(plan.ok());
  EXPECT_TRUE(plan->groups.empty());
  EXPECT_EQ(plan->unmatched.size(), 3u);
}

TEST(PairingPlannerTest, PartnersTakenNamesWhoTookTheBestPartner) {
  auto index = SmallIndex(
      {MakeProfile("es1", "ES", Cat({kOffersWater, kSeeksCircular})),
       MakeProfile("it1", "IT", kOffersWater),
       MakeProfile("co1", "CO", Cat({kOffersCircular, kSeeksWater}))});
  PairingPlanner planner;
  PairingOptions o;
  auto plan = planner.Plan(*index, AllRows(*index), o);
  ASSERT_TRUE(plan.ok());
  ExpectValidPlan(*index, planner.scorer(), *plan, o);
  // The stronger EU member gets co1 (the oracle: the scorer itself).
  const bool es1_wins =
      ScoreOf(*index, "es1", "co1") >= ScoreOf(*index, "it1", "co1");
  const std::string winner = es1_wins ? "es1" : "it1";
  const std::string loser = es1_wins ? "it1" : "es1";
  const UnmatchedMember* u = FindUnmatched(*index, *plan, loser);
  ASSERT_NE(u, nullptr);
  EXPECT_EQ(u->cause, UnmatchedCause::kPartnersTaken);
  EXPECT_EQ(u->taken_by, std::vector<size_t>{Row(*index, winner)});
  EXPECT_EQ(u->reason,
            absl::StrCat("its best eligible partner, Place co1 (co1, ",
                         Fmt3(ScoreOf(*index, loser, "co1")),
                         "), is paired with Place ", winner, " (", winner, ", ",
                         Fmt3(ScoreOf(*index, winner, "co1")), ")"));
}

TEST(PairingPlannerTest, OneSidedCohortSaysSo) {
  auto index = SmallIndex({MakeProfile("es1", "ES", kOffersWater),
                           MakeProfile("it1", "IT", kSeeksWater)});
  PairingPlanner planner;
  auto plan = planner.Plan(*index, AllRows(*index), {});
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->unmatched.size(), 2u);
  EXPECT_EQ(plan->unmatched[0].reason,
            "the cohort has no partner-country member");
  auto empty = planner.Plan(*index, std::vector<size_t>{}, {});
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->groups.empty() && empty->unmatched.empty());
}

TEST(PairingPlannerTest, ThirdMemberJoinsAsATrioWithTheDocumentedScore) {
  // Two Spanish cities that share their interests, one partner that fits
  // both: with trios, one group of three.
  auto index = SmallIndex(
      {MakeProfile("es1", "ES", Cat({kOffersWater, kSeeksCircular})),
       MakeProfile("es2", "ES",
                   Cat({kOffersWater, kSeeksCircular, kSeeksMobility})),
       MakeProfile("co1", "CO", Cat({kOffersCircular, kSeeksWater}))});
  PairingPlanner planner;
  PairingOptions pairs_only;
  auto pairs_plan = planner.Plan(*index, AllRows(*index), pairs_only);
  ASSERT_TRUE(pairs_plan.ok());
  EXPECT_EQ(pairs_plan->groups.size(), 1u);
  EXPECT_EQ(pairs_plan->unmatched.size(), 1u);

  PairingOptions o;
  o.trios = true;
  o.min_trio_gain = 0.01;
  auto plan = planner.Plan(*index, AllRows(*index), o);
  ASSERT_TRUE(plan.ok()) << plan.status();
  ExpectValidPlan(*index, planner.scorer(), *plan, o);
  ASSERT_EQ(plan->groups.size(), 1u);
  const PlannedGroup& trio = plan->groups[0];
  EXPECT_STREQ(GroupKindName(trio), "trio");
  EXPECT_EQ(trio.members,
            (std::vector<size_t>{Row(*index, "es1"), Row(*index, "es2"),
                                 Row(*index, "co1")}));
  const ReciprocalScorer& scorer = planner.scorer();
  const ScoreParts same =
      scorer.Score(*index, Row(*index, "es1"), Row(*index, "es2"));
  const ScoreWeights& w = scorer.options().weights;
  const double similarity =
      same.penalty_factor * (w.shared * same.shared + w.latent * same.latent);
  EXPECT_NEAR(trio.score,
              ScoreOf(*index, "es1", "co1") + ScoreOf(*index, "es2", "co1") +
                  similarity,
              1e-12);
  ASSERT_EQ(trio.pairs.size(), 3u);
  EXPECT_TRUE(trio.pairs[0].same_side);  // es1-es2
  EXPECT_NEAR(trio.pairs[0].score, similarity, 1e-12);
  ASSERT_FALSE(trio.pairs[0].reasons.empty());
  EXPECT_EQ(trio.pairs[0].reasons[0].kind, ReasonKind::kShared);
  EXPECT_TRUE(plan->unmatched.empty());
  EXPECT_GT(plan->total_score, plan->pairs_only_score);
  EXPECT_DOUBLE_EQ(plan->min_trio_gain, 0.01);

  // A higher bar keeps the third member out, and says why.
  o.min_trio_gain = 10;
  plan = planner.Plan(*index, AllRows(*index), o);
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->groups.size(), 1u);
  ASSERT_EQ(plan->unmatched.size(), 1u);
  EXPECT_NE(plan->unmatched[0].reason.find("below min_trio_gain 10.000"),
            std::string::npos)
      << plan->unmatched[0].reason;
  // max_group_size 2 means pairs only, whatever trios says.
  o.min_trio_gain = 0.01;
  o.max_group_size = 2;
  plan = planner.Plan(*index, AllRows(*index), o);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->groups.size(), 1u);
  EXPECT_EQ(plan->groups[0].members.size(), 2u);
}

TEST(PairingPlannerTest, DefaultTrioGainIsTheWeakestPairOfThePairsOnlyPlan) {
  auto index =
      SmallIndex({MakeProfile("es1", "ES", Cat({kOffersWater, kSeeksCircular})),
                  MakeProfile("es2", "ES", Cat({kOffersWater, kSeeksCircular})),
                  MakeProfile("it1", "IT", Cat({kOffersMobility})),
                  MakeProfile("co1", "CO", Cat({kOffersCircular, kSeeksWater})),
                  MakeProfile("mx1", "MX", Cat({kSeeksMobility}))});
  PairingPlanner planner;
  auto pairs_plan = planner.Plan(*index, AllRows(*index), {});
  ASSERT_TRUE(pairs_plan.ok());
  double weakest = 1e9;
  for (const auto& g : pairs_plan->groups) weakest = std::min(weakest, g.score);
  PairingOptions o;
  o.trios = true;
  auto plan = planner.Plan(*index, AllRows(*index), o);
  ASSERT_TRUE(plan.ok());
  EXPECT_DOUBLE_EQ(plan->min_trio_gain, weakest);
  ExpectValidPlan(*index, planner.scorer(), *plan, o);
}

// ---- Bad options: exact codes and messages --------------------------------

class PairingPlannerOptionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    index_ = SmallIndex(
        {MakeProfile("es1", "ES", Cat({kOffersWater, kSeeksCircular})),
         MakeProfile("it1", "IT", kOffersWater),
         MakeProfile("co1", "CO", Cat({kOffersCircular, kSeeksWater})),
         MakeProfile("mx1", "MX", kSeeksWater),
         MakeProfile("jp-region", "JP", kSeeksWater, PlaceKind::kRegion)},
        {MakeDecision(1, "es1", "co1", DecisionKind::kDeclined, "too far")});
  }

  absl::Status PlanStatus(const PairingOptions& o,
                          std::vector<size_t> cohort = {}) {
    if (cohort.empty()) cohort = AllRows(*index_);
    return PairingPlanner().Plan(*index_, cohort, o).status();
  }

  void ExpectError(const PairingOptions& o, absl::StatusCode code,
                   const std::string& message) {
    const absl::Status status = PlanStatus(o);
    EXPECT_EQ(status.code(), code) << status;
    EXPECT_EQ(status.message(), message);
  }

  std::shared_ptr<const MatchIndex> index_;
};

TEST_F(PairingPlannerOptionsTest, NumbersOutOfRange) {
  PairingOptions o;
  o.capacity = 0;
  ExpectError(o, absl::StatusCode::kInvalidArgument,
              "capacity must be between 1 and 10, got 0");
  o.capacity = 11;
  ExpectError(o, absl::StatusCode::kInvalidArgument,
              "capacity must be between 1 and 10, got 11");
  o = {};
  o.min_score = -0.5;
  ExpectError(o, absl::StatusCode::kInvalidArgument,
              "min_score must be a number >= 0, got -0.5");
  o.min_score = std::nan("");
  ExpectError(o, absl::StatusCode::kInvalidArgument,
              "min_score must be a number >= 0, got nan");
  o = {};
  o.max_group_size = 1;
  ExpectError(o, absl::StatusCode::kInvalidArgument,
              "max_group_size must be between 2 and 4, got 1");
  o.max_group_size = 5;
  ExpectError(o, absl::StatusCode::kInvalidArgument,
              "max_group_size must be between 2 and 4, got 5");
  o = {};
  o.min_trio_gain = -1;
  ExpectError(o, absl::StatusCode::kInvalidArgument,
              "min_trio_gain must be a number >= 0, got -1");
  o = {};
  o.trios = true;
  o.capacity = 2;
  ExpectError(o, absl::StatusCode::kInvalidArgument,
              "trios need capacity 1 (a member of a trio has one group), got "
              "capacity 2");
}

TEST_F(PairingPlannerOptionsTest, KindRuleNames) {
  EXPECT_EQ(ParseKindRule("").value(), KindRule::kSoft);
  EXPECT_EQ(ParseKindRule("Soft").value(), KindRule::kSoft);
  EXPECT_EQ(ParseKindRule("HARD").value(), KindRule::kHard);
  const absl::Status bad = ParseKindRule("medium").status();
  EXPECT_EQ(bad.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.message(), "kind_rule must be 'soft' or 'hard', got 'medium'");
  EXPECT_STREQ(KindRuleName(KindRule::kHard), "hard");
}

TEST_F(PairingPlannerOptionsTest, BadFixedPairs) {
  const ReciprocalScorer scorer;
  auto exclusion = [&](const std::string& a, const std::string& b) {
    return scorer.Explain(*index_, a, b)->exclusion.value();
  };
  PairingOptions o;
  o.fixed = {{"es1", "atlantis"}};
  ExpectError(o, absl::StatusCode::kNotFound,
              "fixed[0]: no profile with id 'atlantis'");
  o.fixed = {{"", "co1"}};
  ExpectError(o, absl::StatusCode::kInvalidArgument, "fixed[0]: empty id");
  o.fixed = {{"mx1", "mx1"}};
  ExpectError(o, absl::StatusCode::kInvalidArgument,
              "fixed[0]: 'mx1' cannot be paired with itself");
  o.fixed = {{"es1", "it1"}};
  ExpectError(o, absl::StatusCode::kInvalidArgument,
              "fixed[0] ('es1', 'it1'): " + exclusion("es1", "it1"));
  o.fixed = {{"es1", "co1"}};
  ExpectError(o, absl::StatusCode::kInvalidArgument,
              "fixed[0] ('es1', 'co1'): " + exclusion("es1", "co1"));
  EXPECT_EQ(exclusion("es1", "co1"), "declined by ana: too far");
  o.fixed = {{"it1", "jp-region"}};
  o.kind_rule = KindRule::kHard;
  ExpectError(o, absl::StatusCode::kInvalidArgument,
              "fixed[0] ('it1', 'jp-region'): a city with a region, and "
              "kind_rule is hard");
  o.kind_rule = KindRule::kSoft;
  o.fixed = {{"it1", "mx1"}};
  o.forbidden = {{"es1", "mx1"}, {"mx1", "it1"}};
  ExpectError(o, absl::StatusCode::kInvalidArgument,
              "fixed[0] ('it1', 'mx1') is also forbidden (forbidden[1])");
  o.forbidden.clear();
  o.fixed = {{"it1", "mx1"}, {"jp-region", "it1"}};
  ExpectError(o, absl::StatusCode::kInvalidArgument,
              "fixed[1] ('jp-region', 'it1'): 'it1' would have 2 fixed "
              "partners, more than capacity 1");
  o.capacity = 2;  // the same two fit capacity 2
  EXPECT_TRUE(PlanStatus(o).ok());
  o = {};
  o.fixed = {{"it1", "mx1"}};
  const absl::Status outside = PlanStatus(
      o, {Row(*index_, "es1"), Row(*index_, "it1"), Row(*index_, "co1")});
  EXPECT_EQ(outside.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(outside.message(), "fixed[0]: 'mx1' is not in the cohort");
}

TEST_F(PairingPlannerOptionsTest, BadForbiddenPairs) {
  PairingOptions o;
  o.forbidden = {{"es1", "co1"}, {"nowhere", "co1"}};
  ExpectError(o, absl::StatusCode::kNotFound,
              "forbidden[1]: no profile with id 'nowhere'");
  o.forbidden = {{"co1", ""}};
  ExpectError(o, absl::StatusCode::kInvalidArgument, "forbidden[0]: empty id");
  // Outside the cohort: allowed, no effect.
  o.forbidden = {{"it1", "mx1"}};
  EXPECT_TRUE(PlanStatus(o, {Row(*index_, "es1"), Row(*index_, "mx1")}).ok());
}

TEST(PairingPlannerDecisionsTest, ConflictingAcceptedDecisions) {
  std::vector<Profile> profiles = {MakeProfile("es1", "ES", kOffersWater),
                                   MakeProfile("it1", "IT", kOffersWater),
                                   MakeProfile("co1", "CO", kSeeksWater),
                                   MakeProfile("mx1", "MX", kSeeksWater)};
  PairingPlanner planner;
  {
    auto index = SmallIndex(
        profiles, {MakeDecision(1, "es1", "co1", DecisionKind::kAccepted)});
    PairingOptions o;
    o.forbidden = {{"co1", "es1"}};
    const absl::Status s = planner.Plan(*index, AllRows(*index), o).status();
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(s.message(),
              "forbidden[0] ('co1', 'es1'): accepted by ana (decision #1); an "
              "accepted pair stays in the plan: record a new decision to "
              "change it");
  }
  {
    // An old decision never makes a plan fail: the second accepted partner
    // of es1 (capacity 1) is left out and reported, the rest is planned.
    auto index = SmallIndex(
        profiles, {MakeDecision(1, "es1", "co1", DecisionKind::kAccepted),
                   MakeDecision(2, "es1", "mx1", DecisionKind::kAccepted)});
    auto plan = planner.Plan(*index, AllRows(*index), {});
    ASSERT_TRUE(plan.ok()) << plan.status();
    ExpectValidPlan(*index, planner.scorer(), *plan, {});
    ASSERT_EQ(plan->conflicts.size(), 1u);
    const DecisionConflict& c = plan->conflicts[0];
    EXPECT_EQ(c.sequence, 2);
    EXPECT_EQ(c.profile_id, "es1");
    EXPECT_EQ(c.partner_id, "mx1");
    EXPECT_EQ(c.who, "ana");
    EXPECT_EQ(c.rule,
              "'es1' would have 2 accepted partners in the cohort, more than "
              "capacity 1");
    EXPECT_EQ(c.message,
              "accepted decision #2 ('es1', 'mx1') is left out of the plan: "
              "'es1' would have 2 accepted partners in the cohort, more than "
              "capacity 1; record a new decision for the pair");
    EXPECT_EQ(GroupIds(*index, *plan), (std::vector<std::vector<std::string>>{
                                           {"co1", "es1"}, {"it1", "mx1"}}));
    PairingOptions two;
    two.capacity = 2;
    plan = planner.Plan(*index, AllRows(*index), two);
    ASSERT_TRUE(plan.ok()) << plan.status();
    ExpectValidPlan(*index, planner.scorer(), *plan, two);
    EXPECT_TRUE(plan->conflicts.empty());
    // Leaving mx1 out of the cohort leaves that decision out too.
    plan =
        planner.Plan(*index,
                     std::vector<size_t>{Row(*index, "es1"), Row(*index, "co1"),
                                         Row(*index, "it1")},
                     {});
    ASSERT_TRUE(plan.ok()) << plan.status();
    EXPECT_TRUE(plan->conflicts.empty());
  }
  {
    // A decision the rules exclude (two EU members): reported, not fixed.
    auto index = SmallIndex(
        profiles, {MakeDecision(7, "es1", "it1", DecisionKind::kAccepted)});
    auto plan = planner.Plan(*index, AllRows(*index), {});
    ASSERT_TRUE(plan.ok()) << plan.status();
    ExpectValidPlan(*index, planner.scorer(), *plan, {});
    ASSERT_EQ(plan->conflicts.size(), 1u);
    const std::string rule =
        planner.scorer().Explain(*index, "es1", "it1")->exclusion.value();
    EXPECT_EQ(plan->conflicts[0].rule, rule);
    EXPECT_EQ(plan->conflicts[0].message,
              "accepted decision #7 ('es1', 'it1') is left out of the plan: " +
                  rule + "; record a new decision for the pair");
    EXPECT_EQ(plan->groups.size(), 2u);
  }
}

TEST(PairingPlannerLimitsTest, ScorerWithoutSidesIsRefused) {
  auto index = SmallIndex({MakeProfile("es1", "ES", kOffersWater),
                           MakeProfile("co1", "CO", kSeeksWater)});
  ScoreOptions options;
  options.rules.require_opposite_sides = false;
  const absl::Status s = PairingPlanner(ReciprocalScorer(options))
                             .Plan(*index, AllRows(*index), {})
                             .status();
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(s.message(),
            "the planner needs the rule that a pair joins an EU member and a "
            "partner-country member (MatchRules::require_opposite_sides)");
}

TEST(PairingPlannerLimitsTest, ExactPlansAboveTheirSizeAreRefused) {
  std::vector<Profile> profiles;
  const size_t n = PairingPlanner::kMaxExactMembersWithCapacity + 1;
  for (size_t i = 0; i < n; ++i) {
    profiles.push_back(MakeProfile("p" + std::to_string(i), i % 2 ? "ES" : "CO",
                                   kOffersWater));
  }
  auto index = SmallIndex(std::move(profiles));
  PairingOptions o;
  o.capacity = 2;
  o.method = PairingOptions::Method::kExact;
  const absl::Status s =
      PairingPlanner().Plan(*index, AllRows(*index), o).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(
      s.message(),
      absl::StrCat("the cohort has ", n, " members, more than the ", n - 1,
                   " a plan with capacity 2 can take exactly (an exact plan "
                   "costs O(n^3)); choose a smaller cohort by ids, kind "
                   "or world region, or let the plan use its candidate "
                   "graph"));
  // By default the plan runs on the candidate graph instead: every member
  // offers and seeks the same, so each has capacity-many partners.
  o.method = PairingOptions::Method::kAuto;
  auto plan = PairingPlanner().Plan(*index, AllRows(*index), o);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_GT(plan->candidates_per_member, 0u);
  EXPECT_EQ(plan->groups.size(), n - 1);  // the 300 ES members, 2 pairs each
}

TEST(PairingPlannerLimitsTest, SelectorErrorsPassThrough) {
  auto index = SmallIndex({MakeProfile("es1", "ES", kOffersWater)});
  CohortSelector selector;
  selector.ids = {"es1", "atlantis"};
  const absl::Status s = PairingPlanner().Plan(*index, selector, {}).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(s.message(), "ids[1]: no profile with id 'atlantis'");
}

// ---- Optimality against exhaustive search on random cohorts ---------------

// 40 synthetic profiles (bundled texts, random countries and kinds) with a
// few decisions: declined and existing pairs, and accepted pairs that share
// no member.
class RandomCohortTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::vector<Profile> profiles = testing::SyntheticProfiles(40, 20240601);
    profiles[3].known_partners = {profiles[8].id};
    std::vector<Decision> decisions;
    std::mt19937 rng(5);
    int64_t seq = 0;
    std::set<size_t> accepted_members;
    for (int k = 0; k < 24; ++k) {
      const size_t a = rng() % 40, b = rng() % 40;
      if (a == b) continue;
      DecisionKind kind = k % 3 == 0   ? DecisionKind::kAccepted
                          : k % 3 == 1 ? DecisionKind::kDeclined
                                       : DecisionKind::kExisting;
      if (kind == DecisionKind::kAccepted) {
        // Accepted pairs join the two sides, other countries, no member twice.
        if (accepted_members.count(a) || accepted_members.count(b)) continue;
        const bool eu_a =
            Gazetteer::Bundled().Find(profiles[a].country)->eu_member;
        const bool eu_b =
            Gazetteer::Bundled().Find(profiles[b].country)->eu_member;
        if (eu_a == eu_b || profiles[a].country == profiles[b].country)
          continue;
        accepted_members.insert(a);
        accepted_members.insert(b);
      }
      decisions.push_back(
          MakeDecision(++seq, profiles[a].id, profiles[b].id, kind));
    }
    index_ = new std::shared_ptr<const MatchIndex>(
        MatchIndex::Build(std::move(profiles), testing::BundledExtractor(),
                          Gazetteer::Bundled(), nullptr, std::move(decisions)));
  }

  static const MatchIndex& index() { return **index_; }

  // A random cohort of n members and random options (forbidden pairs,
  // sometimes a fixed pair, min_score, kind rule).
  static std::vector<size_t> RandomCohort(std::mt19937& rng, size_t n) {
    std::vector<size_t> rows = AllRows(index());
    std::shuffle(rows.begin(), rows.end(), rng);
    rows.resize(n);
    return rows;
  }

  static PairingOptions RandomOptions(std::mt19937& rng,
                                      const std::vector<size_t>& cohort) {
    PairingOptions o;
    const double min_scores[] = {0, 0, 0.2, 0.4};
    o.min_score = min_scores[rng() % 4];
    o.kind_rule = rng() % 3 == 0 ? KindRule::kHard : KindRule::kSoft;
    for (int k = rng() % 3; k > 0; --k) {
      o.forbidden.push_back(
          {index().at(cohort[rng() % cohort.size()]).profile.id,
           index().at(cohort[rng() % cohort.size()]).profile.id});
      if (o.forbidden.back().profile_id == o.forbidden.back().partner_id) {
        o.forbidden.pop_back();
      }
    }
    if (rng() % 3 == 0 && cohort.size() >= 2) {
      o.fixed.push_back(
          {index().at(cohort[0]).profile.id, index().at(cohort[1]).profile.id});
    }
    return o;
  }

  static std::shared_ptr<const MatchIndex>* index_;
};
std::shared_ptr<const MatchIndex>* RandomCohortTest::index_ = nullptr;

TEST_F(RandomCohortTest, PairsAreAMaximumWeightMatching) {
  PairingPlanner planner;
  int checked = 0, refused = 0;
  for (uint32_t seed = 1; seed <= 300; ++seed) {
    std::mt19937 rng(seed);
    const std::vector<size_t> cohort = RandomCohort(rng, 2 + rng() % 13);
    const PairingOptions o = RandomOptions(rng, cohort);
    auto plan = planner.Plan(index(), cohort, o);
    if (!plan.ok()) {
      // A random fixed pair may break a rule, or a random forbidden pair
      // clash with an accepted decision.
      ASSERT_EQ(plan.status().code(), absl::StatusCode::kInvalidArgument)
          << plan.status();
      ++refused;
      continue;
    }
    SCOPED_TRACE(absl::StrCat("seed ", seed));
    ExpectValidPlan(index(), planner.scorer(), *plan, o);
    auto pairs = CohortPairs::Build(index(), planner.scorer(), cohort, o);
    ASSERT_TRUE(pairs.ok());
    const int64_t best = testing::BruteForceBest(testing::PairFacts(*pairs), 2);
    EXPECT_EQ(testing::PlanUnits(*plan), best);
    EXPECT_DOUBLE_EQ(plan->total_score, plan->pairs_only_score);
    ++checked;
  }
  EXPECT_GT(checked, 200);
  std::cout << "matching: " << checked << " cohorts optimal, " << refused
            << " refused fixed pairs\n";
}

TEST_F(RandomCohortTest, CapacityAboveOneIsAMaximumWeightBMatching) {
  PairingPlanner planner;
  int checked = 0;
  for (uint32_t seed = 1; seed <= 200; ++seed) {
    std::mt19937 rng(seed * 7919);
    const std::vector<size_t> cohort = RandomCohort(rng, 2 + rng() % 8);
    PairingOptions o = RandomOptions(rng, cohort);
    o.capacity = 2 + rng() % 2;
    auto plan = planner.Plan(index(), cohort, o);
    if (!plan.ok()) {
      ASSERT_EQ(plan.status().code(), absl::StatusCode::kInvalidArgument)
          << plan.status();
      continue;
    }
    SCOPED_TRACE(absl::StrCat("seed ", seed));
    ExpectValidPlan(index(), planner.scorer(), *plan, o);
    auto pairs = CohortPairs::Build(index(), planner.scorer(), cohort, o);
    ASSERT_TRUE(pairs.ok());
    EXPECT_EQ(testing::PlanUnits(*plan),
              testing::BruteForceBestWithCapacity(*pairs));
    ++checked;
  }
  EXPECT_GT(checked, 120);
}

// On cohorts smaller than the candidate graph's k, every eligible pair is a
// candidate: the plan on the graph is then the exact optimum (exhaustive
// search the oracle), whatever the rules and options; and each list holds
// eligible partners only, best first, with their link's score.
TEST_F(RandomCohortTest, CandidateGraphOfASmallCohortHoldsTheOptimum) {
  PairingPlanner planner;
  int checked = 0;
  for (uint32_t seed = 1; seed <= 200; ++seed) {
    std::mt19937 rng(seed * 104729);
    const int capacity = 1 + static_cast<int>(rng() % 3);
    // Exhaustive search with capacities is slow: smaller cohorts then.
    const std::vector<size_t> cohort =
        RandomCohort(rng, 2 + rng() % (capacity == 1 ? 12 : 8));
    PairingOptions o = RandomOptions(rng, cohort);
    o.capacity = capacity;
    o.method = PairingOptions::Method::kCandidates;
    auto plan = planner.Plan(index(), cohort, o);
    if (!plan.ok()) {
      ASSERT_EQ(plan.status().code(), absl::StatusCode::kInvalidArgument)
          << plan.status();
      continue;
    }
    SCOPED_TRACE(absl::StrCat("seed ", seed));
    ExpectValidPlan(index(), planner.scorer(), *plan, o);
    auto sparse = CohortPairs::Build(index(), planner.scorer(), cohort, o);
    ASSERT_TRUE(sparse.ok());
    ASSERT_TRUE(sparse->sparse());
    for (size_t m = 0; m < sparse->size(); ++m) {
      const auto& list = sparse->candidates().partners[m];
      size_t eligible = 0;
      for (size_t v = 0; v < sparse->size(); ++v) {
        eligible += v != m && sparse->link(m, v).kind ==
                                  CohortPairs::Link::kPartners &&
                    sparse->link(m, v).score > 0;
      }
      EXPECT_EQ(list.size(), eligible) << "member " << m;
      for (size_t r = 0; r < list.size(); ++r) {
        const CohortPairs::Link l = sparse->link(m, list[r].member);
        EXPECT_EQ(l.kind, CohortPairs::Link::kPartners);
        EXPECT_DOUBLE_EQ(list[r].score, l.score);
        if (r > 0) {
          EXPECT_GE(list[r - 1].score, list[r].score);
        }
      }
    }
    o.method = PairingOptions::Method::kExact;
    auto exact = CohortPairs::Build(index(), planner.scorer(), cohort, o);
    ASSERT_TRUE(exact.ok());
    EXPECT_EQ(testing::PlanUnits(*plan),
              o.capacity == 1
                  ? testing::BruteForceBest(testing::PairFacts(*exact), 2)
                  : testing::BruteForceBestWithCapacity(*exact));
    ++checked;
  }
  EXPECT_GT(checked, 120);
}

TEST_F(RandomCohortTest, MoreCapacityNeverLowersTheTotal) {
  PairingPlanner planner;
  for (uint32_t seed = 1; seed <= 50; ++seed) {
    std::mt19937 rng(seed * 31);
    const std::vector<size_t> cohort = RandomCohort(rng, 4 + rng() % 12);
    PairingOptions one, two;
    two.capacity = 2;
    auto p1 = planner.Plan(index(), cohort, one);
    auto p2 = planner.Plan(index(), cohort, two);
    ASSERT_TRUE(p1.ok() && p2.ok());
    EXPECT_GE(p2->total_score, p1->total_score - 1e-9);
  }
}

// Trios: the heuristic against the best plan under the same rules (groups up
// to max_group_size, every member adding min_trio_gain, everyone the
// pairs-only plan places kept in a group), found by exhaustive search.
TEST_F(RandomCohortTest, TriosStayCloseToTheBestPlan) {
  PairingPlanner planner;
  double sum_ratio = 0, worst = 1;
  int checked = 0, below_optimum = 0;
  for (uint32_t seed = 1; seed <= 300; ++seed) {
    std::mt19937 rng(seed * 104729);
    const std::vector<size_t> cohort = RandomCohort(rng, 3 + rng() % 11);
    PairingOptions o = RandomOptions(rng, cohort);
    o.trios = true;
    o.max_group_size = seed % 4 == 0 ? 4 : 3;
    const double gains[] = {-1, 0, 0.1, 0.3};  // -1: the default
    const double gain = gains[rng() % 4];
    if (gain >= 0) o.min_trio_gain = gain;
    auto plan = planner.Plan(index(), cohort, o);
    if (!plan.ok()) {
      ASSERT_EQ(plan.status().code(), absl::StatusCode::kInvalidArgument)
          << plan.status();
      continue;
    }
    SCOPED_TRACE(absl::StrCat("seed ", seed));
    ExpectValidPlan(index(), planner.scorer(), *plan, o);
    PairingOptions pairs_only = o;
    pairs_only.trios = false;
    auto base = planner.Plan(index(), cohort, pairs_only);
    ASSERT_TRUE(base.ok());
    EXPECT_NEAR(plan->pairs_only_score, base->total_score, 1e-9);
    EXPECT_GE(plan->total_score, base->total_score - 1e-9);
    auto pairs = CohortPairs::Build(index(), planner.scorer(), cohort, o);
    ASSERT_TRUE(pairs.ok());
    std::vector<bool> must_place(pairs->size(), false);
    std::set<size_t> placed_rows;
    for (const PlannedGroup& g : plan->groups) {
      placed_rows.insert(g.members.begin(), g.members.end());
    }
    for (const PlannedGroup& g : base->groups) {
      for (size_t row : g.members) {
        EXPECT_TRUE(placed_rows.count(row)) << "trios cost a member its group";
        // A weak fill (scoring 0) is no link the exhaustive search knows.
        if (g.score == 0 && !g.fixed) continue;
        const size_t m =
            std::lower_bound(pairs->rows().begin(), pairs->rows().end(), row) -
            pairs->rows().begin();
        must_place[m] = true;
      }
    }
    const testing::PairFacts facts(*pairs, plan->min_trio_gain, must_place);
    const int64_t best = testing::BruteForceBest(facts, o.max_group_size);
    const int64_t got = testing::PlanUnits(*plan);
    ASSERT_LE(got, best);
    const double ratio = best > 0 ? static_cast<double>(got) / best : 1.0;
    sum_ratio += ratio;
    worst = std::min(worst, ratio);
    below_optimum += got < best;
    ++checked;
  }
  const double mean = sum_ratio / checked;
  std::cout << "trios vs exhaustive search: " << checked << " cohorts of 3-13, "
            << below_optimum << " below the optimum, mean ratio " << mean
            << ", worst " << worst << "\n";
  EXPECT_GT(checked, 200);
  // Floors measured with these seeds (see the printed figures), with slack.
  EXPECT_GE(mean, kTrioMeanFloor);
  EXPECT_GE(worst, kTrioWorstFloor);
}

TEST_F(RandomCohortTest, SameInputSamePlan) {
  PairingPlanner planner;
  for (uint32_t seed = 1; seed <= 30; ++seed) {
    std::mt19937 rng(seed * 13);
    std::vector<size_t> cohort = RandomCohort(rng, 10 + rng() % 20);
    PairingOptions o = RandomOptions(rng, cohort);
    o.trios = seed % 2 == 0;
    auto first = planner.Plan(index(), cohort, o);
    std::shuffle(cohort.begin(), cohort.end(), rng);
    auto second = planner.Plan(index(), cohort, o);
    ASSERT_EQ(first.ok(), second.ok());
    if (!first.ok()) continue;
    EXPECT_EQ(GroupIds(index(), *first), GroupIds(index(), *second));
    ASSERT_EQ(first->groups.size(), second->groups.size());
    for (size_t g = 0; g < first->groups.size(); ++g) {
      EXPECT_EQ(first->groups[g].members, second->groups[g].members);
    }
    EXPECT_EQ(UnmatchedIds(index(), *first), UnmatchedIds(index(), *second));
    EXPECT_EQ(first->total_score, second->total_score);
  }
}

// ---- The bundled data ------------------------------------------------------

TEST(PairingPlannerBundledTest, SeedCohortPlanIsCompleteAndValid) {
  auto index =
      MatchIndex::Build(testing::BundledProfiles(), testing::BundledExtractor(),
                        Gazetteer::Bundled());
  PairingPlanner planner;
  for (bool trios : {false, true}) {
    for (KindRule rule : {KindRule::kSoft, KindRule::kHard}) {
      PairingOptions o;
      o.trios = trios;
      o.kind_rule = rule;
      auto plan = planner.Plan(*index, CohortSelector{}, o);
      ASSERT_TRUE(plan.ok()) << plan.status();
      ExpectValidPlan(*index, planner.scorer(), *plan, o);
      EXPECT_EQ(plan->cohort.size(), index->size());
      EXPECT_GE(plan->groups.size(), 9u);  // 15 EU members, 14 partners
      // A group whose pairs show no reason (their shared words are all
      // noise, and noise is not shown) is weak: no strong pair rests on
      // nothing a coordinator could check.
      for (const PlannedGroup& g : plan->groups) {
        EXPECT_TRUE(g.weak || std::any_of(g.pairs.begin(), g.pairs.end(),
                                          [](const GroupPair& p) {
                                            return !p.reasons.empty() ||
                                                   !p.text.shared_terms.empty();
                                          }))
            << "a group without reasons that is not marked weak";
      }
    }
  }
}

// The case of issue 7: `decide --id almeria --with bari --kind accepted`
// (two EU members, never eligible) made every later plan fail.
TEST(PairingPlannerBundledTest, AcceptedPairTheRulesExcludeIsReportedNotFatal) {
  Decision d = MakeDecision(4, "almeria", "bari", DecisionKind::kAccepted);
  auto index =
      MatchIndex::Build(testing::BundledProfiles(), testing::BundledExtractor(),
                        Gazetteer::Bundled(), nullptr, {d});
  ASSERT_TRUE(index->Find("almeria") && index->Find("bari"));
  PairingPlanner planner;
  for (bool trios : {false, true}) {
    PairingOptions o;
    o.trios = trios;
    auto plan = planner.Plan(*index, CohortSelector{}, o);
    ASSERT_TRUE(plan.ok()) << plan.status();
    ExpectValidPlan(*index, planner.scorer(), *plan, o);
    ASSERT_EQ(plan->conflicts.size(), 1u);
    const DecisionConflict& c = plan->conflicts[0];
    EXPECT_EQ(c.sequence, 4);
    EXPECT_EQ(c.rule,
              planner.scorer().Explain(*index, "almeria", "bari")->exclusion);
    EXPECT_TRUE(absl::StartsWith(
        c.message,
        "accepted decision #4 ('almeria', 'bari') is left out of "
        "the plan: "))
        << c.message;
    EXPECT_GE(plan->groups.size(), 9u);  // the rest is planned
    for (const PlannedGroup& g : plan->groups) {
      EXPECT_FALSE(g.fixed);
    }
  }
}

TEST(PairingPlannerTest, PairsBelowTheWeakScoreAreMarkedWeak) {
  // es1 is fixed with mx1, with which it shares nothing: a weak pair; it1
  // and co1 fit well.
  auto index = SmallIndex({MakeProfile("es1", "ES", kOffersWater),
                           MakeProfile("it1", "IT", kOffersWater),
                           MakeProfile("co1", "CO", kSeeksWater),
                           MakeProfile("mx1", "MX", "Nothing to report.")});
  PairingOptions o;
  o.fixed = {{"es1", "mx1"}};
  PairingPlanner planner;
  auto plan = planner.Plan(*index, AllRows(*index), o);
  ASSERT_TRUE(plan.ok()) << plan.status();
  ExpectValidPlan(*index, planner.scorer(), *plan, o);
  EXPECT_EQ(plan->weak_score, kWeakScore);
  ASSERT_EQ(plan->groups.size(), 2u);
  const PlannedGroup& strong = plan->groups[0];
  const PlannedGroup& weak = plan->groups[1];
  EXPECT_EQ(index->at(strong.members[0]).profile.id, "it1");
  EXPECT_GE(strong.score, kWeakScore);
  EXPECT_FALSE(strong.weak);
  EXPECT_FALSE(strong.pairs[0].weak);
  EXPECT_EQ(index->at(weak.members[0]).profile.id, "es1");
  EXPECT_LT(weak.score, kWeakScore);
  EXPECT_TRUE(weak.weak);
  EXPECT_TRUE(weak.pairs[0].weak);
}

TEST(PairingPlannerTest, ShortProfilesGetAWeakPartnerNotNone) {
  // es1 and co1 share no theme and no word with anyone: a plan pairs them
  // (scoring 0, weak) rather than leaving them out, as Suggest's weak fill
  // does; with a min_score they stay out.
  auto index = SmallIndex({MakeProfile("es1", "ES", "Nothing to report."),
                           MakeProfile("it1", "IT", kOffersWater),
                           MakeProfile("co1", "CO", "A quiet place."),
                           MakeProfile("mx1", "MX", kSeeksWater)});
  PairingPlanner planner;
  for (bool trios : {false, true}) {
    PairingOptions o;
    o.trios = trios;
    auto plan = planner.Plan(*index, AllRows(*index), o);
    ASSERT_TRUE(plan.ok()) << plan.status();
    ExpectValidPlan(*index, planner.scorer(), *plan, o);
    EXPECT_TRUE(plan->unmatched.empty());
    EXPECT_EQ(GroupIds(*index, *plan),
              (std::vector<std::vector<std::string>>{{"co1", "es1"},
                                                     {"it1", "mx1"}}));
    const PlannedGroup& weak = plan->groups.back();
    EXPECT_EQ(weak.score, 0);
    EXPECT_TRUE(weak.weak && weak.pairs[0].weak);
    EXPECT_DOUBLE_EQ(plan->total_score, ScoreOf(*index, "it1", "mx1"));
  }
  PairingOptions floor;
  floor.min_score = 0.01;
  auto plan = planner.Plan(*index, AllRows(*index), floor);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(UnmatchedIds(*index, *plan),
            (std::vector<std::string>{"co1", "es1"}));
}


// WeakFillPairs against its definition, written the slow, obvious way: each
// member without a group, in member order, takes the first (RankWeak) of
// the other-side members with room it MayWeakFill with. Cohorts of 700
// mostly wordless members (all without a group at first, so the fill runs
// over several of its chunks), exact and on the candidate graph, capacity
// 1 and 2, with forbidden pairs, the hard kind rule and some groups given.
TEST(PairingPlannerTest, WeakFillFollowsItsDefinition) {
  const char* texts[] = {"Nothing to report.", "A quiet place.",
                         "A small town.", kOffersWater, kSeeksWater};
  const char* countries[] = {"ES", "IT", "FR", "CO", "MX", "BR"};
  std::mt19937 rng(17);
  std::vector<Profile> profiles;
  for (int i = 0; i < 700; ++i) {
    profiles.push_back(MakeProfile(
        absl::StrCat("m", 1000 + i), countries[rng() % 6],
        texts[rng() % 10 < 8 ? rng() % 3 : 3 + rng() % 2],
        rng() % 5 == 0 ? PlaceKind::kRegion : PlaceKind::kCity));
  }
  auto index = SmallIndex(std::move(profiles));
  PairingPlanner planner;
  int filled = 0;
  for (int capacity : {1, 2}) {
    for (auto method : {PairingOptions::Method::kExact,
                        PairingOptions::Method::kCandidates}) {
      if (capacity > 1 && method == PairingOptions::Method::kExact) continue;
      PairingOptions o;
      o.capacity = capacity;
      o.method = method;
      o.kind_rule = capacity == 1 ? KindRule::kSoft : KindRule::kHard;
      o.forbidden = {{"m1000", "m1001"}, {"m1002", "m1003"},
                     {"m1004", "m1005"}};
      auto pairs = CohortPairs::Build(*index, planner.scorer(),
                                      AllRows(*index), o);
      ASSERT_TRUE(pairs.ok()) << pairs.status();
      // A few groups first: the first allowed pairs among members 0..99.
      std::vector<std::vector<size_t>> groups;
      std::vector<int> partners_of(pairs->size(), 0);
      for (size_t u = 0; u < 100; ++u) {
        for (size_t v = u + 1; v < 100; ++v) {
          if (partners_of[u] < capacity && partners_of[v] < capacity &&
              pairs->link(u, v).kind == CohortPairs::Link::kPartners) {
            groups.push_back({u, v});
            ++partners_of[u];
            ++partners_of[v];
          }
        }
      }
      std::vector<std::vector<size_t>> expected;
      for (size_t u = 0; u < pairs->size(); ++u) {
        if (partners_of[u] > 0) continue;
        std::vector<size_t> candidates;
        for (size_t v = 0; v < pairs->size(); ++v) {
          if (partners_of[v] < capacity && MayWeakFill(*pairs, u, v)) {
            candidates.push_back(pairs->row(v));
          }
        }
        const std::vector<size_t> best = planner.scorer().RankWeak(
            *index, pairs->row(u), candidates, 1);
        if (best.empty()) continue;
        const size_t v = best.front();  // rows are member numbers here
        ++partners_of[u];
        ++partners_of[v];
        expected.push_back(pairs->eu(u) ? std::vector<size_t>{u, v}
                                        : std::vector<size_t>{v, u});
      }
      EXPECT_EQ(WeakFillPairs(*pairs, groups), expected)
          << "capacity " << capacity << ", sparse " << pairs->sparse();
      filled += static_cast<int>(expected.size());
    }
  }
  EXPECT_GT(filled, 256);
}

}  // namespace
}  // namespace pm
