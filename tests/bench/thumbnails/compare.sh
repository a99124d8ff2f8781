#!/usr/bin/env bash
# Compares the Go thumbnail engine with sharp (libvips) and with the naive
# imaging pipeline on the benchmark corpus, on one core, and prints time and
# peak-RSS ratios against sharp per file and in summary (worst ratio and
# geometric mean).
#
#   tests/bench/thumbnails/compare.sh [-n RUNS] [-no-naive] [FILE...]
#
# Without FILEs it runs the whole corpus (go run ./functions/thumbnail/thumbbench -corpus).
# Needs: the Debian packages in testimg.CorpusPackages (the pictures),
# util-linux (taskset), Node.js, and `npm ci` in this directory (sharp).
# Each engine runs in its own process per file, pinned to CPU 0
# (taskset -c 0) with GOMAXPROCS=1 / one libvips and libuv thread, so peak RSS
# is per file. Times are the best of RUNS runs in the same process.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
runs=3
naive=1
while [[ $# -gt 0 ]]; do
  case $1 in
    -n) runs=$2; shift 2 ;;
    -no-naive) naive=0; shift ;;
    *) break ;;
  esac
done

if [[ ! -d $here/node_modules/sharp ]]; then
  (cd "$here" && npm ci --no-audit --no-fund >/dev/null)
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$root" && go build -o "$tmp/thumbbench" ./functions/thumbnail/thumbbench)

if [[ $# -gt 0 ]]; then
  files=("$@")
else
  mapfile -t files < <(cd "$root" && "$tmp/thumbbench" -corpus)
fi

one_core() { GOMAXPROCS=1 UV_THREADPOOL_SIZE=1 VIPS_CONCURRENCY=1 taskset -c 0 "$@"; }

"$tmp/thumbbench" -describe "${files[@]}" | sed 's/^/class\t/' >"$tmp/results.tsv"
for f in "${files[@]}"; do
  one_core "$tmp/thumbbench" -engine fast -n "$runs" "$f" | tail -n 1 | sed 's/^/fast\t/'
  one_core node "$here/sharp.mjs" -n "$runs" "$f" | tail -n 1 | sed 's/^/sharp\t/'
  if [[ $naive == 1 ]]; then
    one_core "$tmp/thumbbench" -engine naive -n "$runs" "$f" | tail -n 1 | sed 's/^/naive\t/'
  fi
done >>"$tmp/results.tsv"

awk -F'\t' -v naive="$naive" '
  $1 == "class" { class[$2] = $3; shrink[$2] = $5; next }
  { n = split($2, p, "/"); name[$2] = p[n]; src[$2] = $3; ms[$1, $2] = $4; rss[$1, $2] = $5
    if (!($2 in seen)) { seen[$2] = 1; order[++count] = $2 } }
  function cell(e, f, m) { return naive || e != "naive" ? sprintf(" %.0f |", m[e, f]) : "" }
  function ratio(e, f, m, bold) { return naive || e != "naive" ? sprintf(bold ? " **%.2f** |" : " %.2f |", m[e, f] / m["sharp", f]) : "" }
  END {
    printf "| file | class | size | shrink-on-load | ours ms | sharp ms |%s time ours/sharp |%s ours MiB | sharp MiB |%s RSS ours/sharp |%s\n",
      naive ? " naive ms |" : "", naive ? " time naive/sharp |" : "", naive ? " naive MiB |" : "", naive ? " RSS naive/sharp |" : ""
    printf "|---|---|---|---|---:|---:|%s---:|%s---:|---:|%s---:|%s\n", naive ? "---:|" : "", naive ? "---:|" : "", naive ? "---:|" : "", naive ? "---:|" : ""
    for (i = 1; i <= count; i++) {
      f = order[i]; split(src[f], d, "x")
      printf "| %s | %s | %s (%.1f MP) | %s |%s%s%s%s%s%s%s%s%s%s\n", name[f], class[f], src[f], d[1] * d[2] / 1e6, shrink[f],
        cell("fast", f, ms), cell("sharp", f, ms), cell("naive", f, ms), ratio("fast", f, ms, 1), ratio("naive", f, ms, 0),
        cell("fast", f, rss), cell("sharp", f, rss), cell("naive", f, rss), ratio("fast", f, rss, 1), ratio("naive", f, rss, 0)
      tl["fast"] += log(ms["fast", f] / ms["sharp", f]); rl["fast"] += log(rss["fast", f] / rss["sharp", f])
      tw["fast"] = max(tw["fast"], ms["fast", f] / ms["sharp", f]); rw["fast"] = max(rw["fast"], rss["fast", f] / rss["sharp", f])
      if (naive) {
        tl["naive"] += log(ms["naive", f] / ms["sharp", f]); rl["naive"] += log(rss["naive", f] / rss["sharp", f])
        tw["naive"] = max(tw["naive"], ms["naive", f] / ms["sharp", f]); rw["naive"] = max(rw["naive"], rss["naive", f] / rss["sharp", f])
      }
    }
    printf "\n| summary over %d files | time ours/sharp | RSS ours/sharp |%s\n", count, naive ? " time naive/sharp | RSS naive/sharp |" : ""
    printf "|---|---:|---:|%s\n", naive ? "---:|---:|" : ""
    printf "| worst | **%.2f** | **%.2f** |%s\n", tw["fast"], rw["fast"], naive ? sprintf(" %.2f | %.2f |", tw["naive"], rw["naive"]) : ""
    printf "| geometric mean | **%.2f** | **%.2f** |%s\n", exp(tl["fast"] / count), exp(rl["fast"] / count),
      naive ? sprintf(" %.2f | %.2f |", exp(tl["naive"] / count), exp(rl["naive"] / count)) : ""
  }
  function max(a, b) { return a > b ? a : b }' "$tmp/results.tsv"
