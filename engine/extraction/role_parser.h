// Roles from sentence structure: what a profile's sentences say the place
// does with each theme phrase they mention (offers it, seeks it, or names it
// as background), and which mentions do not count at all (negated, or said
// of another place or of the programme).
#ifndef PARTNER_MATCH_ENGINE_EXTRACTION_ROLE_PARSER_H_
#define PARTNER_MATCH_ENGINE_EXTRACTION_ROLE_PARSER_H_

#include <cstddef>
#include <string_view>
#include <vector>

#include "engine/extraction/phrase_matcher.h"
#include "engine/model/profile.h"
#include "engine/taxonomy/taxonomy.h"

namespace pm {

// Words [first, end) of a WordSequence: one theme phrase occurrence.
struct PhraseSpan {
  size_t first = 0;
  size_t end = 0;
};

// What the sentence structure says about one phrase occurrence.
struct SpanRole {
  Role role = Role::kContext;  // kOffer, kSeek, kBoth or kContext
  bool counts = true;   // false: negated, or said of another place or the
                        // programme; such a mention is no evidence at all
  bool hedged = false;  // the cue is hedged ("may be interested in")
};

// Immutable after construction; Assign is safe to call from many threads.
//
// Cues. The taxonomy's offer and seek cues are matched on folded words,
// exactly (case and accents aside, hyphens optional): "promotes" is not
// "promoting", so list each form a cue should match. Up to two other words
// may stand between a cue's words ("has extensive experience in" matches
// "has experience in"); the tightest, longest cue wins where cues overlap.
// Built in besides: background markers, after which what follows is context
// — verbs ("rests on", "relies on", "depends on", "is home to") always,
// participles and nouns ("based on", "home to", "potential for", "located
// in", ...) only after a copula or outside a stated scope ("interested in
// tourism routes based on culture" still seeks culture); and target years
// ("by 2030"), a seek cue for the phrase just before them.
//
// Clauses. A cue's scope runs from the cue to the end of its clause or to
// the next cue. A clause ends at the end of the sentence; before a subject
// pronoun ("it", "they", ...) that follows "and", "but", "or", a comma or a
// semicolon ("…, and it plans"); and at a subordinate clause: "because",
// "although", "though", "whereas", "whilst" always, and "as", "while",
// "since", "where", "when" when a verb ("is", "are", "has", "will", ...)
// follows within five words ("committed to SUD as the city's historic areas
// are at risk": the historic areas are context). Lists, commas and
// semicolons inside a clause do not end a scope: a cue governs the whole
// list it introduces.
//
// Scopes. A cue right after another one (no word or punctuation between)
// is its complement and the first decides ("is interested in working on");
// so is a cue starting with "to" inside a stated scope, a purpose ("has
// implemented a plan to improve"). Two cues joined by "and" / "or" with
// nothing else between combine ("its experience and interests cover":
// both), and so does a cue nested in the scope of another, not after "and",
// "or" or punctuation ("seeks to promote its programme": both). Otherwise a
// new cue replaces the old one.
//
// A phrase's role, in order of precedence:
//  1. A cue right after the phrase (at most two words between, none of them
//     a function word or punctuation) applies to it: "carbon-neutrality
//     targets", "climate-neutral cities by 2030" (not for a phrase inside a
//     cue, such as "its smart-city programme", which takes that cue's).
//  2. Otherwise, in the scope of a cue: the scope's role.
//  3. Otherwise, when the phrase is in the subject of the first cue after it
//     in its clause and that cue is predicative (after a copula, or starting
//     with one: "Water and waste management are further interests",
//     "Tourism is what the city wants to learn", "the Local Action Plan has
//     been implemented"): that cue's role. Not across "whose" or "where" (a
//     different subject), nor when the copula follows "and" or punctuation
//     ("… pandemic and is engaged in" is a second predicate).
//  4. Otherwise context: a background fact, or a bare mention.
//
// Negation and hedges. A cue with a negation inside it or among the three
// words before it ("is not interested in", "has no experience in", "lacks
// experience in"; "not only" excepted) negates its scope; a phrase right
// after "not", "nor" or "neither" (within two words) is negated. Negated
// mentions do not count. A hedge ("may", "might", "could", "possibly",
// "perhaps", "potentially", "considering") in or among the three words
// before a cue keeps the role but marks the mention hedged.
//
// Subjects. A clause whose subject is another place does not count: it
// starts with a proper noun (written capitalised inside a sentence somewhere
// in the text, and not a possessive as in "Rome's") followed by a verb
// within four words, and the proper noun is not a word of the place's own
// name. The own name is `place_name` when given, else the capitalised word
// most often found as the subject of a clause (the earliest on ties), with
// the capitalised words that follow it ("Anci Lazio"). A clause whose
// subject is the programme ("The IURC programme is …", "IUC has …") does not
// count either. A cue about another place ("cooperate with Tokorozawa to
// integrate …") is still the place's own when the place is the subject.
//
// Languages. A parser works on texts of one language: the taxonomy's cues
// in that language. The background markers, target years, clauses,
// subjects, negations and hedges above are English grammar: in another
// language a cue's scope runs to the end of its sentence or the next cue,
// and a phrase after no cue is context.
class RoleParser {
 public:
  // Compiles the taxonomy's cues in `language` (taken as they are, not
  // kept). `w` given to Assign must come from a text analysed in it.
  explicit RoleParser(const Taxonomy& taxonomy,
                      Language language = Language::kEnglish);

  // The role of each span of `w` (one result per span, same order). `w`
  // must come from CollectWords; spans must be in range, and not cross
  // sentences. `place_name` is the profile's display name, or empty.
  std::vector<SpanRole> Assign(const WordSequence& w,
                               const std::vector<PhraseSpan>& spans,
                               std::string_view place_name) const;

 private:
  PatternSet cues_;             // the taxonomy's cues and background markers
  std::vector<Role> cue_role_;  // by cue id; kContext for a marker
  std::vector<bool> cue_is_background_;  // by cue id
  size_t participles_from_ = 0;  // ids from here: participle markers
};

}  // namespace pm

#endif  // PARTNER_MATCH_ENGINE_EXTRACTION_ROLE_PARSER_H_
