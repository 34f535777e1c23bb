// Match quality against real programme pairings (shared/eval): for every
// member of a real pairing, rank all profiles of the other side (EU member vs
// partner country) and find the rank of its best-ranked real partner. Prints
// the mean reciprocal rank and hit@1/5/10 of partner-match's score next to a
// plain TF-IDF cosine ranking of the same texts, computed in the same run.
//
//   build/benchmarks/match_quality [--eval-dir DIR] [--verbose]
//
// Ties are ranked at their mean position, so a method that scores many
// profiles equal gains nothing from the order they happen to be in.
#include <cmath>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include "absl/strings/str_format.h"
#include "engine/io/profile_format.h"
#include "engine/matching/match_index.h"
#include "engine/matching/reciprocal_scorer.h"
#include "engine/text/text_analyzer.h"

namespace pm {
namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "cannot read " << path << "\n";
    std::exit(1);
  }
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Real partners of each profile id, from the pairings and clusters.
std::map<std::string, std::set<std::string>> RealPartners(
    const std::string& json) {
  google::protobuf::Struct root;
  if (!google::protobuf::util::JsonStringToMessage(json, &root).ok()) {
    std::cerr << "dev_pairings.json is not valid JSON\n";
    std::exit(1);
  }
  std::map<std::string, std::set<std::string>> partners;
  for (const auto& pairing : root.fields().at("pairings").list_value().values()) {
    std::vector<std::string> members;
    for (const auto& m :
         pairing.struct_value().fields().at("members").list_value().values()) {
      members.push_back(m.string_value());
    }
    for (const auto& a : members) {
      for (const auto& b : members) {
        if (a != b) partners[a].insert(b);
      }
    }
  }
  return partners;
}

// Plain TF-IDF over stemmed words, rows L2-normalised; returns row · row.
class TfIdf {
 public:
  explicit TfIdf(const MatchIndex& index) {
    std::vector<std::map<std::string, double>> tf(index.size());
    std::map<std::string, int> df;
    for (size_t i = 0; i < index.size(); ++i) {
      for (const Token& t : TextAnalyzer::Analyze(index.at(i).profile.text).tokens) {
        if (t.stem == "-") continue;
        tf[i][t.stem] += 1;
      }
      for (const auto& [term, count] : tf[i]) df[term]++;
    }
    const double n = static_cast<double>(index.size());
    vectors_.resize(index.size());
    for (size_t i = 0; i < index.size(); ++i) {
      double norm = 0;
      for (const auto& [term, count] : tf[i]) {
        const double w = count * std::log(n / df[term]);
        vectors_[i][term] = w;
        norm += w * w;
      }
      norm = std::sqrt(norm);
      for (auto& [term, w] : vectors_[i]) w = norm > 0 ? w / norm : 0;
    }
  }
  double Cosine(size_t a, size_t b) const {
    double dot = 0;
    for (const auto& [term, w] : vectors_[a]) {
      auto it = vectors_[b].find(term);
      if (it != vectors_[b].end()) dot += w * it->second;
    }
    return dot;
  }

 private:
  std::vector<std::map<std::string, double>> vectors_;
};

struct Figures {
  double mrr = 0;
  double hit1 = 0, hit5 = 0, hit10 = 0;
  int queries = 0;
  void Add(double rank) {
    mrr += 1 / rank;
    hit1 += rank <= 1;
    hit5 += rank <= 5;
    hit10 += rank <= 10;
    ++queries;
  }
  void Print(const char* name) const {
    const double q = queries;
    std::cout << absl::StrFormat("%-22s %6.3f %7.3f %7.3f %7.3f\n", name,
                                 mrr / q, hit1 / q, hit5 / q, hit10 / q);
  }
};

// The rank of the best real partner of `a` when the other side is ranked by
// `score`; ties take their mean position.
template <typename Score>
double BestRank(const MatchIndex& index, size_t a,
                const std::set<std::string>& real, Score score) {
  std::vector<double> scores;
  std::vector<bool> is_real;
  for (size_t b = 0; b < index.size(); ++b) {
    if (index.at(b).eu_member == index.at(a).eu_member) continue;
    scores.push_back(score(a, b));
    is_real.push_back(real.count(index.at(b).profile.id) > 0);
  }
  double best = 1e9;
  for (size_t i = 0; i < scores.size(); ++i) {
    if (!is_real[i]) continue;
    double better = 0, ties = 0;
    for (size_t j = 0; j < scores.size(); ++j) {
      if (j == i) continue;
      if (scores[j] > scores[i]) better += 1;
      else if (scores[j] == scores[i]) ties += 1;
    }
    best = std::min(best, 1 + better + ties / 2);
  }
  return best;
}

int Main(int argc, char** argv) {
  std::string dir = PM_EVAL_DIR;
  bool verbose = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--eval-dir") == 0 && i + 1 < argc) {
      dir = argv[++i];
    } else if (std::strcmp(argv[i], "--verbose") == 0) {
      verbose = true;
    } else {
      std::cerr << "usage: match_quality [--eval-dir DIR] [--verbose]\n";
      return 2;
    }
  }
  auto profiles = ParseProfilesJsonl(Slurp(dir + "/dev_profiles.jsonl"),
                                     dir + "/dev_profiles.jsonl",
                                     Gazetteer::Bundled());
  if (!profiles.ok()) {
    std::cerr << profiles.status().message() << "\n";
    return 1;
  }
  const auto partners = RealPartners(Slurp(dir + "/dev_pairings.json"));
  auto extractor = std::make_shared<ThemeExtractor>(std::shared_ptr<const Taxonomy>(
      &Taxonomy::Bundled(), [](const Taxonomy*) {}));
  auto index = MatchIndex::Build(*profiles, extractor, Gazetteer::Bundled());
  const TfIdf tfidf(*index);
  ReciprocalScorer scorer;

  Figures baseline, engine;
  for (size_t a = 0; a < index->size(); ++a) {
    auto it = partners.find(index->at(a).profile.id);
    if (it == partners.end()) continue;
    std::set<std::string> real;
    for (const std::string& id : it->second) {
      auto row = index->Find(id);
      if (row && index->at(*row).eu_member != index->at(a).eu_member) {
        real.insert(id);
      }
    }
    if (real.empty()) continue;
    const double tf_rank = BestRank(*index, a, real, [&](size_t x, size_t y) {
      return tfidf.Cosine(x, y);
    });
    const double pm_rank = BestRank(*index, a, real, [&](size_t x, size_t y) {
      return scorer
          .Explain(*index, index->at(x).profile.id, index->at(y).profile.id)
          ->parts.score;
    });
    baseline.Add(tf_rank);
    engine.Add(pm_rank);
    if (verbose) {
      std::cout << absl::StrFormat("%-28s tf-idf %5.1f  partner-match %5.1f\n",
                                   index->at(a).profile.id, tf_rank, pm_rank);
    }
  }
  std::cout << absl::StrFormat(
      "%zu profiles, %d queries (members with a real partner on the other "
      "side)\n",
      index->size(), engine.queries);
  std::cout << absl::StrFormat("%-22s %6s %7s %7s %7s\n", "method", "MRR",
                               "hit@1", "hit@5", "hit@10");
  baseline.Print("tf-idf cosine");
  engine.Print("partner-match");
  return 0;
}

}  // namespace
}  // namespace pm

int main(int argc, char** argv) { return pm::Main(argc, argv); }
