#!/usr/bin/env bash
# The S3 benchmark of BENCHMARKS.md: the same flow table (`avocet generate netflow --rows ROWS
# --seed 42 --days 7`) on local disk and in the S3 emulator (moto_server on loopback, started
# here), scanned by Avocet from both and by delta-rs from the emulator, in the same run.
#   Benchmarks/run-s3.sh [ROWS]     (one warm-up, best of 3)
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-10000000}
runs=3
python=$(scripts/setup-oracles.sh | tail -1)
scratch=${SCRATCH:-.build-sql}
swift build -c release --product avocet --scratch-path "$scratch" >/dev/null
avocet=$scratch/release/avocet
eval "$(scripts/start-s3-emulator.sh)"
trap 'kill -9 "$AVOCET_S3_EMULATOR_PID" 2>/dev/null || true' EXIT
export AWS_ENDPOINT_URL=$AVOCET_TEST_S3_ENDPOINT AWS_ALLOW_HTTP=true AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench \
  AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true
"$python" -c "import urllib.request; urllib.request.urlopen(urllib.request.Request('$AWS_ENDPOINT_URL/bench', method='PUT'))"

local=bench-data/s3-local-$rows
remote=s3://bench/flows-$rows
rm -rf "$local"
mkdir -p bench-data
start=$(date +%s.%N)
"$avocet" generate netflow --rows "$rows" --seed 42 --days 7 --table "$local" >/dev/null
mid=$(date +%s.%N)
"$avocet" generate netflow --rows "$rows" --seed 42 --days 7 --table "$remote" >/dev/null
end=$(date +%s.%N)
echo "write local $(echo "$mid - $start" | bc) s, write s3 $(echo "$end - $mid" | bc) s ($(du -sh "$local" | cut -f1))"

query="SELECT count(*), sum(total_bytes), sum(total_packets), max(event_time) FROM delta_scan('{path}') WHERE action = 'block'"
for target in "$local" "$remote"; do
  q=${query//\{path\}/$target}
  script=""
  for _ in $(seq 0 $runs); do script="$script$q;"$'\n'; done
  times=$("$avocet" sql --timer --format csv "$script" 2>&1 >/dev/null | sed -n 's/^time: //p')
  best=$(echo "$times" | tail -n $runs | awk '{ s = $1; if ($2 == "ms") s = s / 1000; print s }' | sort -g | head -1)
  echo "avocet $target $best s: $("$avocet" sql --format csv "$q" | tail -1)"
done

"$python" - "$remote" "$runs" <<'PY'
import os, sys, time
import deltalake, pyarrow.compute as pc
path, runs = sys.argv[1], int(sys.argv[2])
opts = {k: os.environ[k] for k in ("AWS_ENDPOINT_URL", "AWS_ALLOW_HTTP", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION")}
best = None
for i in range(runs + 1):
    t0 = time.perf_counter()
    table = deltalake.DeltaTable(path, storage_options=opts).to_pyarrow_table(
        columns=["total_bytes", "total_packets", "event_time", "action"])
    blocked = table.filter(pc.equal(table["action"], "block"))
    result = (blocked.num_rows, pc.sum(blocked["total_bytes"]).as_py(), pc.sum(blocked["total_packets"]).as_py(), pc.max(blocked["event_time"]).as_py())
    elapsed = time.perf_counter() - t0
    if i > 0:
        best = elapsed if best is None else min(best, elapsed)
print(f"delta-rs {path} {best:.3f} s: {result}", flush=True)
os._exit(0)
PY
