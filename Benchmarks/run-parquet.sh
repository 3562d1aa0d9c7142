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
size=$(stat -c %s "$data")
{
  "$bench" read "$data"
  "$python" Benchmarks/scripts/flowlogs.py read "$data"
  "$bench" write "$data" bench-data/avocet-out.parquet
  "$python" Benchmarks/scripts/flowlogs.py write "$data" bench-data/pyarrow-out.parquet
} | "$python" -c '
import json, sys
size = int(sys.argv[1])
print("| engine | operation | rows | wall s | CPU s | rows/s (wall) | MB/s (wall) |")
print("|---|---|---|---|---|---|---|")
for line in sys.stdin:
    r = json.loads(line)
    print(f"| {r[\"engine\"]} | {r[\"op\"]} | {r[\"rows\"]:,} | {r[\"seconds\"]:.2f} | {r[\"cpu\"]:.2f} | {r[\"rows\"]/r[\"seconds\"]/1e6:.2f} M | {size/r[\"seconds\"]/1e6:.0f} |")
' "$size"
