// Reads the programme's web-page text (tests/data/seed_page.txt is one):
// splits the page into profile cards, drops page clutter, and recognises
// each place's name, kind and country where the text states them, or infers
// them from the place gazetteer. The rules live in page_lines (clutter and
// paragraphs), place_names (names, subjects, kinds, partner lists),
// card_grouping (cards) and place_inference (the gazetteer); words and
// sentences are engine/text's (page_words).
#ifndef PARTNER_MATCH_ENGINE_IO_SEED_PAGE_H_
#define PARTNER_MATCH_ENGINE_IO_SEED_PAGE_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/geo/gazetteer.h"
#include "engine/geo/places.h"
#include "engine/model/profile.h"

namespace pm {

// Which fields of an imported profile the text does not state, but the
// place gazetteer (or the default kind, city) gave.
struct InferredFields {
  bool country = false;
  bool kind = false;
};

struct SeedPageImport {
  // The cards that name a place and have a country, normalised
  // (NormalizeProfile), in page order.
  std::vector<Profile> profiles;
  // For each of `profiles`, at the same index: what was inferred.
  std::vector<InferredFields> inferred;
  // One line per thing a person should check, naming the source and line:
  // a card that names no place (skipped, or named from a later paragraph of
  // the card), a kind or country that the text does not state, ...
  std::vector<std::string> warnings;
  // The named cards skipped only because no country could be found for
  // them: id, name, kind, text and known_partners filled in, country empty,
  // not normalised. A person adds the country and imports them as JSON
  // Lines (`partner-match import --drafts`).
  std::vector<Profile> drafts;
};

// Parses page text. Stateless; safe to call from several threads.
//
// Lines are trimmed (ASCII and Unicode spaces, e.g. the no-break space). A
// paragraph is a line; a line without final punctuation runs on into the
// next (hard-wrapped text). Clutter is dropped and ends the card before it:
// "Discover what we did in …", "Load more", image credits (lines of at most
// 200 bytes with "CC BY", "CC0", "Creative Commons", "Public domain", "©", or
// "- own work" / "- Trabajo propio" / … in Wikimedia's languages), headings
// (a line opening a paragraph with at most 10 words and no sentence
// punctuation, comma or "is/are/has/will …"), and the "Stay in the loop!"
// footer with all that follows it.
//
// A paragraph's subject is the place name opening its first sentence,
// followed by a verb or "’s", after an opening clause where there is one
// ("Overlooking the Adriatic Sea, Ancona is …"): capitalised words joined by
// connectors ("Castilla y León", "Colleferro and Latina"), "The <Name>…" of
// two words or more ("The Barcelona Metropolitan Area"), "(The) City of X"
// -> "X" (likewise Region/Province/County/… of X). Never a country of
// `gazetteer`, nor only words the page also writes in lower case ("Tourism
// is …"). A card starts after clutter, at a paragraph whose subject names a
// place other than the card's, and at a paragraph that neither names the
// card's place nor opens by referring back to it ("It", "Its", "The <noun>",
// "In addition", …): such a card names no place. A card without a name takes
// the paragraphs that follow, up to clutter; the first of them whose subject
// names a place names the card (a warning names both lines). A card that no
// paragraph names is skipped with a warning (listing the places its text
// lists, if any), unless it lists places sharing an interest (below).
//
// Each card becomes a profile: name = the subject (white space collapsed);
// country = the first country its text mentions (Gazetteer::Mentioned);
// kind = as the name states it ("… County", "… Metropolitan City", "City of …") or a
// sentence about the place ("is the capital and largest city", "is Spain’s
// largest region", "is a cross-border association", "The State is …"); text = its paragraphs joined with "\n\n", otherwise
// verbatim; known_partners = the ids of Y in "<place> will continue to
// cooperate/collaborate/work with Y (and Z)", and of the others in "common
// interest for A, B, and C" when the card's place is one of them. A card
// that fails NormalizeProfile or repeats an id already imported is skipped
// with a warning. Warnings read "<source>:<line>: …", the line of the card's
// first paragraph.
//
// With the place gazetteer `places` (InferPlace): a card whose text names no
// country takes the country the gazetteer infers from its name or the places
// its text names, with a warning saying from which words ("country ES
// inferred from 'Barcelona' …"); a card with no stated kind takes the kind
// the gazetteer gives its name (a name that is both a city and a region is
// decided by the text's words, or assumed a city, with a warning either
// way); a name form the gazetteer spells with other capitals is written as
// the gazetteer does ("Krapina-Zagorje County"). Only a card for which no
// country is found is skipped (a draft). A later subject that adds a
// designator to the card's name names it ("Bacau" -> "Bacau County"). The
// id is SlugId of the name without its designator ("bacau", "busan" for
// "Busan Metropolitan City"). A card that no paragraph names but whose text
// lists places sharing an interest ("common interest for Donostia-San
// Sebastian, Lugo, and Toyama") is the place among them that fits the page's
// alphabetical order between the cards around it (else the first listed),
// with a warning; the others become its known partners.
//
// INVALID_ARGUMENT "<source>:<line>: invalid UTF-8 at byte N of the line", or
// "<source>: no profile card found …" when no paragraph is left outside
// clutter (an empty page). A page whose cards are all skipped is no error:
// no profiles, and the warnings say why.
absl::StatusOr<SeedPageImport> ParseSeedPage(std::string_view content,
                                             std::string_view source,
                                             const Gazetteer& gazetteer,
                                             const PlaceGazetteer& places);

// A slug id for a place name: FoldText, then each run of characters other
// than [a-z0-9] becomes one "-", none at either end ("Castilla y León" ->
// "castilla-y-leon"). Empty when the name has no such character.
std::string SlugId(std::string_view name);

}  // namespace pm

#endif  // PARTNER_MATCH_ENGINE_IO_SEED_PAGE_H_
