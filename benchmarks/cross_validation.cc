#include "benchmarks/cross_validation.h"

#include "absl/strings/str_format.h"
#include "benchmarks/rank_metrics.h"
#include "engine/geo/gazetteer.h"

namespace pm {
namespace {

std::string IndexKey(const IndexOptions& o) {
  const LatentTextOptions& l = o.latent;
  return absl::StrFormat("lsa %.2f, rank %.2f, stated %.1f, bigrams %d",
                         l.lsa_share, l.rank_share, l.stated_weight,
                         l.bigrams ? 1 : 0);
}

// MRR over the queries whose fold `use` accepts.
template <typename Use>
double Mrr(const std::vector<double>& ranks, const std::vector<Query>& queries,
           Use use) {
  double sum = 0;
  int n = 0;
  for (size_t i = 0; i < ranks.size(); ++i) {
    if (!use(queries[i].fold)) continue;
    sum += 1 / ranks[i];
    ++n;
  }
  return n > 0 ? sum / n : 0;
}

// The grid point with the best MRR on the folds `use` accepts; the first on
// ties (within 1e-12).
template <typename Use>
size_t Choose(const std::vector<std::vector<double>>& ranks,
              const std::vector<Query>& queries, Use use) {
  size_t best = 0;
  double best_mrr = -1;
  for (size_t p = 0; p < ranks.size(); ++p) {
    const double mrr = Mrr(ranks[p], queries, use);
    if (mrr > best_mrr + 1e-12) {
      best_mrr = mrr;
      best = p;
    }
  }
  return best;
}

}  // namespace

const MatchIndex& IndexCache::Get(const IndexOptions& options) {
  auto& slot = built_[IndexKey(options)];
  if (!slot) {
    slot = MatchIndex::Build(profiles_, extractor_, Gazetteer::Bundled(),
                             nullptr, {}, options);
  }
  return *slot;
}

std::string Describe(const IndexOptions& index, const ScoreOptions& score) {
  const ScoreWeights& w = score.weights;
  return absl::StrFormat("weights shared %.3f recip %.3f one-sided %.3f "
                         "latent %.3f; %s",
                         w.shared, w.reciprocal, w.one_sided, w.latent,
                         IndexKey(index));
}

OutOfFold CrossValidate(const Method& method, const std::vector<Query>& queries,
                        int folds, IndexCache& cache) {
  // Ranks of every query at every grid point.
  std::vector<std::vector<double>> ranks;
  for (const IndexOptions& index_options : method.indexes) {
    const MatchIndex& index = cache.Get(index_options);
    for (const ScoreOptions& score_options : method.scores) {
      const ReciprocalScorer scorer(score_options);
      std::vector<double>& r = ranks.emplace_back();
      for (const Query& q : queries) {
        r.push_back(BestRank(index, q, [&](size_t a, size_t b) {
          return scorer.Score(index, a, b).score;
        }));
      }
    }
  }
  OutOfFold out;
  out.ranks.assign(queries.size(), 0);
  for (int f = 0; f < folds; ++f) {
    const size_t p = Choose(ranks, queries, [f](int fold) { return fold != f; });
    out.chosen.push_back(p);
    for (size_t i = 0; i < queries.size(); ++i) {
      if (queries[i].fold == f) out.ranks[i] = ranks[p][i];
    }
  }
  out.default_ranks = ranks.front();
  out.best = Choose(ranks, queries, [](int) { return true; });
  out.best_ranks = ranks[out.best];
  return out;
}

}  // namespace pm
