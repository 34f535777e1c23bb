// Synthetic profiles for the benchmarks, generated at run time from the
// bundled ones: each takes the text and name of a random bundled profile and
// a random country, so extraction and scoring do real work.
#ifndef PARTNER_MATCH_BENCHMARKS_SYNTHETIC_PROFILES_H_
#define PARTNER_MATCH_BENCHMARKS_SYNTHETIC_PROFILES_H_

#include <random>
#include <string>
#include <vector>

#include "data/bundled_data.h"
#include "engine/geo/gazetteer.h"
#include "engine/io/profile_format.h"

namespace pm {

// n profiles, ids p0 … p{n-1}, the same for the same n (seeded).
inline std::vector<Profile> SyntheticProfiles(size_t n) {
  static const std::vector<Profile> bundled =
      ParseProfilesJsonl(bundled::File_profiles_jsonl(), "bundled",
                         Gazetteer::Bundled())
          .value();
  const std::vector<std::string> countries = {"ES", "IT", "DE", "FR", "PL",
                                              "CO", "MX", "JP", "US", "BR"};
  std::mt19937 rng(7);
  std::vector<Profile> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    Profile p = bundled[rng() % bundled.size()];
    p.id = "p" + std::to_string(i);
    p.country = countries[rng() % countries.size()];
    p.eu_member.reset();
    p.known_partners.clear();
    out.push_back(std::move(p));
  }
  return out;
}

// n profiles like SyntheticProfiles(n), except that each text is made of
// sentences of three random bundled profiles, each sentence kept with
// probability 1/2: no two texts alike, as in a real programme (in
// SyntheticProfiles every text has thousands of exact copies, so a query
// meets thousands of ties with its best partners).
inline std::vector<Profile> MixedSyntheticProfiles(size_t n) {
  static const std::vector<Profile> bundled =
      ParseProfilesJsonl(bundled::File_profiles_jsonl(), "bundled",
                         Gazetteer::Bundled())
          .value();
  std::vector<Profile> out = SyntheticProfiles(n);
  std::mt19937 rng(11);
  for (Profile& p : out) {
    std::string text;
    for (int source = 0; source < 3; ++source) {
      const std::string& from = bundled[rng() % bundled.size()].text;
      for (size_t start = 0; start < from.size();) {
        const size_t stop = from.find(". ", start);
        const size_t end = stop == std::string::npos ? from.size() : stop + 2;
        if (rng() % 2 == 0) text += from.substr(start, end - start);
        start = end;
      }
    }
    p.text = std::move(text);
  }
  return out;
}

}  // namespace pm

#endif  // PARTNER_MATCH_BENCHMARKS_SYNTHETIC_PROFILES_H_
