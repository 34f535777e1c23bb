// plan.
#include <iostream>

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "engine/planning/pairing_planner.h"
#include "service/api/partner_match_api.h"
#include "service/cli/cli_common.h"
#include "service/cli/csv_tables.h"

namespace pm::cli {
namespace {

namespace v1 = partnermatch::v1;

struct PlanCommand {
  CohortOptions cohort;
  v1::PairingOptions options;
  // The engine's defaults, shown by --help.
  int capacity = PairingOptions().capacity;
  double min_score = PairingOptions().min_score;
  std::string kind_rule = "soft";
  std::vector<std::string> fixed, forbidden;
  bool trios = false;
  int max_group_size = PairingOptions().max_group_size;
  double min_trio_gain = -1;  // < 0: the planner's default
  std::string csv_path;       // --csv
};

// "a:b" pairs into `out`; INVALID_ARGUMENT naming the flag otherwise.
absl::Status ParsePairs(const std::vector<std::string>& pairs,
                        const char* flag,
                        google::protobuf::RepeatedPtrField<v1::PairRef>* out) {
  for (const std::string& pair : pairs) {
    std::vector<std::string> ids = absl::StrSplit(pair, ':');
    if (ids.size() != 2 || ids[0].empty() || ids[1].empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          flag, " takes ID:ID pairs, got '", pair, "'"));
    }
    v1::PairRef* ref = out->Add();
    ref->set_profile_id(ids[0]);
    ref->set_partner_id(ids[1]);
  }
  return absl::OkStatus();
}

std::string Names(const MatchIndex& index,
                  const google::protobuf::RepeatedPtrField<std::string>& ids) {
  std::vector<std::string> names;
  for (const std::string& id : ids) {
    const std::optional<size_t> row = index.Find(id);
    names.push_back(row ? absl::StrCat(index.at(*row).profile.name, " (",
                                       index.at(*row).profile.country, ")")
                        : id);
  }
  return absl::StrJoin(names, " — ");
}

// Every member of the cohort is in one group or unmatched.
int CohortSize(const v1::ProposePairingsResponse& plan) {
  int n = plan.unmatched_size();
  for (const v1::PlannedGroup& g : plan.groups()) n += g.member_ids_size();
  return n;
}

int RunPlan(const Context& ctx, PlanCommand& c) {
  c.options.set_capacity(c.capacity);
  c.options.set_min_score(c.min_score);
  c.options.set_kind_rule(c.kind_rule);
  c.options.set_trios(c.trios);
  c.options.set_max_group_size(c.max_group_size);
  if (c.min_trio_gain >= 0) c.options.set_min_trio_gain(c.min_trio_gain);
  if (absl::Status s = ParsePairs(c.fixed, "--fix", c.options.mutable_fixed());
      !s.ok()) {
    return Fail(s);
  }
  if (absl::Status s =
          ParsePairs(c.forbidden, "--forbid", c.options.mutable_forbidden());
      !s.ok()) {
    return Fail(s);
  }
  auto catalog = OpenCatalog(ctx);
  if (!catalog.ok()) return Fail(catalog.status());
  std::shared_ptr<const MatchIndex> index = (*catalog)->Snapshot();
  v1::ProposePairingsRequest request;
  *request.mutable_cohort() = SelectorProto(c.cohort.selector);
  *request.mutable_options() = c.options;
  v1::ProposePairingsResponse response;
  const service::PartnerMatchApi api(**catalog);
  if (absl::Status s = api.ProposePairings(request, response); !s.ok()) {
    return Fail(s);
  }
  const auto files = [&] {
    int failed = WriteGraph(c.cohort, response.dot());
    if (!c.csv_path.empty()) {
      if (absl::Status s = WriteCsv(c.csv_path, PlanCsv(response, *index));
          !s.ok()) {
        failed = Fail(s);
      }
    }
    return failed;
  };
  if (ctx.json) {
    PrintJson(response);
    return files();
  }
  std::cout << absl::StrFormat(
      "Plan for %d places: %d groups, %d unmatched, total score %.3f\n",
      CohortSize(response), response.groups_size(), response.unmatched_size(),
      response.total_score());
  for (int i = 0; i < response.groups_size(); ++i) {
    const v1::PlannedGroup& g = response.groups(i);
    std::cout << absl::StrFormat(
        "\n%2d. %s %s  score %.3f%s%s\n", i + 1, g.kind(),
        Names(*index, g.member_ids()), g.score(), g.fixed() ? "  (fixed)" : "",
        g.weak() ? absl::StrFormat("  (weak: a pair below %.2f or without "
                                   "reasons; check it first)",
                                   response.weak_score())
                 : "");
    for (const v1::PairReasons& pair : g.pairs()) {
      if (g.pairs_size() > 1) {
        std::cout << absl::StrFormat("     %s — %s  %.3f\n", pair.profile_id(),
                                     pair.partner_id(), pair.score());
      }
      for (int r = 0; r < pair.reasons_size() && r < 3; ++r) {
        const v1::Reason& reason = pair.reasons(r);
        std::cout << absl::StrFormat("     + %.3f %s\n", reason.contribution(),
                                     reason.summary());
        if (!reason.self_evidence().empty()) {
          std::cout << "         " << pair.profile_id() << ": "
                    << Quote(reason.self_evidence(0)) << "\n";
        }
        if (!reason.partner_evidence().empty()) {
          std::cout << "         " << pair.partner_id() << ": "
                    << Quote(reason.partner_evidence(0)) << "\n";
        }
      }
    }
  }
  if (!response.conflicts().empty()) {
    std::cout << "\nDecisions left out of the plan:\n";
  }
  for (const v1::PlanConflict& c : response.conflicts()) {
    std::cout << "  " << c.message() << "\n";
  }
  if (!response.unmatched().empty()) std::cout << "\nUnmatched:\n";
  for (const v1::UnmatchedMember& u : response.unmatched()) {
    std::cout << "  " << u.profile_id() << ": " << u.reason() << "\n";
  }
  return files();
}

}  // namespace

void AddPlanCommand(CLI::App& app, Context& ctx) {
  auto c = std::make_shared<PlanCommand>();
  CLI::App* plan = app.add_subcommand(
      "plan", "The cohort pairing plan that maximises the total score under "
              "the programme's rules");
  AddCohortOptions(plan, c->cohort);
  plan->add_option("--capacity", c->capacity, "Partners per member")
      ->capture_default_str()
      ->check(CLI::Range(1, PairingOptions::kMaxCapacity));
  plan->add_option("--min-score", c->min_score,
                   "Leave a member unmatched rather than pair it below this")
      ->capture_default_str();
  plan->add_option("--kind-rule", c->kind_rule,
                   "soft: a city with a region is penalised; hard: never")
      ->capture_default_str()
      ->check(CLI::IsMember({"soft", "hard"}));
  plan->add_option("--fix", c->fixed, "A pair that must stay (ID:ID)")
      ->delimiter(',');
  plan->add_option("--forbid", c->forbidden, "A pair that must not (ID:ID)")
      ->delimiter(',');
  plan->add_flag("--trios", c->trios,
                 "Propose trios where a third member adds enough");
  plan->add_option("--max-group-size", c->max_group_size, "Largest group")
      ->capture_default_str()
      ->check(CLI::Range(2, PairingOptions::kMaxGroupSize));
  plan->add_option("--min-trio-gain", c->min_trio_gain,
                   "A third member must add at least this (default: the "
                   "weakest pair of the pairs-only plan)")
      ->default_str("")
      ->check(CLI::Range(0.0, 100.0));
  plan->add_option("--csv", c->csv_path,
                   "Also write the plan as a spreadsheet (CSV): one row per "
                   "group and per unmatched place");
  AddProfilesOption(plan, ctx);
  AddJsonFlag(plan, ctx);
  plan->callback([&ctx, c] { ctx.exit_code = RunPlan(ctx, *c); });
}

}  // namespace pm::cli
