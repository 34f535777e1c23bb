// The engine's plain types: a place's profile and the interests extracted
// from it. The engine computes on these; proto types appear in it only at
// the file-format boundaries whose formats the proto defines (engine/io reads
// and writes profiles in the proto's JSON mapping, engine/taxonomy reads the
// taxonomy the same way), and service/ converts for the wire.
// scripts/check_layers.sh keeps protobuf out of every other layer.
#ifndef PARTNER_MATCH_ENGINE_MODEL_PROFILE_H_
#define PARTNER_MATCH_ENGINE_MODEL_PROFILE_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/model/language.h"

namespace pm {

// Associations of municipalities count as cities for the kind rule.
enum class PlaceKind { kCity, kRegion, kAssociation };

// "city", "region", "association".
const char* PlaceKindName(PlaceKind kind);
// Case-insensitive; nullopt for anything else.
std::optional<PlaceKind> ParsePlaceKind(std::string_view name);
// True for kCity and kAssociation.
inline bool IsCityLike(PlaceKind kind) { return kind != PlaceKind::kRegion; }

// Limits on a profile's identifying fields, in bytes (the text, name and
// known-partner limits are the file format's: engine/io/profile_format.h).
inline constexpr size_t kMaxIdBytes = 64;
inline constexpr size_t kMaxWorldRegionBytes = 64;

// A place as loaded. Value type.
struct Profile {
  std::string id;       // 1-kMaxIdBytes of [a-z0-9._-]
  std::string name;     // display name, UTF-8
  PlaceKind kind = PlaceKind::kCity;
  std::string country;  // ISO 3166-1 alpha-2, upper case
  std::string text;     // the free-text profile, valid UTF-8
  int64_t population = 0;                   // 0 when unknown
  std::vector<std::string> known_partners;  // ids, need not be loaded
  std::optional<bool> eu_member;  // as given; nullopt = derive from country
  std::string world_region;       // as given (at most kMaxWorldRegionBytes);
                                  // empty = derive from country

  bool operator==(const Profile& other) const;
};

// What a theme is to a place.
enum class Role {
  kContext,  // a background fact ("the economy is based on tourism")
  kOffer,    // a stated strength ("has experience in water efficiency")
  kSeek,     // a stated interest ("is looking to learn circular economy")
  kBoth,     // offered and sought
};

// "context", "offer", "seek", "both".
const char* RoleName(Role role);
// True for kOffer and kBoth (what the place can share).
inline bool Offers(Role role) { return role == Role::kOffer || role == Role::kBoth; }
// True for kSeek and kBoth (what the place wants to learn).
inline bool Seeks(Role role) { return role == Role::kSeek || role == Role::kBoth; }
// kBoth when `a` and `b` differ and neither is kContext; otherwise the
// stronger of the two (offer/seek/both over context).
Role MergeRoles(Role a, Role b);

// The exact text that proves a theme: byte offsets into Profile::text.
struct Evidence {
  size_t begin = 0;  // the matched words: text[begin, end)
  size_t end = 0;
  size_t sentence_begin = 0;  // the sentence they stand in
  size_t sentence_end = 0;
  Role role = Role::kContext;  // the role this occurrence gives the theme
  bool weak = false;           // matched a weak phrase only
};

// One theme of a profile's interest vector.
struct ThemeInterest {
  int theme = 0;        // index into Taxonomy::themes()
  double weight = 0.0;  // in (0, 1]
  Role role = Role::kContext;
  std::vector<Evidence> evidence;  // in text order
};

// Everything extracted from one profile's text. Themes in taxonomy order.
struct Extraction {
  Language language = Language::kEnglish;  // the text was read in
  std::vector<ThemeInterest> themes;

  // The interest in theme `theme`, or nullptr.
  const ThemeInterest* Find(int theme) const;
};

}  // namespace pm

#endif  // PARTNER_MATCH_ENGINE_MODEL_PROFILE_H_
