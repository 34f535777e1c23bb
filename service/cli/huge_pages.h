// Transparent huge pages for the heap. A store of 100,000 profiles restores
// ~400 MB of small and large allocations; faulting them in 4 KiB pages
// costs about a second of system time here (on a VM each fault is dear),
// in 2 MiB pages a fiftieth of the faults. glibc (>= 2.35) asks for huge
// pages when its tunable glibc.malloc.hugetlb=1 is set, and it reads
// tunables only from the environment when a program starts; so, before
// anything else, the program starts itself again (same process id,
// arguments and environment) with the tunable added.
//
// Nothing happens when: PM_HUGE_PAGES=0; GLIBC_TUNABLES already names the
// tunable; the kernel's transparent huge pages are `never`; glibc is older;
// the program runs under Valgrind or a sanitizer (their allocators replace
// glibc's); or the new start fails (the program then goes on as it is).
#ifndef PARTNER_MATCH_SERVICE_CLI_HUGE_PAGES_H_
#define PARTNER_MATCH_SERVICE_CLI_HUGE_PAGES_H_

namespace pm::cli {

// Returns only when the program goes on without starting again.
void StartWithHugePages(char** argv);

}  // namespace pm::cli

#endif  // PARTNER_MATCH_SERVICE_CLI_HUGE_PAGES_H_
