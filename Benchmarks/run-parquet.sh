#!/usr/bin/env bash
# The Parquet benchmark of BENCHMARKS.md: a 10-million-row flow-log table (SNAPPY), read with
# all columns and written, by Avocet and by pyarrow on one thread, same data, same run.
#   Benchmarks/run-parquet.sh [ROWS]       (data and results go to bench-data/)
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-10000000}
python=$(scripts/setup-oracles.sh | tail -1)
mkdir -p bench-data
data=bench-data/flows-$rows.parquet
[ -f "$data" ] || "$python" Benchmarks/scripts/flowlogs.py generate "$data" "$rows"
touch Package.swift  # SwiftPM caches the file list of path dependencies
(cd Benchmarks && swift build -c release --product parquet-bench >/dev/null)
bench=Benchmarks/.build/release/parquet-bench
size=$(stat -L -c %s "$data")
results=bench-data/parquet-results.jsonl
{
  "$bench" read "$data"
  "$bench" read-parallel "$data"
  "$python" Benchmarks/scripts/flowlogs.py read "$data"
  "$bench" write "$data" bench-data/avocet-out.parquet
  "$python" Benchmarks/scripts/flowlogs.py write "$data" bench-data/pyarrow-out.parquet
} > "$results"
"$python" Benchmarks/scripts/results_table.py "$size" < "$results"
