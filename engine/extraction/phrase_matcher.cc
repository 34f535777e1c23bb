#include "engine/extraction/phrase_matcher.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <utility>

namespace pm {
namespace {

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

// True when `gap` (the text after a word) starts with a possessive "'s".
bool StartsPossessive(std::string_view gap) {
  for (std::string_view apostrophe : {"'", "\u2019"}) {
    if (gap.size() >= apostrophe.size() + 1 &&
        gap.substr(0, apostrophe.size()) == apostrophe &&
        (gap[apostrophe.size()] == 's' || gap[apostrophe.size()] == 'S')) {
      return gap.size() == apostrophe.size() + 1 ||
             !std::isalnum(static_cast<unsigned char>(gap[apostrophe.size() + 1]));
    }
  }
  return false;
}

// True when the word starts with an upper-case letter (ASCII, or a
// non-ASCII letter whose folded form differs: "Á" folds to "a").
bool StartsUpper(std::string_view word, const std::string& folded) {
  if (word.empty()) return false;
  const unsigned char c = static_cast<unsigned char>(word[0]);
  if (c < 0x80) return c >= 'A' && c <= 'Z';
  // Non-ASCII first letter: upper case when folding changed its bytes and
  // the word is not all upper case (acronyms count as capitalised too).
  return !folded.empty() && word.substr(0, 1) != folded.substr(0, 1);
}

}  // namespace

bool WordSequence::GapHas(size_t i, char separator) const {
  return i < gap.size() && gap[i].find(separator) != std::string_view::npos;
}

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

WordSequence CollectWords(std::string_view text, const AnalyzedText& analyzed) {
  WordSequence w;
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
    w.capitalised.push_back(StartsUpper(word, t.folded));
  }
  const size_t n = w.size();
  w.joined_stem.resize(n);
  w.joined_folded.resize(n);
  w.separated.assign(n, true);
  w.gap.assign(n, std::string_view());
  w.possessive.assign(n, false);
  for (size_t i = 0; i < n; ++i) {
    const Token& a = tokens[w.token[i]];
    const size_t gap_end = i + 1 < n ? tokens[w.token[i + 1]].begin
                                     : std::min(text.size(), a.end + 3);
    w.possessive[i] = StartsPossessive(text.substr(a.end, gap_end - a.end));
    if (i + 1 >= n) break;
    const Token& b = tokens[w.token[i + 1]];
    w.gap[i] = text.substr(a.end, b.begin - a.end);
    w.separated[i] = a.sentence != b.sentence || SeparatesWords(w.gap[i]);
    const bool tight_hyphen = w.token[i + 1] == w.token[i] + 2 &&
                              tokens[w.token[i] + 1].begin == a.end &&
                              tokens[w.token[i] + 1].end == b.begin;
    if (tight_hyphen) {
      w.joined_folded[i] = a.folded + b.folded;
      std::vector<std::string> stems =
          TextAnalyzer::PhraseStems(w.joined_folded[i], analyzed.language);
      if (stems.size() == 1) w.joined_stem[i] = std::move(stems[0]);
    }
  }
  return w;
}

PatternSet::PatternSet(MatchOn match_on, int max_gap, Language language)
    : match_on_(match_on), max_gap_(max_gap), language_(language) {}

namespace {

// The forms a phrase is matched in: the phrase itself and, when it has a
// hyphen between two words with no space around it, its closed form
// ("e-mobility" -> also "emobility").
std::vector<std::string> Variants(std::string_view phrase, Language language) {
  std::vector<std::string> out = {std::string(phrase)};
  const AnalyzedText analyzed = TextAnalyzer::Analyze(phrase, language);
  const std::vector<Token>& tokens = analyzed.tokens;
  std::string closed;
  bool has_tight_hyphen = false;
  size_t copied = 0;
  for (size_t i = 1; i + 1 < tokens.size(); ++i) {
    if (tokens[i].stem == "-" && tokens[i - 1].end == tokens[i].begin &&
        tokens[i].end == tokens[i + 1].begin && tokens[i - 1].stem != "-" &&
        tokens[i + 1].stem != "-") {
      closed.append(phrase.substr(copied, tokens[i].begin - copied));
      copied = tokens[i].end;
      has_tight_hyphen = true;
    }
  }
  if (has_tight_hyphen) {
    closed.append(phrase.substr(copied));
    out.push_back(std::move(closed));
  }
  return out;
}

}  // namespace

std::vector<std::vector<std::string>> PatternSet::Compile(
    std::string_view phrase) const {
  std::vector<std::vector<std::string>> out;
  for (const std::string& variant : Variants(phrase, language_)) {
    std::vector<std::string> words;
    for (const Token& t : TextAnalyzer::Analyze(variant, language_).tokens) {
      if (t.stem == "-") continue;
      words.push_back(match_on_ == MatchOn::kStems ? t.stem : t.folded);
    }
    if (!words.empty()) out.push_back(std::move(words));
  }
  return out;
}

bool PatternSet::Add(std::string_view phrase, int id, bool weak) {
  bool added = false;
  for (const std::string& variant : Variants(phrase, language_)) {
    Pattern p;
    p.id = id;
    p.weak = weak;
    for (const Token& t : TextAnalyzer::Analyze(variant, language_).tokens) {
      if (t.stem == "-") continue;
      p.words.push_back(match_on_ == MatchOn::kStems ? t.stem : t.folded);
      p.acronym.push_back(IsAcronym(
          std::string_view(variant).substr(t.begin, t.end - t.begin)));
    }
    if (p.words.empty()) continue;
    by_first_word_[p.words.front()].push_back(
        static_cast<int>(patterns_.size()));
    patterns_.push_back(std::move(p));
    added = true;
  }
  return added;
}

const std::string& PatternSet::WordAt(const WordSequence& w, size_t i) const {
  return match_on_ == MatchOn::kStems ? *w.stem[i] : *w.folded[i];
}

const std::string& PatternSet::JoinedAt(const WordSequence& w,
                                        size_t i) const {
  return match_on_ == MatchOn::kStems ? w.joined_stem[i] : w.joined_folded[i];
}

// Matches the pattern's words from `k` on, word `k` at `pos` or, for k > 0,
// up to max_gap_ words later; consecutive words must not be separated. A
// pattern word matches one text word, or two text words written "a-b" whose
// joined form it is ("co-operation" matches "cooperation"). On success sets
// `*end` (one past the last word used) and `*matched` (text words the
// pattern's own words used) and returns true.
bool PatternSet::MatchFrom(const Pattern& p, size_t k, const WordSequence& w,
                           size_t pos, size_t* end, size_t* matched) const {
  if (k == p.words.size()) {
    *end = pos;
    *matched = 0;
    return true;
  }
  const int max_skip = k == 0 ? 0 : max_gap_;
  for (int skip = 0; skip <= max_skip; ++skip) {
    const size_t at = pos + static_cast<size_t>(skip);
    if (at >= w.size()) return false;
    if (k > 0 && w.separated[at - 1]) return false;
    if (p.acronym[k] && w.lower[at]) continue;
    if (WordAt(w, at) == p.words[k] &&
        MatchFrom(p, k + 1, w, at + 1, end, matched)) {
      *matched += 1;
      return true;
    }
    const std::string& joined = JoinedAt(w, at);
    if (!joined.empty() && joined == p.words[k] &&
        !(p.acronym[k] && w.lower[at + 1]) &&
        MatchFrom(p, k + 1, w, at + 2, end, matched)) {
      *matched += 2;
      return true;
    }
  }
  return false;
}

std::vector<PatternMatch> PatternSet::FindEvery(const WordSequence& w) const {
  std::vector<PatternMatch> found;
  for (size_t pos = 0; pos < w.size(); ++pos) {
    for (const std::string* key : {&WordAt(w, pos), &JoinedAt(w, pos)}) {
      if (key->empty()) continue;
      auto it = by_first_word_.find(*key);
      if (it == by_first_word_.end()) continue;
      for (int index : it->second) {
        const Pattern& p = patterns_[static_cast<size_t>(index)];
        PatternMatch m;
        m.id = p.id;
        m.weak = p.weak;
        m.first = pos;
        if (MatchFrom(p, 0, w, pos, &m.end, &m.matched)) found.push_back(m);
      }
    }
  }
  return found;
}

std::vector<PatternMatch> PatternSet::FindAll(const WordSequence& w) const {
  std::vector<PatternMatch> candidates = FindEvery(w);
  // FindEvery yields matches by position, then by pattern index (the order
  // of Add) within one key: a stable sort keeps that as the last tie-break.
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const PatternMatch& a, const PatternMatch& b) {
                     // Words matched less gap words (cues only have gaps).
                     const auto score = [](const PatternMatch& m) {
                       return 2 * static_cast<int64_t>(m.matched) -
                              static_cast<int64_t>(m.end - m.first);
                     };
                     const int64_t a_score = score(a);
                     const int64_t b_score = score(b);
                     if (a_score != b_score) return a_score > b_score;
                     if (a.end - a.first != b.end - b.first) {
                       return a.end - a.first < b.end - b.first;
                     }
                     if (a.weak != b.weak) return !a.weak;
                     return a.first < b.first;
                   });
  std::vector<bool> used(w.size(), false);
  std::vector<PatternMatch> accepted;
  for (const PatternMatch& m : candidates) {
    if (std::any_of(used.begin() + static_cast<std::ptrdiff_t>(m.first),
                    used.begin() + static_cast<std::ptrdiff_t>(m.end),
                    [](bool u) { return u; })) {
      continue;
    }
    std::fill(used.begin() + static_cast<std::ptrdiff_t>(m.first),
              used.begin() + static_cast<std::ptrdiff_t>(m.end), true);
    accepted.push_back(m);
  }
  std::sort(accepted.begin(), accepted.end(),
            [](const PatternMatch& a, const PatternMatch& b) {
              return a.first < b.first;
            });
  return accepted;
}

}  // namespace pm
