#!/usr/bin/env bash
# The SQL benchmark of BENCHMARKS.md: the seed blog's five queries (Benchmarks/seed-queries.sql)
# on a table made by `avocet generate netflow --rows ROWS --seed 42`, Avocet (release build)
# against DuckDB delta_scan and polars scan_delta in the same run: one warm-up, best of 3.
#   Benchmarks/run-sql.sh [ROWS]        (the table goes to bench-data/netflow-ROWS)
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-10000000}
runs=3
python=$(scripts/setup-oracles.sh | tail -1)
scratch=${SCRATCH:-.build-sql}
swift build -c release --product avocet --scratch-path "$scratch" >/dev/null
avocet=$scratch/release/avocet
table=bench-data/netflow-$rows
if [ ! -d "$table/_delta_log" ]; then
  mkdir -p bench-data
  "$avocet" generate netflow --rows "$rows" --seed 42 --table "$table" >/dev/null
fi
echo "table: $table ($(du -sh "$table" | cut -f1)), $rows rows"

# Avocet: each query runs 1 + runs times in one process; --timer prints each statement's time.
index=0
while IFS= read -r -d ';' query; do
  query=$(echo "$query" | sed "s|{path}|$table|g")
  [ -z "$(echo "$query" | tr -d '[:space:]')" ] && continue
  script=""
  for _ in $(seq 0 $runs); do script="$script$query;"$'\n'; done
  times=$("$avocet" sql --timer --format csv "$script" 2>&1 >/dev/null | sed -n 's/^time: //p')
  best=$(echo "$times" | tail -n $runs | awk '{ s = $1; if ($2 == "ms") s = s / 1000; print s }' | sort -g | head -1)
  rowsOut=$("$avocet" sql --format csv "$query" | tail -n +2 | wc -l)
  echo "avocet $index $best $rowsOut"
  index=$((index + 1))
done < Benchmarks/seed-queries.sql

"$python" Benchmarks/scripts/sql_peers.py "$table" Benchmarks/seed-queries.sql $runs
