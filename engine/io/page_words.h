// The words and sentences of a programme page, for the page importer
// (seed_page.h): word boundaries, white space and capitals in UTF-8, by the
// code-point rules of engine/text; sentences as TextAnalyzer splits them.
#ifndef PARTNER_MATCH_ENGINE_IO_PAGE_WORDS_H_
#define PARTNER_MATCH_ENGINE_IO_PAGE_WORDS_H_

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pm::seed {

template <size_t N>
bool IsOneOf(std::string_view word, const std::string_view (&list)[N]) {
  return std::find(std::begin(list), std::end(list), word) != std::end(list);
}

bool Contains(std::string_view s, std::string_view part);
// ASCII lower case.
std::string Lower(std::string_view s);

// The length in bytes of the white space at s[pos] (IsWhiteSpace: ASCII
// white space and the Unicode spaces, e.g. the no-break space), or 0.
size_t SpaceAt(std::string_view s, size_t pos);
// `s` without white space at either end.
std::string_view StripSpaces(std::string_view s);
// `s` with each run of white space replaced by one " ", for names and
// messages.
std::string CollapseSpaces(std::string_view s);
// True when a letter or digit starts at `pos` / ends just before `pos`.
bool IsWordCharAt(std::string_view s, size_t pos);
bool IsWordCharBefore(std::string_view s, size_t pos);

struct Word {
  size_t begin = 0;  // byte offsets into the scanned text: [begin, end)
  size_t end = 0;
  size_t next = 0;  // where scanning goes on: after a possessive "’s"
  bool capitalised = false;
  bool possessive = false;  // followed by "’s" or "'s"
};

// The word starting exactly at `pos`: letters and digits, with "-", "'" and
// "’" inside ("Krapina-zagorje", "d’Ivoire"); a final "’s" is split off as
// the possessive. nullopt when s[pos] is no letter or digit.
std::optional<Word> WordAt(std::string_view s, size_t pos);
std::string_view TextOf(std::string_view s, const Word& word);
std::string LowerOf(std::string_view s, const Word& word);
size_t SkipSpaces(std::string_view s, size_t pos);
// The word after `pos` when only white space lies between; nullopt at
// punctuation ("Lugo, and" has no next word after "Lugo").
std::optional<Word> NextWord(std::string_view s, size_t pos);
// Every word of `s`, in order.
std::vector<Word> Words(std::string_view s);
// The sentences of a paragraph, as TextAnalyzer splits them (the engine's
// one meaning of "sentence").
std::vector<std::string_view> Sentences(std::string_view paragraph);
// The start of `paragraph` up to about 60 bytes, cut at a space, for
// messages.
std::string Snippet(std::string_view paragraph);

}  // namespace pm::seed

#endif  // PARTNER_MATCH_ENGINE_IO_PAGE_WORDS_H_
