#include "engine/extraction/theme_extractor.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <functional>
#include <iterator>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "engine/extraction/phrase_matcher.h"
#include "engine/extraction/role_parser.h"
#include "engine/text/language_detector.h"
#include "engine/text/text_analyzer.h"

namespace pm {
namespace {

// ---- Weights (see the header) ----

// Strength of a mention with role offer, seek or both.
constexpr double kStatedStrength = 1.0;
// Strength of a mention with role context (a background fact).
constexpr double kContextStrength = 0.4;
// Factor for a mention of a weak phrase.
constexpr double kWeakFactor = 0.3;
// Factor for a hedged mention ("may be interested in").
constexpr double kHedgeFactor = 0.5;
// Each further mention of the same phrase, or of the same theme in one
// sentence, counts this much less than the one before it.
constexpr double kRepeatFactor = 0.5;
// A theme without a stated mention weighs at most this.
constexpr double kContextOnlyCap = 0.5;

// The sum of a theme's mention strengths, grouped by sentence: within a
// sentence the strongest mention counts fully, the next half as much, and
// so on. Sorts each group.
double TotalStrength(std::map<size_t, std::vector<double>>* by_sentence) {
  double total = 0.0;
  for (auto& [sentence, strengths] : *by_sentence) {
    std::sort(strengths.begin(), strengths.end(), std::greater<double>());
    for (size_t k = 0; k < strengths.size(); ++k) {
      total += strengths[k] * std::pow(kRepeatFactor, static_cast<double>(k));
    }
  }
  return total;
}

}  // namespace

struct ThemeExtractor::Compiled {
  Compiled(const Taxonomy& taxonomy, Language language)
      : language(language),
        phrases(PatternSet::MatchOn::kStems, /*max_gap=*/0, language),
        roles(taxonomy, language) {}

  Language language;

  PatternSet phrases;           // id: index into `theme_of`
  std::vector<int> theme_of;    // phrase id -> theme index
  // Stems of each strong phrase (and its closed form) -> phrase id.
  std::map<std::vector<std::string>, int> strong_by_stems;
  std::vector<std::vector<std::string>> stems_of;  // phrase id -> stems
  RoleParser roles;
};

namespace {

// Marks as weak a strong match that directly modifies a strong match of
// another theme: nothing but white space or a hyphen between them
// ("gender-equal urban planning", "low-carbon mobility"): the head names
// the theme, the modifier one aspect of it.
void WeakenModifiers(const WordSequence& w, const std::vector<int>& theme_of,
                     std::vector<PatternMatch>* matches) {
  for (size_t i = 0; i + 1 < matches->size(); ++i) {
    PatternMatch& m = (*matches)[i];
    const PatternMatch& head = (*matches)[i + 1];
    if (m.weak || head.weak || head.first != m.end || w.separated[m.end - 1] ||
        theme_of[static_cast<size_t>(m.id)] ==
            theme_of[static_cast<size_t>(head.id)]) {
      continue;
    }
    m.weak = true;
  }
}

// Elliptic coordination: "water and waste management" names water
// management too. For a strong match of two or more words preceded by
// "and" / "or" and a word that no strong match uses, when that word with
// the match's other words is a strong phrase, adds a match of that phrase
// over the word (replacing a weak match there). Returns, for each match of
// the result, the index in `*matches` of the match whose role it shares, or
// -1 for the original matches. Keeps text order.
std::vector<int> AddElliptic(
    const WordSequence& w,
    const std::map<std::vector<std::string>, int>& strong_by_stems,
    const std::vector<std::vector<std::string>>& stems_of,
    std::vector<PatternMatch>* matches) {
  std::vector<PatternMatch> out;
  std::vector<int> partner;
  for (size_t i = 0; i < matches->size(); ++i) {
    const PatternMatch& m = (*matches)[i];
    const std::vector<std::string>& stems = stems_of[static_cast<size_t>(m.id)];
    if (!m.weak && stems.size() >= 2 && m.first >= 2 &&
        !w.separated[m.first - 1] && !w.separated[m.first - 2] &&
        (*w.folded[m.first - 1] == "and" || *w.folded[m.first - 1] == "or")) {
      const size_t word = m.first - 2;
      const bool taken =
          !out.empty() && out.back().end > word && !out.back().weak;
      std::vector<std::string> elided = stems;
      elided[0] = *w.stem[word];
      auto it = strong_by_stems.find(elided);
      if (!taken && it != strong_by_stems.end()) {
        if (!out.empty() && out.back().end > word) {  // a weak match there
          out.pop_back();
          partner.pop_back();
        }
        PatternMatch e;
        e.id = it->second;
        e.first = word;
        e.end = word + 1;
        e.matched = 1;
        out.push_back(e);
        partner.push_back(static_cast<int>(i));
      }
    }
    out.push_back(m);
    partner.push_back(-1);
  }
  // Partners index the original matches; map them to positions in `out`.
  std::vector<int> position(matches->size());
  for (size_t k = 0, i = 0; k < out.size(); ++k) {
    if (partner[k] < 0) position[i++] = static_cast<int>(k);
  }
  for (int& p : partner) {
    if (p >= 0) p = position[static_cast<size_t>(p)];
  }
  *matches = std::move(out);
  return partner;
}

}  // namespace

ThemeExtractor::ThemeExtractor(std::shared_ptr<const Taxonomy> taxonomy)
    : taxonomy_(std::move(taxonomy)) {
  assert(taxonomy_ != nullptr);
  compiled_.resize(std::size(kLanguages));
  for (Language language : taxonomy_->languages()) {
    compiled_[static_cast<size_t>(language)] = Compile(language);
  }
}

std::unique_ptr<const ThemeExtractor::Compiled> ThemeExtractor::Compile(
    Language language) const {
  auto compiled = std::make_unique<Compiled>(*taxonomy_, language);
  for (int t = 0; t < taxonomy_->size(); ++t) {
    for (bool weak : {false, true}) {
      for (const std::string& phrase : taxonomy_->Phrases(t, language, weak)) {
        const int id = static_cast<int>(compiled->theme_of.size());
        compiled->theme_of.push_back(t);
        compiled->phrases.Add(phrase, id, weak);
        const std::vector<std::vector<std::string>> forms =
            compiled->phrases.Compile(phrase);
        compiled->stems_of.push_back(forms.empty() ? std::vector<std::string>()
                                                   : forms.front());
        if (weak) continue;
        for (const std::vector<std::string>& stems : forms) {
          compiled->strong_by_stems.emplace(stems, id);
        }
      }
    }
  }
  return compiled;
}

ThemeExtractor::~ThemeExtractor() = default;

Extraction ThemeExtractor::Extract(std::string_view text,
                                   std::string_view place_name,
                                   std::optional<Language> language) const {
  const Language wanted =
      language ? *language : LanguageDetector::Installed().Detect(text);
  const Compiled* compiled = compiled_[static_cast<size_t>(wanted)].get();
  if (compiled == nullptr) {
    compiled = compiled_[static_cast<size_t>(Language::kEnglish)].get();
  }
  const AnalyzedText analyzed = TextAnalyzer::Analyze(text, compiled->language);
  const WordSequence w = CollectWords(text, analyzed);
  std::vector<PatternMatch> matches = compiled->phrases.FindAll(w);
  WeakenModifiers(w, compiled->theme_of, &matches);
  const std::vector<int> partner = AddElliptic(
      w, compiled->strong_by_stems, compiled->stems_of, &matches);
  std::vector<PhraseSpan> spans;
  spans.reserve(matches.size());
  for (const PatternMatch& m : matches) spans.push_back({m.first, m.end});
  std::vector<SpanRole> roles = compiled->roles.Assign(w, spans, place_name);
  for (size_t i = 0; i < roles.size(); ++i) {
    if (partner[i] >= 0) roles[i] = roles[static_cast<size_t>(partner[i])];
  }

  struct ThemeState {
    ThemeInterest interest;
    bool strong = false;  // has a mention of a strong phrase
    bool stated = false;  // has a strong mention with a role
    std::map<int, int> phrase_seen;  // phrase id -> mentions so far
    // Sentence -> strengths of the theme's mentions in it.
    std::map<size_t, std::vector<double>> by_sentence;
  };
  std::vector<ThemeState> states(taxonomy_->themes().size());
  for (size_t i = 0; i < matches.size(); ++i) {
    const PatternMatch& m = matches[i];
    const SpanRole& r = roles[i];
    if (!r.counts) continue;
    const size_t sentence = w.sentence[m.first];
    Evidence e;
    e.begin = analyzed.tokens[w.token[m.first]].begin;
    e.end = analyzed.tokens[w.token[m.end - 1]].end;
    e.sentence_begin = analyzed.sentences[sentence].begin;
    e.sentence_end = analyzed.sentences[sentence].end;
    e.role = r.role;
    e.weak = m.weak;

    const int theme = compiled->theme_of[static_cast<size_t>(m.id)];
    ThemeState& state = states[static_cast<size_t>(theme)];
    const int repeats = state.phrase_seen[m.id]++;
    state.by_sentence[sentence].push_back(
        (r.role == Role::kContext ? kContextStrength : kStatedStrength) *
        (m.weak ? kWeakFactor : 1.0) * (r.hedged ? kHedgeFactor : 1.0) *
        std::pow(kRepeatFactor, repeats));
    if (!m.weak) {
      state.strong = true;
      state.stated = state.stated || r.role != Role::kContext;
      state.interest.role = MergeRoles(state.interest.role, r.role);
    }
    state.interest.evidence.push_back(e);
  }

  Extraction extraction;
  extraction.language = compiled->language;
  for (size_t t = 0; t < states.size(); ++t) {
    ThemeState& state = states[t];
    if (!state.strong) continue;
    double weight = 1.0 - std::exp(-TotalStrength(&state.by_sentence));
    if (!state.stated) weight = std::min(weight, kContextOnlyCap);
    state.interest.theme = static_cast<int>(t);
    state.interest.weight = std::clamp(weight, 1e-9, 1.0);
    extraction.themes.push_back(std::move(state.interest));
  }
  return extraction;
}

}  // namespace pm
