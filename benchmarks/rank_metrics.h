// Ranking figures of match_quality: the rank of a query's best real partner,
// MRR and hit@k, and bootstrap intervals over the pairing graph's components.
#ifndef PARTNER_MATCH_BENCHMARKS_RANK_METRICS_H_
#define PARTNER_MATCH_BENCHMARKS_RANK_METRICS_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "benchmarks/eval_set.h"
#include "engine/matching/match_index.h"

namespace pm {

// The rank of the best-ranked real partner of query `q` when all profiles of
// the other side are ranked by score(q.row, b), best first; ties take their
// mean position (a method that scores many profiles equal gains nothing from
// the order they happen to be in).
double BestRank(const MatchIndex& index, const Query& q,
                const std::function<double(size_t, size_t)>& score);

// Mean reciprocal rank, hit@1/5/10 of a list of ranks.
struct Figures {
  double mrr = 0, hit1 = 0, hit5 = 0, hit10 = 0;
  size_t queries = 0;
  static Figures Of(const std::vector<double>& ranks);
};

// A 95% percentile interval.
struct Interval {
  double low = 0, high = 0;
};

// Bootstrap intervals of MRR and hit@5 of `ranks` (ranks[i] is query i's):
// `samples` resamplings of the components of the pairing graph with
// replacement (queries of one component move together, as they are not
// independent), from a fixed seed.
struct BootstrapIntervals {
  Interval mrr, hit5;
};
BootstrapIntervals Bootstrap(const std::vector<Query>& queries,
                             const std::vector<double>& ranks,
                             int samples = 2000, uint32_t seed = 20240901);

// The interval of MRR(a) − MRR(b) over the same resamplings: the gain of one
// method over another on the same queries.
Interval BootstrapDifference(const std::vector<Query>& queries,
                             const std::vector<double>& a,
                             const std::vector<double>& b,
                             int samples = 2000, uint32_t seed = 20240901);

}  // namespace pm

#endif  // PARTNER_MATCH_BENCHMARKS_RANK_METRICS_H_
