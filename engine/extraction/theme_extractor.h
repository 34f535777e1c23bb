// Theme extraction: finds taxonomy phrases in a profile's text, gives each
// theme a role from the cue phrases of its sentence, and a weight that grows
// with independent evidence and saturates.
#ifndef PARTNER_MATCH_ENGINE_EXTRACTION_THEME_EXTRACTOR_H_
#define PARTNER_MATCH_ENGINE_EXTRACTION_THEME_EXTRACTOR_H_

#include <memory>
#include <string_view>
#include <vector>

#include "engine/model/profile.h"
#include "engine/taxonomy/taxonomy.h"

namespace pm {

// Immutable after construction; Extract is safe to call from many threads.
class ThemeExtractor {
 public:
  // Compiles the taxonomy's phrases and cues to stem sequences.
  // `taxonomy` must not be null; it is shared, not copied.
  explicit ThemeExtractor(std::shared_ptr<const Taxonomy> taxonomy);
  ~ThemeExtractor();

  // The themes of `text` (valid UTF-8), in taxonomy order, each with its
  // role, weight and evidence (byte offsets into `text`, in text order).
  //
  // Matching. Phrases are matched on stemmed words (so plurals match),
  // within one sentence, with no punctuation other than hyphens and
  // apostrophes between their words ("water, efficiency" is not "water
  // efficiency"). Hyphens are optional: "nature-based" matches "nature
  // based"; a phrase with a hyphen also matches its closed form ("e-mobility"
  // matches "emobility"), and a closed phrase matches the hyphenated form in
  // the text ("cooperation" matches "co-operation"). A phrase word written
  // as an acronym ("NBS", "IT": two or more characters, upper case) matches
  // only words without lower-case letters ("it" is not "IT"). Longest match
  // first (most words; then strong before weak phrases, then earlier in the
  // text, then taxonomy order), each word used by at most one phrase.
  //
  // Roles. Cues are matched like phrases, separately from them, and their
  // words may be separated by up to two other words ("has extensive
  // experience in" matches the cue "has experience in"; each such gap word
  // counts one word against the cue's length). Role per occurrence
  // from the cues of the same sentence: the nearest cue before the phrase
  // decides; with no cue before it, the first cue after it; with none in the
  // sentence, context. A cue that directly follows another (no word or
  // punctuation between) is its complement, and the first decides ("is
  // interested in working on X": seek, though "works on" is an offer cue).
  // A negated cue gives context: one with a negation ("not", "no", "never",
  // "without", "lacks", "doesn't", ...; "not only" excepted) inside it or
  // among the three words before it ("is not interested in", "has no
  // experience in"). A phrase right after "not", "nor" or "neither"
  // (within two words) is context too ("but not in energy"). A theme's role
  // merges its occurrences' roles (MergeRoles), weak occurrences included.
  //
  // Weight. Each occurrence has a strength: 1.0 with role offer or seek, 0.4
  // with role context; times 0.3 for a weak phrase; times 0.5^k for the k-th
  // repeat (k = 0, 1, ...) of the same taxonomy phrase. weight = 1 -
  // exp(-sum of strengths): in (0, 1], growing with evidence and saturating
  // (one offer: 0.63, two: 0.86, one context: 0.33). A theme with weak
  // phrases only weighs at most 0.2. Themes without any occurrence are left
  // out.
  Extraction Extract(std::string_view text) const;

  const Taxonomy& taxonomy() const { return *taxonomy_; }

 private:
  struct Compiled;
  std::shared_ptr<const Taxonomy> taxonomy_;
  std::unique_ptr<const Compiled> compiled_;
};

}  // namespace pm

#endif  // PARTNER_MATCH_ENGINE_EXTRACTION_THEME_EXTRACTOR_H_
