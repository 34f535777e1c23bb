#include "engine/planning/candidate_graph.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <utility>

#include "absl/strings/str_cat.h"
#include "engine/common/cancellation.h"
#include "engine/common/status_macros.h"
#include "engine/planning/cohort_pairs.h"
#include "engine/common/parallel_for.h"
#include "engine/similarity/exact_knn.h"

namespace pm {
namespace {

using RowMajor =
    Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// The tie-spreading component: kSpreadDims values in [−kSpread, kSpread]
// fixed by the member's row, so that two members' components change their
// inner product by at most kSpreadDims·kSpread² = 2·10⁻⁴.
constexpr int kSpreadDims = 8;
constexpr float kSpread = 0.005f;

float SpreadValue(uint64_t row, int dim) {
  uint64_t z = row * 0x9E3779B97F4A7C15ull + static_cast<uint64_t>(dim + 1) *
                                                 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z ^= z >> 31;
  return kSpread * (static_cast<float>(z >> 40) / 8388608.0f - 1.0f);
}

// The members' rows of the bound (file comment): `swap` puts seek before
// offer (the partner-country side's y). Without `complement` only the
// similarity part: [√w_s·interest, √(w_l·s)·lsa].
RowMajor BoundRows(const CohortPairs& pairs, const std::vector<size_t>& members,
                   bool complement, bool swap) {
  const MatchIndex& index = pairs.index();
  const ScoreWeights& w = pairs.scorer().options().weights;
  const LatentText& latent = index.latent();
  const Eigen::Index t = index.interest().cols();
  const Eigen::Index r = w.latent > 0 ? latent.rank() : 0;
  const Eigen::Index d = t * (complement ? 3 : 1) + r + kSpreadDims;
  const float ws = static_cast<float>(std::sqrt(w.shared));
  const float c =
      static_cast<float>(std::sqrt((w.reciprocal + w.one_sided) / 2));
  const float wl =
      static_cast<float>(std::sqrt(w.latent * latent.options().lsa_share));
  RowMajor out(static_cast<Eigen::Index>(members.size()), d);
  for (size_t i = 0; i < members.size(); ++i) {
    const auto ii = static_cast<Eigen::Index>(i);
    const auto row = static_cast<Eigen::Index>(pairs.row(members[i]));
    Eigen::Index at = 0;
    out.row(ii).segment(at, t) = ws * index.interest().row(row);
    at += t;
    if (complement) {
      out.row(ii).segment(at, t) =
          c * (swap ? index.seek() : index.offer()).row(row);
      out.row(ii).segment(at + t, t) =
          c * (swap ? index.offer() : index.seek()).row(row);
      at += 2 * t;
    }
    if (r > 0) out.row(ii).segment(at, r) = wl * latent.embeddings().row(row);
    at += r;
    for (int q = 0; q < kSpreadDims; ++q) {
      out(ii, at + q) = SpreadValue(pairs.row(members[i]), q);
    }
  }
  return out;
}

// Each member's retrieved candidates (member numbers, in the bound's
// order), rescored by `exact` (symmetric; < 0: not eligible), the best
// `keep` kept. A pair on both members' lists is scored once, by its lower
// member, and read back by the other. Once `cancel` fires the remaining
// members are left without candidates.
template <typename Exact>
std::vector<std::vector<Candidate>> Rescore(
    const std::vector<std::vector<size_t>>& retrieved, size_t keep,
    const CancellationToken& cancel, const Exact& exact) {
  const size_t n = retrieved.size();
  // Where member a is on b's list, or -1.
  auto position = [&](size_t a, size_t b) -> long {
    const auto it = std::find(retrieved[b].begin(), retrieved[b].end(), a);
    return it == retrieved[b].end() ? -1 : it - retrieved[b].begin();
  };
  std::atomic<bool> stop{false};
  auto go_on = [&](size_t m) {
    if (m % 16 == 0 && cancel.Cancelled()) stop = true;
    return !stop;
  };
  // scores[m][rank]: the score of m with retrieved[m][rank], for the pairs
  // m scores; there[m][rank]: for a lower other member, where m is on its
  // list (-1: not), found once for both passes.
  std::vector<std::vector<double>> scores(n);
  std::vector<std::vector<long>> there(n);
  ParallelFor(n, [&](size_t m) {
    if (!go_on(m)) return;
    scores[m].assign(retrieved[m].size(), 0);
    there[m].assign(retrieved[m].size(), -1);
    for (size_t rank = 0; rank < retrieved[m].size(); ++rank) {
      const size_t other = retrieved[m][rank];
      if (other < m) there[m][rank] = position(m, other);
      if (there[m][rank] < 0) scores[m][rank] = exact(m, other);
    }
  });
  std::vector<std::vector<Candidate>> out(n);
  ParallelFor(n, [&](size_t m) {
    if (!go_on(m)) return;
    std::vector<std::pair<size_t, Candidate>> scored;  // (bound rank, c)
    for (size_t rank = 0; rank < retrieved[m].size(); ++rank) {
      const size_t other = retrieved[m][rank];
      const long at = there[m][rank];
      const double s = at >= 0 ? scores[other][static_cast<size_t>(at)]
                               : scores[m][rank];
      if (s > 0) scored.push_back({rank, {other, s}});
    }
    std::stable_sort(scored.begin(), scored.end(),
                     [](const auto& x, const auto& y) {
                       return x.second.score > y.second.score;
                     });
    if (scored.size() > keep) scored.resize(keep);
    for (const auto& [rank, c] : scored) out[m].push_back(c);
  });
  return out;
}

// For the members `left` and `right` (member numbers), the k best of the
// other set by the rows' inner product, as lists of member numbers indexed
// by member number (members in neither set get none).
absl::Status Retrieve(const RowMajor& x, const std::vector<size_t>& left,
                      const RowMajor& y, const std::vector<size_t>& right,
                      size_t k, std::vector<std::vector<size_t>>* out) {
  ExactKnnOptions options;
  options.k = static_cast<int>(k);
  absl::StatusOr<KnnGraph> knn = ExactKnnBipartite(
      x.data(), left.size(), y.data(), right.size(),
      static_cast<size_t>(x.cols()), options);
  if (!knn.ok()) {
    return absl::InternalError(
        absl::StrCat("candidate graph: ", knn.status().message()));
  }
  const size_t nl = left.size();
  for (size_t i = 0; i < knn->n; ++i) {
    const size_t m = i < nl ? left[i] : right[i - nl];
    for (size_t r = 0; r < knn->k; ++r) {
      const size_t j = knn->neighbour(i, r);
      (*out)[m].push_back(i < nl ? right[j - nl] : left[j]);
    }
  }
  // ExactKnnBipartite gives every row min(k, nl, nr) neighbours: when one
  // side has fewer than k members, its members' lists of the other side
  // are cut to that size. They are few (< k): scored against the whole
  // other side directly.
  const bool left_small = left.size() < right.size();
  const std::vector<size_t>& small = left_small ? left : right;
  const std::vector<size_t>& large = left_small ? right : left;
  if (small.size() >= k || large.size() <= small.size()) {
    return absl::OkStatus();
  }
  const RowMajor& xs = left_small ? x : y;
  const RowMajor& xl = left_small ? y : x;
  const size_t keep = std::min(k, large.size());
  for (size_t i = 0; i < small.size(); ++i) {
    const Eigen::VectorXf scores =
        xl * xs.row(static_cast<Eigen::Index>(i)).transpose();
    std::vector<size_t> order(large.size());
    for (size_t j = 0; j < order.size(); ++j) order[j] = j;
    std::partial_sort(order.begin(), order.begin() + static_cast<long>(keep),
                      order.end(), [&](size_t a, size_t b) {
                        const float sa = scores[static_cast<Eigen::Index>(a)];
                        const float sb = scores[static_cast<Eigen::Index>(b)];
                        return sa != sb ? sa > sb : a < b;
                      });
    auto& list = (*out)[small[i]];
    list.clear();
    for (size_t r = 0; r < keep; ++r) list.push_back(large[order[r]]);
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<CandidateGraph> BuildCandidateGraph(const CohortPairs& pairs,
                                                   bool with_peers) {
  std::vector<size_t> eu, partner;
  for (size_t m = 0; m < pairs.size(); ++m) {
    (pairs.eu(m) ? eu : partner).push_back(m);
  }
  CandidateGraph graph;
  const size_t small = std::min(eu.size(), partner.size());
  const size_t large = std::max(eu.size(), partner.size());
  graph.k =
      small == 0
          ? 0
          : std::min(
                CandidateGraph::kMaxCandidates,
                (CandidateGraph::kBaseCandidates * large + small - 1) / small);
  std::vector<std::vector<size_t>> retrieved(pairs.size());
  if (graph.k > 0) {
    absl::Status s = Retrieve(BoundRows(pairs, eu, true, false), eu,
                              BoundRows(pairs, partner, true, true), partner,
                              CandidateGraph::kRetrieve * graph.k, &retrieved);
    if (!s.ok()) return s;
  }
  const CancellationToken& cancel = pairs.options().cancel;
  graph.partners = Rescore(retrieved, graph.k, cancel, [&](size_t a, size_t b) {
    const CohortPairs::Link l = pairs.link(a, b);
    return l.kind == CohortPairs::Link::kPartners ? l.score : -1.0;
  });
  graph.peers.resize(pairs.size());
  if (!with_peers) return graph;
  PM_RETURN_IF_ERROR(cancel.Check());
  for (auto& list : retrieved) list.clear();
  for (const std::vector<size_t>* side : {&eu, &partner}) {
    if (side->size() < 2) continue;
    const RowMajor x = BoundRows(pairs, *side, false, false);
    ExactKnnOptions options;
    options.k =
        static_cast<int>(CandidateGraph::kRetrieve * CandidateGraph::kPeers);
    absl::StatusOr<KnnGraph> knn = ExactKnn(
        x.data(), side->size(), static_cast<size_t>(x.cols()), options);
    if (!knn.ok()) {
      return absl::InternalError(
          absl::StrCat("candidate graph: ", knn.status().message()));
    }
    for (size_t i = 0; i < knn->n; ++i) {
      for (size_t r = 0; r < knn->k; ++r) {
        retrieved[(*side)[i]].push_back((*side)[knn->neighbour(i, r)]);
      }
    }
  }
  graph.peers = Rescore(
      retrieved, CandidateGraph::kPeers, cancel, [&](size_t a, size_t b) {
        const CohortPairs::Link l = pairs.link(a, b);
        return l.kind == CohortPairs::Link::kSameSide ? l.score : -1.0;
      });
  return graph;
}

}  // namespace pm
