#!/usr/bin/env bash
# The ingest benchmark of BENCHMARKS.md: end-to-end events per second per CPU core, from log
# files to partitioned Delta tables, Avocet (release build) against the Python baseline
# (Benchmarks/ingest/python_baseline.py: standard-library parsing + pyarrow + deltalake), same run.
#   (a) Zeek conn.log TSV, ~216 B a line     (b) osquery event-format results, ~1 KB a line
#   Benchmarks/run-ingest.sh [ZEEK_ROWS] [OSQUERY_ROWS]    (data and tables go to bench-data/)
# Events/s/core = events / (user + sys CPU seconds); wall seconds and peak RSS are printed too.
set -euo pipefail
cd "$(dirname "$0")/.."
zeek_rows=${1:-2000000}
osquery_rows=${2:-500000}
python=$(scripts/setup-oracles.sh | tail -1)
scratch=${SCRATCH:-.build-sql}
avocet=${AVOCET:-$scratch/release/avocet}
if [ -z "${AVOCET:-}" ]; then swift build -c release --product avocet --scratch-path "$scratch" >/dev/null; fi
out=bench-data/ingest
mkdir -p "$out"
zeek=$out/conn-$zeek_rows.log
osquery=$out/osquery-$osquery_rows.log
[ -f "$zeek" ] || "$python" Benchmarks/ingest/generate.py zeek "$zeek" "$zeek_rows"
[ -f "$osquery" ] || "$python" Benchmarks/ingest/generate.py osquery "$osquery" "$osquery_rows"

# measure LABEL EVENTS CMD…: wall, CPU, events/s/core and peak RSS of one run.
measure() {
  local label=$1 events=$2; shift 2
  /usr/bin/time -f "%e %U %S %M" -o "$out/time.txt" "$@" >/dev/null
  read -r wall user sys rss < "$out/time.txt"
  local cpu
  cpu=$(echo "$user + $sys" | bc)
  echo "$label events=$events wall=${wall}s cpu=${cpu}s events_per_core_s=$(echo "$events / $cpu" | bc) wall_events_s=$(echo "$events / $wall" | bc) rss_mib=$((rss / 1024))"
}

for kind in zeek osquery; do
  if [ $kind = zeek ]; then input=$zeek; events=$zeek_rows; else input=$osquery; events=$osquery_rows; fi
  for run in 1 2; do
    rm -rf "$out/avocet-$kind" "$out/avocet-$kind"_dead_letters "$out/python-$kind"
    measure "avocet $kind run $run" "$events" "$avocet" ingest file --format "$kind" --table "$out/avocet-$kind" "$input"
    measure "python $kind run $run" "$events" "$python" Benchmarks/ingest/python_baseline.py "$kind" "$input" "$out/python-$kind"
  done
done
echo "avocet tables read back:"
"$avocet" sql --format csv "SELECT count(*) AS zeek_rows FROM delta_scan('$out/avocet-zeek')"
"$avocet" sql --format csv "SELECT count(*) AS processes_rows FROM delta_scan('$out/avocet-osquery/processes')"
