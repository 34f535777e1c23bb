#include "engine/io/card_grouping.h"

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "engine/common/strings.h"
#include "engine/io/page_words.h"
#include "engine/io/seed_page.h"
#include "engine/text/text_analyzer.h"

namespace pm::seed {
namespace {

// First words by which a paragraph refers back to the card's place.
constexpr std::string_view kBackReferences[] = {
    "It",       "Its",         "They",         "Their",   "This",
    "These",    "Those",       "Such",         "Here",    "There",
    "Moreover", "Furthermore", "Additionally", "Also",    "Besides",
    "However",  "Likewise",    "Similarly",    "Finally", "Overall",
    "Together", "Currently",   "Today",
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

}  // namespace

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


}  // namespace pm::seed
