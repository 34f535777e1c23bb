#include "engine/geo/places.h"

#include "engine/common/bundled_file.h"
#include "engine/common/strings.h"

#include <algorithm>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "data/bundled_data.h"
#include "engine/text/text_analyzer.h"

namespace pm {
namespace {

constexpr std::string_view kHeader =
    "name\tkind\tcountry\tpopulation\talternates";

// The folded words of `text`, hyphens left out.
std::vector<const Token*> Words(const AnalyzedText& analyzed) {
  std::vector<const Token*> words;
  for (const Token& token : analyzed.tokens) {
    if (token.folded != "-") words.push_back(&token);
  }
  return words;
}

absl::StatusOr<Place> ParseRow(std::string_view row) {
  const std::vector<std::string_view> fields = Split(row, '\t');
  if (fields.size() != 5) {
    return absl::InvalidArgumentError(
        absl::StrCat("expected 5 tab-separated fields, found ", fields.size()));
  }
  Place place;
  place.name = std::string(TrimmedAscii(fields[0]));
  if (place.name.empty() || PlaceKey(place.name).empty()) {
    return absl::InvalidArgumentError("field 'name' is empty");
  }
  if (fields[1] == "city") {
    place.kind = PlaceKind::kCity;
  } else if (fields[1] == "region") {
    place.kind = PlaceKind::kRegion;
  } else {
    return absl::InvalidArgumentError(absl::StrCat(
        "field 'kind': '", Sv(fields[1].substr(0, 20)), "' is not city or region"));
  }
  place.country = std::string(fields[2]);
  if (place.country.size() != 2 ||
      !std::all_of(place.country.begin(), place.country.end(),
                   [](char c) { return c >= 'A' && c <= 'Z'; })) {
    return absl::InvalidArgumentError(absl::StrCat(
        "field 'country': '", Sv(fields[2].substr(0, 20)),
        "' is not an upper-case ISO 3166-1 alpha-2 code"));
  }
  if (!absl::SimpleAtoi(Sv(fields[3]), &place.population) ||
      place.population < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("field 'population': '", Sv(fields[3].substr(0, 20)),
                     "' is not a whole number >= 0"));
  }
  for (std::string_view alternate : Split(fields[4], ';')) {
    alternate = TrimmedAscii(alternate);
    if (!alternate.empty()) place.alternates.emplace_back(alternate);
  }
  return place;
}

}  // namespace

std::string PlaceKey(std::string_view name) {
  const AnalyzedText analyzed = TextAnalyzer::Analyze(name);
  std::string key;
  for (const Token* token : Words(analyzed)) {
    if (!key.empty()) key.push_back(' ');
    key += token->folded;
  }
  return key;
}

absl::StatusOr<PlaceGazetteer> PlaceGazetteer::ParseTsv(
    std::string_view content, std::string_view source) {
  PlaceGazetteer gazetteer;
  size_t line_number = 0;
  for (std::string_view line : Split(content, '\n')) {
    ++line_number;
    if (EndsWith(line, "\r")) line.remove_suffix(1);
    const auto error = [&](std::string_view problem) {
      return absl::InvalidArgumentError(absl::StrCat(
          std::string(source), ":", line_number, ": ", std::string(problem)));
    };
    if (line_number == 1) {
      if (line != kHeader) {
        return error(absl::StrCat("expected the header '", Sv(kHeader), "'"));
      }
      continue;
    }
    if (line.empty()) continue;
    if (absl::Status valid = ValidateUtf8(line); !valid.ok()) {
      return error(Std(valid.message()));
    }
    absl::StatusOr<Place> place = ParseRow(line);
    if (!place.ok()) return error(Std(place.status().message()));
    gazetteer.places_.push_back(*std::move(place));
  }
  if (line_number == 0 || gazetteer.places_.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(std::string(source), ": no place"));
  }
  for (size_t i = 0; i < gazetteer.places_.size(); ++i) {
    const Place& place = gazetteer.places_[i];
    std::vector<std::string> keys = {PlaceKey(place.name)};
    for (const std::string& alternate : place.alternates) {
      keys.push_back(PlaceKey(alternate));
    }
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    for (const std::string& key : keys) {
      if (!key.empty()) gazetteer.by_key_[key].push_back(i);
    }
  }
  for (auto& [key, rows] : gazetteer.by_key_) {
    std::stable_sort(rows.begin(), rows.end(), [&](size_t a, size_t b) {
      return gazetteer.places_[a].population > gazetteer.places_[b].population;
    });
  }
  return gazetteer;
}

const PlaceGazetteer& PlaceGazetteer::Bundled() {
  static const PlaceGazetteer* const bundled =
      ParseBundledOrAbort<PlaceGazetteer>(
          "place gazetteer", "data/places.tsv", [] {
            return ParseTsv(bundled::File_places_tsv(), "data/places.tsv");
          });
  return *bundled;
}

std::vector<const Place*> PlaceGazetteer::Find(std::string_view name) const {
  std::vector<const Place*> found;
  const auto it = by_key_.find(PlaceKey(name));
  if (it == by_key_.end()) return found;
  for (size_t row : it->second) found.push_back(&places_[row]);
  return found;
}

std::vector<PlaceMention> PlaceGazetteer::Mentioned(
    std::string_view text) const {
  const AnalyzedText analyzed = TextAnalyzer::Analyze(text);
  const std::vector<const Token*> words = Words(analyzed);
  std::vector<PlaceMention> mentions;
  size_t i = 0;
  while (i < words.size()) {
    size_t matched = 0;
    if (StartsUpperCase(text.substr(words[i]->begin))) {
      std::string key;
      for (size_t n = 1; n <= kMaxNameWords && i + n <= words.size(); ++n) {
        const Token& last = *words[i + n - 1];
        // A name does not run across sentences.
        if (last.sentence != words[i]->sentence) break;
        if (n > 1) key.push_back(' ');
        key += last.folded;
        if (by_key_.count(key) > 0) matched = n;
      }
    }
    if (matched == 0) {
      ++i;
      continue;
    }
    PlaceMention mention;
    mention.begin = words[i]->begin;
    mention.end = words[i + matched - 1]->end;
    std::string key;
    for (size_t n = 0; n < matched; ++n) {
      if (n > 0) key.push_back(' ');
      key += words[i + n]->folded;
    }
    for (size_t row : by_key_.at(key)) mention.places.push_back(&places_[row]);
    mentions.push_back(std::move(mention));
    i += matched;
  }
  return mentions;
}

}  // namespace pm
