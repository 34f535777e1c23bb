#include "engine/model/profile.h"

#include <algorithm>

#include "absl/strings/ascii.h"

namespace pm {

const char* PlaceKindName(PlaceKind kind) {
  switch (kind) {
    case PlaceKind::kCity:
      return "city";
    case PlaceKind::kRegion:
      return "region";
    case PlaceKind::kAssociation:
      return "association";
  }
  return "city";
}

std::optional<PlaceKind> ParsePlaceKind(std::string_view name) {
  const std::string lower = absl::AsciiStrToLower(std::string(name));
  if (lower == "city") return PlaceKind::kCity;
  if (lower == "region") return PlaceKind::kRegion;
  if (lower == "association") return PlaceKind::kAssociation;
  return std::nullopt;
}

bool Profile::operator==(const Profile& o) const {
  return id == o.id && name == o.name && kind == o.kind &&
         country == o.country && text == o.text &&
         population == o.population && known_partners == o.known_partners &&
         eu_member == o.eu_member && world_region == o.world_region;
}

const char* RoleName(Role role) {
  switch (role) {
    case Role::kContext:
      return "context";
    case Role::kOffer:
      return "offer";
    case Role::kSeek:
      return "seek";
    case Role::kBoth:
      return "both";
  }
  return "context";
}

Role MergeRoles(Role a, Role b) {
  if (a == Role::kContext) return b;
  if (b == Role::kContext) return a;
  return a == b ? a : Role::kBoth;
}

const ThemeInterest* Extraction::Find(int theme) const {
  auto it = std::find_if(themes.begin(), themes.end(),
                         [&](const ThemeInterest& t) { return t.theme == theme; });
  return it == themes.end() ? nullptr : &*it;
}

}  // namespace pm
