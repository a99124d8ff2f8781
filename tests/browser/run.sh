#!/usr/bin/env bash
# Browser test of the blog: installs playwright-core (npm ci), starts local
# mode (go run ./cmd/local, built first so that its PID is known), drives
# headless Chromium through the site with blog.test.mjs, and always stops
# local mode again, also when the test fails or the script is interrupted.
#
# Needs Debian's chromium at /usr/bin/chromium (or CHROMIUM=/path) and the
# npm emulators (npm ci in tests/emulators). Without chromium the test is
# skipped, unless CI=true. Screenshots land in tests/artifacts/browser/.
set -euo pipefail
cd "$(dirname "$0")/../.."

chromium="${CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
  if [ "${CI:-}" = "true" ]; then
    echo "browser test: $chromium not found; install it with: apt-get install -y chromium" >&2
    exit 1
  fi
  echo "browser test skipped: $chromium not found (apt-get install -y chromium)" >&2
  exit 0
fi

echo "== browser test: npm ci"
(cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)

work="$(mktemp -d)"
pid=""
stop_local() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  pid=""
}
cleanup() {
  status=$?
  stop_local
  if [ "$status" -ne 0 ] && [ -f "$work/local.log" ]; then
    echo "== local mode output (last 200 lines)" >&2
    tail -n 200 "$work/local.log" >&2
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "== browser test: starting local mode"
go build -o "$work/local" ./cmd/local
"$work/local" -port 0 -quiet -state "$work/state.json" >"$work/local.log" 2>&1 &
pid=$!
for _ in $(seq 1 1200); do
  [ -s "$work/state.json" ] && break
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "local mode exited before it was ready" >&2
    exit 1
  fi
  sleep 0.5
done
[ -s "$work/state.json" ] || { echo "local mode not ready after 10 minutes" >&2; exit 1; }

echo "== browser test: chromium"
LOCAL_STATE="$work/state.json" CHROMIUM="$chromium" node --test tests/browser/blog.test.mjs
