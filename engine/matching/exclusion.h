// The programme's hard rules: which pairs may never be suggested or planned
// as new partners, and why, in words a coordinator reads.
#ifndef PARTNER_MATCH_ENGINE_MATCHING_EXCLUSION_H_
#define PARTNER_MATCH_ENGINE_MATCHING_EXCLUSION_H_

#include <cstddef>
#include <string>

#include "engine/matching/match_index.h"

namespace pm {

// The programme's rules (defaults from docs/design.md).
struct MatchRules {
  // A pair joins one EU member and one partner-country member.
  bool require_opposite_sides = true;
  // Never two places of the same country.
  bool forbid_same_country = true;
  // Known partnerships, and pairs a coordinator accepted or recorded as
  // existing, are not suggested again as new. (Declined pairs are always
  // excluded.)
  bool exclude_known_partners = true;
  // Score multiplier for a city-like place with a region (soft: metropolitan
  // areas blur the line). 1 disables the rule.
  double kind_mismatch_factor = 0.7;
};

// The hard rule that excludes a pair, the first that applies in this order.
enum class ExclusionRule {
  kNone,          // eligible
  kSelf,          // a place and itself
  kSameSide,      // both EU members, or both partner-country members
  kSameCountry,   // both in one country
  kDeclined,      // the decision in force declines the pair
  kAccepted,      // the decision in force accepts it (not new)
  kExisting,      // the decision in force records a partnership (not new)
  kKnownPartner,  // one lists the other as a known partner (not new)
};

// The rules of the programme itself for two different places (kSameSide,
// kSameCountry, or kNone), whatever coordinators decided: a pair they
// exclude can never be partners, so no decision may accept it.
inline ExclusionRule ProgrammeRule(const MatchRules& rules, const RowFacts& a,
                                   const RowFacts& b) {
  if (rules.require_opposite_sides && a.eu_member == b.eu_member) {
    return ExclusionRule::kSameSide;
  }
  if (rules.forbid_same_country && a.country == b.country) {
    return ExclusionRule::kSameCountry;
  }
  return ExclusionRule::kNone;
}

// The decision in force, then known partnerships, for rows (a, b) that the
// programme's rules allow (FindExclusion's second half).
ExclusionRule RecordedExclusion(const MatchRules& rules,
                                const MatchIndex& index, size_t a, size_t b);

// The rule that excludes rows (a, b) of `index`, or kNone: the programme's
// rules, then the decision in force, then known partnerships. Cheap enough
// for a ranking loop: inline, it reads the rows' facts (MatchIndex::facts)
// and looks further only for rows with decisions or known partners.
inline ExclusionRule FindExclusion(const MatchRules& rules,
                                   const MatchIndex& index, size_t a,
                                   size_t b) {
  if (a == b) return ExclusionRule::kSelf;
  const RowFacts& fa = index.facts(a);
  const RowFacts& fb = index.facts(b);
  const ExclusionRule programme = ProgrammeRule(rules, fa, fb);
  if (programme != ExclusionRule::kNone) return programme;
  if ((fa.decided && fb.decided) ||
      (rules.exclude_known_partners &&
       (fa.lists_partners || fb.lists_partners))) {
    return RecordedExclusion(rules, index, a, b);
  }
  return ExclusionRule::kNone;
}

// `rule` for rows (a, b) as a sentence, e.g. "both are EU members; a pair
// joins an EU member with a partner-country member" or "declined by Ana:
// different priorities" (who and why from the decision in force). "" for
// kNone. Written only when shown.
std::string Describe(ExclusionRule rule, const MatchIndex& index, size_t a,
                     size_t b);

}  // namespace pm

#endif  // PARTNER_MATCH_ENGINE_MATCHING_EXCLUSION_H_
