#!/usr/bin/env bash
# Builds the fuzz targets of tests/fuzz as libFuzzer binaries (clang,
# AddressSanitizer + UBSan, in build-fuzz/) and runs each for SECONDS
# (default 60) from its seed corpus tests/fuzz/corpus/<name>/. New inputs
# go to build-fuzz/corpus/<name>/ (the seeds are not changed); a crash stops
# the run with exit 1 and leaves its input in build-fuzz/crashes/<name>/ —
# fix it and copy the input into the seed corpus, where ctest replays it.
#
#   scripts/fuzz.sh [SECONDS] [NAME...]      NAME: profiles_jsonl seed_page taxonomy api
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:-60}"
shift || true
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(profiles_jsonl seed_page taxonomy api)

PM_EXTRA_PACKAGES="clang libclang-rt-14-dev" PM_PACKAGES_ONLY=1 \
  source "$root/scripts/setup.sh"
out="$root/build-fuzz"
CC=clang CXX=clang++ cmake -S "$root" -B "$out" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DPM_FUZZ=ON -DPM_SANITIZE=address,undefined -DPM_BUILD_TESTS=ON \
  -DPM_BUILD_BENCHMARKS=OFF >/dev/null
targets=()
for n in "${names[@]}"; do targets+=("${n}_fuzzer"); done
cmake --build "$out" -j "$(nproc)" --target "${targets[@]}"

status=0
for n in "${names[@]}"; do
  mkdir -p "$out/corpus/$n" "$out/crashes/$n"
  log="$out/fuzz-$n.log"
  if "$out/tests/fuzz/${n}_fuzzer" "$out/corpus/$n" "$root/tests/fuzz/corpus/$n" \
      -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 \
      -artifact_prefix="$out/crashes/$n/" -print_final_stats=1 >"$log" 2>&1; then
    runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")"
    echo "$n: ${runs:-?} executions in ${seconds} s, no crash"
  else
    echo "$n: CRASH — see $log and $out/crashes/$n/"
    status=1
  fi
done
exit "$status"
