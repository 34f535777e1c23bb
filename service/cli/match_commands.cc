// suggest, explain.
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "engine/common/progress.h"
#include "engine/matching/reciprocal_scorer.h"
#include "service/api/partner_match_api.h"
#include "service/cli/cli_common.h"
#include "service/cli/csv_tables.h"

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

// Every place's suggestions as one spreadsheet (suggest --csv without --id).
int RunSuggestAll(const Context& common, v1::SuggestPartnersRequest request,
                  const std::string& csv_path) {
  auto catalog = OpenCatalog(common);
  if (!catalog.ok()) return Fail(catalog.status());
  std::shared_ptr<const MatchIndex> index = (*catalog)->Snapshot();
  const service::PartnerMatchApi api(**catalog);
  std::vector<v1::SuggestPartnersResponse> lists(index->size());
  {
    ProgressTask task(common.progress, "suggesting partners", index->size());
    for (size_t row = 0; row < index->size(); ++row) {
      request.set_profile_id(index->at(row).profile.id);
      if (absl::Status s = api.SuggestPartners(request, lists[row]); !s.ok()) {
        return Fail(s);
      }
      task.Step();
    }
  }
  const CsvTable table = SuggestionsCsv(lists, *index);
  if (absl::Status s = WriteCsv(csv_path, table); !s.ok()) return Fail(s);
  std::cout << "wrote " << table.rows.size() << " suggestions for "
            << index->size() << " places to " << csv_path << "\n";
  return 0;
}

int RunSuggest(const Context& common, const v1::SuggestPartnersRequest& request,
               const std::string& csv_path) {
  auto catalog = OpenCatalog(common);
  if (!catalog.ok()) return Fail(catalog.status());
  std::shared_ptr<const MatchIndex> index = (*catalog)->Snapshot();
  v1::SuggestPartnersResponse response;
  const service::PartnerMatchApi api(**catalog);
  if (absl::Status s = api.SuggestPartners(request, response); !s.ok()) {
    return Fail(s);
  }
  if (!csv_path.empty()) {
    if (absl::Status s = WriteCsv(csv_path, SuggestionsCsv({response}, *index));
        !s.ok()) {
      return Fail(s);
    }
  }
  if (common.json) {
    PrintJson(response);
    return 0;
  }
  const IndexedProfile& self = index->at(*index->Row(request.profile_id()));
  std::cout << "Partners for " << Describe(self) << "\n";
  if (response.suggestions().empty()) {
    std::cout << "  no eligible partner (the programme's rules exclude every other place)\n";
  }
  for (int i = 0; i < response.suggestions_size(); ++i) {
    const v1::Suggestion& s = response.suggestions(i);
    const IndexedProfile& partner = index->at(*index->Row(s.partner_id()));
    std::cout << absl::StrFormat("\n%2d. %s  score %.3f\n", i + 1,
                                 Describe(partner), s.score());
    if (s.plain_rank() != i + 1) {
      std::cout << absl::StrFormat(
          "     (rank %d by score alone; in %.0f others' top 5)\n",
          s.plain_rank(), s.exposure());
    }
    if (s.weak()) {
      std::cout << absl::StrFormat(
          "     weak match (score below %.2f): little or nothing in common; "
          "do not rely on it alone\n",
          kWeakScore);
    }
    for (const std::string& penalty : s.penalties()) {
      std::cout << "     - " << penalty << "\n";
    }
    PrintReasons(s.reasons(), self, partner);
  }
  return 0;
}

int RunExplain(const Context& common, const v1::ExplainMatchRequest& request) {
  auto catalog = OpenCatalog(common);
  if (!catalog.ok()) return Fail(catalog.status());
  std::shared_ptr<const MatchIndex> index = (*catalog)->Snapshot();
  const ReciprocalScorer scorer;
  const service::PartnerMatchApi api(**catalog, scorer);
  v1::ExplainMatchResponse response;
  if (absl::Status s = api.ExplainMatch(request, response); !s.ok()) {
    return Fail(s);
  }
  if (common.json) {
    PrintJson(response);
    return 0;
  }
  const IndexedProfile& a = index->at(*index->Row(request.profile_id()));
  const IndexedProfile& b = index->at(*index->Row(request.partner_id()));
  const v1::ScoreBreakdown& p = response.breakdown();
  std::cout << Describe(a) << "\n  with " << Describe(b) << "\n\n";
  std::cout << (response.eligible() ? std::string("  eligible")
                                    : "  not eligible: " + response.exclusion())
            << "\n";
  const ScoreWeights& w = scorer.options().weights;
  std::cout << absl::StrFormat(
      "  score %.3f = %.2f × (%g·shared %.3f + %g·reciprocal %.3f + "
      "%g·(gives %.3f + gets %.3f)/2 + %g·latent %.3f)\n",
      p.score(), p.penalty_factor(), w.shared, p.shared(), w.reciprocal,
      p.reciprocal(), w.one_sided, p.gives(), p.gets(), w.latent, p.latent());
  if (!response.shared_terms().empty()) {
    std::cout << "  shared terms: "
              << absl::StrJoin(response.shared_terms(), ", ") << "\n";
  }
  for (const std::string& penalty : response.penalties()) {
    std::cout << "  - " << penalty << "\n";
  }
  PrintReasons(response.reasons(), a, b);
  return 0;
}

}  // namespace

void AddMatchCommands(CLI::App& app, Context& ctx) {
  using Api = service::PartnerMatchApi;
  struct Options {
    std::string id;
    std::string with;
    int k = Api::kDefaultK;
    double diversity = Api::kDefaultDiversity;
    std::string csv;
  };
  auto options = std::make_shared<Options>();
  CLI::App* suggest =
      app.add_subcommand("suggest", "Ranked partners with reasons");
  suggest->add_option("--id", options->id,
                      "The place to find partners for (required unless "
                      "--csv: then every place)");
  suggest->add_option("--csv", options->csv,
                      "Also write the suggestions as a spreadsheet (CSV), one "
                      "row per place and suggestion; without --id, of every "
                      "place");
  suggest->add_option("--k", options->k, "How many partners")
      ->check(CLI::Range(1, Api::kMaxK));
  AddProfilesOption(suggest, ctx);
  AddJsonFlag(suggest, ctx);
  suggest->add_option("--diversity", options->diversity,
                      "Popularity decay λ: places in many others' top 5 rank "
                      "lower (0 = by score alone)")
      ->check(CLI::Range(0.0, Api::kMaxDiversity));
  suggest->callback([&ctx, options] {
    v1::SuggestPartnersRequest request;
    request.set_k(options->k);
    request.set_diversity(options->diversity);
    if (options->id.empty()) {
      if (options->csv.empty()) {
        throw CLI::RequiredError("--id (or --csv FILE for every place)");
      }
      ctx.exit_code = RunSuggestAll(ctx, request, options->csv);
      return;
    }
    request.set_profile_id(options->id);
    ctx.exit_code = RunSuggest(ctx, request, options->csv);
  });

  CLI::App* explain = app.add_subcommand(
      "explain", "Why (or why not) two places match, score in parts");
  explain->add_option("--id", options->id, "The first place")->required();
  explain->add_option("--with", options->with, "The second place")->required();
  AddProfilesOption(explain, ctx);
  AddJsonFlag(explain, ctx);
  explain->callback([&ctx, options] {
    v1::ExplainMatchRequest request;
    request.set_profile_id(options->id);
    request.set_partner_id(options->with);
    ctx.exit_code = RunExplain(ctx, request);
  });
}

}  // namespace pm::cli
