#include "engine/matching/exclusion.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"

namespace pm {
namespace {

std::string SideName(bool eu) {
  return eu ? "EU members" : "partner-country members";
}

bool Lists(const Profile& x, const Profile& y) {
  return std::find(x.known_partners.begin(), x.known_partners.end(), y.id) !=
         x.known_partners.end();
}

}  // namespace

ExclusionRule RecordedExclusion(const MatchRules& rules,
                                const MatchIndex& index, size_t a, size_t b) {
  const RowFacts& fa = index.facts(a);
  const RowFacts& fb = index.facts(b);
  if (fa.decided && fb.decided) {
    if (const Decision* d = index.LatestDecision(index.at(a).profile.id,
                                                 index.at(b).profile.id)) {
      switch (d->kind) {
        case DecisionKind::kDeclined:
          return ExclusionRule::kDeclined;
        case DecisionKind::kAccepted:
          if (rules.exclude_known_partners) return ExclusionRule::kAccepted;
          break;
        case DecisionKind::kExisting:
          if (rules.exclude_known_partners) return ExclusionRule::kExisting;
          break;
      }
    }
  }
  if (rules.exclude_known_partners && (fa.lists_partners || fb.lists_partners)) {
    const Profile& pa = index.at(a).profile;
    const Profile& pb = index.at(b).profile;
    if (Lists(pa, pb) || Lists(pb, pa)) return ExclusionRule::kKnownPartner;
  }
  return ExclusionRule::kNone;
}

std::string Describe(ExclusionRule rule, const MatchIndex& index, size_t a,
                     size_t b) {
  const IndexedProfile& pa = index.at(a);
  const IndexedProfile& pb = index.at(b);
  const Decision* d = index.LatestDecision(pa.profile.id, pb.profile.id);
  const std::string who = d != nullptr ? d->who : "";
  switch (rule) {
    case ExclusionRule::kNone:
      return "";
    case ExclusionRule::kSelf:
      return "a place is not its own partner";
    case ExclusionRule::kSameSide:
      return absl::StrCat("both are ", SideName(pa.eu_member),
                          "; a pair joins an EU member with a "
                          "partner-country member");
    case ExclusionRule::kSameCountry:
      return absl::StrCat("both are in the same country (",
                          pa.profile.country, ")");
    case ExclusionRule::kDeclined:
      return absl::StrCat("declined by ", who,
                          d == nullptr || d->why.empty() ? "" : ": ",
                          d != nullptr ? d->why : "");
    case ExclusionRule::kAccepted:
      return absl::StrCat("already accepted as partners by ", who,
                          " (not suggested again as new)");
    case ExclusionRule::kExisting:
      return absl::StrCat("an existing partnership, recorded by ", who,
                          " (not suggested again as new)");
    case ExclusionRule::kKnownPartner:
      return "already partners (a known partnership is not suggested again "
             "as new)";
  }
  return "";
}

}  // namespace pm
