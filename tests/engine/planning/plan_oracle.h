// Slow, obvious oracles for pairing plans, and synthetic cohorts, shared by
// the planner's tests and benchmarks/plan_benchmark.cc. The oracles take the
// pair facts (who may be grouped with whom, and what each pair adds) from
// CohortPairs, and search every plan exhaustively, independently of the
// planner's solvers and its group rules.
#ifndef PARTNER_MATCH_TESTS_ENGINE_PLANNING_PLAN_ORACLE_H_
#define PARTNER_MATCH_TESTS_ENGINE_PLANNING_PLAN_ORACLE_H_

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdint>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "data/bundled_data.h"
#include "engine/extraction/theme_extractor.h"
#include "engine/geo/gazetteer.h"
#include "engine/io/profile_format.h"
#include "engine/planning/pairing_planner.h"
#include "engine/taxonomy/taxonomy.h"

namespace pm::testing {

// The bundled taxonomy's extractor, shared.
inline std::shared_ptr<const ThemeExtractor> BundledExtractor() {
  static auto* extractor = new std::shared_ptr<const ThemeExtractor>(
      std::make_shared<ThemeExtractor>(std::shared_ptr<const Taxonomy>(
          &Taxonomy::Bundled(), [](const Taxonomy*) {})));
  return *extractor;
}

// The bundled profiles, parsed once.
inline const std::vector<Profile>& BundledProfiles() {
  static const auto* profiles = new std::vector<Profile>(
      ParseProfilesJsonl(bundled::File_profiles_jsonl(), "bundled",
                         Gazetteer::Bundled())
          .value());
  return *profiles;
}

// `n` profiles "p0000", "p0001", ... with the texts of random bundled
// profiles, a random country (EU with probability `eu_share`: ES IT FR DE PL
// PT; else a partner country: CO MX BR JP US AR), and a region for about one
// in four; no known partners.
inline std::vector<Profile> SyntheticProfiles(size_t n, uint32_t seed,
                                              double eu_share = 0.5) {
  static const char* kEu[] = {"ES", "IT", "FR", "DE", "PL", "PT"};
  static const char* kPartner[] = {"CO", "MX", "BR", "JP", "US", "AR"};
  const std::vector<Profile>& bundled = BundledProfiles();
  std::mt19937 rng(seed);
  std::vector<Profile> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    Profile p = bundled[rng() % bundled.size()];
    char id[16];
    std::snprintf(id, sizeof id, "p%04zu", i);
    p.id = id;
    p.name = std::string("Place ") + id;
    const bool eu =
        std::uniform_real_distribution<double>(0, 1)(rng) < eu_share;
    p.country = eu ? kEu[rng() % 6] : kPartner[rng() % 6];
    p.kind = rng() % 4 == 0 ? PlaceKind::kRegion : PlaceKind::kCity;
    p.eu_member.reset();
    p.world_region.clear();
    p.known_partners.clear();
    out.push_back(std::move(p));
  }
  return out;
}

// The match index of SyntheticProfiles(n, seed, eu_share).
inline std::shared_ptr<const MatchIndex> SyntheticIndex(size_t n,
                                                        uint32_t seed,
                                                        double eu_share = 0.5) {
  return MatchIndex::Build(SyntheticProfiles(n, seed, eu_share),
                           BundledExtractor(), Gazetteer::Bundled());
}

// Rows 0 … size − 1 of `index`: the whole index as a cohort.
inline std::vector<size_t> AllRows(const MatchIndex& index) {
  std::vector<size_t> rows(index.size());
  for (size_t i = 0; i < rows.size(); ++i) rows[i] = i;
  return rows;
}

// The pair facts of a cohort as plain matrices (member numbers).
struct PairFacts {
  size_t n = 0;
  std::vector<bool> eu;
  std::vector<int> kind;        // n × n, CohortPairs::Link::Kind
  std::vector<int64_t> units;   // n × n
  std::vector<double> score;    // n × n
  std::vector<int> fixed_mate;  // -1: none (capacity 1)
  int64_t min_gain = 0;
  std::vector<bool> must_place;  // may not be single

  // `min_trio_gain`: PairingPlan::min_trio_gain; `must_place`: members
  // that may not be left single (empty: none).
  explicit PairFacts(const CohortPairs& pairs, double min_trio_gain = 0,
                     std::vector<bool> must_place_members = {})
      : n(pairs.size()),
        eu(n),
        kind(n * n, CohortPairs::Link::kNone),
        units(n * n, 0),
        score(n * n, 0),
        fixed_mate(n, -1),
        min_gain(std::llround(min_trio_gain * CohortPairs::kScoreUnits)),
        must_place(std::move(must_place_members)) {
    must_place.resize(n, false);
    for (size_t i = 0; i < n; ++i) {
      eu[i] = pairs.eu(i);
      for (size_t j = 0; j < n; ++j) {
        if (i == j) continue;
        const CohortPairs::Link l = pairs.link(i, j);
        kind[i * n + j] = l.kind;
        units[i * n + j] = l.units;
        score[i * n + j] = l.score;
      }
    }
    for (const auto& [a, b] : pairs.fixed()) {
      fixed_mate[a] = static_cast<int>(b);
      fixed_mate[b] = static_cast<int>(a);
    }
  }

  // The value of `g` as a group (in units), or -1 when it may not be one:
  // both sides, every two members linked, fixed mates inside, and with three
  // or more, each member's links inside adding up to min_gain.
  int64_t GroupValue(const std::vector<size_t>& g) const {
    if (g.size() == 1)
      return fixed_mate[g[0]] < 0 && !must_place[g[0]] ? 0 : -1;
    bool has_eu = false, has_partner = false;
    int64_t total = 0;
    for (size_t a : g) {
      (eu[a] ? has_eu : has_partner) = true;
      if (fixed_mate[a] >= 0 &&
          std::find(g.begin(), g.end(), static_cast<size_t>(fixed_mate[a])) ==
              g.end()) {
        return -1;
      }
      int64_t own = 0;
      for (size_t b : g) {
        if (a == b) continue;
        if (kind[a * n + b] == CohortPairs::Link::kNone) return -1;
        own += units[a * n + b];
      }
      if (g.size() >= 3 && own < min_gain) return -1;
      total += own;
    }
    if (!has_eu || !has_partner) return -1;
    return total / 2;
  }
};

// The best plan's objective (units) over every partition of the cohort into
// groups of up to `max_group` members and singles (never a member that must
// be placed), capacity 1: dynamic
// programming over subsets (the group of the lowest member, then the rest).
// n <= 20.
inline int64_t BruteForceBest(
    const PairFacts& f, int max_group,
    std::vector<std::vector<size_t>>* groups_out = nullptr) {
  assert(f.n <= 20);
  const uint32_t full = (1u << f.n) - 1;
  std::vector<int64_t> best(size_t{1} << f.n, -1);
  std::vector<uint32_t> choice(size_t{1} << f.n, 0);  // the best's group
  best[0] = 0;
  std::vector<size_t> group;
  // Tries every group holding the lowest member of `mask`.
  std::function<void(uint32_t, uint32_t, size_t)> extend =
      [&](uint32_t mask, uint32_t rest, size_t from) {
        const int64_t v = f.GroupValue(group);
        if (v >= 0) {
          uint32_t used = 0;
          for (size_t m : group) used |= 1u << m;
          const int64_t r = best[mask & ~used];
          if (r >= 0 && v + r > best[mask]) {
            best[mask] = v + r;
            choice[mask] = used;
          }
        }
        if (group.size() == static_cast<size_t>(max_group)) return;
        for (size_t m = from; m < f.n; ++m) {
          if (!(rest & (1u << m))) continue;
          group.push_back(m);
          extend(mask, rest, m + 1);
          group.pop_back();
        }
      };
  for (uint32_t mask = 1; mask <= full; ++mask) {
    size_t low = 0;
    while (!(mask & (1u << low))) ++low;
    group.assign(1, low);
    extend(mask, mask & ~(1u << low), low + 1);
    if (mask == full) break;
  }
  if (groups_out != nullptr && best[full] >= 0) {
    groups_out->clear();
    for (uint32_t mask = full; mask != 0; mask &= ~choice[mask]) {
      std::vector<size_t> g;
      for (size_t m = 0; m < f.n; ++m) {
        if (choice[mask] & (1u << m)) g.push_back(m);
      }
      groups_out->push_back(g);
    }
  }
  return best[full];
}

// The best plan of pairs with `capacity` partners each, fixed pairs kept:
// every set of allowed partner pairs searched. n <= 10 or so.
inline int64_t BruteForceBestWithCapacity(const CohortPairs& pairs) {
  const PairFacts f(pairs);
  const int capacity = pairs.options().capacity;
  std::vector<int> room(f.n, capacity);
  int64_t fixed_total = 0;
  for (const auto& [a, b] : pairs.fixed()) {
    --room[a];
    --room[b];
    fixed_total += f.units[a * f.n + b];
  }
  std::vector<std::pair<size_t, size_t>> edges;
  for (size_t i = 0; i < f.n; ++i) {
    for (size_t j = i + 1; j < f.n; ++j) {
      if (f.kind[i * f.n + j] != CohortPairs::Link::kPartners) continue;
      if (pairs.link(i, j).fixed) continue;
      edges.emplace_back(i, j);
    }
  }
  int64_t best = 0;
  std::function<void(size_t, int64_t)> go = [&](size_t k, int64_t value) {
    if (k == edges.size()) {
      best = std::max(best, value);
      return;
    }
    go(k + 1, value);
    const auto [a, b] = edges[k];
    if (room[a] > 0 && room[b] > 0) {
      --room[a];
      --room[b];
      go(k + 1, value + f.units[a * f.n + b]);
      ++room[a];
      ++room[b];
    }
  };
  go(0, 0);
  return fixed_total + best;
}

// The plan's objective in units, recomputed from its groups.
inline int64_t PlanUnits(const PairingPlan& plan) {
  int64_t total = 0;
  for (const PlannedGroup& g : plan.groups) {
    for (const GroupPair& p : g.pairs) {
      total += std::llround(p.score * CohortPairs::kScoreUnits);
    }
  }
  return total;
}

}  // namespace pm::testing

#endif  // PARTNER_MATCH_TESTS_ENGINE_PLANNING_PLAN_ORACLE_H_
