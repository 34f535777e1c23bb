#include "engine/io/page_lines.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "engine/common/strings.h"
#include "engine/io/page_words.h"
#include "engine/text/text_analyzer.h"

namespace pm::seed {
namespace {

// Licence marks and "own work" in the languages of Wikimedia credits.
constexpr std::string_view kLicenceMarks[] = {
    "CC BY",         "CC-BY",        "CC0", "Creative Commons",
    "Public domain", "Public Domain"};
constexpr std::string_view kOwnWorkMarks[] = {
    "- own work",     "- trabajo propio", "- travail personnel",
    "- eigenes werk", "- opera propria",  "- obra própria",
    "- obra propia",  "- treball propi"};

// Verbs that make a short line a sentence rather than a heading.
constexpr std::string_view kHeadingVerbs[] = {
    "is",      "are",    "was",     "were",   "remains", "remain",
    "becomes", "became", "has",     "have",   "had",     "will"};

constexpr size_t kMaxHeadingWords = 10;
constexpr size_t kMaxCreditBytes = 200;

enum class LineClass { kBlank, kContent, kClutter, kFooter };

bool EndsSentence(std::string_view line) {
  if (EndsWith(line, "…")) return true;
  if (line.empty()) return false;
  const char last = line.back();
  return last == '.' || last == '!' || last == '?' || last == ':' ||
         last == ';' || last == '"' || EndsWith(line, "”");
}

bool IsCredit(std::string_view line) {
  if (line.size() > kMaxCreditBytes) return false;
  if (StartsWith(line, "©")) return true;
  for (std::string_view mark : kLicenceMarks) {
    if (Contains(line, mark)) return true;
  }
  const std::string lower = Lower(line);
  for (std::string_view mark : kOwnWorkMarks) {
    if (Contains(lower, mark)) return true;
  }
  return false;
}

// A short line at the start of a paragraph without sentence punctuation,
// commas or verbs: a heading ("Thematic Clusters", "Mobility & Transport").
// The first line of a hard-wrapped paragraph has a verb or a comma, or is
// longer.
bool IsHeading(std::string_view line) {
  if (EndsSentence(line) || Contains(line, ". ") || Contains(line, ",")) {
    return false;
  }
  const std::vector<Word> words = Words(line);
  if (words.size() > kMaxHeadingWords) return false;
  for (const Word& word : words) {
    const std::string_view text = TextOf(line, word);
    if (IsOneOf(text, kHeadingVerbs)) {
      return false;
    }
  }
  return true;
}

// `starts_paragraph`: the line before is blank, clutter or ends a sentence.
LineClass ClassifyLine(std::string_view line, bool starts_paragraph) {
  if (line.empty()) return LineClass::kBlank;
  if (StartsWith(line, "Stay in the loop")) return LineClass::kFooter;
  if (StartsWith(line, "Discover what we did in") ||
      Lower(line) == "load more" || IsCredit(line) ||
      (starts_paragraph && IsHeading(line))) {
    return LineClass::kClutter;
  }
  return LineClass::kContent;
}

}  // namespace

// The page's lines, trimmed, after checking each is valid UTF-8.
absl::StatusOr<std::vector<std::string_view>> SplitLines(
    std::string_view content, std::string_view source) {
  if (StartsWith(content, "\xEF\xBB\xBF")) content.remove_prefix(3);  // BOM
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start <= content.size()) {
    size_t end = content.find('\n', start);
    if (end == std::string_view::npos) end = content.size();
    std::string_view line = content.substr(start, end - start);
    if (absl::Status valid = ValidateUtf8(line); !valid.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(Sv(source), ":", lines.size() + 1, ": ", valid.message(),
                       " of the line"));
    }
    lines.push_back(StripSpaces(line));
    start = end + 1;
  }
  return lines;
}

// Paragraphs of the page's text, clutter dropped. A paragraph ends at a blank
// line, at clutter, or at a line ending a sentence (one paragraph a line, as
// the pages are written); a line without final punctuation runs on.
std::vector<Paragraph> Paragraphs(const std::vector<std::string_view>& lines) {
  std::vector<Paragraph> paragraphs;
  bool open = false;  // the last paragraph takes the next content line
  bool after_break = true;
  for (size_t i = 0; i < lines.size(); ++i) {
    switch (ClassifyLine(lines[i], /*starts_paragraph=*/!open)) {
      case LineClass::kFooter:
        return paragraphs;
      case LineClass::kBlank:
        open = false;
        break;
      case LineClass::kClutter:
        open = false;
        after_break = true;
        break;
      case LineClass::kContent:
        if (open) {
          absl::StrAppend(&paragraphs.back().text, "\n", Sv(lines[i]));
        } else {
          paragraphs.push_back({std::string(lines[i]), i + 1, after_break});
          after_break = false;
        }
        open = !EndsSentence(lines[i]);
        break;
    }
  }
  return paragraphs;
}

}  // namespace pm::seed
