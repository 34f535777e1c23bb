// decide, decisions.
#include <iostream>

#include "absl/strings/str_format.h"
#include "service/api/partner_match_api.h"
#include "service/cli/cli_common.h"

namespace pm::cli {
namespace {

namespace v1 = partnermatch::v1;

struct DecideOptions {
  std::string id, with, kind, who, why;
};

int RunDecide(const Context& ctx, const DecideOptions& o) {
  // The flag's own wording; the API would name the field 'kind'.
  if (!ParseDecisionKind(o.kind)) {
    return Fail(absl::InvalidArgumentError(
        "--kind must be accepted, declined or existing, got '" + o.kind + "'"));
  }
  auto catalog = OpenCatalog(ctx);
  if (!catalog.ok()) return Fail(catalog.status());
  v1::RecordDecisionRequest request;
  v1::Decision* decision = request.mutable_decision();
  decision->set_profile_id(o.id);
  decision->set_partner_id(o.with);
  decision->set_kind(o.kind);
  decision->set_who(o.who);
  decision->set_why(o.why);
  v1::RecordDecisionResponse response;
  service::PartnerMatchApi api(**catalog);
  if (absl::Status s = api.RecordDecision(request, response); !s.ok()) {
    return Fail(s);
  }
  const v1::Decision& out = response.decision();
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
  if (!id.empty()) {  // a typo gets a "did you mean" rather than no rows
    auto row = (*catalog)->Snapshot()->Row(id);
    if (!row.ok()) return Fail(row.status());
  }
  const service::PartnerMatchApi api(**catalog);
  v1::ListDecisionsRequest request;
  request.set_profile_id(id);
  request.set_page_size(service::PartnerMatchApi::kMaxPageSize);
  v1::ListDecisionsResponse response;
  do {  // every page
    v1::ListDecisionsResponse page;
    if (absl::Status s = api.ListDecisions(request, page); !s.ok()) {
      return Fail(s);
    }
    for (v1::Decision& d : *page.mutable_decisions()) {
      *response.add_decisions() = std::move(d);
    }
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
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
