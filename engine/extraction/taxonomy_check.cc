#include "engine/extraction/taxonomy_check.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "absl/strings/str_join.h"
#include "engine/extraction/phrase_matcher.h"
#include "engine/text/text_analyzer.h"

namespace pm {
namespace {

struct Entry {
  PhraseRef ref;
  int theme = 0;  // taxonomy index
};

// The extractor's preference between two phrases over the same words:
// strong before weak, then taxonomy order.
bool Preferred(const Entry& x, const Entry& y) {
  if (x.ref.weak != y.ref.weak) return !x.ref.weak;
  return x.theme < y.theme;
}

void FindClashes(const std::vector<Entry>& entries, const PatternSet& stems,
                 TaxonomyCheckReport* report) {
  // Stems -> the first entry compiling to them, per (theme, weak).
  std::map<std::vector<std::string>, std::vector<size_t>> by_stems;
  for (size_t i = 0; i < entries.size(); ++i) {
    for (const std::vector<std::string>& form :
         stems.Compile(entries[i].ref.phrase)) {
      std::vector<size_t>& list = by_stems[form];
      if (std::find(list.begin(), list.end(), i) == list.end()) {
        list.push_back(i);
      }
    }
  }
  std::set<std::pair<size_t, size_t>> reported;
  for (const auto& [form, list] : by_stems) {
    for (size_t x = 0; x < list.size(); ++x) {
      for (size_t y = x + 1; y < list.size(); ++y) {
        const Entry& a = entries[list[x]];
        const Entry& b = entries[list[y]];
        if (a.theme == b.theme && a.ref.weak == b.ref.weak) continue;
        if (!reported.insert({list[x], list[y]}).second) continue;
        PhraseClash clash;
        clash.stems = absl::StrJoin(form, " ");
        clash.a = Preferred(a, b) ? a.ref : b.ref;
        clash.b = Preferred(a, b) ? b.ref : a.ref;
        report->clashes.push_back(std::move(clash));
      }
    }
  }
}

}  // namespace

TaxonomyCheckReport CheckTaxonomy(
    const Taxonomy& taxonomy, const std::vector<std::string_view>& texts,
    const std::vector<std::string_view>& reference) {
  TaxonomyCheckReport report;
  report.texts = texts.size();

  std::vector<Entry> entries;
  PatternSet phrases(PatternSet::MatchOn::kStems, /*max_gap=*/0);
  for (size_t t = 0; t < taxonomy.themes().size(); ++t) {
    const Theme& theme = taxonomy.themes()[t];
    if (theme.definition.find_first_not_of(" \t\r\n") == std::string::npos) {
      report.themes_without_definition.push_back(theme.id);
    }
    for (bool weak : {false, true}) {
      for (const std::string& phrase :
           weak ? theme.weak_phrases : theme.phrases) {
        phrases.Add(phrase, static_cast<int>(entries.size()), weak);
        entries.push_back({{theme.id, phrase, weak}, static_cast<int>(t)});
      }
    }
  }
  report.phrases = entries.size();
  FindClashes(entries, phrases, &report);

  PatternSet cues(PatternSet::MatchOn::kFoldedWords, /*max_gap=*/2);
  std::vector<std::string> cue_text;
  std::map<std::vector<std::string>, std::string> offer_forms;
  for (const std::string& cue : taxonomy.offer_cues()) {
    cues.Add(cue, static_cast<int>(cue_text.size()));
    cue_text.push_back(cue);
    for (auto& form : cues.Compile(cue)) offer_forms.emplace(form, cue);
  }
  std::set<std::string> both;
  for (const std::string& cue : taxonomy.seek_cues()) {
    cues.Add(cue, static_cast<int>(cue_text.size()));
    cue_text.push_back(cue);
    for (auto& form : cues.Compile(cue)) {
      auto it = offer_forms.find(form);
      if (it != offer_forms.end() && both.insert(it->second).second) {
        report.cues_in_both_lists.push_back(it->second);
      }
    }
  }
  report.cues = cue_text.size();

  std::vector<bool> phrase_used(entries.size(), false);
  std::vector<bool> cue_used(cue_text.size(), false);
  // Per phrase, the texts it matches in (each once).
  std::vector<std::vector<size_t>> phrase_texts(entries.size());
  for (size_t i = 0; i < texts.size(); ++i) {
    const std::string_view text = texts[i];
    const AnalyzedText analyzed = TextAnalyzer::Analyze(text);
    const WordSequence w = CollectWords(text, analyzed);
    for (const PatternMatch& m : phrases.FindEvery(w)) {
      const auto id = static_cast<size_t>(m.id);
      phrase_used[id] = true;
      if (phrase_texts[id].empty() || phrase_texts[id].back() != i) {
        phrase_texts[id].push_back(i);
      }
    }
    for (const PatternMatch& m : cues.FindEvery(w)) {
      cue_used[static_cast<size_t>(m.id)] = true;
    }
  }
  for (size_t i = 0; i < entries.size(); ++i) {
    if (!phrase_used[i]) report.unused_phrases.push_back(entries[i].ref);
  }
  for (size_t i = 0; i < cue_text.size(); ++i) {
    if (!cue_used[i]) report.unused_cues.push_back(cue_text[i]);
  }
  report.reference_texts = reference.size();
  if (reference.empty()) return report;
  std::vector<bool> in_reference(entries.size(), false);
  for (std::string_view text : reference) {
    const AnalyzedText analyzed = TextAnalyzer::Analyze(text);
    for (const PatternMatch& m :
         phrases.FindEvery(CollectWords(text, analyzed))) {
      in_reference[static_cast<size_t>(m.id)] = true;
    }
  }
  for (size_t i = 0; i < entries.size(); ++i) {
    if (phrase_used[i] && !in_reference[i]) {
      report.phrases_only_in_texts.push_back({entries[i].ref, phrase_texts[i]});
    }
  }
  return report;
}

}  // namespace pm
