"""Builds a Delta table with a long log for the table-opening benchmark (issue 3, item 8).

    python make_log_table.py PATH [--commits 10000] [--files-per-commit 10] [--checkpoint-interval 100]

Commit 0 holds `protocol` (1, 2), a `metaData` with a flow-log schema partitioned by
year/month/day, and the first files; every commit appends `--files-per-commit` files with a
`commitInfo` as delta-rs writes it. Each `add` is what a real writer logs: a partition-style path,
`partitionValues`, `size`, `modificationTime`, `dataChange` and a `stats` JSON string with
`numRecords`, `minValues`, `maxValues` and `nullCount` for ten columns. The data files themselves
are not written: opening a snapshot and listing its files must not read them.

With `--checkpoint-interval N` (0 for none) a classic single-file checkpoint
(`<v>.checkpoint.parquet`, PROTOCOL.md "Checkpoint Schema") is written after every Nth commit
with pyarrow, in the schema delta-rs writes (`txn`, `add`, `remove`, `metaData`, `protocol`;
`stats` as JSON text, no `stats_parsed`), and `_last_checkpoint` points at the newest. (delta-rs's
own `create_checkpoint()` does the same but takes minutes for a hundred checkpoints of up to
100,000 files; the benchmark runner checks that delta-rs reads these.)

The output is deterministic (fixed seed, fixed clock).
"""
import argparse
import json
import os
import random
import shutil
import sys
import time
import uuid

SCHEMA = {
    "type": "struct",
    "fields": [
        {"name": "event_time", "type": "timestamp", "nullable": True, "metadata": {}},
        {"name": "event_id", "type": "string", "nullable": True, "metadata": {}},
        {"name": "src_ip", "type": "string", "nullable": True, "metadata": {}},
        {"name": "src_port", "type": "integer", "nullable": True, "metadata": {}},
        {"name": "dst_ip", "type": "string", "nullable": True, "metadata": {}},
        {"name": "dst_port", "type": "integer", "nullable": True, "metadata": {}},
        {"name": "protocol", "type": "string", "nullable": True, "metadata": {}},
        {"name": "action", "type": "string", "nullable": True, "metadata": {}},
        {"name": "bytes", "type": "long", "nullable": True, "metadata": {}},
        {"name": "packets", "type": "long", "nullable": True, "metadata": {}},
        {"name": "year", "type": "string", "nullable": True, "metadata": {}},
        {"name": "month", "type": "string", "nullable": True, "metadata": {}},
        {"name": "day", "type": "string", "nullable": True, "metadata": {}},
    ],
}
PARTITIONS = ["year", "month", "day"]
START_MS = 1_704_067_200_000  # 2024-01-01T00:00:00Z
DAY_MS = 86_400_000


def iso(ms: int) -> str:
    seconds, millis = divmod(ms, 1000)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + f".{millis:03d}Z"


def ip(rng: random.Random, internal: bool) -> str:
    if internal:
        return f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(256)}"
    return f"{rng.randrange(1, 255)}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"


def add_action(rng: random.Random, version: int, index: int, commits: int, commit_ms: int) -> dict:
    # Spread the commits over a year of daily partitions.
    day_ms = START_MS + (version * 366 // max(commits, 1)) * DAY_MS
    tm = time.gmtime(day_ms // 1000)
    partition = {"year": f"{tm.tm_year:04d}", "month": f"{tm.tm_mon:02d}", "day": f"{tm.tm_mday:02d}"}
    file_id = uuid.UUID(int=rng.getrandbits(128), version=4)
    path = (
        f"year={partition['year']}/month={partition['month']}/day={partition['day']}/"
        f"part-{index:05d}-{file_id}-c000.snappy.parquet"
    )
    rows = rng.randrange(50_000, 500_000)
    t0 = day_ms + rng.randrange(DAY_MS - 3_600_000)
    t1 = t0 + rng.randrange(60_000, 3_600_000)
    nulls = rng.randrange(0, 20)
    stats = {
        "numRecords": rows,
        "minValues": {
            "event_time": iso(t0),
            "event_id": f"{rng.getrandbits(64):016x}"[:8] + "0" * 24,
            "src_ip": ip(rng, True),
            "src_port": rng.randrange(0, 1024),
            "dst_ip": ip(rng, False),
            "dst_port": rng.randrange(1, 100),
            "protocol": "icmp",
            "action": "alert",
            "bytes": rng.randrange(40, 100),
            "packets": 1,
        },
        "maxValues": {
            "event_time": iso(t1),
            "event_id": "f" + f"{rng.getrandbits(64):016x}"[:7] + "f" * 24,
            "src_ip": ip(rng, True),
            "src_port": rng.randrange(40_000, 65_536),
            "dst_ip": ip(rng, False),
            "dst_port": rng.randrange(8_000, 65_536),
            "protocol": "udp",
            "action": "drop",
            "bytes": rng.randrange(1_000_000, 10_000_000),
            "packets": rng.randrange(1_000, 10_000),
        },
        "nullCount": {
            "event_time": 0,
            "event_id": 0,
            "src_ip": 0,
            "src_port": nulls,
            "dst_ip": 0,
            "dst_port": nulls,
            "protocol": 0,
            "action": 0,
            "bytes": 0,
            "packets": 0,
        },
    }
    return {
        "add": {
            "path": path,
            "partitionValues": partition,
            "size": rows * 38 + rng.randrange(4096),
            "modificationTime": commit_ms - rng.randrange(1, 5_000),
            "dataChange": True,
            "stats": json.dumps(stats, separators=(",", ":")),
            "tags": None,
            "deletionVector": None,
            "baseRowId": None,
            "defaultRowCommitVersion": None,
            "clusteringProvider": None,
        }
    }


def commit_lines(rng: random.Random, version: int, files: int, commits: int) -> list:
    commit_ms = START_MS + version * 300_000  # one commit every five minutes
    lines = [
        {
            "commitInfo": {
                "timestamp": commit_ms,
                "operation": "CREATE TABLE" if version == 0 else "WRITE",
                "operationParameters": (
                    {"mode": "ErrorIfExists", "location": "file:///bench", "protocol": "{}", "metadata": "{}"}
                    if version == 0
                    else {"mode": "Append", "partitionBy": json.dumps(PARTITIONS)}
                ),
                "operationMetrics": {
                    "execution_time_ms": rng.randrange(50, 2_000),
                    "num_added_files": files,
                    "num_added_rows": files * 250_000,
                },
                "clientVersion": "delta-rs.1.6.6",
                **({} if version == 0 else {"readVersion": version - 1, "isBlindAppend": True}),
            }
        }
    ]
    if version == 0:
        lines.append({"protocol": {"minReaderVersion": 1, "minWriterVersion": 2}})
        lines.append(
            {
                "metaData": {
                    "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                    "name": "flows",
                    "description": "network flow logs",
                    "format": {"provider": "parquet", "options": {}},
                    "schemaString": json.dumps(SCHEMA, separators=(",", ":")),
                    "partitionColumns": PARTITIONS,
                    "createdTime": commit_ms,
                    "configuration": {"delta.logRetentionDuration": "interval 30 days"},
                }
            }
        )
    for index in range(files):
        lines.append(add_action(rng, version, index, commits, commit_ms))
    return lines


class CheckpointState:
    """The reconciled table state, kept column by column so that each checkpoint is cheap to build."""

    def __init__(self):
        self.protocol = None
        self.metadata = None
        self.adds = {name: [] for name in ("path", "partitionValues", "size", "modificationTime", "dataChange", "stats")}

    def apply(self, lines: list) -> None:
        for line in lines:
            if "protocol" in line:
                self.protocol = line["protocol"]
            elif "metaData" in line:
                self.metadata = line["metaData"]
            elif "add" in line:
                add = line["add"]  # append-only log: every add stays live
                for name, column in self.adds.items():
                    value = add[name]
                    column.append(list(value.items()) if name == "partitionValues" else value)


def write_checkpoint(log: str, version: int, state: CheckpointState) -> None:
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    string_map = pa.map_(pa.string(), pa.string())
    dv = pa.struct([
        ("storageType", pa.string()), ("pathOrInlineDv", pa.string()), ("offset", pa.int32()),
        ("sizeInBytes", pa.int32()), ("cardinality", pa.int64()),
    ])
    add_type = pa.struct([
        ("path", pa.string()), ("partitionValues", string_map), ("size", pa.int64()),
        ("modificationTime", pa.int64()), ("dataChange", pa.bool_()), ("stats", pa.string()),
        ("tags", string_map), ("deletionVector", dv), ("baseRowId", pa.int64()),
        ("defaultRowCommitVersion", pa.int64()), ("clusteringProvider", pa.string()),
    ])
    remove_type = pa.struct([
        ("path", pa.string()), ("deletionTimestamp", pa.int64()), ("dataChange", pa.bool_()),
        ("extendedFileMetadata", pa.bool_()), ("partitionValues", string_map), ("size", pa.int64()),
        ("stats", pa.string()), ("tags", string_map), ("deletionVector", dv), ("baseRowId", pa.int64()),
        ("defaultRowCommitVersion", pa.int64()),
    ])
    metadata_type = pa.struct([
        ("id", pa.string()), ("name", pa.string()), ("description", pa.string()),
        ("format", pa.struct([("provider", pa.string()), ("options", string_map)])),
        ("schemaString", pa.string()), ("partitionColumns", pa.list_(pa.string())), ("createdTime", pa.int64()),
        ("configuration", string_map),
    ])
    protocol_type = pa.struct([
        ("minReaderVersion", pa.int32()), ("minWriterVersion", pa.int32()),
        ("readerFeatures", pa.list_(pa.string())), ("writerFeatures", pa.list_(pa.string())),
    ])
    txn_type = pa.struct([("appId", pa.string()), ("version", pa.int64()), ("lastUpdated", pa.int64())])

    files = len(state.adds["path"])
    rows = files + 2  # protocol, metaData, then the files
    # The add column: two null rows, then one row per file (built from child arrays, no Python dicts).
    validity = pa.array([False, False] + [True] * files)
    head = [None, None]
    children = [
        pa.array(head + state.adds["path"], pa.string()),
        pa.array(head + state.adds["partitionValues"], string_map),
        pa.array(head + state.adds["size"], pa.int64()),
        pa.array(head + state.adds["modificationTime"], pa.int64()),
        pa.array(head + state.adds["dataChange"], pa.bool_()),
        pa.array(head + state.adds["stats"], pa.string()),
        pa.nulls(rows, string_map),
        pa.nulls(rows, dv),
        pa.nulls(rows, pa.int64()),
        pa.nulls(rows, pa.int64()),
        pa.nulls(rows, pa.string()),
    ]
    add = pa.StructArray.from_arrays(children, fields=list(add_type), mask=pc.invert(validity))
    metadata = dict(state.metadata)
    metadata["format"] = {"provider": "parquet", "options": []}
    metadata["configuration"] = list(metadata["configuration"].items())
    table = pa.table({
        "txn": pa.nulls(rows, txn_type),
        "add": add,
        "remove": pa.nulls(rows, remove_type),
        "metaData": pa.array([None, metadata] + [None] * files, metadata_type),
        "protocol": pa.array([state.protocol, None] + [None] * files, protocol_type),
    })
    path = os.path.join(log, f"{version:020d}.checkpoint.parquet")
    pq.write_table(table, path + ".tmp", compression="snappy")
    os.replace(path + ".tmp", path)
    last = {"version": version, "size": rows, "sizeInBytes": os.path.getsize(path), "numOfAddFiles": files}
    with open(os.path.join(log, "_last_checkpoint.tmp"), "w") as out:
        out.write(json.dumps(last, separators=(",", ":")))
    os.replace(os.path.join(log, "_last_checkpoint.tmp"), os.path.join(log, "_last_checkpoint"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path")
    parser.add_argument("--commits", type=int, default=10_000)
    parser.add_argument("--files-per-commit", type=int, default=10)
    parser.add_argument("--checkpoint-interval", type=int, default=100, help="0 for no checkpoints")
    args = parser.parse_args()

    began = time.perf_counter()
    if os.path.exists(args.path):
        shutil.rmtree(args.path)
    log = os.path.join(args.path, "_delta_log")
    os.makedirs(log)
    rng = random.Random(20240101)
    checkpoints = 0
    state = CheckpointState()
    for version in range(args.commits):
        lines = commit_lines(rng, version, args.files_per_commit, args.commits)
        if args.checkpoint_interval > 0:
            state.apply(lines)
        text = "".join(json.dumps(line, separators=(",", ":")) + "\n" for line in lines)
        name = os.path.join(log, f"{version:020d}.json")
        with open(name, "w") as out:
            out.write(text)
        # Commit file times follow the commit timestamps (time travel by file time).
        seconds = (START_MS + version * 300_000) / 1000
        os.utime(name, (seconds, seconds))
        interval = args.checkpoint_interval
        if interval > 0 and version > 0 and version % interval == 0:
            write_checkpoint(log, version, state)
            checkpoints += 1
    print(
        f"make_log_table: {args.path}: {args.commits} commits, {args.commits * args.files_per_commit} files, "
        f"{checkpoints} checkpoints in {time.perf_counter() - began:.1f} s",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
