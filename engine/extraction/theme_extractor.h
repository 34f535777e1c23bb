// Theme extraction: finds taxonomy phrases in a profile's text, gives each
// mention a role from the structure of its sentence (role_parser.h), and
// each theme a weight that grows with independent evidence and saturates.
#ifndef PARTNER_MATCH_ENGINE_EXTRACTION_THEME_EXTRACTOR_H_
#define PARTNER_MATCH_ENGINE_EXTRACTION_THEME_EXTRACTOR_H_

#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "engine/model/profile.h"
#include "engine/taxonomy/taxonomy.h"

namespace pm {

// Immutable after construction; Extract is safe to call from many threads.
class ThemeExtractor {
 public:
  // Compiles the taxonomy's phrases and cues, in each of its languages.
  // `taxonomy` must not be null; it is shared, not copied.
  explicit ThemeExtractor(std::shared_ptr<const Taxonomy> taxonomy);
  ~ThemeExtractor();

  // The themes of `text` (valid UTF-8), in taxonomy order, each with its
  // role, weight and evidence (byte offsets into `text`, in text order).
  //
  // Language. The text is read in `language`, or by default in the one
  // LanguageDetector::Installed() detects; a language the taxonomy has no
  // phrases in is read as English. The text's words are stemmed, and
  // matched against the phrases and cues, of that language only: theme ids
  // are the same in every language, so profiles in different languages
  // have comparable interest vectors, and evidence is the original text.
  // `place_name` (the profile's display name; may be empty) tells the
  // place's own sentences from those about other places; without it the
  // name is inferred from the text (see RoleParser).
  //
  // Matching. Phrases are matched on stemmed words (PatternSet, kStems:
  // plurals match, hyphens optional, acronyms only in capitals), within one
  // sentence and without punctuation between their words, longest match
  // first (most words; then strong before weak phrases, then earlier in the
  // text, then taxonomy order), each word used by at most one phrase. Two
  // refinements: a strong phrase directly before a strong phrase of another
  // theme is a modifier and counts as weak ("gender-equal urban planning",
  // "low-carbon mobility": the head names the theme); and an elided phrase
  // counts ("water and waste management" also names water management, when
  // "water management" is a strong phrase and "water" is not part of
  // another strong match).
  //
  // Roles. Each mention gets a role from its sentence (RoleParser: cue
  // scope over lists, complements, predicative cues, clauses, subjects,
  // negation, hedges). Mentions that do not count (negated, or said of
  // another place or of the programme) are dropped: they are no evidence.
  // A theme's role merges the roles of its strong mentions (MergeRoles):
  // offer and seek give both; either outranks context.
  //
  // Claims. A theme is claimed (appears in the result) only when a strong
  // phrase supports it. Weak phrases ("water", "innovation") are too generic
  // to prove a theme: they add evidence and weight to a claimed theme but
  // never claim one, nor change its role.
  //
  // Weight. Each mention has a strength
  //     s = base(role) × 0.3 (weak phrase) × 0.5 (hedged) × 0.5^r,
  // base 1.0 for offer, seek or both and 0.4 for context, r the number of
  // earlier mentions of the same phrase (a repeat is not independent
  // evidence). Mentions of one theme in one sentence are one piece of
  // evidence: sorted by strength, the k-th (k = 0, 1, ...) counts s × 0.5^k.
  // The theme's weight is 1 − exp(−Σ): in (0, 1], growing with
  // independent evidence and saturating — one stated interest or strength
  // weighs 0.63, two 0.86, three 0.95; one background mention 0.33. A theme
  // with no stated (non-context) mention weighs at most 0.5, below any
  // single stated interest. The weight depends on what the text says, not
  // on its length: a one-line profile stating an interest weighs it as much
  // as a long one stating it once.
  Extraction Extract(std::string_view text, std::string_view place_name = {},
                     std::optional<Language> language = std::nullopt) const;

  const Taxonomy& taxonomy() const { return *taxonomy_; }

 private:
  struct Compiled;
  std::unique_ptr<const Compiled> Compile(Language language) const;

  std::shared_ptr<const Taxonomy> taxonomy_;
  // By language (kLanguages order); null where the taxonomy has none.
  std::vector<std::unique_ptr<const Compiled>> compiled_;
};

}  // namespace pm

#endif  // PARTNER_MATCH_ENGINE_EXTRACTION_THEME_EXTRACTOR_H_
