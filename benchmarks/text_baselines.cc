#include "benchmarks/text_baselines.h"

#include <cmath>

#include "engine/text/text_analyzer.h"

namespace pm {
namespace {

// Stem counts of every profile's text.
std::vector<std::map<std::string, double>> TermCounts(const MatchIndex& index) {
  std::vector<std::map<std::string, double>> tf(index.size());
  for (size_t i = 0; i < index.size(); ++i) {
    for (const Token& t : TextAnalyzer::Analyze(index.at(i).profile.text).tokens) {
      if (t.stem != "-") tf[i][t.stem] += 1;
    }
  }
  return tf;
}

std::map<std::string, int> DocumentFrequencies(
    const std::vector<std::map<std::string, double>>& tf) {
  std::map<std::string, int> df;
  for (const auto& doc : tf) {
    for (const auto& [term, count] : doc) df[term]++;
  }
  return df;
}

}  // namespace

TfIdfBaseline::TfIdfBaseline(const MatchIndex& index) {
  const auto tf = TermCounts(index);
  const auto df = DocumentFrequencies(tf);
  const double n = static_cast<double>(index.size());
  vectors_.resize(index.size());
  for (size_t i = 0; i < index.size(); ++i) {
    double norm = 0;
    for (const auto& [term, count] : tf[i]) {
      const double w = count * std::log(n / df.at(term));
      vectors_[i][term] = w;
      norm += w * w;
    }
    norm = std::sqrt(norm);
    for (auto& [term, w] : vectors_[i]) w = norm > 0 ? w / norm : 0;
  }
}

double TfIdfBaseline::Score(size_t a, size_t b) const {
  double dot = 0;
  for (const auto& [term, w] : vectors_[a]) {
    auto it = vectors_[b].find(term);
    if (it != vectors_[b].end()) dot += w * it->second;
  }
  return dot;
}

Bm25Baseline::Bm25Baseline(const MatchIndex& index, double k1, double b)
    : k1_(k1), b_(b), tf_(TermCounts(index)) {
  const auto df = DocumentFrequencies(tf_);
  const double n = static_cast<double>(index.size());
  for (const auto& [term, d] : df) {
    idf_[term] = std::log(1 + (n - d + 0.5) / (d + 0.5));
  }
  for (const auto& doc : tf_) {
    double length = 0;
    for (const auto& [term, count] : doc) length += count;
    length_.push_back(length);
    average_length_ += length / n;
  }
}

double Bm25Baseline::Score(size_t a, size_t b) const {
  double score = 0;
  const double norm = k1_ * (1 - b_ + b_ * length_[b] / average_length_);
  for (const auto& [term, unused] : tf_[a]) {
    auto it = tf_[b].find(term);
    if (it == tf_[b].end()) continue;
    score += idf_.at(term) * it->second * (k1_ + 1) / (it->second + norm);
  }
  return score;
}

}  // namespace pm
