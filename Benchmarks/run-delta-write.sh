#!/usr/bin/env bash
# The Delta write benchmarks of BENCHMARKS.md, Avocet (release build) against polars + deltalake:
#  (a) `avocet generate netflow --rows 250000 --table T` end to end vs netflow_python.py generate
#      (best of 3, wall and CPU seconds);
#  (b) writing 10 M flow rows of pre-generated Parquet into a partitioned table:
#      `avocet write T --input F --format parquet` vs `deltalake.write_deltalake` of the same
#      file, rows/s and peak RSS (/usr/bin/time -f "%e %U %S %M"); plus `avocet generate netflow
#      --rows 10000000` (generation included) for Avocet's RSS without a Parquet reader.
#   Benchmarks/run-delta-write.sh [ROWS_A] [ROWS_B]    (data and tables go to bench-data/)
set -euo pipefail
cd "$(dirname "$0")/.."
rows_a=${1:-250000}
rows_b=${2:-10000000}
python=$(scripts/setup-oracles.sh | tail -1)
scratch=${SCRATCH:-.build-write2}
swift build -c release --product avocet --scratch-path "$scratch" >/dev/null
avocet=$scratch/release/avocet
mkdir -p bench-data
out=bench-data/delta-write
rm -rf "$out"; mkdir -p "$out"

# time LABEL CMD…: prints "LABEL wall=… user=… sys=… rss_kib=…"
measure() {
  local label=$1; shift
  # Flush what earlier runs (and the deletions before this one) left dirty, so that no run pays
  # for another's writeback.
  sync
  /usr/bin/time -f "%e %U %S %M" -o "$out/time.txt" "$@" >/dev/null
  read -r wall user sys rss < "$out/time.txt"
  echo "$label wall=$wall user=$user sys=$sys cpu=$(echo "$user + $sys" | bc) rss_kib=$rss"
}

echo "== (a) generate netflow --rows $rows_a, best of 3 (wall seconds)"
for engine in avocet python; do
  for i in 1 2 3; do
    rm -rf "$out/a-$engine"
    if [ $engine = avocet ]; then
      measure "a avocet #$i" "$avocet" generate netflow --rows "$rows_a" --table "$out/a-$engine"
    else
      measure "a python #$i" "$python" Benchmarks/scripts/netflow_python.py generate "$out/a-$engine" "$rows_a"
    fi
  done
done

echo "== (b) $rows_b rows into a table partitioned by year/month/day"
data=bench-data/netflow-$rows_b.parquet
[ -f "$data" ] || "$python" Benchmarks/scripts/netflow_python.py parquet "$data" "$rows_b" 3 >/dev/null
rm -rf "$out/b-avocet" "$out/b-python" "$out/b-generate"
measure "b avocet write" "$avocet" write "$out/b-avocet" --input "$data" --format parquet --partition-by year,month,day
measure "b deltalake write_deltalake" "$python" Benchmarks/scripts/netflow_python.py write "$data" "$out/b-python"
measure "b avocet generate" "$avocet" generate netflow --rows "$rows_b" --table "$out/b-generate" --days 3
for t in b-avocet b-python b-generate; do
  echo "$t: $("$python" -c 'import sys, deltalake; print(deltalake.DeltaTable(sys.argv[1]).to_pyarrow_dataset().count_rows(), "rows (delta-rs)")' "$out/$t")"
done
