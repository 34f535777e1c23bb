// taxonomy check, taxonomy show.
#include <iostream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "data/bundled_data.h"
#include "engine/extraction/taxonomy_check.h"
#include "engine/geo/gazetteer.h"
#include "engine/io/profile_format.h"
#include "engine/taxonomy/taxonomy.h"
#include "service/cli/cli_common.h"
#include "service/convert.h"

namespace pm::cli {
namespace {

struct TaxonomyOptions {
  std::string taxonomy;         // --taxonomy FILE; empty: the bundled one
  bool fail_on_unused = false;  // --fail-on-unused
};

// The taxonomy of --taxonomy, or the bundled one; the name to print for it.
absl::StatusOr<std::shared_ptr<const Taxonomy>> LoadTaxonomy(
    const TaxonomyOptions& options, std::string* name) {
  if (options.taxonomy.empty()) {
    *name = "the bundled taxonomy (data/taxonomy.json)";
    return std::shared_ptr<const Taxonomy>(&Taxonomy::Bundled(),
                                           [](const Taxonomy*) {});
  }
  *name = options.taxonomy;
  auto content = ReadFile(options.taxonomy);
  if (!content.ok()) return content.status();
  auto parsed = Taxonomy::ParseJson(*content, options.taxonomy);
  if (!parsed.ok()) return parsed.status();
  return std::make_shared<const Taxonomy>(*std::move(parsed));
}

std::string Describe(const PhraseRef& p) {
  return absl::StrCat(p.theme, " \"", p.phrase, "\"", p.weak ? " (weak)" : "");
}

void PrintClashes(const TaxonomyCheckReport& report) {
  std::cout << "Phrases two themes claim, or a strong phrase shadows (after "
               "stemming): "
            << (report.clashes.empty() ? "none" : std::to_string(report.clashes.size()))
            << "\n";
  if (report.clashes.empty()) return;
  std::cout << absl::StrFormat("  %-24s %-40s %s\n", "stems", "matched as",
                               "never matched as");
  for (const PhraseClash& c : report.clashes) {
    std::cout << absl::StrFormat("  %-24s %-40s %s\n", c.stems, Describe(c.a),
                                 Describe(c.b));
  }
}

void PrintList(const std::string& title, const std::vector<std::string>& items) {
  std::cout << title << ": "
            << (items.empty() ? "none" : std::to_string(items.size())) << "\n";
  for (const std::string& item : items) std::cout << "  " << item << "\n";
}

// Unused phrases, one line per theme.
void PrintUnused(const TaxonomyCheckReport& report, bool problem) {
  std::cout << "Phrases that match nothing in these " << report.texts
            << " profiles: " << report.unused_phrases.size() << " of "
            << report.phrases
            << (problem ? " (problems: --fail-on-unused)"
                        : " (a hint, not a problem)")
            << "\n";
  for (size_t i = 0; i < report.unused_phrases.size();) {
    const std::string& theme = report.unused_phrases[i].theme;
    std::vector<std::string> phrases;
    for (; i < report.unused_phrases.size() &&
           report.unused_phrases[i].theme == theme;
         ++i) {
      const PhraseRef& p = report.unused_phrases[i];
      phrases.push_back(absl::StrCat(p.phrase, p.weak ? " (weak)" : ""));
    }
    std::cout << absl::StrFormat("  %-24s %s\n", theme,
                                 absl::StrJoin(phrases, ", "));
  }
  std::cout << "Cues that match nothing in these profiles: "
            << report.unused_cues.size() << " of " << report.cues
            << " (a hint, not a problem)\n";
  if (!report.unused_cues.empty()) {
    std::cout << "  " << absl::StrJoin(report.unused_cues, ", ") << "\n";
  }
}

// Phrases that match in the --profiles file and in none of the bundled
// profiles, with the ids of the profiles they match in.
void PrintOnlyInProfiles(const TaxonomyCheckReport& report,
                         const MatchIndex& index) {
  std::cout << "Phrases that match in these profiles and in none of the "
            << report.reference_texts << " bundled profiles: "
            << report.phrases_only_in_texts.size()
            << " (check that each was written from general knowledge of the "
               "field, not to fit these profiles)\n";
  constexpr size_t kMaxIds = 6;
  for (const auto& use : report.phrases_only_in_texts) {
    std::vector<std::string> ids;
    for (size_t i = 0; i < use.texts.size() && i < kMaxIds; ++i) {
      ids.push_back(index.at(use.texts[i]).profile.id);
    }
    if (use.texts.size() > kMaxIds) {
      ids.push_back(absl::StrCat("+", use.texts.size() - kMaxIds, " more"));
    }
    std::cout << absl::StrFormat("  %-48s %s\n", Describe(use.phrase),
                                 absl::StrJoin(ids, ", "));
  }
}

// The bundled profiles' texts (data/profiles.jsonl), the reference against
// which a --profiles file's phrases are compared.
absl::StatusOr<std::vector<std::string>> BundledTexts() {
  auto profiles = ParseProfilesJsonl(bundled::File_profiles_jsonl(),
                                     "data/profiles.jsonl",
                                     Gazetteer::Bundled());
  if (!profiles.ok()) return profiles.status();
  std::vector<std::string> texts;
  for (const Profile& p : *profiles) texts.push_back(p.text);
  return texts;
}

int RunCheck(const Context& common, const TaxonomyOptions& options) {
  std::string name;
  auto taxonomy = LoadTaxonomy(options, &name);
  if (!taxonomy.ok()) return Fail(taxonomy.status());
  auto catalog = OpenCatalog(common);
  if (!catalog.ok()) return Fail(catalog.status());
  std::shared_ptr<const MatchIndex> index = (*catalog)->Snapshot();
  std::vector<std::string_view> texts;
  for (size_t i = 0; i < index->size(); ++i) {
    texts.push_back(index->at(i).profile.text);
  }
  // A --profiles file is compared with the bundled profiles.
  std::vector<std::string> reference_texts;
  if (!common.profiles.empty()) {
    auto bundled_texts = BundledTexts();
    if (!bundled_texts.ok()) return Fail(bundled_texts.status());
    reference_texts = *std::move(bundled_texts);
  }
  const std::vector<std::string_view> reference(reference_texts.begin(),
                                                reference_texts.end());
  const TaxonomyCheckReport report =
      CheckTaxonomy(**taxonomy, texts, reference);

  std::cout << "Taxonomy: " << name << ": " << (*taxonomy)->size()
            << " themes, " << report.phrases << " phrases, " << report.cues
            << " cues\n";
  std::cout << "Profiles: " << report.texts << ", from "
            << (common.profiles.empty()
                    ? absl::StrCat("the store ", (*catalog)->store_path())
                    : common.profiles)
            << "\n\n";
  PrintClashes(report);
  PrintList("Cues in both the offer and the seek list",
            report.cues_in_both_lists);
  PrintList("Themes without a definition", report.themes_without_definition);
  PrintUnused(report, options.fail_on_unused);
  if (!common.profiles.empty()) PrintOnlyInProfiles(report, *index);

  size_t problems = report.problems();
  if (options.fail_on_unused) problems += report.unused_phrases.size();
  std::cout << "\n"
            << (problems == 0 ? std::string("OK: no problems found")
                              : absl::StrCat(problems, " problem",
                                             problems == 1 ? "" : "s",
                                             " found"))
            << "\n";
  return problems == 0 ? 0 : 1;
}

int RunShow(const Context& common, const TaxonomyOptions& options) {
  std::string name;
  auto taxonomy = LoadTaxonomy(options, &name);
  if (!taxonomy.ok()) return Fail(taxonomy.status());
  if (common.json) {
    PrintJson(service::ToProto(**taxonomy));
    return 0;
  }
  std::cout << "Taxonomy: " << name << "\n\n";
  std::cout << absl::StrFormat("  %-24s %7s %5s  %s\n", "theme", "phrases",
                               "weak", "label: definition");
  for (const Theme& t : (*taxonomy)->themes()) {
    std::cout << absl::StrFormat(
        "  %-24s %7d %5d  %s: %s\n", t.id, t.phrases.size(),
        t.weak_phrases.size(), t.label,
        t.definition.empty() ? "(no definition)" : t.definition);
  }
  std::cout << "\n  offer cues: " << (*taxonomy)->offer_cues().size()
            << ", seek cues: " << (*taxonomy)->seek_cues().size()
            << " (--json lists every phrase and cue)\n";
  return 0;
}

}  // namespace

void AddTaxonomyCommands(CLI::App& app, Context& ctx) {
  CLI::App* taxonomy = app.add_subcommand(
      "taxonomy", "Check or show the theme taxonomy");
  taxonomy->require_subcommand(1);
  auto options = std::make_shared<TaxonomyOptions>();

  CLI::App* check = taxonomy->add_subcommand(
      "check",
      "Report phrases two themes claim (after stemming), weak phrases a "
      "strong one shadows, cues in both lists and themes without a "
      "definition (exit 1 when any), and phrases and cues that match "
      "nothing in the profiles; with --profiles, also the phrases that match "
      "in that file and in none of the bundled profiles");
  check->add_option("--taxonomy", options->taxonomy,
                    "Check this taxonomy JSON file instead of the bundled one")
      ->check(CLI::ExistingFile);
  check->add_flag("--fail-on-unused", options->fail_on_unused,
                  "Count phrases that match nothing as problems too");
  AddProfilesOption(check, ctx);
  check->callback([&ctx, options] { ctx.exit_code = RunCheck(ctx, *options); });

  CLI::App* show = taxonomy->add_subcommand(
      "show", "The themes with their labels, definitions and phrase counts");
  show->add_option("--taxonomy", options->taxonomy,
                   "Show this taxonomy JSON file instead of the bundled one")
      ->check(CLI::ExistingFile);
  AddJsonFlag(show, ctx);
  show->callback([&ctx, options] { ctx.exit_code = RunShow(ctx, *options); });
}

}  // namespace pm::cli
