#include "engine/model/language.h"

namespace pm {

const char* LanguageCode(Language language) {
  switch (language) {
    case Language::kEnglish: return "en";
    case Language::kSpanish: return "es";
    case Language::kPortuguese: return "pt";
    case Language::kFrench: return "fr";
    case Language::kItalian: return "it";
    case Language::kGerman: return "de";
  }
  return "en";
}

const char* LanguageName(Language language) {
  switch (language) {
    case Language::kEnglish: return "English";
    case Language::kSpanish: return "Spanish";
    case Language::kPortuguese: return "Portuguese";
    case Language::kFrench: return "French";
    case Language::kItalian: return "Italian";
    case Language::kGerman: return "German";
  }
  return "English";
}

std::optional<Language> ParseLanguageCode(std::string_view code) {
  for (Language language : kLanguages) {
    if (code == LanguageCode(language)) return language;
  }
  return std::nullopt;
}

}  // namespace pm
