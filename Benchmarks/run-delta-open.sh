#!/usr/bin/env bash
# The Delta table-opening benchmark of BENCHMARKS.md (issue 3, item 8): load the latest snapshot
# of a table with 10,000 commits and 100,000 live files and list its files, Avocet against
# delta-rs (`deltalake.DeltaTable(path).file_uris()`), once with a checkpoint every 100 commits
# and once with none. Best of 3 runs, each a fresh process; wall time and peak RSS from
# /usr/bin/time. For delta-rs the in-process time (after `import deltalake`) is shown too.
#   Benchmarks/run-delta-open.sh [COMMITS [FILES_PER_COMMIT]]    (tables go to bench-data/)
# AVOCET_SCRATCH=.build-x uses another SwiftPM scratch path for the release build.
set -euo pipefail
cd "$(dirname "$0")/.."
commits=${1:-10000}
per_commit=${2:-10}
runs=3
python=$(scripts/setup-oracles.sh | tail -1)
scratch=${AVOCET_SCRATCH:-.build}
swift build -c release --scratch-path "$scratch" --product avocet >/dev/null
avocet=$(swift build -c release --scratch-path "$scratch" --show-bin-path)/avocet
mkdir -p bench-data
expected=$((commits * per_commit))

tables=()
for interval in 100 0; do
  name=log-$commits-x$per_commit-$([ "$interval" = 0 ] && echo nocheckpoint || echo checkpoint$interval)
  table=bench-data/$name
  if [ ! -f "$table/_delta_log/$(printf %020d $((commits - 1))).json" ]; then
    "$python" Benchmarks/scripts/make_log_table.py "$table" --commits "$commits" \
      --files-per-commit "$per_commit" --checkpoint-interval "$interval"
  fi
  tables+=("$table")
done

timed() {  # prints "seconds peakKB" of the command; its stdout goes to $out
  local stats
  stats=$(mktemp)
  /usr/bin/time -o "$stats" -f "%e %M" "$@" >"$out"
  cat "$stats"
  rm -f "$stats"
}

out=$(mktemp)
trap 'rm -f "$out"' EXIT
results=()
for table in "${tables[@]}"; do
  # Avocet: the CLI lists the latest snapshot's files, one add action per line.
  best=""; rss=0
  for _ in $(seq $runs); do
    read -r seconds kb < <(timed "$avocet" files "$table" --json)
    files=$(wc -l <"$out")
    [ "$files" = "$expected" ] || { echo "avocet listed $files files of $table, not $expected" >&2; exit 1; }
    best=$("$python" -c "import sys; print(min(float(x) for x in sys.argv[1:] if x))" "$best" "$seconds")
    rss=$((kb > rss ? kb : rss))
  done
  results+=("$table avocet $best - $rss $files")
  # delta-rs in a fresh Python process each run.
  best=""; inproc=""; rss=0
  for _ in $(seq $runs); do
    read -r seconds kb < <(timed "$python" Benchmarks/scripts/deltars_open.py "$table")
    read -r inner files < <("$python" -c 'import json,sys; r=json.load(sys.stdin); print(r["seconds"], r["files"])' <"$out")
    [ "$files" = "$expected" ] || { echo "delta-rs listed $files files of $table, not $expected" >&2; exit 1; }
    best=$("$python" -c "import sys; print(min(float(x) for x in sys.argv[1:] if x))" "$best" "$seconds")
    inproc=$("$python" -c "import sys; print(min(float(x) for x in sys.argv[1:] if x))" "$inproc" "$inner")
    rss=$((kb > rss ? kb : rss))
  done
  results+=("$table delta-rs $best $inproc $rss $files")
done

printf '%s\n' "${results[@]}" | "$python" -c '
import sys
rows = [line.split() for line in sys.stdin]
print("| table | engine | seconds (process) | seconds (in-process) | peak RSS MB | files listed |")
print("|---|---|---|---|---|---|")
for table, engine, wall, inner, kb, files in rows:
    inner = "" if inner == "-" else f"{float(inner):.2f}"
    print(f"| {table.split(\"/\")[-1]} | {engine} | {float(wall):.2f} | {inner} | {int(kb)/1024:.0f} | {int(files):,} |")
print()
for i in range(0, len(rows), 2):
    a, d = rows[i], rows[i + 1]
    print(f"{a[0].split(\"/\")[-1]}: Avocet takes {float(a[2]) / float(d[2]):.2f}x the time of delta-rs (process), "
          f"{float(a[2]) / float(d[3]):.2f}x its in-process time; {int(a[4]) / int(d[4]):.2f}x its peak RSS")
'
