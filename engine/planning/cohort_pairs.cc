// CohortPairs: the options checked, the fixed pairs and the pair table.
#include "engine/planning/cohort_pairs.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "engine/common/status_macros.h"
#include "engine/matching/score.h"

namespace pm {
namespace {

using MemberPair = std::pair<size_t, size_t>;  // member numbers, first < second

MemberPair Ordered(size_t a, size_t b) {
  return a < b ? MemberPair{a, b} : MemberPair{b, a};
}

std::string PairName(const std::string& a, const std::string& b) {
  return absl::StrCat("('", a, "', '", b, "')");
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

namespace {

// The largest cohort planned exactly under the options.
size_t ExactLimit(const PairingOptions& o) {
  return o.capacity == 1 ? PairingOptions::kMaxExactMembers
                         : PairingOptions::kMaxExactMembersWithCapacity;
}

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
  if (o.method == PairingOptions::Method::kExact &&
      members > ExactLimit(o)) {
    const size_t limit = ExactLimit(o);
    return absl::ResourceExhaustedError(absl::StrCat(
        "the cohort has ", members, " members, more than the ", limit,
        " a plan with capacity ", o.capacity,
        " can take exactly (an exact plan costs O(n^3)); choose a smaller "
        "cohort by ids, kind or world region, or let the plan use its "
        "candidate graph"));
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
      return absl::Status(row.status().code(),
                          absl::StrCat(field, ": ", row.status().message()));
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

bool KindsClash(const MatchIndex& index, size_t a, size_t b) {
  return IsCityLike(index.at(a).profile.kind) !=
         IsCityLike(index.at(b).profile.kind);
}

int64_t CohortPairs::ToUnits(double score) {
  return static_cast<int64_t>(std::llround(score * kScoreUnits));
}

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
  for (const auto& [pair, decision] :
       CohortDecisions(index, pairs.member_of_row_)) {
    if (decision->kind == DecisionKind::kDeclined) {
      pairs.declined_.insert(pair);
    }
  }
  PM_RETURN_IF_ERROR(pairs.AddFixed());
  pairs.sparse_ = options.method == PairingOptions::Method::kCandidates ||
                  (options.method == PairingOptions::Method::kAuto &&
                   n > ExactLimit(options));
  if (!pairs.sparse_) {
    pairs.ScorePairs();
    return pairs;
  }
  PM_ASSIGN_OR_RETURN(
      pairs.candidates_,
      BuildCandidateGraph(pairs, options.trios && options.max_group_size > 2));
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
    if (auto broken = AcceptedDecisionBreaks(mp.first, mp.second, degree)) {
      DecisionConflict c;
      c.sequence = decision->sequence;
      c.profile_id = decision->profile_id;
      c.partner_id = decision->partner_id;
      c.who = decision->who;
      c.rule = std::move(*broken);
      c.message = absl::StrCat("accepted decision #", c.sequence, " ",
                               PairName(c.profile_id, c.partner_id),
                               " is left out of the plan: ", c.rule,
                               "; record a new decision for the pair");
      conflicts_.push_back(std::move(c));
      continue;
    }
    ++degree[mp.first];
    ++degree[mp.second];
    fixed_set_.insert(mp);
    fixed_.push_back(mp);
  }
  return absl::OkStatus();
}

std::optional<std::string> CohortPairs::AcceptedDecisionBreaks(
    size_t ma, size_t mb, const std::vector<int>& degree) const {
  if (auto broken = FixedPairBreaks(*index_, *scorer_, options_.kind_rule,
                                    rows_[ma], rows_[mb],
                                    /*from_decision=*/true)) {
    return broken;
  }
  for (size_t m : {ma, mb}) {
    if (degree[m] + 1 > options_.capacity) {
      return absl::StrCat("'", index_->at(rows_[m]).profile.id, "' would have ",
                          degree[m] + 1,
                          " accepted partners in the cohort, more than "
                          "capacity ",
                          options_.capacity);
    }
  }
  return std::nullopt;
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
  if (options_.cancel.Cancelled()) return;  // before the n² tables
  cross_.assign(e * p, 0.0);
  partners_.assign(e * p, 0);
  ProgressTask scoring(options_.progress, "scoring pairs", e);
  for (size_t i = 0; i < e; ++i) {
    if (options_.cancel.Cancelled()) return;  // Plan returns CANCELLED
    const size_t mi = eu_members_[i];
    for (size_t j = 0; j < p; ++j) {
      const size_t mj = partner_members_[j];
      const double score = scorer_->Score(index, rows_[mi], rows_[mj]).score;
      cross_[i * p + j] = score;
      partners_[i * p + j] = MayPartner(mi, mj, score);
    }
    scoring.Step();
  }
}

bool CohortPairs::MayPartner(size_t i, size_t j, double score) const {
  const MemberPair mp = Ordered(i, j);
  if (fixed_set_.count(mp)) return true;
  if (forbidden_.count(mp)) return false;
  const size_t a = rows_[i], b = rows_[j];
  if (options_.kind_rule == KindRule::kHard && KindsClash(*index_, a, b)) {
    return false;
  }
  if (!(score > 0) || score < options_.min_score) return false;
  return scorer_->Excludes(*index_, a, b) == ExclusionRule::kNone;
}

double CohortPairs::PairScore(size_t i, size_t j) const {
  assert(eu_[i] != eu_[j]);
  if (sparse_) return scorer_->Score(*index_, rows_[i], rows_[j]).score;
  const size_t e = eu_[i] ? side_pos_[i] : side_pos_[j];
  const size_t p = eu_[i] ? side_pos_[j] : side_pos_[i];
  return cross_[e * partner_members_.size() + p];
}

CohortPairs::Link CohortPairs::link(size_t i, size_t j) const {
  assert(i != j && i < size() && j < size());
  if (eu_[i] != eu_[j]) {
    if (sparse_) {
      return LinkOfParts(i, j, scorer_->Score(*index_, rows_[i], rows_[j]));
    }
    Link out;
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
  const MemberPair mp = Ordered(i, j);
  if (forbidden_.count(mp) || declined_.count(mp)) return Link();
  return LinkOfParts(i, j, scorer_->Score(*index_, rows_[i], rows_[j]));
}

CohortPairs::Link CohortPairs::LinkOfParts(size_t i, size_t j,
                                           const ScoreParts& parts) const {
  assert(i != j && i < size() && j < size());
  Link out;
  if (eu_[i] != eu_[j]) {
    if (!MayPartner(i, j, parts.score)) return out;
    out.kind = Link::kPartners;
    out.score = std::max(0.0, parts.score);
    out.units = ToUnits(out.score);
    out.fixed = fixed_set_.count(Ordered(i, j)) > 0;
    return out;
  }
  const MemberPair mp = Ordered(i, j);
  if (forbidden_.count(mp) || declined_.count(mp)) return out;
  out.kind = Link::kSameSide;
  // Same-side members add the similarity part of their score.
  out.score = CombineSimilarity(scorer_->options().weights, parts);
  out.units = ToUnits(out.score);
  return out;
}

bool CohortPairs::fixed_pair(size_t i, size_t j) const {
  return fixed_set_.count(Ordered(i, j)) > 0;
}

bool CohortPairs::forbidden(size_t i, size_t j) const {
  return forbidden_.count(Ordered(i, j)) > 0;
}

}  // namespace pm
