// Phrase matching on analysed text, shared by theme extraction, role parsing
// and the taxonomy check: the words of a text as the matchers see them, and
// sets of patterns (theme phrases on stems, cue phrases on folded words)
// found longest first, each word used by at most one match.
#ifndef PARTNER_MATCH_ENGINE_EXTRACTION_PHRASE_MATCHER_H_
#define PARTNER_MATCH_ENGINE_EXTRACTION_PHRASE_MATCHER_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/text/text_analyzer.h"

namespace pm {

// The words of a text (its tokens other than "-"), with what the matchers
// and the role parser need to know about each. Points into the AnalyzedText
// it was built from, which must outlive it. Index i is word i throughout.
struct WordSequence {
  std::vector<size_t> token;  // index into AnalyzedText::tokens
  std::vector<const std::string*> stem;
  std::vector<const std::string*> folded;
  // Word i and word i+1 written "a-b" (no space around the hyphen), as one
  // word: its stem and its folded form; empty otherwise.
  std::vector<std::string> joined_stem;
  std::vector<std::string> joined_folded;
  std::vector<bool> lower;        // has a lower-case ASCII letter
  std::vector<bool> capitalised;  // starts with an upper-case letter
  std::vector<bool> possessive;   // directly followed by "'s" / "’s"
  // Word i+1 is in another sentence, or punctuation other than a hyphen or
  // an apostrophe stands between words i and i+1 (true for the last word).
  std::vector<bool> separated;
  // The text between word i and word i+1 (empty for the last word).
  std::vector<std::string_view> gap;
  std::vector<size_t> sentence;  // index into AnalyzedText::sentences

  size_t size() const { return token.size(); }
  // True when `separator` (ASCII punctuation such as ";" or ":") stands
  // between word i and word i+1.
  bool GapHas(size_t i, char separator) const;
};

WordSequence CollectWords(std::string_view text, const AnalyzedText& analyzed);

// True when `word` is written as an acronym: at least two characters, an
// upper-case ASCII letter, no lower-case one ("NBS", "RIS3", "IT").
bool IsAcronym(std::string_view word);

// One match of a pattern: words [first, end) of a WordSequence.
struct PatternMatch {
  int id = 0;         // as given to PatternSet::Add
  bool weak = false;  // as given to PatternSet::Add
  size_t first = 0;
  size_t end = 0;
  size_t matched = 0;  // words used by the pattern's own words (the rest of
                       // [first, end) are gap words)
};

// A set of phrases to find in texts. Immutable once filled; FindAll is safe
// to call from many threads.
//
// A phrase matches a run of words within one sentence with no punctuation
// other than hyphens and apostrophes between them. With kStems a phrase word
// matches a text word with the same Snowball stem ("solutions" matches
// "solution"); with kFoldedWords the same folded form ("promotes" does not
// match "promoting"). Hyphens are optional: "nature-based" matches "nature
// based"; a phrase with a hyphen also matches its closed form ("e-mobility"
// matches "emobility"); a closed phrase matches the hyphenated form in the
// text ("cooperation" matches "co-operation"). A phrase word written as an
// acronym (IsAcronym) matches only text words without lower-case letters.
// Between two phrase words up to `max_gap` other words may stand (cues: "has
// extensive experience in" matches "has experience in").
class PatternSet {
 public:
  enum class MatchOn { kStems, kFoldedWords };
  // Phrases are stemmed with `language`'s stemmer: texts matched against
  // them must be analysed in the same language.
  PatternSet(MatchOn match_on, int max_gap,
             Language language = Language::kEnglish);

  // Adds `phrase` under `id` (any number; several phrases may share one).
  // Returns false, adding nothing, when the phrase has no word.
  bool Add(std::string_view phrase, int id, bool weak = false);

  // The matches in `w`, in text order: longest first (most words matched,
  // less one per gap word; then fewest gap words; strong before weak; then
  // earlier in the text; then the order of Add), each word used by at most
  // one match.
  std::vector<PatternMatch> FindAll(const WordSequence& w) const;

  // Every occurrence of every phrase, overlapping ones included (for the
  // taxonomy check: does a phrase occur at all?). In no particular order.
  std::vector<PatternMatch> FindEvery(const WordSequence& w) const;

  // The stem (or folded word) sequences `phrase` compiles to: the phrase
  // itself and, with a tight hyphen, its closed form. Empty without words.
  std::vector<std::vector<std::string>> Compile(std::string_view phrase) const;

 private:
  struct Pattern {
    std::vector<std::string> words;  // stems or folded words
    std::vector<bool> acronym;       // per word
    int id = 0;
    bool weak = false;
  };
  bool MatchFrom(const Pattern& p, size_t k, const WordSequence& w, size_t pos,
                 size_t* end, size_t* matched) const;
  const std::string& WordAt(const WordSequence& w, size_t i) const;
  const std::string& JoinedAt(const WordSequence& w, size_t i) const;

  MatchOn match_on_;
  int max_gap_;
  Language language_;
  std::vector<Pattern> patterns_;
  std::unordered_map<std::string, std::vector<int>> by_first_word_;
};

}  // namespace pm

#endif  // PARTNER_MATCH_ENGINE_EXTRACTION_PHRASE_MATCHER_H_
