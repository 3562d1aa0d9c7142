#!/usr/bin/env bash
# The Delta table-opening benchmark of BENCHMARKS.md (issue 3, item 8): load the latest snapshot
# of a table with 10,000 commits and 100,000 live files and list its files, Avocet against
# delta-rs (`deltalake.DeltaTable(path).file_uris()`), once with a checkpoint every 100 commits
# and once with none. Best of 3 runs, each a fresh process; wall time and peak RSS from
# /usr/bin/time. For delta-rs the in-process time (after `import deltalake`) is shown too.
#   Benchmarks/run-delta-open.sh [COMMITS [FILES_PER_COMMIT]]    (tables go to bench-data/)
# AVOCET_SCRATCH=.build-x uses another SwiftPM scratch path for the release build;
# AVOCET=/path/to/avocet skips the build and measures that binary.
set -euo pipefail
cd "$(dirname "$0")/.."
commits=${1:-10000}
per_commit=${2:-10}
runs=3
python=$(scripts/setup-oracles.sh | tail -1)
if [ -n "${AVOCET:-}" ]; then
  avocet=$AVOCET  # a release binary built elsewhere
else
  scratch=${AVOCET_SCRATCH:-.build}
  swift build -c release --scratch-path "$scratch" --product avocet >/dev/null
  avocet=$(swift build -c release --scratch-path "$scratch" --show-bin-path)/avocet
fi
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
  # Avocet: the CLI lists the latest snapshot's files, one per line: as text (path, size,
  # partition values, row count) and, with --json, as the full add action.
  for variant in text json; do
    best=""; rss=0
    for _ in $(seq $runs); do
      if [ $variant = json ]; then
        read -r seconds kb < <(timed "$avocet" files "$table" --json)
      else
        read -r seconds kb < <(timed "$avocet" files "$table")
      fi
      files=$(wc -l <"$out")
      [ "$files" = "$expected" ] || { echo "avocet listed $files files of $table, not $expected" >&2; exit 1; }
      best=$("$python" -c "import sys; print(min(float(x) for x in sys.argv[1:] if x))" "$best" "$seconds")
      rss=$((kb > rss ? kb : rss))
    done
    results+=("$table avocet-$variant $best - $rss $files")
  done
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
import os, sys
rows = [line.split() for line in sys.stdin]
print("| table | engine | seconds (process) | seconds (in-process) | peak RSS MB | files listed |")
print("|---|---|---|---|---|---|")
for table, engine, wall, inner, kb, files in rows:
    inner = "" if inner == "-" else "%.2f" % float(inner)
    print("| %s | %s | %.2f | %s | %.0f | %s |" % (os.path.basename(table), engine, float(wall), inner, int(kb) / 1024, format(int(files), ",")))
print()
for i in range(0, len(rows), 3):
    d = rows[i + 2]
    for a in rows[i:i + 2]:
        print("%s, %s: Avocet takes %.2fx the time of delta-rs (process), %.2fx its in-process time, %.2fx its peak RSS"
              % (os.path.basename(a[0]), a[1], float(a[2]) / float(d[2]), float(a[2]) / float(d[3]), int(a[4]) / int(d[4])))
'
