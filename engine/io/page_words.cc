#include "engine/io/page_words.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "engine/common/strings.h"
#include "engine/text/text_analyzer.h"

namespace pm::seed {

bool Contains(std::string_view s, std::string_view part) {
  return s.find(part) != std::string_view::npos;
}

size_t SpaceAt(std::string_view s, size_t pos) {
  if (pos >= s.size()) return 0;
  const CodePointAt at = DecodeCodePoint(s, pos);
  return IsWhiteSpace(at.cp) ? at.length : 0;
}

std::string_view StripSpaces(std::string_view s) {
  while (size_t length = SpaceAt(s, 0)) s.remove_prefix(length);
  while (!s.empty()) {
    const size_t last = PreviousCodePoint(s, s.size());
    if (SpaceAt(s, last) == 0) break;
    s.remove_suffix(s.size() - last);
  }
  return s;
}

std::string CollapseSpaces(std::string_view s) {
  std::string collapsed;
  collapsed.reserve(s.size());
  size_t pos = 0;
  while (pos < s.size()) {
    if (size_t length = SpaceAt(s, pos)) {
      while (length > 0) {
        pos += length;
        length = SpaceAt(s, pos);
      }
      collapsed.push_back(' ');
    } else {
      collapsed.push_back(s[pos++]);
    }
  }
  return collapsed;
}

bool IsWordCharAt(std::string_view s, size_t pos) {
  return pos < s.size() && IsWordCodePoint(DecodeCodePoint(s, pos).cp);
}

bool IsWordCharBefore(std::string_view s, size_t pos) {
  return pos > 0 && IsWordCharAt(s, PreviousCodePoint(s, pos));
}

std::string Lower(std::string_view s) {
  std::string lower(s);
  for (char& c : lower) c = absl::ascii_tolower(static_cast<unsigned char>(c));
  return lower;
}


// The word starting exactly at `pos`: letters and digits, with "-", "'" and
// "’" inside ("Krapina-zagorje", "d’Ivoire"); a final "’s" is split off as
// the possessive. nullopt when s[pos] is no letter or digit.
std::optional<Word> WordAt(std::string_view s, size_t pos) {
  if (pos >= s.size()) return std::nullopt;
  const CodePointAt first = DecodeCodePoint(s, pos);
  if (!IsWordCodePoint(first.cp)) return std::nullopt;
  Word word;
  word.begin = pos;
  word.capitalised = IsUpperCaseLetter(first.cp);
  size_t i = pos + first.length;
  while (i < s.size()) {
    const CodePointAt at = DecodeCodePoint(s, i);
    if (IsWordCodePoint(at.cp)) {
      i += at.length;
      continue;
    }
    const char32_t cp = at.cp;
    const bool joiner = cp == '-' || cp == '\'' || cp == 0x2019;
    const size_t after = i + at.length;
    if (!joiner || !IsWordCharAt(s, after)) break;
    if (cp != '-' && s[after] == 's' && !IsWordCharAt(s, after + 1)) {
      word.end = i;
      word.next = after + 1;
      word.possessive = true;
      return word;
    }
    i = after;
  }
  word.end = i;
  word.next = i;
  return word;
}

std::string_view TextOf(std::string_view s, const Word& word) {
  return s.substr(word.begin, word.end - word.begin);
}

std::string LowerOf(std::string_view s, const Word& word) {
  return Lower(TextOf(s, word));
}

size_t SkipSpaces(std::string_view s, size_t pos) {
  while (size_t length = SpaceAt(s, pos)) pos += length;
  return pos;
}

// The word after `pos` when only white space lies between; nullopt at
// punctuation ("Lugo, and" has no next word after "Lugo").
std::optional<Word> NextWord(std::string_view s, size_t pos) {
  return WordAt(s, SkipSpaces(s, pos));
}

// Every word of `s`, in order.
std::vector<Word> Words(std::string_view s) {
  std::vector<Word> words;
  size_t pos = 0;
  while (pos < s.size()) {
    if (std::optional<Word> word = WordAt(s, pos)) {
      words.push_back(*word);
      pos = word->next;
    } else {
      pos += DecodeCodePoint(s, pos).length;
    }
  }
  return words;
}

// The sentences of a paragraph, as TextAnalyzer splits them.
std::vector<std::string_view> Sentences(std::string_view paragraph) {
  std::vector<std::string_view> sentences;
  for (const Sentence& s : TextAnalyzer::Analyze(paragraph).sentences) {
    sentences.push_back(paragraph.substr(s.begin, s.end - s.begin));
  }
  return sentences;
}

// The start of `text` up to about kSnippetBytes, cut at a space, for
// messages.
std::string Snippet(std::string_view paragraph) {
  constexpr size_t kSnippetBytes = 60;
  const std::string collapsed = CollapseSpaces(paragraph);
  const std::string_view text = collapsed;
  if (text.size() <= kSnippetBytes) return collapsed;
  size_t cut = text.rfind(' ', kSnippetBytes);
  if (cut == std::string_view::npos || cut == 0) cut = text.find(' ');
  if (cut == std::string_view::npos) return collapsed;
  return absl::StrCat(Sv(StripSpaces(text.substr(0, cut))), " …");
}

}  // namespace pm::seed
