// clusters, exposure (and the cohort options they share).
#include <fstream>
#include <iostream>

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "engine/graph/dot_picture.h"
#include "service/api/partner_match_api.h"
#include "service/cli/cli_common.h"
#include "service/cli/graphviz.h"

namespace pm::cli {
namespace {

namespace v1 = partnermatch::v1;

int RunClusters(const Context& ctx, const CohortOptions& cohort,
                const v1::FindClustersRequest& request) {
  auto catalog = OpenCatalog(ctx);
  if (!catalog.ok()) return Fail(catalog.status());
  const service::PartnerMatchApi api(**catalog);
  v1::FindClustersResponse response;
  if (absl::Status s = api.FindClusters(request, response); !s.ok()) {
    return Fail(s);
  }
  if (ctx.json) {
    PrintJson(response);
    return WriteGraph(cohort, response.dot());
  }
  // Every member of the cohort is in one cluster or unclustered.
  int places = response.unclustered_ids_size();
  for (const v1::ThematicCluster& c : response.clusters()) {
    places += c.member_ids_size();
  }
  std::cout << absl::StrFormat("%d clusters of %d places (modularity %.2f)\n",
                               response.clusters_size(), places,
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
  return WriteGraph(cohort, response.dot());
}

int RunExposure(const Context& ctx,
                const v1::GetExposureReportRequest& request) {
  auto catalog = OpenCatalog(ctx);
  if (!catalog.ok()) return Fail(catalog.status());
  const service::PartnerMatchApi api(**catalog);
  v1::GetExposureReportResponse response;
  if (absl::Status s = api.GetExposureReport(request, response); !s.ok()) {
    return Fail(s);
  }
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

void AddCohortSelection(CLI::App* cmd, CohortSelector& selector) {
  cmd->add_option("--ids", selector.ids,
                  "Only these places (comma-separated ids)")
      ->delimiter(',');
  cmd->add_option("--kind", selector.kind, "Only cities or regions")
      ->check(CLI::IsMember({"city", "region"}));
  cmd->add_option("--region", selector.world_region,
                  "Only EU members and the partner-country members of this "
                  "world region, e.g. 'Latin America and the Caribbean'");
}

void AddCohortOptions(CLI::App* cmd, CohortOptions& options) {
  AddCohortSelection(cmd, options.selector);
  cmd->add_option("--dot", options.dot_path,
                  "Also write the graph as Graphviz DOT to this file");
  cmd->add_option("--svg", options.svg_path,
                  "Also draw the graph as SVG to this file (the program's own "
                  "layout)");
  cmd->add_flag("--graphviz", options.graphviz,
                "Draw --svg with Graphviz's dot instead (needs Graphviz)");
}

v1::CohortSelector SelectorProto(const CohortSelector& selector) {
  v1::CohortSelector out;
  for (const std::string& id : selector.ids) out.add_ids(id);
  out.set_kind(selector.kind);
  out.set_world_region(selector.world_region);
  return out;
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
    // The picture is an extra: the result is printed before it is drawn.
    absl::StatusOr<std::string> svg =
        options.graphviz ? RenderSvg(dot) : DotToSvg(dot);
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
    v1::FindClustersRequest request;
    *request.mutable_cohort() = SelectorProto(c->cohort.selector);
    request.set_min_size(c->min_size);
    request.set_max_size(c->max_size);
    ctx.exit_code = RunClusters(ctx, c->cohort, request);
  });

  auto diversity =
      std::make_shared<double>(service::PartnerMatchApi::kDefaultDiversity);
  CLI::App* exposure = app.add_subcommand(
      "exposure",
      "How often each place appears in the others' top 5, before and after "
      "the popularity decay");
  exposure->add_option("--diversity", *diversity, "The decay λ")
      ->check(CLI::Range(0.0, service::PartnerMatchApi::kMaxDiversity));
  AddProfilesOption(exposure, ctx);
  AddJsonFlag(exposure, ctx);
  exposure->callback([&ctx, diversity] {
    v1::GetExposureReportRequest request;
    request.set_diversity(*diversity);
    ctx.exit_code = RunExposure(ctx, request);
  });
}

}  // namespace pm::cli
