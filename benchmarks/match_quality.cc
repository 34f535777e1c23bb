// Match quality against real programme pairings (benchmarks/data/eval), as an
// out-of-fold figure: see benchmarks/README.md for the protocol.
//
//   build/benchmarks/match_quality [--eval-dir DIR] [--topics FILE]
//                                  [--folds K] [--verbose]
//
// For every member of a real pairing, all profiles of the other side (EU
// member vs partner country) are ranked and the rank of its best-ranked real
// partner is noted (ties at their mean position). The headline figures are
// out-of-fold: the queries are split into K folds by connected component of
// the pairing graph, and each fold is ranked with the tunables chosen on the
// other folds. Printed with bootstrap 95% intervals, next to a TF-IDF cosine
// and a BM25 ranking of the same texts, for the themes alone, the latent
// text alone and the whole score; then the topic measures (eval_topics.jsonl).
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "benchmarks/cross_validation.h"
#include "benchmarks/eval_set.h"
#include "benchmarks/rank_metrics.h"
#include "benchmarks/text_baselines.h"
#include "engine/matching/reciprocal_scorer.h"

namespace pm {
namespace {

// The latent-text settings the training folds choose from, around `base`
// (the engine's defaults unless a flag changes a design choice); `base`
// first.
std::vector<IndexOptions> LatentGrid(const IndexOptions& base) {
  std::vector<IndexOptions> grid{base};
  for (double lsa : {0.25, 0.5, 0.75}) {
    for (double rank_share : {0.25, 0.5}) {
      for (double stated : {1.0, 1.5}) {
        IndexOptions o = base;
        o.latent.lsa_share = lsa;
        o.latent.rank_share = rank_share;
        o.latent.stated_weight = stated;
        const LatentTextOptions& d = base.latent;
        if (lsa == d.lsa_share && rank_share == d.rank_share &&
            stated == d.stated_weight) {
          continue;  // the default, already first
        }
        grid.push_back(o);
      }
    }
  }
  return grid;
}

// Theme-part proportions (shared : reciprocal : one-sided); defaults first.
std::vector<ScoreWeights> ThemeProportions() {
  const ScoreWeights d;
  const double total = d.shared + d.reciprocal + d.one_sided;
  std::vector<ScoreWeights> out;
  for (auto [s, r, o] : {std::tuple{d.shared / total, d.reciprocal / total,
                                    d.one_sided / total},
                         std::tuple{0.6, 0.3, 0.1}, std::tuple{0.2, 0.6, 0.2},
                         std::tuple{0.3, 0.3, 0.4}}) {
    ScoreWeights w;
    w.shared = s;
    w.reciprocal = r;
    w.one_sided = o;
    out.push_back(w);
  }
  return out;
}

// Score settings with the themes' share of the score in `theme_shares` (the
// latent text has the rest); the defaults first.
std::vector<ScoreOptions> WeightGrid(const std::vector<double>& theme_shares) {
  const ScoreWeights d;
  std::vector<ScoreOptions> out(1);
  for (double t : theme_shares) {
    for (const ScoreWeights& p : ThemeProportions()) {
      ScoreOptions o;
      o.weights.shared = t * p.shared;
      o.weights.reciprocal = t * p.reciprocal;
      o.weights.one_sided = t * p.one_sided;
      o.weights.latent = 1 - t;
      if (std::abs(o.weights.shared - d.shared) < 1e-9 &&
          std::abs(o.weights.reciprocal - d.reciprocal) < 1e-9 &&
          std::abs(o.weights.latent - d.latent) < 1e-9) {
        continue;  // the default, already first
      }
      out.push_back(o);
    }
  }
  return out;
}

std::vector<Method> Methods(const IndexOptions& base) {
  Method themes{"partner-match, themes only", {base},
                WeightGrid({1.0})};
  themes.scores.erase(themes.scores.begin());  // the default mixes in text
  Method text{"partner-match, latent text only", LatentGrid(base),
              WeightGrid({0.0})};
  text.scores.erase(text.scores.begin());
  text.scores.resize(1);  // proportions do not matter without themes
  Method all{"partner-match", LatentGrid(base),
             WeightGrid({0.125, 0.25, 0.5, 0.75})};
  return {themes, text, all};
}

void PrintRow(const std::string& name, const std::vector<Query>& queries,
              const std::vector<double>& ranks, const std::string& extra) {
  const Figures f = Figures::Of(ranks);
  const BootstrapIntervals ci = Bootstrap(queries, ranks);
  std::cout << absl::StrFormat(
      "%-32s %5.3f [%5.3f, %5.3f] %5.3f %5.3f [%4.2f, %4.2f] %5.3f  %s\n",
      name, f.mrr, ci.mrr.low, ci.mrr.high, f.hit1, f.hit5, ci.hit5.low,
      ci.hit5.high, f.hit10, extra);
}

// The topic measures of the whole score, out-of-fold: per real pair with
// labelled topics, is a topic extracted on both sides, and does the first
// theme reason (with the settings chosen without the pair's fold) name one.
void PrintTopics(const EvalSet& set, const Method& method,
                 const OutOfFold& oof, IndexCache& cache, bool verbose) {
  std::set<std::pair<std::string, std::string>> pairs;
  for (const Pairing& p : set.pairings) {
    for (const auto& a : p.members) {
      for (const auto& b : p.members) {
        if (a < b) pairs.emplace(a, b);
      }
    }
  }
  int labelled = 0, both = 0, named = 0;
  std::vector<std::string> misses;  // pairs whose first reason is no topic
  for (const auto& [a, b] : pairs) {
    const std::set<int> topics = set.Topics(a, b);
    if (topics.empty()) continue;
    const size_t point = oof.chosen[set.fold_of_component[set.component.at(a)]];
    const MatchIndex& index =
        cache.Get(method.indexes[point / method.scores.size()]);
    const auto ra = index.Find(a), rb = index.Find(b);
    if (!ra || !rb || index.at(*ra).eu_member == index.at(*rb).eu_member) {
      continue;
    }
    ++labelled;
    const Extraction& ea = index.at(*ra).extraction;
    const Extraction& eb = index.at(*rb).extraction;
    for (int t : topics) {
      if (ea.Find(t) && eb.Find(t)) {
        ++both;
        break;
      }
    }
    const ReciprocalScorer scorer(method.scores[point % method.scores.size()]);
    auto explained = scorer.Explain(index, a, b);
    const int first = explained.ok() && !explained->reasons.empty()
                          ? explained->reasons.front().theme
                          : -1;
    if (topics.count(first) > 0) {
      ++named;
    } else if (verbose) {
      std::vector<std::string> ids;
      for (int t : topics) ids.push_back(index.taxonomy().themes()[t].id);
      misses.push_back(absl::StrFormat(
          "    %s - %s: labelled %s; first theme reason %s\n", a, b,
          absl::StrJoin(ids, ", "),
          first < 0 ? "none" : index.taxonomy().themes()[first].id));
    }
  }
  std::cout << absl::StrFormat(
      "\nreal pairs with labelled topics (benchmarks/data/eval_topics.jsonl): "
      "%d\n  a labelled topic extracted on both sides: %d (%.2f)\n"
      "  the first theme reason names a labelled topic (out-of-fold "
      "settings): %d (%.2f)\n",
      labelled, both, both / static_cast<double>(labelled), named,
      named / static_cast<double>(labelled));
  for (const std::string& miss : misses) std::cout << miss;
}

int Main(int argc, char** argv) {
  std::string dir = PM_EVAL_DIR;
  std::string topics_file = PM_TOPICS_FILE;
  int folds = 5;
  bool verbose = false;
  IndexOptions base;  // design choices compared by their out-of-fold figure
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--eval-dir") == 0 && i + 1 < argc) {
      dir = argv[++i];
    } else if (std::strcmp(argv[i], "--topics") == 0 && i + 1 < argc) {
      topics_file = argv[++i];
    } else if (std::strcmp(argv[i], "--folds") == 0 && i + 1 < argc) {
      folds = std::atoi(argv[++i]);
    } else if (std::strcmp(argv[i], "--verbose") == 0) {
      verbose = true;
    } else {
      std::cerr << "usage: match_quality [--eval-dir DIR] [--topics FILE] "
                   "[--folds K] [--verbose]\n";
      return 2;
    }
  }
  if (folds < 2) {
    std::cerr << "--folds must be at least 2\n";
    return 2;
  }
  auto extractor = std::make_shared<ThemeExtractor>(std::shared_ptr<const Taxonomy>(
      &Taxonomy::Bundled(), [](const Taxonomy*) {}));
  auto set = EvalSet::Load(dir, topics_file, Taxonomy::Bundled());
  if (!set.ok()) {
    std::cerr << set.status().message() << "\n";
    return 1;
  }
  IndexCache cache(set->profiles, extractor);
  const MatchIndex& index = cache.Get(base);
  set->AssignFolds(index, folds);
  const std::vector<Query> queries = set->Queries(index);

  const TfIdfBaseline tfidf(index);
  const Bm25Baseline bm25(index);
  std::vector<double> tfidf_ranks, bm25_ranks;
  for (const Query& q : queries) {
    tfidf_ranks.push_back(BestRank(
        index, q, [&](size_t a, size_t b) { return tfidf.Score(a, b); }));
    bm25_ranks.push_back(BestRank(
        index, q, [&](size_t a, size_t b) { return bm25.Score(a, b); }));
  }
  std::cout << absl::StrFormat(
      "%zu profiles, %zu queries, %d components of the pairing graph in %d "
      "folds; bootstrap: 2000 resamplings of components, seed 20240901\n\n",
      index.size(), queries.size(), set->components, folds);
  std::cout << absl::StrFormat("%-32s %-20s %5s %-18s %6s  %s\n",
                               "method (out-of-fold)", "MRR [95%]", "hit@1",
                               "hit@5 [95%]", "hit@10",
                               "in-sample: defaults / best point");
  PrintRow("tf-idf cosine (baseline)", queries, tfidf_ranks, "(nothing tuned)");
  PrintRow("bm25 (baseline)", queries, bm25_ranks, "(nothing tuned)");
  const std::vector<Method> methods = Methods(base);
  std::vector<OutOfFold> results;
  for (const Method& m : methods) {
    const OutOfFold& oof =
        results.emplace_back(CrossValidate(m, queries, folds, cache));
    PrintRow(m.name, queries, oof.ranks,
             absl::StrFormat("%.3f / %.3f (of %zu points)",
                             Figures::Of(oof.default_ranks).mrr,
                             Figures::Of(oof.best_ranks).mrr, m.size()));
  }
  const Interval gain =
      BootstrapDifference(queries, results.back().ranks, tfidf_ranks);
  std::cout << absl::StrFormat(
      "\npartner-match − tf-idf, MRR: %+.3f [%+.3f, %+.3f]\n",
      Figures::Of(results.back().ranks).mrr - Figures::Of(tfidf_ranks).mrr,
      gain.low, gain.high);
  const Method& all = methods.back();
  std::cout << "settings chosen on the training folds (" << all.name << "):\n";
  for (int f = 0; f < folds; ++f) {
    const size_t p = results.back().chosen[f];
    std::cout << absl::StrFormat(
        "  fold %d: %s\n", f,
        Describe(all.indexes[p / all.scores.size()],
                 all.scores[p % all.scores.size()]));
  }
  PrintTopics(*set, all, results.back(), cache, verbose);
  if (verbose) {
    std::cout << "\nper query (out-of-fold ranks):\n";
    for (size_t i = 0; i < queries.size(); ++i) {
      std::cout << absl::StrFormat(
          "%-28s fold %d  tf-idf %5.1f  bm25 %5.1f  themes %5.1f  text %5.1f  "
          "partner-match %5.1f\n",
          queries[i].id, queries[i].fold, tfidf_ranks[i], bm25_ranks[i],
          results[0].ranks[i], results[1].ranks[i], results[2].ranks[i]);
    }
  }
  return 0;
}

}  // namespace
}  // namespace pm

int main(int argc, char** argv) { return pm::Main(argc, argv); }
