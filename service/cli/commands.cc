#include "service/cli/commands.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "CLI/CLI.hpp"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "engine/common/status_macros.h"
#include "engine/io/profile_format.h"
#include "engine/io/seed_page.h"
#include "engine/matching/profile_catalog.h"
#include "engine/matching/reciprocal_scorer.h"
#include "engine/store/profile_store.h"
#include "service/convert.h"
#include "service/grpc/server.h"

namespace pm::cli {
namespace {

namespace v1 = partnermatch::v1;

// Input files larger than this are refused before they are read.
constexpr uintmax_t kMaxInputFileBytes = uintmax_t{256} << 20;
// Evidence sentences longer than this are shortened in tables.
constexpr size_t kMaxQuoteBytes = 220;

// Options shared by the subcommands.
struct Common {
  std::string db;        // --db: the store; DefaultStorePath() when empty
  std::string profiles;  // --profiles: a JSONL file instead of the store
  bool json = false;
};

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::error_code ec;
  const uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec) {
    return absl::NotFoundError(
        absl::StrCat("cannot read '", path, "': ", ec.message()));
  }
  if (size > kMaxInputFileBytes) {
    return absl::ResourceExhaustedError(
        absl::StrCat("'", path, "' is ", size, " bytes; at most ",
                     kMaxInputFileBytes, " bytes are read"));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open '", path, "'"));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string StorePath(const Common& common) {
  return common.db.empty() ? DefaultStorePath() : common.db;
}

absl::StatusOr<std::unique_ptr<ProfileCatalog>> OpenCatalog(
    const Common& common) {
  if (!common.profiles.empty()) {
    PM_ASSIGN_OR_RETURN(std::string content, ReadFile(common.profiles));
    PM_ASSIGN_OR_RETURN(
        std::vector<Profile> profiles,
        ParseProfilesJsonl(content, common.profiles, Gazetteer::Bundled()));
    return ProfileCatalog::InMemory(std::move(profiles));
  }
  return ProfileCatalog::OpenStore(StorePath(common));
}

int Fail(const absl::Status& status) {
  std::cerr << "partner-match: error: " << status.message() << "\n";
  return 1;
}

void PrintJson(const google::protobuf::Message& message) {
  std::cout << service::ToJson(message) << "\n";
}

std::string Describe(const IndexedProfile& p) {
  return absl::StrCat(p.profile.name, " (", p.profile.id, " · ",
                      PlaceKindName(p.profile.kind), " · ", p.profile.country,
                      " · ", p.eu_member ? "EU member" : "partner country",
                      ")");
}

// The evidence's sentence in quotes, its matched words marked: bold on a
// terminal, [in brackets] elsewhere; shortened past kMaxQuoteBytes.
std::string Quote(const v1::Evidence& evidence) {
  static const bool tty = ::isatty(STDOUT_FILENO) == 1;
  std::string sentence = evidence.sentence();
  const size_t at = sentence.find(evidence.text());
  if (at != std::string::npos && !evidence.text().empty()) {
    sentence = absl::StrCat(sentence.substr(0, at), tty ? "\033[1m" : "[",
                            evidence.text(), tty ? "\033[0m" : "]",
                            sentence.substr(at + evidence.text().size()));
  }
  if (sentence.size() <= kMaxQuoteBytes) return absl::StrCat("\"", sentence, "\"");
  size_t cut = kMaxQuoteBytes;
  while (cut > 0 && (static_cast<unsigned char>(sentence[cut]) & 0xC0) == 0x80) {
    --cut;  // do not cut a UTF-8 sequence
  }
  return absl::StrCat("\"", sentence.substr(0, cut), tty ? "\033[0m" : "",
                      "…\"");
}

absl::StatusOr<size_t> RowOf(const MatchIndex& index, const std::string& id) {
  std::optional<size_t> row = index.Find(id);
  if (!row) return absl::NotFoundError(absl::StrCat("no profile with id '", id, "'"));
  return *row;
}

// ---- themes ---------------------------------------------------------------

int RunThemes(const Common& common, const std::string& id) {
  auto catalog = OpenCatalog(common);
  if (!catalog.ok()) return Fail(catalog.status());
  std::shared_ptr<const MatchIndex> index = (*catalog)->Snapshot();
  std::vector<size_t> rows;
  if (id.empty()) {
    for (size_t i = 0; i < index->size(); ++i) rows.push_back(i);
  } else {
    auto row = RowOf(*index, id);
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

// ---- suggest / explain ----------------------------------------------------

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

int RunSuggest(const Common& common, const std::string& id, int k) {
  auto catalog = OpenCatalog(common);
  if (!catalog.ok()) return Fail(catalog.status());
  std::shared_ptr<const MatchIndex> index = (*catalog)->Snapshot();
  ReciprocalScorer scorer;
  auto suggestions = scorer.Suggest(*index, id, k);
  if (!suggestions.ok()) return Fail(suggestions.status());
  const size_t self = *index->Find(id);
  v1::SuggestPartnersResponse response;
  response.set_profile_id(id);
  for (const PartnerSuggestion& s : *suggestions) {
    *response.add_suggestions() = service::ToProto(s, *index, self);
  }
  if (common.json) {
    PrintJson(response);
    return 0;
  }
  std::cout << "Partners for " << Describe(index->at(self)) << "\n";
  if (suggestions->empty()) {
    std::cout << "  no eligible partner shares an interest with this place\n";
  }
  for (size_t i = 0; i < suggestions->size(); ++i) {
    const PartnerSuggestion& s = (*suggestions)[i];
    const IndexedProfile& partner = index->at(s.partner);
    std::cout << absl::StrFormat("\n%2d. %s  score %.3f\n", i + 1,
                                 Describe(partner), s.parts.score);
    for (const std::string& penalty : s.penalties) {
      std::cout << "     - " << penalty << "\n";
    }
    PrintReasons(response.suggestions(static_cast<int>(i)).reasons(),
                 index->at(self), partner);
  }
  return 0;
}

int RunExplain(const Common& common, const std::string& a,
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
  std::cout << absl::StrFormat(
      "  score %.3f = %.2f × (shared %.3f, reciprocal %.3f, gives %.3f, gets "
      "%.3f)\n",
      p.score, p.penalty_factor, p.shared, p.reciprocal, p.gives, p.gets);
  for (const std::string& penalty : explanation->penalties) {
    std::cout << "  - " << penalty << "\n";
  }
  PrintReasons(response.reasons(), index->at(ra), index->at(rb));
  return 0;
}

// ---- import / init --------------------------------------------------------

bool LooksLikeJsonl(const std::string& path, const std::string& content) {
  if (absl::EndsWith(path, ".jsonl") || absl::EndsWith(path, ".json")) return true;
  const size_t first = content.find_first_not_of(" \t\r\n");
  return first != std::string::npos && content[first] == '{';
}

// Writes the cards that lack only a country as JSON Lines to `path`.
absl::Status WriteDrafts(const std::string& path,
                         const std::vector<Profile>& drafts) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  for (const Profile& draft : drafts) out << ProfileToJsonLine(draft) << "\n";
  out.close();
  if (!out) {
    return absl::UnavailableError(absl::StrCat("cannot write '", path, "'"));
  }
  return absl::OkStatus();
}

int RunImport(const Common& common, const std::vector<std::string>& files,
              const std::string& drafts_path) {
  std::vector<Profile> all;
  std::vector<Profile> drafts;
  for (const std::string& file : files) {
    auto content = ReadFile(file);
    if (!content.ok()) return Fail(content.status());
    if (LooksLikeJsonl(file, *content)) {
      auto profiles = ParseProfilesJsonl(*content, file, Gazetteer::Bundled());
      if (!profiles.ok()) return Fail(profiles.status());
      std::move(profiles->begin(), profiles->end(), std::back_inserter(all));
    } else {
      auto page = ParseSeedPage(*content, file, Gazetteer::Bundled());
      if (!page.ok()) return Fail(page.status());
      for (const std::string& warning : page->warnings) {
        std::cerr << "partner-match: warning: " << warning << "\n";
      }
      std::move(page->profiles.begin(), page->profiles.end(),
                std::back_inserter(all));
      std::move(page->drafts.begin(), page->drafts.end(),
                std::back_inserter(drafts));
    }
  }
  if (!drafts.empty() && !drafts_path.empty()) {
    if (absl::Status s = WriteDrafts(drafts_path, drafts); !s.ok()) return Fail(s);
    std::cerr << "partner-match: " << drafts.size()
              << " cards lack only a country: written to " << drafts_path
              << "; fill in each 'country' and import that file\n";
  } else if (!drafts.empty()) {
    std::cerr << "partner-match: " << drafts.size()
              << " cards lack only a country: --drafts FILE writes them as "
                 "JSON Lines to complete\n";
  }
  if (all.empty()) {
    return Fail(absl::InvalidArgumentError("no profile found in the input"));
  }
  auto catalog = ProfileCatalog::OpenStore(StorePath(common));
  if (!catalog.ok()) return Fail(catalog.status());
  auto counts = (*catalog)->Upsert(std::move(all));
  if (!counts.ok()) {
    return Fail(absl::Status(counts.status().code(),
                             absl::StrCat(counts.status().message(),
                                          " (nothing was imported)")));
  }
  std::cout << "imported " << counts->created + counts->updated
            << " profiles (" << counts->created << " new, " << counts->updated
            << " updated) into " << (*catalog)->store_path() << "; the store "
            << "holds " << (*catalog)->Snapshot()->size() << "\n";
  return 0;
}

int RunInit(const Common& common, bool empty) {
  const std::string path = StorePath(common);
  if (std::filesystem::exists(path)) {
    return Fail(absl::FailedPreconditionError(absl::StrCat(
        "a store already exists at '", path,
        "'; remove it first or choose another with --db")));
  }
  auto catalog = ProfileCatalog::OpenStore(path, empty);
  if (!catalog.ok()) return Fail(catalog.status());
  std::cout << "created " << path << " with "
            << (*catalog)->Snapshot()->size() << " profiles\n";
  return 0;
}

// ---- serve ----------------------------------------------------------------

void PrintSummary(const MatchIndex& index, const ReciprocalScorer& scorer) {
  int cities = 0, eu = 0;
  for (const IndexedProfile& p : index.profiles()) {
    cities += IsCityLike(p.profile.kind);
    eu += p.eu_member;
  }
  const int n = static_cast<int>(index.size());
  std::cout << n << " profiles loaded: " << cities << " cities, " << n - cities
            << " regions; " << eu << " EU members, " << n - eu
            << " in partner countries\n";
  // The summary is O(n²·T): skip it for cohorts far beyond a programme's.
  constexpr size_t kMaxSummaryProfiles = 5000;
  if (index.size() > kMaxSummaryProfiles || index.size() < 2) return;
  auto pairs = scorer.StrongestPairs(index, 5);
  if (pairs.empty()) return;
  std::cout << "strongest suggested pairs:\n";
  for (const auto& [a, s] : pairs) {
    std::string themes;
    for (const MatchReason& r : s.reasons) {
      if (!themes.empty()) themes += ", ";
      themes += index.taxonomy().themes()[r.theme].id;
      if (themes.size() > 60) break;
    }
    std::cout << absl::StrFormat("  %.3f  %s (%s) — %s (%s): %s\n",
                                 s.parts.score, index.at(a).profile.name,
                                 index.at(a).profile.country,
                                 index.at(s.partner).profile.name,
                                 index.at(s.partner).profile.country, themes);
  }
}

int RunServe(const Common& common, const std::string& host, int port) {
  service::BlockShutdownSignals();
  auto catalog = OpenCatalog(common);
  if (!catalog.ok()) return Fail(catalog.status());
  ReciprocalScorer scorer;
  auto server = service::PartnerMatchServer::Start(
      **catalog, absl::StrCat(host, ":", port), scorer.options());
  if (!server.ok()) return Fail(server.status());
  std::cout << "partner-match serving partnermatch.v1.PartnerMatch on " << host
            << ":" << (*server)->port() << " ("
            << (common.profiles.empty() ? "store " + (*catalog)->store_path()
                                        : "profiles " + common.profiles)
            << ")\n";
  PrintSummary(*(*catalog)->Snapshot(), scorer);
  std::cout << "Ctrl-C or SIGTERM stops the server." << std::endl;
  service::ServeUntilSignal(**server);
  std::cout << "stopped" << std::endl;
  return 0;
}

}  // namespace

int Run(int argc, char** argv) {
  CLI::App app{
      "partner-match: partner suggestions and pairing plans for city-to-city "
      "and region-to-region cooperation programmes."};
  app.require_subcommand(1);
  Common common;
  app.add_option("--db", common.db,
                 "The store (SQLite); default $PARTNER_MATCH_DB, else "
                 "$XDG_DATA_HOME/partner-match/store.db, else "
                 "~/.local/share/partner-match/store.db");
  app.fallthrough();

  auto add_profiles = [&](CLI::App* cmd) {
    cmd->add_option("--profiles", common.profiles,
                    "Work on this JSON Lines file instead of the store")
        ->check(CLI::ExistingFile);
  };
  auto add_json = [&](CLI::App* cmd) {
    cmd->add_flag("--json", common.json, "Print JSON (shapes in the README)");
  };

  std::string host = "127.0.0.1";
  int port = 50051;
  CLI::App* serve = app.add_subcommand("serve", "Run the gRPC server");
  serve->add_option("--port", port, "Port to listen on (0 picks a free one)")
      ->check(CLI::Range(0, 65535));
  serve->add_option("--host", host,
                    "Address to listen on; 0.0.0.0 for every interface");
  add_profiles(serve);

  bool empty = false;
  CLI::App* init = app.add_subcommand(
      "init", "Create the store, filled with the bundled profiles");
  init->add_flag("--empty", empty, "Create it empty");

  std::vector<std::string> files;
  CLI::App* import = app.add_subcommand(
      "import", "Import profiles (JSON Lines, or the programme's page text) "
                "into the store, all or nothing");
  import->add_option("FILE", files, "Files to import")->required();
  std::string drafts_path;
  import->add_option("--drafts", drafts_path,
                     "Write the page's cards that lack only a country to "
                     "this JSON Lines file, to complete and import");

  std::string id;
  CLI::App* themes = app.add_subcommand(
      "themes", "Extracted themes with role, weight and evidence");
  themes->add_option("--id", id, "Only this profile");
  add_profiles(themes);
  add_json(themes);

  int k = 10;
  CLI::App* suggest =
      app.add_subcommand("suggest", "Ranked partners with reasons");
  suggest->add_option("--id", id, "The place to find partners for")->required();
  suggest->add_option("--k", k, "How many partners")->check(CLI::Range(1, 1000));
  add_profiles(suggest);
  add_json(suggest);

  std::string with;
  CLI::App* explain = app.add_subcommand(
      "explain", "Why (or why not) two places match, score in parts");
  explain->add_option("--id", id, "The first place")->required();
  explain->add_option("--with", with, "The second place")->required();
  add_profiles(explain);
  add_json(explain);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  if (serve->parsed()) return RunServe(common, host, port);
  if (init->parsed()) return RunInit(common, empty);
  if (import->parsed()) return RunImport(common, files, drafts_path);
  if (themes->parsed()) return RunThemes(common, id);
  if (suggest->parsed()) return RunSuggest(common, id, k);
  if (explain->parsed()) return RunExplain(common, id, with);
  return 2;
}

}  // namespace pm::cli
