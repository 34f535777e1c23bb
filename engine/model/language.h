// The languages profiles are written in: the programme's working languages.
#ifndef PARTNER_MATCH_ENGINE_MODEL_LANGUAGE_H_
#define PARTNER_MATCH_ENGINE_MODEL_LANGUAGE_H_

#include <optional>
#include <string_view>

namespace pm {

enum class Language { kEnglish, kSpanish, kPortuguese, kFrench, kItalian, kGerman };

// Every language, English first.
inline constexpr Language kLanguages[] = {
    Language::kEnglish, Language::kSpanish, Language::kPortuguese,
    Language::kFrench,  Language::kItalian, Language::kGerman};

// The ISO 639-1 code: "en", "es", "pt", "fr", "it", "de".
const char* LanguageCode(Language language);
// The English name: "English", "Spanish", ...
const char* LanguageName(Language language);
// From an ISO 639-1 code (lower case); nullopt for any other.
std::optional<Language> ParseLanguageCode(std::string_view code);

}  // namespace pm

#endif  // PARTNER_MATCH_ENGINE_MODEL_LANGUAGE_H_
