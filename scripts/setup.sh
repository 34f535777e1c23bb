#!/usr/bin/env bash
# Installs what the build needs (Debian 12 packages) when any is missing, then
# configures and builds partner-match in build/ (Release). Sourced by
# scripts/serve.sh and scripts/test.sh; safe to run again.
# Arguments are passed to cmake's configure step (e.g. -DPM_BUILD_TESTS=ON);
# an existing build directory keeps the options it was configured with unless
# given again. PM_TARGETS (space-separated) builds only those targets.
# PM_EXTRA_PACKAGES (space-separated) are installed too; with
# PM_PACKAGES_ONLY=1 the script only installs (scripts/fuzz.sh, sanitize.sh).
set -euo pipefail

PM_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PM_BUILD="${PM_BUILD:-$PM_ROOT/build}"
PM_PACKAGES=(
  cmake g++ make pkg-config
  libeigen3-dev libboost-graph-dev
  libprotobuf-dev protobuf-compiler
  libgrpc++-dev protobuf-compiler-grpc
  libabsl-dev libsqlite3-dev libstemmer-dev libutf8proc-dev libcli11-dev
  libexttextcat-dev
  libigraph-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  openssl
  chromium fonts-liberation python3
  libpq-dev postgresql
)

# shellcheck disable=SC2206  # a list of package names
PM_PACKAGES+=(${PM_EXTRA_PACKAGES:-})

missing=()
for p in "${PM_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
    missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

[ -z "${PM_PACKAGES_ONLY:-}" ] || return 0

jobs="$(nproc 2>/dev/null || echo 2)"
cmake -S "$PM_ROOT" -B "$PM_BUILD" -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
if [ -n "${PM_TARGETS:-}" ]; then
  # shellcheck disable=SC2086  # a list of target names
  cmake --build "$PM_BUILD" -j "$jobs" --target $PM_TARGETS
else
  cmake --build "$PM_BUILD" -j "$jobs"
fi
