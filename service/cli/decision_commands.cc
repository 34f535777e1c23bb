// decide, decisions.
#include <iostream>

#include "absl/strings/str_format.h"
#include "service/cli/cli_common.h"
#include "service/convert.h"

namespace pm::cli {
namespace {

namespace v1 = partnermatch::v1;

struct DecideOptions {
  std::string id, with, kind, who, why;
};

int RunDecide(const Context& ctx, const DecideOptions& o) {
  std::optional<DecisionKind> kind = ParseDecisionKind(o.kind);
  if (!kind) {
    return Fail(absl::InvalidArgumentError(
        "--kind must be accepted, declined or existing, got '" + o.kind + "'"));
  }
  auto catalog = ProfileCatalog::OpenStore(StorePath(ctx));
  if (!catalog.ok()) return Fail(catalog.status());
  Decision decision;
  decision.profile_id = o.id;
  decision.partner_id = o.with;
  decision.kind = *kind;
  decision.who = o.who;
  decision.why = o.why;
  auto recorded = (*catalog)->RecordDecision(std::move(decision));
  if (!recorded.ok()) return Fail(recorded.status());
  const v1::Decision out = service::ToProto(*recorded);
  if (ctx.json) {
    PrintJson(out);
  } else {
    std::cout << "recorded decision " << out.sequence() << ": " << out.kind()
              << " " << out.profile_id() << " — " << out.partner_id()
              << " by " << out.who() << " at " << out.recorded_at() << "\n";
  }
  return 0;
}

int RunDecisions(const Context& ctx, const std::string& id) {
  auto catalog = OpenCatalog(ctx);
  if (!catalog.ok()) return Fail(catalog.status());
  std::shared_ptr<const MatchIndex> index = (*catalog)->Snapshot();
  if (!id.empty()) {
    if (auto row = index->Row(id); !row.ok()) return Fail(row.status());
  }
  v1::ListDecisionsResponse response;
  for (const Decision& d : index->decisions()) {
    if (id.empty() || d.profile_id == id || d.partner_id == id) {
      *response.add_decisions() = service::ToProto(d);
    }
  }
  if (ctx.json) {
    PrintJson(response);
    return 0;
  }
  if (response.decisions().empty()) std::cout << "no decisions recorded\n";
  for (const v1::Decision& d : response.decisions()) {
    std::cout << absl::StrFormat("%4d  %s  %-8s  %s — %s  by %s%s%s\n",
                                 d.sequence(), d.recorded_at(), d.kind(),
                                 d.profile_id(), d.partner_id(), d.who(),
                                 d.why().empty() ? "" : ": ", d.why());
  }
  return 0;
}

}  // namespace

void AddDecisionCommands(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<DecideOptions>();
  CLI::App* decide = app.add_subcommand(
      "decide", "Record a coordinator's decision about a pair (kept forever)");
  decide->add_option("--id", o->id, "One place")->required();
  decide->add_option("--with", o->with, "The other place")->required();
  decide->add_option("--kind", o->kind, "accepted, declined or existing")
      ->required();
  decide->add_option("--who", o->who, "Who decided")->required();
  decide->add_option("--why", o->why, "Why");
  AddJsonFlag(decide, ctx);
  decide->callback([&ctx, o] { ctx.exit_code = RunDecide(ctx, *o); });

  auto id = std::make_shared<std::string>();
  CLI::App* decisions = app.add_subcommand(
      "decisions", "The decision log, oldest first");
  decisions->add_option("--id", *id, "Only decisions naming this place");
  AddJsonFlag(decisions, ctx);
  decisions->callback([&ctx, id] { ctx.exit_code = RunDecisions(ctx, *id); });
}

}  // namespace pm::cli
