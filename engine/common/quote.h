// Client input inside an error message: the one way a message quotes what a
// client or a file sent, so that no message grows with its input (a status
// message travels in an HTTP/2 trailer, and a long one is never delivered).
#ifndef PARTNER_MATCH_ENGINE_COMMON_QUOTE_H_
#define PARTNER_MATCH_ENGINE_COMMON_QUOTE_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace pm {

// The most bytes of client input an error message quotes.
inline constexpr size_t kMaxQuotedBytes = 64;

// `input` in single quotes when it has at most kMaxQuotedBytes bytes:
// "'vienna'"; otherwise its first bytes (up to kMaxQuotedBytes, not cutting a
// UTF-8 character), an ellipsis and its length: "'aaaa…' (70000 bytes)".
inline std::string QuoteInput(std::string_view input) {
  if (input.size() <= kMaxQuotedBytes) {
    return "'" + std::string(input) + "'";
  }
  size_t n = kMaxQuotedBytes;
  while (n > 0 && (static_cast<unsigned char>(input[n]) & 0xC0) == 0x80) --n;
  return "'" + std::string(input.substr(0, n)) + "…' (" +
         std::to_string(input.size()) + " bytes)";
}

}  // namespace pm

#endif  // PARTNER_MATCH_ENGINE_COMMON_QUOTE_H_
