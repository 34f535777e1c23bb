// clusters, exposure (and the cohort options they share).
#include <fstream>
#include <iostream>

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "engine/graph/graph_dot.h"
#include "engine/graph/thematic_clusters.h"
#include "engine/matching/exposure.h"
#include "engine/planning/cohort.h"
#include "service/cli/cli_common.h"
#include "service/convert.h"

namespace pm::cli {
namespace {

namespace v1 = partnermatch::v1;

int RunClusters(const Context& ctx, const CohortOptions& cohort, int min_size,
                int max_size) {
  auto catalog = OpenCatalog(ctx);
  if (!catalog.ok()) return Fail(catalog.status());
  std::shared_ptr<const MatchIndex> index = (*catalog)->Snapshot();
  auto rows = SelectCohort(*index, cohort.selector);
  if (!rows.ok()) return Fail(rows.status());
  ClusterOptions options;
  options.min_size = min_size;
  options.max_size = max_size;
  auto clustering = FindThematicClusters(*index, *rows, options);
  if (!clustering.ok()) return Fail(clustering.status());
  v1::FindClustersResponse response = service::ToProto(*clustering, *index);
  if (int failed = WriteGraph(cohort, response.dot()); failed != 0) {
    return failed;
  }
  if (ctx.json) {
    PrintJson(response);
    return 0;
  }
  std::cout << absl::StrFormat("%d clusters of %d places (modularity %.2f)\n",
                               response.clusters_size(), rows->size(),
                               response.modularity());
  for (int i = 0; i < response.clusters_size(); ++i) {
    const v1::ThematicCluster& c = response.clusters(i);
    std::cout << absl::StrFormat("\n%d. %s\n   central: %s\n   members: %s\n",
                                 i + 1, absl::StrJoin(c.themes(), ", "),
                                 absl::StrJoin(c.central_member_ids(), ", "),
                                 absl::StrJoin(c.member_ids(), ", "));
  }
  if (!response.unclustered_ids().empty()) {
    std::cout << "\nunclustered: "
              << absl::StrJoin(response.unclustered_ids(), ", ") << "\n";
  }
  return 0;
}

int RunExposure(const Context& ctx, double diversity) {
  auto catalog = OpenCatalog(ctx);
  if (!catalog.ok()) return Fail(catalog.status());
  std::shared_ptr<const MatchIndex> index = (*catalog)->Snapshot();
  const DiverseSuggester suggester;
  auto report = suggester.Report(index, diversity);
  if (!report.ok()) return Fail(report.status());
  const v1::GetExposureReportResponse response =
      service::ToProto(*report, *index);
  if (ctx.json) {
    PrintJson(response);
    return 0;
  }
  std::cout << absl::StrFormat(
      "Appearances in the other places' top %d (%s over %d lists), without "
      "and with the popularity decay λ = %.2f\n\n",
      response.top_n(), response.exact() ? "exact" : "sampled",
      response.lists(), response.diversity());
  std::cout << PadRight("place", 44) << absl::StrFormat("%7s %7s\n", "before", "after");
  for (const v1::ExposureEntry& e : response.entries()) {
    std::cout << PadRight(e.name() + " (" + e.profile_id() + ")", 44)
              << absl::StrFormat("%7.0f %7.0f\n", e.before(), e.after());
  }
  std::cout << absl::StrFormat(
      "\nconcentration: max %.0f → %.0f, Gini %.3f → %.3f\n",
      response.before().max(), response.after().max(),
      response.before().gini(), response.after().gini());
  return 0;
}

}  // namespace

void AddCohortOptions(CLI::App* cmd, CohortOptions& options) {
  cmd->add_option("--ids", options.selector.ids,
                  "Only these places (comma-separated ids)")
      ->delimiter(',');
  cmd->add_option("--kind", options.selector.kind, "Only cities or regions")
      ->check(CLI::IsMember({"city", "region"}));
  cmd->add_option("--region", options.selector.world_region,
                  "Only EU members and the partner-country members of this "
                  "world region, e.g. 'Latin America and the Caribbean'");
  cmd->add_option("--dot", options.dot_path,
                  "Also write the graph as Graphviz DOT to this file");
  cmd->add_option("--svg", options.svg_path,
                  "Also draw the graph as SVG to this file (needs Graphviz)");
}

int WriteGraph(const CohortOptions& options, const std::string& dot) {
  const auto write = [](const std::string& path, const std::string& content) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << content;
    out.close();
    return out ? absl::OkStatus()
               : absl::UnavailableError("cannot write '" + path + "'");
  };
  if (!options.dot_path.empty()) {
    if (absl::Status s = write(options.dot_path, dot); !s.ok()) return Fail(s);
  }
  if (!options.svg_path.empty()) {
    // The picture is an extra: without it the result is still printed.
    absl::StatusOr<std::string> svg = RenderSvg(dot);
    absl::Status saved = svg.ok() ? write(options.svg_path, *svg) : svg.status();
    if (!saved.ok()) {
      std::cerr << "partner-match: warning: no picture drawn: "
                << saved.message() << "\n";
    }
  }
  return 0;
}

void AddCohortCommands(CLI::App& app, Context& ctx) {
  struct ClusterCommand {
    CohortOptions cohort;
    int min_size = 2;
    int max_size = 0;
  };
  auto c = std::make_shared<ClusterCommand>();
  CLI::App* clusters = app.add_subcommand(
      "clusters", "Thematic clusters of places on the similarity graph");
  AddCohortOptions(clusters, c->cohort);
  clusters->add_option("--min-size", c->min_size,
                       "Smaller communities are left unclustered")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000));
  clusters->add_option("--max-size", c->max_size,
                       "Larger communities are split (0: no limit)")
      ->capture_default_str()
      ->check(CLI::Range(0, 100000));
  AddProfilesOption(clusters, ctx);
  AddJsonFlag(clusters, ctx);
  clusters->callback([&ctx, c] {
    ctx.exit_code = RunClusters(ctx, c->cohort, c->min_size, c->max_size);
  });

  auto diversity = std::make_shared<double>(DiversityOptions().lambda);
  CLI::App* exposure = app.add_subcommand(
      "exposure",
      "How often each place appears in the others' top 5, before and after "
      "the popularity decay");
  exposure->add_option("--diversity", *diversity, "The decay λ")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 10.0));
  AddProfilesOption(exposure, ctx);
  AddJsonFlag(exposure, ctx);
  exposure->callback(
      [&ctx, diversity] { ctx.exit_code = RunExposure(ctx, *diversity); });
}

}  // namespace pm::cli
