// A place's side of the programme and its world region: as its profile
// gives them, or derived from its country.
#ifndef PARTNER_MATCH_ENGINE_GEO_MEMBERSHIP_H_
#define PARTNER_MATCH_ENGINE_GEO_MEMBERSHIP_H_

#include <string>

#include "engine/geo/gazetteer.h"
#include "engine/model/profile.h"

namespace pm {

// The EU membership and world region of a profile: as given, or derived from
// its country (false / "" for a country `gazetteer` does not know).
bool IsEuMember(const Profile& profile, const Gazetteer& gazetteer);
std::string WorldRegion(const Profile& profile, const Gazetteer& gazetteer);

}  // namespace pm

#endif  // PARTNER_MATCH_ENGINE_GEO_MEMBERSHIP_H_
