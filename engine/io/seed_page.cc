#include "engine/io/seed_page.h"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "engine/common/strings.h"
#include "engine/io/card_grouping.h"
#include "engine/io/page_lines.h"
#include "engine/io/page_words.h"
#include "engine/io/place_inference.h"
#include "engine/io/place_names.h"
#include "engine/io/profile_format.h"

namespace pm {
namespace {

using seed::Card;
using seed::CoreName;
using seed::NameForms;
using seed::Page;
using seed::Paragraph;
using seed::Snippet;

// Why a card that names no place was skipped, with the places it lists.

std::string NamelessWarning(const Card& card) {
  std::string message = absl::StrCat("card skipped: its opening paragraph (\"",
                                     Snippet(card.paragraphs.front()->text),
                                     "\") names no place");
  const std::vector<std::string> places = seed::ListedPlaces(card);
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
  if (std::optional<PlaceKind> kind = seed::StatedKind(card, page)) {
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
  profile->known_partners = seed::KnownPartners(card, page);
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

absl::StatusOr<SeedPageImport> ParseSeedPage(std::string_view content,
                                             std::string_view source,
                                             const Gazetteer& gazetteer,
                                             const PlaceGazetteer& places) {
  absl::StatusOr<std::vector<std::string_view>> lines =
      seed::SplitLines(content, source);
  if (!lines.ok()) return lines.status();
  const std::vector<Paragraph> paragraphs = seed::Paragraphs(*lines);
  const Page page{gazetteer, places, seed::CountryNames(gazetteer),
                  seed::CommonWords(paragraphs)};
  std::vector<Card> cards = seed::GroupCards(paragraphs, page);
  if (cards.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(Sv(source),
                     ": no profile card found (the page is empty or holds only "
                     "page clutter)"));
  }
  SeedPageImport result;
  std::map<std::string, size_t> seen;
  for (size_t i = 0; i < cards.size(); ++i) {
    if (cards[i].name.empty()) seed::NameFromSharedInterest(cards, i);
    if (!cards[i].name.empty()) cards[i].name = seed::FullerName(cards[i], page);
  }
  for (const Card& card : cards) {
    ImportCard(card, source, page, &seen, &result);
  }
  return result;
}

}  // namespace pm
