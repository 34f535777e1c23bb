#include "engine/geo/membership.h"

namespace pm {

bool IsEuMember(const Profile& profile, const Gazetteer& gazetteer) {
  if (profile.eu_member.has_value()) return *profile.eu_member;
  const Country* country = gazetteer.Find(profile.country);
  return country != nullptr && country->eu_member;
}

std::string WorldRegion(const Profile& profile, const Gazetteer& gazetteer) {
  if (!profile.world_region.empty()) return profile.world_region;
  const Country* country = gazetteer.Find(profile.country);
  return country == nullptr ? std::string() : country->world_region;
}

}  // namespace pm
