// The profile file format: JSON Lines, one proto3-JSON `Profile` a line, and
// the checks every profile passes before it is stored, whatever its source.
#ifndef PARTNER_MATCH_ENGINE_IO_PROFILE_FORMAT_H_
#define PARTNER_MATCH_ENGINE_IO_PROFILE_FORMAT_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/geo/gazetteer.h"
#include "engine/geo/membership.h"  // IsEuMember, WorldRegion
#include "engine/model/profile.h"
#include "partnermatch/v1/partner_match.pb.h"

namespace pm {

// Documented limits on input.
inline constexpr size_t kMaxProfileTextBytes = 65536;
inline constexpr size_t kMaxProfileNameBytes = 200;
inline constexpr size_t kMaxKnownPartners = 100;
inline constexpr size_t kMaxProfileLineBytes = 262144;

// Checks one profile and brings it to canonical form (country upper case,
// id/name/text trimmed). INVALID_ARGUMENT with a message naming the field:
// "field 'country': unknown country code 'XX'". Checks: id 1-kMaxIdBytes
// chars of [a-z0-9._-]; name non-empty, at most kMaxProfileNameBytes; text
// non-empty, at most kMaxProfileTextBytes; world_region at most
// kMaxWorldRegionBytes; all strings valid UTF-8; country a code of
// `gazetteer`; population >= 0; known_partners valid ids, at most
// kMaxKnownPartners, not the profile itself. On error `profile` may be
// partly normalised.
absl::Status NormalizeProfile(Profile& profile, const Gazetteer& gazetteer);

// Conversions to and from the proto message (kind lowercase on output).
// ProfileFromProto fails with INVALID_ARGUMENT for an unknown kind, naming it.
absl::StatusOr<Profile> ProfileFromProto(const partnermatch::v1::Profile& p);
partnermatch::v1::Profile ProfileToProto(const Profile& profile);

// Parses JSON Lines content (blank lines skipped) and normalises every
// profile. All or nothing: the first error is returned as INVALID_ARGUMENT
// "<source>:<line>: <problem>", naming the field where there is one (invalid
// JSON, unknown field, missing id/name/text/country, invalid UTF-8, unknown
// country, over-long text or line, duplicate id within the file, a NUL or
// raw control character, known_partners not an array of strings). With
// `lines`, appends the line number of each profile returned.
absl::StatusOr<std::vector<Profile>> ParseProfilesJsonl(
    std::string_view content, std::string_view source,
    const Gazetteer& gazetteer, std::vector<size_t>* lines = nullptr);

// One JSON line (no newline) for `profile`, in the proto3 JSON mapping with
// the .proto field names; ParseProfilesJsonl reads it back unchanged.
std::string ProfileToJsonLine(const Profile& profile);

// One JSON line (no newline) for a draft to complete: like
// ProfileToJsonLine, but every field is written, the empty ones too
// ("country":""), so that a person sees what to fill in. As written, a
// draft with an empty country is refused by ParseProfilesJsonl.
std::string DraftToJsonLine(const Profile& draft);

}  // namespace pm

#endif  // PARTNER_MATCH_ENGINE_IO_PROFILE_FORMAT_H_
