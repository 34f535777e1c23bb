#include "engine/text/text_analyzer.h"

#include <libstemmer.h>
#include <utf8proc.h>

#include <cstdint>
#include <cstdlib>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace pm {
namespace {

// NFKC (COMPOSE + COMPAT), case folding, marks stripped. STRIPMARK needs
// COMPOSE or DECOMPOSE; COMPOSE gives NFKC.
constexpr auto kFoldOptions = static_cast<utf8proc_option_t>(
    UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD |
    UTF8PROC_STRIPMARK);
// The same, accents kept: what the stemmers of other languages than English
// expect ("gestión", "économie").
constexpr auto kCaseFoldOptions = static_cast<utf8proc_option_t>(
    UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);

constexpr int32_t kInvalid = -1;  // an undecodable byte

// One decoded code point and its bytes in the text: [begin, end).
struct CodePoint {
  int32_t cp = kInvalid;
  size_t begin = 0;
  size_t end = 0;
};

std::vector<CodePoint> Decode(std::string_view text) {
  std::vector<CodePoint> out;
  out.reserve(text.size());
  const auto* data = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  size_t i = 0;
  while (i < text.size()) {
    if (data[i] < 0x80) {  // ASCII: the byte is the code point
      out.push_back({data[i], i, i + 1});
      ++i;
      continue;
    }
    utf8proc_int32_t cp = kInvalid;
    utf8proc_ssize_t n = utf8proc_iterate(
        data + i, static_cast<utf8proc_ssize_t>(text.size() - i), &cp);
    if (n <= 0) {  // invalid byte: one code point of its own, never a letter
      out.push_back({kInvalid, i, i + 1});
      ++i;
      continue;
    }
    out.push_back({cp, i, i + static_cast<size_t>(n)});
    i += static_cast<size_t>(n);
  }
  return out;
}

bool IsApostrophe(int32_t cp) {
  return cp == '\'' || cp == 0x2019 || cp == 0x02BC;
}

bool IsHyphen(int32_t cp) { return cp == '-' || cp == 0x2010 || cp == 0x2011; }

// Letters and digits (the apostrophe-like modifier letter U+02BC excluded).
bool IsAlnum(int32_t cp) {
  if (cp < 0 || IsApostrophe(cp)) return false;
  switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
      return true;
    default:
      return false;
  }
}

bool IsLetter(int32_t cp) {
  if (cp < 0 || IsApostrophe(cp)) return false;
  const auto cat = utf8proc_category(cp);
  return cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO;
}

bool IsDigit(int32_t cp) {
  return cp >= 0 && utf8proc_category(cp) == UTF8PROC_CATEGORY_ND;
}

bool IsMark(int32_t cp) {
  if (cp < 0) return false;
  const auto cat = utf8proc_category(cp);
  return cat >= UTF8PROC_CATEGORY_MN && cat <= UTF8PROC_CATEGORY_ME;
}

bool IsUpper(int32_t cp) {
  if (cp < 0) return false;
  const auto cat = utf8proc_category(cp);
  return cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT;
}

bool IsSpace(int32_t cp) {
  if (cp == '\t' || cp == '\n' || cp == '\v' || cp == '\f' || cp == '\r' ||
      cp == 0x85) {
    return true;
  }
  if (cp < 0) return false;
  const auto cat = utf8proc_category(cp);
  return cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL ||
         cat == UTF8PROC_CATEGORY_ZP;
}

// Quotes and brackets that may close a sentence after its terminator.
bool IsCloser(int32_t cp) {
  return cp == ')' || cp == ']' || cp == '"' || cp == '\'' || cp == 0x2019 ||
         cp == 0x201D || cp == 0x00BB;
}

// Quotes and brackets that may open a sentence before its first letter.
bool IsOpener(int32_t cp) {
  return cp == '(' || cp == '[' || cp == '"' || cp == '\'' || cp == 0x2018 ||
         cp == 0x201C || cp == 0x00AB;
}

// Folds valid UTF-8 (utf8proc_map refuses anything else). ASCII text folds
// to its lower case under both options (NFKC leaves ASCII as it is, and it
// has no marks), without the round trip through utf8proc.
std::string FoldValid(std::string_view text,
                      utf8proc_option_t options = kFoldOptions) {
  if (text.empty()) return std::string();
  if (std::all_of(text.begin(), text.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
    std::string lower(text);
    for (char& c : lower) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return lower;
  }
  utf8proc_uint8_t* out = nullptr;
  utf8proc_ssize_t n = utf8proc_map(
      reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
      static_cast<utf8proc_ssize_t>(text.size()), &out, options);
  std::string result;
  if (n >= 0 && out != nullptr) {
    result.assign(reinterpret_cast<const char*>(out), static_cast<size_t>(n));
  }
  std::free(out);
  return result;
}

// Removes the apostrophes of contractions ("doesn't" -> "doesnt").
std::string StripApostrophes(std::string folded) {
  std::string out;
  out.reserve(folded.size());
  for (size_t i = 0; i < folded.size(); ++i) {
    if (folded[i] == '\'') continue;
    if (folded.compare(i, 3, "\xE2\x80\x99") == 0 ||  // U+2019
        folded.compare(i, 2, "\xCA\xBC") == 0) {      // U+02BC
      i += folded[i] == '\xE2' ? 2 : 1;
      continue;
    }
    out.push_back(folded[i]);
  }
  return out;
}

// libstemmer's name of the Snowball algorithm for `language`.
const char* SnowballName(Language language) {
  switch (language) {
    case Language::kEnglish: return "english";
    case Language::kSpanish: return "spanish";
    case Language::kPortuguese: return "portuguese";
    case Language::kFrench: return "french";
    case Language::kItalian: return "italian";
    case Language::kGerman: return "german";
  }
  return "english";
}

// One Snowball stemmer per language and thread: libstemmer objects are not
// thread-safe, and creating one per token would be wasteful.
class Stemmer {
 public:
  explicit Stemmer(Language language)
      : stemmer_(sb_stemmer_new(SnowballName(language), "UTF_8")) {}
  ~Stemmer() {
    if (stemmer_ != nullptr) sb_stemmer_delete(stemmer_);
  }
  Stemmer(const Stemmer&) = delete;
  Stemmer& operator=(const Stemmer&) = delete;

  std::string Stem(const std::string& word) {
    if (stemmer_ == nullptr || word.empty()) return word;
    const sb_symbol* s = sb_stemmer_stem(
        stemmer_, reinterpret_cast<const sb_symbol*>(word.data()),
        static_cast<int>(word.size()));
    if (s == nullptr) return word;  // out of memory: the word itself
    return std::string(reinterpret_cast<const char*>(s),
                       static_cast<size_t>(sb_stemmer_length(stemmer_)));
  }

 private:
  sb_stemmer* stemmer_;
};

Stemmer& ThreadStemmer(Language language) {
  thread_local std::unique_ptr<Stemmer> stemmers[std::size(kLanguages)];
  std::unique_ptr<Stemmer>& stemmer = stemmers[static_cast<size_t>(language)];
  if (stemmer == nullptr) stemmer = std::make_unique<Stemmer>(language);
  return *stemmer;
}

// French and Italian elide articles and prepositions with an apostrophe
// ("l'eau", "dell'acqua"): there it separates two words.
bool ApostropheSeparates(Language language) {
  return language == Language::kFrench || language == Language::kItalian;
}

bool IsLower(int32_t cp) {
  return cp >= 0 && utf8proc_category(cp) == UTF8PROC_CATEGORY_LL;
}

// True when a new word starts at `k` inside a run of letters: two words run
// together where a space went missing in scraped text ("agricultureIt"). At
// least three lower-case letters before an upper-case one followed by a
// lower-case one; "iPhone", "McKinsey" and "eMobility" stay whole.
bool IsRunTogetherBoundary(const std::vector<CodePoint>& cps, size_t begin,
                           size_t k) {
  if (k + 1 >= cps.size() || k < begin + 3 || !IsUpper(cps[k].cp) ||
      !IsLower(cps[k + 1].cp)) {
    return false;
  }
  return IsLower(cps[k - 1].cp) && IsLower(cps[k - 2].cp) &&
         IsLower(cps[k - 3].cp);
}

// Index of the first code point at or after `i` that is not a letter, digit
// or (after one of those) a combining mark, or that starts a run-together
// word.
size_t SkipAlnumRun(const std::vector<CodePoint>& cps, size_t i) {
  const size_t begin = i;
  while (i < cps.size() && (IsAlnum(cps[i].cp) || IsMark(cps[i].cp)) &&
         !IsRunTogetherBoundary(cps, begin, i)) {
    ++i;
  }
  return i;
}

// True when `run` [begin, end) of code points is exactly one letter (marks
// after it allowed).
bool IsSingleLetter(const std::vector<CodePoint>& cps, size_t begin,
                    size_t end) {
  if (begin >= end || !IsLetter(cps[begin].cp)) return false;
  for (size_t k = begin + 1; k < end; ++k) {
    if (!IsMark(cps[k].cp)) return false;
  }
  return true;
}

// The extent of the word starting at code point `begin` (a letter or
// digit): alphanumeric runs joined by "." (numbers, initialisms), ","
// (numbers) or an apostrophe (contractions).
struct WordExtent {
  size_t end = 0;               // one past the word's last code point
  size_t resume = 0;            // where scanning goes on (past a "'s")
  bool has_apostrophe = false;  // a contraction: "doesn't"
};

WordExtent ScanWord(const std::vector<CodePoint>& cps, size_t begin,
                    bool apostrophe_separates) {
  const size_t n = cps.size();
  size_t run_begin = begin;
  size_t j = SkipAlnumRun(cps, begin);
  WordExtent word;
  while (j + 1 < n && IsAlnum(cps[j + 1].cp)) {
    const int32_t joiner = cps[j].cp;
    const size_t next_end = SkipAlnumRun(cps, j + 1);
    if ((joiner == '.' || joiner == ',') && IsDigit(cps[j - 1].cp) &&
        IsDigit(cps[j + 1].cp)) {
      // "5.0", "1,500".
    } else if (joiner == '.' && IsSingleLetter(cps, run_begin, j) &&
               IsSingleLetter(cps, j + 1, next_end) && next_end < n &&
               cps[next_end].cp == '.') {
      // "e.g", "U.S" (the final "." is not part of the word).
    } else if (IsApostrophe(joiner) && !apostrophe_separates &&
               IsLetter(cps[j - 1].cp) && IsLetter(cps[j + 1].cp)) {
      const bool possessive =
          next_end == j + 2 && (cps[j + 1].cp == 's' || cps[j + 1].cp == 'S');
      if (possessive) {  // "Rome's": the word is "Rome", "'s" is dropped
        word.end = j;
        word.resume = next_end;
        return word;
      }
      word.has_apostrophe = true;  // "doesn't", "O'Higgins"
    } else {
      break;
    }
    run_begin = j + 1;
    j = next_end;
  }
  word.end = j;
  word.resume = j;
  return word;
}

// Appends the tokens of `cps` to `out` (sentence indices left at 0).
void Tokenize(std::string_view text, const std::vector<CodePoint>& cps,
              Language language, std::vector<Token>* out) {
  Stemmer& stemmer = ThreadStemmer(language);
  const bool apostrophe_separates = ApostropheSeparates(language);
  size_t i = 0;
  while (i < cps.size()) {
    const int32_t cp = cps[i].cp;
    if (IsHyphen(cp)) {
      Token t;
      t.begin = cps[i].begin;
      t.end = cps[i].end;
      t.folded = "-";
      t.stem = "-";
      out->push_back(std::move(t));
      ++i;
      continue;
    }
    if (!IsAlnum(cp)) {
      ++i;
      continue;
    }
    const WordExtent word = ScanWord(cps, i, apostrophe_separates);
    Token t;
    t.begin = cps[i].begin;
    t.end = cps[word.end - 1].end;
    const std::string_view written = text.substr(t.begin, t.end - t.begin);
    t.folded = FoldValid(written);
    if (word.has_apostrophe) t.folded = StripApostrophes(std::move(t.folded));
    if (language == Language::kEnglish) {
      t.stem = stemmer.Stem(t.folded);
    } else {
      std::string cased = FoldValid(written, kCaseFoldOptions);
      if (word.has_apostrophe) cased = StripApostrophes(std::move(cased));
      t.stem = FoldValid(stemmer.Stem(cased));
    }
    out->push_back(std::move(t));
    i = word.resume;
  }
}

// Abbreviations whose "." does not end a sentence (lower case, without the
// final "."). Single letters ("J. Smith") are handled separately.
bool IsAbbreviation(std::string_view word) {
  static constexpr std::string_view kAbbreviations[] = {
      "e.g", "i.e",  "cf",   "vs",  "st",     "dr",   "mr",  "mrs",
      "ms",  "prof", "no",   "nr",  "approx", "ca",   "mt",  "ft",
      "jr",  "sr",   "inc",  "ltd", "corp",   "dept", "ave", "fig",
      "al",  "resp", "incl", "est", "vol",    "pp"};
  const std::string lower = absl::AsciiStrToLower(std::string(word));
  for (std::string_view a : kAbbreviations) {
    if (lower == a) return true;
  }
  return false;
}

// True when the "." at code point `i` is the end of an abbreviation or an
// initial rather than the end of a sentence.
bool EndsAbbreviation(std::string_view text, const std::vector<CodePoint>& cps,
                      size_t i) {
  size_t k = i;
  while (k > 0 && !IsSpace(cps[k - 1].cp) && !IsOpener(cps[k - 1].cp)) --k;
  if (k == i) return false;
  const std::string_view word =
      text.substr(cps[k].begin, cps[i].begin - cps[k].begin);
  if (IsAbbreviation(word)) return true;
  return i - k == 1 && IsUpper(cps[k].cp);  // an initial: "J. Smith"
}

// Byte offsets where sentences end (exclusive), in order, the text's end
// included.
std::vector<size_t> SentenceEnds(std::string_view text,
                                 const std::vector<CodePoint>& cps) {
  std::vector<size_t> ends;
  const size_t n = cps.size();
  for (size_t i = 0; i < n; ++i) {
    const int32_t cp = cps[i].cp;
    if (cp == '\n') {  // a blank line: "\n", spaces, "\n"
      size_t k = i + 1;
      while (k < n && cps[k].cp != '\n' && IsSpace(cps[k].cp)) ++k;
      if (k < n && cps[k].cp == '\n') {
        ends.push_back(cps[i].begin);
        i = k - 1;  // the second "\n" may start the next blank line
      }
      continue;
    }
    if (cp != '.' && cp != '!' && cp != '?') continue;
    size_t k = i + 1;
    while (k < n && (cps[k].cp == '.' || cps[k].cp == '!' || cps[k].cp == '?' ||
                     IsCloser(cps[k].cp))) {
      ++k;
    }
    const size_t end = k < n ? cps[k].begin : text.size();
    if (k >= n || !IsSpace(cps[k].cp)) {
      i = k - 1;
      continue;  // "5.0", "e.g.," or the end of the text
    }
    size_t next = k;
    while (next < n && IsSpace(cps[next].cp)) ++next;
    while (next < n && IsOpener(cps[next].cp)) ++next;
    const bool starts_sentence =
        next < n && (IsUpper(cps[next].cp) || IsDigit(cps[next].cp));
    if (starts_sentence && !(cp == '.' && EndsAbbreviation(text, cps, i))) {
      ends.push_back(end);
    }
    i = k - 1;
  }
  ends.push_back(text.size());
  return ends;
}

}  // namespace

absl::Status ValidateUtf8(std::string_view text) {
  const auto* data = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  size_t i = 0;
  while (i < text.size()) {
    utf8proc_int32_t cp = 0;
    utf8proc_ssize_t n = utf8proc_iterate(
        data + i, static_cast<utf8proc_ssize_t>(text.size() - i), &cp);
    if (n <= 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("invalid UTF-8 at byte ", i));
    }
    i += static_cast<size_t>(n);
  }
  return absl::OkStatus();
}

std::string FoldText(std::string_view text) {
  if (ValidateUtf8(text).ok()) return FoldValid(text);
  // Outside the contract: fold what is valid, drop the undecodable bytes.
  std::string valid;
  for (const CodePoint& c : Decode(text)) {
    if (c.cp != kInvalid) valid.append(text.substr(c.begin, c.end - c.begin));
  }
  return FoldValid(valid);
}

bool StartsUpperCase(std::string_view text) {
  utf8proc_int32_t cp = kInvalid;
  utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                   static_cast<utf8proc_ssize_t>(text.size()), &cp);
  return IsUpper(cp);
}

CodePointAt DecodeCodePoint(std::string_view text, size_t pos) {
  utf8proc_int32_t cp = kInvalid;
  const utf8proc_ssize_t n = utf8proc_iterate(
      reinterpret_cast<const utf8proc_uint8_t*>(text.data()) + pos,
      static_cast<utf8proc_ssize_t>(text.size() - pos), &cp);
  if (n <= 0) return {0xFFFD, 1};
  return {static_cast<char32_t>(cp), static_cast<size_t>(n)};
}

size_t PreviousCodePoint(std::string_view text, size_t pos) {
  size_t begin = pos - 1;
  while (begin > 0 &&
         (static_cast<unsigned char>(text[begin]) & 0xC0) == 0x80 &&
         pos - begin < 4) {
    --begin;
  }
  return begin;
}

bool IsWordCodePoint(char32_t cp) {
  const auto c = static_cast<int32_t>(cp);
  return IsAlnum(c) || IsMark(c);
}

bool IsUpperCaseLetter(char32_t cp) { return IsUpper(static_cast<int32_t>(cp)); }

bool IsWhiteSpace(char32_t cp) { return IsSpace(static_cast<int32_t>(cp)); }

AnalyzedText TextAnalyzer::Analyze(std::string_view text, Language language) {
  AnalyzedText result;
  result.language = language;
  const std::vector<CodePoint> cps = Decode(text);
  Tokenize(text, cps, language, &result.tokens);

  size_t begin = 0;
  size_t t = 0;  // next token to place
  for (size_t end : SentenceEnds(text, cps)) {
    Sentence s;
    s.begin = begin;
    s.end = end;
    begin = end;
    // Trim white space (decode only the few code points at the edges).
    while (s.begin < s.end) {
      utf8proc_int32_t cp = kInvalid;
      utf8proc_ssize_t n = utf8proc_iterate(
          reinterpret_cast<const utf8proc_uint8_t*>(text.data()) + s.begin,
          static_cast<utf8proc_ssize_t>(s.end - s.begin), &cp);
      if (n <= 0 || !IsSpace(cp)) break;
      s.begin += static_cast<size_t>(n);
    }
    while (s.end > s.begin) {
      size_t k = s.end - 1;
      while (k > s.begin &&
             (static_cast<unsigned char>(text[k]) & 0xC0) == 0x80) {
        --k;
      }
      utf8proc_int32_t cp = kInvalid;
      utf8proc_ssize_t n = utf8proc_iterate(
          reinterpret_cast<const utf8proc_uint8_t*>(text.data()) + k,
          static_cast<utf8proc_ssize_t>(s.end - k), &cp);
      if (n <= 0 || static_cast<size_t>(n) != s.end - k || !IsSpace(cp)) break;
      s.end = k;
    }
    s.first_token = t;
    while (t < result.tokens.size() && result.tokens[t].begin < end) ++t;
    s.last_token = t;
    if (s.first_token == s.last_token) continue;  // no words: not a sentence
    const size_t index = result.sentences.size();
    for (size_t k = s.first_token; k < s.last_token; ++k) {
      result.tokens[k].sentence = index;
    }
    result.sentences.push_back(s);
  }
  return result;
}

std::vector<std::string> TextAnalyzer::PhraseStems(std::string_view phrase,
                                                   Language language) {
  std::vector<std::string> stems;
  for (Token& t : Analyze(phrase, language).tokens) {
    stems.push_back(std::move(t.stem));
  }
  return stems;
}

}  // namespace pm
