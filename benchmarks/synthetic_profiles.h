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

}  // namespace pm

#endif  // PARTNER_MATCH_BENCHMARKS_SYNTHETIC_PROFILES_H_
