// Match quality against real programme pairings (benchmarks/data/eval): for every
// member of a real pairing, rank all profiles of the other side (EU member vs
// partner country) and find the rank of its best-ranked real partner. Prints
// the mean reciprocal rank and hit@1/5/10 of partner-match's score next to a
// plain TF-IDF cosine ranking of the same texts, computed in the same run.
//
//   build/benchmarks/match_quality [--eval-dir DIR] [--verbose]
//
// Ties are ranked at their mean position, so a method that scores many
// profiles equal gains nothing from the order they happen to be in.
//
// Cross-check. The defaults were chosen on this set, so the program also
// runs leave-one-out over a small grid of the three parameters the latent
// part adds (ScoreWeights::latent, LatentTextOptions::lsa_share and
// rank_share): each query is ranked with the grid point that is best on the
// other 74 queries, and the MRR of those rankings is printed; and split-half:
// the best grid point of the even-numbered queries is scored on the odd
// ones, and the reverse. If the defaults were overfitted to a few queries,
// those figures would fall well below the defaults' own.
#include <cmath>
#include <algorithm>
#include <cstdlib>
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
  void Print(const std::string& name) const {
    const double q = queries;
    std::cout << absl::StrFormat("%-34s %6.3f %7.3f %7.3f %7.3f\n", name,
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

// A query: a profile row and the ids of its real partners on the other side.
struct Query {
  size_t row = 0;
  std::set<std::string> real;
};

std::vector<Query> Queries(
    const MatchIndex& index,
    const std::map<std::string, std::set<std::string>>& partners) {
  std::vector<Query> queries;
  for (size_t a = 0; a < index.size(); ++a) {
    auto it = partners.find(index.at(a).profile.id);
    if (it == partners.end()) continue;
    Query q;
    q.row = a;
    for (const std::string& id : it->second) {
      auto row = index.Find(id);
      if (row && index.at(*row).eu_member != index.at(a).eu_member) {
        q.real.insert(id);
      }
    }
    if (!q.real.empty()) queries.push_back(std::move(q));
  }
  return queries;
}

// Ranks of every query under `scorer` on `index`.
std::vector<double> Ranks(const MatchIndex& index,
                          const std::vector<Query>& queries,
                          const ReciprocalScorer& scorer) {
  std::vector<double> ranks;
  for (const Query& q : queries) {
    ranks.push_back(BestRank(index, q.row, q.real, [&](size_t x, size_t y) {
      return scorer.Score(index, x, y).score;
    }));
  }
  return ranks;
}

// One point of the cross-check grid.
struct GridPoint {
  double latent_weight, lsa_share, rank_share;
  std::vector<double> ranks;  // per query
};

// Mean reciprocal rank of `ranks` over the queries `use` says to use.
template <typename Use>
double Mrr(const std::vector<double>& ranks, Use use) {
  double sum = 0;
  int n = 0;
  for (size_t i = 0; i < ranks.size(); ++i) {
    if (!use(i)) continue;
    sum += 1 / ranks[i];
    ++n;
  }
  return n > 0 ? sum / n : 0;
}

// The grid point with the best MRR over the queries `use` selects; the
// first such point on ties (the grid lists the defaults first).
template <typename Use>
const GridPoint& Best(const std::vector<GridPoint>& grid, Use use) {
  const GridPoint* best = &grid.front();
  double best_mrr = -1;
  for (const GridPoint& g : grid) {
    const double mrr = Mrr(g.ranks, use);
    if (mrr > best_mrr + 1e-12) {
      best_mrr = mrr;
      best = &g;
    }
  }
  return *best;
}

void CrossCheck(const std::vector<Profile>& profiles,
                std::shared_ptr<const ThemeExtractor> extractor,
                const std::map<std::string, std::set<std::string>>& partners) {
  const ScoreOptions defaults;
  const LatentTextOptions latent_defaults;
  std::vector<GridPoint> grid;
  auto add = [&](double w, double lsa, double rank_share) {
    for (const GridPoint& g : grid) {
      if (g.latent_weight == w && g.lsa_share == lsa &&
          g.rank_share == rank_share) {
        return;
      }
    }
    grid.push_back(GridPoint{w, lsa, rank_share, {}});
  };
  add(defaults.weights.latent, latent_defaults.lsa_share,
      latent_defaults.rank_share);
  for (double w : {0.125, 0.25, 0.5, 1.0, 2.0}) {
    for (double lsa : {0.0, 0.25, 0.5, 0.75}) {
      for (double rank_share : {0.25, 0.5, 1.0}) add(w, lsa, rank_share);
    }
  }
  for (GridPoint& g : grid) {
    IndexOptions index_options;
    index_options.latent.lsa_share = g.lsa_share;
    index_options.latent.rank_share = g.rank_share;
    auto index = MatchIndex::Build(profiles, extractor, Gazetteer::Bundled(),
                                   nullptr, {}, index_options);
    ScoreOptions options;
    options.weights.latent = g.latent_weight;
    g.ranks = Ranks(*index, Queries(*index, partners), ReciprocalScorer(options));
  }
  const size_t n = grid.front().ranks.size();
  double loo = 0;
  int default_chosen = 0;
  for (size_t q = 0; q < n; ++q) {
    const GridPoint& best = Best(grid, [&](size_t i) { return i != q; });
    loo += 1 / best.ranks[q];
    default_chosen += &best == &grid.front();
  }
  const GridPoint& even = Best(grid, [](size_t i) { return i % 2 == 0; });
  const GridPoint& odd = Best(grid, [](size_t i) { return i % 2 == 1; });
  const double even_on_odd = Mrr(even.ranks, [](size_t i) { return i % 2 == 1; });
  const double odd_on_even = Mrr(odd.ranks, [](size_t i) { return i % 2 == 0; });
  const GridPoint& best_all = Best(grid, [](size_t) { return true; });
  std::cout << absl::StrFormat(
      "\ncross-check over %zu grid points (latent weight x lsa_share x "
      "rank_share):\n"
      "  defaults (%.2f, %.2f, %.2f): MRR %.3f; best on all queries (%.2f, "
      "%.2f, %.2f): MRR %.3f\n"
      "  leave-one-out (each query ranked with the point best on the other "
      "%zu): MRR %.3f; the defaults chosen for %d of %zu\n"
      "  split-half: best on even (%.2f, %.2f, %.2f) scores %.3f on odd "
      "(defaults %.3f); best on odd (%.2f, %.2f, %.2f) scores %.3f on even "
      "(defaults %.3f)\n",
      grid.size(), grid.front().latent_weight, grid.front().lsa_share,
      grid.front().rank_share, Mrr(grid.front().ranks, [](size_t) { return true; }),
      best_all.latent_weight, best_all.lsa_share, best_all.rank_share,
      Mrr(best_all.ranks, [](size_t) { return true; }), n - 1, loo / n,
      default_chosen, n, even.latent_weight, even.lsa_share, even.rank_share,
      even_on_odd, Mrr(grid.front().ranks, [](size_t i) { return i % 2 == 1; }),
      odd.latent_weight, odd.lsa_share, odd.rank_share, odd_on_even,
      Mrr(grid.front().ranks, [](size_t i) { return i % 2 == 0; }));
}

int Main(int argc, char** argv) {
  std::string dir = PM_EVAL_DIR;
  bool verbose = false;
  bool cross_check = true;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--eval-dir") == 0 && i + 1 < argc) {
      dir = argv[++i];
    } else if (std::strcmp(argv[i], "--verbose") == 0) {
      verbose = true;
    } else if (std::strcmp(argv[i], "--no-cross-check") == 0) {
      cross_check = false;
    } else {
      std::cerr << "usage: match_quality [--eval-dir DIR] [--verbose] "
                   "[--no-cross-check]\n";
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
  const std::vector<Query> queries = Queries(*index, partners);
  const TfIdf tfidf(*index);

  // The engine's score, and its two halves on their own.
  const ReciprocalScorer scorer;
  ScoreOptions themes_only;
  themes_only.weights.latent = 0;
  ScoreOptions text_only;
  text_only.weights.shared = text_only.weights.reciprocal =
      text_only.weights.one_sided = 0;
  const std::vector<double> engine_ranks = Ranks(*index, queries, scorer);
  const std::vector<double> theme_ranks =
      Ranks(*index, queries, ReciprocalScorer(themes_only));
  const std::vector<double> text_ranks =
      Ranks(*index, queries, ReciprocalScorer(text_only));

  Figures baseline, engine, themes, text;
  for (size_t i = 0; i < queries.size(); ++i) {
    const size_t a = queries[i].row;
    const double tf_rank =
        BestRank(*index, a, queries[i].real,
                 [&](size_t x, size_t y) { return tfidf.Cosine(x, y); });
    baseline.Add(tf_rank);
    engine.Add(engine_ranks[i]);
    themes.Add(theme_ranks[i]);
    text.Add(text_ranks[i]);
    if (verbose) {
      std::cout << absl::StrFormat(
          "%-28s tf-idf %5.1f  themes %5.1f  text %5.1f  partner-match %5.1f\n",
          index->at(a).profile.id, tf_rank, theme_ranks[i], text_ranks[i],
          engine_ranks[i]);
    }
  }
  std::cout << absl::StrFormat(
      "%zu profiles, %d queries (members with a real partner on the other "
      "side); latent text rank %d, %zu terms\n",
      index->size(), engine.queries, index->latent().rank(),
      index->latent().terms().size());
  std::cout << absl::StrFormat("%-34s %6s %7s %7s %7s\n", "method", "MRR",
                               "hit@1", "hit@5", "hit@10");
  baseline.Print("tf-idf cosine (baseline)");
  themes.Print("partner-match, themes only");
  text.Print("partner-match, latent text only");
  engine.Print("partner-match");
  if (cross_check) CrossCheck(*profiles, extractor, partners);
  return 0;
}

}  // namespace
}  // namespace pm

int main(int argc, char** argv) { return pm::Main(argc, argv); }
