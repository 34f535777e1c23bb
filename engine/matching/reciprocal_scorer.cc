#include "engine/matching/reciprocal_scorer.h"

#include <algorithm>
#include <cassert>
#include <limits>
#include <queue>
#include <tuple>
#include <utility>

#include "absl/strings/str_cat.h"

namespace pm {

std::optional<std::string> ReciprocalScorer::Exclusion(const MatchIndex& index,
                                                       size_t a,
                                                       size_t b) const {
  const ExclusionRule rule = Excludes(index, a, b);
  if (rule == ExclusionRule::kNone) return std::nullopt;
  return Describe(rule, index, a, b);
}

ScoreParts ReciprocalScorer::Parts(const MatchIndex& index, size_t a, size_t b,
                                   std::vector<std::string>* penalties) const {
  const auto ia = static_cast<Eigen::Index>(a);
  const auto ib = static_cast<Eigen::Index>(b);
  ScoreParts p;
  p.shared = index.interest().row(ia).dot(index.interest().row(ib));
  p.gives = index.offer().row(ia).dot(index.seek().row(ib));
  p.gets = index.seek().row(ia).dot(index.offer().row(ib));
  p.reciprocal = Harmonic(p.gives, p.gets);
  p.texts_comparable = index.facts(a).language == index.facts(b).language;
  if (p.texts_comparable) p.latent = index.latent().Similarity(a, b);
  if (index.facts(a).city_like != index.facts(b).city_like) {
    p.penalty_factor = options_.rules.kind_mismatch_factor;
    if (penalties != nullptr && p.penalty_factor < 1) {
      penalties->push_back(absl::StrCat(
          "a ", PlaceKindName(index.at(a).profile.kind), " paired with a ",
          PlaceKindName(index.at(b).profile.kind), " (score x",
          p.penalty_factor, ")"));
    }
  }
  p.score = Combine(options_.weights, p);
  return p;
}

std::vector<MatchReason> ReciprocalScorer::Reasons(const MatchIndex& index,
                                                   size_t a, size_t b) const {
  const auto ia = static_cast<Eigen::Index>(a);
  const auto ib = static_cast<Eigen::Index>(b);
  const ScoreParts parts = Parts(index, a, b, nullptr);
  const Extraction& ea = index.at(a).extraction;
  const Extraction& eb = index.at(b).extraction;
  std::vector<MatchReason> reasons;
  // The score splits exactly over themes: the shared and one-sided parts are
  // sums over themes, and the reciprocal part is shared out in proportion to
  // each theme's share of gives and of gets.
  for (int t = 0; t < index.taxonomy().size(); ++t) {
    ScoreFeatures theme;  // theme t's terms of the pair's features
    theme.shared = index.interest()(ia, t) * index.interest()(ib, t);
    theme.gives = index.offer()(ia, t) * index.seek()(ib, t);
    theme.gets = index.seek()(ia, t) * index.offer()(ib, t);
    if (parts.gives > 0 && parts.gets > 0) {
      theme.reciprocal = parts.reciprocal *
                         (theme.gives / parts.gives + theme.gets / parts.gets) /
                         2;
    }
    theme.penalty_factor = parts.penalty_factor;
    theme.texts_comparable = parts.texts_comparable;
    const double contribution = Combine(options_.weights, theme);
    if (contribution <= 0 || contribution < kMinReasonShare * parts.score) {
      continue;
    }
    MatchReason reason;
    reason.theme = t;
    reason.contribution = contribution;
    const ThemeInterest* ta = ea.Find(t);
    const ThemeInterest* tb = eb.Find(t);
    reason.self_role = ta ? ta->role : Role::kContext;
    reason.partner_role = tb ? tb->role : Role::kContext;
    if (theme.gives > 0 && theme.gets > 0) {
      reason.kind = ReasonKind::kMutual;
    } else if (theme.gets > 0) {
      reason.kind = ReasonKind::kOffers;
    } else if (theme.gives > 0) {
      reason.kind = ReasonKind::kSeeks;
    }
    reasons.push_back(std::move(reason));
  }
  std::sort(reasons.begin(), reasons.end(),
            [](const MatchReason& x, const MatchReason& y) {
              if (x.contribution != y.contribution) {
                return x.contribution > y.contribution;
              }
              return x.theme < y.theme;
            });
  if (reasons.size() > kMaxReasons) reasons.resize(kMaxReasons);
  return reasons;
}

TextReason ReciprocalScorer::Text(const MatchIndex& index, size_t a, size_t b,
                                  const ScoreParts& parts,
                                  LatentText::TextLocator& text_a) const {
  ScoreFeatures latent;  // the latent part alone
  latent.latent = parts.latent;
  latent.penalty_factor = parts.penalty_factor;
  latent.texts_comparable = parts.texts_comparable;
  TextReason text;
  text.contribution = Combine(options_.weights, latent);
  if (text.contribution <= 0) return text;
  std::vector<std::string_view> names = index.OwnNames(a);
  const std::vector<std::string_view> b_names = index.OwnNames(b);
  names.insert(names.end(), b_names.begin(), b_names.end());
  LatentText::TextLocator text_b(index.latent(), b, index.at(b).profile.text);
  text.shared_terms = index.latent().SharedTerms(a, b, text_a, text_b, names,
                                                 kMaxSharedTerms);
  return text;
}

namespace {

// x_a · y_b for every row b, read through the columns of y where row a of x
// is not zero: a place names a few of the T themes, so a ranking reads a
// few contiguous columns instead of every one.
class ThemeDot {
 public:
  ThemeDot(const Eigen::MatrixXf& x, const Eigen::MatrixXf& y, size_t a) {
    for (Eigen::Index t = 0; t < x.cols(); ++t) {
      const float v = x(static_cast<Eigen::Index>(a), t);
      if (v != 0) terms_.emplace_back(v, y.col(t).data());
    }
  }
  // out[i] = x_a · y_(first + i) for i < count: SIMD over the contiguous
  // column blocks.
  void Fill(size_t first, size_t count, float* out) const {
    Eigen::Map<Eigen::VectorXf> sum(out, static_cast<Eigen::Index>(count));
    sum.setZero();
    for (const auto& [x, column] : terms_) {
      sum += x * Eigen::Map<const Eigen::VectorXf>(
                      column + first, static_cast<Eigen::Index>(count));
    }
  }

 private:
  std::vector<std::pair<float, const float*>> terms_;
};

// What the bounds of Rank allow for rounding: the theme parts are summed in
// another order there than in Parts, and a TF-IDF cosine of two
// L2-normalised float rows may pass 1 by a few ulps.
constexpr double kBoundMargin = 1e-5;

}  // namespace

std::vector<std::pair<size_t, double>> ReciprocalScorer::Rank(
    const MatchIndex& index, size_t a, size_t k) const {
  if (k == 0) return {};
  const ScoreWeights& w = options_.weights;
  const LatentText& latent = index.latent();
  const RowFacts& facts_a = index.facts(a);
  const ThemeDot shared(index.interest(), index.interest(), a);
  const ThemeDot gives(index.offer(), index.seek(), a);
  const ThemeDot gets(index.seek(), index.offer(), a);
  const LatentText::TermCosines term_cosine(latent, a);
  // A row is read in steps, each only while the row can still enter the
  // top k: Combine is monotone in the latent part (weights not negative),
  // so the themes with the largest latent part (1), then the themes with
  // the LSA cosine and the largest TF-IDF cosine (1), bound the score from
  // above. The hard rules come after the first bound, the TF-IDF cosine,
  // the dearest part, last.
  assert(w.latent >= 0);

  // Min-heap of the best k (score, row); lower row wins ties (id order).
  using Entry = std::pair<double, size_t>;
  // `better` orders the heap so that its top is the worst entry kept.
  auto better = [](const Entry& x, const Entry& y) {
    if (x.first != y.first) return x.first > y.first;
    return x.second < y.second;
  };
  std::priority_queue<Entry, std::vector<Entry>, decltype(better)> best(better);
  // The worst score kept once k are kept; until then every row is open.
  double worst_kept = -std::numeric_limits<double>::infinity();
  // Whether a row whose score is at most `bound` could still enter.
  auto open = [&](double bound) { return bound + kBoundMargin >= worst_kept; };
  // Rows a block at a time: the theme parts of the block, and the bound of
  // each row's score with the largest latent part (Combine is at most
  // max(1, penalty) · (themes + w_l): each feature is at most 1).
  constexpr size_t kBlock = 256;
  float shared_of[kBlock], gives_of[kBlock], gets_of[kBlock], bound_of[kBlock];
  double text_bound_of[kBlock];  // pass 2's bound
  float lsa_of[kBlock];
  std::vector<ScoreFeatures> features(kBlock);
  const auto ws = static_cast<float>(w.shared);
  const auto wr = static_cast<float>(w.reciprocal);
  const auto wo = static_cast<float>(w.one_sided);
  const auto wl = static_cast<float>(w.latent);
  const auto penalty_max =
      static_cast<float>(std::max(1.0, options_.rules.kind_mismatch_factor));
  for (size_t first = 0; first < index.size(); first += kBlock) {
    const size_t count = std::min(kBlock, index.size() - first);
    shared.Fill(first, count, shared_of);
    gives.Fill(first, count, gives_of);
    gets.Fill(first, count, gets_of);
    for (size_t i = 0; i < count; ++i) {
      const float sum = gives_of[i] + gets_of[i];
      const float harmonic =
          2 * gives_of[i] * gets_of[i] / std::max(sum, 1e-30f);
      bound_of[i] = penalty_max * (ws * shared_of[i] + wr * harmonic +
                                   wo * sum / 2 + wl);
    }
    // Three passes over the block, each over the rows the one before left
    // open, so that the scattered data of those rows is asked for together
    // one pass ahead: (1) the bound and the hard rules, (2) the LSA cosine
    // and the bound with the largest TF-IDF cosine, (3) the TF-IDF cosine
    // and the score.
    size_t next[kBlock];
    size_t opened = 0;
    for (size_t i = 0; i < count; ++i) {
      if (!open(bound_of[i])) continue;
      if (Excludes(index, a, first + i) != ExclusionRule::kNone) continue;
      next[opened++] = i;
      latent.Prefetch(first + i);
    }
    size_t left = 0;
    for (size_t j = 0; j < opened; ++j) {
      const size_t i = next[j];
      if (!open(bound_of[i])) continue;
      const size_t b = first + i;
      // The features of Parts (the theme parts summed in another order).
      ScoreFeatures& f = features[i];
      f = ScoreFeatures{};
      f.shared = shared_of[i];
      f.gives = gives_of[i];
      f.gets = gets_of[i];
      f.reciprocal = Harmonic(f.gives, f.gets);
      const RowFacts& facts_b = index.facts(b);
      f.texts_comparable = facts_b.language == facts_a.language;
      if (facts_a.city_like != facts_b.city_like) {
        f.penalty_factor = options_.rules.kind_mismatch_factor;
      }
      if (f.texts_comparable && w.latent != 0) {
        lsa_of[i] = latent.LsaCosine(a, b);
        f.latent = latent.SimilarityFrom(lsa_of[i], 1 + kBoundMargin);
        text_bound_of[i] = Combine(w, f);
        if (!open(text_bound_of[i])) continue;
        latent.PrefetchDocument(b);
      } else {
        text_bound_of[i] = Combine(w, f);  // the score itself
      }
      next[left++] = i;
    }
    constexpr size_t kAhead = 4;  // rows whose terms are asked for ahead
    for (size_t j = 0; j < left; ++j) {
      if (j + kAhead < left) latent.PrefetchTerms(first + next[j + kAhead]);
      const size_t i = next[j];
      if (!open(text_bound_of[i])) continue;
      const size_t b = first + i;
      ScoreFeatures& f = features[i];
      if (f.texts_comparable && w.latent != 0) {
        f.latent = latent.SimilarityFrom(lsa_of[i], term_cosine(b));
      }
      const double score = Combine(w, f);
      if (score <= 0) continue;
      if (best.size() < k) {
        best.emplace(score, b);
      } else if (better(Entry{score, b}, best.top())) {
        best.pop();
        best.emplace(score, b);
      } else {
        continue;
      }
      if (best.size() == k) worst_kept = best.top().first;
    }
  }
  std::vector<std::pair<size_t, double>> out(best.size());
  for (size_t i = out.size(); i-- > 0; best.pop()) {
    out[i] = {best.top().second, best.top().first};
  }
  return out;
}

std::vector<PartnerSuggestion> ReciprocalScorer::Details(
    const MatchIndex& index, size_t a,
    const std::vector<size_t>& partners) const {
  LatentText::TextLocator text_a(index.latent(), a, index.at(a).profile.text);
  std::vector<PartnerSuggestion> out;
  out.reserve(partners.size());
  for (size_t b : partners) {
    PartnerSuggestion& d = out.emplace_back();
    d.partner = b;
    d.parts = Parts(index, a, b, &d.penalties);
    d.reasons = Reasons(index, a, b);
    d.text = Text(index, a, b, d.parts, text_a);
  }
  return out;
}

absl::StatusOr<std::vector<PartnerSuggestion>> ReciprocalScorer::Suggest(
    const MatchIndex& index, std::string_view id, int k) const {
  if (k < 1 || k > kMaxK) {
    return absl::InvalidArgumentError(
        absl::StrCat("k must be between 1 and ", kMaxK, ", got ", k));
  }
  auto row = index.Row(id);
  if (!row.ok()) return row.status();
  const auto ranked = Rank(index, *row, static_cast<size_t>(k));
  std::vector<size_t> partners;
  for (const auto& [b, score] : ranked) partners.push_back(b);
  for (size_t b :
       WeakFill(index, *row, static_cast<size_t>(k) - ranked.size(), ranked)) {
    partners.push_back(b);
  }
  std::vector<PartnerSuggestion> out = Details(index, *row, partners);
  for (PartnerSuggestion& s : out) s.weak = s.parts.score < kWeakScore;
  return out;
}

std::vector<size_t> ReciprocalScorer::WeakFill(
    const MatchIndex& index, size_t a, size_t count,
    const std::vector<std::pair<size_t, double>>& ranked) const {
  if (count == 0) return {};
  std::vector<bool> taken(index.size(), false);
  for (const auto& [b, score] : ranked) taken[b] = true;
  std::vector<size_t> rest;
  for (size_t b = 0; b < index.size(); ++b) {
    if (!taken[b] && Excludes(index, a, b) == ExclusionRule::kNone) {
      rest.push_back(b);
    }
  }
  return RankWeak(index, a, rest, count);
}

std::vector<size_t> ReciprocalScorer::RankWeak(
    const MatchIndex& index, size_t a, const std::vector<size_t>& candidates,
    size_t count) const {
  const bool city_a = index.facts(a).city_like;
  const LatentText& latent = index.latent();
  const auto ia = static_cast<Eigen::Index>(a);
  // (same kind, LSA cosine, row) of every candidate.
  std::vector<std::tuple<bool, float, size_t>> rest;
  for (size_t b : candidates) {
    const float text =
        latent.rank() > 0
            ? latent.embeddings().row(ia).dot(
                  latent.embeddings().row(static_cast<Eigen::Index>(b)))
            : 0.0f;
    rest.emplace_back(city_a == index.facts(b).city_like, text, b);
  }
  const size_t keep = std::min(count, rest.size());
  std::partial_sort(rest.begin(), rest.begin() + static_cast<long>(keep),
                    rest.end(), [](const auto& x, const auto& y) {
                      if (std::get<0>(x) != std::get<0>(y)) return std::get<0>(x);
                      if (std::get<1>(x) != std::get<1>(y)) {
                        return std::get<1>(x) > std::get<1>(y);
                      }
                      return std::get<2>(x) < std::get<2>(y);
                    });
  std::vector<size_t> out;
  for (size_t i = 0; i < keep; ++i) out.push_back(std::get<2>(rest[i]));
  return out;
}

std::vector<std::pair<size_t, PartnerSuggestion>>
ReciprocalScorer::StrongestPairs(const MatchIndex& index, size_t m) const {
  // Every profile's best partner, ranked without reasons; each pair once:
  // from its lower row, or from b when b's own best partner is someone else.
  std::vector<std::optional<std::pair<size_t, double>>> best(index.size());
  for (size_t a = 0; a < index.size(); ++a) {
    const auto top = Rank(index, a, 1);
    if (!top.empty()) best[a] = top.front();
  }
  std::vector<std::pair<size_t, PartnerSuggestion>> pairs;
  for (size_t a = 0; a < index.size(); ++a) {
    if (!best[a]) continue;
    const size_t b = best[a]->first;
    if (b < a && best[b] && best[b]->first == a) continue;
    pairs.emplace_back(a, PartnerSuggestion{});
    pairs.back().second.partner = b;
    pairs.back().second.parts.score = best[a]->second;
  }
  std::sort(pairs.begin(), pairs.end(), [](const auto& x, const auto& y) {
    if (x.second.parts.score != y.second.parts.score) {
      return x.second.parts.score > y.second.parts.score;
    }
    return x.first < y.first;
  });
  if (pairs.size() > m) pairs.resize(m);
  for (auto& [a, suggestion] : pairs) {
    suggestion = std::move(Details(index, a, {suggestion.partner}).front());
  }
  return pairs;
}

absl::StatusOr<PairExplanation> ReciprocalScorer::Explain(
    const MatchIndex& index, std::string_view a_id,
    std::string_view b_id) const {
  auto a = index.Row(a_id);
  if (!a.ok()) return a.status();
  auto b = index.Row(b_id);
  if (!b.ok()) return b.status();
  if (*a == *b) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot explain a match of '", std::string(a_id), "' with itself"));
  }
  PairExplanation out;
  out.parts = Parts(index, *a, *b, &out.penalties);
  out.reasons = Reasons(index, *a, *b);
  LatentText::TextLocator text_a(index.latent(), *a, index.at(*a).profile.text);
  out.text = Text(index, *a, *b, out.parts, text_a);
  out.exclusion = Exclusion(index, *a, *b);
  return out;
}

}  // namespace pm
