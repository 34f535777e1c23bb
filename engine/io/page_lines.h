// The line rules of the page importer (seed_page.h): which lines are page
// clutter (links, "Load more", image credits, headings, the footer) and how
// the remaining lines form paragraphs.
#ifndef PARTNER_MATCH_ENGINE_IO_PAGE_LINES_H_
#define PARTNER_MATCH_ENGINE_IO_PAGE_LINES_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace pm::seed {

struct Paragraph {
  std::string text;          // its lines, trimmed, joined with "\n"
  size_t line = 0;           // 1-based line of its first line
  bool after_break = false;  // first text after the page start or clutter
};

// The page's lines, trimmed, after checking each is valid UTF-8 (a leading
// BOM dropped). INVALID_ARGUMENT "<source>:<line>: invalid UTF-8 at byte N
// of the line".
absl::StatusOr<std::vector<std::string_view>> SplitLines(
    std::string_view content, std::string_view source);

// Paragraphs of the page's text, clutter dropped (the rules in
// seed_page.h). A paragraph ends at a blank line, at clutter, or at a line
// ending a sentence (one paragraph a line, as the pages are written); a line
// without final punctuation runs on. Nothing after the footer.
std::vector<Paragraph> Paragraphs(const std::vector<std::string_view>& lines);

}  // namespace pm::seed

#endif  // PARTNER_MATCH_ENGINE_IO_PAGE_LINES_H_
