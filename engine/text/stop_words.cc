#include "engine/text/stop_words.h"

#include <array>
#include <iterator>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "data/bundled_data.h"
#include "engine/common/bundled_file.h"
#include "engine/text/text_analyzer.h"

namespace pm {
namespace {

using StopWordSets =
    std::array<std::set<std::string, std::less<>>, std::size(kLanguages)>;

// The parts of `text` between `separator`s, empty ones included.
std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  for (size_t start = 0;;) {
    const size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

// data/stop_words.tsv: a header line, then "code<TAB>words" lines, the
// words separated by spaces and folded as tokens are.
absl::StatusOr<StopWordSets> ParseStopWords(std::string_view file) {
  StopWordSets sets;
  int line_number = 0;
  for (std::string_view line : Split(file, '\n')) {
    ++line_number;
    if (line_number == 1 || line.empty()) continue;
    const std::vector<std::string_view> fields = Split(line, '\t');
    const auto language =
        fields.size() == 2 ? ParseLanguageCode(fields[0]) : std::nullopt;
    if (!language) {
      return absl::InvalidArgumentError(absl::StrCat(
          "line ", line_number, ": expected a language code and words"));
    }
    for (std::string_view word : Split(fields[1], ' ')) {
      if (!word.empty()) {
        sets[static_cast<size_t>(*language)].insert(FoldText(word));
      }
    }
  }
  return sets;
}

}  // namespace

bool IsStopWord(std::string_view folded, Language language) {
  static const StopWordSets* const sets = ParseBundledOrAbort<StopWordSets>(
      "stop words", "data/stop_words.tsv",
      [] { return ParseStopWords(bundled::File_stop_words_tsv()); });
  return (*sets)[static_cast<size_t>(language)].count(folded) > 0;
}

}  // namespace pm
