#!/usr/bin/env bash
# Compares the Go thumbnail engine with sharp (libvips) and with the naive
# imaging pipeline on the test photographs, on one core, and prints time and
# peak-RSS ratios against sharp.
#
#   tests/bench/thumbnails/compare.sh [-n RUNS] [FILE...]
#
# Needs: Debian packages lomiri-wallpapers-16.04 and lomiri-wallpapers-20.04
# (the photographs), Node.js, and `npm ci` in this directory (sharp).
# Each engine runs in its own process per file, pinned to CPU 0
# (taskset -c 0) with GOMAXPROCS=1 / one libvips and libuv thread, so peak RSS
# is per file. Times are the best of RUNS runs in the same process.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
runs=3
if [[ ${1:-} == -n ]]; then runs=$2; shift 2; fi

if [[ ! -d $here/node_modules/sharp ]]; then
  (cd "$here" && npm ci --no-audit --no-fund >/dev/null)
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$root" && go build -o "$tmp/thumbbench" ./functions/thumbnail/thumbbench)

if [[ $# -gt 0 ]]; then
  files=("$@")
else
  mapfile -t files < <("$tmp/thumbbench" -photos)
fi

one_core() { GOMAXPROCS=1 UV_THREADPOOL_SIZE=1 VIPS_CONCURRENCY=1 taskset -c 0 "$@"; }

for f in "${files[@]}"; do
  one_core "$tmp/thumbbench" -engine fast -n "$runs" "$f" | tail -n 1 | sed 's/^/fast\t/'
  one_core node "$here/sharp.mjs" -n "$runs" "$f" | tail -n 1 | sed 's/^/sharp\t/'
  one_core "$tmp/thumbbench" -engine naive -n "$runs" "$f" | tail -n 1 | sed 's/^/naive\t/'
done >"$tmp/results.tsv"

awk -F'\t' '
  { n = split($2, p, "/"); name[$2] = p[n]; src[$2] = $3; ms[$1, $2] = $4; rss[$1, $2] = $5
    if (!($2 in seen)) { seen[$2] = 1; order[++count] = $2 } }
  END {
    printf "| photo | size | ours ms | sharp ms | naive ms | time ours/sharp | time naive/sharp | ours MiB | sharp MiB | naive MiB | RSS ours/sharp | RSS naive/sharp |\n"
    printf "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
    for (i = 1; i <= count; i++) {
      f = order[i]; split(src[f], d, "x")
      printf "| %s | %s (%.1f MP) | %.0f | %.0f | %.0f | **%.2f** | %.2f | %.0f | %.0f | %.0f | **%.2f** | %.2f |\n",
        name[f], src[f], d[1] * d[2] / 1e6, ms["fast", f], ms["sharp", f], ms["naive", f],
        ms["fast", f] / ms["sharp", f], ms["naive", f] / ms["sharp", f],
        rss["fast", f], rss["sharp", f], rss["naive", f], rss["fast", f] / rss["sharp", f], rss["naive", f] / rss["sharp", f]
    }
  }' "$tmp/results.tsv"
