#!/usr/bin/env bash
# Builds the provider's release archives into provider/bin/, one per
# platform Pulumi runs on, named as Pulumi's github:// plugin download
# expects (the schema's pluginDownloadURL):
#   pulumi-resource-serverless-arch-v<version>-<os>-<arch>.tar.gz
# Each binary carries the functions' archives, built first by go generate
# with this machine's Go, which must be the version the repository pins
# (1.26.8) for them to equal a Go program's. <version> is crosslang.Version;
# a release is tagged v<version>.
set -euo pipefail
cd "$(dirname "$0")"
version=$(sed -n 's/^const Version = "\(.*\)"$/\1/p' internal/crosslang/provider.go)
if [ -n "${RELEASE_TAG:-}" ] && [ "$RELEASE_TAG" != "v$version" ]; then
  echo "tag $RELEASE_TAG is not v$version (crosslang.Version)" >&2
  exit 1
fi
go generate ./internal/functions/
rm -rf bin && mkdir -p bin
for target in linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64; do
  os=${target%/*} arch=${target#*/}
  exe=pulumi-resource-serverless-arch
  [ "$os" = windows ] && exe=$exe.exe
  mkdir -p "bin/$os-$arch"
  CGO_ENABLED=0 GOOS=$os GOARCH=$arch go build -trimpath -ldflags "-s -w" -o "bin/$os-$arch/$exe" .
  tar -czf "bin/pulumi-resource-serverless-arch-v$version-$os-$arch.tar.gz" -C "bin/$os-$arch" "$exe"
done
ls -l bin/*.tar.gz
