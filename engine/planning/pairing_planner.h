// Cohort pairing plans: the groups of a programme round (pairs, and trios
// where a third member adds enough) that maximise the cohort's total
// reciprocal score under the programme's rules, and why each member left
// out is left out.
//
// Rules. Two members may be partners (a pair, or two members of a group on
// opposite sides) when ReciprocalScorer::Exclusion allows them (an EU member
// with a partner-country member, not the same country, not declined, not a
// known partnership, not accepted or recorded as existing: those are not
// proposed again as new), they are not forbidden, the kind rule allows them,
// and they score > 0 and >= min_score. Fixed pairs (PairingOptions::fixed and
// every accepted decision between two cohort members) are placed first,
// whatever their score, using their capacity; the rest is optimised.
//
// Objective: the sum of the group scores. A pair scores its reciprocal
// score. A trio (two EU members with one partner-country member, or one EU
// member with two) scores its two partner pairs plus, for its two same-side
// members, the similarity part of their score (kind factor × (w_shared ×
// shared + w_latent × latent)); groups of four likewise over all six pairs.
// A group of three or more needs every member to add at least
// min_trio_gain, and trios never cost anyone a group: every member the best
// pairs-only plan places stays in a group.
//
// Methods (details and proofs in the .cc). Pairs only: exact — capacity 1 a
// maximum-weight bipartite matching (Hungarian assignment), capacity > 1 a
// maximum-weight b-matching (min-cost flow, Boost.Graph). Trios (NP-hard): a
// heuristic that starts from the exact matching, so it never scores below
// the best pairs-only plan, itself at least half of the best trio plan's
// partner pairs; measured against exhaustive search in the tests and
// benchmarks/plan_benchmark.cc. Scores enter the solvers as integers
// (kScoreUnits per 1.0): optimal up to that rounding.
//
// Sizes: O(n²) memory (8 bytes per other-side pair; 8n² more with trios) and
// O(n³) time; cohorts above kMaxCohortMembers (kMaxCohortMembersWithCapacity
// for capacity > 1) are refused with RESOURCE_EXHAUSTED.
#ifndef PARTNER_MATCH_ENGINE_PLANNING_PAIRING_PLANNER_H_
#define PARTNER_MATCH_ENGINE_PLANNING_PAIRING_PLANNER_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/matching/match_index.h"
#include "engine/matching/reciprocal_scorer.h"
#include "engine/planning/cohort.h"

namespace pm {

// Whether a city-like place (city, association) may pair with a region.
enum class KindRule {
  kSoft,  // yes, at the scorer's kind_mismatch_factor
  kHard,  // never (fixed pairs and accepted decisions excepted)
};
// "soft", "hard".
const char* KindRuleName(KindRule rule);
// "soft" or "hard", any case; "" is the default, kSoft. INVALID_ARGUMENT
// "kind_rule must be 'soft' or 'hard', got 'x'" otherwise.
absl::StatusOr<KindRule> ParseKindRule(std::string_view name);

// An unordered pair of profile ids; mirrors partnermatch.v1.PairRef.
struct IdPair {
  std::string profile_id;
  std::string partner_id;
};

// Mirrors partnermatch.v1.PairingOptions; the proto's "0 means default"
// values are mapped by the service (capacity 0 → 1, max_group_size 0 → 3,
// min_trio_gain 0 → nullopt).
struct PairingOptions {
  // Partners each member may have, 1 to kMaxCapacity.
  int capacity = 1;
  // Pairs scoring below this (>= 0) are never formed, alone or inside a
  // trio; a member whose partners all score below is left unmatched.
  double min_score = 0;
  KindRule kind_rule = KindRule::kSoft;
  // Pairs that must be in the plan, in addition to the accepted decisions;
  // both ids in the cohort, on opposite sides, not the same country, not
  // declined, not forbidden, allowed by the kind rule. A known or existing
  // partnership may be fixed (it is then kept, not proposed as new).
  std::vector<IdPair> fixed;
  // Pairs that must not be in the plan, in addition to the declined
  // decisions; ids outside the cohort are allowed (no effect).
  std::vector<IdPair> forbidden;
  // Propose trios (needs capacity 1).
  bool trios = false;
  // Largest group when trios is set, 2 to kMaxGroupSize; 2 means pairs only.
  int max_group_size = 3;
  // A group of three or more is formed only when each member adds at least
  // this much to its score (its pair scores and shared parts with the
  // others); >= 0. Default (nullopt): the lowest score among the pairs of
  // the best pairs-only plan — a member joins a group when it adds as much
  // as a pair the plan forms anyway (a rule that follows the scorer's
  // scale).
  std::optional<double> min_trio_gain;

  static constexpr int kMaxCapacity = 10;
  static constexpr int kMaxGroupSize = 4;
};

// One pair inside a planned group.
struct GroupPair {
  size_t a = 0;  // MatchIndex rows; a comes first in the group's members
  size_t b = 0;
  // What the pair adds to the group's score: its reciprocal score for
  // partners; for two same-side members of a trio, the similarity part of
  // their score (themes and words in common).
  double score = 0;
  bool same_side = false;
  bool fixed = false;  // a fixed pair or an accepted decision
  // The pair's reasons as ReciprocalScorer::Explain gives them (for a
  // same-side pair only the themes they share), largest first; with `text`
  // they add up to `score`. Soft penalties in words.
  std::vector<MatchReason> reasons;
  TextReason text;
  std::vector<std::string> penalties;
};

// A pair or a trio (or a larger group when max_group_size allows).
struct PlannedGroup {
  // MatchIndex rows: EU members first, then partner-country members, each
  // in id order.
  std::vector<size_t> members;
  double score = 0;    // the sum of pairs[i].score
  bool fixed = false;  // it holds a fixed pair or an accepted decision
  // Every pair of members that counts in `score`, in member order.
  std::vector<GroupPair> pairs;
};
// "pair", "trio", or "group" (four members).
const char* GroupKindName(const PlannedGroup& group);

// Why a member of the cohort has no partner in the plan.
enum class UnmatchedCause {
  // Every other-side member is ruled out; `reason` counts them by rule.
  kNoEligiblePartner,
  // Its best partner allowed by the rules scores below min_score.
  kBelowMinScore,
  // Its eligible partners are all in groups the optimum preferred.
  kPartnersTaken,
};
// "no_eligible_partner", "below_min_score", "partners_taken".
const char* UnmatchedCauseName(UnmatchedCause cause);

struct UnmatchedMember {
  size_t member = 0;  // MatchIndex row
  UnmatchedCause cause = UnmatchedCause::kNoEligiblePartner;
  // A sentence for a person, e.g. "its best eligible partner, Cali (cali,
  // 0.221), is paired with Dublin (dublin, 0.452)".
  std::string reason;
  // kBelowMinScore, kPartnersTaken: the best partner and their score.
  std::optional<size_t> best_partner;
  double best_score = 0;
  // kPartnersTaken: the rows the best partner is grouped with.
  std::vector<size_t> taken_by;
};

struct PairingPlan {
  std::vector<size_t> cohort;  // MatchIndex rows, ascending
  // Highest score first; ties in id order of the first member.
  std::vector<PlannedGroup> groups;
  std::vector<UnmatchedMember> unmatched;  // id order
  // The objective: the sum of the group scores.
  double total_score = 0;
  // The best plan of pairs only under the same options (proven optimal);
  // total_score >= pairs_only_score, equal without trios.
  double pairs_only_score = 0;
  // With trios: the min_trio_gain used (given, or the default); else 0.
  double min_trio_gain = 0;
};

// The pairs of a cohort under a plan's options: which members may be in one
// group together, and what each pair adds. Built (and the options checked)
// by PairingPlanner; public for oracles, reports and drawings. Immutable;
// safe to share between threads; refers to `index`, which must outlive it.
// Memory O(e·p) for e EU and p partner-country members.
class CohortPairs {
 public:
  // Checks `options` against the index and the cohort (rows of `index`;
  // sorted and deduplicated here) and scores every other-side pair. Errors,
  // checked in this order (fields named as in PairingOptions):
  //   INVALID_ARGUMENT: capacity outside 1..10; min_score < 0 or not a
  //     number; max_group_size outside 2..4; min_trio_gain < 0; trios with
  //     capacity > 1 ("trios need capacity 1 ..., got capacity 2");
  //   FAILED_PRECONDITION: a scorer whose rules allow same-side pairs;
  //   RESOURCE_EXHAUSTED: a cohort above the size limits;
  //   forbidden[i]: INVALID_ARGUMENT "forbidden[0]: empty id", NOT_FOUND
  //     "forbidden[0]: no profile with id 'x'", INVALID_ARGUMENT
  //     "forbidden[0]: 'a' cannot be paired with itself";
  //   accepted decisions (cohort members only): INVALID_ARGUMENT
  //     "forbidden[0] ('a', 'b'): accepted by <who> ..."; FAILED_PRECONDITION
  //     "accepted decision #4 ('a', 'b') breaks a rule of the plan: ..." or
  //     "'a' has 2 accepted partners in the cohort ..., more than capacity 1";
  //   fixed[i]: as forbidden[i], and INVALID_ARGUMENT "fixed[1]: 'x' is not
  //     in the cohort", "fixed[0] ('a', 'b') is also forbidden
  //     (forbidden[2])", "fixed[0] ('a', 'b'): <the rule it breaks>",
  //     "fixed[2] ('a', 'd'): 'a' would have 2 fixed partners, more than
  //     capacity 1".
  // `index` and `scorer` must outlive the result.
  static absl::StatusOr<CohortPairs> Build(const MatchIndex& index,
                                           const ReciprocalScorer& scorer,
                                           std::vector<size_t> cohort,
                                           const PairingOptions& options);

  // Members are numbered 0..size()-1 in cohort order.
  size_t size() const { return rows_.size(); }
  size_t row(size_t member) const { return rows_[member]; }
  bool eu(size_t member) const { return eu_[member]; }
  const std::vector<size_t>& rows() const { return rows_; }

  // What members i and j (i != j) add to a group holding both.
  struct Link {
    enum Kind {
      kNone,      // they may not be in one group
      kPartners,  // other sides, allowed: the pair's score
      kSameSide,  // same side, not declined or forbidden: the similarity part
    };
    Kind kind = kNone;
    double score = 0;
    int64_t units = 0;  // score in kScoreUnits, what the solvers add up
    bool fixed = false;
  };
  Link link(size_t i, size_t j) const;
  // True when PairingOptions::forbidden names members i and j.
  bool forbidden(size_t i, size_t j) const;
  // The reciprocal score of members i and j on opposite sides, whatever the
  // rules say (ReciprocalScorer::Score).
  double PairScore(size_t i, size_t j) const;

  // Fixed pairs (member numbers, first < second), in the order they were
  // found: accepted decisions (log order), then PairingOptions::fixed.
  const std::vector<std::pair<size_t, size_t>>& fixed() const { return fixed_; }
  const MatchIndex& index() const { return *index_; }
  const ReciprocalScorer& scorer() const { return *scorer_; }
  const PairingOptions& options() const { return options_; }

  // Scores enter the solvers as integers: round(score × kScoreUnits).
  static constexpr double kScoreUnits = 1e9;

 private:
  CohortPairs() = default;
  absl::Status CheckForbidden();
  // The position in PairingOptions::forbidden of the pair of rows a, b.
  std::optional<size_t> ForbiddenEntry(size_t a, size_t b) const;
  // Accepted decisions, then PairingOptions::fixed; `degree` counts each
  // member's fixed partners.
  absl::Status AddFixed();
  absl::Status AddAcceptedDecisions(std::vector<int>& degree);
  absl::Status AddFixedOptions(std::vector<int>& degree);
  void ScorePairs();

  const MatchIndex* index_ = nullptr;
  const ReciprocalScorer* scorer_ = nullptr;
  PairingOptions options_;
  std::vector<size_t> rows_;
  std::vector<int64_t> member_of_row_;  // index.size(); -1: not a member
  std::vector<bool> eu_;
  std::vector<size_t> side_pos_;  // position among the members of its side
  std::vector<size_t> eu_members_, partner_members_;
  // e × p, row-major: row = side_pos_ of an EU member, column = of a
  // partner-country member. cross_: the pair's score; partners_: 1 when
  // they may be partners.
  std::vector<double> cross_;
  std::vector<char> partners_;
  std::set<std::pair<size_t, size_t>> forbidden_;  // member numbers, a < b
  std::set<std::pair<size_t, size_t>> fixed_set_;
  std::vector<std::pair<size_t, size_t>> fixed_;
};

// Plans pairings for cohorts. Holds a copy of the scorer; stateless
// otherwise; safe to share between threads.
class PairingPlanner {
 public:
  explicit PairingPlanner(ReciprocalScorer scorer = ReciprocalScorer())
      : scorer_(std::move(scorer)) {}

  // The plan for `cohort` (rows of `index`; sorted and deduplicated here).
  // Errors as CohortPairs::Build; nothing is returned on error. Same input,
  // same plan: ties between plans of equal total are broken by the solvers'
  // fixed order (members in id order). Cost: O(n²·T) to score the pairs,
  // O(s²·l) for the matching, O(c·s·e·log n) for capacity c > 1, and about
  // O(n²) per local-search pass with trios.
  absl::StatusOr<PairingPlan> Plan(const MatchIndex& index,
                                   std::vector<size_t> cohort,
                                   const PairingOptions& options) const;

  // SelectCohort, then Plan: errors of either.
  absl::StatusOr<PairingPlan> Plan(const MatchIndex& index,
                                   const CohortSelector& selector,
                                   const PairingOptions& options) const;

  const ReciprocalScorer& scorer() const { return scorer_; }

  // Cohort size limits (members): above them Plan refuses with
  // RESOURCE_EXHAUSTED. Measured on the project's 2-core VM:
  // benchmarks/plan_benchmark.cc.
  static constexpr size_t kMaxCohortMembers = 3000;
  static constexpr size_t kMaxCohortMembersWithCapacity = 600;

 private:
  ReciprocalScorer scorer_;
};

}  // namespace pm

#endif  // PARTNER_MATCH_ENGINE_PLANNING_PAIRING_PLANNER_H_
