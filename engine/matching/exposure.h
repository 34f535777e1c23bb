// Diversity of suggestions: how often each place appears in everyone's top
// lists (its exposure), and suggestions re-ranked so that a few popular
// places do not crowd every list.
//
// Exposure. A place's exposure is the number of other places whose top
// `top_n` (default 5) plain suggestions contain it. The plain ranking is
// ReciprocalScorer::Rank, the one routine behind Suggest (eligible partners,
// positive scores, best first, ties by id), so a list counted here is
// exactly the list Suggest returns, without its reasons. Counted exactly,
// one ranking per place, for cohorts of up to exact_limit places: cost
// O(n²·(T + r)) once per snapshot. Above the limit, the lists of
// `sample_size` places drawn with a fixed seed are counted and scaled by
// n / sample_size (an unbiased estimate; its relative error for a place that
// appears in a share p of the lists is about sqrt((1 − p)/(p·S)), so heavily
// exposed places, the ones the decay acts on, are estimated best): cost
// O(S·n·(T + r)). One list costs what one Suggest ranking costs
// (benchmarks/suggest_benchmark, BM_Suggest): compute the model off the
// request path for large cohorts (see DiverseSuggester::CachedExposure).
//
// Decay. DiverseSuggester takes the best L = min(kMaxK, max(3k, 30)) plain
// candidates and orders them by
//     ranking_score = score × (1 + exposure / E)^(−λ),
// where E is the mean exposure over all places (at least 1) and λ ≥ 0 the
// strength (0: off, exactly ReciprocalScorer::Suggest). A place at the mean
// exposure keeps 2^−λ of its score, one nobody else lists keeps all of it;
// only the ratios between candidates matter. Candidates come from the plain
// top L only, so a suggestion is never one that plain ranking places below
// L, and its score, parts and reasons are the plain ones (reasons are built
// for the k kept only). The exposure used is that of plain ranking (one
// step, not iterated to a fixed point: a strong λ (2) hands the slots to the
// next tier, which then crowds the lists in turn).
#ifndef PARTNER_MATCH_ENGINE_MATCHING_EXPOSURE_H_
#define PARTNER_MATCH_ENGINE_MATCHING_EXPOSURE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "engine/common/byte_io.h"
#include "engine/common/cancellation.h"
#include "engine/matching/match_index.h"
#include "engine/matching/reciprocal_scorer.h"

namespace pm {

struct ExposureOptions {
  // The list length that counts as exposure (1 to kMaxK).
  int top_n = 5;
  // Cohorts up to this size are counted exactly, larger ones sampled.
  size_t exact_limit = 1000;
  // Lists sampled above exact_limit (≥ 1).
  size_t sample_size = 500;
  // Seed of the sample (std::mt19937_64; the same sample on every platform).
  uint64_t seed = 20240601;
};

// How often each place of one MatchIndex snapshot appears in the others'
// top lists. Immutable once computed; safe to share between threads.
class ExposureModel {
 public:
  // Counts the top options.top_n lists of `index` under `scorer` (exactly or
  // sampled, see the file comment). Options out of range are programmer
  // errors (asserted). Once `cancel` fires it stops early and the model is
  // partial: the caller checks the token and drops it.
  static ExposureModel Compute(const MatchIndex& index,
                               const ReciprocalScorer& scorer,
                               const ExposureOptions& options = {},
                               const CancellationToken& cancel = {});
  // This model carried over to `index`, another snapshot, by id: a place
  // not in this model counts 0, E and the counted lists stay (those still
  // loaded). O(n) (both are in id order).
  ExposureModel Remap(const MatchIndex& index) const;

  // Appends the model to `out` (ByteWriter format); Deserialize reads it
  // back, nullopt when the bytes are not one.
  void Serialize(std::string& out) const;
  static std::optional<ExposureModel> Deserialize(ByteReader& in);
  // A fingerprint of what a model depends on besides the index: the
  // scorer's options and the exposure options. Compute stores it.
  static uint64_t Settings(const ScoreOptions& scorer,
                           const ExposureOptions& options);
  uint64_t settings() const { return settings_; }

  // Exposure of each row (n entries): an exact count, or an estimate when
  // sampled.
  const std::vector<double>& counts() const { return counts_; }
  double count(size_t row) const { return counts_[row]; }
  // E: the mean of counts(), at least 1.
  double scale() const { return scale_; }
  int top_n() const { return top_n_; }
  bool exact() const { return exact_; }
  // The rows whose lists were counted, ascending (all rows when exact).
  const std::vector<size_t>& queries() const { return queries_; }

 private:
  std::vector<double> counts_;
  double scale_ = 1;
  int top_n_ = 5;
  bool exact_ = true;
  std::vector<size_t> queries_;
  std::vector<std::string> ids_;  // of the rows counted, in row order
  uint64_t settings_ = 0;
};

// The sampled or full set of query rows ExposureModel::Compute uses for an
// index of n profiles (ascending).
std::vector<size_t> ExposureQueries(size_t n, const ExposureOptions& options);

struct DiversityOptions {
  // λ, the strength of the decay (≥ 0; 0 = plain ranking).
  double lambda = 0.5;
  ExposureOptions exposure;
};

// A suggestion with what the decay did to it.
struct DiverseSuggestion {
  // As ReciprocalScorer::Suggest gives it for this partner (parts, reasons,
  // text, penalties): parts.score is the plain score, and the reasons add up
  // to it.
  PartnerSuggestion suggestion;
  double exposure = 0;       // the partner's exposure (0 when λ = 0)
  double factor = 1;         // (1 + exposure / E)^(−λ)
  double ranking_score = 0;  // parts.score × factor: the list's order
  int plain_rank = 0;        // 1-based rank under plain ranking (≤ L)
};

// One place's exposure before and after the decay.
struct ExposureEntry {
  size_t row = 0;
  double before = 0;  // in others' plain top-n lists
  double after = 0;   // in others' diverse top-n lists
};

// How concentrated exposure is over all n places.
struct ExposureConcentration {
  double max = 0;
  // Gini coefficient of the counts: 0 when every place appears equally
  // often, towards 1 when a few take every slot.
  double gini = 0;
  // Share of all list slots held by the most exposed 10% of places (at
  // least one place).
  double top_decile_share = 0;
  // Places that appear in at least one list.
  size_t exposed_places = 0;
};

struct ExposureReport {
  int top_n = 5;
  double lambda = 0;
  bool exact = true;
  size_t queries = 0;  // lists counted
  // Every place, most exposed first (before, then after, descending; ties
  // by row).
  std::vector<ExposureEntry> entries;
  ExposureConcentration before, after;
};

// Summary figures of a vector of exposure counts.
ExposureConcentration Concentration(const std::vector<double>& counts);

// Suggestions with popularity decay. Thread-safe: the exposure model of each
// snapshot is computed once and cached (up to kCachedSnapshots snapshots,
// held weakly: a snapshot's model goes when the snapshot does). Only the
// very first Suggest of a suggester computes a model on the request path
// (none when it was given one: Seed);
// after that, a Suggest on a snapshot whose model is not ready uses the
// latest model computed (Remap, by id) and asks a background thread for the
// snapshot's own, so no request pays for it. The background thread works
// on the newest snapshot asked for (older requests are dropped) and rests
// at least as long as its last computation took between two (a computation
// runs on every core: on average at most half the machine). Not copyable.
class DiverseSuggester {
 public:
  explicit DiverseSuggester(ReciprocalScorer scorer = ReciprocalScorer(),
                            DiversityOptions options = {});
  ~DiverseSuggester();
  DiverseSuggester(const DiverseSuggester&) = delete;
  DiverseSuggester& operator=(const DiverseSuggester&) = delete;

  // The `k` best eligible partners of `id` under the decay with strength
  // `lambda` (default options().lambda), best first; ties by plain rank.
  // With λ = 0 exactly ReciprocalScorer::Suggest (and no exposure model is
  // computed). NOT_FOUND for an unknown id; INVALID_ARGUMENT for k out of
  // 1-1000 or λ negative or not finite. `index` must not be null.
  absl::StatusOr<std::vector<DiverseSuggestion>> Suggest(
      const std::shared_ptr<const MatchIndex>& index, std::string_view id,
      int k) const;
  // CANCELLED when `cancel` fires while the model is computed.
  absl::StatusOr<std::vector<DiverseSuggestion>> Suggest(
      const std::shared_ptr<const MatchIndex>& index, std::string_view id,
      int k, double lambda, const CancellationToken& cancel = {}) const;
  // The same with an explicit model, computed for `index` with this
  // suggester's scorer and exposure options.
  absl::StatusOr<std::vector<DiverseSuggestion>> Suggest(
      const MatchIndex& index, const ExposureModel& model, std::string_view id,
      int k, double lambda) const;

  // The cached exposure model of `index` (computed now if need be; a
  // caller that comes while another thread computes it waits for it).
  // nullptr when `cancel` fires during the computation, which is then
  // dropped (the next caller starts it again).
  std::shared_ptr<const ExposureModel> Exposure(
      const std::shared_ptr<const MatchIndex>& index,
      const CancellationToken& cancel = {}) const;
  // Gives the suggester a model computed earlier (e.g. saved with the
  // index: ProfileCatalog::SavedExposure) as its latest, so that even the
  // first Suggest uses it (remapped) instead of computing one. Ignored when
  // null, when computed with other settings, or once a model exists.
  void Seed(std::shared_ptr<const ExposureModel> model) const;
  // The model of `index` if it has been computed, else nullptr; never
  // blocks on a computation. With Exposure() on a background thread after
  // each snapshot swap, a server can answer plainly until the model is
  // ready.
  std::shared_ptr<const ExposureModel> CachedExposure(
      const std::shared_ptr<const MatchIndex>& index) const;

  // Every place's exposure before and after the decay with strength
  // `lambda`: one diverse ranking (no reasons) per counted list (the model's
  // queries). Cost about the model's, once more. INVALID_ARGUMENT for a bad
  // λ, CANCELLED when `cancel` fires first.
  absl::StatusOr<ExposureReport> Report(
      const std::shared_ptr<const MatchIndex>& index, double lambda,
      const CancellationToken& cancel = {}) const;
  absl::StatusOr<ExposureReport> Report(
      const MatchIndex& index, const ExposureModel& model, double lambda,
      const CancellationToken& cancel = {}) const;

  const ReciprocalScorer& scorer() const { return scorer_; }
  const DiversityOptions& options() const { return options_; }

  static constexpr size_t kCachedSnapshots = 4;

 private:
  struct Slot;
  struct CacheEntry {
    std::weak_ptr<const MatchIndex> index;
    std::shared_ptr<Slot> slot;
  };

  // The cache slot of `index`, created (most recently used) when missing.
  std::shared_ptr<Slot> SlotFor(
      const std::shared_ptr<const MatchIndex>& index) const;
  // The model Suggest uses for `index`: its own when ready, else the latest
  // one remapped (and the background thread asked for its own), else (the
  // first time) its own computed now; nullptr when `cancel` fires then.
  std::shared_ptr<const ExposureModel> ModelFor(
      const std::shared_ptr<const MatchIndex>& index,
      const CancellationToken& cancel) const;
  void RefreshLoop() const;

  const ReciprocalScorer scorer_;
  const DiversityOptions options_;
  mutable std::mutex mu_;
  // Most recently used last.
  mutable std::vector<CacheEntry> cache_ ABSL_GUARDED_BY(mu_);
  // The latest model computed, and the snapshot the background thread is
  // asked for.
  mutable std::shared_ptr<const ExposureModel> latest_ ABSL_GUARDED_BY(mu_);
  mutable std::weak_ptr<const MatchIndex> wanted_ ABSL_GUARDED_BY(mu_);
  mutable bool stop_ ABSL_GUARDED_BY(mu_) = false;
  std::atomic<bool> stopping_{false};  // set by the destructor
  // Fires when stopping_ is set: ends the background computation under way.
  const CancellationToken stopping_token_{
      [this] { return stopping_.load(std::memory_order_relaxed); }};
  mutable std::condition_variable cv_;
  mutable std::thread refresher_;  // started on the first request
};

}  // namespace pm

#endif  // PARTNER_MATCH_ENGINE_MATCHING_EXPOSURE_H_
