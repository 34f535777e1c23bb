#include "engine/text/language_detector.h"

#include <fingerprint.h>

#include <climits>
#include <cstdio>
#include <cstdlib>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "engine/text/text_analyzer.h"

namespace pm {
namespace {

// libexttextcat's fingerprint size (MAXNGRAMS of its constants.h).
constexpr int kMaxNgrams = 400;

// The text's first `max_bytes` bytes, cut at a code point boundary.
std::string_view Sample(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
    --end;
  }
  return text.substr(0, end);
}

bool HasLetter(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    const CodePointAt c = DecodeCodePoint(text, i);
    if (IsWordCodePoint(c.cp) && !(c.cp >= '0' && c.cp <= '9')) return true;
    i += c.length;
  }
  return false;
}

}  // namespace

absl::StatusOr<std::unique_ptr<const LanguageDetector>> LanguageDetector::Load(
    const std::string& directory) {
  std::unique_ptr<LanguageDetector> detector(new LanguageDetector());
  for (Language language : kLanguages) {
    const std::string path =
        absl::StrCat(directory, "/", LanguageCode(language), ".lm");
    void* fp = fp_Init(LanguageCode(language));
    if (fp == nullptr) {
      return absl::ResourceExhaustedError("out of memory for a fingerprint");
    }
    fp_SetProperty(fp, TCPROP_UTF8AWARE, TC_TRUE);
    if (fp_Read(fp, path.c_str(), kMaxNgrams) == 0) {
      fp_Done(fp);
      return absl::NotFoundError(absl::StrCat(
          "cannot read the language fingerprint ", path,
          " (install the libexttextcat-data package)"));
    }
    detector->fingerprints_.push_back(fp);
  }
  return std::unique_ptr<const LanguageDetector>(std::move(detector));
}

const LanguageDetector& LanguageDetector::Installed() {
  static const LanguageDetector* const installed = [] {
    auto loaded = Load(PM_EXTTEXTCAT_DATADIR);
    if (!loaded.ok()) {
      std::fprintf(stderr, "partner-match: %s\n",
                   std::string(loaded.status().message()).c_str());
      std::abort();
    }
    // Kept for the life of the process (no exit-time destructor).
    return loaded->release();
  }();
  return *installed;
}

LanguageDetector::~LanguageDetector() {
  for (void* fp : fingerprints_) fp_Done(fp);
}

Language LanguageDetector::Detect(std::string_view text) const {
  const std::string_view sample = Sample(text, kSampleBytes);
  if (!HasLetter(sample)) return Language::kEnglish;
  void* unknown = fp_Init(nullptr);
  if (unknown == nullptr) return Language::kEnglish;
  fp_SetProperty(unknown, TCPROP_UTF8AWARE, TC_TRUE);
  fp_SetProperty(unknown, TCPROP_MINIMUM_DOCUMENT_SIZE, 1);
  Language best = Language::kEnglish;
  if (fp_Create(unknown, sample.data(), static_cast<uint4>(sample.size()),
                kMaxNgrams) != 0) {
    sint4 best_distance = INT_MAX;
    for (size_t i = 0; i < fingerprints_.size(); ++i) {
      const sint4 d = fp_Compare(fingerprints_[i], unknown, best_distance);
      if (d < best_distance) {
        best_distance = d;
        best = kLanguages[i];
      }
    }
  }
  fp_Done(unknown);
  return best;
}

}  // namespace pm
