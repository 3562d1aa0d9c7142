#!/usr/bin/env python3
"""Cross-check the SQL corpus (*.sqltest) against DuckDB.

Loads every tables/<name>.csv into DuckDB (typed per the header line), runs each record that is
not marked `duckdb-skip`, renders the rows by the corpus rules and compares them with the
expected rows. Every query also runs against two more copies of the tables whose rows are
reversed and shuffled, so a result that depends on the physical row order (ties in an ORDER BY,
LIMIT without a full ORDER BY, ROW_NUMBER over ties, ...) is reported as non-deterministic.

    .venv-oracles/bin/python Tests/EngineTests/Corpus/check_duckdb.py            # check all
    .venv-oracles/bin/python Tests/EngineTests/Corpus/check_duckdb.py --file joins
    .venv-oracles/bin/python Tests/EngineTests/Corpus/check_duckdb.py --rewrite  # fill in results

Exits 1 when any record fails.
"""

from __future__ import annotations

import argparse
import datetime as dt
import decimal
import math
import pathlib
import random
import re
import sys
from dataclasses import dataclass, field

import ipaddress

import duckdb
import pyarrow as pa

CORPUS = pathlib.Path(__file__).resolve().parent
TABLES = CORPUS / "tables"

TYPES = {
    "boolean": ("BOOLEAN", pa.bool_()),
    "integer": ("INTEGER", pa.int32()),
    "bigint": ("BIGINT", pa.int64()),
    "double": ("DOUBLE", pa.float64()),
    "varchar": ("VARCHAR", pa.string()),
    "date": ("DATE", pa.date32()),
    "timestamp": ("TIMESTAMP", pa.timestamp("us")),
}


# ----------------------------------------------------------------------------------------------
# Tables


def split_csv_line(line: str, where: str) -> list[tuple[str, bool]]:
    """RFC 4180 fields of one line as (text, was_quoted). Embedded newlines are not supported."""
    fields: list[tuple[str, bool]] = []
    i, n = 0, len(line)
    while True:
        if i < n and line[i] == '"':
            i += 1
            buf = []
            while True:
                if i >= n:
                    raise ValueError(f"{where}: unterminated quoted field")
                c = line[i]
                if c == '"':
                    if i + 1 < n and line[i + 1] == '"':
                        buf.append('"')
                        i += 2
                        continue
                    i += 1
                    break
                buf.append(c)
                i += 1
            if i < n and line[i] != ",":
                raise ValueError(f"{where}: text after closing quote")
            fields.append(("".join(buf), True))
        else:
            j = line.find(",", i)
            j = n if j < 0 else j
            text = line[i:j]
            if '"' in text:
                raise ValueError(f"{where}: quote inside unquoted field {text!r}")
            fields.append((text, False))
            i = j
        if i >= n:
            return fields
        i += 1  # the comma
        if i == n:
            fields.append(("", False))
            return fields


def convert(text: str, kind: str, where: str):
    if kind == "boolean":
        low = text.lower()
        if low not in ("true", "false"):
            raise ValueError(f"{where}: bad boolean {text!r}")
        return low == "true"
    if kind in ("integer", "bigint"):
        return int(text)
    if kind == "double":
        return float(text)
    if kind == "varchar":
        return text
    if kind == "date":
        return dt.date.fromisoformat(text)
    if kind == "timestamp":
        return dt.datetime.fromisoformat(text.replace("T", " "))
    raise ValueError(f"{where}: unknown type {kind}")


@dataclass
class Table:
    name: str
    columns: list[tuple[str, str]]
    rows: list[list[object]]

    def arrow(self, rows: list[list[object]]) -> pa.Table:
        arrays = [
            pa.array([r[i] for r in rows], type=TYPES[kind][1]) for i, (_, kind) in enumerate(self.columns)
        ]
        return pa.Table.from_arrays(arrays, names=[c for c, _ in self.columns])


def read_table(path: pathlib.Path) -> Table:
    lines = path.read_text(encoding="utf-8").splitlines()
    header = []
    for part in lines[0].split(","):
        name, _, kind = part.strip().partition(":")
        if kind not in TYPES:
            raise ValueError(f"{path.name}:1: unknown type {kind!r} for column {name!r}")
        header.append((name, kind))
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        if line == "":
            continue
        where = f"{path.name}:{number}"
        fields = split_csv_line(line, where)
        if len(fields) != len(header):
            raise ValueError(f"{where}: {len(fields)} fields, header has {len(header)}")
        row = []
        for (text, quoted), (_, kind) in zip(fields, header):
            row.append(None if text == "" and not quoted else convert(text, kind, where))
        rows.append(row)
    return Table(path.stem, header, rows)


# Reference implementations of Avocet's IP functions, registered as DuckDB UDFs so records marked
# `duckdb-skip: Avocet-specific IP function` are checked too. NULL in, NULL out.

# Addresses not routable on the public internet: RFC 1918, loopback, link-local, carrier-grade
# NAT (RFC 6598), and IPv6 unique-local, link-local and loopback.
PRIVATE_NETWORKS = [ipaddress.ip_network(n) for n in (
    "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8", "169.254.0.0/16", "100.64.0.0/10",
    "fc00::/7", "fe80::/10", "::1/128")]
IP_SKIP_REASON = "Avocet-specific IP function"


def _address(text):
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _is_valid_ip(text):
    return None if text is None else _address(text) is not None


def _ip_version(text):
    a = None if text is None else _address(text)
    return None if a is None else a.version


def _is_private_ip(text):
    a = None if text is None else _address(text)
    if a is None:
        return None
    return any(a.version == n.version and a in n for n in PRIVATE_NETWORKS)


def _cidr_contains(cidr, text):
    if cidr is None or text is None:
        return None
    a = _address(text)
    try:
        n = ipaddress.ip_network(cidr, strict=False)
    except ValueError:
        return None
    if a is None:
        return None
    return a.version == n.version and a in n


def _ip_to_int(text):
    a = None if text is None else _address(text)
    return int(a) if a is not None and a.version == 4 else None


def _int_to_ip(value):
    return None if value is None or not 0 <= value < 2**32 else str(ipaddress.IPv4Address(value))


IP_FUNCTIONS = [
    ("is_valid_ip", _is_valid_ip, ["VARCHAR"], "BOOLEAN"),
    ("ip_version", _ip_version, ["VARCHAR"], "INTEGER"),
    ("is_private_ip", _is_private_ip, ["VARCHAR"], "BOOLEAN"),
    ("cidr_contains", _cidr_contains, ["VARCHAR", "VARCHAR"], "BOOLEAN"),
    ("ip_to_int", _ip_to_int, ["VARCHAR"], "BIGINT"),
    ("int_to_ip", _int_to_ip, ["BIGINT"], "VARCHAR"),
]


def connect(tables: list[Table], order: str) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute("SET threads = 1")
    for name, fn, params, result in IP_FUNCTIONS:
        con.create_function(name, fn, params, result, null_handling="special")
    rng = random.Random(20240301)
    for t in tables:
        rows = list(t.rows)
        if order == "reversed":
            rows.reverse()
        elif order == "shuffled":
            rng.shuffle(rows)
        con.register("__load", t.arrow(rows))
        con.execute(f'CREATE TABLE "{t.name}" AS SELECT * FROM __load')
        con.unregister("__load")
    return con


# ----------------------------------------------------------------------------------------------
# Rendering


def render_number(v) -> str:
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
    s = format(v, ".6f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return "0" if s == "-0" else s


def render_timestamp(v: dt.datetime) -> str:
    s = v.strftime("%Y-%m-%d %H:%M:%S")
    if v.microsecond:
        s += (".%06d" % v.microsecond).rstrip("0")
    return s


def render_value(v, typ: pa.DataType) -> str:
    if v is None:
        return "NULL"
    if pa.types.is_boolean(typ):
        return "true" if v else "false"
    if pa.types.is_integer(typ):
        return str(v)
    if pa.types.is_floating(typ) or pa.types.is_decimal(typ):
        return render_number(v)
    if pa.types.is_date(typ):
        return v.isoformat()
    if pa.types.is_timestamp(typ):
        return render_timestamp(v)
    if pa.types.is_string(typ) or pa.types.is_large_string(typ) or pa.types.is_string_view(typ):
        if v == "":
            return "(empty)"
        if "\t" in v or "\n" in v or v != v.strip():
            raise ValueError(f"string {v!r} cannot be written in the corpus (tab, newline or edge blanks)")
        if v == "NULL":
            raise ValueError("the string 'NULL' is indistinguishable from NULL in the corpus")
        return v
    raise ValueError(f"result type {typ} has no corpus rendering; cast it in the query")


def render_result(table: pa.Table) -> list[tuple[str, ...]]:
    columns = []
    for col in table.columns:
        typ = col.type
        if pa.types.is_timestamp(typ):
            # Instants are rendered in UTC, without an offset.
            col = col.cast(pa.timestamp("us"))
            typ = col.type
        if pa.types.is_null(typ):
            columns.append(["NULL"] * len(col))
            continue
        columns.append([render_value(v, typ) for v in col.to_pylist()])
    return [tuple(c[i] for c in columns) for i in range(table.num_rows)]


def run(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple[str, ...]]:
    return render_result(con.sql(sql).to_arrow_table())


# ----------------------------------------------------------------------------------------------
# Corpus files

HEADER = re.compile(r"^(query|error)(?:\s+(.*))?$")
SKIP = re.compile(r"\[?duckdb-skip:\s*([^\]]*)\]?\s*$")


@dataclass
class Record:
    kind: str  # "query" or "error"
    line: int
    comments: list[str]
    header: str
    sql: str
    mode: str = ""
    skip: str | None = None
    error: str = ""
    expected: list[tuple[str, ...]] = field(default_factory=list)


def parse_file(path: pathlib.Path) -> list[object]:
    """Blocks of the file in order: a Record, or a list of lines (a comment-only block)."""
    text = path.read_text(encoding="utf-8")
    blocks: list[object] = []
    current: list[tuple[int, str]] = []

    def flush():
        if not current:
            return
        comments = []
        k = 0
        while k < len(current) and current[k][1].startswith("#"):
            comments.append(current[k][1])
            k += 1
        if k == len(current):
            blocks.append(comments)
        else:
            blocks.append(parse_record(path, comments, current[k:]))
        current.clear()

    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip() == "":
            flush()
        else:
            current.append((number, line.rstrip("\r")))
    flush()
    return blocks


def parse_record(path: pathlib.Path, comments: list[str], lines: list[tuple[int, str]]) -> Record:
    number, header = lines[0]
    where = f"{path.name}:{number}"
    m = HEADER.match(header)
    if not m:
        raise ValueError(f"{where}: expected 'query <mode>' or 'error <text>', got {header!r}")
    kind, rest = m.group(1), (m.group(2) or "").strip()
    skip = None
    sm = SKIP.search(rest)
    if sm:
        skip = sm.group(1).strip()
        rest = rest[: sm.start()].strip()
    body = [l for _, l in lines[1:]]
    if kind == "query":
        if rest not in ("ordered", "rowsort"):
            raise ValueError(f"{where}: mode must be 'ordered' or 'rowsort', got {rest!r}")
        if "----" not in body:
            raise ValueError(f"{where}: query without '----'")
        cut = body.index("----")
        sql, rows = body[:cut], body[cut + 1 :]
        if not sql:
            raise ValueError(f"{where}: empty SQL")
        return Record(kind, number, comments, header, "\n".join(sql), mode=rest, skip=skip,
                      expected=[tuple(r.split("\t")) for r in rows])
    if not rest:
        raise ValueError(f"{where}: error record without an expected message")
    if not body or "----" in body:
        raise ValueError(f"{where}: error records have SQL and no '----'")
    return Record(kind, number, comments, header, "\n".join(body), skip=skip, error=rest)


def write_file(path: pathlib.Path, blocks: list[object]) -> None:
    out = []
    for b in blocks:
        if isinstance(b, list):
            out.append("\n".join(b))
            continue
        lines = list(b.comments) + [b.header] + b.sql.split("\n")
        if b.kind == "query":
            lines.append("----")
            lines += ["\t".join(r) for r in b.expected]
        out.append("\n".join(lines))
    path.write_text("\n\n".join(out) + "\n", encoding="utf-8")


# ----------------------------------------------------------------------------------------------


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rewrite", action="store_true", help="replace expected rows of non-skipped queries with DuckDB's")
    ap.add_argument("--file", action="append", help="check only this corpus file (name with or without .sqltest)")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every record checked")
    args = ap.parse_args()

    tables = [read_table(p) for p in sorted(TABLES.glob("*.csv"))]
    cons = {o: connect(tables, o) for o in ("original", "reversed", "shuffled")}

    files = sorted(CORPUS.glob("*.sqltest"))
    if args.file:
        wanted = {f.removesuffix(".sqltest") for f in args.file}
        files = [f for f in files if f.stem in wanted]
        missing = wanted - {f.stem for f in files}
        if missing:
            print(f"no such corpus file: {', '.join(sorted(missing))}", file=sys.stderr)
            return 2

    checked = skipped = failed = emulated_count = 0
    for path in files:
        blocks = parse_file(path)
        changed = False
        for rec in blocks:
            if not isinstance(rec, Record):
                continue
            where = f"{path.name}:{rec.line}"
            emulated = rec.skip == IP_SKIP_REASON and not args.rewrite
            if rec.skip is not None and not emulated:
                skipped += 1
                continue
            checked += 1
            emulated_count += emulated
            problem = None
            if rec.kind == "error":
                try:
                    cons["original"].sql(rec.sql).fetchall()
                    problem = "DuckDB succeeded where an error is expected"
                except duckdb.Error:
                    pass
            else:
                try:
                    actual = run(cons["original"], rec.sql)
                    canon = sorted(actual) if rec.mode == "rowsort" else actual
                    for other in ("reversed", "shuffled"):
                        again = run(cons[other], rec.sql)
                        if (sorted(again) if rec.mode == "rowsort" else again) != canon:
                            problem = f"non-deterministic: the result changes when table rows are {other}"
                            break
                    if problem is None:
                        if args.rewrite:
                            if rec.expected != canon:
                                rec.expected = canon
                                changed = True
                        else:
                            expected = sorted(rec.expected) if rec.mode == "rowsort" else rec.expected
                            if expected != canon:
                                problem = "result differs\n  expected:\n" + "".join(
                                    "    " + "\t".join(r) + "\n" for r in rec.expected
                                ) + "  DuckDB:\n" + "".join("    " + "\t".join(r) + "\n" for r in canon)
                except (duckdb.Error, ValueError) as e:
                    problem = f"{type(e).__name__}: {e}"
            if problem:
                failed += 1
                print(f"FAIL {where}\n  {rec.sql.replace(chr(10), chr(10) + '  ')}\n  {problem}\n")
            elif args.verbose:
                print(f"ok   {where}")
        if changed:
            write_file(path, blocks)
            print(f"rewrote {path.name}")
    if emulated_count:
        print(f"({emulated_count} of the checked records use Avocet's IP functions, emulated in Python)")
    print(f"{checked} checked, {skipped} skipped, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
