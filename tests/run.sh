#!/usr/bin/env bash
# Sets up everything the tests need on a fresh machine and runs them all:
# Go modules, the npm emulators (dynalite, aws-ses-v2-local), then go vet and
# the race-enabled test suite. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== go modules"
go mod download

echo "== npm emulators"
(cd tests/emulators && npm ci --no-audit --no-fund --loglevel=error)

echo "== go vet"
go vet ./...

echo "== gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './tests/emulators/*'))
if [ -n "$unformatted" ]; then
  echo "gofmt would change:"; echo "$unformatted"; exit 1
fi

echo "== actionlint (GitHub workflows)"
go run github.com/rhysd/actionlint/cmd/actionlint@v1.7.12 .github/workflows/*.yml

echo "== go test"
go test -race -count=1 -timeout 20m ./...
