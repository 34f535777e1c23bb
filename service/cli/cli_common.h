// Shared parts of the partner-match command line: the options every
// subcommand may take, opening the catalog, printing, and the registration
// functions of the subcommand groups (one .cc file each).
#ifndef PARTNER_MATCH_SERVICE_CLI_CLI_COMMON_H_
#define PARTNER_MATCH_SERVICE_CLI_CLI_COMMON_H_

#include <memory>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/matching/match_index.h"
#include "engine/catalog/profile_catalog.h"
#include "engine/planning/cohort.h"
#include "partnermatch/v1/partner_match.pb.h"

namespace pm::cli {

// Options shared by the subcommands, and the exit status their callback
// sets. Filled by CLI11 while parsing; one per run.
struct Context {
  std::string db;        // --db: the store; DefaultStorePath() when empty
  std::string profiles;  // --profiles: a JSONL file instead of the store
  bool json = false;     // --json
  int exit_code = 0;
};

// Subcommand groups; each adds its subcommands to `app`, whose callbacks
// set ctx.exit_code.
void AddServeCommand(CLI::App& app, Context& ctx);     // serve_command.cc
void AddProfileCommands(CLI::App& app, Context& ctx);  // profile_commands.cc
void AddMatchCommands(CLI::App& app, Context& ctx);    // match_commands.cc
void AddTaxonomyCommands(CLI::App& app, Context& ctx); // taxonomy_command.cc
void AddDecisionCommands(CLI::App& app, Context& ctx); // decision_commands.cc
void AddCohortCommands(CLI::App& app, Context& ctx);   // cohort_commands.cc
void AddPlanCommand(CLI::App& app, Context& ctx);      // plan_command.cc
void AddHealthCommand(CLI::App& app, Context& ctx);    // health_command.cc

// Choosing a cohort (--ids, --kind, --region) and where to draw its graph
// (--dot, --svg): shared by clusters and plan.
struct CohortOptions {
  CohortSelector selector;
  std::string dot_path;
  std::string svg_path;
};
void AddCohortOptions(CLI::App* cmd, CohortOptions& options);
// Writes `dot` to options.dot_path and its SVG drawing to options.svg_path
// where given; 0, or the exit status of a failure (already reported).
int WriteGraph(const CohortOptions& options, const std::string& dot);

// --profiles FILE and --json on `cmd`.
void AddProfilesOption(CLI::App* cmd, Context& ctx);
void AddJsonFlag(CLI::App* cmd, Context& ctx);

// The file's bytes; NOT_FOUND naming the path, RESOURCE_EXHAUSTED past
// kMaxInputFileBytes.
absl::StatusOr<std::string> ReadFile(const std::string& path);
inline constexpr uintmax_t kMaxInputFileBytes = uintmax_t{256} << 20;

// --db, else DefaultStorePath().
std::string StorePath(const Context& ctx);
// The --profiles file in memory, else the store (created when missing).
absl::StatusOr<std::unique_ptr<ProfileCatalog>> OpenCatalog(const Context& ctx);

// Prints "partner-match: error: <message>" on stderr; returns 1.
int Fail(const absl::Status& status);
// Proto3 JSON on stdout.
void PrintJson(const google::protobuf::Message& message);
// "Almería (almeria · city · ES · EU member)".
std::string Describe(const IndexedProfile& p);
// The evidence's sentence in quotes, its matched words marked: bold on a
// terminal, [in brackets] elsewhere; shortened past kMaxQuoteBytes.
std::string Quote(const partnermatch::v1::Evidence& evidence);
inline constexpr size_t kMaxQuoteBytes = 220;
// `text` padded with spaces to `width` characters (UTF-8 code points).
std::string PadRight(const std::string& text, size_t width);
// The row of `id`, or NOT_FOUND naming it.
absl::StatusOr<size_t> RowOf(const MatchIndex& index, const std::string& id);

}  // namespace pm::cli

#endif  // PARTNER_MATCH_SERVICE_CLI_CLI_COMMON_H_
