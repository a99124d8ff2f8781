#!/usr/bin/env bash
# Sets up everything the tests need on a fresh machine and runs them all:
# Debian packages (Chromium for the browser test, real photographs for the
# thumbnail tests), Go modules, the npm emulators, then vet, the race-enabled
# Go suite (unit, component, snapshot, policy, emulator and end-to-end tests),
# the full-size photo tests and the browser test. Exits non-zero on any
# failure.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== Debian packages"
packages=(chromium lomiri-wallpapers-16.04 lomiri-wallpapers-20.04 ukui-wallpapers mate-backgrounds)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

echo "== go modules"
go mod download

echo "== npm emulators"
(cd tests/emulators && npm ci --no-audit --no-fund --loglevel=error)

echo "== go vet"
go vet ./...

echo "== gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go'))
if [ -n "$unformatted" ]; then
  echo "gofmt would change:"; echo "$unformatted"; exit 1
fi

echo "== actionlint (GitHub workflows)"
go run github.com/rhysd/actionlint/cmd/actionlint@v1.7.12 .github/workflows/*.yml

echo "== go test -race (everything; full-size photo tests run next, without the race detector)"
go test -race -short -count=1 -timeout 20m ./...

echo "== go test (thumbnails on real photographs)"
go test -count=1 -timeout 10m ./functions/thumbnail/internal/thumbnail/... ./functions/thumbnail/internal/jpegscale/

echo "== browser test"
./tests/browser/run.sh
