// report: the cohort's plan, themes, suggestions, network and decisions as
// one self-contained HTML page (service/report/report_page.h).
#include <fstream>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "service/api/partner_match_api.h"
#include "service/cli/cli_common.h"
#include "service/report/report_data.h"
#include "service/report/report_page.h"

namespace pm::cli {
namespace {

struct ReportCommand {
  CohortSelector cohort;
  std::string out;
  std::string title;
  int suggestions = 5;
  bool trios = false;
  int capacity = PairingOptions().capacity;
};

int RunReport(const Context& ctx, const ReportCommand& c) {
  auto catalog = OpenCatalog(ctx);
  if (!catalog.ok()) return Fail(catalog.status());
  const service::PartnerMatchApi api(**catalog);
  service::ReportRequest request;
  request.cohort = SelectorProto(c.cohort);
  request.pairing.set_capacity(c.capacity);
  request.pairing.set_trios(c.trios);
  request.suggestions = c.suggestions;
  request.title = c.title;
  request.source = ctx.profiles.empty() ? (*catalog)->store_path() : ctx.profiles;
  absl::StatusOr<service::ReportData> data =
      service::GatherReport(api, request, ctx.progress);
  if (!data.ok()) return Fail(data.status());
  const std::string html = service::ReportHtml(*data);
  std::ofstream out(c.out, std::ios::binary | std::ios::trunc);
  out << html;
  out.close();
  if (!out) return Fail(absl::UnavailableError("cannot write '" + c.out + "'"));
  std::cout << "wrote " << c.out << ": " << data->places.size() << " places, "
            << data->plan.groups_size() << " groups, "
            << data->plan.unmatched_size() << " unmatched, "
            << data->clusters.clusters_size() << " clusters, "
            << data->decisions.size() << " decisions\n";
  return 0;
}

}  // namespace

void AddReportCommand(CLI::App& app, Context& ctx) {
  auto c = std::make_shared<ReportCommand>();
  CLI::App* report = app.add_subcommand(
      "report",
      "One self-contained HTML page for colleagues and the steering group: "
      "the cohort, its themes, the plan with reasons, the network, each "
      "place's suggestions and the decisions so far");
  AddCohortSelection(report, c->cohort);
  report->add_option("--out", c->out, "The HTML file to write")->required();
  report->add_option("--title", c->title,
                     "The page's title (default: 'Pairing plan for N places')");
  report->add_option("--k", c->suggestions, "Top suggestions shown per place")
      ->capture_default_str()
      ->check(CLI::Range(1, 20));
  report->add_option("--capacity", c->capacity, "Partners per member in the plan")
      ->capture_default_str()
      ->check(CLI::Range(1, PairingOptions::kMaxCapacity));
  report->add_flag("--trios", c->trios,
                   "Let the plan propose trios where a third member adds enough");
  AddProfilesOption(report, ctx);
  report->callback([&ctx, c] { ctx.exit_code = RunReport(ctx, *c); });
}

}  // namespace pm::cli
