// The theme taxonomy: theme ids, labels, definitions and phrases, and the cue
// phrases that give a theme its role, in English and in other languages.
// Loaded from the proto3 JSON of the Taxonomy message (data/taxonomy.json)
// and of TaxonomyLanguage messages (data/taxonomy_<code>.json).
#ifndef PARTNER_MATCH_ENGINE_TAXONOMY_TAXONOMY_H_
#define PARTNER_MATCH_ENGINE_TAXONOMY_TAXONOMY_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/model/language.h"

namespace pm {

struct Theme {
  std::string id;  // e.g. "water"
  std::string label;
  std::string definition;
  std::vector<std::string> phrases;       // prove the theme on their own
  std::vector<std::string> weak_phrases;  // weak support only
};

// One theme's phrases in a language other than English.
struct ThemePhrases {
  std::vector<std::string> phrases;       // prove the theme on their own
  std::vector<std::string> weak_phrases;  // weak support only
};

// Immutable once loaded; safe to share between threads.
class Taxonomy {
 public:
  // Parses the proto3 JSON of partnermatch.v1.Taxonomy (unknown fields are
  // refused). On error returns INVALID_ARGUMENT with a message starting with
  // "<source>: " and naming the theme id or the field:
  //   malformed JSON or an unknown field: "malformed taxonomy JSON: ...";
  //   no themes at all: "the taxonomy has no themes";
  //   "themes[I] has an empty id"; "themes[I]: duplicate theme id \"ID\"";
  //   a theme without phrases: "theme \"ID\": no phrases";
  //   an empty phrase (one without a letter or digit, such as "" or "-"):
  //   "theme \"ID\": phrases[K] \"TEXT\" has no words", likewise for
  //   weak_phrases, and "offer_cues[K] ..." / "seek_cues[K] ..." for cues.
  static absl::StatusOr<Taxonomy> ParseJson(std::string_view json,
                                            std::string_view source);
  // The bundled default taxonomy (data/taxonomy.json compiled in), parsed
  // once on first use. Aborts the process with a message on stderr if the
  // bundled file does not parse (a build defect, not an input error).
  static const Taxonomy& Bundled();

  // Adds the phrases and cues of one language other than English: the
  // proto3 JSON of partnermatch.v1.TaxonomyLanguage. On error returns
  // INVALID_ARGUMENT with a message starting with "<source>: ", adding
  // nothing: malformed JSON; "unknown language \"X\"" (not a code of
  // kLanguages, or "en": English phrases are the themes' own); "language
  // \"X\" given twice"; "themes[I]: unknown theme id \"ID\""; "themes[I]:
  // duplicate theme id \"ID\""; an empty phrase or cue, as for ParseJson.
  absl::Status AddLanguageJson(std::string_view json, std::string_view source);

  const std::vector<Theme>& themes() const { return themes_; }
  int size() const { return static_cast<int>(themes_.size()); }
  // Index of the theme with this id, or -1.
  int IndexOf(std::string_view id) const;

  const std::vector<std::string>& offer_cues() const { return offer_cues_; }
  const std::vector<std::string>& seek_cues() const { return seek_cues_; }

  // The languages the taxonomy has phrases in: English, then those added
  // with AddLanguageJson, in kLanguages order.
  std::vector<Language> languages() const;
  bool HasLanguage(Language language) const;
  // Theme `theme`'s phrases (weak ones with `weak`) in `language`: for
  // English the Theme's own; empty when the language has none.
  const std::vector<std::string>& Phrases(int theme, Language language,
                                          bool weak) const;
  // The offer or seek cues in `language`: for English offer_cues() and
  // seek_cues(); empty when the language has none.
  const std::vector<std::string>& OfferCues(Language language) const;
  const std::vector<std::string>& SeekCues(Language language) const;

 private:
  // The phrases and cues of one language other than English.
  struct Vocabulary {
    std::vector<ThemePhrases> themes;  // by theme index
    std::vector<std::string> offer_cues;
    std::vector<std::string> seek_cues;
  };

  std::vector<Theme> themes_;
  std::vector<std::string> offer_cues_;
  std::vector<std::string> seek_cues_;
  std::map<Language, Vocabulary> vocabularies_;  // English not included
};

}  // namespace pm

#endif  // PARTNER_MATCH_ENGINE_TAXONOMY_TAXONOMY_H_
