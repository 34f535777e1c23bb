// A cohort's pairing plan, the result of PairingPlanner::Plan: its groups
// (pairs, trios, groups of four) with the reasons of every pair, the
// members left out and why, the accepted decisions it could not keep, and
// which groups are weak. Plain values, rows of the MatchIndex the plan was
// made on.
#ifndef PARTNER_MATCH_ENGINE_PLANNING_PAIRING_PLAN_H_
#define PARTNER_MATCH_ENGINE_PLANNING_PAIRING_PLAN_H_

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "engine/matching/reciprocal_scorer.h"
#include "engine/matching/score.h"
#include "engine/planning/cohort_pairs.h"

namespace pm {

// A partner pair scoring below kWeakScore (engine/matching/score.h) is weak:
// the plan may propose it (it adds to the total), but a coordinator should
// look at it before proposing it to its members (GroupPair::weak,
// PlannedGroup::weak).

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
  // Partners scoring below kWeakScore, or with no reason to show (neither
  // `reasons` nor text.shared_terms: nothing a coordinator could check).
  // Never a same-side pair.
  bool weak = false;
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
  // One of its partner pairs is weak (GroupPair::weak): a coordinator
  // should look at it before proposing it.
  bool weak = false;
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
  // The best plan of pairs only under the same options (proven optimal;
  // on the candidate graph: optimal on that graph); total_score >=
  // pairs_only_score, equal without trios.
  double pairs_only_score = 0;
  // 0 for an exact plan; else the plan was solved on the candidate graph
  // with this many partners per member (CandidateGraph::k).
  size_t candidates_per_member = 0;
  // With trios: the min_trio_gain used (given, or the default); else 0.
  double min_trio_gain = 0;
  // The threshold of GroupPair::weak and PlannedGroup::weak: kWeakScore.
  double weak_score = kWeakScore;
  // Accepted decisions between cohort members that the plan leaves out
  // (CohortPairs::conflicts), in log order.
  std::vector<DecisionConflict> conflicts;
};

}  // namespace pm

#endif  // PARTNER_MATCH_ENGINE_PLANNING_PAIRING_PLAN_H_
