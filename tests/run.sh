#!/usr/bin/env bash
# Sets up everything the tests need on a fresh machine and runs them all:
# Debian packages (Chromium for the browser test, real photographs for the
# thumbnail tests, mypy for the Python SDK check), Go modules, the npm
# emulators, then vet, the race-enabled Go suite (unit, component, snapshot,
# policy, emulator and end-to-end tests), the component provider's tests
# (schema golden, Construct against mocks, embedded functions, TypeScript and
# Python SDKs), the full-size photo tests and the browser test. Exits
# non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== Debian packages"
packages=(chromium lomiri-wallpapers-16.04 lomiri-wallpapers-20.04 ukui-wallpapers mate-backgrounds python3-mypy)
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

echo "== npm emulators and the IAM evaluator"
(cd tests/emulators && npm ci --no-audit --no-fund --loglevel=error)
(cd dev/access/sim && npm ci --no-audit --no-fund --loglevel=error)

echo "== go vet"
go vet ./...
(cd tests/consumer && go mod download)

echo "== gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go'))
if [ -n "$unformatted" ]; then
  echo "gofmt would change:"; echo "$unformatted"; exit 1
fi

echo "== actionlint (GitHub workflows)"
go run github.com/rhysd/actionlint/cmd/actionlint@v1.7.12 .github/workflows/*.yml

echo "== go test -race (everything; full-size photo tests run next, without the race detector)"
go test -race -short -count=1 -timeout 20m ./...

echo "== consumer module (every component used from another module, through public packages only)"
(cd tests/consumer && go vet ./... && go test -count=1 ./...)

echo "== component provider (provider/: schema golden, every component through Construct, embedded functions, SDKs)"
(cd provider/internal/sdkgen/testdata/typescript && npm ci --no-audit --no-fund --loglevel=error)
# Only the function archives are generated here: the argsgen output is
# committed, and a test fails when it is stale.
(cd provider && go generate ./internal/functions/ && go vet ./... && go test -count=1 ./...)

echo "== go test (thumbnails on real photographs)"
go test -count=1 -timeout 10m ./functions/thumbnail/internal/thumbnail/... ./functions/thumbnail/internal/jpegscale/

echo "== go test (thumbnail interleavings against the S3 emulator, too slow under the race detector)"
go test -count=1 -timeout 10m -run TestInterleavings ./functions/thumbnail/

echo "== browser test"
./tests/browser/run.sh
