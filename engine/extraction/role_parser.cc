#include "engine/extraction/role_parser.h"

#include <algorithm>
#include <initializer_list>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace pm {
namespace {

// ---- Matching limits ----

// Cue words may be separated by up to this many other words.
constexpr int kMaxCueGap = 2;
// Words before a cue searched for a negation or a hedge.
constexpr int kCueModifierWindow = 3;
// Words before a theme phrase searched for a negation ("but not energy").
constexpr int kPhraseNegationWindow = 2;
// A cue applies to a phrase that ends at most this many words before it.
constexpr size_t kMaxPostfixGap = 2;
// A predicative cue stands at most this many words after its copula.
constexpr size_t kMaxCopulaDistance = 4;
// A subordinate clause needs a verb within this many words of its
// conjunction; another place's name needs one within this many words.
constexpr size_t kClauseVerbWindow = 5;
constexpr size_t kSubjectVerbWindow = 4;

// Background markers: what follows them is context. Verbs of their own
// ("its economy rests on") end any scope; participles and nouns ("based
// on", "potential for") end a stated scope only as a predicate, after a
// copula ("is based on"): "interested in tourism routes based on culture"
// still seeks culture.
constexpr std::string_view kBackgroundVerbs[] = {
    "rests on", "relies on", "depends on", "is home to", "are home to"};
constexpr std::string_view kBackgroundParticiples[] = {
    "home to",      "based on",    "based in",      "potential for",
    "potential to", "development potential",        "located in",
    "located on",   "situated in", "situated on"};

bool In(std::string_view word, std::initializer_list<std::string_view> set) {
  return std::find(set.begin(), set.end(), word) != set.end();
}

// Negations of a cue right after them or inside its gaps.
bool IsCueNegation(std::string_view w) {
  return In(w, {"not", "no", "never", "without", "nor", "neither", "cannot",
                "cant", "dont", "doesnt", "didnt", "isnt", "arent", "wasnt",
                "hasnt", "havent", "lack", "lacks", "lacking"});
}

// Negations of a theme phrase right after them. Fewer than for cues: "the
// lack of green spaces" and "with no landfill" name a need, not its absence.
bool IsPhraseNegation(std::string_view w) {
  return In(w, {"not", "nor", "neither"});
}

bool IsHedge(std::string_view w) {
  return In(w, {"may", "might", "could", "possibly", "perhaps", "potentially",
                "maybe", "considering", "consider", "considers"});
}

bool IsCopula(std::string_view w) {
  return In(w, {"is", "are", "was", "were", "be", "been", "remains", "remain",
                "becomes", "become"});
}

// Verbs that show a clause has its own predicate.
bool IsAuxiliary(std::string_view w) {
  return IsCopula(w) || In(w, {"has", "have", "had", "will", "would", "can",
                               "could", "may", "might", "must", "should",
                               "does", "do", "did"});
}

bool IsCoordinator(std::string_view w) {
  return In(w, {"and", "or", "but", "yet", "nor", "plus"});
}

bool IsSubjectPronoun(std::string_view w) {
  return In(w, {"it", "they", "he", "she", "we"});
}

// Words that may not stand between a phrase and a cue that applies to it
// from behind ("tourism and seeks" is two clauses).
bool IsFunctionWord(std::string_view w) {
  return IsAuxiliary(w) || IsCoordinator(w) ||
         In(w, {"to", "in", "on", "of", "for", "with", "the", "a", "an", "its",
                "their", "as", "at", "by", "from", "that", "which", "who",
                "it", "they", "this", "these", "such", "into", "through"});
}

// "by 2030": a target year from 2000 to 2099.
bool IsTargetYear(const WordSequence& w, size_t i) {
  if (i == 0 || *w.folded[i - 1] != "by" || w.separated[i - 1]) return false;
  const std::string& y = *w.folded[i];
  return y.size() == 4 && y[0] == '2' && y[1] == '0' &&
         std::all_of(y.begin(), y.end(),
                     [](char c) { return c >= '0' && c <= '9'; });
}

// A cue found in the text.
struct Cue {
  size_t first = 0;  // words [first, end)
  size_t end = 0;
  Role role = Role::kContext;
  bool background = false;  // a background marker
  bool participle = false;  // a participle or noun marker ("based on")
  bool postfix_only = false;  // a target year: applies only from behind
  bool negated = false;
  bool hedged = false;
};

// What governs the words from a cue on.
struct ScopeState {
  bool active = false;  // a cue or marker governs
  const Cue* cue = nullptr;  // the last cue of the scope
  Role role = Role::kContext;
  bool negated = false;
  bool hedged = false;
};

// True when word `i` is a negation of what follows ("not only" is not).
bool NegatesAt(const WordSequence& w, size_t i,
               bool (*negates)(std::string_view)) {
  if (!negates(*w.folded[i])) return false;
  return !(*w.folded[i] == "not" && i + 1 < w.size() &&
           *w.folded[i + 1] == "only");
}

// True when a word for which `test` holds stands among the `window` words
// before word `first` (no punctuation in between) or in [first, end).
bool Preceded(const WordSequence& w, size_t first, size_t end, int window,
              bool (*test)(std::string_view)) {
  for (size_t i = first; i < end; ++i) {
    if (NegatesAt(w, i, test)) return true;
  }
  size_t i = first;
  for (int steps = 0; steps < window && i > 0 && !w.separated[i - 1];
       ++steps) {
    --i;
    if (NegatesAt(w, i, test)) return true;
  }
  return false;
}

// True when an auxiliary follows word `i` within `window` words, with no
// punctuation in between.
bool VerbFollows(const WordSequence& w, size_t i, size_t window) {
  for (size_t k = i; k + 1 < w.size() && k < i + window; ++k) {
    if (w.separated[k]) return false;
    if (IsAuxiliary(*w.folded[k + 1])) return true;
  }
  return false;
}

// True when a predicate follows word `i` within `window` words with no
// punctuation in between: an auxiliary, or a cue (`cue_start`: "Rome boasts").
bool PredicateFollows(const WordSequence& w, size_t i, size_t window,
                      const std::vector<bool>& cue_start) {
  for (size_t k = i; k + 1 < w.size() && k < i + window; ++k) {
    if (w.separated[k]) return false;
    if (IsAuxiliary(*w.folded[k + 1]) || cue_start[k + 1]) return true;
  }
  return false;
}

// True when word `i` starts a new clause inside its sentence.
bool StartsClause(const WordSequence& w, size_t i) {
  if (i == 0 || w.sentence[i - 1] != w.sentence[i]) return true;
  const std::string& word = *w.folded[i];
  if (IsSubjectPronoun(word)) {
    return IsCoordinator(*w.folded[i - 1]) || w.GapHas(i - 1, ',') ||
           w.GapHas(i - 1, ';');
  }
  if (In(word, {"because", "although", "though", "whereas", "whilst"})) {
    return true;
  }
  if (In(word, {"as", "while", "since", "where", "when"})) {
    const std::string& before = *w.folded[i - 1];
    if (!w.separated[i - 1] && In(before, {"such", "well", "so"})) return false;
    return VerbFollows(w, i, kClauseVerbWindow);
  }
  return false;
}

// The cues of `w` from `patterns`, plus target years, in text order.
std::vector<Cue> FindCues(const PatternSet& patterns,
                          const std::vector<Role>& roles,
                          const std::vector<bool>& background,
                          size_t participles_from, const WordSequence& w) {
  std::vector<Cue> cues;
  for (const PatternMatch& m : patterns.FindAll(w)) {
    Cue c;
    c.first = m.first;
    c.end = m.end;
    c.role = roles[static_cast<size_t>(m.id)];
    c.background = background[static_cast<size_t>(m.id)];
    c.participle = static_cast<size_t>(m.id) >= participles_from;
    c.negated =
        Preceded(w, m.first, m.end, kCueModifierWindow, IsCueNegation);
    c.hedged = Preceded(w, m.first, m.end, kCueModifierWindow, IsHedge);
    cues.push_back(c);
  }
  for (size_t i = 0; i < w.size(); ++i) {
    if (!IsTargetYear(w, i)) continue;
    const bool taken = std::any_of(cues.begin(), cues.end(), [&](const Cue& c) {
      return c.first <= i && i < c.end;
    });
    if (taken) continue;
    Cue c;
    c.first = i - 1;
    c.end = i + 1;
    c.role = Role::kSeek;
    c.postfix_only = true;
    cues.push_back(c);
  }
  std::sort(cues.begin(), cues.end(),
            [](const Cue& a, const Cue& b) { return a.first < b.first; });
  return cues;
}

// The words of the place's own name: `place_name`'s, else those of the
// name most often the subject of a clause (the earliest on ties).
std::set<std::string> OwnName(const WordSequence& w,
                              const std::vector<bool>& clause_start,
                              const std::vector<bool>& cue_start,
                              const std::set<std::string>& proper,
                              std::string_view place_name) {
  std::set<std::string> own;
  if (!place_name.empty()) {
    const AnalyzedText name = TextAnalyzer::Analyze(place_name);
    for (const Token& t : name.tokens) {
      if (t.stem != "-") own.insert(t.folded);
    }
    return own;
  }
  std::map<std::string, int> count;
  std::map<std::string, size_t> first_seen;
  for (size_t i = 0; i < w.size(); ++i) {
    // A name: a proper noun, or a capitalised word ("Lisbon", "Anci Lazio"
    // may be written only at the start of sentences) other than a function
    // word ("The", "It").
    const bool name = proper.count(*w.folded[i]) ||
                      (w.capitalised[i] && w.lower[i] &&
                       !IsFunctionWord(*w.folded[i]));
    if (!clause_start[i] || !name || w.possessive[i] ||
        !PredicateFollows(w, i, kSubjectVerbWindow, cue_start)) {
      continue;
    }
    ++count[*w.folded[i]];
    first_seen.emplace(*w.folded[i], i);
  }
  std::string best;
  for (const auto& [word, n] : count) {
    if (best.empty() || n > count[best] ||
        (n == count[best] && first_seen[word] < first_seen[best])) {
      best = word;
    }
  }
  if (best.empty()) return own;
  // The whole name: "Anci Lazio", from the first time it is a subject.
  for (size_t i = first_seen[best]; i < w.size(); ++i) {
    if (i > first_seen[best] && (!w.capitalised[i] || w.separated[i - 1])) break;
    own.insert(*w.folded[i]);
    if (w.possessive[i]) break;
  }
  return own;
}

// True when the clause starting at word `i` is said of another place or of
// the programme.
bool ForeignSubject(const WordSequence& w, size_t i,
                    const std::vector<bool>& cue_start,
                    const std::set<std::string>& proper,
                    const std::set<std::string>& own) {
  const std::string& head = *w.folded[i];
  if (In(head, {"iuc", "iurc"})) {
    return PredicateFollows(w, i, kSubjectVerbWindow, cue_start);
  }
  if (In(head, {"the", "this"})) {
    for (size_t k = i + 1; k < w.size() && k <= i + 2; ++k) {
      if (w.separated[k - 1]) break;
      if (In(*w.folded[k], {"programme", "program", "iuc", "iurc"})) {
        return PredicateFollows(w, k, kSubjectVerbWindow, cue_start);
      }
    }
    return false;
  }
  return proper.count(head) && !own.count(head) && !w.possessive[i] &&
         PredicateFollows(w, i, kSubjectVerbWindow, cue_start);
}

// Folded words written capitalised somewhere other than at the start of a
// sentence (proper nouns; "Agriculture" at a sentence start is not one).
std::set<std::string> ProperNouns(const WordSequence& w) {
  std::set<std::string> proper;
  for (size_t i = 1; i < w.size(); ++i) {
    // w.lower: not an acronym ("NBS" names no place).
    if (w.capitalised[i] && w.lower[i] && w.sentence[i - 1] == w.sentence[i]) {
      proper.insert(*w.folded[i]);
    }
  }
  return proper;
}

// The cue right after `span` that applies to it from behind: it starts at
// most kMaxPostfixGap words after the span, with no punctuation and no
// function word between ("carbon-neutrality targets", "climate-neutral
// cities by 2030"). Background markers never apply from behind.
const Cue* PostfixCue(const WordSequence& w, const std::vector<Cue>& cues,
                      const PhraseSpan& span) {
  auto next = std::find_if(cues.begin(), cues.end(), [&](const Cue& c) {
    return c.first >= span.end;
  });
  if (next == cues.end() || next->background ||
      next->first > span.end + kMaxPostfixGap) {
    return nullptr;
  }
  for (size_t k = span.end - 1; k < next->first; ++k) {
    if (w.separated[k] || (k >= span.end && IsFunctionWord(*w.folded[k]))) {
      return nullptr;
    }
  }
  return &*next;
}

// The first cue after `span` in its clause, when it is predicative (its own
// first word is a copula or auxiliary, or a copula stands at most
// kMaxCopulaDistance words before it with no punctuation or coordinator
// between) and the span is in its subject (before the copula, which does not
// directly follow a coordinator or punctuation: "… pandemic and is engaged
// in" is a second predicate, not a subject).
const Cue* PredicativeCue(const WordSequence& w, const std::vector<Cue>& cues,
                          const std::vector<size_t>& clause,
                          const PhraseSpan& span) {
  auto next = std::find_if(cues.begin(), cues.end(), [&](const Cue& c) {
    return c.first >= span.end && !c.postfix_only;
  });
  if (next == cues.end() || next->background ||
      clause[next->first] != clause[span.first]) {
    return nullptr;
  }
  size_t copula = next->first;
  bool found = IsAuxiliary(*w.folded[next->first]);
  for (size_t k = span.end; k < next->first; ++k) {
    // "Port city … whose commission is interested in": another subject
    // ("a hub that can serve as a model" keeps the hub as the subject).
    if (In(*w.folded[k], {"whose", "where"})) {
      return nullptr;
    }
  }
  for (size_t k = next->first;
       !found && k > span.end && next->first - k < kMaxCopulaDistance;) {
    --k;
    if (w.separated[k] || IsCoordinator(*w.folded[k])) break;
    if (IsCopula(*w.folded[k])) {
      copula = k;
      found = true;
    }
  }
  if (!found || copula < span.end || w.separated[copula - 1] ||
      IsCoordinator(*w.folded[copula - 1])) {
    return nullptr;
  }
  return &*next;
}

// The scope state at each word: which cue governs it, from a forward pass
// over the cues (`cues` in text order) within clauses (see the header).
std::vector<ScopeState> ForwardScopes(const WordSequence& w,
                                      const std::vector<Cue>& cues,
                                      const std::vector<bool>& clause_start) {
  const size_t n = w.size();
  std::vector<ScopeState> state(n);
  std::vector<int> cue_at(n, -1);  // the cue starting at each word
  for (size_t k = 0; k < cues.size(); ++k) {
    if (!cues[k].postfix_only) cue_at[cues[k].first] = static_cast<int>(k);
  }
  ScopeState s;
  for (size_t i = 0; i < n; ++i) {
    if (clause_start[i]) s = ScopeState();
    if (cue_at[i] >= 0) {
      const Cue& c = cues[static_cast<size_t>(cue_at[i])];
      const bool stated = s.active && s.role != Role::kContext;
      const bool adjacent = stated && s.cue->end == c.first &&
                            !w.separated[c.first - 1];
      const bool after_coordinator =
          c.first > 0 && (w.separated[c.first - 1] ||
                          IsCoordinator(*w.folded[c.first - 1]));
      const bool coordinated_cues = stated && after_coordinator &&
                                    !w.separated[c.first - 1] &&
                                    s.cue->end + 1 == c.first;
      const bool predicate =
          !c.participle || (c.first > 0 && !w.separated[c.first - 1] &&
                            IsCopula(*w.folded[c.first - 1])) ||
          (c.first > 1 && !w.separated[c.first - 1] &&
           !w.separated[c.first - 2] && IsCopula(*w.folded[c.first - 2]));
      if (c.background && stated && !predicate) {
        // "interested in tourism routes based on culture": no change.
      } else if (c.background) {
        s = ScopeState{true, &c, Role::kContext, c.negated, c.hedged};
      } else if (adjacent || (stated && *w.folded[c.first] == "to")) {
        // A complement, or a purpose ("has implemented a plan to improve
        // X"): the first cue decides.
        s.cue = &c;
      } else if (coordinated_cues || (stated && !after_coordinator)) {
        s.role = MergeRoles(s.role, c.role);
        s.negated = s.negated || c.negated;
        s.hedged = s.hedged || c.hedged;
        s.cue = &c;
      } else {
        s = ScopeState{true, &c, c.role, c.negated, c.hedged};
      }
    }
    state[i] = s;
  }
  return state;
}

}  // namespace

RoleParser::RoleParser(const Taxonomy& taxonomy, Language language)
    : cues_(PatternSet::MatchOn::kFoldedWords, kMaxCueGap, language) {
  auto add = [&](std::string_view cue, Role role, bool background) {
    if (cues_.Add(cue, static_cast<int>(cue_role_.size()))) {
      cue_role_.push_back(role);
      cue_is_background_.push_back(background);
    }
  };
  for (const std::string& cue : taxonomy.OfferCues(language)) {
    add(cue, Role::kOffer, false);
  }
  for (const std::string& cue : taxonomy.SeekCues(language)) {
    add(cue, Role::kSeek, false);
  }
  const bool english = language == Language::kEnglish;
  for (std::string_view marker : kBackgroundVerbs) {
    if (english) add(marker, Role::kContext, true);
  }
  participles_from_ = cue_role_.size();
  for (std::string_view marker : kBackgroundParticiples) {
    if (english) add(marker, Role::kContext, true);
  }
}

std::vector<SpanRole> RoleParser::Assign(const WordSequence& w,
                                         const std::vector<PhraseSpan>& spans,
                                         std::string_view place_name) const {
  const std::vector<Cue> cues =
      FindCues(cues_, cue_role_, cue_is_background_, participles_from_, w);

  const size_t n = w.size();
  std::vector<bool> clause_start(n);
  std::vector<size_t> clause(n);  // clause number of each word
  for (size_t i = 0, c = 0; i < n; ++i) {
    clause_start[i] = StartsClause(w, i);
    if (clause_start[i] && i > 0) ++c;
    clause[i] = c;
  }
  std::vector<bool> cue_start(n, false);
  for (const Cue& c : cues) cue_start[c.first] = !c.postfix_only;
  const std::set<std::string> proper = ProperNouns(w);
  const std::set<std::string> own =
      OwnName(w, clause_start, cue_start, proper, place_name);
  std::vector<bool> foreign(n, false);  // the word's clause is foreign
  for (size_t i = 0; i < n; ++i) {
    foreign[i] = clause_start[i] ? ForeignSubject(w, i, cue_start, proper, own)
                                 : foreign[i - 1];
  }

  const std::vector<ScopeState> state = ForwardScopes(w, cues, clause_start);
  std::vector<bool> inside_cue(n, false);  // after a cue's first word
  for (const Cue& c : cues) {
    for (size_t i = c.first + 1; i < c.end; ++i) inside_cue[i] = true;
  }

  std::vector<SpanRole> out;
  out.reserve(spans.size());
  for (const PhraseSpan& span : spans) {
    SpanRole r;
    const ScopeState& at = state[span.first];
    bool negated = at.active && at.negated;
    // Inside a cue ("its smart-city programme") the cue's state holds.
    const Cue* from = inside_cue[span.first] ? nullptr
                                              : PostfixCue(w, cues, span);
    if (from == nullptr && at.active && at.role != Role::kContext) {
      r.role = at.role;
      r.hedged = at.hedged;
    } else {
      if (from == nullptr) from = PredicativeCue(w, cues, clause, span);
      if (from != nullptr) {
        r.role = from->role;
        r.hedged = from->hedged;
        negated = negated || from->negated;
      }
    }
    r.counts = !negated && !foreign[span.first] &&
               !Preceded(w, span.first, span.first, kPhraseNegationWindow,
                         IsPhraseNegation);
    out.push_back(r);
  }
  return out;
}

}  // namespace pm
