// What the place gazetteer tells about a card's place when its text does not
// say it: the country (from the place's own name, or from the other places
// the text names) and the kind (city or region). Every inference comes with
// a note that says what was inferred from which words, for a warning.
#ifndef PARTNER_MATCH_ENGINE_IO_PLACE_INFERENCE_H_
#define PARTNER_MATCH_ENGINE_IO_PLACE_INFERENCE_H_

#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "engine/geo/gazetteer.h"
#include "engine/geo/places.h"
#include "engine/model/profile.h"

namespace pm {

struct PlaceInference {
  // The inferred country code, empty when none could be inferred (or a
  // country was given); `country_note` says from which words, or why not.
  std::string country;
  std::string country_note;
  // The kind the gazetteer gives the name in the country, or nullopt;
  // `kind_note` says why (also when a name is both a city and a region and
  // the text does not tell which).
  std::optional<PlaceKind> kind;
  std::string kind_note;
  // The gazetteer's spelling of a name form that differs only in letter
  // case ("Krapina-zagorje" -> "Krapina-Zagorje"), else both empty.
  std::string misspelt;
  std::string spelling;
};

// What a card is known to say, and what the page writes in lower case.
struct CardFacts {
  // The forms of the card's name: the name, without its designator, the
  // parts of a joint name ("Bacau County", "Bacau").
  std::vector<std::string> name_forms;
  std::string_view text;
  // The country the text names, or empty: then one is inferred.
  std::string country;
  // Words the page writes in lower case: a one-word place name among them
  // ("Most", "Reading") is taken for the common word, not the place.
  const std::unordered_set<std::string>* common_words = nullptr;
};

// Country: when `card.country` is empty, the country of the places called
// by one of the name forms (or, failing that, by the parts of a hyphenated
// name: "Donostia" of "Donostia-San Sebastian"); where they lie in several
// countries, the one that the other places of the text also lie in, else the
// most populous place's (the note then names the others: check it). When
// the gazetteer knows no name form, the country most of the other places
// named in the text lie in ("Lazio", "Rome" -> IT), if one leads.
// Kind: city or region when the name forms name only cities or only regions
// of the country; when both ("Colima", "Mendoza"), region if the text speaks
// of "region"/"regional"/"state"/"province" and never of a "city", "town" or
// "municipality", city if the other way round, else nullopt with a note.
PlaceInference InferPlace(const CardFacts& card, const PlaceGazetteer& places,
                          const Gazetteer& countries);

}  // namespace pm

#endif  // PARTNER_MATCH_ENGINE_IO_PLACE_INFERENCE_H_
