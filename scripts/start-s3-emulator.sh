#!/usr/bin/env bash
# Starts moto_server (from .venv-oracles) on a free loopback port, waits until it answers, and
# prints the shell variables the S3 tests read:
#   eval "$(scripts/start-s3-emulator.sh)"   # AVOCET_TEST_S3_ENDPOINT, AVOCET_S3_EMULATOR_PID
# Stop it with: kill "$AVOCET_S3_EMULATOR_PID". Its log goes to ${TMPDIR:-/tmp}/avocet-moto.<pid>.log.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${AVOCET_ORACLE_VENV:-$root/.venv-oracles}"
python="$venv/bin/python"
port="$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
log="${TMPDIR:-/tmp}/avocet-moto.$$.log"
# setsid and closed descriptors: the emulator never holds the caller's pipes open.
setsid "$venv/bin/moto_server" -H 127.0.0.1 -p "$port" </dev/null >"$log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
  if "$python" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/moto-api/', timeout=1)" 2>/dev/null; then
    echo "export AVOCET_TEST_S3_ENDPOINT=http://127.0.0.1:$port AVOCET_S3_EMULATOR_PID=$pid"
    exit 0
  fi
  sleep 0.2
done
kill "$pid" 2>/dev/null || true
echo "start-s3-emulator: moto_server did not answer on port $port (log: $log)" >&2
exit 1
