#include "engine/extraction/theme_extractor.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/text/text_analyzer.h"

namespace pm {
namespace {

// ---- Weights (see the header) ----

// Strength of one occurrence whose sentence gives it a role (offer or seek).
constexpr double kRoleStrength = 1.0;
// Strength of one occurrence with role context (no cue, or a negated cue).
constexpr double kContextStrength = 0.4;
// Factor for an occurrence of a weak phrase.
constexpr double kWeakFactor = 0.3;
// Each further occurrence of the same phrase counts this much less than the
// one before it (repeats are not independent evidence).
constexpr double kRepeatFactor = 0.5;
// A theme found only through weak phrases weighs at most this.
constexpr double kWeakOnlyCap = 0.2;

// ---- Matching limits ----

// Cue words may be separated by up to this many other words ("has extensive
// experience in" matches the cue "has experience in").
constexpr int kMaxCueGap = 2;
// Words before a cue searched for a negation ("is not yet interested in").
constexpr int kNegationWindow = 3;
// Words before a theme phrase searched for a negation ("but not in energy").
constexpr int kPhraseNegationWindow = 2;

// Folded words that negate a cue right after them or inside its gaps ("is
// not interested in", "has no experience in", "lacks experience in").
bool NegatesCue(std::string_view folded) {
  static constexpr std::string_view kNegations[] = {
      "not",   "no",     "never",  "without", "nor",    "neither", "cannot",
      "cant",  "dont",   "doesnt", "didnt",   "isnt",   "arent",   "wasnt",
      "hasnt", "havent", "lack",   "lacks",   "lacking"};
  return std::find(std::begin(kNegations), std::end(kNegations), folded) !=
         std::end(kNegations);
}

// Folded words that negate a theme phrase right after them ("but not in
// energy", "nor energy"). Fewer than for cues: "the lack of green spaces"
// and "with no landfill" name a need, not its absence.
bool NegatesPhrase(std::string_view folded) {
  return folded == "not" || folded == "nor" || folded == "neither";
}

// True when `word` is written as an acronym: at least two characters, an
// upper-case ASCII letter, no lower-case one ("NBS", "RIS3", "IT").
bool IsAcronym(std::string_view word) {
  if (word.size() < 2) return false;
  bool upper = false;
  for (char c : word) {
    if (c >= 'a' && c <= 'z') return false;
    if (static_cast<unsigned char>(c) >= 0x80) return false;
    if (c >= 'A' && c <= 'Z') upper = true;
  }
  return upper;
}

// True when the text between two words holds punctuation that separates
// them ("water, efficiency" is not "water efficiency"). White space, hyphens
// and apostrophes (with a possessive "s") do not separate.
bool SeparatesWords(std::string_view gap) {
  static constexpr std::string_view kSeparators[] = {
      "\u2013", "\u2014", "\u2026", "\u2018", "\u201C",
      "\u201D", "\u00AB", "\u00BB", "\u2022", "\u00B7"};
  for (size_t i = 0; i < gap.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(gap[i]);
    if (c < 0x80) {
      if (c == '-' || c == '\'') continue;
      if ((c >= '!' && c <= '/') || (c >= ':' && c <= '@') ||
          (c >= '[' && c <= '`') || (c >= '{' && c <= '~')) {
        return true;
      }
      continue;
    }
    for (std::string_view s : kSeparators) {
      if (gap.compare(i, s.size(), s) == 0) return true;
    }
  }
  return false;
}

// A phrase or cue compiled to the stems of its words ("-" dropped, so
// hyphenated and spaced forms match alike).
struct Pattern {
  std::vector<std::string> stems;
  std::vector<bool> acronym;   // per stem: the text word must not be lower-case
  int source = 0;              // the phrase it came from (variants share it)
  int theme = -1;              // theme phrases: index into the taxonomy
  bool weak = false;           // a weak phrase
  Role role = Role::kContext;  // cues: kOffer or kSeek
};

// Compiles `phrase` and, when it has a hyphen between two words, its closed
// form ("e-mobility" -> also "emobility").
void Compile(std::string_view phrase, Pattern base, std::vector<Pattern>* out) {
  auto compile_one = [&](std::string_view text) {
    const AnalyzedText analyzed = TextAnalyzer::Analyze(text);
    Pattern p = base;
    for (const Token& t : analyzed.tokens) {
      if (t.stem == "-") continue;
      p.stems.push_back(t.stem);
      p.acronym.push_back(IsAcronym(text.substr(t.begin, t.end - t.begin)));
    }
    if (!p.stems.empty()) out->push_back(std::move(p));
    return analyzed;
  };
  const AnalyzedText analyzed = compile_one(phrase);
  std::string closed;
  bool has_tight_hyphen = false;
  size_t copied = 0;
  const std::vector<Token>& tokens = analyzed.tokens;
  for (size_t i = 1; i + 1 < tokens.size(); ++i) {
    if (tokens[i].stem == "-" && tokens[i - 1].end == tokens[i].begin &&
        tokens[i].end == tokens[i + 1].begin && tokens[i - 1].stem != "-" &&
        tokens[i + 1].stem != "-") {
      closed.append(phrase.substr(copied, tokens[i].begin - copied));
      copied = tokens[i].end;
      has_tight_hyphen = true;
    }
  }
  if (!has_tight_hyphen) return;
  closed.append(phrase.substr(copied));
  compile_one(closed);
}

using PatternIndex = std::unordered_map<std::string, std::vector<int>>;

PatternIndex IndexByFirstStem(const std::vector<Pattern>& patterns) {
  PatternIndex index;
  for (size_t i = 0; i < patterns.size(); ++i) {
    index[patterns[i].stems.front()].push_back(static_cast<int>(i));
  }
  return index;
}

// The words of a text (tokens other than "-"), as the matcher sees them.
struct Words {
  std::vector<size_t> token;  // index into AnalyzedText::tokens
  std::vector<const std::string*> stem;
  std::vector<const std::string*> folded;
  std::vector<std::string> joined;  // stem of word i and word i+1 written
                                    // "a-b" as one word, else empty
  std::vector<bool> lower;          // has a lower-case ASCII letter
  std::vector<bool> separated;      // word i+1 is in another sentence, or
                                    // punctuation stands between them
  std::vector<size_t> sentence;

  size_t size() const { return token.size(); }
};

Words CollectWords(std::string_view text, const AnalyzedText& analyzed) {
  Words w;
  const std::vector<Token>& tokens = analyzed.tokens;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const Token& t = tokens[i];
    if (t.stem == "-") continue;
    w.token.push_back(i);
    w.stem.push_back(&t.stem);
    w.folded.push_back(&t.folded);
    w.sentence.push_back(t.sentence);
    const std::string_view word = text.substr(t.begin, t.end - t.begin);
    w.lower.push_back(std::any_of(word.begin(), word.end(),
                                  [](char c) { return c >= 'a' && c <= 'z'; }));
  }
  const size_t n = w.size();
  w.joined.resize(n);
  w.separated.assign(n, true);
  for (size_t i = 0; i + 1 < n; ++i) {
    const Token& a = tokens[w.token[i]];
    const Token& b = tokens[w.token[i + 1]];
    w.separated[i] = a.sentence != b.sentence ||
                     SeparatesWords(text.substr(a.end, b.begin - a.end));
    const bool tight_hyphen = w.token[i + 1] == w.token[i] + 2 &&
                              tokens[w.token[i] + 1].begin == a.end &&
                              tokens[w.token[i] + 1].end == b.begin;
    if (tight_hyphen) {
      std::vector<std::string> stems =
          TextAnalyzer::PhraseStems(a.folded + b.folded);
      if (stems.size() == 1) w.joined[i] = std::move(stems[0]);
    }
  }
  return w;
}

// Matches the pattern's words from `k` on, word `k` at `pos` or, for k > 0,
// up to `gap` words later; consecutive words must not be separated. A
// pattern word matches one text word with its stem, or two text words
// written "a-b" whose joined form has its stem ("co-operation" matches
// "cooperation"). On success sets `*end` (one past the last word used) and
// `*matched` (text words the pattern's own words used) and returns true.
bool MatchFrom(const Pattern& p, size_t k, const Words& w, size_t pos, int gap,
               size_t* end, size_t* matched) {
  if (k == p.stems.size()) {
    *end = pos;
    *matched = 0;
    return true;
  }
  const int max_skip = k == 0 ? 0 : gap;
  for (int skip = 0; skip <= max_skip; ++skip) {
    const size_t at = pos + static_cast<size_t>(skip);
    if (at >= w.size()) return false;
    if (k > 0 && w.separated[at - 1]) return false;
    if (p.acronym[k] && w.lower[at]) continue;
    if (*w.stem[at] == p.stems[k] &&
        MatchFrom(p, k + 1, w, at + 1, gap, end, matched)) {
      *matched += 1;
      return true;
    }
    if (!w.joined[at].empty() && w.joined[at] == p.stems[k] &&
        !(p.acronym[k] && w.lower[at + 1]) &&
        MatchFrom(p, k + 1, w, at + 2, gap, end, matched)) {
      *matched += 2;
      return true;
    }
  }
  return false;
}

// One match of a pattern: words [first, end), `matched` of them used by the
// pattern's own words (the rest are cue gaps).
struct Match {
  int pattern = 0;
  size_t first = 0;
  size_t end = 0;
  size_t matched = 0;
};

// All matches of `patterns` in `w`, longest first (most words matched, less
// one per gap word; then fewest gap words, strong before weak, earlier,
// taxonomy order), each word used by at most one match. In text order.
std::vector<Match> FindMatches(const std::vector<Pattern>& patterns,
                               const PatternIndex& index, const Words& w,
                               int gap) {
  std::vector<Match> candidates;
  for (size_t pos = 0; pos < w.size(); ++pos) {
    for (const std::string* key : {w.stem[pos], &w.joined[pos]}) {
      if (key->empty()) continue;
      auto it = index.find(*key);
      if (it == index.end()) continue;
      for (int pattern : it->second) {
        Match m;
        m.pattern = pattern;
        m.first = pos;
        if (MatchFrom(patterns[pattern], 0, w, pos, gap, &m.end, &m.matched)) {
          candidates.push_back(m);
        }
      }
    }
  }
  std::sort(candidates.begin(), candidates.end(),
            [&](const Match& a, const Match& b) {
              // Words matched less gap words (cues only have gaps).
              const auto score = [](const Match& m) {
                return 2 * static_cast<int64_t>(m.matched) -
                       static_cast<int64_t>(m.end - m.first);
              };
              const int64_t a_score = score(a);
              const int64_t b_score = score(b);
              if (a_score != b_score) return a_score > b_score;
              if (a.end - a.first != b.end - b.first) {
                return a.end - a.first < b.end - b.first;
              }
              const bool a_weak = patterns[a.pattern].weak;
              const bool b_weak = patterns[b.pattern].weak;
              if (a_weak != b_weak) return !a_weak;
              if (a.first != b.first) return a.first < b.first;
              return a.pattern < b.pattern;
            });
  std::vector<bool> used(w.size(), false);
  std::vector<Match> accepted;
  for (const Match& m : candidates) {
    if (std::any_of(used.begin() + m.first, used.begin() + m.end,
                    [](bool u) { return u; })) {
      continue;
    }
    std::fill(used.begin() + m.first, used.begin() + m.end, true);
    accepted.push_back(m);
  }
  std::sort(accepted.begin(), accepted.end(),
            [](const Match& a, const Match& b) { return a.first < b.first; });
  return accepted;
}

// True when word `i` negates what follows (`negates` tells which words do;
// "not only" never does).
bool NegatesAt(const Words& w, size_t i, bool (*negates)(std::string_view)) {
  if (!negates(*w.folded[i])) return false;
  return !(*w.folded[i] == "not" && i + 1 < w.size() &&
           *w.folded[i + 1] == "only");
}

// True when a negation stands among the `window` words before word `first`
// (same sentence, no punctuation in between) or in [first, end).
bool Negated(const Words& w, size_t first, size_t end, int window,
             bool (*negates)(std::string_view)) {
  for (size_t i = first; i < end; ++i) {
    if (NegatesAt(w, i, negates)) return true;
  }
  size_t i = first;
  for (int steps = 0; steps < window && i > 0 && !w.separated[i - 1]; ++steps) {
    --i;
    if (NegatesAt(w, i, negates)) return true;
  }
  return false;
}

// A cue found in the text.
struct CueMatch {
  size_t first = 0;  // words [first, end)
  size_t end = 0;
  size_t sentence = 0;
  Role role = Role::kContext;  // kContext when negated
};

// The cues of `w`, in text order, negated ones with role context.
std::vector<CueMatch> FindCues(const std::vector<Pattern>& patterns,
                               const PatternIndex& index, const Words& w) {
  std::vector<CueMatch> cues;
  for (const Match& m : FindMatches(patterns, index, w, kMaxCueGap)) {
    CueMatch c;
    c.first = m.first;
    c.end = m.end;
    c.sentence = w.sentence[m.first];
    c.role = Negated(w, m.first, m.end, kNegationWindow, NegatesCue)
                 ? Role::kContext
                 : patterns[m.pattern].role;
    cues.push_back(c);
  }
  return cues;
}

// The role the cues give a phrase at words [first, end) in `sentence`: the
// nearest cue ending before it, else the first cue starting after it, else
// context. A cue right after another one (no word or punctuation between)
// is the complement of the first, which decides: "is interested in working
// on X" seeks X although "works on" is an offer cue. `cues` are in text
// order and do not overlap.
Role RoleFromCues(const std::vector<CueMatch>& cues, const Words& w,
                  size_t sentence, size_t first, size_t end) {
  int before = -1;
  int after = -1;
  for (size_t i = 0; i < cues.size(); ++i) {
    const CueMatch& c = cues[i];
    if (c.sentence != sentence) continue;
    if (c.end <= first) before = static_cast<int>(i);  // later ones are nearer
    if (c.first >= end && after < 0) after = static_cast<int>(i);
  }
  if (before >= 0) {
    while (before > 0 && cues[before - 1].end == cues[before].first &&
           !w.separated[cues[before].first - 1]) {
      --before;
    }
    return cues[before].role;
  }
  if (after >= 0) return cues[after].role;
  return Role::kContext;
}

}  // namespace

struct ThemeExtractor::Compiled {
  std::vector<Pattern> phrases;  // theme phrases, strong and weak
  std::vector<Pattern> cues;     // offer and seek cues
  PatternIndex phrase_index;     // first stem -> indices into `phrases`
  PatternIndex cue_index;        // first stem -> indices into `cues`
};

ThemeExtractor::ThemeExtractor(std::shared_ptr<const Taxonomy> taxonomy)
    : taxonomy_(std::move(taxonomy)) {
  assert(taxonomy_ != nullptr);
  auto compiled = std::make_unique<Compiled>();
  int source = 0;
  const std::vector<Theme>& themes = taxonomy_->themes();
  for (size_t t = 0; t < themes.size(); ++t) {
    Pattern base;
    base.theme = static_cast<int>(t);
    for (const std::string& phrase : themes[t].phrases) {
      base.source = source++;
      Compile(phrase, base, &compiled->phrases);
    }
    base.weak = true;
    for (const std::string& phrase : themes[t].weak_phrases) {
      base.source = source++;
      Compile(phrase, base, &compiled->phrases);
    }
  }
  for (const auto& [cues, role] :
       {std::pair{&taxonomy_->offer_cues(), Role::kOffer},
        std::pair{&taxonomy_->seek_cues(), Role::kSeek}}) {
    for (const std::string& cue : *cues) {
      Pattern base;
      base.source = source++;
      base.role = role;
      Compile(cue, base, &compiled->cues);
    }
  }
  compiled->phrase_index = IndexByFirstStem(compiled->phrases);
  compiled->cue_index = IndexByFirstStem(compiled->cues);
  compiled_ = std::move(compiled);
}

ThemeExtractor::~ThemeExtractor() = default;

Extraction ThemeExtractor::Extract(std::string_view text) const {
  const AnalyzedText analyzed = TextAnalyzer::Analyze(text);
  const Words w = CollectWords(text, analyzed);

  const std::vector<CueMatch> cues =
      FindCues(compiled_->cues, compiled_->cue_index, w);

  struct ThemeState {
    ThemeInterest interest;
    double strength = 0.0;
    bool strong = false;      // has a non-weak occurrence
    std::map<int, int> seen;  // phrase source -> occurrences so far
  };
  std::vector<ThemeState> states(taxonomy_->themes().size());
  for (const Match& m :
       FindMatches(compiled_->phrases, compiled_->phrase_index, w, /*gap=*/0)) {
    const Pattern& p = compiled_->phrases[m.pattern];
    const size_t sentence = w.sentence[m.first];
    Role role = RoleFromCues(cues, w, sentence, m.first, m.end);
    // "... but not energy", "not in energy": the phrase itself is negated.
    if (role != Role::kContext &&
        Negated(w, m.first, m.first, kPhraseNegationWindow, NegatesPhrase)) {
      role = Role::kContext;
    }
    Evidence e;
    e.begin = analyzed.tokens[w.token[m.first]].begin;
    e.end = analyzed.tokens[w.token[m.end - 1]].end;
    e.sentence_begin = analyzed.sentences[sentence].begin;
    e.sentence_end = analyzed.sentences[sentence].end;
    e.role = role;
    e.weak = p.weak;

    ThemeState& state = states[p.theme];
    const int repeats = state.seen[p.source]++;
    state.strength +=
        (role == Role::kContext ? kContextStrength : kRoleStrength) *
        (p.weak ? kWeakFactor : 1.0) * std::pow(kRepeatFactor, repeats);
    state.strong = state.strong || !p.weak;
    state.interest.role = MergeRoles(state.interest.role, role);
    state.interest.evidence.push_back(e);
  }

  Extraction extraction;
  for (size_t t = 0; t < states.size(); ++t) {
    ThemeState& state = states[t];
    if (state.interest.evidence.empty()) continue;
    double weight = 1.0 - std::exp(-state.strength);
    if (!state.strong) weight = std::min(weight, kWeakOnlyCap);
    state.interest.theme = static_cast<int>(t);
    state.interest.weight = std::clamp(weight, 1e-9, 1.0);
    extraction.themes.push_back(std::move(state.interest));
  }
  return extraction;
}

}  // namespace pm
