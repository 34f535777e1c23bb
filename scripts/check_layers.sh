#!/usr/bin/env bash
# Checks the layer diagram of engine/CMakeLists.txt against the code: every
# #include "engine/<layer>/..." in engine/<dir>/ must name <dir> itself or a
# layer <dir> may use; no engine file includes service/ or gRPC; protobuf
# (generated partnermatch/v1 types, google/protobuf) only at the file-format
# boundaries, engine/io/ and engine/taxonomy/. Prints each violation as
# file:line and exits 1 if there is one. Run by ctest (test layers_check).
#
#   scripts/check_layers.sh [SOURCE_DIR]
set -euo pipefail
root="${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"

# The layers each engine directory may include (besides itself), as linked
# in engine/CMakeLists.txt.
declare -A allowed=(
  [common]=""
  [similarity]=""
  [model]="common"
  [geo]="text model common"
  [text]="model common"
  [taxonomy]="text model common"
  [extraction]="taxonomy text model common"
  [io]="geo text model common"
  [store]="io geo text model common"
  [matching]="extraction taxonomy geo text model common"
  [catalog]="matching store io extraction taxonomy geo text model common"
  [graph]="matching similarity extraction taxonomy geo text model common"
  [planning]="matching similarity extraction taxonomy geo text model common"
)
protobuf_ok=" io taxonomy "

status=0
fail() { echo "$1: $2" >&2; status=1; }

for dir in "$root"/engine/*/; do
  layer="$(basename "$dir")"
  if [[ -z "${allowed[$layer]+set}" ]]; then
    fail "engine/$layer" "a directory the layer diagram does not place (add it to scripts/check_layers.sh and engine/CMakeLists.txt)"
    continue
  fi
  while IFS=: read -r file line include; do
    rel="${file#"$root"/}"
    target="$(sed -E 's/^#include[[:space:]]*[<"]([^">]*)[">].*/\1/' <<<"$include")"
    case "$target" in
      engine/*)
        used="$(cut -d/ -f2 <<<"$target")"
        if [[ "$used" != "$layer" && " ${allowed[$layer]} " != *" $used "* ]]; then
          fail "$rel:$line" "engine/$layer includes a higher or unrelated layer: $target"
        fi ;;
      service/*|grpc*|grpcpp/*)
        fail "$rel:$line" "the engine never includes the service layer or gRPC: $target" ;;
      partnermatch/*|google/protobuf/*)
        if [[ "$protobuf_ok" != *" $layer "* ]]; then
          fail "$rel:$line" "proto types stay at the file-format boundaries (engine/io, engine/taxonomy): $target"
        fi ;;
    esac
  done < <(grep -HnE '^[[:space:]]*#[[:space:]]*include' "$dir"*.h "$dir"*.cc 2>/dev/null | sed -E 's/:[[:space:]]*#[[:space:]]*include/:#include/')
done
if [[ $status -eq 0 ]]; then echo "engine layers: every include follows the diagram"; fi
exit $status
