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
#include "engine/common/progress.h"
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
  bool quiet = false;    // --quiet: no progress bar
  // Where long work reports progress (the terminal bar; the server's log);
  // set before the subcommand runs, outlives it.
  Progress* progress = nullptr;
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
void AddListCommands(CLI::App& app, Context& ctx);     // list_commands.cc
void AddReportCommand(CLI::App& app, Context& ctx);    // report_command.cc

// Choosing a cohort (--ids, --kind, --region) and where to draw its graph
// (--dot, --svg, --graphviz): shared by clusters, plan and report.
struct CohortOptions {
  CohortSelector selector;
  std::string dot_path;
  std::string svg_path;
  bool graphviz = false;  // --svg by Graphviz's dot, not the own layout
};
void AddCohortOptions(CLI::App* cmd, CohortOptions& options);
// --ids, --kind and --region alone (report).
void AddCohortSelection(CLI::App* cmd, CohortSelector& selector);
// The request's form of a selector.
partnermatch::v1::CohortSelector SelectorProto(const CohortSelector& selector);
// Writes `dot` to options.dot_path and its SVG drawing (engine/graph's
// layout, or Graphviz with options.graphviz) to options.svg_path where
// given; 0, or the exit status of a failure to write the DOT (already
// reported). Called after the result is printed, so that the result never
// depends on the picture; a drawing that cannot be made (no Graphviz) or
// saved is only a warning on stderr.
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
// Whether OpenCatalog may create a store that does not exist yet: only
// `serve` may, and only at the default path (`init` creates stores itself).
enum class MissingStore { kRefuse, kCreateAtDefaultPath };
// The --profiles file in memory, else the store. A store path that does not
// exist is refused (FAILED_PRECONDITION saying to run `init`), so that a
// mistyped --db never makes a new store; with kCreateAtDefaultPath the
// default store (no --db) is created holding the bundled profiles.
absl::StatusOr<std::unique_ptr<ProfileCatalog>> OpenCatalog(
    const Context& ctx, MissingStore missing = MissingStore::kRefuse);

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
// `text` padded with spaces to `width` characters (UTF-8 code points); one
// space added when it is that wide already.
std::string PadRight(const std::string& text, size_t width);
// The number of UTF-8 code points in `text`.
size_t CodePoints(const std::string& text);

}  // namespace pm::cli

#endif  // PARTNER_MATCH_SERVICE_CLI_CLI_COMMON_H_
