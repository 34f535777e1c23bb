// Themes across languages: for each translated profile
// (benchmarks/data/translations/profiles.jsonl, id "<original id>.<code>";
// see benchmarks/data/translations/README.md) the engine's themes of the
// translation against those of its English original
// (benchmarks/data/eval/dev_profiles.jsonl), both extracted by the bundled
// taxonomy as MatchIndex does (the profile's name given, the language
// detected). Prints, per profile and per language (micro-averaged):
//
//   lang       the language detected in the translation (should be <code>)
//   orig       themes of the English original
//   recall     share of the original's themes the translation also has
//   precision  share of the translation's themes the original has
//   role       of the themes both have, the share with the same role
//
//   build/benchmarks/translation_recall [--verbose] [--originals FILE]
//       [--translations FILE]
//
// --verbose names each profile's missed and extra themes with the
// translation's evidence for the extra ones.
//
// Exit status: 0 on success, 1 when a file cannot be read or parsed or a
// translation's id names no original or no language; 2 on a usage error.
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "engine/extraction/theme_extractor.h"
#include "engine/geo/gazetteer.h"
#include "engine/io/profile_format.h"
#include "engine/model/language.h"
#include "engine/model/profile.h"
#include "engine/taxonomy/taxonomy.h"

namespace pm {
namespace {

bool ReadProfiles(const std::string& path, std::vector<Profile>* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "cannot read " << path << "\n";
    return false;
  }
  std::ostringstream content;
  content << in.rdbuf();
  auto profiles = ParseProfilesJsonl(content.str(), path, Gazetteer::Bundled());
  if (!profiles.ok()) {
    std::cerr << profiles.status().message() << "\n";
    return false;
  }
  *out = *std::move(profiles);
  return true;
}

struct Counts {
  int profiles = 0;
  int detected = 0;  // language detected right
  int original = 0, translated = 0, both = 0, role_same = 0;
  void Add(const Counts& c) {
    profiles += c.profiles;
    detected += c.detected;
    original += c.original;
    translated += c.translated;
    both += c.both;
    role_same += c.role_same;
  }
};

double Share(int part, int whole) {
  return whole == 0 ? 1.0 : static_cast<double>(part) / whole;
}

void PrintRow(const std::string& name, const std::string& language,
              const Counts& c) {
  std::cout << absl::StrFormat("%-34s %-6s %5d %5d %5d  %6.3f  %6.3f  %6.3f\n",
                               name, language, c.original, c.translated,
                               c.both, Share(c.both, c.original),
                               Share(c.both, c.translated),
                               Share(c.role_same, c.both));
}

int Run(int argc, char** argv) {
  std::string originals_path = PM_EVAL_DIR "/dev_profiles.jsonl";
  std::string translations_path = PM_TRANSLATIONS_FILE;
  bool verbose = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--verbose") {
      verbose = true;
    } else if ((arg == "--originals" || arg == "--translations") &&
               i + 1 < argc) {
      (arg == "--originals" ? originals_path : translations_path) = argv[++i];
    } else {
      std::cerr << "usage: translation_recall [--verbose] [--originals FILE] "
                   "[--translations FILE]\n";
      return 2;
    }
  }
  std::vector<Profile> originals, translations;
  if (!ReadProfiles(originals_path, &originals) ||
      !ReadProfiles(translations_path, &translations)) {
    return 1;
  }
  std::map<std::string, const Profile*> original_by_id;
  for (const Profile& p : originals) original_by_id[p.id] = &p;

  const auto taxonomy = std::make_shared<const Taxonomy>(Taxonomy::Bundled());
  const ThemeExtractor extractor(taxonomy);
  const auto theme_name = [&](int t) {
    return taxonomy->themes()[static_cast<size_t>(t)].id;
  };

  std::map<Language, Counts> by_language;
  std::cout << absl::StrFormat("%-34s %-6s %5s %5s %5s  %6s  %6s  %6s\n",
                               "profile", "lang", "orig", "trans", "both",
                               "recall", "prec", "role");
  for (const Profile& t : translations) {
    const size_t dot = t.id.rfind('.');
    const auto language = dot == std::string::npos
                              ? std::nullopt
                              : ParseLanguageCode(t.id.substr(dot + 1));
    const auto it = dot == std::string::npos
                        ? original_by_id.end()
                        : original_by_id.find(t.id.substr(0, dot));
    if (!language || it == original_by_id.end()) {
      std::cerr << translations_path << ": id '" << t.id
                << "' is not '<original id>.<language code>' of a profile of "
                << originals_path << "\n";
      return 1;
    }
    const Profile& o = *it->second;
    const Extraction eo = extractor.Extract(o.text, o.name);
    const Extraction et = extractor.Extract(t.text, t.name);
    Counts c;
    c.profiles = 1;
    c.detected = et.language == *language ? 1 : 0;
    c.original = static_cast<int>(eo.themes.size());
    c.translated = static_cast<int>(et.themes.size());
    std::vector<std::string> missed, extra;
    for (const ThemeInterest& ti : eo.themes) {
      const ThemeInterest* other = et.Find(ti.theme);
      if (other == nullptr) {
        missed.push_back(theme_name(ti.theme));
        continue;
      }
      ++c.both;
      if (other->role == ti.role) ++c.role_same;
    }
    for (const ThemeInterest& ti : et.themes) {
      if (eo.Find(ti.theme) != nullptr) continue;
      std::string words;
      for (const Evidence& e : ti.evidence) {
        if (!words.empty()) words += ", ";
        words += "\"" + t.text.substr(e.begin, e.end - e.begin) + "\"";
      }
      extra.push_back(theme_name(ti.theme) + " (" + words + ")");
    }
    PrintRow(t.id, LanguageCode(et.language), c);
    if (verbose) {
      for (const std::string& m : missed) std::cout << "    missed " << m << "\n";
      for (const std::string& e : extra) std::cout << "    extra  " << e << "\n";
    }
    by_language[*language].Add(c);
  }
  std::cout << "\n";
  Counts all;
  for (const auto& [language, c] : by_language) {
    PrintRow(absl::StrFormat("%s (%d profiles, %d detected right)",
                             LanguageName(language), c.profiles, c.detected),
             LanguageCode(language), c);
    all.Add(c);
  }
  PrintRow(absl::StrFormat("all (%d profiles, %d detected right)",
                           all.profiles, all.detected),
           "", all);
  return 0;
}

}  // namespace
}  // namespace pm

int main(int argc, char** argv) { return pm::Run(argc, argv); }
