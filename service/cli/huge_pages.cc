#include "service/cli/huge_pages.h"

#include <gnu/libc-version.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <string_view>

namespace pm::cli {
namespace {

constexpr std::string_view kTunable = "glibc.malloc.hugetlb";

bool GlibcReadsTheTunable() {
  int major = 0, minor = 0;
  return std::sscanf(gnu_get_libc_version(), "%d.%d", &major, &minor) == 2 &&
         (major > 2 || (major == 2 && minor >= 35));
}

// "always [madvise] never": huge pages unless `never` is chosen.
bool KernelGivesHugePages() {
  std::ifstream in("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string line;
  return std::getline(in, line) &&
         line.find("[never]") == std::string::npos &&
         line.find('[') != std::string::npos;
}

bool UnderValgrind() {
  const char* preload = std::getenv("LD_PRELOAD");
  return preload != nullptr &&
         std::string_view(preload).find("vgpreload") != std::string_view::npos;
}

}  // namespace

void StartWithHugePages(char** argv) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  (void)argv;
#else
  const char* opt = std::getenv("PM_HUGE_PAGES");
  if (opt != nullptr && std::string_view(opt) == "0") return;
  const char* tunables = std::getenv("GLIBC_TUNABLES");
  const std::string have = tunables != nullptr ? tunables : "";
  if (have.find(kTunable) != std::string::npos) return;
  if (!GlibcReadsTheTunable() || !KernelGivesHugePages() || UnderValgrind()) {
    return;
  }
  const std::string wanted =
      (have.empty() ? std::string() : have + ":") + std::string(kTunable) + "=1";
  if (::setenv("GLIBC_TUNABLES", wanted.c_str(), 1) != 0) return;
  ::execv("/proc/self/exe", argv);
  // Not started again: go on as before, without the tunable.
  if (tunables != nullptr) {
    ::setenv("GLIBC_TUNABLES", tunables, 1);
  } else {
    ::unsetenv("GLIBC_TUNABLES");
  }
#endif
}

}  // namespace pm::cli
