#include "engine/matching/exposure.h"

#include <algorithm>
#include <atomic>
#include <cassert>
#include <chrono>
#include <cmath>
#include <numeric>
#include <optional>
#include <random>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "engine/common/byte_io.h"
#include "engine/common/parallel_for.h"

namespace pm {
namespace {

// The plain candidates re-ranked for a list of k.
size_t PoolSize(int k) {
  return static_cast<size_t>(std::min(kMaxK, std::max(3 * k, 30)));
}

absl::Status CheckRequest(int k, double lambda) {
  if (k < 1 || k > kMaxK) {
    return absl::InvalidArgumentError(
        absl::StrCat("k must be between 1 and ", kMaxK, ", got ", k));
  }
  if (!(lambda >= 0) || !std::isfinite(lambda)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the diversity strength lambda must be 0 or more, got ", lambda));
  }
  return absl::OkStatus();
}

// A candidate of a list, before reasons are attached.
struct Ranked {
  size_t row = 0;
  double score = 0;  // plain
  int plain_rank = 0;
  double exposure = 0;
  double factor = 1;
  double ranking_score = 0;
};

// The `n` best eligible partners of row `a` by plain score, best first:
// ReciprocalScorer::Rank, the ranking of Suggest without reasons.
std::vector<Ranked> PlainTop(const MatchIndex& index,
                             const ReciprocalScorer& scorer, size_t a,
                             size_t n) {
  std::vector<Ranked> out;
  for (const auto& [row, score] : scorer.Rank(index, a, n)) {
    Ranked r;
    r.row = row;
    r.score = score;
    r.plain_rank = static_cast<int>(out.size()) + 1;
    r.ranking_score = score;
    out.push_back(r);
  }
  return out;
}

// The `k` best of row a's plain top L under the decay.
std::vector<Ranked> DiverseTop(const MatchIndex& index,
                               const ReciprocalScorer& scorer,
                               const ExposureModel& model, size_t a, int k,
                               double lambda) {
  std::vector<Ranked> pool = PlainTop(index, scorer, a, PoolSize(k));
  for (Ranked& c : pool) {
    c.exposure = model.count(c.row);
    c.factor = std::pow(1 + c.exposure / model.scale(), -lambda);
    c.ranking_score = c.score * c.factor;
  }
  std::stable_sort(pool.begin(), pool.end(),
                   [](const Ranked& x, const Ranked& y) {
                     return x.ranking_score > y.ranking_score;
                   });
  if (pool.size() > static_cast<size_t>(k)) pool.resize(static_cast<size_t>(k));
  return pool;
}

std::vector<DiverseSuggestion> Plain(std::vector<PartnerSuggestion> plain) {
  std::vector<DiverseSuggestion> out(plain.size());
  for (size_t i = 0; i < plain.size(); ++i) {
    out[i].ranking_score = plain[i].parts.score;
    out[i].plain_rank = static_cast<int>(i) + 1;
    out[i].suggestion = std::move(plain[i]);
  }
  return out;
}

}  // namespace

std::vector<size_t> ExposureQueries(size_t n, const ExposureOptions& options) {
  std::vector<size_t> rows(n);
  std::iota(rows.begin(), rows.end(), size_t{0});
  if (n <= options.exact_limit || options.sample_size >= n) return rows;
  // A partial Fisher-Yates shuffle; mt19937_64's output is fixed by the
  // standard (unlike std::uniform_int_distribution's), so the sample is the
  // same everywhere. The modulo bias is below n / 2^64.
  std::mt19937_64 rng(options.seed);
  for (size_t i = 0; i < options.sample_size; ++i) {
    const size_t j = i + static_cast<size_t>(rng() % (n - i));
    std::swap(rows[i], rows[j]);
  }
  rows.resize(options.sample_size);
  std::sort(rows.begin(), rows.end());
  return rows;
}

ExposureModel ExposureModel::Compute(const MatchIndex& index,
                                     const ReciprocalScorer& scorer,
                                     const ExposureOptions& options,
                                     const CancellationToken& cancel) {
  assert(options.top_n >= 1 && options.top_n <= kMaxK);
  assert(options.sample_size >= 1);
  ExposureModel model;
  const size_t n = index.size();
  model.top_n_ = options.top_n;
  model.queries_ = ExposureQueries(n, options);
  model.exact_ = model.queries_.size() == n;
  model.counts_.assign(n, 0.0);
  model.settings_ = Settings(scorer.options(), options);
  model.ids_.reserve(n);
  for (const IndexedProfile& p : index.profiles()) model.ids_.push_back(p.profile.id);
  // The lists on every core, counted in order.
  std::vector<std::vector<Ranked>> tops(model.queries_.size());
  const bool complete = ParallelFor(
      tops.size(), 4,
      [&](size_t q) {
        if (cancel.Cancelled()) return false;
        tops[q] = PlainTop(index, scorer, model.queries_[q],
                           static_cast<size_t>(options.top_n));
        return true;
      },
      [](size_t) {});
  if (!complete) return model;  // partial; the caller drops it
  for (const std::vector<Ranked>& top : tops) {
    for (const Ranked& c : top) model.counts_[c.row] += 1;
  }
  if (!model.exact_) {
    const double scale = static_cast<double>(n) / model.queries_.size();
    for (double& c : model.counts_) c *= scale;
  }
  const double total =
      std::accumulate(model.counts_.begin(), model.counts_.end(), 0.0);
  model.scale_ = n > 0 ? std::max(1.0, total / n) : 1.0;
  return model;
}

uint64_t ExposureModel::Settings(const ScoreOptions& scorer,
                                 const ExposureOptions& options) {
  std::string bytes;
  ByteWriter w(bytes);
  const MatchRules& r = scorer.rules;
  for (bool b : {r.require_opposite_sides, r.forbid_same_country,
                 r.exclude_known_partners}) {
    w.Put<uint8_t>(b ? 1 : 0);
  }
  const ScoreWeights& weights = scorer.weights;
  for (double d : {r.kind_mismatch_factor, weights.shared, weights.reciprocal,
                   weights.one_sided, weights.latent}) {
    w.Put<double>(d);
  }
  w.Put<int32_t>(options.top_n);
  w.Put<uint64_t>(options.exact_limit);
  w.Put<uint64_t>(options.sample_size);
  w.Put<uint64_t>(options.seed);
  return Fingerprint64(bytes);
}

void ExposureModel::Serialize(std::string& out) const {
  ByteWriter w(out);
  w.Put<uint64_t>(settings_);
  w.Put<double>(scale_);
  w.Put<int32_t>(top_n_);
  w.Put<uint8_t>(exact_ ? 1 : 0);
  w.PutArray(counts_.data(), counts_.size());
  std::vector<uint64_t> queries(queries_.begin(), queries_.end());
  w.PutArray(queries.data(), queries.size());
  w.Put<uint64_t>(ids_.size());
  for (const std::string& id : ids_) w.PutString(id);
}

std::optional<ExposureModel> ExposureModel::Deserialize(ByteReader& in) {
  ExposureModel model;
  model.settings_ = in.Get<uint64_t>();
  model.scale_ = in.Get<double>();
  model.top_n_ = in.Get<int32_t>();
  model.exact_ = in.Get<uint8_t>() != 0;
  in.GetArray(model.counts_);
  std::vector<uint64_t> queries;
  in.GetArray(queries);
  const auto n = in.Get<uint64_t>();
  if (!in.ok() || n != model.counts_.size() || model.top_n_ < 1 ||
      model.top_n_ > static_cast<int>(kMaxK)) {
    return std::nullopt;
  }
  model.ids_.reserve(n);
  for (uint64_t i = 0; i < n && in.ok(); ++i) {
    model.ids_.push_back(in.GetString());
    if (i > 0 && !(model.ids_[i - 1] < model.ids_[i])) return std::nullopt;
  }
  for (uint64_t q : queries) {
    if (q >= n) return std::nullopt;
    model.queries_.push_back(static_cast<size_t>(q));
  }
  if (!in.ok()) return std::nullopt;
  return model;
}

ExposureModel ExposureModel::Remap(const MatchIndex& index) const {
  ExposureModel out;
  out.settings_ = settings_;
  out.scale_ = scale_;
  out.top_n_ = top_n_;
  out.exact_ = false;
  out.counts_.assign(index.size(), 0.0);
  std::vector<int64_t> row_of(ids_.size(), -1);
  for (size_t i = 0, j = 0; i < ids_.size() && j < index.size();) {
    const std::string& id = index.at(j).profile.id;
    if (ids_[i] < id) {
      ++i;
    } else if (id < ids_[i]) {
      ++j;
    } else {
      out.counts_[j] = counts_[i];
      row_of[i++] = static_cast<int64_t>(j++);
    }
  }
  for (size_t q : queries_) {
    if (row_of[q] >= 0) out.queries_.push_back(static_cast<size_t>(row_of[q]));
  }
  out.ids_.reserve(index.size());
  for (const IndexedProfile& p : index.profiles()) out.ids_.push_back(p.profile.id);
  return out;
}

ExposureConcentration Concentration(const std::vector<double>& counts) {
  ExposureConcentration c;
  const size_t n = counts.size();
  if (n == 0) return c;
  std::vector<double> sorted = counts;
  std::sort(sorted.begin(), sorted.end());
  const double total = std::accumulate(sorted.begin(), sorted.end(), 0.0);
  c.max = sorted.back();
  c.exposed_places = static_cast<size_t>(std::count_if(
      sorted.begin(), sorted.end(), [](double x) { return x > 0; }));
  if (total <= 0) return c;
  // Gini = 2·Σ i·x_(i) / (n·Σ x) − (n + 1)/n, x ascending, i from 1.
  double weighted = 0;
  for (size_t i = 0; i < n; ++i)
    weighted += static_cast<double>(i + 1) * sorted[i];
  c.gini = 2 * weighted / (static_cast<double>(n) * total) -
           static_cast<double>(n + 1) / static_cast<double>(n);
  const size_t top = std::max<size_t>(1, (n + 9) / 10);
  c.top_decile_share =
      std::accumulate(sorted.end() - static_cast<std::ptrdiff_t>(top),
                      sorted.end(), 0.0) /
      total;
  return c;
}

struct DiverseSuggester::Slot {
  std::mutex mu;  // held while the model is computed
  std::shared_ptr<const ExposureModel> model;  // set once, under mu
  std::atomic<bool> ready{false};              // model is set
  // The latest model remapped to this snapshot (guarded by mu_).
  std::shared_ptr<const ExposureModel> remapped;
};

DiverseSuggester::DiverseSuggester(ReciprocalScorer scorer,
                                   DiversityOptions options)
    : scorer_(std::move(scorer)), options_(options) {}

DiverseSuggester::~DiverseSuggester() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  stopping_.store(true);
  cv_.notify_all();
  if (refresher_.joinable()) refresher_.join();
}

void DiverseSuggester::RefreshLoop() const {
  for (;;) {
    std::shared_ptr<const MatchIndex> index;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [&] { return stop_ || !wanted_.expired(); });
      if (stop_) return;
      index = wanted_.lock();
      wanted_.reset();
    }
    if (!index) continue;
    const auto start = std::chrono::steady_clock::now();
    // Exposure() caches the model and makes it the latest.
    Exposure(index, stopping_token_);
    const auto took = std::chrono::steady_clock::now() - start;
    std::unique_lock<std::mutex> lock(mu_);
    if (cv_.wait_for(lock, took, [&] { return stop_; })) return;
  }
}

std::shared_ptr<const ExposureModel> DiverseSuggester::ModelFor(
    const std::shared_ptr<const MatchIndex>& index,
    const CancellationToken& cancel) const {
  if (auto own = CachedExposure(index)) return own;
  std::shared_ptr<const ExposureModel> latest;
  {
    std::lock_guard<std::mutex> lock(mu_);
    latest = latest_;
  }
  // The first model of this suggester.
  if (!latest) return Exposure(index, cancel);
  const std::shared_ptr<Slot> slot = SlotFor(index);
  std::shared_ptr<const ExposureModel> remapped;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!slot->remapped) {
      slot->remapped =
          std::make_shared<const ExposureModel>(latest->Remap(*index));
    }
    remapped = slot->remapped;
    wanted_ = index;
    if (!refresher_.joinable()) {
      refresher_ = std::thread([this] { RefreshLoop(); });
    }
  }
  cv_.notify_all();
  return remapped;
}

std::shared_ptr<DiverseSuggester::Slot> DiverseSuggester::SlotFor(
    const std::shared_ptr<const MatchIndex>& index) const {
  assert(index != nullptr);
  {
    std::lock_guard<std::mutex> lock(mu_);
    cache_.erase(
        std::remove_if(cache_.begin(), cache_.end(),
                       [](const CacheEntry& e) { return e.index.expired(); }),
        cache_.end());
    // lock(), not the raw address: a new snapshot may reuse a freed one's.
    auto it = std::find_if(
        cache_.begin(), cache_.end(),
        [&](const CacheEntry& e) { return e.index.lock() == index; });
    if (it != cache_.end()) {
      CacheEntry entry = std::move(*it);
      cache_.erase(it);
      cache_.push_back(std::move(entry));
    } else {
      if (cache_.size() >= kCachedSnapshots) cache_.erase(cache_.begin());
      cache_.push_back({index, std::make_shared<Slot>()});
    }
    return cache_.back().slot;
  }
}

std::shared_ptr<const ExposureModel> DiverseSuggester::Exposure(
    const std::shared_ptr<const MatchIndex>& index,
    const CancellationToken& cancel) const {
  const std::shared_ptr<Slot> slot = SlotFor(index);
  // Outside the lock: other snapshots are served meanwhile; callers of this
  // one wait here for the single computation.
  std::lock_guard<std::mutex> lock(slot->mu);
  if (slot->model == nullptr) {
    auto model = std::make_shared<const ExposureModel>(
        ExposureModel::Compute(*index, scorer_, options_.exposure, cancel));
    if (cancel.Cancelled()) return nullptr;  // partial: not kept
    slot->model = std::move(model);
    slot->ready.store(true, std::memory_order_release);
    std::lock_guard<std::mutex> latest_lock(mu_);
    latest_ = slot->model;
  }
  return slot->model;
}

void DiverseSuggester::Seed(std::shared_ptr<const ExposureModel> model) const {
  if (model == nullptr ||
      model->settings() !=
          ExposureModel::Settings(scorer_.options(), options_.exposure)) {
    return;
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (latest_ == nullptr) latest_ = std::move(model);
}

std::shared_ptr<const ExposureModel> DiverseSuggester::CachedExposure(
    const std::shared_ptr<const MatchIndex>& index) const {
  std::lock_guard<std::mutex> lock(mu_);
  for (const CacheEntry& e : cache_) {
    if (e.index.lock() == index &&
        e.slot->ready.load(std::memory_order_acquire)) {
      return e.slot->model;
    }
  }
  return nullptr;
}

absl::StatusOr<std::vector<DiverseSuggestion>> DiverseSuggester::Suggest(
    const std::shared_ptr<const MatchIndex>& index, std::string_view id,
    int k) const {
  return Suggest(index, id, k, options_.lambda);
}

absl::StatusOr<std::vector<DiverseSuggestion>> DiverseSuggester::Suggest(
    const std::shared_ptr<const MatchIndex>& index, std::string_view id, int k,
    double lambda, const CancellationToken& cancel) const {
  assert(index != nullptr);
  if (absl::Status s = CheckRequest(k, lambda); !s.ok()) return s;
  if (lambda == 0) {
    auto plain = scorer_.Suggest(*index, id, k);
    if (!plain.ok()) return plain.status();
    return Plain(*std::move(plain));
  }
  // Unknown ids fail before the model is computed.
  if (!index->Find(id)) return scorer_.Suggest(*index, id, k).status();
  const std::shared_ptr<const ExposureModel> model = ModelFor(index, cancel);
  if (model == nullptr) return cancel.Check();
  return Suggest(*index, *model, id, k, lambda);
}

absl::StatusOr<std::vector<DiverseSuggestion>> DiverseSuggester::Suggest(
    const MatchIndex& index, const ExposureModel& model, std::string_view id,
    int k, double lambda) const {
  assert(model.counts().size() == index.size());
  if (absl::Status s = CheckRequest(k, lambda); !s.ok()) return s;
  const std::optional<size_t> a = index.Find(id);
  if (lambda == 0 || !a) {
    // Plain, or the scorer's NOT_FOUND.
    auto plain = scorer_.Suggest(index, id, k);
    if (!plain.ok()) return plain.status();
    return Plain(*std::move(plain));
  }
  // Reasons only for the suggestions kept: what Suggest gives for the pair.
  std::vector<DiverseSuggestion> out;
  std::vector<size_t> rows;
  std::vector<std::pair<size_t, double>> ranked;
  for (const Ranked& c : DiverseTop(index, scorer_, model, *a, k, lambda)) {
    DiverseSuggestion& d = out.emplace_back();
    d.exposure = c.exposure;
    d.factor = c.factor;
    d.plain_rank = c.plain_rank;
    rows.push_back(c.row);
    ranked.emplace_back(c.row, c.score);
  }
  // Fewer than k with a positive score: the eligible rest follow, weak, as
  // in ReciprocalScorer::Suggest (never reordered by exposure).
  for (size_t row : scorer_.WeakFill(index, *a, static_cast<size_t>(k) -
                                                    ranked.size(), ranked)) {
    DiverseSuggestion& d = out.emplace_back();
    d.exposure = model.count(row);
    d.plain_rank = static_cast<int>(out.size());
    rows.push_back(row);
  }
  std::vector<PartnerSuggestion> details = scorer_.Details(index, *a, rows);
  for (size_t i = 0; i < out.size(); ++i) {
    DiverseSuggestion& d = out[i];
    d.suggestion = std::move(details[i]);
    d.suggestion.weak = d.suggestion.parts.score < kWeakScore;
    d.ranking_score = d.suggestion.parts.score * d.factor;
  }
  return out;
}

absl::StatusOr<ExposureReport> DiverseSuggester::Report(
    const std::shared_ptr<const MatchIndex>& index, double lambda,
    const CancellationToken& cancel) const {
  assert(index != nullptr);
  if (absl::Status s = CheckRequest(1, lambda); !s.ok()) return s;
  const std::shared_ptr<const ExposureModel> model = Exposure(index, cancel);
  if (model == nullptr) return cancel.Check();
  return Report(*index, *model, lambda, cancel);
}

absl::StatusOr<ExposureReport> DiverseSuggester::Report(
    const MatchIndex& index, const ExposureModel& model, double lambda,
    const CancellationToken& cancel) const {
  assert(model.counts().size() == index.size());
  if (absl::Status s = CheckRequest(model.top_n(), lambda); !s.ok()) return s;
  const size_t n = index.size();
  std::vector<double> after(n, 0.0);
  for (size_t a : model.queries()) {
    if (absl::Status s = cancel.Check(); !s.ok()) return s;
    for (const Ranked& c :
         DiverseTop(index, scorer_, model, a, model.top_n(), lambda)) {
      after[c.row] += 1;
    }
  }
  if (!model.exact() && !model.queries().empty()) {
    const double scale = static_cast<double>(n) / model.queries().size();
    for (double& c : after) c *= scale;
  }
  ExposureReport report;
  report.top_n = model.top_n();
  report.lambda = lambda;
  report.exact = model.exact();
  report.queries = model.queries().size();
  report.entries.reserve(n);
  for (size_t r = 0; r < n; ++r)
    report.entries.push_back({r, model.count(r), after[r]});
  std::sort(report.entries.begin(), report.entries.end(),
            [](const ExposureEntry& x, const ExposureEntry& y) {
              if (x.before != y.before) return x.before > y.before;
              if (x.after != y.after) return x.after > y.after;
              return x.row < y.row;
            });
  report.before = Concentration(model.counts());
  report.after = Concentration(after);
  return report;
}

}  // namespace pm
