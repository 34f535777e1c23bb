// list and show: what a store holds.
#include <algorithm>
#include <iostream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "engine/geo/gazetteer.h"
#include "service/api/partner_match_api.h"
#include "service/cli/cli_common.h"

namespace pm::cli {
namespace {

namespace v1 = partnermatch::v1;

struct ListOptions {
  std::string kind;     // empty: every kind
  std::string country;  // empty: every country
};

int RunList(const Context& ctx, const ListOptions& options) {
  const std::string country = absl::AsciiStrToUpper(options.country);
  if (!country.empty() && Gazetteer::Bundled().Find(country) == nullptr) {
    return Fail(absl::InvalidArgumentError(absl::StrCat(
        "--country: unknown country code '", options.country.substr(0, 16),
        "' (ISO 3166-1 alpha-2, e.g. ES)")));
  }
  auto catalog = OpenCatalog(ctx);
  if (!catalog.ok()) return Fail(catalog.status());
  std::shared_ptr<const MatchIndex> index = (*catalog)->Snapshot();
  const service::PartnerMatchApi api(**catalog);
  v1::ListProfilesRequest request;
  request.set_page_size(service::PartnerMatchApi::kMaxPageSize);
  v1::ListProfilesResponse response;
  std::vector<const IndexedProfile*> shown;
  do {  // every page
    v1::ListProfilesResponse page;
    if (absl::Status s = api.ListProfiles(request, page); !s.ok()) return Fail(s);
    for (v1::Profile& p : *page.mutable_profiles()) {
      if (!options.kind.empty() && p.kind() != options.kind) continue;
      if (!country.empty() && p.country() != country) continue;
      shown.push_back(&index->at(*index->Row(p.id())));
      *response.add_profiles() = std::move(p);
    }
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  if (ctx.json) {
    PrintJson(response);
    return 0;
  }
  size_t name_width = 4;
  size_t id_width = 2;
  for (const IndexedProfile* p : shown) {
    name_width = std::max(name_width, CodePoints(p->profile.name));
    id_width = std::max(id_width, p->profile.id.size());
  }
  std::cout << PadRight("id", id_width + 2) << PadRight("name", name_width + 2)
            << "kind         country  side\n";
  for (const IndexedProfile* p : shown) {
    std::cout << PadRight(p->profile.id, id_width + 2)
              << PadRight(p->profile.name, name_width + 2)
              << absl::StrFormat("%-12s %-8s %s\n",
                                 PlaceKindName(p->profile.kind),
                                 p->profile.country,
                                 p->eu_member ? "EU member" : "partner country");
  }
  std::cout << shown.size() << " of " << index->size() << " profiles\n";
  return 0;
}

int RunShow(const Context& ctx, const std::string& id) {
  auto catalog = OpenCatalog(ctx);
  if (!catalog.ok()) return Fail(catalog.status());
  const service::PartnerMatchApi api(**catalog);
  v1::GetProfileRequest request;
  request.set_id(id);
  v1::GetProfileResponse response;
  if (absl::Status s = api.GetProfile(request, response); !s.ok()) return Fail(s);
  if (ctx.json) {
    PrintJson(response);
    return 0;
  }
  std::shared_ptr<const MatchIndex> index = (*catalog)->Snapshot();
  const IndexedProfile& p = index->at(*index->Row(id));
  std::cout << Describe(p) << "\n";
  std::cout << "  world region:   " << p.world_region << "\n";
  if (p.profile.population > 0) {
    std::cout << "  population:     " << p.profile.population << "\n";
  }
  if (!p.profile.known_partners.empty()) {
    std::cout << "  known partners: "
              << absl::StrJoin(p.profile.known_partners, ", ") << "\n";
  }
  std::cout << "  themes:        ";
  if (response.themes().empty()) std::cout << " (none found)";
  for (const v1::ThemeInterest& t : response.themes()) {
    std::cout << absl::StrFormat(" %s (%s %.2f)", t.theme(), t.role(), t.weight());
  }
  std::cout << "\n\n" << p.profile.text << "\n";
  return 0;
}

}  // namespace

void AddListCommands(CLI::App& app, Context& ctx) {
  auto options = std::make_shared<ListOptions>();
  CLI::App* list = app.add_subcommand("list", "The profiles in the store");
  list->add_option("--kind", options->kind, "Only places of this kind")
      ->check(CLI::IsMember({"city", "region", "association"}));
  list->add_option("--country", options->country,
                   "Only places in this country (ISO code, e.g. ES)");
  AddProfilesOption(list, ctx);
  AddJsonFlag(list, ctx);
  list->callback([&ctx, options] { ctx.exit_code = RunList(ctx, *options); });

  auto id = std::make_shared<std::string>();
  CLI::App* show = app.add_subcommand(
      "show", "One profile: its fields, derived side and region, themes, text");
  show->add_option("--id", *id, "The profile")->required();
  AddProfilesOption(show, ctx);
  AddJsonFlag(show, ctx);
  show->callback([&ctx, id] { ctx.exit_code = RunShow(ctx, *id); });
}

}  // namespace pm::cli
