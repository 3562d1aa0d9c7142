"""The Python side of the Delta write benchmark (polars + deltalake), done the usual way.

    python netflow_python.py generate TABLE ROWS [DAYS]   # generate flow logs and write_deltalake them
    python netflow_python.py parquet OUT.parquet ROWS [DAYS]  # the same data into one Parquet file
    python netflow_python.py write IN.parquet TABLE       # write_deltalake of pre-generated data

Columns as `avocet generate netflow`: event_time, event_id (sha256 hex of internal ip, client ip
and event time), internal_ip (RFC 1918), internal_port (service ports), client_ip (public),
client_port, direction, action, total_bytes, total_packets, and Int32 year/month/day partitions.
Each command prints one JSON line: seconds (wall), cpu, rows.
"""
import hashlib
import json
import resource
import sys
import time

import numpy as np
import polars as pl
import pyarrow.parquet as pq
from deltalake import write_deltalake

PORTS = np.array([443, 443, 443, 80, 80, 22, 25, 53, 53, 3306, 3389, 8080, 8443, 5432, 445, 123], dtype=np.int32)
START_US = 19_723 * 86_400_000_000  # 2024-01-01


def cpu() -> float:
    u = resource.getrusage(resource.RUSAGE_SELF)
    return u.ru_utime + u.ru_stime


def frame(rows: int, days: int = 1, seed: int = 42) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    span = days * 86_400_000_000
    step = max(span // max(rows, 1), 1)
    event_time = START_US + np.arange(rows, dtype=np.int64) * span // rows + rng.integers(0, step, rows)
    # RFC 1918: 10/8, 172.16/12, 192.168/16.
    kind = rng.integers(0, 3, rows)
    a, b, c, d = (rng.integers(0, 256, rows) for _ in range(4))
    internal = np.where(
        kind == 0, np.char.add("10.", np.char.add(np.char.add(np.char.add(b.astype(str), "."), np.char.add(c.astype(str), ".")), d.astype(str))),
        np.where(
            kind == 1,
            np.char.add("172.", np.char.add(np.char.add(np.char.add((16 + b % 16).astype(str), "."), np.char.add(c.astype(str), ".")), d.astype(str))),
            np.char.add("192.168.", np.char.add(np.char.add(c.astype(str), "."), d.astype(str)))))
    p = rng.integers(1, 224, (4, rows))
    client = np.char.add(np.char.add(np.char.add(np.char.add(p[0].astype(str), "."), np.char.add(p[1].astype(str), ".")), np.char.add(p[2].astype(str), ".")), p[3].astype(str))
    ids = [hashlib.sha256(f"{i}|{c}|{t}".encode()).hexdigest() for i, c, t in zip(internal.tolist(), client.tolist(), event_time.tolist())]
    df = pl.DataFrame({
        "event_time": pl.Series(event_time).cast(pl.Datetime("us", "UTC")),
        "event_id": ids,
        "internal_ip": internal,
        "internal_port": PORTS[rng.integers(0, len(PORTS), rows)],
        "client_ip": client,
        "client_port": rng.integers(1024, 65536, rows).astype(np.int32),
        "direction": np.array(["in", "out"])[rng.integers(0, 2, rows)],
        "action": np.array(["allow", "block", "drop", "alert"])[rng.integers(0, 4, rows)],
        "total_bytes": rng.integers(40, 10_000_000, rows, dtype=np.int64),
        "total_packets": rng.integers(1, 10_000, rows, dtype=np.int64),
    })
    return df.with_columns(
        pl.col("event_time").dt.year().cast(pl.Int32).alias("year"),
        pl.col("event_time").dt.month().cast(pl.Int32).alias("month"),
        pl.col("event_time").dt.day().cast(pl.Int32).alias("day"),
    )


def report(op: str, rows: int, began: float, cpu_began: float) -> None:
    print(json.dumps({"engine": "python", "op": op, "rows": rows,
                      "seconds": round(time.perf_counter() - began, 3), "cpu": round(cpu() - cpu_began, 3)}))


def main() -> None:
    command = sys.argv[1]
    began, cpu_began = time.perf_counter(), cpu()
    if command == "generate":
        table, rows = sys.argv[2], int(sys.argv[3])
        days = int(sys.argv[4]) if len(sys.argv) > 4 else 1
        write_deltalake(table, frame(rows, days).to_arrow(), partition_by=["year", "month", "day"], mode="append")
        report("generate", rows, began, cpu_began)
    elif command == "parquet":
        out, rows = sys.argv[2], int(sys.argv[3])
        days = int(sys.argv[4]) if len(sys.argv) > 4 else 1
        frame(rows, days).write_parquet(out, compression="snappy", row_group_size=1 << 20)
        report("parquet", rows, began, cpu_began)
    elif command == "write":
        source, table = sys.argv[2], sys.argv[3]
        data = pq.read_table(source)
        write_deltalake(table, data, partition_by=["year", "month", "day"], mode="append")
        report("write", data.num_rows, began, cpu_began)
    else:
        raise SystemExit(f"unknown command {command}")


if __name__ == "__main__":
    main()
