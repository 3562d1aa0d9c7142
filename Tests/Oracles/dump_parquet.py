"""Print a Parquet file's rows as canonical JSON lines (Avocet test oracle).

    python dump_parquet.py FILE [--engine pyarrow|duckdb]

Reads FILE (typically one written by Avocet) with an independent reader and
prints one canonical JSON object per row (render.py rules) to stdout, UTF-8,
"\\n"-terminated. Exit status 0 on success; if the file cannot be read the
reader's error goes to stderr (one line, "dump_parquet: <engine>: <error>")
and the exit status is 1 (2 for a usage error).

--engine pyarrow (default)
    ``pyarrow.parquet.read_table(FILE, arrow_extensions_enabled=True)``:
    Parquet UUID -> arrow.uuid (rendered as a UUID string), JSON -> arrow.json
    (a string); INT96 -> timestamp[ns] without a zone (9 fraction digits);
    an ARROW:schema in the footer restores Arrow types (time zones, large
    types, dictionary) -- none of which changes the rendering.

--engine duckdb
    ``SELECT * FROM read_parquet(FILE)`` in DuckDB, converted to Arrow and
    rendered the same way. DuckDB maps types on the way, so for the same file
    its lines can differ from pyarrow's. Observed with duckdb 1.5.5 on the
    fixture matrix (every other column of every fixture renders identically):

    * TIME(NANOS) (time64[ns]) comes back as TIME in microseconds: 6
      fraction digits, nanoseconds truncated ("07:35:44.772942" for
      pyarrow's "07:35:44.772942317").
    * Zone-aware TIMESTAMP(NANOS) (isAdjustedToUTC=true) comes back as
      TIMESTAMP WITH TIME ZONE in microseconds: "...ffffffZ", truncated
      toward zero (-1 ns gives "1970-01-01T00:00:00.000000Z").
      Zone-less TIMESTAMP(NANOS) keeps 9 digits (TIMESTAMP_NS). MILLIS and
      MICROS timestamps render the same as with pyarrow.
    * INT96 comes back as TIMESTAMP (microseconds, no zone): "...ffffff"
      (pyarrow: timestamp[ns], "...fffffffff"), floored (-1 ns gives
      "1969-12-31T23:59:59.999999").
    * FLOAT16 is widened to float32, so the shortest text is float32's
      (65504.0 where pyarrow's float16 rendering gives 65500.0): same value.
    * UUID and JSON logical types come back as strings: same text.
    * Parquet's NULL logical type (pyarrow's null column) comes back as an
      INTEGER column of nulls: same text (null).
    * BYTE_STREAM_SPLIT on INT32, INT64 or FIXED_LEN_BYTE_ARRAY columns is
      refused ("BYTE_STREAM_SPLIT encoding is only supported for FLOAT or
      DOUBLE data"): exit status 1.
    * Legacy two-level lists: DuckDB ignores the Parquet spec's
      backward-compatibility rule for a one-field repeated group named
      "array" or "<list>_tuple" and returns lists of that field's values,
      where pyarrow (and the spec) return lists of one-field structs.
    * Row order is the file's order.
"""

from __future__ import annotations

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import render  # noqa: E402


def read_pyarrow(path: str):
    return render.read_parquet(path)


def read_duckdb(path: str):
    import duckdb  # noqa: PLC0415
    con = duckdb.connect()
    try:
        con.execute("SET TimeZone='UTC'")
        return con.execute("SELECT * FROM read_parquet(?)", [path]).to_arrow_table()
    finally:
        con.close()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Print a Parquet file as canonical JSON lines.")
    ap.add_argument("file")
    ap.add_argument("--engine", choices=["pyarrow", "duckdb"], default="pyarrow")
    args = ap.parse_args(argv)

    if not os.path.isfile(args.file):
        print(f"dump_parquet: {args.engine}: no such file: {args.file}", file=sys.stderr)
        return 1
    try:
        table = (read_duckdb if args.engine == "duckdb" else read_pyarrow)(args.file)
        lines = list(render.iter_jsonl(table))
    except Exception as e:  # noqa: BLE001 - any reader failure is the answer
        msg = " ".join(str(e).split())
        print(f"dump_parquet: {args.engine}: {type(e).__name__}: {msg}", file=sys.stderr)
        return 1
    out = sys.stdout
    out.reconfigure(encoding="utf-8", newline="\n")
    for line in lines:
        out.write(line)
        out.write("\n")
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
