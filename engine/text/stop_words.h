// Function words of each language (articles, prepositions, conjunctions,
// pronouns, auxiliaries): words that say nothing about a place's topics
// however rare they are in a corpus. From data/stop_words.tsv.
#ifndef PARTNER_MATCH_ENGINE_TEXT_STOP_WORDS_H_
#define PARTNER_MATCH_ENGINE_TEXT_STOP_WORDS_H_

#include <string_view>

#include "engine/model/language.h"

namespace pm {

// True when `folded` (a Token's folded form: case-folded, accents
// stripped) is a function word of `language`.
bool IsStopWord(std::string_view folded, Language language);

}  // namespace pm

#endif  // PARTNER_MATCH_ENGINE_TEXT_STOP_WORDS_H_
