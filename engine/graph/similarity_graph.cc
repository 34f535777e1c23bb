#include "engine/graph/similarity_graph.h"

#include <Eigen/Core>
#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "engine/common/status_macros.h"
#include "engine/similarity/exact_knn.h"

namespace pm {
namespace {

absl::Status CheckCohort(const MatchIndex& index,
                         const std::vector<size_t>& rows,
                         const SimilarityGraphOptions& options) {
  if (options.neighbours < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "neighbours must be at least 1, got ", options.neighbours));
  }
  if (!(options.min_similarity >= 0 && options.min_similarity <= 1)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "min_similarity must be in [0, 1], got ", options.min_similarity));
  }
  if (!(options.latent_weight >= 0 && options.latent_weight <= 1)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "latent_weight must be in [0, 1], got ", options.latent_weight));
  }
  if (options.latent_weight > 0 && rows.size() > kMaxLatentClusterCohort) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "a cohort of ", rows.size(), " places is over the limit of ",
        kMaxLatentClusterCohort,
        " for clusters and graphs with a latent weight (without one there "
        "is no limit)"));
  }
  std::vector<bool> seen(index.size(), false);
  for (size_t i = 0; i < rows.size(); ++i) {
    if (rows[i] >= index.size()) {
      return absl::InvalidArgumentError(
          absl::StrCat("rows[", i, "]: no row ", rows[i], " in an index of ",
                       index.size(), " profiles"));
    }
    if (seen[rows[i]]) {
      return absl::InvalidArgumentError(
          absl::StrCat("rows[", i, "]: row ", rows[i], " ('",
                       index.at(rows[i]).profile.id, "') is repeated"));
    }
    seen[rows[i]] = true;
  }
  return absl::OkStatus();
}

// With a latent weight w, sims[j] ← (1 − w)·sims[j] + w·latent(i, j) for the
// cohort `rows` (ascending) and cohort position i; texts in two languages
// keep their themes' cosine.
void BlendLatent(const MatchIndex& index, const std::vector<size_t>& rows,
                 size_t i, double w, Eigen::VectorXf& sims) {
  if (w <= 0) return;
  const Eigen::VectorXf latent = index.latent().SimilarityToAll(rows[i]);
  const Language language = index.at(rows[i]).extraction.language;
  for (size_t j = 0; j < rows.size(); ++j) {
    const auto jj = static_cast<Eigen::Index>(j);
    if (index.at(rows[j]).extraction.language != language) continue;
    sims[jj] = static_cast<float>(
        (1 - w) * std::clamp(sims[jj], 0.0f, 1.0f) +
        w * std::clamp(latent[static_cast<Eigen::Index>(rows[j])], 0.0f, 1.0f));
  }
}

// The cohort positions of the `neighbours` largest similarities in `sims`
// (similarity ≥ min_similarity and > 0, position i itself left out; ties to
// the lower position).
std::vector<size_t> Nearest(const Eigen::VectorXf& sims, size_t i,
                            const SimilarityGraphOptions& options) {
  std::vector<size_t> candidates;
  for (size_t j = 0; j < static_cast<size_t>(sims.size()); ++j) {
    const float s = sims[static_cast<Eigen::Index>(j)];
    if (j != i && s > 0 && s >= options.min_similarity) candidates.push_back(j);
  }
  const size_t k = static_cast<size_t>(options.neighbours);
  if (candidates.size() > k) {
    std::nth_element(candidates.begin(), candidates.begin() + (k - 1),
                     candidates.end(), [&](size_t x, size_t y) {
                       const float sx = sims[static_cast<Eigen::Index>(x)];
                       const float sy = sims[static_cast<Eigen::Index>(y)];
                       if (sx != sy) return sx > sy;
                       return x < y;
                     });
    candidates.resize(k);
  }
  return candidates;
}

}  // namespace

double ThematicSimilarity(const MatchIndex& index, size_t a, size_t b,
                          double latent_weight) {
  double s = index.interest()
                 .row(static_cast<Eigen::Index>(a))
                 .cast<double>()
                 .dot(index.interest()
                          .row(static_cast<Eigen::Index>(b))
                          .cast<double>());
  s = std::clamp(s, 0.0, 1.0);
  if (latent_weight > 0 &&
      index.at(a).extraction.language == index.at(b).extraction.language) {
    s = (1 - latent_weight) * s +
        latent_weight * std::clamp(index.latent().Similarity(a, b), 0.0, 1.0);
  }
  return s;
}

absl::StatusOr<SimilarityGraph> BuildSimilarityGraph(
    const MatchIndex& index, const std::vector<size_t>& rows,
    const SimilarityGraphOptions& options) {
  if (absl::Status s = CheckCohort(index, rows, options); !s.ok()) return s;
  SimilarityGraph graph;
  graph.rows = rows;
  std::sort(graph.rows.begin(), graph.rows.end());
  const size_t m = graph.rows.size();
  // The cohort's interest rows (m × T), gathered once.
  Eigen::MatrixXf cohort(static_cast<Eigen::Index>(m), index.interest().cols());
  for (size_t i = 0; i < m; ++i) {
    cohort.row(static_cast<Eigen::Index>(i)) =
        index.interest().row(static_cast<Eigen::Index>(graph.rows[i]));
  }
  std::vector<std::pair<size_t, size_t>> links;  // cohort positions, i < j
  if (options.latent_weight > 0) {
    Eigen::VectorXf sims(static_cast<Eigen::Index>(m));
    for (size_t i = 0; i < m; ++i) {
      // One row of similarities at a time: an m-vector, never m × m.
      sims.noalias() =
          cohort * cohort.row(static_cast<Eigen::Index>(i)).transpose();
      BlendLatent(index, graph.rows, i, options.latent_weight, sims);
      for (size_t j : Nearest(sims, i, options)) {
        links.emplace_back(std::min(i, j), std::max(i, j));
      }
    }
  } else {
    // The cosine of interest rows is their inner product: the exact
    // all-pairs top-k, then the threshold (a top-k filtered by score is the
    // top-k of what passes it).
    ExactKnnOptions knn;
    knn.k = options.neighbours;
    const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>
        rowmajor = cohort;
    PM_ASSIGN_OR_RETURN(
        KnnGraph nearest,
        ExactKnn(rowmajor.data(), m, static_cast<size_t>(cohort.cols()), knn));
    for (size_t i = 0; i < m; ++i) {
      for (size_t r = 0; r < nearest.k; ++r) {
        const float s = nearest.score(i, r);
        if (!(s > 0 && s >= options.min_similarity)) break;
        const size_t j = nearest.neighbour(i, r);
        links.emplace_back(std::min(i, j), std::max(i, j));
      }
    }
  }
  std::sort(links.begin(), links.end());
  links.erase(std::unique(links.begin(), links.end()), links.end());
  graph.edges.reserve(links.size());
  for (const auto& [i, j] : links) {
    const size_t a = graph.rows[i], b = graph.rows[j];
    graph.edges.push_back(
        {a, b, ThematicSimilarity(index, a, b, options.latent_weight)});
  }
  return graph;
}

}  // namespace pm
