// Extraction quality against hand labels (benchmarks/data/theme_labels.jsonl,
// described in benchmarks/data/LABELS.md): runs the bundled taxonomy's
// ThemeExtractor on the labelled profiles and prints, for each split (dev,
// held_out) and each source within it (seed, eval, new):
//
//   theme P / R   a theme the engine claims (any entry of Extraction::themes,
//                 whatever its role) against the labelled themes, keyed by
//                 (source, id, theme); micro-averaged.
//   role acc      over the themes both have: the engine's role equals the
//                 label's (offer, seek, both, context).
//   stated P / R  P / R over themes with a role other than context on each
//                 side (the engine's stated themes against the labelled ones).
//
//   build/benchmarks/extraction_quality [--split dev|held_out|all]
//       [--verbose] [--names] [--labels FILE] [--seed FILE] [--eval FILE]
//       [--new FILE]
//
// --verbose lists, per profile, the false positives, false negatives and role
// errors with the evidence of each. --names passes each profile's name to
// the extractor (by default it infers the place's name from the text, as
// MatchIndex does). The held-out split is for an honest final figure: tune against
// --split dev only (the default prints both, and --verbose details only the
// splits selected).
//
// Exit status: 0 on success, 1 when a file cannot be read or parsed, or a
// label names an unknown theme, role or profile; 2 on a usage error.
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_format.h"
#include "engine/extraction/theme_extractor.h"
#include "engine/geo/gazetteer.h"
#include "engine/io/profile_format.h"
#include "engine/model/profile.h"
#include "engine/taxonomy/taxonomy.h"

namespace pm {
namespace {

struct LabelledProfile {
  std::string id;
  std::string source;  // "seed" or "eval"
  std::string split;   // "dev" or "held_out"
  std::map<int, Role> themes;  // taxonomy index -> labelled role
};

bool Slurp(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream s;
  s << in.rdbuf();
  *out = s.str();
  return true;
}

bool ParseRole(const std::string& name, Role* role) {
  for (Role r : {Role::kContext, Role::kOffer, Role::kSeek, Role::kBoth}) {
    if (name == RoleName(r)) {
      *role = r;
      return true;
    }
  }
  return false;
}

// Reads the labels; on error prints "<file>:<line>: problem" and returns
// false.
bool ReadLabels(const std::string& path, const Taxonomy& taxonomy,
                std::vector<LabelledProfile>* out) {
  std::string content;
  if (!Slurp(path, &content)) {
    std::cerr << "cannot read " << path << "\n";
    return false;
  }
  std::istringstream lines(content);
  std::string line;
  for (int number = 1; std::getline(lines, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    google::protobuf::Struct root;
    const auto where = absl::StrFormat("%s:%d: ", path, number);
    if (!google::protobuf::util::JsonStringToMessage(line, &root).ok()) {
      std::cerr << where << "not a JSON object\n";
      return false;
    }
    const auto& f = root.fields();
    LabelledProfile p;
    for (auto [key, field] : {std::pair{"id", &p.id},
                              std::pair{"source", &p.source},
                              std::pair{"split", &p.split}}) {
      auto it = f.find(key);
      if (it == f.end() || it->second.string_value().empty()) {
        std::cerr << where << "missing '" << key << "'\n";
        return false;
      }
      *field = it->second.string_value();
    }
    auto themes = f.find("themes");
    if (themes == f.end()) {
      std::cerr << where << "missing 'themes'\n";
      return false;
    }
    for (const auto& t : themes->second.list_value().values()) {
      const auto& tf = t.struct_value().fields();
      const std::string id =
          tf.count("theme") ? tf.at("theme").string_value() : "";
      const std::string role_name =
          tf.count("role") ? tf.at("role").string_value() : "";
      const int index = taxonomy.IndexOf(id);
      Role role;
      if (index < 0) {
        std::cerr << where << "unknown theme '" << id << "'\n";
        return false;
      }
      if (!ParseRole(role_name, &role)) {
        std::cerr << where << "unknown role '" << role_name << "'\n";
        return false;
      }
      p.themes[index] = role;
    }
    out->push_back(std::move(p));
  }
  return true;
}

// id -> the profiles in a JSON Lines file.
bool ReadProfiles(const std::string& path,
                  std::map<std::string, Profile>* out) {
  std::string content;
  if (!Slurp(path, &content)) {
    std::cerr << "cannot read " << path << "\n";
    return false;
  }
  auto profiles = ParseProfilesJsonl(content, path, Gazetteer::Bundled());
  if (!profiles.ok()) {
    std::cerr << profiles.status().message() << "\n";
    return false;
  }
  for (Profile& p : *profiles) (*out)[p.id] = std::move(p);
  return true;
}

// Counts for one group of profiles.
struct Counts {
  int profiles = 0;
  int claimed = 0, labelled = 0, both = 0;  // any role
  int role_right = 0;                       // of `both`
  int stated_claimed = 0, stated_labelled = 0, stated_both = 0;

  void Print(const std::string& name) const {
    auto ratio = [](int a, int b) { return b == 0 ? 0.0 : double(a) / b; };
    std::cout << absl::StrFormat(
        "%-16s %4d %5d %5d  %6.3f %6.3f  %6.3f   %6.3f %6.3f\n", name,
        profiles, labelled, claimed, ratio(both, claimed),
        ratio(both, labelled), ratio(role_right, both),
        ratio(stated_both, stated_claimed),
        ratio(stated_both, stated_labelled));
  }
};

std::string Describe(const Taxonomy& taxonomy, int theme, Role role) {
  return absl::StrFormat("%s(%s)", taxonomy.themes()[theme].id,
                         RoleName(role));
}

// "water: 'water efficiency' offer, 'water' context weak".
std::string EvidenceLine(const Taxonomy& taxonomy, const std::string& text,
                         const ThemeInterest& t) {
  std::string out = absl::StrFormat("%s %.2f:", taxonomy.themes()[t.theme].id,
                                    t.weight);
  for (const Evidence& e : t.evidence) {
    out += absl::StrFormat(" '%s' %s%s", text.substr(e.begin, e.end - e.begin),
                           RoleName(e.role), e.weak ? " weak" : "");
  }
  return out;
}

int Main(int argc, char** argv) {
  std::string labels_path = PM_LABELS_FILE;
  std::string seed_path = std::string(PM_SOURCE_DIR) + "/data/profiles.jsonl";
  std::string eval_path = std::string(PM_EVAL_DIR) + "/dev_profiles.jsonl";
  std::string new_path = PM_NEW_PROFILES_FILE;
  std::string split = "all";
  bool verbose = false;
  bool names = false;
  for (int i = 1; i < argc; ++i) {
    const bool has_value = i + 1 < argc;
    if (std::strcmp(argv[i], "--verbose") == 0) {
      verbose = true;
    } else if (std::strcmp(argv[i], "--names") == 0) {
      names = true;
    } else if (std::strcmp(argv[i], "--split") == 0 && has_value) {
      split = argv[++i];
    } else if (std::strcmp(argv[i], "--labels") == 0 && has_value) {
      labels_path = argv[++i];
    } else if (std::strcmp(argv[i], "--seed") == 0 && has_value) {
      seed_path = argv[++i];
    } else if (std::strcmp(argv[i], "--eval") == 0 && has_value) {
      eval_path = argv[++i];
    } else if (std::strcmp(argv[i], "--new") == 0 && has_value) {
      new_path = argv[++i];
    } else {
      split = "";
    }
    if (split != "all" && split != "dev" && split != "held_out") {
      std::cerr << "usage: extraction_quality [--split dev|held_out|all] "
                   "[--verbose] [--names] [--labels FILE] [--seed FILE] "
                   "[--eval FILE] [--new FILE]\n";
      return 2;
    }
  }

  const Taxonomy& taxonomy = Taxonomy::Bundled();
  std::vector<LabelledProfile> labels;
  std::map<std::string, std::map<std::string, Profile>> profiles;
  if (!ReadLabels(labels_path, taxonomy, &labels) ||
      !ReadProfiles(seed_path, &profiles["seed"]) ||
      !ReadProfiles(eval_path, &profiles["eval"]) ||
      !ReadProfiles(new_path, &profiles["new"])) {
    return 1;
  }
  const ThemeExtractor extractor(std::shared_ptr<const Taxonomy>(
      &taxonomy, [](const Taxonomy*) {}));

  std::map<std::string, Counts> groups;  // "dev", "dev/seed", ...
  for (const LabelledProfile& p : labels) {
    if (split != "all" && p.split != split) continue;
    auto profile = profiles[p.source].find(p.id);
    if (profile == profiles[p.source].end()) {
      std::cerr << labels_path << ": no " << p.source << " profile '" << p.id
                << "'\n";
      return 1;
    }
    const std::string& text = profile->second.text;
    const Extraction e =
        extractor.Extract(text, names ? profile->second.name : "");
    std::map<int, Role> claimed;
    std::map<int, const ThemeInterest*> interests;
    for (const ThemeInterest& t : e.themes) {
      claimed[t.theme] = t.role;
      interests[t.theme] = &t;
    }

    Counts c;
    c.profiles = 1;
    std::vector<std::string> fp, fn, role_errors;
    std::vector<std::string> evidence;  // of false positives and role errors
    for (const auto& [theme, role] : claimed) {
      ++c.claimed;
      if (role != Role::kContext) ++c.stated_claimed;
      auto gold = p.themes.find(theme);
      if (gold == p.themes.end()) {
        fp.push_back(Describe(taxonomy, theme, role));
        evidence.push_back(
            EvidenceLine(taxonomy, text, *interests[theme]));
        continue;
      }
      ++c.both;
      if (gold->second == role) {
        ++c.role_right;
      } else {
        role_errors.push_back(absl::StrFormat(
            "%s %s->%s", taxonomy.themes()[theme].id, RoleName(gold->second),
            RoleName(role)));
        evidence.push_back(
            EvidenceLine(taxonomy, text, *interests[theme]));
      }
      if (role != Role::kContext && gold->second != Role::kContext) {
        ++c.stated_both;
      }
    }
    for (const auto& [theme, role] : p.themes) {
      ++c.labelled;
      if (role != Role::kContext) ++c.stated_labelled;
      if (!claimed.count(theme)) fn.push_back(Describe(taxonomy, theme, role));
    }
    for (const std::string& key :
         {p.split, p.split + "/" + p.source, std::string("all")}) {
      Counts& g = groups[key];
      g.profiles += c.profiles;
      g.claimed += c.claimed;
      g.labelled += c.labelled;
      g.both += c.both;
      g.role_right += c.role_right;
      g.stated_claimed += c.stated_claimed;
      g.stated_labelled += c.stated_labelled;
      g.stated_both += c.stated_both;
    }
    if (verbose && (!fp.empty() || !fn.empty() || !role_errors.empty())) {
      std::cout << p.source << "/" << p.id << " (" << p.split << ")\n";
      auto list = [](const char* what, const std::vector<std::string>& items) {
        if (items.empty()) return;
        std::cout << "  " << what << ":";
        for (const std::string& s : items) std::cout << " " << s;
        std::cout << "\n";
      };
      list("false positives", fp);
      list("false negatives", fn);
      list("role errors (label->engine)", role_errors);
      for (const std::string& line : evidence) {
        std::cout << "    " << line << "\n";
      }
    }
  }
  if (verbose) std::cout << "\n";

  std::cout << absl::StrFormat(
      "%-16s %4s %5s %5s  %6s %6s  %6s   %6s %6s\n", "group", "prof", "gold",
      "claim", "P", "R", "role", "statP", "statR");
  for (const char* key : {"dev", "dev/seed", "dev/eval", "held_out",
                          "held_out/seed", "held_out/eval", "held_out/new",
                          "all"}) {
    auto it = groups.find(key);
    if (it != groups.end()) it->second.Print(key);
  }
  return 0;
}

}  // namespace
}  // namespace pm

int main(int argc, char** argv) { return pm::Main(argc, argv); }
