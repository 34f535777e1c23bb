// Keyword baselines of match_quality, over the same texts the engine reads:
// a plain TF-IDF cosine and Okapi BM25. Terms are pm::TextAnalyzer stems;
// nothing is tuned (BM25 takes the textbook k1 = 1.2, b = 0.75).
#ifndef PARTNER_MATCH_BENCHMARKS_TEXT_BASELINES_H_
#define PARTNER_MATCH_BENCHMARKS_TEXT_BASELINES_H_

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "engine/matching/match_index.h"

namespace pm {

// tf · ln(n / df) over stemmed words, rows L2-normalised; Score = cosine.
class TfIdfBaseline {
 public:
  explicit TfIdfBaseline(const MatchIndex& index);
  double Score(size_t a, size_t b) const;

 private:
  std::vector<std::map<std::string, double>> vectors_;
};

// BM25(query = text of a, document = text of b) with
// idf = ln(1 + (n − df + 0.5) / (df + 0.5)), the query's distinct terms.
class Bm25Baseline {
 public:
  explicit Bm25Baseline(const MatchIndex& index, double k1 = 1.2,
                        double b = 0.75);
  double Score(size_t a, size_t b) const;

 private:
  double k1_, b_, average_length_ = 0;
  std::vector<std::map<std::string, double>> tf_;
  std::vector<double> length_;
  std::map<std::string, double> idf_;
};

}  // namespace pm

#endif  // PARTNER_MATCH_BENCHMARKS_TEXT_BASELINES_H_
