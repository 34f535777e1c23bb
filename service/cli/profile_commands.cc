// init, import, themes.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "engine/io/import_merge.h"
#include "engine/io/profile_format.h"
#include "engine/io/seed_page.h"
#include "service/cli/cli_common.h"
#include "service/cli/csv_tables.h"
#include "service/convert.h"

namespace pm::cli {
namespace {

namespace v1 = partnermatch::v1;

int RunThemes(const Context& common, const std::string& id,
              const std::string& csv_path) {
  auto catalog = OpenCatalog(common);
  if (!catalog.ok()) return Fail(catalog.status());
  std::shared_ptr<const MatchIndex> index = (*catalog)->Snapshot();
  std::vector<size_t> rows;
  if (id.empty()) {
    for (size_t i = 0; i < index->size(); ++i) rows.push_back(i);
  } else {
    auto row = index->Row(id);
    if (!row.ok()) return Fail(row.status());
    rows.push_back(*row);
  }
  v1::ThemesReport report;
  for (size_t row : rows) {
    const IndexedProfile& p = index->at(row);
    v1::ProfileThemes* out = report.add_profiles();
    out->set_id(p.profile.id);
    out->set_name(p.profile.name);
    for (const ThemeInterest& t : p.extraction.themes) {
      *out->add_themes() = service::ToProto(t, index->taxonomy(), p.profile.text);
    }
  }
  if (!csv_path.empty()) {
    if (absl::Status s = WriteCsv(csv_path, ThemesCsv(report, *index)); !s.ok()) {
      return Fail(s);
    }
  }
  if (common.json) {
    PrintJson(report);
    return 0;
  }
  for (size_t i = 0; i < rows.size(); ++i) {
    const v1::ProfileThemes& p = report.profiles(static_cast<int>(i));
    std::cout << Describe(index->at(rows[i])) << "\n";
    if (p.themes().empty()) std::cout << "  (no themes found)\n";
    for (const v1::ThemeInterest& t : p.themes()) {
      std::cout << absl::StrFormat("  %-24s %-7s %.2f\n", t.theme(), t.role(),
                                   t.weight());
      for (const v1::Evidence& e : t.evidence()) {
        std::cout << "      " << Quote(e) << "\n";
      }
    }
    std::cout << "\n";
  }
  return 0;
}

bool LooksLikeJsonl(const std::string& path, const std::string& content) {
  if (absl::EndsWith(path, ".jsonl") || absl::EndsWith(path, ".json")) return true;
  const size_t first = content.find_first_not_of(" \t\r\n");
  return first != std::string::npos && content[first] == '{';
}

// Writes the cards that have no country as JSON Lines drafts to `path`.
absl::Status WriteDrafts(const std::string& path,
                         const std::vector<Profile>& drafts) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  for (const Profile& draft : drafts) out << DraftToJsonLine(draft) << "\n";
  out.close();
  if (!out) {
    return absl::UnavailableError(absl::StrCat("cannot write '", path, "'"));
  }
  return absl::OkStatus();
}

struct ImportOptions {
  std::vector<std::string> files;
  std::string drafts;
  bool dry_run = false;
};

// Reads every file: profile files whole, pages with their warnings and
// drafts.
absl::Status ReadImports(const std::vector<std::string>& files,
                         std::vector<IncomingProfile>* incoming,
                         std::vector<Profile>* drafts) {
  // Where each id of a profile file was first given: "<file>:<line>".
  std::map<std::string, std::string> first_given;
  for (const std::string& file : files) {
    auto content = ReadFile(file);
    if (!content.ok()) return content.status();
    if (LooksLikeJsonl(file, *content)) {
      std::vector<size_t> lines;
      auto profiles =
          ParseProfilesJsonl(*content, file, Gazetteer::Bundled(), &lines);
      if (!profiles.ok()) return profiles.status();
      for (size_t i = 0; i < profiles->size(); ++i) {
        Profile& p = (*profiles)[i];
        const std::string at = absl::StrCat(file, ":", lines[i]);
        const auto [it, first] = first_given.emplace(p.id, at);
        if (!first) {
          return absl::InvalidArgumentError(
              absl::StrCat(at, ": field 'id': duplicate id '", p.id,
                           "' (first in ", it->second, ")"));
        }
        incoming->push_back({std::move(p)});
      }
      continue;
    }
    auto page = ParseSeedPage(*content, file, Gazetteer::Bundled(),
                              PlaceGazetteer::Bundled());
    if (!page.ok()) return page.status();
    for (const std::string& warning : page->warnings) {
      std::cerr << "partner-match: warning: " << warning << "\n";
    }
    for (size_t i = 0; i < page->profiles.size(); ++i) {
      incoming->push_back({std::move(page->profiles[i]), /*from_page=*/true,
                           page->inferred[i].country, page->inferred[i].kind});
    }
    std::move(page->drafts.begin(), page->drafts.end(),
              std::back_inserter(*drafts));
  }
  return absl::OkStatus();
}

// Prints one line per place the import adds or changes, or leaves with a
// note.
void PrintPlan(const ImportPlan& plan) {
  for (const MergeStep& step : plan.steps) {
    if (step.action == MergeAction::kKeep && step.notes.empty()) continue;
    std::cout << absl::StrFormat("  %-9s %s (%s)", MergeActionName(step.action),
                                 step.id, step.name);
    if (!step.notes.empty()) {
      std::cout << ": " << absl::StrJoin(step.notes, "; ");
    }
    std::cout << "\n";
  }
}

int RunImport(const Context& common, const ImportOptions& options) {
  std::vector<IncomingProfile> incoming;
  std::vector<Profile> drafts;
  if (absl::Status s = ReadImports(options.files, &incoming, &drafts);
      !s.ok()) {
    return Fail(s);
  }
  if (!drafts.empty() && !options.drafts.empty()) {
    if (absl::Status s = WriteDrafts(options.drafts, drafts); !s.ok()) {
      return Fail(s);
    }
    std::cerr << "partner-match: " << drafts.size()
              << " cards have no country: written to " << options.drafts
              << "; fill in each empty 'country' and import that file\n";
  } else if (!drafts.empty()) {
    std::cerr << "partner-match: " << drafts.size()
              << " cards have no country: --drafts FILE writes them as "
                 "JSON Lines to complete\n";
  }
  if (incoming.empty()) {
    return Fail(absl::InvalidArgumentError("no profile found in the input"));
  }
  const std::string path = StorePath(common);
  std::unique_ptr<ProfileCatalog> catalog;
  std::vector<Profile> stored;
  // A dry run creates no store; a --db path with no store is refused (only
  // the default path is created on first use).
  if (!options.dry_run || std::filesystem::exists(path)) {
    auto opened = OpenCatalog(common, MissingStore::kCreateAtDefaultPath);
    if (!opened.ok()) return Fail(opened.status());
    catalog = *std::move(opened);
    for (const IndexedProfile& entry : catalog->Snapshot()->profiles()) {
      stored.push_back(entry.profile);
    }
  }
  const ImportPlan plan = PlanImport(stored, incoming);
  PrintPlan(plan);
  if (options.dry_run) {
    std::cout << "dry run: would add " << plan.added << ", change "
              << plan.changed << " and leave " << plan.kept
              << " unchanged in " << path << "; nothing was written\n";
    return 0;
  }
  if (!plan.writes.empty()) {
    auto counts = catalog->Upsert(plan.writes);
    if (!counts.ok()) {
      return Fail(absl::Status(counts.status().code(),
                               absl::StrCat(counts.status().message(),
                                            " (nothing was imported)")));
    }
  }
  std::cout << "imported " << incoming.size() << " profiles (" << plan.added
            << " new, " << plan.changed << " updated, " << plan.kept
            << " unchanged) into " << catalog->store_path() << "; the store "
            << "holds " << catalog->Snapshot()->size() << "\n";
  return 0;
}

int RunInit(const Context& common, bool empty) {
  const std::string path = StorePath(common);
  if (std::filesystem::exists(path)) {
    return Fail(absl::FailedPreconditionError(absl::StrCat(
        "a store already exists at '", path,
        "'; remove it first or choose another with --db")));
  }
  auto catalog = ProfileCatalog::OpenStore(path, empty);
  if (!catalog.ok()) return Fail(catalog.status());
  if (!(*catalog)->created()) {  // a PostgreSQL database with the schema
    return Fail(absl::FailedPreconditionError(absl::StrCat(
        "a store already exists in '", (*catalog)->store_path(),
        "'; use it, or choose another database with --db")));
  }
  std::cout << "created " << (*catalog)->store_path() << " with "
            << (*catalog)->Snapshot()->size() << " profiles\n";
  return 0;
}

}  // namespace

void AddProfileCommands(CLI::App& app, Context& ctx) {
  auto empty = std::make_shared<bool>(false);
  CLI::App* init = app.add_subcommand(
      "init", "Create the store, filled with the bundled profiles");
  init->add_flag("--empty", *empty, "Create it empty");
  init->callback([&ctx, empty] { ctx.exit_code = RunInit(ctx, *empty); });

  auto import_options = std::make_shared<ImportOptions>();
  CLI::App* import = app.add_subcommand(
      "import", "Import profiles (JSON Lines, or the programme's page text) "
                "into the store, all or nothing; a place already stored "
                "(same id, or same name and country) is updated in place");
  import->add_option("FILE", import_options->files, "Files to import")
      ->required();
  import->add_option("--drafts", import_options->drafts,
                     "Write the page's cards that have no country to this "
                     "JSON Lines file, to complete and import");
  import->add_flag("--dry-run", import_options->dry_run,
                   "Show what would be added, changed and left alone; "
                   "write nothing");
  import->callback([&ctx, import_options] {
    ctx.exit_code = RunImport(ctx, *import_options);
  });

  auto id = std::make_shared<std::string>();
  auto csv = std::make_shared<std::string>();
  CLI::App* themes = app.add_subcommand(
      "themes", "Extracted themes with role, weight and evidence");
  themes->add_option("--id", *id, "Only this profile");
  themes->add_option("--csv", *csv,
                     "Also write the themes as a spreadsheet (CSV), one row "
                     "per place and theme");
  AddProfilesOption(themes, ctx);
  AddJsonFlag(themes, ctx);
  themes->callback(
      [&ctx, id, csv] { ctx.exit_code = RunThemes(ctx, *id, *csv); });
}

}  // namespace pm::cli
