#!/usr/bin/env bash
# Runs every test from a fresh clone: installs the Python test oracles (pyarrow, DuckDB,
# deltalake, moto) into .venv-oracles, starts the S3 emulator (moto_server) on loopback for
# the S3 tests, then builds and runs the Swift test suite. The emulator stops on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-oracles.sh
eval "$(scripts/start-s3-emulator.sh)"
trap 'kill -9 "$AVOCET_S3_EMULATOR_PID" 2>/dev/null || true' EXIT
swift build --build-tests
swift test --skip-build "$@"
