// Card grouping for the page importer (seed_page.h): which paragraphs form
// one profile card, what the card is called, and what its text states about
// the place (kind, known partners).
#ifndef PARTNER_MATCH_ENGINE_IO_CARD_GROUPING_H_
#define PARTNER_MATCH_ENGINE_IO_CARD_GROUPING_H_

#include <cstddef>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "engine/io/page_lines.h"
#include "engine/io/place_names.h"
#include "engine/model/profile.h"

namespace pm::seed {

struct Card {
  std::vector<const Paragraph*> paragraphs;
  std::string name;                    // empty: no paragraph names the place
  std::optional<PlaceKind> name_kind;  // stated by "The City of X"
  size_t named_from = 0;  // index of the paragraph whose subject names it
  std::string naming_note;  // how a card named by no subject was named
};

// The words the page writes in lower case somewhere (lower-cased): see
// Page::common_words.
std::unordered_set<std::string> CommonWords(
    const std::vector<Paragraph>& paragraphs);

// Groups paragraphs into cards (the rules in seed_page.h): a card starts
// after clutter, at a paragraph whose subject names another place, and at a
// paragraph that neither names the card's place nor refers back to it; a
// nameless card takes what follows up to clutter and is named by the first
// subject among it.
std::vector<Card> GroupCards(const std::vector<Paragraph>& paragraphs,
                             const Page& page);

// The kind the card states: by "The City of X", by the name's last words,
// or by a sentence about the place; nullopt when it states none.
std::optional<PlaceKind> StatedKind(const Card& card, const Page& page);

// Ids of the places the card says its place works with ("will continue to
// cooperate with Y") or shares an interest with ("common interest for A, B,
// and C", the card's place among them).
std::vector<std::string> KnownPartners(const Card& card, const Page& page);

// Places a nameless card's text lists (as partners or sharing an interest).
std::vector<std::string> ListedPlaces(const Card& card);

// Names the nameless card `cards[i]` after one of the places its text says
// share an interest ("common interest for Donostia-San Sebastian, Lugo, and
// Toyama"): the only one that fits the page's alphabetical order between the
// named cards around it, else the first listed. The others then become its
// known partners (KnownPartners). A card listing fewer than two stays
// nameless.
void NameFromSharedInterest(std::vector<Card>& cards, size_t i);

// The card's name with the designator a later sentence gives it ("Bacau"
// -> "Bacau County" from "Currently, Bacau County is facing …").
std::string FullerName(const Card& card, const Page& page);

}  // namespace pm::seed

#endif  // PARTNER_MATCH_ENGINE_IO_CARD_GROUPING_H_
