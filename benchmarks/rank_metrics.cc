#include "benchmarks/rank_metrics.h"

#include <algorithm>
#include <map>
#include <random>

namespace pm {
namespace {

// The queries of each component, by component index.
std::vector<std::vector<size_t>> ByComponent(const std::vector<Query>& queries) {
  std::map<int, std::vector<size_t>> groups;
  for (size_t i = 0; i < queries.size(); ++i) {
    groups[queries[i].component].push_back(i);
  }
  std::vector<std::vector<size_t>> out;
  for (auto& [c, members] : groups) out.push_back(std::move(members));
  return out;
}

Interval Percentiles(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const auto at = [&](double p) {
    const size_t i = static_cast<size_t>(p * (values.size() - 1) + 0.5);
    return values[std::min(i, values.size() - 1)];
  };
  return Interval{at(0.025), at(0.975)};
}

// `samples` resamplings of the components; `stat` receives the resampled
// query indexes and returns the statistic.
template <typename Stat>
std::vector<double> Resample(const std::vector<Query>& queries, int samples,
                             uint32_t seed, Stat stat) {
  const auto groups = ByComponent(queries);
  std::mt19937 rng(seed);
  std::vector<double> out;
  std::vector<size_t> picked;
  for (int s = 0; s < samples; ++s) {
    picked.clear();
    for (size_t g = 0; g < groups.size(); ++g) {
      const auto& group = groups[rng() % groups.size()];
      picked.insert(picked.end(), group.begin(), group.end());
    }
    out.push_back(stat(picked));
  }
  return out;
}

}  // namespace

double BestRank(const MatchIndex& index, const Query& q,
                const std::function<double(size_t, size_t)>& score) {
  std::vector<double> scores;
  std::vector<bool> is_real;
  const bool side = index.at(q.row).eu_member;
  for (size_t b = 0; b < index.size(); ++b) {
    if (index.at(b).eu_member == side) continue;
    scores.push_back(score(q.row, b));
    is_real.push_back(q.real.count(index.at(b).profile.id) > 0);
  }
  double best = 1e9;
  for (size_t i = 0; i < scores.size(); ++i) {
    if (!is_real[i]) continue;
    double better = 0, ties = 0;
    for (size_t j = 0; j < scores.size(); ++j) {
      if (j == i) continue;
      if (scores[j] > scores[i]) {
        better += 1;
      } else if (scores[j] == scores[i]) {
        ties += 1;
      }
    }
    best = std::min(best, 1 + better + ties / 2);
  }
  return best;
}

Figures Figures::Of(const std::vector<double>& ranks) {
  Figures f;
  for (double r : ranks) {
    f.mrr += 1 / r;
    f.hit1 += r <= 1;
    f.hit5 += r <= 5;
    f.hit10 += r <= 10;
  }
  f.queries = ranks.size();
  if (!ranks.empty()) {
    const double n = static_cast<double>(ranks.size());
    f.mrr /= n;
    f.hit1 /= n;
    f.hit5 /= n;
    f.hit10 /= n;
  }
  return f;
}

BootstrapIntervals Bootstrap(const std::vector<Query>& queries,
                             const std::vector<double>& ranks, int samples,
                             uint32_t seed) {
  std::vector<double> mrr, hit5;
  Resample(queries, samples, seed, [&](const std::vector<size_t>& picked) {
    double m = 0, h = 0;
    for (size_t i : picked) {
      m += 1 / ranks[i];
      h += ranks[i] <= 5;
    }
    mrr.push_back(m / picked.size());
    hit5.push_back(h / picked.size());
    return 0.0;
  });
  return BootstrapIntervals{Percentiles(mrr), Percentiles(hit5)};
}

Interval BootstrapDifference(const std::vector<Query>& queries,
                             const std::vector<double>& a,
                             const std::vector<double>& b, int samples,
                             uint32_t seed) {
  return Percentiles(
      Resample(queries, samples, seed, [&](const std::vector<size_t>& picked) {
        double d = 0;
        for (size_t i : picked) d += 1 / a[i] - 1 / b[i];
        return d / picked.size();
      }));
}

}  // namespace pm
