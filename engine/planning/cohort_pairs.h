// The pairs of a cohort under a plan's options: the options themselves,
// which members may be in one group together (the programme's rules, the
// decisions, fixed and forbidden pairs, the kind rule, min_score), and what
// each pair adds to a group (its score, or for two same-side members the
// similarity part of their score).
//
// Rules. Two members may be partners (a pair, or two members of a group on
// opposite sides) when ReciprocalScorer::Exclusion allows them (an EU member
// with a partner-country member, not the same country, not declined, not a
// known partnership, not accepted or recorded as existing: those are not
// proposed again as new), they are not forbidden, the kind rule allows them,
// and they score > 0 and >= min_score. Fixed pairs (PairingOptions::fixed and
// every accepted decision between two cohort members that the rules allow)
// are placed first, whatever their score, using their capacity. An accepted
// decision the rules exclude, or one beyond a member's capacity, is left
// out and reported as a DecisionConflict: an old decision never makes a
// plan fail.
#ifndef PARTNER_MATCH_ENGINE_PLANNING_COHORT_PAIRS_H_
#define PARTNER_MATCH_ENGINE_PLANNING_COHORT_PAIRS_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/common/cancellation.h"
#include "engine/common/progress.h"
#include "engine/matching/match_index.h"
#include "engine/matching/reciprocal_scorer.h"
#include "engine/planning/candidate_graph.h"

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
  // Polled while planning; PairingPlanner::Plan returns CANCELLED when it
  // fires (the service ties it to the call's deadline and the shutdown).
  CancellationToken cancel;
  // Told of the pair scoring ("scoring pairs", one step per EU member);
  // null: nothing reported.
  Progress* progress = nullptr;

  // How the pairs are solved: exactly on every pair (O(n²) memory, O(n³)
  // time), or on the sparse candidate graph (candidate_graph.h: each
  // member's best eligible partners), exactly on that graph.
  enum class Method {
    kAuto,        // exact up to the sizes below, the candidate graph above
    kExact,       // exact; RESOURCE_EXHAUSTED above the sizes below
    kCandidates,  // the candidate graph whatever the size
  };
  Method method = Method::kAuto;

  static constexpr int kMaxCapacity = 10;
  static constexpr int kMaxGroupSize = 4;
  // The largest cohorts (members) planned exactly on every pair; above them
  // kAuto uses the candidate graph. Measured on the project's 2-core VM:
  // benchmarks/plan_benchmark.cc.
  static constexpr size_t kMaxExactMembers = 3000;
  static constexpr size_t kMaxExactMembersWithCapacity = 600;
};

// Whether rows a and b of `index` are a city-like place (city, association)
// and a region.
bool KindsClash(const MatchIndex& index, size_t a, size_t b);

// An accepted decision between two cohort members that the plan cannot
// keep as a fixed pair: the programme's rules exclude the pair (two EU
// members, the same country, ... — e.g. recorded before the rules or the
// profiles changed), or it gives a member more accepted partners than the
// capacity. The plan leaves the decision out (the pair is then treated as
// any accepted pair: not proposed again) and plans the rest.
struct DecisionConflict {
  int64_t sequence = 0;  // Decision::sequence
  std::string profile_id;
  std::string partner_id;
  std::string who;  // who recorded the decision
  // The rule it breaks, in words, e.g. "both are EU members" or "'es1' would
  // have 2 accepted partners in the cohort, more than capacity 1".
  std::string rule;
  // A sentence for a person: "accepted decision #4 ('almeria', 'bari') is
  // left out of the plan: <rule>; record a new decision for the pair".
  std::string message;
};

// The pairs of a cohort under a plan's options: which members may be in one
// group together, and what each pair adds. Built (and the options checked)
// by PairingPlanner; public for oracles, reports and drawings. Immutable;
// safe to share between threads; refers to `index`, which must outlive it.
// Memory O(e·p) for e EU and p partner-country members; sparse(): O(n·k).
class CohortPairs {
 public:
  // Checks `options` against the index and the cohort (rows of `index`;
  // sorted and deduplicated here) and scores every other-side pair. Errors,
  // checked in this order (fields named as in PairingOptions):
  //   INVALID_ARGUMENT: capacity outside 1..10; min_score < 0 or not a
  //     number; max_group_size outside 2..4; min_trio_gain < 0; trios with
  //     capacity > 1 ("trios need capacity 1 ..., got capacity 2");
  //   FAILED_PRECONDITION: a scorer whose rules allow same-side pairs;
  //   RESOURCE_EXHAUSTED: method kExact on a cohort above its sizes;
  //   forbidden[i]: INVALID_ARGUMENT "forbidden[0]: empty id", NOT_FOUND
  //     "forbidden[0]: no profile with id 'x'", INVALID_ARGUMENT
  //     "forbidden[0]: 'a' cannot be paired with itself";
  //   accepted decisions (cohort members only): INVALID_ARGUMENT
  //     "forbidden[0] ('a', 'b'): accepted by <who> ..." (the request
  //     contradicts the record); a decision the rules exclude or one over
  //     capacity is no error but a conflict (conflicts());
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

  // True when the plan is solved on the candidate graph (PairingOptions::
  // Method): candidates() is then set, and the pair table is not kept
  // (link() and PairScore() score the pair when asked).
  bool sparse() const { return sparse_; }
  // The candidate graph (sparse() only; empty lists otherwise).
  const CandidateGraph& candidates() const { return candidates_; }

  // Members are numbered 0..size()-1 in cohort order.
  size_t size() const { return rows_.size(); }
  size_t row(size_t member) const { return rows_[member]; }
  bool eu(size_t member) const { return eu_[member]; }
  const std::vector<size_t>& rows() const { return rows_; }

  // What members i and j (i != j) add to a group holding both. O(1) from
  // the pair table; sparse(): O(T + r + terms) for other-side members.
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
  // link(i, j) from the parts of their score (ReciprocalScorer::Score of
  // rows row(i) and row(j), in that order), for a caller that has them: no
  // pair scored again. On a dense CohortPairs the same as link() when the
  // first of two other-side members is the EU member (the pair table's
  // order).
  Link LinkOfParts(size_t i, size_t j, const ScoreParts& parts) const;
  // True when members i and j are a fixed pair (fixed()).
  bool fixed_pair(size_t i, size_t j) const;
  // True when PairingOptions::forbidden names members i and j.
  bool forbidden(size_t i, size_t j) const;
  // The reciprocal score of members i and j on opposite sides, whatever the
  // rules say (ReciprocalScorer::Score).
  double PairScore(size_t i, size_t j) const;

  // Fixed pairs (member numbers, first < second), in the order they were
  // found: accepted decisions (log order), then PairingOptions::fixed.
  const std::vector<std::pair<size_t, size_t>>& fixed() const { return fixed_; }
  // The accepted decisions between cohort members left out, in log order.
  const std::vector<DecisionConflict>& conflicts() const { return conflicts_; }
  const MatchIndex& index() const { return *index_; }
  const ReciprocalScorer& scorer() const { return *scorer_; }
  const PairingOptions& options() const { return options_; }

  // Scores enter the solvers as integers: round(score × kScoreUnits).
  static constexpr double kScoreUnits = 1e9;
  static int64_t ToUnits(double score);

 private:
  CohortPairs() = default;
  absl::Status CheckForbidden();
  // The position in PairingOptions::forbidden of the pair of rows a, b.
  std::optional<size_t> ForbiddenEntry(size_t a, size_t b) const;
  // Accepted decisions, then PairingOptions::fixed; `degree` counts each
  // member's fixed partners.
  absl::Status AddFixed();
  absl::Status AddAcceptedDecisions(std::vector<int>& degree);
  // The rule an accepted decision between members ma and mb breaks, or
  // nullopt when it may be a fixed pair; `degree` as in AddFixed.
  std::optional<std::string> AcceptedDecisionBreaks(
      size_t ma, size_t mb, const std::vector<int>& degree) const;
  absl::Status AddFixedOptions(std::vector<int>& degree);
  void ScorePairs();
  // Whether members i and j on opposite sides, scoring `score`, may be
  // partners: the rules of the file comment, one definition for the pair
  // table and the candidate graph.
  bool MayPartner(size_t i, size_t j, double score) const;

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
  // Pairs whose latest decision is kDeclined, member numbers, a < b.
  std::set<std::pair<size_t, size_t>> declined_;
  std::set<std::pair<size_t, size_t>> fixed_set_;
  std::vector<std::pair<size_t, size_t>> fixed_;
  std::vector<DecisionConflict> conflicts_;
  bool sparse_ = false;
  CandidateGraph candidates_;
};

}  // namespace pm

#endif  // PARTNER_MATCH_ENGINE_PLANNING_COHORT_PAIRS_H_
