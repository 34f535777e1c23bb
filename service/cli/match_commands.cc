// suggest, explain.
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "engine/matching/exposure.h"
#include "engine/matching/reciprocal_scorer.h"
#include "service/cli/cli_common.h"
#include "service/convert.h"

namespace pm::cli {
namespace {

namespace v1 = partnermatch::v1;

void PrintReasons(const google::protobuf::RepeatedPtrField<v1::Reason>& reasons,
                  const IndexedProfile& self, const IndexedProfile& partner) {
  for (const v1::Reason& r : reasons) {
    std::cout << absl::StrFormat("     + %.3f %s\n", r.contribution(), r.summary());
    if (!r.self_evidence().empty()) {
      std::cout << "         " << self.profile.name << ": "
                << Quote(r.self_evidence(0)) << "\n";
    }
    if (!r.partner_evidence().empty()) {
      std::cout << "         " << partner.profile.name << ": "
                << Quote(r.partner_evidence(0)) << "\n";
    }
  }
}

int RunSuggest(const Context& common, const std::string& id, int k,
               double diversity) {
  auto catalog = OpenCatalog(common);
  if (!catalog.ok()) return Fail(catalog.status());
  std::shared_ptr<const MatchIndex> index = (*catalog)->Snapshot();
  const DiverseSuggester suggester;
  auto suggestions = suggester.Suggest(index, id, k, diversity);
  if (!suggestions.ok()) return Fail(suggestions.status());
  const size_t self = *index->Find(id);
  v1::SuggestPartnersResponse response;
  response.set_profile_id(id);
  for (const DiverseSuggestion& s : *suggestions) {
    *response.add_suggestions() = service::ToProto(s, *index, self);
  }
  if (common.json) {
    PrintJson(response);
    return 0;
  }
  std::cout << "Partners for " << Describe(index->at(self)) << "\n";
  if (suggestions->empty()) {
    std::cout << "  no eligible partner (the programme's rules exclude every "
                 "other place)\n";
  }
  for (size_t i = 0; i < suggestions->size(); ++i) {
    const DiverseSuggestion& d = (*suggestions)[i];
    const PartnerSuggestion& s = d.suggestion;
    const IndexedProfile& partner = index->at(s.partner);
    std::cout << absl::StrFormat("\n%2d. %s  score %.3f\n", i + 1,
                                 Describe(partner), s.parts.score);
    if (d.plain_rank != static_cast<int>(i) + 1) {
      std::cout << absl::StrFormat(
          "     (rank %d by score alone; in %.0f others' top 5)\n",
          d.plain_rank, d.exposure);
    }
    if (s.weak) {
      std::cout << absl::StrFormat(
          "     weak match (score below %.2f): little or nothing in common; "
          "do not rely on it alone\n",
          kWeakScore);
    }
    for (const std::string& penalty : s.penalties) {
      std::cout << "     - " << penalty << "\n";
    }
    PrintReasons(response.suggestions(static_cast<int>(i)).reasons(),
                 index->at(self), partner);
  }
  return 0;
}

int RunExplain(const Context& common, const std::string& a,
               const std::string& b) {
  auto catalog = OpenCatalog(common);
  if (!catalog.ok()) return Fail(catalog.status());
  std::shared_ptr<const MatchIndex> index = (*catalog)->Snapshot();
  ReciprocalScorer scorer;
  auto explanation = scorer.Explain(*index, a, b);
  if (!explanation.ok()) return Fail(explanation.status());
  const size_t ra = *index->Find(a);
  const size_t rb = *index->Find(b);
  v1::ExplainMatchResponse response =
      service::ToProto(*explanation, *index, ra, rb);
  if (common.json) {
    PrintJson(response);
    return 0;
  }
  const ScoreParts& p = explanation->parts;
  std::cout << Describe(index->at(ra)) << "\n  with " << Describe(index->at(rb))
            << "\n\n";
  std::cout << (explanation->exclusion
                    ? "  not eligible: " + *explanation->exclusion
                    : std::string("  eligible"))
            << "\n";
  const ScoreWeights& w = scorer.options().weights;
  std::cout << absl::StrFormat(
      "  score %.3f = %.2f × (%g·shared %.3f + %g·reciprocal %.3f + "
      "%g·(gives %.3f + gets %.3f)/2 + %g·latent %.3f)\n",
      p.score, p.penalty_factor, w.shared, p.shared, w.reciprocal,
      p.reciprocal, w.one_sided, p.gives, p.gets, w.latent, p.latent);
  if (!response.shared_terms().empty()) {
    std::cout << "  shared terms: "
              << absl::StrJoin(response.shared_terms(), ", ") << "\n";
  }
  for (const std::string& penalty : explanation->penalties) {
    std::cout << "  - " << penalty << "\n";
  }
  PrintReasons(response.reasons(), index->at(ra), index->at(rb));
  return 0;
}

}  // namespace

void AddMatchCommands(CLI::App& app, Context& ctx) {
  struct Options {
    std::string id;
    std::string with;
    int k = 10;
    double diversity = DiversityOptions().lambda;
  };
  auto options = std::make_shared<Options>();
  CLI::App* suggest =
      app.add_subcommand("suggest", "Ranked partners with reasons");
  suggest->add_option("--id", options->id, "The place to find partners for")
      ->required();
  suggest->add_option("--k", options->k, "How many partners")
      ->check(CLI::Range(1, 1000));
  AddProfilesOption(suggest, ctx);
  AddJsonFlag(suggest, ctx);
  suggest->add_option("--diversity", options->diversity,
                      "Popularity decay λ: places in many others' top 5 rank "
                      "lower (0 = by score alone)")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 10.0));
  suggest->callback([&ctx, options] {
    ctx.exit_code =
        RunSuggest(ctx, options->id, options->k, options->diversity);
  });

  CLI::App* explain = app.add_subcommand(
      "explain", "Why (or why not) two places match, score in parts");
  explain->add_option("--id", options->id, "The first place")->required();
  explain->add_option("--with", options->with, "The second place")->required();
  AddProfilesOption(explain, ctx);
  AddJsonFlag(explain, ctx);
  explain->callback([&ctx, options] {
    ctx.exit_code = RunExplain(ctx, options->id, options->with);
  });
}

}  // namespace pm::cli
