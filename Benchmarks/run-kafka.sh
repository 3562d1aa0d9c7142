#!/usr/bin/env bash
# The Kafka benchmark of BENCHMARKS.md: osquery result messages (~1 KB each, one per message, as
# osquery's Kafka logger sends them) consumed from a local Kafka-protocol broker (noida-db) into
# per-query Delta tables, `avocet ingest kafka` (release build) against a Python consumer
# (Benchmarks/kafka/python_consumer.py: confluent-kafka + deltalake), same run, same broker.
#   Benchmarks/run-kafka.sh [MESSAGES] [COMPRESSION]       (data and tables go to bench-data/kafka)
# Messages/s/core = messages / (user + sys CPU seconds of the consumer process); the broker's CPU
# is not counted for either. Wall seconds and peak RSS are printed too.
set -euo pipefail
cd "$(dirname "$0")/.."
messages=${1:-300000}
compression=${2:-none}
python=$(scripts/setup-oracles.sh | tail -1)
scratch=${SCRATCH:-.build-bench}
avocet=${AVOCET:-$scratch/release/avocet}
if [ -z "${AVOCET:-}" ]; then swift build -c release --product avocet --scratch-path "$scratch" >/dev/null; fi
out=bench-data/kafka
mkdir -p "$out"
input=$out/osquery-$messages.log
[ -f "$input" ] || "$python" Benchmarks/ingest/generate.py osquery "$input" "$messages"
echo "message size: $(( $(stat -c %s "$input") / messages )) bytes on average"

eval "$(scripts/start-kafka-broker.sh)"
trap 'kill $AVOCET_KAFKA_BROKER_PID 2>/dev/null || true; rm -rf "$AVOCET_KAFKA_BROKER_DATA"' EXIT
brokers=$AVOCET_TEST_KAFKA_BROKERS
"$python" Benchmarks/kafka/produce.py "$brokers" osquery 4 "$input" "$compression" >/dev/null

# measure LABEL CMD…: wall, CPU, messages/s/core and peak RSS of one run.
measure() {
  local label=$1; shift
  /usr/bin/time -f "%e %U %S %M" -o "$out/time.txt" "$@" >/dev/null
  read -r wall user sys rss < "$out/time.txt"
  local cpu
  cpu=$(echo "$user + $sys" | bc)
  echo "$label messages=$messages wall=${wall}s cpu=${cpu}s messages_per_core_s=$(echo "$messages / $cpu" | bc) wall_messages_s=$(echo "$messages / $wall" | bc) rss_mib=$((rss / 1024))"
}

for run in 1 2 3; do
  rm -rf "$out/avocet" "$out/avocet_dead_letters" "$out/python"
  measure "avocet run $run" "$avocet" ingest kafka --brokers "$brokers" --topic osquery --group "avocet-$run" \
    --format osquery --table "$out/avocet" --until-caught-up
  measure "python run $run" "$python" Benchmarks/kafka/python_consumer.py "$brokers" osquery "python-$run" "$out/python"
done
echo "tables read back (rows per query table, avocet then python):"
for name in processes listening_ports logged_in_users file_events; do
  echo "$name: $("$avocet" sql --format csv "SELECT count(*) FROM delta_scan('$out/avocet/$name')" | tail -1)" \
    "$("$avocet" sql --format csv "SELECT count(*) FROM delta_scan('$out/python/$name')" | tail -1)"
done
