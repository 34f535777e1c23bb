#!/usr/bin/env bash
# The test suite under sanitizers (GCC's, no extra packages):
#   1. AddressSanitizer + UndefinedBehaviorSanitizer: every test (build-asan/);
#   2. ThreadSanitizer: the tests that run threads — the server under
#      concurrent readers and writers, the catalog, the store, the shared
#      taxonomy and extractor, the kNN kernel's pool (build-tsan/).
# Any report fails the test that caused it (halt_on_error). Run by
# .ci/sanitize.
#
#   scripts/sanitize.sh [asan|tsan]...      (default: both)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PM_PACKAGES_ONLY=1 source "$root/scripts/setup.sh"
jobs="$(nproc 2>/dev/null || echo 2)"
kinds=("$@")
[ ${#kinds[@]} -gt 0 ] || kinds=(asan tsan)

# The test binaries that start threads.
tsan_targets=(grpc_end_to_end_test server_test profile_catalog_test
  profile_store_test taxonomy_test theme_extractor_test exact_knn_test
  exposure_test store_follower_test)
# Tests left out under TSan: Debian's libprotobuf is built without TSan, and
# its headers change inline code under it (PROTOBUF_TSAN), so a
# google::protobuf::Map read in instrumented code crashes. Only the
# measurements that read the eval set's JSON through protobuf::Struct use
# one; they run no threads. And the one request of 10,001 profiles, which
# takes longer than its 30 s deadline under TSan (one ingest, no threads of its own).
declare -A tsan_filter=([exposure_test]='-*Measures*'
  [grpc_end_to_end_test]='-*UpsertTakesABatchOfMoreThanTenThousandProfiles')

for kind in "${kinds[@]}"; do
  case "$kind" in
    asan)
      out="$root/build-asan"
      cmake -S "$root" -B "$out" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DPM_SANITIZE=address,undefined -DPM_NATIVE=OFF \
        -DPM_BUILD_TESTS=ON -DPM_BUILD_BENCHMARKS=OFF >/dev/null
      cmake --build "$out" -j "$jobs"
      # Left out: the one timing assertion (the server's CPU idle within
      # 200 ms of a deadline). Under ASan the allocator's zero fill of a
      # 3,000-member plan's dense tables, which no check can interrupt,
      # alone takes ~1.5 s; the Release suite asserts it.
      (cd "$out" &&
        ASAN_OPTIONS=detect_leaks=1:halt_on_error=1 \
        UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        ctest --output-on-failure -j "$jobs" --timeout 900 \
          -E 'Hardening.TheServersCpuGoesIdleSoonAfterAClientsDeadline')
      ;;
    tsan)
      out="$root/build-tsan"
      cmake -S "$root" -B "$out" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DPM_SANITIZE=thread -DPM_NATIVE=OFF \
        -DPM_BUILD_TESTS=ON -DPM_BUILD_BENCHMARKS=OFF >/dev/null
      cmake --build "$out" -j "$jobs" --target "${tsan_targets[@]}" partner-match
      for t in "${tsan_targets[@]}"; do
        echo "== $t under ThreadSanitizer"
        TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$root/tests/tsan.supp" \
          "$out/tests/$t" --gtest_brief=1 \
          --gtest_filter="${tsan_filter[$t]:-*}"
      done
      ;;
    *) echo "sanitize.sh: unknown kind '$kind' (asan or tsan)" >&2; exit 2 ;;
  esac
done
