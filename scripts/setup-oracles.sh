#!/usr/bin/env bash
# setup-oracles.sh: create/refresh the Python virtualenv that holds Avocet's
# TEST ORACLES (pyarrow, duckdb, deltalake, polars). The product is pure Swift;
# nothing here is shipped.
#
#   scripts/setup-oracles.sh            # idempotent; a second run is a no-op (< 1 s)
#   AVOCET_ORACLE_VENV=/some/dir scripts/setup-oracles.sh
#   AVOCET_ORACLE_PYTHON=python3.11 scripts/setup-oracles.sh
#
# Pins live in scripts/oracle-requirements.txt. A stamp file inside the venv
# holds the sha256 of (requirements file + base interpreter path); when it
# matches, the script exits immediately. On success the last line printed on
# stdout is the venv's python path. On failure a single line starting with
# "setup-oracles: FAILED" goes to stderr (the full pip log path is in it) and
# the exit code is non-zero.
set -u -o pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
req="$here/oracle-requirements.txt"
venv="${AVOCET_ORACLE_VENV:-$root/.venv-oracles}"
base_py="${AVOCET_ORACLE_PYTHON:-python3}"
stamp="$venv/.avocet-oracles.stamp"
vpy="$venv/bin/python"
log="${TMPDIR:-/tmp}/avocet-setup-oracles.$$.log"

fail() {
  if [ -s "$log" ]; then
    echo "setup-oracles: FAILED: $* (log: $log)" >&2
  else
    echo "setup-oracles: FAILED: $*" >&2
  fi
  exit 1
}

[ -f "$req" ] || fail "requirements file not found: $req"

compute_hash() {
  local base
  base="$(command -v "$base_py" 2>/dev/null || echo "$base_py")"
  if command -v sha256sum >/dev/null 2>&1; then
    { cat "$req"; echo "python=$base"; } | sha256sum | cut -d' ' -f1
  else
    { cat "$req"; echo "python=$base"; } |
      "$base_py" -c 'import hashlib,sys;print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())'
  fi
}

want="$(compute_hash)" || fail "cannot hash $req"

is_current() {
  [ -x "$vpy" ] && [ -f "$stamp" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]
}

# Fast path: nothing to do.
if is_current; then
  echo "$vpy"
  exit 0
fi

# Serialize concurrent runs (e.g. parallel test processes) when flock exists.
lock="$venv/.avocet-oracles.lock"
mkdir -p "$venv" || fail "cannot create $venv"
if command -v flock >/dev/null 2>&1; then
  exec 9>"$lock" || fail "cannot open lock file $lock"
  flock 9 || fail "cannot lock $lock"
  if is_current; then
    echo "$vpy"
    exit 0
  fi
fi

command -v "$base_py" >/dev/null 2>&1 || fail "'$base_py' not found; install python3 (>= 3.10) or set AVOCET_ORACLE_PYTHON"
"$base_py" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' \
  || fail "$base_py is older than 3.10"

: >"$log"
echo "setup-oracles: installing oracle packages into $venv (log: $log)"

# A venv whose interpreter no longer runs (moved, base python upgraded) is rebuilt.
wipe_venv() {  # empty the venv directory but keep the lock file
  find "$venv" -mindepth 1 -maxdepth 1 ! -name "$(basename "$lock")" -exec rm -rf {} + \
    || fail "cannot clean $venv"
}
if [ -e "$vpy" ] && ! "$vpy" -c 'import sys' >/dev/null 2>&1; then
  wipe_venv
fi

if [ ! -x "$vpy" ]; then
  if ! "$base_py" -m venv "$venv" >>"$log" 2>&1; then
    # Debian without python3-venv has no ensurepip: make a pip-less venv and
    # bootstrap pip from its wheel, fetched with the system pip.
    wipe_venv
    "$base_py" -m venv --without-pip "$venv" >>"$log" 2>&1 \
      || fail "cannot create venv at $venv (on Debian: apt-get install python3-venv)"
    wheeldir="$(mktemp -d)"
    "$base_py" -m pip download --no-deps --only-binary :all: -d "$wheeldir" pip >>"$log" 2>&1 \
      || fail "no ensurepip and 'python3 -m pip download pip' failed (on Debian: apt-get install python3-venv or python3-pip)"
    whl="$(ls "$wheeldir"/pip-*.whl | head -n1)"
    "$vpy" "$whl/pip" install --no-index --quiet "$whl" >>"$log" 2>&1 \
      || fail "cannot bootstrap pip into $venv"
    rm -rf "$wheeldir"
  fi
fi

rm -f "$stamp"
"$vpy" -m pip install --disable-pip-version-check --no-input --only-binary :all: \
  -r "$req" >>"$log" 2>&1 \
  || fail "pip install -r $req failed: $(grep -E 'ERROR|error:' "$log" | tail -n1)"

"$vpy" - >>"$log" 2>&1 <<'PY' || fail "installed packages do not import: $(tail -n1 "$log")"
import pyarrow, pyarrow.parquet, duckdb, deltalake, polars  # noqa: F401
duckdb.sql("select 1").fetchall()
PY

echo "$want" >"$stamp" || fail "cannot write stamp $stamp"
rm -f "$log"
echo "setup-oracles: ok"
echo "$vpy"
