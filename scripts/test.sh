#!/usr/bin/env bash
# Runs every test from a fresh clone: installs the Python test oracles (pyarrow, DuckDB,
# deltalake) into .venv-oracles, then builds and runs the Swift test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-oracles.sh
swift build --build-tests
swift test --skip-build "$@"
