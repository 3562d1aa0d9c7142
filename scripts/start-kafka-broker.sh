#!/usr/bin/env bash
# Starts noida-db (a Kafka-protocol broker, from .venv-oracles) on a free loopback port with a
# fresh data directory, waits until it accepts connections, and prints the shell variables the
# Kafka tests read:
#   eval "$(scripts/start-kafka-broker.sh)"   # AVOCET_TEST_KAFKA_BROKERS, AVOCET_KAFKA_BROKER_PID
# Stop it with: kill "$AVOCET_KAFKA_BROKER_PID" (SIGTERM: it exits in under 2 s). Its data
# directory (AVOCET_KAFKA_BROKER_DATA) is ${TMPDIR:-/tmp}/avocet-noida.<pid>/; the log is noida.log
# in it. To restart a broker with its topics, offsets and address, set AVOCET_KAFKA_PORT and
# AVOCET_KAFKA_DATA to those of the stopped one.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${AVOCET_ORACLE_VENV:-$root/.venv-oracles}"
python="$venv/bin/python"
# The binary itself, not the `noida-db` console script (a Python wrapper that would not pass
# SIGTERM on to it).
bin="$("$python" -c 'import noida_db, os; print(os.path.join(os.path.dirname(noida_db.__file__), "noida-db"))')"
[ -x "$bin" ] || chmod +x "$bin"
if [ -n "${AVOCET_KAFKA_PORT:-}" ] && [ -n "${AVOCET_KAFKA_DATA:-}" ]; then
  port="$AVOCET_KAFKA_PORT"
  data="$AVOCET_KAFKA_DATA"
else
  port="$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  data="${TMPDIR:-/tmp}/avocet-noida.$$"
  rm -rf "$data" && mkdir -p "$data"
fi
log="$data/noida.log"
# setsid and closed descriptors: the broker never holds the caller's pipes open.
setsid "$bin" start --only kafka --host 127.0.0.1 --kafka-port "$port" --data-dir "$data" </dev/null >"$log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "export AVOCET_TEST_KAFKA_BROKERS=127.0.0.1:$port AVOCET_KAFKA_BROKER_PID=$pid AVOCET_KAFKA_BROKER_DATA=$data"
    exit 0
  fi
  if ! kill -0 "$pid" 2>/dev/null; then break; fi
  sleep 0.1
done
kill "$pid" 2>/dev/null || true
echo "start-kafka-broker: noida-db did not accept connections on port $port (log: $log)" >&2
exit 1
