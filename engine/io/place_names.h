// Place-name parsing for the page importer (seed_page.h): a paragraph's
// subject (the place name opening its first sentence), the forms of a name,
// the kind a name or a sentence states, and the places a sentence lists as
// partners.
#ifndef PARTNER_MATCH_ENGINE_IO_PLACE_NAMES_H_
#define PARTNER_MATCH_ENGINE_IO_PLACE_NAMES_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "engine/geo/gazetteer.h"
#include "engine/geo/places.h"
#include "engine/model/profile.h"

namespace pm::seed {

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

struct Subject {
  std::string name;
  std::optional<PlaceKind> kind;  // stated by the form "The City of X"
  size_t end = 0;           // offset after the subject phrase (before its verb)
  bool possessive = false;  // "Mendoza’s economy …": the place owns the subject
};

// The kind a name states by its last words: "Busan Metropolitan City",
// "Barcelona Metropolitan Area" (city), "Krapina-zagorje County" (region).
std::optional<PlaceKind> KindOfName(std::string_view name);

// `name` without a final designator ("Bacau County" -> "Bacau"), or `name`.
std::string_view CoreName(std::string_view name);

// The forms by which a card's text refers to its place again: the name, the
// name without its designator, and each part of a joint name ("Colleferro
// and Latina").
std::vector<std::string> NameForms(std::string_view name);

// True when `subject` names the place called `card_name` (same folded name,
// give or take a designator, or a part of a joint name).
bool SamePlace(std::string_view subject, std::string_view card_name);

// True when `text` contains one of the forms of `card_name` as whole words.
bool MentionsPlace(std::string_view paragraph, std::string_view card_name);

// Every country's name and aliases (Page::country_names).
std::unordered_set<std::string> CountryNames(const Gazetteer& gazetteer);

// The subject of the first sentence of `text` when it names a place,
// allowing an opening clause before it ("Established in 1893, Da Lat is").
std::optional<Subject> ParseSubject(std::string_view text, const Page& page);

// True when `sentence` is about the card's place: its subject is the place,
// "It"/"They" or "The city"/"The region"/…. Sets `*subject` to the subject
// where the sentence has one (a name or "It"/"They").
bool IsAboutPlace(std::string_view sentence, std::string_view card_name,
                  const Page& page, std::optional<Subject>* subject);

// The kind a sentence about the card's place states, or nullopt.
std::optional<PlaceKind> SentenceKind(std::string_view sentence,
                                      std::string_view card_name,
                                      const Page& page);

// Places named after "continue (to) cooperate/collaborate/work with".
std::vector<std::string> ContinuedPartners(std::string_view sentence);

// Places named after "common interest for/of/between …".
std::vector<std::string> SharedInterestPlaces(std::string_view sentence);

}  // namespace pm::seed

#endif  // PARTNER_MATCH_ENGINE_IO_PLACE_NAMES_H_
