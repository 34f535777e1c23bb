// Which language a profile is written in: libexttextcat's character n-gram
// fingerprints (Cavnar & Trenkle's "out-of-place" distance; the fingerprints
// of Debian's libexttextcat-data), restricted to the programme's languages.
#ifndef PARTNER_MATCH_ENGINE_TEXT_LANGUAGE_DETECTOR_H_
#define PARTNER_MATCH_ENGINE_TEXT_LANGUAGE_DETECTOR_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/model/language.h"

namespace pm {

// Immutable after construction; Detect is safe to call from many threads.
class LanguageDetector {
 public:
  // Reads the fingerprint "<code>.lm" of every language in kLanguages from
  // `directory`. NOT_FOUND naming the file when one cannot be read.
  static absl::StatusOr<std::unique_ptr<const LanguageDetector>> Load(
      const std::string& directory);
  // The detector on the fingerprints of the libexttextcat-data package
  // installed with this build, loaded once on first use. Aborts the
  // process with a message on stderr when they cannot be read (an
  // installation defect: scripts/setup.sh installs the package).
  static const LanguageDetector& Installed();

  ~LanguageDetector();
  LanguageDetector(const LanguageDetector&) = delete;
  LanguageDetector& operator=(const LanguageDetector&) = delete;

  // The language of `text` (valid UTF-8): the one whose fingerprint is
  // nearest to that of the text's first kSampleBytes bytes. English for a
  // text without letters (nothing to tell languages apart by).
  Language Detect(std::string_view text) const;

  // How much of a text is looked at: a few hundred bytes tell these six
  // languages apart (libexttextcat's advice too); the cost grows with the
  // sample's length (about 4 µs a byte on the project's loaded 2-core VM).
  static constexpr size_t kSampleBytes = 500;

 private:
  LanguageDetector() = default;
  std::vector<void*> fingerprints_;  // by kLanguages index; fp_Done'd
};

}  // namespace pm

#endif  // PARTNER_MATCH_ENGINE_TEXT_LANGUAGE_DETECTOR_H_
