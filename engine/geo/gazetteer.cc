#include "engine/geo/gazetteer.h"

#include "engine/common/bundled_file.h"
#include "engine/common/strings.h"

#include <algorithm>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "data/bundled_data.h"

namespace pm {
namespace {


constexpr std::string_view kHeader =
    "code\tname\tworld_region\teu_member\taliases";

absl::Status RowError(std::string_view source, size_t line,
                      std::string_view problem) {
  return absl::InvalidArgumentError(
      absl::StrCat(Sv(source), ":", line, ": ", Sv(problem)));
}

// Decodes the UTF-8 code point starting at text[i]; an invalid or truncated
// sequence decodes as its first byte alone, so invalid input never crashes
// (Mentioned's contract does not require valid UTF-8). Sets `length` to the
// bytes consumed.
char32_t DecodeAt(std::string_view text, size_t i, size_t& length) {
  const auto byte = [&](size_t k) {
    return static_cast<unsigned char>(text[k]);
  };
  const unsigned char b0 = byte(i);
  length = 1;
  if (b0 < 0x80) return b0;
  size_t n = 0;
  char32_t cp = 0;
  if ((b0 & 0xE0) == 0xC0) {
    n = 2;
    cp = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    n = 3;
    cp = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    n = 4;
    cp = b0 & 0x07;
  } else {
    return b0;
  }
  if (i + n > text.size()) return b0;
  for (size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return b0;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  length = n;
  return cp;
}

// Whether a code point belongs to a word: ASCII letters and digits, and any
// non-ASCII code point outside the punctuation, space and symbol blocks a
// profile text uses ("’", "“", "–", NBSP, "«", CJK punctuation, ...). A
// hand-made approximation of Unicode's letter classes, enough for word
// boundaries around country names (pm_geo does not link utf8proc).
bool IsWordCodePoint(char32_t cp) {
  if (cp < 0x80) return absl::ascii_isalnum(static_cast<unsigned char>(cp));
  if (cp <= 0xBF) return false;                // Latin-1 controls, punctuation
  if (cp == 0xD7 || cp == 0xF7) return false;  // × ÷
  if (cp >= 0x2000 && cp <= 0x2BFF) return false;  // punctuation, symbols
  if (cp >= 0x3000 && cp <= 0x303F) return false;  // CJK punctuation
  if (cp >= 0xFE30 && cp <= 0xFE4F) return false;  // CJK compatibility forms
  if (cp >= 0xFF00 && cp <= 0xFF0F) return false;  // fullwidth punctuation
  if (cp >= 0xFF1A && cp <= 0xFF20) return false;
  if (cp >= 0xFF3B && cp <= 0xFF40) return false;
  if (cp >= 0xFF5B && cp <= 0xFF65) return false;
  return true;
}

bool IsWordAt(std::string_view text, size_t i) {
  size_t length = 0;
  return i < text.size() && IsWordCodePoint(DecodeAt(text, i, length));
}

// Whether the code point ending just before byte `i` belongs to a word.
bool IsWordBefore(std::string_view text, size_t i) {
  if (i == 0) return false;
  size_t start = i - 1;
  // Step back over at most three continuation bytes.
  while (start > 0 && i - start < 4 &&
         (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) {
    --start;
  }
  size_t length = 0;
  const char32_t cp = DecodeAt(text, start, length);
  if (start + length != i) {
    return IsWordCodePoint(static_cast<unsigned char>(text[i - 1]));
  }
  return IsWordCodePoint(cp);
}

// The end of the word starting at `i`.
size_t WordEnd(std::string_view text, size_t i) {
  while (i < text.size()) {
    size_t length = 0;
    if (!IsWordCodePoint(DecodeAt(text, i, length))) break;
    i += length;
  }
  return i;
}

struct Needle {
  std::string_view phrase;  // a name or alias, pointing into countries_
  size_t country = 0;       // index into countries_
};

absl::StatusOr<Country> ParseRow(std::string_view line, std::string_view source,
                                 size_t line_number) {
  std::vector<std::string_view> fields = Split(line, '\t');
  if (fields.size() == 4) fields.push_back("");  // trailing empty aliases
  if (fields.size() != 5) {
    return RowError(source, line_number,
                    absl::StrCat("expected 5 tab-separated fields (code, name, "
                                 "world_region, eu_member, aliases), found ",
                                 fields.size()));
  }
  Country country;
  const std::string_view code = TrimmedAscii(fields[0]);
  if (code.size() != 2 || !absl::ascii_isalpha(code[0]) ||
      !absl::ascii_isalpha(code[1])) {
    return RowError(source, line_number,
                    absl::StrCat("field 'code': '", Sv(code),
                                 "' is not an ISO 3166-1 alpha-2 code"));
  }
  country.code = absl::AsciiStrToUpper(Sv(code));
  country.name = std::string(TrimmedAscii(fields[1]));
  if (country.name.empty()) {
    return RowError(source, line_number, "field 'name': empty");
  }
  country.world_region = std::string(TrimmedAscii(fields[2]));
  if (country.world_region.empty()) {
    return RowError(source, line_number, "field 'world_region': empty");
  }
  const std::string_view eu = TrimmedAscii(fields[3]);
  if (eu == "true") {
    country.eu_member = true;
  } else if (eu == "false") {
    country.eu_member = false;
  } else {
    return RowError(source, line_number,
                    absl::StrCat("field 'eu_member': expected true or false, "
                                 "got '",
                                 Sv(eu), "'"));
  }
  for (std::string_view alias : Split(fields[4], ';')) {
    alias = TrimmedAscii(alias);
    if (!alias.empty()) country.aliases.emplace_back(alias);
  }
  return country;
}

}  // namespace

absl::StatusOr<Gazetteer> Gazetteer::ParseTsv(std::string_view content,
                                              std::string_view source) {
  Gazetteer gazetteer;
  std::unordered_map<std::string, size_t> line_of_code;
  size_t line_number = 0;
  bool header_seen = false;
  for (std::string_view line : Split(content, '\n')) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!header_seen) {
      if (line != kHeader) {
        return RowError(source, line_number,
                        "expected the header "
                        "'code<TAB>name<TAB>world_region<TAB>eu_member<TAB>"
                        "aliases'");
      }
      header_seen = true;
      continue;
    }
    if (TrimmedAscii(line).empty()) continue;
    absl::StatusOr<Country> country = ParseRow(line, source, line_number);
    if (!country.ok()) return country.status();
    auto [it, inserted] = line_of_code.emplace(country->code, line_number);
    if (!inserted) {
      return RowError(source, line_number,
                      absl::StrCat("duplicate code '", country->code,
                                   "' (first on line ", it->second, ")"));
    }
    gazetteer.by_code_.emplace(country->code, gazetteer.countries_.size());
    gazetteer.countries_.push_back(*std::move(country));
  }
  return gazetteer;
}

const Gazetteer& Gazetteer::Bundled() {
  static const Gazetteer* const bundled = ParseBundledOrAbort<Gazetteer>(
      "gazetteer", "data/countries.tsv", [] {
        return ParseTsv(bundled::File_countries_tsv(), "data/countries.tsv");
      });
  return *bundled;
}

const Country* Gazetteer::Find(std::string_view code) const {
  auto it = by_code_.find(absl::AsciiStrToUpper(Sv(code)));
  return it == by_code_.end() ? nullptr : &countries_[it->second];
}

std::vector<const Country*> Gazetteer::Mentioned(std::string_view text) const {
  // Names and aliases by their first word, longest first, so that at one
  // position "Democratic People's Republic of Korea" wins over any shorter
  // phrase and "Guinea-Bissau" over "Guinea". Built per call: the header
  // keeps no index, and ~1,000 phrases cost little next to scanning a text.
  std::unordered_map<std::string_view, std::vector<Needle>> by_first_word;
  for (size_t c = 0; c < countries_.size(); ++c) {
    const auto add = [&](std::string_view phrase) {
      const size_t first_end = WordEnd(phrase, 0);
      if (first_end == 0) return;  // does not start with a word: never matches
      by_first_word[phrase.substr(0, first_end)].push_back({phrase, c});
    };
    add(countries_[c].name);
    for (const std::string& alias : countries_[c].aliases) add(alias);
  }
  for (auto& [word, needles] : by_first_word) {
    std::stable_sort(needles.begin(), needles.end(),
                     [](const Needle& a, const Needle& b) {
                       return a.phrase.size() > b.phrase.size();
                     });
  }

  std::vector<const Country*> mentioned;
  std::vector<bool> seen(countries_.size(), false);
  size_t i = 0;
  while (i < text.size()) {
    if (!IsWordAt(text, i) || IsWordBefore(text, i)) {
      size_t length = 0;
      DecodeAt(text, i, length);
      i += length;
      continue;
    }
    const size_t word_end = WordEnd(text, i);
    size_t next = word_end;
    auto it = by_first_word.find(text.substr(i, word_end - i));
    if (it != by_first_word.end()) {
      for (const Needle& needle : it->second) {
        const size_t end = i + needle.phrase.size();
        // Whole words: no word character on both sides of the end.
        if (end > text.size() ||
            text.compare(i, needle.phrase.size(), needle.phrase) != 0 ||
            (IsWordBefore(text, end) && IsWordAt(text, end))) {
          continue;
        }
        if (!seen[needle.country]) {
          seen[needle.country] = true;
          mentioned.push_back(&countries_[needle.country]);
        }
        next = std::max(next, end);
        break;
      }
    }
    i = next;
  }
  return mentioned;
}

}  // namespace pm
