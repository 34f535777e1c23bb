#!/usr/bin/env bash
# Installs what is missing, builds everything, and runs every test.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh" -DPM_BUILD_TESTS=ON -DPM_BUILD_BENCHMARKS=ON
cd "$PM_BUILD"
ctest --output-on-failure -j "$(nproc 2>/dev/null || echo 2)" --timeout 600
