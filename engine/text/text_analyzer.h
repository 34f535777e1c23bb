// Text normalisation: UTF-8 validation, Unicode normalisation and case
// folding (utf8proc), word tokens with byte offsets, sentences, and Snowball
// stems (libstemmer) of the text's language.
#ifndef PARTNER_MATCH_ENGINE_TEXT_TEXT_ANALYZER_H_
#define PARTNER_MATCH_ENGINE_TEXT_TEXT_ANALYZER_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "engine/model/language.h"

namespace pm {

// OK for valid UTF-8; INVALID_ARGUMENT "invalid UTF-8 at byte N" otherwise.
absl::Status ValidateUtf8(std::string_view text);

// NFKC, case-folded, accents stripped ("Almería" -> "almeria",
// "Trás-os-Montes" -> "tras-os-montes"). `text` must be valid UTF-8.
std::string FoldText(std::string_view text);

// True when `text` starts with an upper-case or title-case letter (Unicode
// categories Lu, Lt): "Ústí", "Łódź", "Bari"; false for "the", "1893", "".
bool StartsUpperCase(std::string_view text);

// Code points, for parsers that walk UTF-8 text byte offset by byte offset.
struct CodePointAt {
  char32_t cp = 0;    // U+FFFD for an undecodable byte
  size_t length = 0;  // bytes taken: 1-4 (1 for an undecodable byte)
};
// The code point starting at text[pos]; pos < text.size().
CodePointAt DecodeCodePoint(std::string_view text, size_t pos);
// The offset where the code point ending just before `pos` (> 0) starts.
size_t PreviousCodePoint(std::string_view text, size_t pos);
// Letters, digits and combining marks (Unicode L*, N*, M*): the characters
// of a word, as Analyze's tokens have them.
bool IsWordCodePoint(char32_t cp);
// Upper-case and title-case letters (Lu, Lt).
bool IsUpperCaseLetter(char32_t cp);
// White space as Analyze sees it: ASCII white space, the no-break space and
// the other Unicode space separators (Zs), line and paragraph separators.
bool IsWhiteSpace(char32_t cp);

struct Token {
  size_t begin = 0;  // byte offsets into the analysed text: [begin, end)
  size_t end = 0;
  std::string folded;   // FoldText of the token ("doesn't" -> "doesnt")
  // The Snowball stem of the word in the text's language, accents stripped
  // (English: the stem of `folded`; other languages: of the case-folded
  // word with its accents, whose suffixes their stemmers know).
  std::string stem;
  size_t sentence = 0;  // index into AnalyzedText::sentences
};

struct Sentence {
  size_t begin = 0;  // byte offsets into the analysed text, trimmed
  size_t end = 0;
  size_t first_token = 0;  // tokens [first_token, last_token)
  size_t last_token = 0;
};

struct AnalyzedText {
  Language language = Language::kEnglish;  // as given to Analyze
  std::vector<Token> tokens;
  std::vector<Sentence> sentences;
};

// Splits text into words and sentences.
//
// Words. A word is a run of letters and digits (Unicode categories L* and N*;
// combining marks after a letter stay in the word). A hyphen ("-", U+2010,
// U+2011) is always a token of its own, folded and stemmed as "-", so
// "e-mobility" is the three tokens "e", "-", "mobility" (callers match
// hyphenated and spaced forms alike by skipping "-" tokens). Inside a word
// are kept: "." or "," between two digits ("5.0", "1,500" are one token);
// "." between single letters of an initialism ("e.g", "U.S"; the final "."
// is not part of the token); an apostrophe (', U+2019, U+02BC) between
// letters ("doesn't" -> folded "doesnt"), except in French and Italian, where
// it ends an elided word ("l'eau" -> "l", "eau"). A possessive "'s" / "’s" ends the
// word and produces no token ("Rome’s" -> "rome"). All other punctuation and
// symbols produce no token, and a "." between two words with no space after
// it ("sector.The") separates them without ending a sentence. Words run
// together by a lost space are split where three or more lower-case letters
// meet an upper-case letter followed by a lower-case one ("agricultureIt"
// -> "agriculture", "it"; "iPhone", "McKinsey", "eMobility" stay whole).
//
// Sentences end at ".", "!" or "?" (closing quotes or brackets may follow)
// followed by white space and an upper-case letter or a digit (opening quotes
// or brackets may come first), except after an abbreviation ("e.g.", "i.e.",
// "St.", "Dr.", "No.", ...) or a single upper-case initial ("J. Smith"); at a
// blank line ("\n", optional spaces, "\n"); and at the end of the text.
// Sentence offsets are trimmed of white space. A stretch without any token is
// not a sentence, so every sentence has at least one token and sentences
// cover all tokens in order.
//
// Invalid UTF-8 is outside the contract; it does not crash (undecodable
// bytes count as punctuation).
//
// Thread-safe: each thread uses its own Snowball stemmer.
class TextAnalyzer {
 public:
  // `text` must be valid UTF-8 (see ValidateUtf8). Stems are those of
  // `language`'s Snowball stemmer.
  static AnalyzedText Analyze(std::string_view text,
                              Language language = Language::kEnglish);

  // Stems of the words of `phrase`, as Analyze would give them, hyphens
  // included as "-" tokens.
  static std::vector<std::string> PhraseStems(
      std::string_view phrase, Language language = Language::kEnglish);
};

}  // namespace pm

#endif  // PARTNER_MATCH_ENGINE_TEXT_TEXT_ANALYZER_H_
