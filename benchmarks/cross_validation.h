// Out-of-fold evaluation of match_quality: every tunable of a method (score
// weights, latent-text options, anything chosen by looking at pairings) is
// chosen on the training folds only, from a small grid, and applied to the
// test fold. Folds hold whole components of the pairing graph (EvalSet).
#ifndef PARTNER_MATCH_BENCHMARKS_CROSS_VALIDATION_H_
#define PARTNER_MATCH_BENCHMARKS_CROSS_VALIDATION_H_

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "benchmarks/eval_set.h"
#include "engine/extraction/theme_extractor.h"
#include "engine/matching/match_index.h"
#include "engine/matching/reciprocal_scorer.h"

namespace pm {

// A method and the grid its tunables are chosen from: every pair of an
// index setting and a score setting. The first point of the grid is the
// method's default (it wins ties).
struct Method {
  std::string name;
  std::vector<IndexOptions> indexes;
  std::vector<ScoreOptions> scores;
  size_t size() const { return indexes.size() * scores.size(); }
};

// Indexes of the eval profiles, one per distinct IndexOptions, built once.
class IndexCache {
 public:
  IndexCache(std::vector<Profile> profiles,
             std::shared_ptr<const ThemeExtractor> extractor)
      : profiles_(std::move(profiles)), extractor_(std::move(extractor)) {}
  const MatchIndex& Get(const IndexOptions& options);

 private:
  std::vector<Profile> profiles_;
  std::shared_ptr<const ThemeExtractor> extractor_;
  std::map<std::string, std::shared_ptr<const MatchIndex>> built_;
};

// The tunables of a setting, for the report ("latent 0.50, lsa 0.50 ...").
std::string Describe(const IndexOptions& index, const ScoreOptions& score);

struct OutOfFold {
  // Per query: the rank under the grid point chosen on the other folds.
  std::vector<double> ranks;
  // Per fold: the grid point chosen on its training folds (index < size():
  // index setting = point / scores.size(), score setting = point % ...).
  std::vector<size_t> chosen;
  // In-sample references: the default point and the point best on all
  // queries (an optimistic figure: it has seen the test queries).
  std::vector<double> default_ranks;
  std::vector<double> best_ranks;
  size_t best = 0;
};

// Cross-validates `method` over `queries` (folds as assigned in them).
OutOfFold CrossValidate(const Method& method, const std::vector<Query>& queries,
                        int folds, IndexCache& cache);

}  // namespace pm

#endif  // PARTNER_MATCH_BENCHMARKS_CROSS_VALIDATION_H_
