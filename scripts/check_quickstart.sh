#!/usr/bin/env bash
# CI check of the README's first quick-start command: runs
# `./scripts/serve.sh --port 0` with a fresh default store (a temporary
# XDG_DATA_HOME), waits until grpc.health.v1.Health/Check answers SERVING,
# checks the printed summary against the README's, checks that a second
# server on the same port is refused, and stops the first by SIGTERM,
# expecting a clean exit. Every wait is bounded. Run from anywhere; builds
# the binary if needed (as serve.sh does).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${PM_BUILD:-$root/build}"
start_timeout="${PM_QUICKSTART_START_TIMEOUT:-1200}"  # a fresh clone builds

work="$(mktemp -d)"
server=""
cleanup() {
  if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then
    kill -KILL "$server" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "check_quickstart: FAIL: $*" >&2
  echo "--- serve.sh stdout" >&2; cat "$work/out" >&2 || true
  echo "--- serve.sh stderr" >&2; tail -n 40 "$work/err" >&2 || true
  exit 1
}

export XDG_DATA_HOME="$work/data"
unset PARTNER_MATCH_DB
cd "$root"
./scripts/serve.sh --port 0 >"$work/out" 2>"$work/err" &
server=$!

# The address line: "partner-match serving partnermatch.v1.PartnerMatch on
# 127.0.0.1:PORT (store …)".
address=""
for ((i = 0; i < start_timeout * 10; i++)); do
  address="$(sed -n 's/^partner-match serving partnermatch\.v1\.PartnerMatch on \([^ ]*\) .*/\1/p' "$work/out")"
  [ -n "$address" ] && break
  kill -0 "$server" 2>/dev/null || fail "serve.sh exited before serving"
  sleep 0.1
done
[ -n "$address" ] || fail "no address printed within ${start_timeout}s"
port="${address##*:}"
echo "check_quickstart: serving on $address"

timeout 60 "$build/partner-match" health --address "$address" --wait 30 \
  >"$work/health" || fail "health: $(cat "$work/health")"
timeout 60 "$build/partner-match" health --address "$address" \
  --service partnermatch.v1.PartnerMatch >>"$work/health" ||
  fail "health of partnermatch.v1.PartnerMatch: $(cat "$work/health")"
[ "$(cat "$work/health")" = "SERVING
SERVING" ] || fail "health answered: $(cat "$work/health")"

# The summary, as the README shows it.
for ((i = 0; i < 300; i++)); do
  grep -q '^Ctrl-C or SIGTERM stops the server\.$' "$work/out" && break
  sleep 0.1
done
expected="$(grep -m1 '^[0-9]* profiles loaded: ' README.md)"
grep -qxF "$expected" "$work/out" || fail "summary differs from the README's: $expected"
grep -qx 'strongest suggested pairs:' "$work/out" || fail "no strongest pairs"
[ -f "$XDG_DATA_HOME/partner-match/store.db" ] ||
  fail "no store created at \$XDG_DATA_HOME/partner-match/store.db"

# A second server on the busy port is refused, naming the address.
if timeout 60 "$build/partner-match" serve --port "$port" \
  >"$work/second.out" 2>"$work/second.err"; then
  fail "a second server started on the busy port $port"
fi
grep -qF "127.0.0.1:$port" "$work/second.err" ||
  fail "the refusal does not name the address: $(cat "$work/second.err")"

kill -TERM "$server"
# A watchdog bounds the wait: SIGKILL after 15 s (exit status 137).
(sleep 15 && kill -KILL "$server" 2>/dev/null) &
watchdog=$!
status=0
wait "$server" || status=$?
kill "$watchdog" 2>/dev/null || true
server=""
[ "$status" -ne 137 ] || fail "still running 15 s after SIGTERM"
[ "$status" -eq 0 ] || fail "exit status $status after SIGTERM"
tail -n 1 "$work/out" | grep -qx stopped || fail "no 'stopped' after SIGTERM"
echo "check_quickstart: OK (health SERVING, summary as in the README," \
  "busy port refused, clean stop)"
