#include "engine/io/place_names.h"

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "absl/strings/ascii.h"
#include "engine/common/strings.h"
#include "engine/io/page_words.h"
#include "engine/io/seed_page.h"
#include "engine/text/text_analyzer.h"

namespace pm {
namespace seed {
namespace {

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

constexpr size_t kMaxNameWords = 8;
constexpr size_t kMaxAppositiveWords = 15;
constexpr size_t kMaxPredicateWords = 10;

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

}  // namespace

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

std::unordered_set<std::string> CountryNames(const Gazetteer& gazetteer) {
  std::unordered_set<std::string> names;
  for (const Country& country : gazetteer.countries()) {
    names.insert(country.name);
    names.insert(country.aliases.begin(), country.aliases.end());
  }
  return names;
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

}  // namespace seed

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

}  // namespace pm
