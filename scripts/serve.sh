#!/usr/bin/env bash
# Quick start: installs what is missing, builds the partner-match binary, and
# serves the bundled data over gRPC (127.0.0.1:50051 unless told otherwise:
# scripts/serve.sh --port N). Builds only the binary and leaves the build
# directory's options (tests, benchmarks) as they are, so it can share build/
# with scripts/test.sh. Arguments go to `partner-match serve`.
set -euo pipefail
serve_args=("$@")
set --  # setup.sh passes its own arguments to cmake
PM_TARGETS=partner-match
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
exec "$PM_BUILD/partner-match" serve "${serve_args[@]}"
