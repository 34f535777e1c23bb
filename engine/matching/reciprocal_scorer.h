// Reciprocal scoring of partner pairs under the programme's rules, with the
// reasons a person can check.
#ifndef PARTNER_MATCH_ENGINE_MATCHING_RECIPROCAL_SCORER_H_
#define PARTNER_MATCH_ENGINE_MATCHING_RECIPROCAL_SCORER_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/matching/exclusion.h"
#include "engine/matching/match_index.h"
#include "engine/matching/score.h"
#include "engine/model/profile.h"

namespace pm {

struct ScoreOptions {
  MatchRules rules;
  ScoreWeights weights;
};

// How a theme joins the two places of a pair (A asks, B is the partner).
enum class ReasonKind {
  kMutual,  // each offers what the other seeks
  kOffers,  // B offers what A seeks
  kSeeks,   // B seeks what A offers
  kShared,  // the same interest, no offer meets a need
};

// One theme's share of a pair's score.
struct MatchReason {
  int theme = 0;
  ReasonKind kind = ReasonKind::kShared;
  Role self_role = Role::kContext;
  Role partner_role = Role::kContext;
  double contribution = 0;
};

// The latent text part of a pair's score, and the specific terms that
// drive it.
struct TextReason {
  // penalty_factor · w_l · latent: with the themes' contributions, the score.
  double contribution = 0;
  // Terms both profiles use, strongest first (at most kMaxSharedTerms); never
  // the names of the two places or of their countries.
  std::vector<SharedTerm> shared_terms;
};

struct PartnerSuggestion {
  size_t partner = 0;  // row in the MatchIndex
  ScoreParts parts;
  // The themes' shares of the score, largest first (those of at least
  // kMinReasonShare of it, at most kMaxReasons).
  std::vector<MatchReason> reasons;
  TextReason text;  // the rest of the score
  std::vector<std::string> penalties;
  // The score is below kWeakScore: a suggestion not to rely on alone (it
  // may have no theme or word in common at all: Suggest's weak fill).
  bool weak = false;
};

struct PairExplanation {
  ScoreParts parts;
  std::vector<MatchReason> reasons;
  TextReason text;
  std::vector<std::string> penalties;
  // The hard rule that excludes the pair, if one does.
  std::optional<std::string> exclusion;
};

// Stateless apart from its options; safe to share between threads.
class ReciprocalScorer {
 public:
  explicit ReciprocalScorer(ScoreOptions options = {}) : options_(options) {}

  static constexpr size_t kMaxSharedTerms = 5;

  // The `k` best eligible partners of the profile `id`, best first; ties
  // broken by id. When fewer than k eligible partners have a positive score,
  // the other eligible partners follow (WeakFill) rather than being dropped;
  // every suggestion below kWeakScore is marked weak. NOT_FOUND for an
  // unknown id; INVALID_ARGUMENT for k < 1.
  // Cost O(n·(T + r) + Σ_{t in id} df_t + n log k) (r, df: latent_text.h).
  absl::StatusOr<std::vector<PartnerSuggestion>> Suggest(
      const MatchIndex& index, std::string_view id, int k) const;

  // What Suggest gives for the pair (a, b), for each row b of `partners`,
  // in that order (weak not set): a's text is analysed once for the list.
  std::vector<PartnerSuggestion> Details(
      const MatchIndex& index, size_t a,
      const std::vector<size_t>& partners) const;

  // The score of the pair (a, b) broken into parts, with reasons, soft
  // penalties and the hard rule that excludes it. NOT_FOUND naming the
  // unknown id; INVALID_ARGUMENT when a == b.
  absl::StatusOr<PairExplanation> Explain(const MatchIndex& index,
                                          std::string_view a,
                                          std::string_view b) const;

  // The `k` best eligible partners of row `a` as (row, score), best first,
  // ties to the lower row (id order), positive scores only: Suggest's
  // ranking without the cost of reasons. Rows are skipped as soon as a
  // bound on their score says they cannot enter (see the .cc): O(n · t_a)
  // for the theme parts (t_a themes of a), plus O(r + terms of b) for each
  // row b not skipped, plus its place in a heap of k. Scores as Score gives
  // them, to float rounding (the theme parts are summed in another order).
  std::vector<std::pair<size_t, double>> Rank(const MatchIndex& index,
                                              size_t a, size_t k) const;

  // Up to `count` eligible partners of row `a` that are not in `ranked` (and
  // so score 0: no theme and no word in common), ranked by the evidence that
  // remains: the same kind of place first (city-like with city-like), then
  // the cosine of the two texts in the latent (LSA) space, unclipped, then
  // row (id) order. O(n · r) for n profiles and latent rank r.
  std::vector<size_t> WeakFill(
      const MatchIndex& index, size_t a, size_t count,
      const std::vector<std::pair<size_t, double>>& ranked) const;

  // The rows `candidates` in WeakFill's order for row `a` (same kind first,
  // then LSA cosine, then row), the first `count` of them. The one
  // definition of that order, for Suggest and for plans (weak_fill.h).
  // O(m · r + m log m) for m candidates.
  std::vector<size_t> RankWeak(const MatchIndex& index, size_t a,
                               const std::vector<size_t>& candidates,
                               size_t count) const;

  // Up to `m` strongest eligible pairs of the whole index, best first, each
  // pair once (first < second by row), found from every profile's best
  // partner. Cost O(n² · T): for summaries of modest cohorts.
  std::vector<std::pair<size_t, PartnerSuggestion>> StrongestPairs(
      const MatchIndex& index, size_t m) const;

  // The score of rows (a, b) in parts, whatever the hard rules say; soft
  // penalties applied. Symmetric in a and b. Cost O(T + r + terms of a, b).
  ScoreParts Score(const MatchIndex& index, size_t a, size_t b) const {
    return Parts(index, a, b, nullptr);
  }

  // The hard rule that excludes rows (a, b), or kNone: same side, same
  // country, a declined pair, a known partnership (exclusion.h). No string
  // is built: for ranking loops.
  ExclusionRule Excludes(const MatchIndex& index, size_t a, size_t b) const {
    return FindExclusion(options_.rules, index, a, b);
  }
  // That rule as a sentence (Describe), or nullopt: for display.
  std::optional<std::string> Exclusion(const MatchIndex& index, size_t a,
                                       size_t b) const;

  const ScoreOptions& options() const { return options_; }

 private:
  ScoreParts Parts(const MatchIndex& index, size_t a, size_t b,
                   std::vector<std::string>* penalties) const;
  std::vector<MatchReason> Reasons(const MatchIndex& index, size_t a,
                                   size_t b) const;
  // The text part of the pair (a, b) and its shared terms; `text_a` is
  // a's text.
  TextReason Text(const MatchIndex& index, size_t a, size_t b,
                  const ScoreParts& parts,
                  LatentText::TextLocator& text_a) const;

  ScoreOptions options_;
};

}  // namespace pm

#endif  // PARTNER_MATCH_ENGINE_MATCHING_RECIPROCAL_SCORER_H_
