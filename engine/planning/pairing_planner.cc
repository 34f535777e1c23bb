// Pairing plans: validation and the pair table (CohortPairs), the exact
// solvers, the trio search, and the reasons.
//
// Why the solvers are exact (capacity 1 and c > 1 are proven at
// MaxWeightAssignment and MaxWeightBMatching). The plan's pairs are a
// matching (b-matching) of the bipartite graph whose edges are the allowed
// partner pairs, weighted by their integer scores; fixed pairs are removed
// with their capacity first, so the optimum around them is the optimum of
// the rest. Boost's general-graph maximum_weighted_matching is not used:
// the graph is bipartite, Boost 1.74's blossom code took 50 s on a dense
// 500 + 500 cohort that the assignment solves in 0.07 s (same optimum), and
// it has open reports of loops and wrong results (boostorg/graph#223, #399).
//
// How far trios can be from the best (the trio problem is a weighted packing
// of triangles and edges: NP-hard). Let OPT be the best plan, OPT_p the sum
// of its partner pairs and OPT_s of its same-side pairs (OPT = OPT_p +
// OPT_s). Without fixed pairs: in each group of OPT the larger partner pair
// carries at least half of the group's partner pairs (a trio has two, both
// through its single member); those pairs, one per group, form a matching
// M', so the best pairs-only plan M* scores w(M*) >= w(M') >= OPT_p / 2
// (OPT_p / 3 with groups of four, whose partner pairs split into at most
// three matchings). The search starts from M* and only improves: plan >=
// w(M*) >= OPT_p / 2. (A group holding a fixed pair contributes that pair
// to M' instead, and only it to the bound.)
// No constant bound covers OPT_s (two members may share much and fit their
// partner little), so the ratio is measured: tests/engine/planning
// (RandomCohortTest.TriosStayCloseToTheBestPlan) and
// benchmarks/plan_benchmark.cc print it against exhaustive search.
#include "engine/planning/pairing_planner.h"

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/successive_shortest_path_nonnegative_weights.hpp>
#include <cassert>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <memory>
#include <numeric>
#include <random>
#include <tuple>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "engine/common/status_macros.h"

namespace pm {
namespace {

using MemberPair = std::pair<size_t, size_t>;  // member numbers, first < second

MemberPair Ordered(size_t a, size_t b) {
  return a < b ? MemberPair{a, b} : MemberPair{b, a};
}

int64_t ToUnits(double score) {
  return static_cast<int64_t>(std::llround(score * CohortPairs::kScoreUnits));
}

std::string Fmt(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", x);
  return buf;
}

// "Cali (cali)".
std::string Describe(const MatchIndex& index, size_t row) {
  const Profile& p = index.at(row).profile;
  return absl::StrCat(p.name, " (", p.id, ")");
}

// "Cali (cali, 0.221)".
std::string DescribeScored(const MatchIndex& index, size_t row, double score) {
  const Profile& p = index.at(row).profile;
  return absl::StrCat(p.name, " (", p.id, ", ", Fmt(score), ")");
}

std::string PairName(const std::string& a, const std::string& b) {
  return absl::StrCat("('", a, "', '", b, "')");
}

bool KindsClash(const MatchIndex& index, size_t a, size_t b) {
  return IsCityLike(index.at(a).profile.kind) !=
         IsCityLike(index.at(b).profile.kind);
}

// The latest decision per pair of cohort members (member numbers).
std::map<MemberPair, const Decision*> CohortDecisions(
    const MatchIndex& index, const std::vector<int64_t>& member_of_row) {
  std::map<MemberPair, const Decision*> out;
  for (const Decision& d : index.decisions()) {
    std::optional<size_t> a = index.Find(d.profile_id);
    std::optional<size_t> b = index.Find(d.partner_id);
    if (!a || !b || *a == *b) continue;
    const int64_t ma = member_of_row[*a], mb = member_of_row[*b];
    if (ma < 0 || mb < 0) continue;
    out[Ordered(static_cast<size_t>(ma), static_cast<size_t>(mb))] = &d;
  }
  return out;
}

}  // namespace

const char* KindRuleName(KindRule rule) {
  return rule == KindRule::kHard ? "hard" : "soft";
}

absl::StatusOr<KindRule> ParseKindRule(std::string_view name) {
  const std::string lower = absl::AsciiStrToLower(std::string(name));
  if (lower.empty() || lower == "soft") return KindRule::kSoft;
  if (lower == "hard") return KindRule::kHard;
  return absl::InvalidArgumentError(absl::StrCat(
      "kind_rule must be 'soft' or 'hard', got '", std::string(name), "'"));
}

const char* GroupKindName(const PlannedGroup& group) {
  switch (group.members.size()) {
    case 2:
      return "pair";
    case 3:
      return "trio";
    default:
      return "group";
  }
}

const char* UnmatchedCauseName(UnmatchedCause cause) {
  switch (cause) {
    case UnmatchedCause::kNoEligiblePartner:
      return "no_eligible_partner";
    case UnmatchedCause::kBelowMinScore:
      return "below_min_score";
    case UnmatchedCause::kPartnersTaken:
      return "partners_taken";
  }
  return "";
}

// ---- CohortPairs: validation and the pair table ---------------------------

namespace {

absl::Status CheckOptions(const PairingOptions& o, const MatchRules& rules,
                          size_t members) {
  if (o.capacity < 1 || o.capacity > PairingOptions::kMaxCapacity) {
    return absl::InvalidArgumentError(
        absl::StrCat("capacity must be between 1 and ",
                     PairingOptions::kMaxCapacity, ", got ", o.capacity));
  }
  if (!(o.min_score >= 0) || !std::isfinite(o.min_score)) {
    return absl::InvalidArgumentError(
        absl::StrCat("min_score must be a number >= 0, got ", o.min_score));
  }
  if (o.max_group_size < 2 ||
      o.max_group_size > PairingOptions::kMaxGroupSize) {
    return absl::InvalidArgumentError(absl::StrCat(
        "max_group_size must be between 2 and ", PairingOptions::kMaxGroupSize,
        ", got ", o.max_group_size));
  }
  if (o.min_trio_gain &&
      (!(*o.min_trio_gain >= 0) || !std::isfinite(*o.min_trio_gain))) {
    return absl::InvalidArgumentError(absl::StrCat(
        "min_trio_gain must be a number >= 0, got ", *o.min_trio_gain));
  }
  if (o.trios && o.max_group_size > 2 && o.capacity > 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "trios need capacity 1 (a member of a trio has one group), got "
        "capacity ",
        o.capacity));
  }
  if (!rules.require_opposite_sides) {
    return absl::FailedPreconditionError(
        "the planner needs the rule that a pair joins an EU member and a "
        "partner-country member (MatchRules::require_opposite_sides)");
  }
  const size_t limit = o.capacity == 1
                           ? PairingPlanner::kMaxCohortMembers
                           : PairingPlanner::kMaxCohortMembersWithCapacity;
  if (members > limit) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "the cohort has ", members, " members, more than the ", limit,
        " a plan with capacity ", o.capacity,
        " can take (an exact plan costs O(n^3)); choose a smaller cohort by "
        "ids, kind or world region"));
  }
  return absl::OkStatus();
}

// Rows of the two ids of `pair`, named `field` ("fixed[2]") in errors.
absl::StatusOr<std::pair<size_t, size_t>> PairRows(const MatchIndex& index,
                                                   const IdPair& pair,
                                                   const std::string& field) {
  size_t rows[2];
  const std::string* ids[2] = {&pair.profile_id, &pair.partner_id};
  for (int k = 0; k < 2; ++k) {
    if (ids[k]->empty()) {
      return absl::InvalidArgumentError(absl::StrCat(field, ": empty id"));
    }
    absl::StatusOr<size_t> row = index.Row(*ids[k]);
    if (!row.ok()) {
      return absl::NotFoundError(absl::StrCat(field, ": ", row.status().message()));
    }
    rows[k] = *row;
  }
  if (rows[0] == rows[1]) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": '", pair.profile_id, "' cannot be paired with itself"));
  }
  return std::make_pair(rows[0], rows[1]);
}

// The rule a fixed pair (rows a, b) breaks, or nullopt. Known, accepted and
// existing partnerships may be fixed; everything else Exclusion says may not.
std::optional<std::string> FixedPairBreaks(const MatchIndex& index,
                                           const ReciprocalScorer& scorer,
                                           KindRule kind_rule, size_t a,
                                           size_t b, bool from_decision) {
  const MatchRules& rules = scorer.options().rules;
  const IndexedProfile& pa = index.at(a);
  const IndexedProfile& pb = index.at(b);
  const bool breaks_sides =
      rules.require_opposite_sides && pa.eu_member == pb.eu_member;
  const bool breaks_country =
      rules.forbid_same_country && pa.profile.country == pb.profile.country;
  if (breaks_sides || breaks_country) return scorer.Exclusion(index, a, b);
  const Decision* d = index.LatestDecision(pa.profile.id, pb.profile.id);
  if (d != nullptr && d->kind == DecisionKind::kDeclined) {
    return scorer.Exclusion(index, a, b);
  }
  if (!from_decision && kind_rule == KindRule::kHard &&
      KindsClash(index, a, b)) {
    auto with_article = [](PlaceKind kind) {
      const std::string name = PlaceKindName(kind);
      return absl::StrCat(name[0] == 'a' ? "an " : "a ", name);
    };
    return absl::StrCat(with_article(pa.profile.kind), " with ",
                        with_article(pb.profile.kind),
                        ", and kind_rule is hard");
  }
  return std::nullopt;
}

}  // namespace

absl::StatusOr<CohortPairs> CohortPairs::Build(const MatchIndex& index,
                                               const ReciprocalScorer& scorer,
                                               std::vector<size_t> cohort,
                                               const PairingOptions& options) {
  std::sort(cohort.begin(), cohort.end());
  cohort.erase(std::unique(cohort.begin(), cohort.end()), cohort.end());
  PM_RETURN_IF_ERROR(
      CheckOptions(options, scorer.options().rules, cohort.size()));
  CohortPairs pairs;
  pairs.index_ = &index;
  pairs.scorer_ = &scorer;
  pairs.options_ = options;
  pairs.rows_ = std::move(cohort);
  const size_t n = pairs.rows_.size();
  pairs.eu_.resize(n);
  pairs.side_pos_.resize(n);
  for (size_t m = 0; m < n; ++m) {
    assert(pairs.rows_[m] < index.size());
    pairs.eu_[m] = index.at(pairs.rows_[m]).eu_member;
    auto& side = pairs.eu_[m] ? pairs.eu_members_ : pairs.partner_members_;
    pairs.side_pos_[m] = side.size();
    side.push_back(m);
  }
  pairs.member_of_row_.assign(index.size(), -1);
  for (size_t m = 0; m < n; ++m) pairs.member_of_row_[pairs.rows_[m]] = m;
  PM_RETURN_IF_ERROR(pairs.CheckForbidden());
  PM_RETURN_IF_ERROR(pairs.AddFixed());
  pairs.ScorePairs();
  return pairs;
}

absl::Status CohortPairs::CheckForbidden() {
  for (size_t i = 0; i < options_.forbidden.size(); ++i) {
    PM_ASSIGN_OR_RETURN(auto rows,
                        PairRows(*index_, options_.forbidden[i],
                                 absl::StrCat("forbidden[", i, "]")));
    const int64_t a = member_of_row_[rows.first];
    const int64_t b = member_of_row_[rows.second];
    if (a >= 0 && b >= 0) forbidden_.insert(Ordered(a, b));
  }
  return absl::OkStatus();
}

std::optional<size_t> CohortPairs::ForbiddenEntry(size_t a, size_t b) const {
  for (size_t i = 0; i < options_.forbidden.size(); ++i) {
    auto rows = PairRows(*index_, options_.forbidden[i], "");
    if (rows.ok() && Ordered(rows->first, rows->second) == Ordered(a, b)) {
      return i;
    }
  }
  return std::nullopt;
}

absl::Status CohortPairs::AddFixed() {
  std::vector<int> degree(rows_.size(), 0);  // fixed partners per member
  PM_RETURN_IF_ERROR(AddAcceptedDecisions(degree));
  return AddFixedOptions(degree);
}

absl::Status CohortPairs::AddAcceptedDecisions(std::vector<int>& degree) {
  const MatchIndex& index = *index_;
  std::vector<const Decision*> accepted;
  for (const auto& [pair, decision] : CohortDecisions(index, member_of_row_)) {
    if (decision->kind == DecisionKind::kAccepted) accepted.push_back(decision);
  }
  std::sort(accepted.begin(), accepted.end());  // pointers into the log
  for (const Decision* decision : accepted) {
    const size_t a = *index.Find(decision->profile_id);
    const size_t b = *index.Find(decision->partner_id);
    const std::string name =
        PairName(decision->profile_id, decision->partner_id);
    const MemberPair mp = Ordered(member_of_row_[a], member_of_row_[b]);
    if (forbidden_.count(mp)) {
      const size_t i = ForbiddenEntry(a, b).value();
      return absl::InvalidArgumentError(absl::StrCat(
          "forbidden[", i, "] ",
          PairName(options_.forbidden[i].profile_id,
                   options_.forbidden[i].partner_id),
          ": accepted by ", decision->who, " (decision #", decision->sequence,
          "); an accepted pair stays in the plan: record a new decision to "
          "change it"));
    }
    if (auto broken = FixedPairBreaks(index, *scorer_, options_.kind_rule, a, b,
                                      /*from_decision=*/true)) {
      return absl::FailedPreconditionError(absl::StrCat(
          "accepted decision #", decision->sequence, " ", name,
          " breaks a rule of the plan: ", *broken,
          "; record a new decision for the pair or leave one of them out of "
          "the cohort"));
    }
    for (size_t m : {mp.first, mp.second}) {
      if (++degree[m] > options_.capacity) {
        return absl::FailedPreconditionError(absl::StrCat(
            "'", index.at(rows_[m]).profile.id, "' has ", degree[m],
            " accepted partners in the cohort (the last: decision #",
            decision->sequence, " ", name, "), more than capacity ",
            options_.capacity,
            "; raise the capacity or record a new decision"));
      }
    }
    fixed_set_.insert(mp);
    fixed_.push_back(mp);
  }
  return absl::OkStatus();
}

absl::Status CohortPairs::AddFixedOptions(std::vector<int>& degree) {
  const MatchIndex& index = *index_;
  for (size_t i = 0; i < options_.fixed.size(); ++i) {
    const IdPair& f = options_.fixed[i];
    const std::string field = absl::StrCat("fixed[", i, "]");
    PM_ASSIGN_OR_RETURN(auto rows, PairRows(index, f, field));
    for (size_t row : {rows.first, rows.second}) {
      if (member_of_row_[row] < 0) {
        return absl::InvalidArgumentError(absl::StrCat(
            field, ": '", index.at(row).profile.id, "' is not in the cohort"));
      }
    }
    const std::string name =
        absl::StrCat(field, " ", PairName(f.profile_id, f.partner_id));
    const MemberPair mp =
        Ordered(member_of_row_[rows.first], member_of_row_[rows.second]);
    if (forbidden_.count(mp)) {
      return absl::InvalidArgumentError(
          absl::StrCat(name, " is also forbidden (forbidden[",
                       ForbiddenEntry(rows.first, rows.second).value(), "])"));
    }
    if (auto broken = FixedPairBreaks(index, *scorer_, options_.kind_rule,
                                      rows.first, rows.second,
                                      /*from_decision=*/false)) {
      return absl::InvalidArgumentError(absl::StrCat(name, ": ", *broken));
    }
    if (fixed_set_.count(mp)) continue;  // given twice, or accepted already
    for (size_t m : {mp.first, mp.second}) {
      if (++degree[m] > options_.capacity) {
        return absl::InvalidArgumentError(absl::StrCat(
            name, ": '", index.at(rows_[m]).profile.id, "' would have ",
            degree[m], " fixed partners, more than capacity ",
            options_.capacity));
      }
    }
    fixed_set_.insert(mp);
    fixed_.push_back(mp);
  }
  return absl::OkStatus();
}

void CohortPairs::ScorePairs() {
  const MatchIndex& index = *index_;
  const size_t e = eu_members_.size(), p = partner_members_.size();
  cross_.assign(e * p, 0.0);
  partners_.assign(e * p, 0);
  for (size_t i = 0; i < e; ++i) {
    const size_t mi = eu_members_[i];
    for (size_t j = 0; j < p; ++j) {
      const size_t mj = partner_members_[j];
      const MemberPair mp = Ordered(mi, mj);
      const size_t a = rows_[mi], b = rows_[mj];
      const double score = scorer_->Score(index, a, b).score;
      cross_[i * p + j] = score;
      if (fixed_set_.count(mp)) {
        partners_[i * p + j] = 1;
        continue;
      }
      if (forbidden_.count(mp)) continue;
      if (options_.kind_rule == KindRule::kHard && KindsClash(index, a, b)) {
        continue;
      }
      if (!(score > 0) || score < options_.min_score) continue;
      if (scorer_->Exclusion(index, a, b)) continue;
      partners_[i * p + j] = 1;
    }
  }
}

double CohortPairs::PairScore(size_t i, size_t j) const {
  assert(eu_[i] != eu_[j]);
  const size_t e = eu_[i] ? side_pos_[i] : side_pos_[j];
  const size_t p = eu_[i] ? side_pos_[j] : side_pos_[i];
  return cross_[e * partner_members_.size() + p];
}

namespace {

// What two same-side members of a group add: the similarity part of their
// score (themes and words in common), without its complementarity part.
double SimilarityPart(const ReciprocalScorer& scorer, const MatchIndex& index,
                      size_t a, size_t b) {
  const ScoreParts parts = scorer.Score(index, a, b);
  const ScoreWeights& w = scorer.options().weights;
  return std::max(0.0, parts.penalty_factor *
                           (w.shared * parts.shared + w.latent * parts.latent));
}

}  // namespace

CohortPairs::Link CohortPairs::link(size_t i, size_t j) const {
  assert(i != j && i < size() && j < size());
  Link out;
  if (eu_[i] != eu_[j]) {
    const size_t e = eu_[i] ? side_pos_[i] : side_pos_[j];
    const size_t p = eu_[i] ? side_pos_[j] : side_pos_[i];
    const size_t k = e * partner_members_.size() + p;
    if (!partners_[k]) return out;
    out.kind = Link::kPartners;
    out.score = std::max(0.0, cross_[k]);
    out.units = ToUnits(out.score);
    out.fixed = fixed_set_.count(Ordered(i, j)) > 0;
    return out;
  }
  if (forbidden_.count(Ordered(i, j))) return out;
  const Decision* d = index_->LatestDecision(index_->at(rows_[i]).profile.id,
                                             index_->at(rows_[j]).profile.id);
  if (d != nullptr && d->kind == DecisionKind::kDeclined) return out;
  out.kind = Link::kSameSide;
  out.score = SimilarityPart(*scorer_, *index_, rows_[i], rows_[j]);
  out.units = ToUnits(out.score);
  return out;
}

// ---- Exact solvers --------------------------------------------------------

namespace {

// Maximum-weight matching of a complete bipartite graph: `w` is r × c,
// row-major, weights >= 0 (0: no edge), r <= c. Returns for each row its
// column, or -1. The Hungarian algorithm with potentials (shortest
// augmenting paths, O(r²·c)) finds a minimum-cost assignment of every row to
// a distinct column under cost -w. That assignment, less its zero-weight
// edges, is a maximum-weight matching: any matching extends to an
// assignment of equal weight (its unmatched rows take unused columns, at
// weight 0, as r <= c), and any assignment less its zero edges is a
// matching of equal weight.
std::vector<int64_t> MaxWeightAssignment(const std::vector<int64_t>& w,
                                         size_t r, size_t c) {
  assert(r <= c);
  std::vector<int64_t> assignment(r, -1);
  if (r == 0) return assignment;
  constexpr int64_t kInf = std::numeric_limits<int64_t>::max() / 4;
  // 1-based as in the classic formulation; column 0 is a virtual start.
  std::vector<int64_t> u(r + 1, 0), v(c + 1, 0);
  std::vector<size_t> p(c + 1, 0), way(c + 1, 0);
  std::vector<int64_t> minv(c + 1);
  std::vector<char> used(c + 1);
  for (size_t i = 1; i <= r; ++i) {
    p[0] = i;
    size_t j0 = 0;
    std::fill(minv.begin(), minv.end(), kInf);
    std::fill(used.begin(), used.end(), 0);
    do {
      used[j0] = 1;
      const size_t i0 = p[j0];
      const int64_t* row = &w[(i0 - 1) * c];
      const int64_t ui0 = u[i0];
      int64_t delta = kInf;
      size_t j1 = 0;
      for (size_t j = 1; j <= c; ++j) {
        if (used[j]) continue;
        const int64_t cur = -row[j - 1] - ui0 - v[j];
        if (cur < minv[j]) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j] < delta) {
          delta = minv[j];
          j1 = j;
        }
      }
      for (size_t j = 0; j <= c; ++j) {
        if (used[j]) {
          u[p[j]] += delta;
          v[j] -= delta;
        } else {
          minv[j] -= delta;
        }
      }
      j0 = j1;
    } while (p[j0] != 0);
    do {
      const size_t j1 = way[j0];
      p[j0] = p[j1];
      j0 = j1;
    } while (j0 != 0);
  }
  for (size_t j = 1; j <= c; ++j) {
    if (p[j] != 0 && w[(p[j] - 1) * c + (j - 1)] > 0) {
      assignment[p[j] - 1] = static_cast<int64_t>(j - 1);
    }
  }
  return assignment;
}

// A maximum-weight matching between `left` and `right` (indices into them),
// weights from `weight(l, r)` (<= 0: no edge); runs the assignment on the
// smaller side.
template <typename WeightFn>
std::vector<std::pair<size_t, size_t>> MaxWeightMatching(size_t left,
                                                         size_t right,
                                                         WeightFn weight) {
  const bool transpose = left > right;
  const size_t r = transpose ? right : left, c = transpose ? left : right;
  std::vector<int64_t> w(r * c, 0);
  for (size_t i = 0; i < r; ++i) {
    for (size_t j = 0; j < c; ++j) {
      const int64_t x = transpose ? weight(j, i) : weight(i, j);
      w[i * c + j] = std::max<int64_t>(0, x);
    }
  }
  const std::vector<int64_t> a = MaxWeightAssignment(w, r, c);
  std::vector<std::pair<size_t, size_t>> out;
  for (size_t i = 0; i < r; ++i) {
    if (a[i] < 0) continue;
    const size_t j = static_cast<size_t>(a[i]);
    out.emplace_back(transpose ? j : i, transpose ? i : j);
  }
  std::sort(out.begin(), out.end());
  return out;
}

// A maximum-weight b-matching of the bipartite graph `edges` (left, right,
// weight > 0) with capacities `cap_left`, `cap_right`, as a min-cost flow:
//   source -> L_i (capacity cap_left[i], cost 0)
//   L_i -> R_j    (capacity 1, cost C - w_ij) for each edge
//   L_i -> sink   (capacity cap_left[i], cost C): "leave this slot empty"
//   R_j -> sink   (capacity cap_right[j], cost 0)
// with C = max w, so every cost is >= 0 (what Boost's
// successive_shortest_path_nonnegative_weights needs). The bypass edges make
// every maximum flow saturate the source (value F = Σ cap_left), and a
// maximum flow of value F is, unit path by unit path, a b-matching M plus
// F - |M| bypass units, of cost C·F - w(M); conversely every b-matching
// gives such a flow. So the minimum-cost maximum flow is a maximum-weight
// b-matching; integral, as capacities are integers. Costs are integral
// doubles (exact below 2^53; doubles keep Boost's potentials well defined
// for vertices the residual graph no longer reaches).
std::vector<size_t> MaxWeightBMatching(
    size_t left, size_t right,
    const std::vector<std::tuple<size_t, size_t, int64_t>>& edges,
    const std::vector<int>& cap_left, const std::vector<int>& cap_right) {
  using Traits =
      boost::adjacency_list_traits<boost::vecS, boost::vecS, boost::directedS>;
  using Graph = boost::adjacency_list<
      boost::vecS, boost::vecS, boost::directedS, boost::no_property,
      boost::property<
          boost::edge_capacity_t, double,
          boost::property<
              boost::edge_residual_capacity_t, double,
              boost::property<boost::edge_reverse_t, Traits::edge_descriptor,
                              boost::property<boost::edge_weight_t, double>>>>>;
  const size_t source = left + right, sink = source + 1;
  Graph g(sink + 1);
  auto capacity = boost::get(boost::edge_capacity, g);
  auto reverse = boost::get(boost::edge_reverse, g);
  auto cost = boost::get(boost::edge_weight, g);
  auto add = [&](size_t from, size_t to, double cap, double c) {
    auto e = boost::add_edge(from, to, g).first;
    auto back = boost::add_edge(to, from, g).first;
    capacity[e] = cap;
    capacity[back] = 0;
    cost[e] = c;
    cost[back] = -c;
    reverse[e] = back;
    reverse[back] = e;
    return e;
  };
  int64_t max_w = 0;
  for (const auto& [l, r, w] : edges) max_w = std::max(max_w, w);
  const double big = static_cast<double>(max_w);
  for (size_t i = 0; i < left; ++i) {
    if (cap_left[i] <= 0) continue;
    add(source, i, cap_left[i], 0);
    add(i, sink, cap_left[i], big);
  }
  for (size_t j = 0; j < right; ++j) {
    if (cap_right[j] > 0) add(left + j, sink, cap_right[j], 0);
  }
  std::vector<Traits::edge_descriptor> pair_edges;
  pair_edges.reserve(edges.size());
  for (const auto& [l, r, w] : edges) {
    pair_edges.push_back(add(l, left + r, 1, big - static_cast<double>(w)));
  }
  boost::successive_shortest_path_nonnegative_weights(g, source, sink);
  auto residual = boost::get(boost::edge_residual_capacity, g);
  std::vector<size_t> chosen;  // indices into edges
  for (size_t k = 0; k < edges.size(); ++k) {
    if (residual[pair_edges[k]] < 0.5) chosen.push_back(k);
  }
  return chosen;
}

}  // namespace

// ---- Groups of three or more ----------------------------------------------

namespace {

// The rules of a group, over member numbers: at most `max_group` members,
// both sides present, every two members linked (partners allowed, or same
// side and not declined or forbidden), fixed partners together, and — with
// three or more — each member adding at least `min_gain` (the sum of its
// links inside). A group's value is the sum of its links.
class GroupRules {
 public:
  // `min_gain`: the least a member of a group of three or more adds;
  // `must_place`: members that may not be left single (those the pairs-only
  // plan places).
  GroupRules(const CohortPairs& pairs, double min_gain,
             std::vector<bool> must_place)
      : pairs_(pairs),
        n_(pairs.size()),
        max_group_(pairs.options().trios ? pairs.options().max_group_size : 2),
        min_gain_(ToUnits(min_gain)),
        units_(n_ * n_, -1),
        fixed_mate_(n_, kNoMate),
        must_place_(std::move(must_place)) {
    for (size_t i = 0; i < n_; ++i) {
      for (size_t j = i + 1; j < n_; ++j) {
        const CohortPairs::Link l = pairs.link(i, j);
        if (l.kind == CohortPairs::Link::kNone) continue;
        units_[i * n_ + j] = units_[j * n_ + i] = l.units;
      }
    }
    for (const auto& [a, b] : pairs.fixed()) {
      fixed_mate_[a] = b;
      fixed_mate_[b] = a;
    }
    near_.resize(n_);
    std::vector<std::pair<int64_t, size_t>> ranked[2];  // same side, other
    for (size_t i = 0; i < n_; ++i) {
      ranked[0].clear();
      ranked[1].clear();
      for (size_t j = 0; j < n_; ++j) {
        if (j != i && units(i, j) > 0) {
          ranked[eu(i) != eu(j)].emplace_back(-units(i, j), j);
        }
      }
      for (int other = 1; other >= 0; --other) {
        auto& r = ranked[other];
        const size_t keep =
            std::min(r.size(), other ? kNearPartners : kNearPeers);
        std::partial_sort(r.begin(), r.begin() + keep, r.end());
        for (size_t k = 0; k < keep; ++k) near_[i].push_back(r[k].second);
      }
    }
  }

  static constexpr size_t kNoMate = static_cast<size_t>(-1);
  // Members a search looks at around each member: its strongest partners
  // (other side) and peers (same side).
  static constexpr size_t kNearPartners = 64;
  static constexpr size_t kNearPeers = 12;

  size_t size() const { return n_; }
  int max_group() const { return max_group_; }
  double min_gain() const { return min_gain_ / CohortPairs::kScoreUnits; }
  int64_t units(size_t i, size_t j) const { return units_[i * n_ + j]; }
  size_t fixed_mate(size_t i) const { return fixed_mate_[i]; }
  bool eu(size_t i) const { return pairs_.eu(i); }
  // The kNearPartners partners, then the kNearPeers peers, with the
  // strongest links to i, strongest first (ties in member order).
  const std::vector<size_t>& near(size_t i) const { return near_[i]; }

  // The value of `g` as a group, or -1 when it may not be one. A single
  // member is worth 0 (-1 when it has a fixed partner or must be placed).
  int64_t Value(const std::vector<size_t>& g) const {
    if (g.empty()) return 0;
    if (g.size() == 1) {
      return fixed_mate_[g[0]] == kNoMate && !must_place_[g[0]] ? 0 : -1;
    }
    if (g.size() > static_cast<size_t>(max_group_)) return -1;
    int64_t marginal[PairingOptions::kMaxGroupSize] = {0, 0, 0, 0};
    bool sides[2] = {false, false};
    int64_t total = 0;
    for (size_t a = 0; a < g.size(); ++a) {
      sides[eu(g[a])] = true;
      const size_t mate = fixed_mate_[g[a]];
      if (mate != kNoMate && std::find(g.begin(), g.end(), mate) == g.end()) {
        return -1;
      }
      for (size_t b = a + 1; b < g.size(); ++b) {
        const int64_t u = units(g[a], g[b]);
        if (u < 0) return -1;
        total += u;
        marginal[a] += u;
        marginal[b] += u;
      }
    }
    if (!sides[0] || !sides[1]) return -1;
    if (g.size() >= 3) {
      for (size_t a = 0; a < g.size(); ++a) {
        if (marginal[a] < min_gain_) return -1;
      }
    }
    return total;
  }

  // What `g` settles into: itself when it may be a group, else its fixed
  // pairs and single members. Appends the parts to `out`; returns the value,
  // or -1 when that would leave a member that must be placed single.
  int64_t Settle(const std::vector<size_t>& g,
                 std::vector<std::vector<size_t>>* out) const {
    if (g.empty()) return 0;
    const int64_t v = Value(g);
    if (v >= 0) {
      if (out) out->push_back(g);
      return v;
    }
    for (size_t m : g) {
      if (fixed_mate_[m] == kNoMate && must_place_[m]) return -1;
    }
    int64_t total = 0;
    for (size_t m : g) {
      const size_t mate = fixed_mate_[m];
      if (mate == kNoMate) {
        if (out) out->push_back({m});
      } else if (m < mate) {
        total += units(m, mate);
        if (out) out->push_back({m, mate});
      }
    }
    return total;
  }

 private:
  const CohortPairs& pairs_;
  const size_t n_;
  const int max_group_;
  const int64_t min_gain_;
  std::vector<int64_t> units_;  // n × n, symmetric; -1: no link
  std::vector<size_t> fixed_mate_;
  std::vector<bool> must_place_;
  std::vector<std::vector<size_t>> near_;
};

// Improves a partition of the members (every member in exactly one group,
// singles included) for the objective of GroupRules:
//  1. Attach: single members join groups with room by a maximum-weight
//     assignment on their marginal gains (max_group - 2 rounds).
//  2. Local search: at each member x, the best strictly improving change
//     among moving x to another group, swapping it with a member of
//     another group, moving it and filling its place with a single, and
//     (groups of four) merging its group with another or joining a group
//     with another single; candidates are the groups of x's near members
//     (GroupRules::near) and of its group's, each bounded by its link sums
//     before it is evaluated. Passes until none improves.
//  3. Exact re-partition of neighbourhoods: each group, alone and with each
//     of its kNeighbours nearest groups, grown by the nearest groups and
//     singles up to 9 members (10 with groups of four), is re-partitioned
//     optimally by dynamic programming over the subsets of its members.
//     Steps 2 and 3 alternate until neither improves.
//  4. The same on random neighbourhoods (a fixed seed), kRandomRounds per
//     group, then step 2 once more.
// Steps 3 and 4 share a work budget (kRepartitionWorkPerMember per member,
// counted in group evaluations, not timed, so the plan is deterministic);
// step 3 may use three fifths of it. Every change raises the integer
// objective, so the search ends, and it never ends below its start.
class GroupSearch {
 public:
  explicit GroupSearch(const GroupRules& rules)
      : rules_(rules),
        max_group_(static_cast<size_t>(rules.max_group())),
        cap_(max_group_ >= 4 ? kMaxRepartition : kMaxRepartition - 1),
        budget_(kRepartitionWorkPerMember * static_cast<int64_t>(rules.size())),
        group_of_(rules.size(), kNowhere) {}

  static constexpr int kMaxPasses = 50;

  std::vector<std::vector<size_t>> Run(
      const std::vector<std::vector<size_t>>& start) {
    for (const auto& g : start) Put(groups_.size(), g);
    for (size_t m = 0; m < rules_.size(); ++m) {
      if (group_of_[m] == kNowhere) Put(groups_.size(), {m});
    }
    for (size_t round = 2; round < max_group_; ++round) {
      if (!AttachSingles()) break;
    }
    for (int round = 0; round < kMaxPasses; ++round) {
      LocalSearch();
      if (!RepartitionPass()) break;
    }
    if (RandomRepartitions()) LocalSearch();
    std::vector<std::vector<size_t>> out;
    for (const auto& g : groups_) {
      if (g.size() >= 2) out.push_back(g);
    }
    return out;
  }

 private:
  static constexpr size_t kNowhere = static_cast<size_t>(-1);
  // Singles tried together in a group of four, per group.
  static constexpr size_t kPairedSingles = 8;
  // Groups re-partitioned with each group, and the work allowed for it.
  static constexpr size_t kNeighbours = 3;
  static constexpr size_t kMaxRepartition = 10;
  static constexpr size_t kRandomPool = 12;
  static constexpr size_t kRandomRounds = 20;
  static constexpr int64_t kRepartitionWorkPerMember = 100'000;

  // A change: new contents for some slots (each settles into groups).
  struct Change {
    int64_t gain = 0;
    std::vector<std::pair<size_t, std::vector<size_t>>> slots;
  };

  bool single(size_t slot) const {
    return groups_[slot].size() == 1 &&
           rules_.fixed_mate(groups_[slot][0]) == GroupRules::kNoMate;
  }

  // Stores `g` in slot `slot` (appending a slot when needed).
  void Put(size_t slot, const std::vector<size_t>& g) {
    if (slot == groups_.size()) {
      groups_.emplace_back();
      value_.push_back(0);
    }
    groups_[slot] = g;
    value_[slot] = rules_.Value(g);
    assert(value_[slot] >= 0);
    for (size_t m : g) group_of_[m] = slot;
  }

  void Apply(const Change& change) {
    std::vector<std::vector<size_t>> parts;
    std::vector<size_t> slots;
    for (const auto& [slot, members] : change.slots) {
      rules_.Settle(members, &parts);
      slots.push_back(slot);
    }
    Install(slots, parts);
  }

  // Puts `parts` (valid groups and singles) in `slots`, then new slots;
  // clears the slots left over.
  void Install(const std::vector<size_t>& slots,
               const std::vector<std::vector<size_t>>& parts) {
    for (size_t i = 0; i < parts.size(); ++i) {
      Put(i < slots.size() ? slots[i] : groups_.size(), parts[i]);
    }
    for (size_t i = parts.size(); i < slots.size(); ++i) {
      groups_[slots[i]].clear();
      value_[slots[i]] = 0;
    }
  }

  // Considers replacing slots' contents (old values `old`) by `contents`;
  // keeps it in `best` when it gains more.
  void Consider(std::initializer_list<size_t> slots,
                std::initializer_list<const std::vector<size_t>*> contents,
                Change* best) const {
    int64_t gain = 0;
    for (const std::vector<size_t>* c : contents) {
      const int64_t v = rules_.Settle(*c, nullptr);
      if (v < 0) return;
      gain += v;
    }
    for (size_t slot : slots) gain -= value_[slot];
    if (gain <= best->gain) return;
    best->gain = gain;
    best->slots.clear();
    auto c = contents.begin();
    for (size_t slot : slots) best->slots.emplace_back(slot, **c++);
  }

  // One round of attaching single members to groups with room: a
  // maximum-weight matching on the gains. True when anything changed.
  bool AttachSingles() {
    std::vector<size_t> singles, open;
    for (size_t s = 0; s < groups_.size(); ++s) {
      if (single(s)) {
        singles.push_back(s);
      } else if (groups_[s].size() >= 2 && groups_[s].size() < max_group_) {
        open.push_back(s);
      }
    }
    auto gain = [&](size_t i, size_t j) -> int64_t {
      std::vector<size_t> g = groups_[open[j]];
      g.push_back(groups_[singles[i]][0]);
      const int64_t v = rules_.Value(g);
      return v < 0 ? 0 : v - value_[open[j]];
    };
    const auto matched = MaxWeightMatching(singles.size(), open.size(), gain);
    for (const auto& [i, j] : matched) {
      std::vector<size_t> g = groups_[open[j]];
      g.push_back(groups_[singles[i]][0]);
      Apply({0, {{singles[i], {}}, {open[j], g}}});
    }
    return !matched.empty();
  }

  // The slots (other than those in `except`) holding a near member of a
  // member of `slots`, each with its strongest link to them, in slot
  // order; singles only when `singles_only`.
  std::vector<std::pair<size_t, int64_t>> NearSlots(
      const std::vector<size_t>& slots, const std::vector<size_t>& except,
      bool singles_only) const {
    std::vector<std::pair<size_t, int64_t>> out;
    for (size_t a : slots) {
      for (size_t x : groups_[a]) {
        for (size_t m : rules_.near(x)) {
          const size_t b = group_of_[m];
          if ((singles_only && !single(b)) ||
              std::find(except.begin(), except.end(), b) != except.end()) {
            continue;
          }
          out.emplace_back(b, rules_.units(x, m));
        }
      }
    }
    std::sort(out.begin(), out.end(), [](const auto& p, const auto& q) {
      return p.first != q.first ? p.first < q.first : p.second > q.second;
    });
    out.erase(std::unique(out.begin(), out.end(),
                          [](const auto& p, const auto& q) {
                            return p.first == q.first;
                          }),
              out.end());
    return out;
  }

  // The sum of the links of x with the members of g other than `skip`
  // (negative ones counted as 0), and whether all of them are links.
  int64_t LinksWith(size_t x, const std::vector<size_t>& g, size_t skip,
                    bool* all) const {
    int64_t sum = 0;
    *all = true;
    for (size_t m : g) {
      if (m == skip) continue;
      const int64_t u = rules_.units(x, m);
      if (u < 0) {
        *all = false;
      } else {
        sum += u;
      }
    }
    return sum;
  }

  // For chains: the single near slot a that best fills a's group without
  // its member x (whose other links sum to `rest_links`), improving on
  // *value; updates *value. kNowhere when none does. Uses rest_.
  size_t BestFiller(size_t a, int64_t rest_links, int64_t* value) {
    size_t filler = kNowhere;
    if (rest_.empty()) return filler;
    for (const auto& [y, ignored_link] : NearSlots({a}, {a}, true)) {
      bool all = true;
      const int64_t bound =
          rest_links + LinksWith(groups_[y][0], rest_, kNowhere, &all);
      if (!all || bound <= *value) continue;
      new_a_ = rest_;
      new_a_.push_back(groups_[y][0]);
      const int64_t v = rules_.Value(new_a_);
      if (v > *value) {
        *value = v;
        filler = y;
      }
    }
    return filler;
  }

  // candidates_ = the slots of the members near x (to move or swap x into)
  // and near the rest of its group (to swap a member in), each once. Uses
  // rest_.
  void CollectCandidates(size_t x) {
    candidates_.clear();
    for (size_t m : rules_.near(x)) candidates_.push_back(group_of_[m]);
    for (size_t r : rest_) {
      for (size_t m : rules_.near(r)) candidates_.push_back(group_of_[m]);
    }
    std::sort(candidates_.begin(), candidates_.end());
    candidates_.erase(std::unique(candidates_.begin(), candidates_.end()),
                      candidates_.end());
  }

  // The best strictly improving change that moves member x; applies it.
  // Each candidate is first bounded from above by its link sums (a group's
  // value is the sum of its links; what a set settles into is worth no
  // more), and evaluated in full only when the bound beats the best so far.
  bool ImproveAt(size_t x) {
    if (rules_.fixed_mate(x) != GroupRules::kNoMate) return false;
    const size_t a = group_of_[x];
    rest_ = groups_[a];
    rest_.erase(std::find(rest_.begin(), rest_.end(), x));
    bool all = true;
    // Links inside the rest of x's group (all links: it is a group).
    const int64_t rest_links = value_[a] - LinksWith(x, rest_, kNowhere, &all);
    const int64_t rest_value = rules_.Settle(rest_, nullptr);
    // The single that best takes x's place in its group, for chains.
    int64_t filler_value = rest_value;
    const size_t filler = BestFiller(a, rest_links, &filler_value);
    std::vector<size_t> filled = rest_;
    if (filler != kNowhere) filled.push_back(groups_[filler][0]);

    Change best;
    CollectCandidates(x);
    for (size_t b : candidates_) {
      const std::vector<size_t>& gb = groups_[b];
      if (b == a || b == filler || gb.empty()) continue;
      bool x_fits = true;
      const int64_t x_links = LinksWith(x, gb, kNowhere, &x_fits);
      if (x_fits && gb.size() < max_group_) {
        if (rest_value >= 0 && rest_value - value_[a] + x_links > best.gain) {
          new_b_ = gb;
          new_b_.push_back(x);
          Consider({a, b}, {&rest_, &new_b_}, &best);  // move
        }
        if (filler != kNowhere &&
            filler_value - value_[a] + x_links > best.gain) {
          new_b_ = gb;  // move and fill
          new_b_.push_back(x);
          Consider({a, b, filler}, {&filled, &new_b_, &empty_}, &best);
        }
      }
      for (size_t k = 0; k < gb.size(); ++k) {  // swap
        const size_t y = gb[k];
        if (rules_.fixed_mate(y) != GroupRules::kNoMate) continue;
        bool ignored;
        const int64_t bound =
            rest_links + LinksWith(y, rest_, kNowhere, &ignored) +
            (value_[b] - LinksWith(y, gb, y, &ignored)) +
            LinksWith(x, gb, y, &ignored) - value_[a] - value_[b];
        if (bound <= best.gain) continue;
        new_a_ = rest_;
        new_a_.push_back(y);
        new_b_ = gb;
        new_b_[k] = x;
        Consider({a, b}, {&new_a_, &new_b_}, &best);
      }
      if (max_group_ >= 4 && groups_[a].size() + gb.size() <= max_group_) {
        new_b_ = gb;  // merge
        new_b_.insert(new_b_.end(), groups_[a].begin(), groups_[a].end());
        Consider({a, b}, {&empty_, &new_b_}, &best);
      }
    }
    if (max_group_ >= 4 && single(a)) TryWithAnotherSingle(a, &best);
    if (best.gain <= 0) return false;
    Apply(best);
    return true;
  }

  // For single x (slot a): x and another single joining a group together,
  // the groups near x, the other among the kPairedSingles singles near x or
  // the group that add most to that group.
  void TryWithAnotherSingle(size_t a, Change* best) {
    const size_t x = groups_[a][0];
    for (const auto& [b, ignored] : NearSlots({a}, {a}, false)) {
      const std::vector<size_t>& gb = groups_[b];
      if (gb.size() < 2 || gb.size() + 2 > max_group_) continue;
      std::vector<std::pair<int64_t, size_t>> others;  // (-links, slot)
      for (const auto& [y, ignored_link] : NearSlots({a, b}, {a, b}, true)) {
        int64_t links = rules_.units(x, groups_[y][0]);
        if (links < 0) continue;
        for (size_t m : gb) {
          const int64_t u = rules_.units(m, groups_[y][0]);
          if (u < 0) {
            links = -1;
            break;
          }
          links += u;
        }
        if (links >= 0) others.emplace_back(-links, y);
      }
      const size_t keep = std::min(others.size(), kPairedSingles);
      std::partial_sort(others.begin(), others.begin() + keep, others.end());
      for (size_t i = 0; i < keep; ++i) {
        const size_t y = others[i].second;
        new_b_ = gb;
        new_b_.push_back(x);
        new_b_.push_back(groups_[y][0]);
        Consider({a, y, b}, {&empty_, &empty_, &new_b_}, best);
      }
    }
  }

  // Up to `count` groups (two members or more) near the members of `to`
  // and not in it, most strongly linked first.
  std::vector<size_t> Nearest(const std::vector<size_t>& to,
                              size_t count) const {
    std::vector<std::pair<int64_t, size_t>> ranked;
    for (const auto& [b, link] : NearSlots(to, to, false)) {
      if (groups_[b].size() >= 2 && link > 0) ranked.emplace_back(-link, b);
    }
    const size_t keep = std::min(ranked.size(), count);
    std::partial_sort(ranked.begin(), ranked.begin() + keep, ranked.end());
    std::vector<size_t> out;
    for (size_t i = 0; i < keep; ++i) out.push_back(ranked[i].second);
    return out;
  }

  // Re-partitions the members of `slots` exactly; applies it when it gains.
  bool Repartition(const std::vector<size_t>& slots) {
    std::vector<size_t> members;
    int64_t before = 0;
    for (size_t slot : slots) {
      members.insert(members.end(), groups_[slot].begin(), groups_[slot].end());
      before += value_[slot];
    }
    if (members.size() > cap_) return false;
    std::vector<std::vector<size_t>> parts;
    const int64_t after = BestPartition(members, &parts);
    if (after <= before) return false;
    Install(slots, parts);
    return true;
  }

  // The best partition of `members` (at most kMaxRepartition) into groups
  // and singles under the rules, by dynamic programming over subsets (the
  // group of the lowest member, then the best of the rest); -1 if none.
  int64_t BestPartition(const std::vector<size_t>& members,
                        std::vector<std::vector<size_t>>* parts) {
    const size_t m = members.size();
    assert(m <= kMaxRepartition);
    // Every subset that may be a group (or a single), with its value,
    // listed under its lowest member.
    std::vector<std::pair<uint32_t, int64_t>> groups_of_low[kMaxRepartition];
    std::vector<size_t> group;
    for (uint32_t g = 1; g < (1u << m); ++g) {
      if (std::bitset<32>(g).count() > max_group_) continue;
      group.clear();
      for (size_t i = 0; i < m; ++i) {
        if (g & (1u << i)) group.push_back(members[i]);
      }
      ++work_;
      const int64_t v = rules_.Value(group);
      if (v < 0) continue;
      size_t low = 0;
      while (!(g & (1u << low))) ++low;
      groups_of_low[low].emplace_back(g, v);
    }
    const uint32_t full = (1u << m) - 1;
    std::vector<int64_t> best(full + 1, -1);
    std::vector<uint32_t> choice(full + 1, 0);
    best[0] = 0;
    for (uint32_t mask = 1; mask <= full; ++mask) {
      size_t low = 0;
      while (!(mask & (1u << low))) ++low;
      work_ += static_cast<int64_t>(groups_of_low[low].size());
      for (const auto& [g, v] : groups_of_low[low]) {
        if (g & ~mask) continue;
        const int64_t rest = best[mask & ~g];
        if (rest >= 0 && v + rest > best[mask]) {
          best[mask] = v + rest;
          choice[mask] = g;
        }
      }
    }
    parts->clear();
    if (best[full] < 0) return -1;
    for (uint32_t mask = full; mask != 0; mask &= ~choice[mask]) {
      std::vector<size_t> g;
      for (size_t i = 0; i < m; ++i) {
        if (choice[mask] & (1u << i)) g.push_back(members[i]);
      }
      parts->push_back(std::move(g));
    }
    return best[full];
  }

  void LocalSearch() {
    for (int pass = 0; pass < kMaxPasses; ++pass) {
      bool improved = false;
      for (size_t x = 0; x < rules_.size(); ++x) improved |= ImproveAt(x);
      if (!improved) break;
    }
  }

  // Re-partitions of random neighbourhoods: a random group with a random
  // choice among the kRandomPool slots most strongly linked to it, up to
  // kMaxRepartition members; kRandomRounds tries per group, within the work
  // budget. The generator's seed is fixed and draws are taken modulo (not
  // through a distribution, whose results differ between libraries), so the
  // same input gives the same plan. True when anything improved.
  bool RandomRepartitions() {
    std::mt19937 rng(20240601u);
    std::vector<size_t> grouped;
    for (size_t a = 0; a < groups_.size(); ++a) {
      if (groups_[a].size() >= 2) grouped.push_back(a);
    }
    bool improved = false;
    const size_t tries = kRandomRounds * grouped.size();
    for (size_t t = 0; t < tries && work_ <= budget_; ++t) {
      const size_t a = grouped[rng() % grouped.size()];
      if (groups_[a].size() < 2) continue;
      std::vector<std::pair<int64_t, size_t>> ranked;
      for (const auto& [b, link] : NearSlots({a}, {a}, false)) {
        if (link > 0) ranked.emplace_back(-link, b);
      }
      const size_t keep = std::min(ranked.size(), kRandomPool);
      std::partial_sort(ranked.begin(), ranked.begin() + keep, ranked.end());
      std::vector<size_t> slots = {a};
      size_t members = groups_[a].size();
      for (size_t i = keep; i > 1; --i) {  // Fisher-Yates on the pool
        std::swap(ranked[i - 1], ranked[rng() % i]);
      }
      for (size_t i = 0; i < keep; ++i) {
        const size_t b = ranked[i].second;
        if (members + groups_[b].size() > cap_) continue;
        slots.push_back(b);
        members += groups_[b].size();
      }
      improved |= Repartition(slots);
    }
    return improved;
  }

  // One pass of exact re-partitions around each group a: a grown by the
  // slots nearest to it; a with the singles nearest to it; a with each of
  // its kNeighbours nearest groups, grown; a with each two of those, topped
  // up with singles. Members fit kMaxRepartition. True when anything
  // improved.
  bool RepartitionPass() {
    bool improved = false;
    for (size_t a = 0; a < groups_.size(); ++a) {
      if (work_ > budget_ / 5 * 3) break;
      if (groups_[a].size() < 2) continue;
      const std::vector<size_t> near = Nearest({a}, kNeighbours);
      bool changed =
          Repartition(Grown({a}, false)) || Repartition(Grown({a}, true));
      for (size_t i = 0; i < near.size() && !changed; ++i) {
        changed = Repartition(Grown({a, near[i]}, false));
      }
      for (size_t i = 0; i < near.size() && !changed; ++i) {
        for (size_t j = i + 1; j < near.size() && !changed; ++j) {
          changed = Repartition(Grown({a, near[i], near[j]}, true));
        }
      }
      improved |= changed;
    }
    return improved;
  }

  // `slots` with, one by one, the slot near them (a single only, when
  // `singles_only`) most strongly linked to them whose members still fit
  // the re-partition cap.
  std::vector<size_t> Grown(std::vector<size_t> slots,
                            bool singles_only) const {
    size_t members = 0;
    for (size_t slot : slots) members += groups_[slot].size();
    while (members < cap_) {
      int64_t strongest = 0;
      size_t pick = kNowhere;
      for (const auto& [b, link] : NearSlots(slots, slots, singles_only)) {
        if (members + groups_[b].size() <= cap_ && link > strongest) {
          strongest = link;
          pick = b;
        }
      }
      if (pick == kNowhere) break;
      slots.push_back(pick);
      members += groups_[pick].size();
    }
    return slots;
  }

  const GroupRules& rules_;
  const size_t max_group_;
  const size_t cap_;                         // members re-partitioned at once
  const int64_t budget_;                     // work allowed for re-partitions
  std::vector<std::vector<size_t>> groups_;  // slots; empty when unused
  std::vector<int64_t> value_;
  std::vector<size_t> group_of_;
  std::vector<size_t> rest_, new_a_, new_b_, candidates_;  // reused buffers
  const std::vector<size_t> empty_;
  int64_t work_ = 0;  // group evaluations by re-partitions
};

}  // namespace

bool CohortPairs::forbidden(size_t i, size_t j) const {
  return forbidden_.count(Ordered(i, j)) > 0;
}

// ---- The plan, with its reasons ---------------------------------------------

namespace {

// Why members i and j may not be partners (other sides) or group mates
// (same side), in a few words, or "" when they may.
std::string Barrier(const CohortPairs& pairs, size_t i, size_t j) {
  const MatchIndex& index = pairs.index();
  const size_t a = pairs.row(i), b = pairs.row(j);
  if (pairs.link(i, j).kind != CohortPairs::Link::kNone) return "";
  if (pairs.forbidden(i, j)) return "forbidden by the options";
  const Profile& pa = index.at(a).profile;
  const Profile& pb = index.at(b).profile;
  const Decision* d = index.LatestDecision(pa.id, pb.id);
  if (d != nullptr && d->kind == DecisionKind::kDeclined) {
    return absl::StrCat("declined by ", d->who);
  }
  if (pairs.eu(i) == pairs.eu(j)) return "";  // same side: only the above
  const ReciprocalScorer& scorer = pairs.scorer();
  const MatchRules& rules = scorer.options().rules;
  if (std::optional<std::string> ex = scorer.Exclusion(index, a, b)) {
    if (rules.forbid_same_country && pa.country == pb.country) {
      return "in the same country";
    }
    if (d != nullptr && d->kind != DecisionKind::kDeclined) {
      return "already partners";
    }
    auto knows = [](const Profile& x, const Profile& y) {
      return std::find(x.known_partners.begin(), x.known_partners.end(),
                       y.id) != x.known_partners.end();
    };
    if (knows(pa, pb) || knows(pb, pa)) return "already partners";
    return *ex;
  }
  if (pairs.options().kind_rule == KindRule::kHard && KindsClash(index, a, b)) {
    return "a city with a region (kind_rule hard)";
  }
  const double score = pairs.PairScore(i, j);
  if (!(score > 0)) return "no shared interest";
  return absl::StrCat("scoring ", Fmt(score), ", below min_score ",
                      Fmt(pairs.options().min_score));
}

// The themes two same-side members share, adding up to `share` (their
// theme-similarity part).
std::vector<MatchReason> SharedReasons(const MatchIndex& index, size_t a,
                                       size_t b, double share) {
  const auto ia = static_cast<Eigen::Index>(a);
  const auto ib = static_cast<Eigen::Index>(b);
  double total = 0;
  for (int t = 0; t < index.taxonomy().size(); ++t) {
    total += index.interest()(ia, t) * index.interest()(ib, t);
  }
  std::vector<MatchReason> out;
  if (!(total > 0) || !(share > 0)) return out;
  for (int t = 0; t < index.taxonomy().size(); ++t) {
    const double c =
        share * index.interest()(ia, t) * index.interest()(ib, t) / total;
    if (c < 0.02 * share) continue;
    MatchReason r;
    r.theme = t;
    r.kind = "shared";
    r.contribution = c;
    const ThemeInterest* ta = index.at(a).extraction.Find(t);
    const ThemeInterest* tb = index.at(b).extraction.Find(t);
    r.self_role = ta ? ta->role : Role::kContext;
    r.partner_role = tb ? tb->role : Role::kContext;
    out.push_back(std::move(r));
  }
  std::sort(out.begin(), out.end(),
            [](const MatchReason& x, const MatchReason& y) {
              return x.contribution != y.contribution
                         ? x.contribution > y.contribution
                         : x.theme < y.theme;
            });
  if (out.size() > 6) out.resize(6);
  return out;
}

// Member order inside a group: EU members first, then by member number
// (id order).
void SortMembers(const CohortPairs& pairs, std::vector<size_t>& members) {
  std::sort(members.begin(), members.end(), [&](size_t x, size_t y) {
    if (pairs.eu(x) != pairs.eu(y)) return pairs.eu(x);
    return x < y;
  });
}

PlannedGroup MakeGroup(const CohortPairs& pairs, std::vector<size_t> members) {
  const MatchIndex& index = pairs.index();
  SortMembers(pairs, members);
  PlannedGroup group;
  for (size_t m : members) group.members.push_back(pairs.row(m));
  for (size_t x = 0; x < members.size(); ++x) {
    for (size_t y = x + 1; y < members.size(); ++y) {
      const CohortPairs::Link l = pairs.link(members[x], members[y]);
      assert(l.kind != CohortPairs::Link::kNone);
      GroupPair gp;
      gp.a = pairs.row(members[x]);
      gp.b = pairs.row(members[y]);
      gp.score = l.score;
      gp.same_side = l.kind == CohortPairs::Link::kSameSide;
      gp.fixed = l.fixed;
      auto explained = pairs.scorer().Explain(index, index.at(gp.a).profile.id,
                                              index.at(gp.b).profile.id);
      if (explained.ok()) {
        const ScoreParts& parts = explained->parts;
        gp.reasons =
            gp.same_side
                ? SharedReasons(index, gp.a, gp.b,
                                parts.penalty_factor *
                                    pairs.scorer().options().weights.shared *
                                    parts.shared)
                : std::move(explained->reasons);
        gp.text = std::move(explained->text);
        gp.penalties = std::move(explained->penalties);
      }
      group.score += gp.score;
      group.fixed = group.fixed || gp.fixed;
      group.pairs.push_back(std::move(gp));
    }
  }
  return group;
}

// Why a member with no group in `groups` (member numbers) is left out.
// `rules` is set when groups of three or more were allowed.
class UnmatchedExplainer {
 public:
  UnmatchedExplainer(const CohortPairs& pairs,
                     const std::vector<std::vector<size_t>>& groups,
                     const GroupRules* rules)
      : pairs_(pairs),
        groups_(groups),
        rules_(rules),
        groups_of_(pairs.size()) {
    for (size_t g = 0; g < groups.size(); ++g) {
      for (size_t m : groups[g]) groups_of_[m].push_back(g);
    }
  }

  bool matched(size_t m) const { return !groups_of_[m].empty(); }

  UnmatchedMember Explain(size_t u) const {
    const MatchIndex& index = pairs_.index();
    UnmatchedMember out;
    out.member = pairs_.row(u);
    std::optional<size_t> best, best_below;
    double best_score = 0, best_below_score = 0;
    std::vector<std::pair<std::string, int>> barriers;  // first-seen order
    size_t others = 0;
    for (size_t v = 0; v < pairs_.size(); ++v) {
      if (pairs_.eu(v) == pairs_.eu(u)) continue;
      ++others;
      const CohortPairs::Link l = pairs_.link(u, v);
      if (l.kind == CohortPairs::Link::kPartners) {
        if (!best || l.score > best_score) {
          best = v;
          best_score = l.score;
        }
        continue;
      }
      const double score = pairs_.PairScore(u, v);
      std::string why = Barrier(pairs_, u, v);
      if (absl::StartsWith(why, "scoring ")) {
        if (!best_below || score > best_below_score) {
          best_below = v;
          best_below_score = score;
        }
        why = "scoring below min_score";
      }
      auto it = std::find_if(barriers.begin(), barriers.end(),
                             [&](const auto& b) { return b.first == why; });
      if (it == barriers.end()) {
        barriers.emplace_back(why, 1);
      } else {
        ++it->second;
      }
    }
    const char* side = pairs_.eu(u) ? "partner-country" : "EU";
    if (best) {
      out.cause = UnmatchedCause::kPartnersTaken;
      out.best_partner = pairs_.row(*best);
      out.best_score = best_score;
      out.reason = TakenReason(u, *best, best_score, &out.taken_by);
    } else if (best_below) {
      out.cause = UnmatchedCause::kBelowMinScore;
      out.best_partner = pairs_.row(*best_below);
      out.best_score = best_below_score;
      out.reason =
          absl::StrCat("its best partner allowed by the rules, ",
                       Describe(index, pairs_.row(*best_below)), ", scores ",
                       Fmt(best_below_score), ", below min_score ",
                       Fmt(pairs_.options().min_score));
    } else if (others == 0) {
      out.reason = absl::StrCat("the cohort has no ", side, " member");
    } else {
      std::vector<std::string> parts;
      for (const auto& [why, count] : barriers) {
        parts.push_back(absl::StrCat(count, " ", why));
      }
      out.reason =
          absl::StrCat("no eligible partner among the ", others, " ", side,
                       " members of the cohort: ", absl::StrJoin(parts, ", "));
    }
    return out;
  }

 private:
  // "its best eligible partner, Cali (cali, 0.221), is paired with ...".
  std::string TakenReason(size_t u, size_t v, double score,
                          std::vector<size_t>* taken_by) const {
    const MatchIndex& index = pairs_.index();
    std::string out = absl::StrCat("its best eligible partner, ",
                                   DescribeScored(index, pairs_.row(v), score));
    std::vector<std::string> mates;
    const std::vector<size_t>& gs = groups_of_[v];
    if (gs.size() > 1 || pairs_.options().capacity > 1) {
      for (size_t g : gs) {
        for (size_t m : groups_[g]) {
          if (m == v) continue;
          taken_by->push_back(pairs_.row(m));
          mates.push_back(
              DescribeScored(index, pairs_.row(m), pairs_.link(v, m).score));
        }
      }
      return absl::StrCat(out, ", already has its ", mates.size(),
                          " partners: ", absl::StrJoin(mates, ", "));
    }
    const std::vector<size_t>& g = groups_[gs.front()];
    double group_score = 0;
    for (size_t x = 0; x < g.size(); ++x) {
      for (size_t y = x + 1; y < g.size(); ++y) {
        group_score += pairs_.link(g[x], g[y]).score;
      }
      if (g[x] == v) continue;
      taken_by->push_back(pairs_.row(g[x]));
      mates.push_back(Describe(index, pairs_.row(g[x])));
    }
    if (g.size() == 2) {
      const size_t w = g[0] == v ? g[1] : g[0];
      absl::StrAppend(&out, ", is paired with ",
                      DescribeScored(index, pairs_.row(w), group_score),
                      pairs_.link(v, w).fixed ? " (a fixed pair)" : "");
    } else {
      absl::StrAppend(&out, ", is in a ", g.size() == 3 ? "trio" : "group",
                      " with ", absl::StrJoin(mates, " and "), " (score ",
                      Fmt(group_score), ")");
    }
    if (rules_ != nullptr) absl::StrAppend(&out, JoinReason(u, g));
    return out;
  }

  // Why u did not join group g (groups of three or more allowed).
  std::string JoinReason(size_t u, const std::vector<size_t>& g) const {
    const MatchIndex& index = pairs_.index();
    if (g.size() >= static_cast<size_t>(rules_->max_group())) {
      return absl::StrCat("; that group is full (max_group_size ",
                          rules_->max_group(), ")");
    }
    for (size_t m : g) {
      if (rules_->units(u, m) < 0) {
        return absl::StrCat("; it may not join: its pair with ",
                            Describe(index, pairs_.row(m)), " is ",
                            Barrier(pairs_, u, m));
      }
    }
    std::vector<size_t> joined = g;
    joined.push_back(u);
    const double min_gain = rules_->min_gain();
    for (size_t x : joined) {
      double gain = 0;
      for (size_t y : joined) {
        if (y != x) gain += pairs_.link(x, y).score;
      }
      if (gain < min_gain) {
        return absl::StrCat(
            "; joining would make a group where ",
            x == u ? std::string("it") : Describe(index, pairs_.row(x)),
            " adds only ", Fmt(gain), ", below min_trio_gain ", Fmt(min_gain));
      }
    }
    return "";
  }

  const CohortPairs& pairs_;
  const std::vector<std::vector<size_t>>& groups_;
  const GroupRules* rules_;
  std::vector<std::vector<size_t>> groups_of_;
};

// The pairs of the optimum under capacity 1: fixed pairs, then a
// maximum-weight matching of everyone else.
std::vector<std::vector<size_t>> MatchPairs(const CohortPairs& pairs) {
  std::vector<std::vector<size_t>> groups;
  std::vector<bool> taken(pairs.size(), false);
  for (const auto& [a, b] : pairs.fixed()) {
    groups.push_back({a, b});
    taken[a] = taken[b] = true;
  }
  std::vector<size_t> left, right;  // free EU, free partner-country members
  for (size_t m = 0; m < pairs.size(); ++m) {
    if (!taken[m]) (pairs.eu(m) ? left : right).push_back(m);
  }
  auto weight = [&](size_t i, size_t j) -> int64_t {
    const CohortPairs::Link l = pairs.link(left[i], right[j]);
    return l.kind == CohortPairs::Link::kPartners ? l.units : 0;
  };
  for (const auto& [i, j] :
       MaxWeightMatching(left.size(), right.size(), weight)) {
    groups.push_back({left[i], right[j]});
  }
  return groups;
}

// The pairs of the optimum under capacity c > 1: fixed pairs, then a
// maximum-weight b-matching on the capacity they leave.
std::vector<std::vector<size_t>> MatchPairsWithCapacity(
    const CohortPairs& pairs) {
  std::vector<std::vector<size_t>> groups;
  std::vector<int> room(pairs.size(), pairs.options().capacity);
  for (const auto& [a, b] : pairs.fixed()) {
    groups.push_back({a, b});
    --room[a];
    --room[b];
  }
  std::vector<size_t> left, right, pos(pairs.size());
  for (size_t m = 0; m < pairs.size(); ++m) {
    auto& side = pairs.eu(m) ? left : right;
    pos[m] = side.size();
    side.push_back(m);
  }
  std::vector<int> cap_left, cap_right;
  for (size_t m : left) cap_left.push_back(room[m]);
  for (size_t m : right) cap_right.push_back(room[m]);
  std::vector<std::tuple<size_t, size_t, int64_t>> edges;
  for (size_t i = 0; i < left.size(); ++i) {
    if (room[left[i]] <= 0) continue;
    for (size_t j = 0; j < right.size(); ++j) {
      if (room[right[j]] <= 0) continue;
      const CohortPairs::Link l = pairs.link(left[i], right[j]);
      if (l.kind == CohortPairs::Link::kPartners && !l.fixed && l.units > 0) {
        edges.emplace_back(i, j, l.units);
      }
    }
  }
  for (size_t k : MaxWeightBMatching(left.size(), right.size(), edges, cap_left,
                                     cap_right)) {
    groups.push_back(
        {left[std::get<0>(edges[k])], right[std::get<1>(edges[k])]});
  }
  return groups;
}

// The default least gain of a trio member: the lowest score of the pairs
// the pairs-only plan forms anyway (0 when it forms none).
double WeakestPairScore(const CohortPairs& pairs,
                        const std::vector<std::vector<size_t>>& groups) {
  double weakest = std::numeric_limits<double>::infinity();
  for (const auto& g : groups) {
    weakest = std::min(weakest, pairs.link(g[0], g[1]).score);
  }
  return groups.empty() ? 0 : weakest;
}

}  // namespace

absl::StatusOr<PairingPlan> PairingPlanner::Plan(
    const MatchIndex& index, std::vector<size_t> cohort,
    const PairingOptions& options) const {
  PM_ASSIGN_OR_RETURN(
      CohortPairs pairs,
      CohortPairs::Build(index, scorer_, std::move(cohort), options));
  std::vector<std::vector<size_t>> groups =
      options.capacity == 1 ? MatchPairs(pairs) : MatchPairsWithCapacity(pairs);
  PairingPlan plan;
  plan.cohort = pairs.rows();
  for (const auto& g : groups) {
    plan.pairs_only_score += pairs.link(g[0], g[1]).score;
  }
  std::unique_ptr<GroupRules> rules;
  if (options.trios && options.max_group_size > 2) {
    plan.min_trio_gain = options.min_trio_gain
                             ? *options.min_trio_gain
                             : WeakestPairScore(pairs, groups);
    std::vector<bool> placed(pairs.size(), false);
    for (const auto& g : groups) {
      for (size_t m : g) placed[m] = true;
    }
    rules = std::make_unique<GroupRules>(pairs, plan.min_trio_gain,
                                         std::move(placed));
    groups = GroupSearch(*rules).Run(groups);
  }
  for (const auto& g : groups) plan.groups.push_back(MakeGroup(pairs, g));
  std::sort(plan.groups.begin(), plan.groups.end(),
            [](const PlannedGroup& x, const PlannedGroup& y) {
              if (x.score != y.score) return x.score > y.score;
              return x.members < y.members;
            });
  for (const PlannedGroup& g : plan.groups) plan.total_score += g.score;
  UnmatchedExplainer explainer(pairs, groups, rules.get());
  for (size_t m = 0; m < pairs.size(); ++m) {
    if (!explainer.matched(m)) plan.unmatched.push_back(explainer.Explain(m));
  }
  return plan;
}

absl::StatusOr<PairingPlan> PairingPlanner::Plan(
    const MatchIndex& index, const CohortSelector& selector,
    const PairingOptions& options) const {
  PM_ASSIGN_OR_RETURN(std::vector<size_t> cohort,
                      SelectCohort(index, selector));
  return Plan(index, std::move(cohort), options);
}

}  // namespace pm
