#include "engine/io/place_inference.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "engine/common/strings.h"
#include "engine/text/text_analyzer.h"

namespace pm {
namespace {

// Words by which a text says what kind of place it describes.
constexpr std::string_view kRegionCues[] = {"region", "regional", "state",
                                            "province", "provincial"};
constexpr std::string_view kCityCues[] = {"city", "town", "municipality",
                                          "municipal"};

// Places found under one of the words of the card.
struct NamedPlaces {
  std::string words;  // as the card writes them
  std::vector<const Place*> places;
};

std::vector<std::string> HyphenParts(const std::string& name) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t at = name.find('-'); at != std::string::npos;
       at = name.find('-', start)) {
    parts.push_back(name.substr(start, at - start));
    start = at + 1;
  }
  if (!parts.empty()) parts.push_back(name.substr(start));
  return parts;
}

// The places the card's own name forms name; failing that, the parts of a
// hyphenated form.
std::vector<NamedPlaces> OwnPlaces(const CardFacts& card,
                                   const PlaceGazetteer& places) {
  std::vector<NamedPlaces> found;
  for (const std::string& form : card.name_forms) {
    std::vector<const Place*> named = places.Find(form);
    if (!named.empty()) found.push_back({form, std::move(named)});
  }
  if (!found.empty()) return found;
  for (const std::string& form : card.name_forms) {
    for (const std::string& part : HyphenParts(form)) {
      std::vector<const Place*> named = places.Find(part);
      if (!named.empty()) found.push_back({part, std::move(named)});
    }
  }
  return found;
}

// The other places the text names: not the card's own name, nor a country,
// nor one word the page also writes in lower case.
std::vector<NamedPlaces> OtherPlaces(const CardFacts& card,
                                     const PlaceGazetteer& places,
                                     const Gazetteer& countries) {
  std::set<std::string> own;
  for (const std::string& form : card.name_forms) {
    own.insert(PlaceKey(form));
    for (const std::string& part : HyphenParts(form)) own.insert(PlaceKey(part));
  }
  std::vector<NamedPlaces> others;
  std::set<std::string> seen;
  for (PlaceMention& mention : places.Mentioned(card.text)) {
    const std::string words(
        card.text.substr(mention.begin, mention.end - mention.begin));
    const std::string key = PlaceKey(words);
    if (own.count(key) > 0 || !seen.insert(key).second) continue;
    if (!countries.Mentioned(words).empty()) continue;
    if (key.find(' ') == std::string::npos && card.common_words != nullptr &&
        card.common_words->count(key) > 0) {
      continue;
    }
    others.push_back({words, std::move(mention.places)});
  }
  return others;
}

std::set<std::string> CountriesOf(const NamedPlaces& named) {
  std::set<std::string> codes;
  for (const Place* place : named.places) codes.insert(place->country);
  return codes;
}

std::string Quoted(const std::vector<std::string>& words) {
  std::vector<std::string> quoted;
  for (const std::string& w : words) quoted.push_back(absl::StrCat("'", w, "'"));
  return absl::StrJoin(quoted, ", ");
}

// Which of `codes` the other places support most; empty when none leads.
std::string LeadingCountry(const std::set<std::string>& codes,
                           const std::vector<NamedPlaces>& others,
                           std::vector<std::string>* support) {
  std::map<std::string, std::vector<std::string>> by_country;
  for (const NamedPlaces& other : others) {
    for (const std::string& code : CountriesOf(other)) {
      if (codes.empty() || codes.count(code) > 0) {
        by_country[code].push_back(other.words);
      }
    }
  }
  std::string best;
  size_t best_count = 0;
  bool tie = false;
  for (const auto& [code, words] : by_country) {
    if (words.size() > best_count) {
      best = code;
      best_count = words.size();
      tie = false;
    } else if (words.size() == best_count) {
      tie = true;
    }
  }
  if (best.empty() || tie) return {};
  *support = by_country[best];
  return best;
}

void InferCountry(const std::vector<NamedPlaces>& own,
                  const std::vector<NamedPlaces>& others,
                  PlaceInference* result) {
  std::set<std::string> codes;
  const Place* most_populous = nullptr;
  std::string most_populous_words;
  for (const NamedPlaces& named : own) {
    for (const Place* place : named.places) {
      codes.insert(place->country);
      if (!most_populous || place->population > most_populous->population) {
        most_populous = place;
        most_populous_words = named.words;
      }
    }
  }
  std::vector<std::string> support;
  if (codes.size() == 1) {
    result->country = *codes.begin();
    result->country_note = absl::StrCat(
        "country ", result->country, " inferred from '", own.front().words,
        "' (", PlaceKindName(own.front().places.front()->kind), " of ",
        result->country, " in the place gazetteer)");
  } else if (!codes.empty()) {
    const std::string all = absl::StrJoin(codes, ", ");
    result->country = LeadingCountry(codes, others, &support);
    if (!result->country.empty()) {
      result->country_note = absl::StrCat(
          "country ", result->country, " inferred from '", own.front().words,
          "' (places of that name lie in ", all, ") and ", Quoted(support));
    } else {
      result->country = most_populous->country;
      result->country_note = absl::StrCat(
          "country ", result->country, " inferred from '", most_populous_words,
          "', the most populous of the places of that name (in ", all,
          "): check it");
    }
  } else {
    result->country = LeadingCountry({}, others, &support);
    if (!result->country.empty()) {
      result->country_note = absl::StrCat(
          "country ", result->country, " inferred from ", Quoted(support),
          " (places of ", result->country, " that the text names)");
    } else if (!others.empty()) {
      std::vector<std::string> words;
      for (const NamedPlaces& other : others) words.push_back(other.words);
      result->country_note = absl::StrCat(
          "the places its text names (", Quoted(words),
          ") lie in no one leading country");
    }
  }
}

bool HasCue(const AnalyzedText& analyzed,
            const std::string_view* begin, const std::string_view* end) {
  return std::any_of(analyzed.tokens.begin(), analyzed.tokens.end(),
                     [&](const Token& t) {
                       return std::find(begin, end, t.folded) != end;
                     });
}

void InferKind(const CardFacts& card, const std::vector<NamedPlaces>& own,
               const std::string& country, PlaceInference* result) {
  bool city = false;
  bool region = false;
  std::string words;
  for (const NamedPlaces& named : own) {
    for (const Place* place : named.places) {
      if (place->country != country) continue;
      if (words.empty()) words = named.words;
      (place->kind == PlaceKind::kRegion ? region : city) = true;
    }
  }
  if (!city && !region) return;
  if (city != region) {
    result->kind = city ? PlaceKind::kCity : PlaceKind::kRegion;
    result->kind_note =
        absl::StrCat("kind ", PlaceKindName(*result->kind), " inferred: '",
                     words, "' is a ", PlaceKindName(*result->kind), " of ",
                     country, " in the place gazetteer");
    return;
  }
  const AnalyzedText analyzed = TextAnalyzer::Analyze(card.text);
  const bool region_cue =
      HasCue(analyzed, std::begin(kRegionCues), std::end(kRegionCues));
  const bool city_cue =
      HasCue(analyzed, std::begin(kCityCues), std::end(kCityCues));
  const std::string both = absl::StrCat(
      "'", words, "' is both a city and a region of ", country,
      " in the place gazetteer");
  if (region_cue != city_cue) {
    result->kind = region_cue ? PlaceKind::kRegion : PlaceKind::kCity;
    result->kind_note = absl::StrCat(
        "kind ", PlaceKindName(*result->kind), " inferred: ", both,
        region_cue ? ", and the text speaks of a region (\"region\", "
                     "\"regional\", \"state\", …) and never of a city"
                   : ", and the text speaks of a city and never of a region",
        ": check it");
  } else {
    result->kind_note = absl::StrCat(both, ", and the text does not say which");
  }
}

// The gazetteer's spelling of a name form that differs only in letter case.
void InferSpelling(const CardFacts& card, const std::vector<NamedPlaces>& own,
                   const std::string& country, PlaceInference* result) {
  for (const NamedPlaces& named : own) {
    for (const Place* place : named.places) {
      if (place->country != country || place->name == named.words) continue;
      if (absl::AsciiStrToLower(place->name) ==
          absl::AsciiStrToLower(named.words)) {
        result->misspelt = named.words;
        result->spelling = place->name;
        return;
      }
    }
  }
}

}  // namespace

PlaceInference InferPlace(const CardFacts& card, const PlaceGazetteer& places,
                          const Gazetteer& countries) {
  PlaceInference result;
  const std::vector<NamedPlaces> own = OwnPlaces(card, places);
  if (card.country.empty()) {
    InferCountry(own, OtherPlaces(card, places, countries), &result);
  }
  const std::string& country =
      card.country.empty() ? result.country : card.country;
  if (!country.empty()) {
    InferKind(card, own, country, &result);
    InferSpelling(card, own, country, &result);
  }
  return result;
}

}  // namespace pm
