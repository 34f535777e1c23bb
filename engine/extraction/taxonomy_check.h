// Checks a taxonomy the way the extractor will read it: phrases that two
// themes claim once stemmed, weak phrases a strong one shadows, cues in both
// cue lists, themes without a definition, and phrases and cues that occur
// nowhere in a set of profile texts.
#ifndef PARTNER_MATCH_ENGINE_EXTRACTION_TAXONOMY_CHECK_H_
#define PARTNER_MATCH_ENGINE_EXTRACTION_TAXONOMY_CHECK_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "engine/taxonomy/taxonomy.h"

namespace pm {

// A phrase as the taxonomy lists it.
struct PhraseRef {
  std::string theme;  // theme id
  std::string phrase;
  bool weak = false;
};

// Two phrases that match the same words. Problems: two themes claim them
// (`a` is the one the extractor prefers: strong before weak, then taxonomy
// order), or a strong phrase of one theme shadows a weak one of the same
// theme (the weak phrase never matches). Duplicates within one theme and
// list (such as "land use" and "land-use") are harmless and not reported.
struct PhraseClash {
  std::string stems;  // the shared stems, space-separated
  PhraseRef a;
  PhraseRef b;
};

struct TaxonomyCheckReport {
  std::vector<PhraseClash> clashes;
  std::vector<std::string> cues_in_both_lists;   // as the offer list has it
  std::vector<std::string> themes_without_definition;  // ids
  // Phrases (strong and weak) and cues that occur in none of the texts
  // (matched alone, not competing with longer phrases), in taxonomy order.
  std::vector<PhraseRef> unused_phrases;
  std::vector<std::string> unused_cues;
  // With reference texts: the phrases that match in some of the texts and in
  // none of the reference texts, in taxonomy order, each with the indexes of
  // the texts it matches in. Vocabulary that only an evaluation set uses is
  // what a reviewer should check was not written to fit it.
  struct PhraseOnlyInTexts {
    PhraseRef phrase;
    std::vector<size_t> texts;
  };
  std::vector<PhraseOnlyInTexts> phrases_only_in_texts;
  size_t reference_texts = 0;
  size_t texts = 0;   // texts searched
  size_t phrases = 0;  // phrases and weak phrases in the taxonomy
  size_t cues = 0;     // offer and seek cues

  // Clashes, cues in both lists and missing definitions: what makes the
  // extractor's reading ambiguous or a theme unexplained. Unused phrases and
  // cues are not problems by themselves (a small profile set uses few).
  size_t problems() const {
    return clashes.size() + cues_in_both_lists.size() +
           themes_without_definition.size();
  }
};

// Checks `taxonomy` against `texts` (valid UTF-8 profile texts). Phrases
// are compared as the extractor compiles them (stems, hyphens optional, the
// closed form of a hyphenated phrase included); cues on folded words.
// `reference` (e.g. the bundled profiles) fills phrases_only_in_texts; when
// empty, that list stays empty.
TaxonomyCheckReport CheckTaxonomy(
    const Taxonomy& taxonomy, const std::vector<std::string_view>& texts,
    const std::vector<std::string_view>& reference = {});

}  // namespace pm

#endif  // PARTNER_MATCH_ENGINE_EXTRACTION_TAXONOMY_CHECK_H_
