#!/usr/bin/env bash
# Quick start: installs what is missing, builds, and serves the bundled data
# over gRPC (127.0.0.1:50051 unless told otherwise: scripts/serve.sh --port N).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh" -DPM_BUILD_TESTS=OFF -DPM_BUILD_BENCHMARKS=OFF
exec "$PM_BUILD/partner-match" serve "$@"
