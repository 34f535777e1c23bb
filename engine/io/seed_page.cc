#include "engine/common/strings.h"
#include "engine/io/seed_page.h"

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "engine/io/place_inference.h"
#include "engine/io/profile_format.h"
#include "engine/text/text_analyzer.h"

namespace pm {
namespace {

// ---------------------------------------------------------------------------
// Word lists. They describe how the programme's pages write English, never
// which places they describe: no place or country name belongs here.

// Words that cannot open a place name ("It has", "One of Christchurch’s").
constexpr std::string_view kNotNames[] = {
    "A",           "An",           "The",
    "It",          "Its",          "This",
    "These",       "Those",        "That",
    "They",        "Their",        "There",
    "Here",        "He",           "She",
    "We",          "Our",          "You",
    "In",          "On",           "At",
    "For",         "With",         "After",
    "Before",      "Over",         "Under",
    "Since",       "As",           "By",
    "From",        "To",           "Of",
    "And",         "But",          "Or",
    "Nor",         "However",      "Moreover",
    "Furthermore", "Additionally", "Also",
    "Currently",   "Historically", "Today",
    "Now",         "Key",          "One",
    "Two",         "Three",        "Many",
    "Most",        "Some",         "Several",
    "Other",       "Another",      "Each",
    "Every",       "All",          "Both",
    "Such",        "Besides",      "Thanks",
    "Through",     "Due",          "Despite",
    "While",       "Although",     "When",
    "Where",       "Which",        "What",
    "Who",         "Why",          "How",
    "If",          "Overall",      "Finally",
    "Likewise",    "Similarly",
};

// Lower-case words that join the words of one name ("Castilla y León",
// "Santa Cruz de la Sierra", "Frankfurt am Main"). "and" joins only where a
// joint name is allowed ("Colleferro and Latina are …").
constexpr std::string_view kNameConnectors[] = {
    "y",   "e",   "i",    "de",  "del", "della", "delle", "dei", "degli", "di",
    "da",  "das", "do",   "dos", "du",  "des",   "la",    "le",  "les",   "el",
    "los", "las", "upon", "am",  "an",  "der",   "den",   "sur",
};

// Words that may follow a sentence's subject ("<Name> is/has/will …").
// Besides these, a lower-case word ending in "s" or "ed" counts as a verb
// ("needs", "seeks", "boasts", "changed").
constexpr std::string_view kVerbs[] = {
    "is",    "are",       "was",     "were",     "has",   "have",    "had",
    "will",  "would",     "can",     "could",    "may",   "might",   "must",
    "shall", "should",    "does",    "do",       "did",   "also",    "now",
    "still", "currently", "already", "recently", "often", "remains",
};
constexpr std::string_view kNotVerbs[] = {"its",  "this",   "thus",   "plus",
                                          "less", "across", "whereas"};

// Verbs that link a subject to what it is ("Bratislava is the capital …").
constexpr std::string_view kCopulas[] = {
    "is", "are", "was", "were", "remains", "remain", "becomes", "became"};

// First words of an opening clause that precedes the subject
// ("Overlooking the Adriatic Sea, Ancona is …"); words ending in "ing" or
// "ed" count too ("Established in 1893, Da Lat is …").
constexpr std::string_view kClauseOpeners[] = {
    "In",           "On",      "At",        "After",    "Before",
    "Since",        "As",      "With",      "From",     "Like",
    "Unlike",       "Known",   "Built",     "Set",      "Home",
    "Once",         "Today",   "Currently", "Along",    "Among",
    "Between",      "Despite", "Through",   "Thanks",   "Within",
    "Beyond",       "Besides", "Nowadays",  "Recently", "Traditionally",
    "Historically", "Founded", "Located",   "Situated",
};

// First words by which a paragraph refers back to the card's place.
constexpr std::string_view kBackReferences[] = {
    "It",       "Its",         "They",         "Their",   "This",
    "These",    "Those",       "Such",         "Here",    "There",
    "Moreover", "Furthermore", "Additionally", "Also",    "Besides",
    "However",  "Likewise",    "Similarly",    "Finally", "Overall",
    "Together", "Currently",   "Today",
};

// Words that end a predicate noun phrase ("is the capital of …").
constexpr std::string_view kPredicateStops[] = {
    "of",    "in",       "on",       "at",         "with",    "for",
    "to",    "by",       "from",     "that",       "which",   "who",
    "where", "whose",    "than",     "since",      "located", "bordering",
    "known", "renowned", "situated", "surrounded", "but",     "while",
};

// Adverbs between a copula and its predicate.
constexpr std::string_view kPredicateAdverbs[] = {
    "also", "now", "still", "indeed", "currently", "officially", "today"};

// What a noun says a place is, in a predicate ("is the largest State") or
// as the last word of a name ("Krapina-zagorje County"). Lower case.
constexpr std::string_view kCityNouns[] = {
    "city",           "cities",  "town",    "towns", "municipality",
    "municipalities", "capital", "port",    "ports", "metropolis",
    "village",        "commune", "borough",
};
constexpr std::string_view kRegionNouns[] = {
    "region",      "regions",     "state",    "states",     "province",
    "provinces",   "county",      "counties", "department", "prefecture",
    "voivodeship", "governorate", "canton",   "oblast",
};
constexpr std::string_view kAssociationNouns[] = {"association",
                                                  "associations"};

// Capitalised words that, last in a name, say what kind of place it is and
// may be left out when the text refers to it again ("Bacau County" is
// "Bacau"). "Metropolitan City" is handled apart; "Metropolitan Area" names
// another place than its city and is never left out.
constexpr std::string_view kDesignators[] = {
    "City",     "Town",        "Municipality", "County",     "Region",
    "Province", "State",       "Department",   "Prefecture", "Canton",
    "Oblast",   "Voivodeship", "Governorate",  "Borough",    "Association",
};

// Verbs of cooperation after "continue (to)" ("will continue to cooperate
// with Tokorozawa").
constexpr std::string_view kCooperationVerbs[] = {
    "cooperate",   "collaborate",   "work",    "partner",
    "cooperating", "collaborating", "working", "partnering"};

// Words after "common interest" that introduce the places sharing it.
constexpr std::string_view kSharedInterestLinks[] = {"for", "of", "between",
                                                     "among", "to"};

// Licence marks and "own work" in the languages of Wikimedia credits.
constexpr std::string_view kLicenceMarks[] = {
    "CC BY",         "CC-BY",        "CC0", "Creative Commons",
    "Public domain", "Public Domain"};
constexpr std::string_view kOwnWorkMarks[] = {
    "- own work",     "- trabajo propio", "- travail personnel",
    "- eigenes werk", "- opera propria",  "- obra própria",
    "- obra propia",  "- treball propi"};

constexpr size_t kMaxNameWords = 8;
constexpr size_t kMaxHeadingWords = 10;
constexpr size_t kMaxCreditBytes = 200;
constexpr size_t kMaxAppositiveWords = 15;
constexpr size_t kMaxPredicateWords = 10;
constexpr size_t kSnippetBytes = 60;

template <size_t N>
bool IsOneOf(std::string_view word, const std::string_view (&list)[N]) {
  return std::find(std::begin(list), std::end(list), word) != std::end(list);
}


bool Contains(std::string_view s, std::string_view part) {
  return s.find(part) != std::string_view::npos;
}

std::string Lower(std::string_view s) {
  std::string lower(s);
  for (char& c : lower) c = absl::ascii_tolower(static_cast<unsigned char>(c));
  return lower;
}

// ---------------------------------------------------------------------------
// Code points. The text is valid UTF-8 (checked on entry).

// The code point at s[pos] and its length in bytes.
char32_t DecodeAt(std::string_view s, size_t pos, size_t* length) {
  const auto lead = static_cast<unsigned char>(s[pos]);
  size_t n = 1;
  char32_t cp = lead;
  if (lead >= 0xF0) {
    n = 4;
    cp = lead & 0x07;
  } else if (lead >= 0xE0) {
    n = 3;
    cp = lead & 0x0F;
  } else if (lead >= 0xC0) {
    n = 2;
    cp = lead & 0x1F;
  }
  if (pos + n > s.size()) n = 1;
  for (size_t i = 1; i < n; ++i) {
    cp = (cp << 6) | (static_cast<unsigned char>(s[pos + i]) & 0x3F);
  }
  *length = n;
  return cp;
}

// Letters and digits, for word boundaries. Outside ASCII everything is a
// letter except the Latin-1 symbols and the punctuation and symbol blocks
// (’ “ ” – — … and the like), which is what place names need.
bool IsWordChar(char32_t cp) {
  if (cp < 0x80) return absl::ascii_isalnum(static_cast<unsigned char>(cp));
  if (cp == 0xAA || cp == 0xB5 || cp == 0xBA) return true;
  if (cp < 0xC0 || cp == 0xD7 || cp == 0xF7) return false;
  if (cp >= 0x2000 && cp <= 0x2BFF) return false;
  if (cp >= 0x3000 && cp <= 0x303F) return false;
  if (cp == 0xFEFF || (cp >= 0xFF00 && cp <= 0xFF20)) return false;
  return true;
}

// Upper-case letters of the Latin, Greek and Cyrillic blocks (the scripts of
// the programme's place names).
bool IsUpperLetter(char32_t cp) {
  if (cp < 0x80) return cp >= 'A' && cp <= 'Z';
  if (cp >= 0xC0 && cp <= 0xDE) return cp != 0xD7;
  if (cp >= 0x100 && cp <= 0x137) return cp % 2 == 0;
  if (cp >= 0x139 && cp <= 0x148) return cp % 2 == 1;
  if (cp >= 0x14A && cp <= 0x177) return cp % 2 == 0;
  if (cp == 0x178) return true;
  if (cp >= 0x179 && cp <= 0x17E) return cp % 2 == 1;
  if (cp >= 0x391 && cp <= 0x3AB) return cp != 0x3A2;
  if (cp >= 0x400 && cp <= 0x42F) return true;
  return false;
}

// The length in bytes of the white space at s[pos], or 0: ASCII white space
// and the Unicode spaces web pages use (no-break space between words and at
// line ends on the programme's pages).
size_t SpaceAt(std::string_view s, size_t pos) {
  if (pos >= s.size()) return 0;
  if (absl::ascii_isspace(static_cast<unsigned char>(s[pos]))) return 1;
  size_t length = 0;
  const char32_t cp = DecodeAt(s, pos, &length);
  const bool space = cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200A) ||
                     cp == 0x202F || cp == 0x205F || cp == 0x3000;
  return space ? length : 0;
}

// The offset where the code point ending just before `pos` starts.
size_t PreviousCodePoint(std::string_view s, size_t pos) {
  size_t begin = pos - 1;
  while (begin > 0 && (static_cast<unsigned char>(s[begin]) & 0xC0) == 0x80) {
    --begin;
  }
  return begin;
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

// `s` with each run of white space replaced by one " ", for names and
// messages.
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
  size_t length = 0;
  return pos < s.size() && IsWordChar(DecodeAt(s, pos, &length));
}

// True when the code point ending just before `pos` is a letter or digit.
bool IsWordCharBefore(std::string_view s, size_t pos) {
  return pos > 0 && IsWordCharAt(s, PreviousCodePoint(s, pos));
}

// ---------------------------------------------------------------------------
// Words.

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
std::optional<Word> WordAt(std::string_view s, size_t pos) {
  size_t length = 0;
  if (pos >= s.size() || !IsWordChar(DecodeAt(s, pos, &length))) {
    return std::nullopt;
  }
  Word word;
  word.begin = pos;
  word.capitalised = IsUpperLetter(DecodeAt(s, pos, &length));
  size_t i = pos + length;
  while (i < s.size()) {
    const char32_t cp = DecodeAt(s, i, &length);
    if (IsWordChar(cp)) {
      i += length;
      continue;
    }
    const bool joiner = cp == '-' || cp == '\'' || cp == 0x2019;
    const size_t after = i + length;
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
      size_t length = 0;
      DecodeAt(s, pos, &length);
      pos += length;
    }
  }
  return words;
}

// Sentences of one paragraph: they end at ".", "!" or "?" followed by white
// space and an upper-case letter, a digit or a quotation mark.
std::vector<std::string_view> Sentences(std::string_view paragraph) {
  std::vector<std::string_view> sentences;
  size_t start = 0;
  for (size_t i = 0; i + 1 < paragraph.size(); ++i) {
    const char c = paragraph[i];
    if ((c != '.' && c != '!' && c != '?') || SpaceAt(paragraph, i + 1) == 0) {
      continue;
    }
    const size_t next = SkipSpaces(paragraph, i + 1);
    if (next >= paragraph.size()) break;
    size_t length = 0;
    const char32_t cp = DecodeAt(paragraph, next, &length);
    if (IsUpperLetter(cp) || absl::ascii_isdigit(paragraph[next]) ||
        cp == '"' || cp == 0x201C) {
      sentences.push_back(paragraph.substr(start, i + 1 - start));
      start = next;
    }
  }
  if (start < paragraph.size()) sentences.push_back(paragraph.substr(start));
  return sentences;
}

// The start of `text` up to about kSnippetBytes, cut at a space, for
// messages.
std::string Snippet(std::string_view paragraph) {
  const std::string collapsed = CollapseSpaces(paragraph);
  const std::string_view text = collapsed;
  if (text.size() <= kSnippetBytes) return collapsed;
  size_t cut = text.rfind(' ', kSnippetBytes);
  if (cut == std::string_view::npos || cut == 0) cut = text.find(' ');
  if (cut == std::string_view::npos) return collapsed;
  return absl::StrCat(Sv(StripSpaces(text.substr(0, cut))), " …");
}

// ---------------------------------------------------------------------------
// Names and kinds.

std::optional<PlaceKind> KindOfNoun(std::string_view lower) {
  if (IsOneOf(lower, kCityNouns)) return PlaceKind::kCity;
  if (IsOneOf(lower, kRegionNouns)) return PlaceKind::kRegion;
  if (IsOneOf(lower, kAssociationNouns)) return PlaceKind::kAssociation;
  return std::nullopt;
}

// The kind stated by a designator word ("City", "County", …), or nullopt.
std::optional<PlaceKind> KindOfDesignator(std::string_view word) {
  if (!IsOneOf(word, kDesignators)) return std::nullopt;
  return KindOfNoun(Lower(word));
}

// The kind a name states by its last words: "Busan Metropolitan City",
// "Barcelona Metropolitan Area" (city), "Krapina-zagorje County" (region).
std::optional<PlaceKind> KindOfName(std::string_view name) {
  if (EndsWith(name, " Metropolitan Area") ||
      EndsWith(name, " Metropolitan City")) {
    return PlaceKind::kCity;
  }
  const size_t space = name.rfind(' ');
  if (space == std::string_view::npos) return std::nullopt;
  return KindOfDesignator(name.substr(space + 1));
}

// `name` without a final designator ("Bacau County" -> "Bacau"), or `name`.
std::string_view CoreName(std::string_view name) {
  if (EndsWith(name, " Metropolitan City")) {
    return name.substr(
        0, name.size() - std::string_view(" Metropolitan City").size());
  }
  const size_t space = name.rfind(' ');
  if (space != std::string_view::npos &&
      IsOneOf(name.substr(space + 1), kDesignators)) {
    return name.substr(0, space);
  }
  return name;
}

// The forms by which a card's text refers to its place again: the name, the
// name without its designator, and each part of a joint name ("Colleferro
// and Latina").
std::vector<std::string> NameForms(std::string_view name) {
  std::vector<std::string> forms = {std::string(name)};
  if (CoreName(name) != name) forms.emplace_back(CoreName(name));
  size_t start = 0;
  for (size_t at = name.find(" and "); at != std::string_view::npos;
       at = name.find(" and ", start)) {
    forms.emplace_back(name.substr(start, at - start));
    start = at + 5;
    if (name.find(" and ", start) == std::string_view::npos) {
      forms.emplace_back(name.substr(start));
    }
  }
  return forms;
}

// True when `subject` names the place called `card_name` (same folded name,
// give or take a designator, or a part of a joint name).
bool SamePlace(std::string_view subject, std::string_view card_name) {
  const std::string key = SlugId(subject);
  const std::string core_key = SlugId(CoreName(subject));
  for (const std::string& form : NameForms(card_name)) {
    const std::string form_key = SlugId(form);
    if (form_key == key || form_key == core_key) return true;
  }
  return false;
}

// True when `text` contains one of the forms of `card_name` as whole words.
bool MentionsPlace(std::string_view paragraph, std::string_view card_name) {
  const std::string collapsed = CollapseSpaces(paragraph);
  const std::string_view text = collapsed;
  for (const std::string& form : NameForms(card_name)) {
    for (size_t at = text.find(form); at != std::string_view::npos;
         at = text.find(form, at + 1)) {
      if (!IsWordCharBefore(text, at) &&
          !IsWordCharAt(text, at + form.size())) {
        return true;
      }
    }
  }
  return false;
}

// What the rules need to know about the whole page.
struct Page {
  const Gazetteer& gazetteer;
  const PlaceGazetteer& places;
  // Every country's name and aliases: no place of a card.
  std::unordered_set<std::string> country_names;
  // Words the page writes in lower case somewhere ("tourism", "resilience"):
  // a capitalised subject made only of them is a common noun at the start of
  // a sentence ("Tourism is …"), not a place.
  std::unordered_set<std::string> common_words;
};

std::unordered_set<std::string> CountryNames(const Gazetteer& gazetteer) {
  std::unordered_set<std::string> names;
  for (const Country& country : gazetteer.countries()) {
    names.insert(country.name);
    names.insert(country.aliases.begin(), country.aliases.end());
  }
  return names;
}

// True unless `name` is a country's or all its capitalised words are words
// the page also writes in lower case.
bool IsPlaceName(const std::string& name, const Page& page) {
  if (page.country_names.count(name) > 0) return false;
  const std::vector<Word> words = Words(name);
  return std::any_of(words.begin(), words.end(), [&](const Word& w) {
    return w.capitalised &&
           page.common_words.count(Lower(TextOf(name, w))) == 0;
  });
}

struct NameMatch {
  std::string name;
  std::optional<PlaceKind> kind;  // stated by the form "The City of X"
  size_t end = 0;                 // offset after the name (and its "’s")
  bool possessive = false;
};

// Words that join a name's words at `word`: up to two connectors followed
// by a capitalised word. Returns that capitalised word, or nullopt.
std::optional<Word> JoinedWord(std::string_view s, const Word& word,
                               bool joint_names) {
  std::optional<Word> next = word;
  for (int links = 0; links < 2; ++links) {
    if (!next || next->capitalised || next->possessive) return std::nullopt;
    const std::string_view text = TextOf(s, *next);
    if (!IsOneOf(text, kNameConnectors) && !(joint_names && text == "and")) {
      return std::nullopt;
    }
    next = NextWord(s, next->next);
    if (next && next->capitalised) return next;
  }
  return std::nullopt;
}

// The place name starting at `pos`: capitalised words and connectors,
// optionally after "The" ("The Barcelona Metropolitan Area"), or the X of
// "(The) City of X" with the kind the designator states. "The" followed by
// one word alone is no name ("The State", "The Council"). With
// `joint_names`, "and" joins names ("Colleferro and Latina").
std::optional<NameMatch> ParseName(std::string_view s, size_t pos,
                                   bool joint_names) {
  std::optional<Word> word = WordAt(s, pos);
  if (!word) return std::nullopt;
  bool after_the = false;
  if (TextOf(s, *word) == "The" && !word->possessive) {
    after_the = true;
    word = NextWord(s, word->next);
    if (!word) return std::nullopt;
  }
  NameMatch match;
  if (!word->possessive) {
    if (std::optional<PlaceKind> kind = KindOfDesignator(TextOf(s, *word))) {
      std::optional<Word> of = NextWord(s, word->next);
      std::optional<Word> after = of ? NextWord(s, of->next) : std::nullopt;
      if (of && TextOf(s, *of) == "of" && !of->possessive && after &&
          after->capitalised) {
        match.kind = kind;
        word = after;
        after_the = false;
      }
    }
  }
  if (!word->capitalised || IsOneOf(TextOf(s, *word), kNotNames)) {
    return std::nullopt;
  }
  const size_t begin = word->begin;
  Word last = *word;
  size_t count = 1;
  while (!last.possessive && count < kMaxNameWords) {
    std::optional<Word> next = NextWord(s, last.next);
    if (!next) break;
    if (!next->capitalised) next = JoinedWord(s, *next, joint_names);
    if (!next) break;
    last = *next;
    ++count;
  }
  if (after_the && count == 1) return std::nullopt;
  match.name = CollapseSpaces(s.substr(begin, last.end - begin));
  match.end = last.next;
  match.possessive = last.possessive;
  return match;
}

bool IsVerb(std::string_view s, const Word& word) {
  if (word.capitalised) return false;
  const std::string_view text = TextOf(s, word);
  if (IsOneOf(text, kVerbs)) return true;
  if (IsOneOf(text, kNotVerbs) || text.size() < 4) return false;
  return EndsWith(text, "s") || EndsWith(text, "ed");
}

struct Subject {
  std::string name;
  std::optional<PlaceKind> kind;  // stated by the form "The City of X"
  size_t end = 0;           // offset after the subject phrase (before its verb)
  bool possessive = false;  // "Mendoza’s economy …": the place owns the subject
};

// After a name followed by ",": the offset after the closing comma of an
// appositive ("Bari, the capital of Apulia, is …"), or npos.
size_t SkipAppositive(std::string_view s, size_t comma) {
  const size_t close = s.find(',', comma + 1);
  if (close == std::string_view::npos) return std::string_view::npos;
  const std::string_view inside = s.substr(comma + 1, close - comma - 1);
  if (inside.find_first_of(".!?;") != std::string_view::npos) {
    return std::string_view::npos;
  }
  const std::vector<Word> words = Words(inside);
  if (words.empty() || words.size() > kMaxAppositiveWords) {
    return std::string_view::npos;
  }
  const std::string_view first = TextOf(inside, words.front());
  if (first == "and" || first == "or" || first == "but" || first == "while") {
    return std::string_view::npos;
  }
  return close + 1;
}

// The subject of the sentence starting at `pos` when it names a place: a
// name followed by a verb (an appositive between them allowed) or by "’s".
std::optional<Subject> SubjectAt(std::string_view s, size_t pos,
                                 const Page& page) {
  std::optional<NameMatch> name = ParseName(s, pos, /*joint_names=*/true);
  if (!name || !IsPlaceName(name->name, page)) return std::nullopt;
  Subject subject{name->name, name->kind, name->end, name->possessive};
  if (name->possessive) return subject;
  size_t verb_pos = name->end;
  const size_t after = SkipSpaces(s, verb_pos);
  if (after < s.size() && s[after] == ',') {
    verb_pos = SkipAppositive(s, after);
    if (verb_pos == std::string_view::npos) return std::nullopt;
  }
  std::optional<Word> verb = NextWord(s, verb_pos);
  if (!verb || !IsVerb(s, *verb)) return std::nullopt;
  subject.end = verb_pos;
  return subject;
}

// The subject of the first sentence of `text` when it names a place,
// allowing an opening clause before it ("Established in 1893, Da Lat is").
std::optional<Subject> ParseSubject(std::string_view text, const Page& page) {
  if (std::optional<Subject> subject = SubjectAt(text, 0, page)) {
    return subject;
  }
  std::optional<Word> first = WordAt(text, 0);
  if (!first || !first->capitalised) return std::nullopt;
  const std::string_view opener = TextOf(text, *first);
  if (!IsOneOf(opener, kClauseOpeners) && !EndsWith(opener, "ing") &&
      !EndsWith(opener, "ed")) {
    return std::nullopt;
  }
  const std::vector<std::string_view> sentences = Sentences(text);
  const size_t comma = sentences.front().find(',');
  if (comma == std::string_view::npos) return std::nullopt;
  return SubjectAt(text, SkipSpaces(text, comma + 1), page);
}

// The kind a predicate states after `pos` ("is the capital and largest
// city", "is Spain’s largest region", "is one of the … ports"), or nullopt.
std::optional<PlaceKind> PredicateKind(std::string_view s, size_t pos) {
  std::optional<Word> word = NextWord(s, pos);
  if (!word || !IsOneOf(LowerOf(s, *word), kCopulas)) return std::nullopt;
  word = NextWord(s, word->next);
  while (word && IsOneOf(LowerOf(s, *word), kPredicateAdverbs)) {
    word = NextWord(s, word->next);
  }
  if (word && LowerOf(s, *word) == "one") {
    std::optional<Word> of = NextWord(s, word->next);
    if (of && TextOf(s, *of) == "of") word = NextWord(s, of->next);
  } else if (word && LowerOf(s, *word) == "among") {
    word = NextWord(s, word->next);
  }
  for (size_t n = 0; word && n < kMaxPredicateWords;
       ++n, word = NextWord(s, word->next)) {
    if (word->possessive) continue;  // "Spain’s", "the region’s"
    const std::string lower = LowerOf(s, *word);
    if (IsOneOf(lower, kPredicateStops)) break;
    if (lower == "metropolitan") {
      std::optional<Word> noun = NextWord(s, word->next);
      if (noun &&
          (LowerOf(s, *noun) == "area" || LowerOf(s, *noun) == "city")) {
        return PlaceKind::kCity;
      }
    }
    if (std::optional<PlaceKind> kind = KindOfNoun(lower)) return kind;
  }
  return std::nullopt;
}

// The kind stated by an anaphoric subject ("The city is …", "The State
// is …", "The metropolitan area …"), or nullopt.
std::optional<PlaceKind> AnaphorKind(std::string_view sentence) {
  std::optional<Word> the = WordAt(sentence, 0);
  if (!the || TextOf(sentence, *the) != "The") return std::nullopt;
  std::optional<Word> noun = NextWord(sentence, the->next);
  if (!noun) return std::nullopt;
  std::string lower = LowerOf(sentence, *noun);
  if (lower == "metropolitan" && !noun->possessive) {
    noun = NextWord(sentence, noun->next);
    if (!noun || LowerOf(sentence, *noun) != "area") return std::nullopt;
    lower = "city";
  }
  if (!noun->possessive) {
    std::optional<Word> of = NextWord(sentence, noun->next);
    // "The city of X …" is about another place.
    if (of && TextOf(sentence, *of) == "of") return std::nullopt;
  }
  // "The capital …", "The port …" are parts of the place, not the place.
  if (lower == "capital" || lower == "port" || lower == "ports") {
    return std::nullopt;
  }
  return KindOfNoun(lower);
}

// True when `sentence` is about the card's place: its subject is the place,
// "It"/"They" or "The city"/"The region"/…. Sets `*subject` to the subject
// where the sentence has one (a name or "It"/"They").
bool IsAboutPlace(std::string_view sentence, std::string_view card_name,
                  const Page& page, std::optional<Subject>* subject) {
  std::optional<Word> first = WordAt(sentence, 0);
  if (!first) return false;
  const std::string_view word = TextOf(sentence, *first);
  if (word == "It" || word == "They") {
    *subject = Subject{std::string(word), std::nullopt, first->next, false};
    return true;
  }
  if (AnaphorKind(sentence)) return true;
  *subject = ParseSubject(sentence, page);
  return *subject && SamePlace((*subject)->name, card_name);
}

// The kind a sentence about the card's place states, or nullopt.
std::optional<PlaceKind> SentenceKind(std::string_view sentence,
                                      std::string_view card_name,
                                      const Page& page) {
  if (std::optional<PlaceKind> kind = AnaphorKind(sentence)) return kind;
  std::optional<Subject> subject;
  if (!IsAboutPlace(sentence, card_name, page, &subject) || !subject) {
    return std::nullopt;
  }
  if (subject->kind) return subject->kind;
  if (std::optional<PlaceKind> kind = KindOfName(subject->name)) return kind;
  if (subject->possessive) return std::nullopt;  // "Mendoza’s economy is …"
  return PredicateKind(sentence, subject->end);
}

// Places listed at `pos`: names separated by ",", "and", ", and" or "&".
std::vector<std::string> NameList(std::string_view s, size_t pos) {
  std::vector<std::string> names;
  while (std::optional<NameMatch> name =
             ParseName(s, pos, /*joint_names=*/false)) {
    names.push_back(name->name);
    if (name->possessive) break;
    size_t next = SkipSpaces(s, name->end);
    const bool comma = next < s.size() && s[next] == ',';
    if (comma) next = SkipSpaces(s, next + 1);
    std::optional<Word> word = WordAt(s, next);
    if (word && TextOf(s, *word) == "and") {
      next = SkipSpaces(s, word->next);
    } else if (next < s.size() && s[next] == '&') {
      next = SkipSpaces(s, next + 1);
    } else if (!comma) {
      break;
    }
    pos = next;
  }
  return names;
}

// Places named after "continue (to) cooperate/collaborate/work with".
std::vector<std::string> ContinuedPartners(std::string_view sentence) {
  const std::vector<Word> words = Words(sentence);
  for (size_t i = 0; i + 2 < words.size(); ++i) {
    const std::string lower = LowerOf(sentence, words[i]);
    if (lower != "continue" && lower != "continues" && lower != "continuing") {
      continue;
    }
    size_t j = i + 1;
    if (TextOf(sentence, words[j]) == "to") ++j;
    if (j + 1 >= words.size() ||
        !IsOneOf(TextOf(sentence, words[j]), kCooperationVerbs) ||
        TextOf(sentence, words[j + 1]) != "with") {
      continue;
    }
    return NameList(sentence, SkipSpaces(sentence, words[j + 1].next));
  }
  return {};
}

// Places named after "common interest for/of/between …".
std::vector<std::string> SharedInterestPlaces(std::string_view sentence) {
  const std::vector<Word> words = Words(sentence);
  for (size_t i = 0; i + 2 < words.size(); ++i) {
    if (LowerOf(sentence, words[i]) == "common" &&
        TextOf(sentence, words[i + 1]) == "interest" &&
        IsOneOf(TextOf(sentence, words[i + 2]), kSharedInterestLinks)) {
      return NameList(sentence, SkipSpaces(sentence, words[i + 2].next));
    }
  }
  return {};
}

// ---------------------------------------------------------------------------
// Lines, paragraphs and cards.

struct Paragraph {
  std::string text;          // its lines, trimmed, joined with "\n"
  size_t line = 0;           // 1-based line of its first line
  bool after_break = false;  // first text after the page start or clutter
};

enum class LineClass { kBlank, kContent, kClutter, kFooter };

bool EndsSentence(std::string_view line) {
  if (EndsWith(line, "…")) return true;
  if (line.empty()) return false;
  const char last = line.back();
  return last == '.' || last == '!' || last == '?' || last == ':' ||
         last == ';' || last == '"' || EndsWith(line, "”");
}

bool IsCredit(std::string_view line) {
  if (line.size() > kMaxCreditBytes) return false;
  if (StartsWith(line, "©")) return true;
  for (std::string_view mark : kLicenceMarks) {
    if (Contains(line, mark)) return true;
  }
  const std::string lower = Lower(line);
  for (std::string_view mark : kOwnWorkMarks) {
    if (Contains(lower, mark)) return true;
  }
  return false;
}

// A short line at the start of a paragraph without sentence punctuation,
// commas or verbs: a heading ("Thematic Clusters", "Mobility & Transport").
// The first line of a hard-wrapped paragraph has a verb or a comma, or is
// longer.
bool IsHeading(std::string_view line) {
  if (EndsSentence(line) || Contains(line, ". ") || Contains(line, ",")) {
    return false;
  }
  const std::vector<Word> words = Words(line);
  if (words.size() > kMaxHeadingWords) return false;
  for (const Word& word : words) {
    const std::string_view text = TextOf(line, word);
    if (IsOneOf(text, kCopulas) || text == "has" || text == "have" ||
        text == "had" || text == "will") {
      return false;
    }
  }
  return true;
}

// `starts_paragraph`: the line before is blank, clutter or ends a sentence.
LineClass ClassifyLine(std::string_view line, bool starts_paragraph) {
  if (line.empty()) return LineClass::kBlank;
  if (StartsWith(line, "Stay in the loop")) return LineClass::kFooter;
  if (StartsWith(line, "Discover what we did in") ||
      Lower(line) == "load more" || IsCredit(line) ||
      (starts_paragraph && IsHeading(line))) {
    return LineClass::kClutter;
  }
  return LineClass::kContent;
}

// The page's lines, trimmed, after checking each is valid UTF-8.
absl::StatusOr<std::vector<std::string_view>> SplitLines(
    std::string_view content, std::string_view source) {
  if (StartsWith(content, "\xEF\xBB\xBF")) content.remove_prefix(3);  // BOM
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start <= content.size()) {
    size_t end = content.find('\n', start);
    if (end == std::string_view::npos) end = content.size();
    std::string_view line = content.substr(start, end - start);
    if (absl::Status valid = ValidateUtf8(line); !valid.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(Sv(source), ":", lines.size() + 1, ": ", valid.message(),
                       " of the line"));
    }
    lines.push_back(StripSpaces(line));
    start = end + 1;
  }
  return lines;
}

// Paragraphs of the page's text, clutter dropped. A paragraph ends at a blank
// line, at clutter, or at a line ending a sentence (one paragraph a line, as
// the pages are written); a line without final punctuation runs on.
std::vector<Paragraph> Paragraphs(const std::vector<std::string_view>& lines) {
  std::vector<Paragraph> paragraphs;
  bool open = false;  // the last paragraph takes the next content line
  bool after_break = true;
  for (size_t i = 0; i < lines.size(); ++i) {
    switch (ClassifyLine(lines[i], /*starts_paragraph=*/!open)) {
      case LineClass::kFooter:
        return paragraphs;
      case LineClass::kBlank:
        open = false;
        break;
      case LineClass::kClutter:
        open = false;
        after_break = true;
        break;
      case LineClass::kContent:
        if (open) {
          absl::StrAppend(&paragraphs.back().text, "\n", Sv(lines[i]));
        } else {
          paragraphs.push_back({std::string(lines[i]), i + 1, after_break});
          after_break = false;
        }
        open = !EndsSentence(lines[i]);
        break;
    }
  }
  return paragraphs;
}

struct Card {
  std::vector<const Paragraph*> paragraphs;
  std::string name;                    // empty: no paragraph names the place
  std::optional<PlaceKind> name_kind;  // stated by "The City of X"
  size_t named_from = 0;  // index of the paragraph whose subject names it
  std::string naming_note;  // how a card named by no subject was named
};

// True when a paragraph opens by referring back to the place of the card
// before it ("It …", "The city …", "In addition, …").
bool RefersBack(std::string_view text) {
  std::optional<Word> first = WordAt(text, 0);
  if (!first) return false;
  const std::string_view word = TextOf(text, *first);
  if (IsOneOf(word, kBackReferences)) return true;
  std::optional<Word> second = NextWord(text, first->next);
  if (word == "The") return second && !second->capitalised;
  return word == "In" && second && TextOf(text, *second) == "addition";
}

bool ContinuesCard(const Card& card, const Paragraph& paragraph,
                   const std::optional<Subject>& subject) {
  // A card that has no name yet takes what follows it up to clutter; a
  // paragraph naming a place names it.
  if (card.name.empty()) return true;
  if (subject) return SamePlace(subject->name, card.name);
  return RefersBack(paragraph.text) || MentionsPlace(paragraph.text, card.name);
}

std::unordered_set<std::string> CommonWords(
    const std::vector<Paragraph>& paragraphs) {
  std::unordered_set<std::string> words;
  for (const Paragraph& paragraph : paragraphs) {
    for (const Word& word : Words(paragraph.text)) {
      const std::string_view text = TextOf(paragraph.text, word);
      if (!word.capitalised && !absl::ascii_isdigit(text.front())) {
        words.insert(Lower(text));
      }
    }
  }
  return words;
}

std::vector<Card> GroupCards(const std::vector<Paragraph>& paragraphs,
                             const Page& page) {
  std::vector<Card> cards;
  for (const Paragraph& paragraph : paragraphs) {
    const std::optional<Subject> subject = ParseSubject(paragraph.text, page);
    if (!cards.empty() && !paragraph.after_break &&
        ContinuesCard(cards.back(), paragraph, subject)) {
      Card& card = cards.back();
      if (card.name.empty() && subject) {
        card.name = subject->name;
        card.name_kind = subject->kind;
        card.named_from = card.paragraphs.size();
      }
      card.paragraphs.push_back(&paragraph);
      continue;
    }
    Card card;
    if (subject) {
      card.name = subject->name;
      card.name_kind = subject->kind;
    }
    card.paragraphs.push_back(&paragraph);
    cards.push_back(std::move(card));
  }
  return cards;
}

// ---------------------------------------------------------------------------
// From a card to a profile.

std::optional<PlaceKind> StatedKind(const Card& card, const Page& page) {
  if (card.name_kind) return card.name_kind;
  if (std::optional<PlaceKind> kind = KindOfName(card.name)) return kind;
  for (const Paragraph* paragraph : card.paragraphs) {
    for (std::string_view sentence : Sentences(paragraph->text)) {
      if (std::optional<PlaceKind> kind =
              SentenceKind(sentence, card.name, page)) {
        return kind;
      }
    }
  }
  return std::nullopt;
}

std::vector<std::string> KnownPartners(const Card& card, const Page& page) {
  const std::string own_id = SlugId(card.name);
  std::vector<std::string> partners;
  auto add = [&](std::string_view name) {
    std::string id = SlugId(name);
    if (!id.empty() && id != own_id &&
        std::find(partners.begin(), partners.end(), id) == partners.end()) {
      partners.push_back(std::move(id));
    }
  };
  for (const Paragraph* paragraph : card.paragraphs) {
    for (std::string_view sentence : Sentences(paragraph->text)) {
      std::optional<Subject> subject;
      if (IsAboutPlace(sentence, card.name, page, &subject)) {
        for (const std::string& name : ContinuedPartners(sentence)) add(name);
      }
      const std::vector<std::string> shared = SharedInterestPlaces(sentence);
      const bool includes_card = std::any_of(
          shared.begin(), shared.end(),
          [&](const std::string& name) { return SamePlace(name, card.name); });
      if (!includes_card) continue;
      for (const std::string& name : shared) {
        if (!SamePlace(name, card.name)) add(name);
      }
    }
  }
  return partners;
}

// Places a nameless card's text lists (as partners or sharing an interest).
std::vector<std::string> ListedPlaces(const Card& card) {
  std::vector<std::string> places;
  for (const Paragraph* paragraph : card.paragraphs) {
    for (std::string_view sentence : Sentences(paragraph->text)) {
      for (std::vector<std::string> names :
           {SharedInterestPlaces(sentence), ContinuedPartners(sentence)}) {
        for (std::string& name : names) {
          if (std::find(places.begin(), places.end(), name) == places.end()) {
            places.push_back(std::move(name));
          }
        }
      }
    }
  }
  return places;
}

std::string NamelessWarning(const Card& card) {
  std::string message = absl::StrCat("card skipped: its opening paragraph (\"",
                                     Snippet(card.paragraphs.front()->text),
                                     "\") names no place");
  const std::vector<std::string> places = ListedPlaces(card);
  if (places.size() > 1) {
    absl::StrAppend(&message, ", and its text names ", places.size(),
                    " places (", absl::StrJoin(places, ", "),
                    ") without saying which one the card is about");
  } else if (places.size() == 1) {
    absl::StrAppend(&message, ", and its text lists only \"", places.front(),
                    "\", never as its subject");
  } else {
    absl::StrAppend(&message, ", and no later paragraph of the card does");
  }
  absl::StrAppend(&message,
                  "; add it as JSON Lines (partner-match import "
                  "FILE.jsonl)");
  return message;
}

// Where warnings point: "<source>:<line>: ".
std::string At(std::string_view source, const Paragraph& paragraph) {
  return absl::StrCat(Sv(source), ":", paragraph.line, ": ");
}

// Names the nameless card `cards[i]` after one of the places its text says
// share an interest ("common interest for Donostia-San Sebastian, Lugo, and
// Toyama"): the only one that fits the page's alphabetical order between the
// named cards around it, else the first listed. The others then become its
// known partners (KnownPartners). A card listing fewer than two stays
// nameless.
void NameFromSharedInterest(std::vector<Card>& cards, size_t i) {
  std::vector<std::string> listed;
  for (const Paragraph* paragraph : cards[i].paragraphs) {
    for (std::string_view sentence : Sentences(paragraph->text)) {
      if (listed.empty()) listed = SharedInterestPlaces(sentence);
    }
  }
  if (listed.size() < 2) return;
  std::string before;
  std::string after;
  for (size_t j = i; j-- > 0 && before.empty();) before = cards[j].name;
  for (size_t j = i + 1; j < cards.size() && after.empty(); ++j) {
    after = cards[j].name;
  }
  std::vector<std::string> fitting;
  if (!before.empty() && !after.empty() &&
      FoldText(before) <= FoldText(after)) {
    for (const std::string& name : listed) {
      if (FoldText(before) <= FoldText(name) &&
          FoldText(name) <= FoldText(after)) {
        fitting.push_back(name);
      }
    }
  }
  const std::string all = absl::StrJoin(listed, ", ");
  Card& card = cards[i];
  if (fitting.size() == 1) {
    card.name = fitting.front();
    card.naming_note = absl::StrCat(
        "its text names ", listed.size(), " places (", all, "); named it '",
        card.name, "', the only one that fits the page's alphabetical order "
        "between '", before, "' and '", after,
        "', the others recorded as known partners: check it");
  } else {
    card.name = listed.front();
    card.naming_note = absl::StrCat(
        "its text names ", listed.size(), " places (", all, "); named it '",
        card.name, "', the first listed, the others recorded as known "
        "partners: check it");
  }
}

// The card's name with the designator a later sentence gives it ("Bacau"
// -> "Bacau County" from "Currently, Bacau County is facing …").
std::string FullerName(const Card& card, const Page& page) {
  if (KindOfName(card.name)) return card.name;
  for (const Paragraph* paragraph : card.paragraphs) {
    for (std::string_view sentence : Sentences(paragraph->text)) {
      std::optional<Subject> subject = ParseSubject(sentence, page);
      if (subject && subject->name != card.name &&
          CoreName(subject->name) == card.name && KindOfName(subject->name)) {
        return subject->name;
      }
    }
  }
  return card.name;
}

// Sets profile->country from the countries the text names, else from the
// place gazetteer (a warning says from which words). False when neither
// gives one.
bool ResolveCountry(const std::vector<const Country*>& mentioned,
                    const PlaceInference& inference, const std::string& at,
                    Profile* profile, SeedPageImport* result) {
  if (!mentioned.empty()) {
    profile->country = mentioned.front()->code;
    return true;
  }
  if (inference.country.empty()) return false;
  profile->country = inference.country;
  result->warnings.push_back(
      absl::StrCat(at, "'", profile->name, "': ", inference.country_note));
  return true;
}

// Sets profile->kind as the text states it, else as the place gazetteer
// gives it, else city; a warning says what was inferred. True when inferred.
bool ResolveKind(const Card& card, const Page& page,
                 const PlaceInference& inference, const std::string& at,
                 Profile* profile, SeedPageImport* result) {
  if (std::optional<PlaceKind> kind = StatedKind(card, page)) {
    profile->kind = *kind;
    return false;
  }
  if (inference.kind) {
    profile->kind = *inference.kind;
    result->warnings.push_back(
        absl::StrCat(at, "'", profile->name, "': ", inference.kind_note));
    return true;
  }
  profile->kind = PlaceKind::kCity;
  std::string warning = absl::StrCat(
      at, "'", profile->name, "': the text does not say whether it is a city, "
      "a region or an association; assumed city");
  if (!inference.kind_note.empty()) {
    absl::StrAppend(&warning, " (", inference.kind_note, ")");
  }
  result->warnings.push_back(std::move(warning));
  return true;
}

// The profile of a named card, with what the text states and what the
// place gazetteer infers (each inference a warning).
void BuildProfile(const Card& card, const Page& page, const std::string& at,
                  Profile* profile, InferredFields* inferred,
                  SeedPageImport* result) {
  std::vector<std::string> texts;
  for (const Paragraph* paragraph : card.paragraphs) {
    texts.push_back(paragraph->text);
  }
  profile->text = absl::StrJoin(texts, "\n\n");
  profile->name = card.name;
  const std::vector<const Country*> mentioned =
      page.gazetteer.Mentioned(profile->text);
  CardFacts facts{NameForms(card.name), profile->text,
                  mentioned.empty() ? "" : mentioned.front()->code,
                  &page.common_words};
  const PlaceInference inference =
      InferPlace(facts, page.places, page.gazetteer);
  if (!inference.spelling.empty() &&
      StartsWith(profile->name, inference.misspelt)) {
    profile->name.replace(0, inference.misspelt.size(), inference.spelling);
    result->warnings.push_back(absl::StrCat(
        at, "'", card.name, "': written '", profile->name,
        "' as the place gazetteer spells it"));
  }
  profile->id = SlugId(CoreName(profile->name));
  profile->known_partners = KnownPartners(card, page);
  const bool has_country =
      ResolveCountry(mentioned, inference, at, profile, result);
  inferred->kind = ResolveKind(card, page, inference, at, profile, result);
  if (!has_country) {
    std::string warning = absl::StrCat(
        at, "card '", card.name, "' skipped: its text mentions no country");
    if (!inference.country_note.empty()) {
      absl::StrAppend(&warning, ", and ", inference.country_note);
    }
    absl::StrAppend(&warning,
                    "; complete its 'country' in the drafts (--drafts FILE) "
                    "and import them");
    result->warnings.push_back(std::move(warning));
    profile->country.clear();
    return;
  }
  inferred->country = mentioned.empty();
}

// Imports one card into `result`, or explains in `result->warnings` why not.
// `seen` maps the ids imported so far to their lines; the id is added.
void ImportCard(const Card& card, std::string_view source, const Page& page,
                std::map<std::string, size_t>* seen, SeedPageImport* result) {
  const Paragraph& opening = *card.paragraphs.front();
  const std::string at = At(source, opening);
  if (card.name.empty()) {
    result->warnings.push_back(at + NamelessWarning(card));
    return;
  }
  if (!card.naming_note.empty()) {
    result->warnings.push_back(absl::StrCat(
        at, "the card's opening paragraph (\"", Snippet(opening.text),
        "\") names no place; ", card.naming_note));
  } else if (card.named_from > 0) {
    const Paragraph& naming = *card.paragraphs[card.named_from];
    result->warnings.push_back(absl::StrCat(
        at, "the card's opening paragraph (\"", Snippet(opening.text),
        "\") names no place; named it '", card.name, "' from the subject of ",
        "line ", naming.line, " (\"", Snippet(naming.text), "\"): check it"));
  }
  Profile profile;
  InferredFields inferred;
  BuildProfile(card, page, at, &profile, &inferred, result);
  if (profile.country.empty()) {
    result->drafts.push_back(std::move(profile));
    return;
  }
  if (absl::Status valid = NormalizeProfile(profile, page.gazetteer);
      !valid.ok()) {
    result->warnings.push_back(
        absl::StrCat(at, "card '", card.name, "' skipped: ", valid.message()));
    return;
  }
  if (auto [it, added] = seen->emplace(profile.id, opening.line); !added) {
    result->warnings.push_back(
        absl::StrCat(at, "card '", card.name, "' skipped: id '", profile.id,
                     "' was already imported from line ", it->second));
    return;
  }
  result->profiles.push_back(std::move(profile));
  result->inferred.push_back(inferred);
}

}  // namespace

std::string SlugId(std::string_view name) {
  const std::string folded = FoldText(name);
  std::string slug;
  slug.reserve(folded.size());
  bool dash = false;
  for (const char c : folded) {
    if (absl::ascii_isalnum(static_cast<unsigned char>(c))) {
      if (dash && !slug.empty()) slug.push_back('-');
      slug.push_back(absl::ascii_tolower(static_cast<unsigned char>(c)));
      dash = false;
    } else {
      dash = true;
    }
  }
  return slug;
}

absl::StatusOr<SeedPageImport> ParseSeedPage(std::string_view content,
                                             std::string_view source,
                                             const Gazetteer& gazetteer,
                                             const PlaceGazetteer& places) {
  absl::StatusOr<std::vector<std::string_view>> lines =
      SplitLines(content, source);
  if (!lines.ok()) return lines.status();
  const std::vector<Paragraph> paragraphs = Paragraphs(*lines);
  const Page page{gazetteer, places, CountryNames(gazetteer),
                  CommonWords(paragraphs)};
  std::vector<Card> cards = GroupCards(paragraphs, page);
  if (cards.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(Sv(source),
                     ": no profile card found (the page is empty or holds only "
                     "page clutter)"));
  }
  SeedPageImport result;
  std::map<std::string, size_t> seen;
  for (size_t i = 0; i < cards.size(); ++i) {
    if (cards[i].name.empty()) NameFromSharedInterest(cards, i);
    if (!cards[i].name.empty()) cards[i].name = FullerName(cards[i], page);
  }
  for (const Card& card : cards) {
    ImportCard(card, source, page, &seen, &result);
  }
  return result;
}

}  // namespace pm
