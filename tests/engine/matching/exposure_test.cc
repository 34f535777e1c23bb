#include "engine/matching/exposure.h"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iostream>
#include <map>
#include <numeric>
#include <set>
#include <sstream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_format.h"
#include "engine/io/profile_format.h"

namespace pm {
namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::shared_ptr<const MatchIndex> LoadIndex(const std::string& path) {
  const std::string text = Slurp(path);
  if (text.empty()) return nullptr;
  auto profiles = ParseProfilesJsonl(text, path, Gazetteer::Bundled());
  EXPECT_TRUE(profiles.ok()) << profiles.status();
  if (!profiles.ok()) return nullptr;
  auto extractor =
      std::make_shared<ThemeExtractor>(std::shared_ptr<const Taxonomy>(
          &Taxonomy::Bundled(), [](const Taxonomy*) {}));
  return MatchIndex::Build(*profiles, extractor, Gazetteer::Bundled());
}

std::shared_ptr<const MatchIndex> Bundled() {
  static const auto* index = new std::shared_ptr<const MatchIndex>(
      LoadIndex(std::string(PM_SOURCE_DIR) + "/data/profiles.jsonl"));
  return *index;
}

const std::string kEvalDir =
    std::string(PM_SOURCE_DIR) + "/benchmarks/data/eval";

// Oracle: the top n of `a` by trying every other place.
std::vector<size_t> BruteForceTop(const MatchIndex& index,
                                  const ReciprocalScorer& scorer, size_t a,
                                  size_t n) {
  std::vector<std::pair<double, size_t>> scored;
  for (size_t b = 0; b < index.size(); ++b) {
    if (scorer.Exclusion(index, a, b)) continue;
    const double s = scorer.Score(index, a, b).score;
    if (s > 0) scored.push_back({-s, b});
  }
  std::sort(scored.begin(), scored.end());
  std::vector<size_t> top;
  for (size_t i = 0; i < scored.size() && i < n; ++i)
    top.push_back(scored[i].second);
  return top;
}

std::vector<double> BruteForceCounts(const MatchIndex& index,
                                     const ReciprocalScorer& scorer,
                                     const std::vector<size_t>& queries,
                                     size_t n) {
  std::vector<double> counts(index.size(), 0.0);
  for (size_t a : queries) {
    for (size_t b : BruteForceTop(index, scorer, a, n)) counts[b] += 1;
  }
  return counts;
}

TEST(ExposureModelTest, CountsMatchBruteForceOnTheBundledProfiles) {
  auto index = Bundled();
  ASSERT_NE(index, nullptr);
  ReciprocalScorer scorer;
  for (int top_n : {1, 5, 10}) {
    ExposureOptions options;
    options.top_n = top_n;
    const ExposureModel model = ExposureModel::Compute(*index, scorer, options);
    EXPECT_TRUE(model.exact());
    EXPECT_EQ(model.queries().size(), index->size());
    std::vector<size_t> all(index->size());
    std::iota(all.begin(), all.end(), size_t{0});
    const std::vector<double> oracle =
        BruteForceCounts(*index, scorer, all, static_cast<size_t>(top_n));
    EXPECT_EQ(model.counts(), oracle) << "top " << top_n;
    const double mean =
        std::accumulate(oracle.begin(), oracle.end(), 0.0) / index->size();
    EXPECT_DOUBLE_EQ(model.scale(), std::max(1.0, mean));
  }
}

TEST(ExposureModelTest, LargeCohortsAreSampledWithAFixedSeed) {
  auto index = Bundled();
  ASSERT_NE(index, nullptr);
  ReciprocalScorer scorer;
  ExposureOptions options;
  options.exact_limit = 20;
  options.sample_size = 10;
  const std::vector<size_t> queries = ExposureQueries(index->size(), options);
  ASSERT_EQ(queries.size(), 10u);
  EXPECT_TRUE(std::is_sorted(queries.begin(), queries.end()));
  EXPECT_EQ(std::set<size_t>(queries.begin(), queries.end()).size(), 10u);
  EXPECT_EQ(ExposureQueries(index->size(), options), queries);
  options.seed += 1;
  EXPECT_NE(ExposureQueries(index->size(), options), queries);
  options.seed -= 1;

  const ExposureModel model = ExposureModel::Compute(*index, scorer, options);
  EXPECT_FALSE(model.exact());
  EXPECT_EQ(model.queries(), queries);
  std::vector<double> oracle = BruteForceCounts(*index, scorer, queries, 5);
  for (double& c : oracle) c *= index->size() / 10.0;
  ASSERT_EQ(model.counts().size(), oracle.size());
  for (size_t r = 0; r < oracle.size(); ++r) {
    EXPECT_NEAR(model.count(r), oracle[r], 1e-9) << "row " << r;
  }
}

TEST(ExposureModelTest, ConcentrationFigures) {
  const ExposureConcentration even = Concentration({3, 3, 3, 3});
  EXPECT_DOUBLE_EQ(even.gini, 0);
  EXPECT_DOUBLE_EQ(even.max, 3);
  EXPECT_EQ(even.exposed_places, 4u);
  EXPECT_DOUBLE_EQ(even.top_decile_share, 0.25);
  const ExposureConcentration one = Concentration({0, 0, 0, 10});
  EXPECT_DOUBLE_EQ(one.gini, 0.75);  // (n − 1)/n: all on one of four
  EXPECT_DOUBLE_EQ(one.top_decile_share, 1);
  EXPECT_EQ(one.exposed_places, 1u);
  EXPECT_DOUBLE_EQ(Concentration({}).gini, 0);
  EXPECT_DOUBLE_EQ(Concentration({0, 0}).gini, 0);
}

TEST(DiverseSuggesterTest, LambdaZeroIsPlainSuggest) {
  auto index = Bundled();
  ASSERT_NE(index, nullptr);
  DiverseSuggester diverse;
  const ExposureModel model = ExposureModel::Compute(*index, diverse.scorer());
  for (const IndexedProfile& p : index->profiles()) {
    for (int k : {1, 5, 10}) {
      auto plain = diverse.scorer().Suggest(*index, p.profile.id, k);
      ASSERT_TRUE(plain.ok());
      for (auto got : {diverse.Suggest(index, p.profile.id, k, 0.0),
                       diverse.Suggest(*index, model, p.profile.id, k, 0.0)}) {
        ASSERT_TRUE(got.ok()) << got.status();
        ASSERT_EQ(got->size(), plain->size());
        for (size_t i = 0; i < plain->size(); ++i) {
          EXPECT_EQ((*got)[i].suggestion.partner, (*plain)[i].partner);
          EXPECT_EQ((*got)[i].suggestion.parts.score, (*plain)[i].parts.score);
          EXPECT_EQ((*got)[i].suggestion.reasons.size(),
                    (*plain)[i].reasons.size());
          EXPECT_EQ((*got)[i].factor, 1.0);
          EXPECT_EQ((*got)[i].plain_rank, static_cast<int>(i) + 1);
        }
      }
    }
  }
}

TEST(DiverseSuggesterTest, ReRanksThePlainPoolByDecayedScore) {
  auto index = Bundled();
  ASSERT_NE(index, nullptr);
  DiverseSuggester diverse;
  const double lambda = diverse.options().lambda;
  auto model = diverse.Exposure(index);
  for (const IndexedProfile& p : index->profiles()) {
    auto pool = diverse.scorer().Suggest(*index, p.profile.id, 30);
    auto got = diverse.Suggest(index, p.profile.id, 5);
    ASSERT_TRUE(pool.ok() && got.ok());
    // Oracle: the pool sorted by score × (1 + exposure/E)^−λ.
    std::vector<std::pair<double, int>> oracle;
    for (size_t i = 0; i < pool->size(); ++i) {
      const double e = model->count((*pool)[i].partner);
      oracle.push_back(
          {-(*pool)[i].parts.score * std::pow(1 + e / model->scale(), -lambda),
           static_cast<int>(i) + 1});
    }
    std::sort(oracle.begin(), oracle.end());
    ASSERT_EQ(got->size(), std::min<size_t>(5, pool->size()));
    for (size_t i = 0; i < got->size(); ++i) {
      const DiverseSuggestion& s = (*got)[i];
      EXPECT_EQ(s.plain_rank, oracle[i].second) << p.profile.id << " #" << i;
      EXPECT_EQ(s.suggestion.partner, (*pool)[s.plain_rank - 1].partner);
      EXPECT_EQ(s.exposure, model->count(s.suggestion.partner));
      EXPECT_NEAR(s.factor, std::pow(1 + s.exposure / model->scale(), -lambda),
                  1e-12);
      EXPECT_NEAR(s.ranking_score, s.suggestion.parts.score * s.factor, 1e-12);
      // Score, reasons and text stay the plain ones.
      const PartnerSuggestion& plain = (*pool)[s.plain_rank - 1];
      EXPECT_EQ(s.suggestion.parts.score, plain.parts.score);
      EXPECT_EQ(s.suggestion.penalties, plain.penalties);
      ASSERT_EQ(s.suggestion.reasons.size(), plain.reasons.size());
      for (size_t r = 0; r < plain.reasons.size(); ++r) {
        EXPECT_EQ(s.suggestion.reasons[r].theme, plain.reasons[r].theme);
        EXPECT_EQ(s.suggestion.reasons[r].contribution,
                  plain.reasons[r].contribution);
      }
      EXPECT_EQ(s.suggestion.text.contribution, plain.text.contribution);
      EXPECT_EQ(s.suggestion.text.shared_terms.size(),
                plain.text.shared_terms.size());
    }
  }
}

TEST(DiverseSuggesterTest, DecayLowersTheMostExposedPlacesCount) {
  auto index = Bundled();
  ASSERT_NE(index, nullptr);
  DiverseSuggester diverse;
  auto report = diverse.Report(index, diverse.options().lambda);
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_EQ(report->entries.size(), index->size());
  EXPECT_TRUE(report->exact);
  EXPECT_EQ(report->queries, index->size());
  const ExposureEntry& top = report->entries.front();
  EXPECT_EQ(top.before, report->before.max);
  EXPECT_LT(top.after, top.before) << index->at(top.row).profile.id;
  EXPECT_LT(report->after.max, report->before.max);
  EXPECT_LT(report->after.gini, report->before.gini);
  // Lists keep their length: the slots are only shared out differently.
  double before = 0, after = 0;
  for (const ExposureEntry& e : report->entries) {
    before += e.before;
    after += e.after;
  }
  EXPECT_EQ(before, after);
  for (size_t i = 1; i < report->entries.size(); ++i) {
    EXPECT_GE(report->entries[i - 1].before, report->entries[i].before);
  }
  // λ = 0 changes nothing.
  auto same = diverse.Report(index, 0);
  ASSERT_TRUE(same.ok());
  for (const ExposureEntry& e : same->entries) EXPECT_EQ(e.before, e.after);
}

TEST(DiverseSuggesterTest, ModelIsComputedOncePerSnapshot) {
  auto index = Bundled();
  ASSERT_NE(index, nullptr);
  DiverseSuggester diverse;
  EXPECT_EQ(diverse.CachedExposure(index), nullptr);
  std::vector<std::shared_ptr<const ExposureModel>> seen(8);
  std::vector<std::vector<size_t>> lists(8);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < seen.size(); ++t) {
    threads.emplace_back([&, t] {
      seen[t] = diverse.Exposure(index);
      auto got = diverse.Suggest(index, index->at(t).profile.id, 5);
      if (got.ok()) {
        for (const auto& s : *got) lists[t].push_back(s.suggestion.partner);
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(diverse.CachedExposure(index), seen[0]);
  for (size_t t = 0; t < seen.size(); ++t) {
    EXPECT_EQ(seen[t], seen[0]);
    auto again = diverse.Suggest(index, index->at(t).profile.id, 5);
    ASSERT_TRUE(again.ok());
    std::vector<size_t> partners;
    for (const auto& s : *again) partners.push_back(s.suggestion.partner);
    EXPECT_EQ(partners, lists[t]);
  }
  // A new snapshot (even of the same profiles) gets its own model.
  std::vector<Profile> profiles;
  for (const IndexedProfile& p : index->profiles())
    profiles.push_back(p.profile);
  auto next =
      MatchIndex::Build(profiles,
                        std::shared_ptr<const ThemeExtractor>(
                            &index->extractor(), [](const ThemeExtractor*) {}),
                        Gazetteer::Bundled(), index.get());
  auto other = diverse.Exposure(next);
  EXPECT_NE(other, seen[0]);
  EXPECT_EQ(other->counts(), seen[0]->counts());
  EXPECT_EQ(diverse.Exposure(index), seen[0]);
}

// A model saved with the index seeds a new suggester: its first Suggest
// ranks with that model (not one computed on the request path), and only a
// model of the same settings is taken.
TEST(DiverseSuggesterTest, ASeededSuggesterRanksWithTheSeedFromItsFirstCall) {
  auto index = Bundled();
  ASSERT_NE(index, nullptr);
  const ReciprocalScorer scorer;
  auto seed = std::make_shared<const ExposureModel>(
      ExposureModel::Compute(*index, scorer, {}));
  std::string bytes;
  seed->Serialize(bytes);
  ByteReader in(bytes);
  std::optional<ExposureModel> read = ExposureModel::Deserialize(in);
  ASSERT_TRUE(read.has_value());
  EXPECT_TRUE(in.done());
  EXPECT_EQ(read->counts(), seed->counts());
  EXPECT_EQ(read->queries(), seed->queries());
  EXPECT_EQ(read->settings(), seed->settings());

  const DiverseSuggester seeded(scorer);
  seeded.Seed(std::make_shared<const ExposureModel>(*read));
  const std::string& id = index->at(3).profile.id;
  auto first = seeded.Suggest(index, id, 5);
  ASSERT_TRUE(first.ok()) << first.status();
  auto expected = seeded.Suggest(*index, *seed, id, 5, 0.5);
  ASSERT_TRUE(expected.ok());
  ASSERT_EQ(first->size(), expected->size());
  for (size_t i = 0; i < first->size(); ++i) {
    EXPECT_EQ((*first)[i].suggestion.partner, (*expected)[i].suggestion.partner);
    EXPECT_EQ((*first)[i].ranking_score, (*expected)[i].ranking_score);
  }

  // Other settings: not taken; the first Suggest computes the model.
  ExposureOptions other;
  other.top_n = 3;
  const DiverseSuggester unseeded(scorer, DiversityOptions{0.5, other});
  unseeded.Seed(seed);
  ASSERT_TRUE(unseeded.Suggest(index, id, 5).ok());
  EXPECT_NE(unseeded.CachedExposure(index), nullptr);
}

TEST(DiverseSuggesterTest, RefusesBadRequests) {
  auto index = Bundled();
  ASSERT_NE(index, nullptr);
  DiverseSuggester diverse;
  auto unknown = diverse.Suggest(index, "atlantis", 5);
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(unknown.status().message(),
            "no profile with id 'atlantis'; did you mean 'atlantico'?");
  auto k = diverse.Suggest(index, "almeria", 0);
  EXPECT_EQ(k.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(k.status().message(), "k must be between 1 and 1000, got 0");
  auto lambda = diverse.Suggest(index, "almeria", 5, -1);
  EXPECT_EQ(lambda.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(lambda.status().message(),
            "the diversity strength lambda must be 0 or more, got -1");
  EXPECT_EQ(diverse.Report(index, std::nan("")).status().code(),
            absl::StatusCode::kInvalidArgument);
}

// ---- Measurements (printed; the README's figures come from here) --------

// Real partners (other side only) of each profile id, from the pairings.
std::map<std::string, std::set<std::string>> RealPartners(
    const MatchIndex& index) {
  google::protobuf::Struct root;
  std::map<std::string, std::set<std::string>> partners;
  if (!google::protobuf::util::JsonStringToMessage(
           Slurp(kEvalDir + "/dev_pairings.json"), &root)
           .ok()) {
    return partners;
  }
  for (const auto& pairing :
       root.fields().at("pairings").list_value().values()) {
    std::vector<std::string> members;
    for (const auto& m :
         pairing.struct_value().fields().at("members").list_value().values()) {
      members.push_back(m.string_value());
    }
    for (const auto& a : members) {
      for (const auto& b : members) {
        auto ra = index.Find(a), rb = index.Find(b);
        if (a != b && ra && rb &&
            index.at(*ra).eu_member != index.at(*rb).eu_member) {
          partners[a].insert(b);
        }
      }
    }
  }
  return partners;
}

// MRR of the real partners when every other-side place is ranked by the
// diverse list (pool covering all of them); places not in the list (score
// 0) share the positions after it. Same method as match_quality.
double Mrr(const MatchIndex& index, const DiverseSuggester& diverse,
           const ExposureModel& model,
           const std::map<std::string, std::set<std::string>>& partners,
           double lambda) {
  double sum = 0;
  int queries = 0;
  for (size_t a = 0; a < index.size(); ++a) {
    auto it = partners.find(index.at(a).profile.id);
    if (it == partners.end()) continue;
    int others = 0;
    for (size_t b = 0; b < index.size(); ++b) {
      others += index.at(b).eu_member != index.at(a).eu_member;
    }
    auto list =
        diverse.Suggest(index, model, index.at(a).profile.id, others, lambda);
    EXPECT_TRUE(list.ok());
    double best = 1e9;
    std::vector<double> scores;
    for (const auto& s : *list) scores.push_back(s.ranking_score);
    for (size_t i = 0; i < list->size(); ++i) {
      if (!it->second.count(index.at((*list)[i].suggestion.partner).profile.id))
        continue;
      double better = 0, ties = 0;
      for (size_t j = 0; j < scores.size(); ++j) {
        if (j == i) continue;
        better += scores[j] > scores[i];
        ties += scores[j] == scores[i];
      }
      best = std::min(best, 1 + better + ties / 2);
    }
    if (best == 1e9) {  // all real partners score 0: mean of the tail
      const double tail = others - static_cast<double>(list->size());
      best = list->size() + (1 + tail) / 2;
    }
    sum += 1 / best;
    ++queries;
  }
  return queries ? sum / queries : 0;
}

void PrintConcentration(const char* what, const ExposureConcentration& c) {
  std::cout << absl::StrFormat(
      "    %-6s max %5.1f  gini %.3f  top-10%% share %.3f  exposed places "
      "%zu\n",
      what, c.max, c.gini, c.top_decile_share, c.exposed_places);
}

void Measure(const std::string& name,
             const std::shared_ptr<const MatchIndex>& index, bool with_mrr) {
  DiverseSuggester diverse;
  auto model = diverse.Exposure(index);
  const auto partners = with_mrr
                            ? RealPartners(*index)
                            : std::map<std::string, std::set<std::string>>();
  std::cout << name << ": " << index->size() << " profiles, top "
            << model->top_n() << " exposure, E = " << model->scale() << "\n";
  double mrr0 = 0;
  for (double lambda : {0.0, 0.25, 0.5, 1.0, 2.0}) {
    auto report = diverse.Report(*index, *model, lambda);
    ASSERT_TRUE(report.ok());
    std::cout << "  lambda " << lambda
              << (lambda == diverse.options().lambda ? " (default)" : "")
              << "\n";
    if (lambda == 0) {
      PrintConcentration("plain", report->before);
    } else {
      PrintConcentration("after", report->after);
    }
    if (with_mrr) {
      const double mrr = Mrr(*index, diverse, *model, partners, lambda);
      if (lambda == 0) mrr0 = mrr;
      std::cout << absl::StrFormat("    MRR %.3f (%+.3f)\n", mrr, mrr - mrr0);
      if (lambda == diverse.options().lambda) {
        // The default must not cost much match quality.
        EXPECT_GE(mrr, mrr0 - 0.03);
      }
    }
    if (lambda == diverse.options().lambda) {
      std::cout << "    most exposed (before -> after):";
      for (size_t i = 0; i < 6 && i < report->entries.size(); ++i) {
        const ExposureEntry& e = report->entries[i];
        std::cout << " " << index->at(e.row).profile.id << " " << e.before
                  << "->" << e.after;
      }
      std::cout << "\n";
      EXPECT_LE(report->after.gini, report->before.gini);
    }
  }
}

TEST(DiverseSuggesterTest, MeasuresExposureOnTheBundledProfiles) {
  auto index = Bundled();
  ASSERT_NE(index, nullptr);
  Measure("bundled", index, false);
}

TEST(DiverseSuggesterTest, MeasuresExposureAndMrrOnTheEvalSet) {
  auto index = LoadIndex(kEvalDir + "/dev_profiles.jsonl");
  ASSERT_NE(index, nullptr) << "no eval set at " << kEvalDir;
  Measure("eval (dev_profiles)", index, true);
}

}  // namespace
}  // namespace pm
