#include "engine/taxonomy/taxonomy.h"

#include <google/protobuf/util/json_util.h>

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "engine/common/bundled_file.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "data/bundled_data.h"
#include "engine/common/status_macros.h"
#include "engine/text/text_analyzer.h"
#include "partnermatch/v1/partner_match.pb.h"

namespace pm {
namespace {

// True when `phrase` has a word (a letter or digit); "", " " and "-" do not.
bool HasWord(std::string_view phrase) {
  for (const std::string& stem : TextAnalyzer::PhraseStems(phrase)) {
    if (stem != "-") return true;
  }
  return false;
}

// Checks every entry of `phrases` (named `field` in messages) has a word.
absl::Status CheckPhrases(
    const google::protobuf::RepeatedPtrField<std::string>& phrases,
    const std::string& prefix, const char* field) {
  for (int i = 0; i < phrases.size(); ++i) {
    if (!ValidateUtf8(phrases[i]).ok() || !HasWord(phrases[i])) {
      return absl::InvalidArgumentError(absl::StrCat(
          prefix, field, "[", i, "] \"", phrases[i], "\" has no words"));
    }
  }
  return absl::OkStatus();
}

// Parses the proto3 JSON `json` into `message`, unknown fields refused;
// INVALID_ARGUMENT "<src>: malformed <what> JSON: <the parser's first line>"
// (the rest is a caret pointing into the input).
absl::Status ParseMessage(std::string_view json, const std::string& src,
                          const char* what,
                          google::protobuf::Message* message) {
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto parsed = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(json.data(), json.size()), message,
      options);
  if (parsed.ok()) return absl::OkStatus();
  std::string why(parsed.message().data(), parsed.message().size());
  why = why.substr(0, why.find('\n'));
  return absl::InvalidArgumentError(
      absl::StrCat(src, ": malformed ", what, " JSON: ", why));
}

std::vector<std::string> ToVector(
    const google::protobuf::RepeatedPtrField<std::string>& field) {
  return std::vector<std::string>(field.begin(), field.end());
}

// The theme `t` (whose id is checked already), or INVALID_ARGUMENT for a
// theme without phrases or with an empty phrase.
absl::StatusOr<Theme> ToTheme(const partnermatch::v1::Theme& t,
                              const std::string& src) {
  const std::string prefix = absl::StrCat(src, ": theme \"", t.id(), "\": ");
  if (t.phrases().empty()) {
    return absl::InvalidArgumentError(absl::StrCat(prefix, "no phrases"));
  }
  PM_RETURN_IF_ERROR(CheckPhrases(t.phrases(), prefix, "phrases"));
  PM_RETURN_IF_ERROR(CheckPhrases(t.weak_phrases(), prefix, "weak_phrases"));
  Theme theme;
  theme.id = t.id();
  theme.label = t.label();
  theme.definition = t.definition();
  theme.phrases = ToVector(t.phrases());
  theme.weak_phrases = ToVector(t.weak_phrases());
  return theme;
}

}  // namespace

absl::StatusOr<Taxonomy> Taxonomy::ParseJson(std::string_view json,
                                             std::string_view source) {
  // Debian's Abseil has its own string_view, which StrCat wants.
  const std::string src(source);
  partnermatch::v1::Taxonomy message;
  PM_RETURN_IF_ERROR(ParseMessage(json, src, "taxonomy", &message));
  if (message.themes().empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(src, ": the taxonomy has no themes"));
  }

  Taxonomy taxonomy;
  std::set<std::string, std::less<>> ids;
  for (int i = 0; i < message.themes_size(); ++i) {
    const partnermatch::v1::Theme& t = message.themes(i);
    if (t.id().empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(src, ": themes[", i, "] has an empty id"));
    }
    if (!ids.insert(t.id()).second) {
      return absl::InvalidArgumentError(absl::StrCat(
          src, ": themes[", i, "]: duplicate theme id \"", t.id(), "\""));
    }
    PM_ASSIGN_OR_RETURN(Theme theme, ToTheme(t, src));
    taxonomy.themes_.push_back(std::move(theme));
  }
  const std::string prefix = absl::StrCat(src, ": ");
  PM_RETURN_IF_ERROR(CheckPhrases(message.offer_cues(), prefix, "offer_cues"));
  PM_RETURN_IF_ERROR(CheckPhrases(message.seek_cues(), prefix, "seek_cues"));
  taxonomy.offer_cues_ = ToVector(message.offer_cues());
  taxonomy.seek_cues_ = ToVector(message.seek_cues());
  return taxonomy;
}

absl::Status Taxonomy::AddLanguageJson(std::string_view json,
                                       std::string_view source) {
  const std::string src(source);
  partnermatch::v1::TaxonomyLanguage message;
  PM_RETURN_IF_ERROR(ParseMessage(json, src, "taxonomy language", &message));
  const std::optional<Language> language =
      ParseLanguageCode(message.language());
  if (!language || *language == Language::kEnglish) {
    return absl::InvalidArgumentError(absl::StrCat(
        src, ": unknown language \"", message.language().substr(0, 16),
        "\" (one of es, pt, fr, it, de)"));
  }
  if (vocabularies_.count(*language)) {
    return absl::InvalidArgumentError(absl::StrCat(
        src, ": language \"", message.language(), "\" given twice"));
  }
  Vocabulary vocabulary;
  vocabulary.themes.resize(themes_.size());
  std::set<int> seen;
  for (int i = 0; i < message.themes_size(); ++i) {
    const partnermatch::v1::ThemePhrases& t = message.themes(i);
    const std::string prefix = absl::StrCat(src, ": themes[", i, "]: ");
    const int index = IndexOf(t.id());
    if (index < 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          prefix, "unknown theme id \"", t.id().substr(0, 64), "\""));
    }
    if (!seen.insert(index).second) {
      return absl::InvalidArgumentError(
          absl::StrCat(prefix, "duplicate theme id \"", t.id(), "\""));
    }
    const std::string theme_prefix =
        absl::StrCat(src, ": theme \"", t.id(), "\": ");
    PM_RETURN_IF_ERROR(CheckPhrases(t.phrases(), theme_prefix, "phrases"));
    PM_RETURN_IF_ERROR(
        CheckPhrases(t.weak_phrases(), theme_prefix, "weak_phrases"));
    vocabulary.themes[static_cast<size_t>(index)] = {
        ToVector(t.phrases()), ToVector(t.weak_phrases())};
  }
  const std::string prefix = absl::StrCat(src, ": ");
  PM_RETURN_IF_ERROR(CheckPhrases(message.offer_cues(), prefix, "offer_cues"));
  PM_RETURN_IF_ERROR(CheckPhrases(message.seek_cues(), prefix, "seek_cues"));
  vocabulary.offer_cues = ToVector(message.offer_cues());
  vocabulary.seek_cues = ToVector(message.seek_cues());
  vocabularies_.emplace(*language, std::move(vocabulary));
  return absl::OkStatus();
}

const Taxonomy& Taxonomy::Bundled() {
  static const Taxonomy* const bundled = ParseBundledOrAbort<Taxonomy>(
      "taxonomy", "data/taxonomy.json and data/taxonomy_<language>.json",
      []() -> absl::StatusOr<Taxonomy> {
        PM_ASSIGN_OR_RETURN(
            Taxonomy taxonomy,
            ParseJson(bundled::File_taxonomy_json(), "data/taxonomy.json"));
        const std::pair<std::string_view, const char*> languages[] = {
            {bundled::File_taxonomy_es_json(), "data/taxonomy_es.json"},
            {bundled::File_taxonomy_pt_json(), "data/taxonomy_pt.json"},
            {bundled::File_taxonomy_fr_json(), "data/taxonomy_fr.json"},
            {bundled::File_taxonomy_it_json(), "data/taxonomy_it.json"},
            {bundled::File_taxonomy_de_json(), "data/taxonomy_de.json"}};
        for (const auto& [json, path] : languages) {
          PM_RETURN_IF_ERROR(taxonomy.AddLanguageJson(json, path));
        }
        return taxonomy;
      });
  return *bundled;
}

std::vector<Language> Taxonomy::languages() const {
  std::vector<Language> out;
  for (Language language : kLanguages) {
    if (HasLanguage(language)) out.push_back(language);
  }
  return out;
}

bool Taxonomy::HasLanguage(Language language) const {
  return language == Language::kEnglish || vocabularies_.count(language) > 0;
}

namespace {
const std::vector<std::string>& NoPhrases() {
  static const auto* const none = new std::vector<std::string>();
  return *none;
}
}  // namespace

const std::vector<std::string>& Taxonomy::Phrases(int theme, Language language,
                                                  bool weak) const {
  const auto t = static_cast<size_t>(theme);
  if (language == Language::kEnglish) {
    return weak ? themes_[t].weak_phrases : themes_[t].phrases;
  }
  auto it = vocabularies_.find(language);
  if (it == vocabularies_.end()) return NoPhrases();
  return weak ? it->second.themes[t].weak_phrases : it->second.themes[t].phrases;
}

const std::vector<std::string>& Taxonomy::OfferCues(Language language) const {
  if (language == Language::kEnglish) return offer_cues_;
  auto it = vocabularies_.find(language);
  return it == vocabularies_.end() ? NoPhrases() : it->second.offer_cues;
}

const std::vector<std::string>& Taxonomy::SeekCues(Language language) const {
  if (language == Language::kEnglish) return seek_cues_;
  auto it = vocabularies_.find(language);
  return it == vocabularies_.end() ? NoPhrases() : it->second.seek_cues;
}

int Taxonomy::IndexOf(std::string_view id) const {
  for (size_t i = 0; i < themes_.size(); ++i) {
    if (themes_[i].id == id) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace pm
