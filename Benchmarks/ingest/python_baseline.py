"""The Python baseline of the ingest benchmark, written the usual way: parse with the standard
library, build Arrow tables, write Delta with `deltalake`, partitioned by event day.

    python python_baseline.py zeek conn.log TABLE
    python python_baseline.py osquery results.log ROOT     (one table per query name)
"""
import datetime
import json
import sys

import pyarrow as pa
from deltalake import write_deltalake

BATCH = 200_000

ZEEK_TYPES = {"time": "ts", "interval": float, "count": int, "port": int, "int": int, "double": float, "bool": "bool"}


def zeek_value(text, kind, unset, empty, set_separator):
    if text == unset:
        return None
    if kind.startswith("set[") or kind.startswith("vector["):
        return [] if text == empty else text.split(set_separator)
    convert = ZEEK_TYPES.get(kind)
    if convert == "ts":
        return datetime.datetime.fromtimestamp(float(text), tz=datetime.timezone.utc)
    if convert == "bool":
        return text == "T"
    if convert is None:
        return text
    return convert(text)


def partitions(rows, time_key):
    for row in rows:
        t = row[time_key]
        row["year"], row["month"], row["day"] = t.year, t.month, t.day


def zeek(path, table):
    fields, types = [], []
    unset, empty, set_separator = "-", "(empty)", ","
    rows = []
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("#"):
                key, _, value = line.partition("\t")
                if key == "#fields":
                    fields = value.split("\t")
                elif key == "#types":
                    types = value.split("\t")
                elif key == "#unset_field":
                    unset = value
                elif key == "#empty_field":
                    empty = value
                elif key == "#set_separator":
                    set_separator = value
                continue
            values = line.split("\t")
            rows.append({name: zeek_value(v, k, unset, empty, set_separator) for name, v, k in zip(fields, values, types)})
            if len(rows) >= BATCH:
                flush(rows, table, "ts")
                rows = []
    if rows:
        flush(rows, table, "ts")


def flush(rows, table, time_key):
    partitions(rows, time_key)
    write_deltalake(table, pa.Table.from_pylist(rows), mode="append", partition_by=["year", "month", "day"])


def typed(rows):
    """Numbers typed when every value of a column parses, strings otherwise."""
    names = {k for row in rows for k in row}
    for name in names:
        values = [row.get(name) for row in rows]
        try:
            converted = [None if v is None else int(v) for v in values]
        except (TypeError, ValueError):
            continue
        for row, v in zip(rows, converted):
            row[name] = v


def osquery(path, root):
    tables = {}
    count = 0

    def flush_all():
        for name, rows in tables.items():
            typed(rows)
            flush(rows, root + "/" + name, "event_time")
        tables.clear()

    with open(path) as f:
        for line in f:
            record = json.loads(line)
            row = {
                "host_identifier": record.get("hostIdentifier"),
                "event_time": datetime.datetime.fromtimestamp(int(record["unixTime"]), tz=datetime.timezone.utc),
                "calendar_time": record.get("calendarTime"),
                "action": record.get("action"),
                "epoch": int(record.get("epoch", 0)),
                "counter": int(record.get("counter", 0)),
                "decorations": list(record.get("decorations", {}).items()),
            }
            row.update(record.get("columns", {}))
            tables.setdefault(record["name"], []).append(row)
            count += 1
            if count % BATCH == 0:
                flush_all()
    flush_all()


def main():
    kind, path, target = sys.argv[1], sys.argv[2], sys.argv[3]
    {"zeek": zeek, "osquery": osquery}[kind](path, target)


if __name__ == "__main__":
    main()
