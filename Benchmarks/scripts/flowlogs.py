"""Flow-log benchmark data and the pyarrow side of the Parquet benchmark.

    python flowlogs.py generate OUT.parquet ROWS   # write the table with pyarrow (SNAPPY)
    python flowlogs.py read FILE                   # time pyarrow reading all columns, one thread
    python flowlogs.py write IN.parquet OUT.parquet  # time pyarrow writing the table read from IN

The table is shaped like network flow logs: timestamp, 64-char sha256-hex event id, two IPv4
strings, two int32 ports, low-cardinality direction and action strings, two int64 counters.
"""
import hashlib
import json
import resource
import sys
import time

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

SERVICE_PORTS = np.array([22, 25, 53, 80, 443, 3306, 3389, 8080, 8443, 5432], dtype=np.int32)


def table(rows: int, seed: int = 7) -> pa.Table:
    rng = np.random.default_rng(seed)
    start = 1_700_000_000_000_000
    event_time = np.sort(start + rng.integers(0, 86_400_000_000 * 3, rows, dtype=np.int64))
    internal = [f"10.{a}.{b}.{c}" for a, b, c in rng.integers(0, 256, (rows, 3))]
    client = [f"{a}.{b}.{c}.{d}" for a, b, c, d in rng.integers(1, 255, (rows, 4))]
    ids = [hashlib.sha256(f"{i}|{c}|{t}".encode()).hexdigest() for i, c, t in zip(internal, client, event_time)]
    return pa.table({
        "event_time": pa.array(event_time, pa.timestamp("us", tz="UTC")),
        "event_id": pa.array(ids, pa.string()),
        "internal_ip": pa.array(internal, pa.string()),
        "internal_port": pa.array(SERVICE_PORTS[rng.integers(0, len(SERVICE_PORTS), rows)], pa.int32()),
        "client_ip": pa.array(client, pa.string()),
        "client_port": pa.array(rng.integers(1024, 65536, rows, dtype=np.int32), pa.int32()),
        "direction": pa.array(np.array(["in", "out"])[rng.integers(0, 2, rows)], pa.string()),
        "action": pa.array(np.array(["allow", "block", "drop", "alert"])[rng.integers(0, 4, rows)], pa.string()),
        "total_bytes": pa.array(rng.integers(40, 10_000_000, rows, dtype=np.int64), pa.int64()),
        "total_packets": pa.array(rng.integers(1, 10_000, rows, dtype=np.int64), pa.int64()),
    })


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    command = sys.argv[1]
    pa.set_cpu_count(1)
    pa.set_io_thread_count(1)
    if command == "generate":
        out, rows = sys.argv[2], int(sys.argv[3])
        parts = []
        for offset in range(0, rows, 1_000_000):
            parts.append(table(min(1_000_000, rows - offset), seed=offset))
        pq.write_table(pa.concat_tables(parts), out, compression="snappy")
    elif command == "read":
        path = sys.argv[2]
        best, best_cpu = None, None
        for _ in range(3):
            began, cpu_began = time.perf_counter(), cpu()
            t = pq.read_table(path, use_threads=False)
            elapsed, used = time.perf_counter() - began, cpu() - cpu_began
            best = elapsed if best is None else min(best, elapsed)
            best_cpu = used if best_cpu is None else min(best_cpu, used)
            del t
        t = pq.read_metadata(path)
        print(json.dumps({"engine": "pyarrow", "op": "read", "rows": t.num_rows, "seconds": best, "cpu": best_cpu}))
    elif command == "write":
        source, out = sys.argv[2], sys.argv[3]
        t = pq.read_table(source)
        best, best_cpu = None, None
        for _ in range(3):
            began, cpu_began = time.perf_counter(), cpu()
            pq.write_table(t, out, compression="snappy")
            elapsed, used = time.perf_counter() - began, cpu() - cpu_began
            best = elapsed if best is None else min(best, elapsed)
            best_cpu = used if best_cpu is None else min(best_cpu, used)
        print(json.dumps({"engine": "pyarrow", "op": "write", "rows": t.num_rows, "seconds": best, "cpu": best_cpu}))
    else:
        raise SystemExit(f"unknown command {command}")


if __name__ == "__main__":
    main()
