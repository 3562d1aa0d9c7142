#!/usr/bin/env python3
"""Writes the small Parquet files that FileMetaDataTests decode, and facts.json with
what pyarrow reports about them.

Run from this folder with a Python that has pyarrow:
    python3 make_format_fixtures.py
The files are deterministic for a given pyarrow version except for created_by.
"""
import datetime
import decimal
import json
import struct

import pyarrow as pa
import pyarrow.parquet as pq

N = 60


def column(values, type_):
    return pa.array(values, type=type_)


def with_nulls(values, every=7):
    return [None if i % every == 3 else v for i, v in enumerate(values)]


def primitives():
    base = datetime.datetime(2024, 2, 29, 12, 30, 45, 123456)
    table = pa.table({
        "b": column(with_nulls([i % 3 == 0 for i in range(N)]), pa.bool_()),
        "i8": column([i - 30 for i in range(N)], pa.int8()),
        "i16": column(with_nulls([i * 300 - 9000 for i in range(N)]), pa.int16()),
        "i32": column([i * 100000 - 3000000 for i in range(N)], pa.int32()),
        "i64": column(with_nulls([i * 10**12 - 3 * 10**13 for i in range(N)]), pa.int64()),
        "u8": column([i * 4 for i in range(N)], pa.uint8()),
        "u16": column([i * 1000 for i in range(N)], pa.uint16()),
        "u32": column([i * 70000000 for i in range(N)], pa.uint32()),
        "u64": column([i * 300000000000000000 for i in range(N)], pa.uint64()),
        "f32": column(with_nulls([i / 8 - 3 for i in range(N)]), pa.float32()),
        "f64": column([i / 3 - 7 for i in range(N)], pa.float64()),
        "f16": pa.array([i / 4 - 5 for i in range(N)], type=pa.float32()).cast(pa.float16()),
        "s": column(with_nulls([f"name-{i:03d}-é" for i in range(N)]), pa.string()),
        "bin": column([bytes([i, 255 - i, 0]) for i in range(N)], pa.binary()),
        "fixed": column([bytes([i] * 4) for i in range(N)], pa.binary(4)),
        "d32": column([datetime.date(2000, 1, 1) + datetime.timedelta(days=i * 97) for i in range(N)], pa.date32()),
        "t_ms": column([datetime.time(i % 24, i, i % 60, 1000 * i) for i in range(N)], pa.time32("ms")),
        "t_us": column([datetime.time(i % 24, i, i % 60, 7 * i) for i in range(N)], pa.time64("us")),
        "t_ns": column([i * 1_000_000_007 for i in range(N)], pa.time64("ns")),
        "ts_ms_utc": column([base + datetime.timedelta(hours=i) for i in range(N)], pa.timestamp("ms", tz="UTC")),
        "ts_us": column(with_nulls([base + datetime.timedelta(minutes=i) for i in range(N)]), pa.timestamp("us")),
        "ts_ns_tz": column([base + datetime.timedelta(seconds=i) for i in range(N)],
                           pa.timestamp("ns", tz="Europe/Paris")),
        "dec9": column([decimal.Decimal(i * 1234 - 30000).scaleb(-2) for i in range(N)], pa.decimal128(9, 2)),
        "dec18": column([decimal.Decimal(i * 10**12 + 5).scaleb(-4) for i in range(N)], pa.decimal128(18, 4)),
        "dec38": column([decimal.Decimal(i * 10**30 - 7).scaleb(-10) for i in range(N)], pa.decimal128(38, 10)),
        "nulls": pa.nulls(N),
        "uuid": pa.array([bytes(range(i, i + 16)) for i in range(N)], type=pa.uuid()),
        "js": pa.array([json.dumps({"i": i}) for i in range(N)], type=pa.json_()),
    })
    pq.write_table(table, "primitives_snappy.parquet", compression="snappy", use_dictionary=False,
                   write_statistics=True, version="2.6", store_schema=False)


def nested():
    table = pa.table({
        "id": pa.array(range(N), pa.int64()),
        "tags": pa.array([[f"t{j}" for j in range(i % 4)] if i % 9 else None for i in range(N)],
                         pa.list_(pa.string())),
        "scores": pa.array([{"k%d" % j: j * i for j in range(i % 3)} for i in range(N)],
                           pa.map_(pa.string(), pa.int64())),
        "point": pa.array([{"x": float(i), "y": None if i % 5 == 0 else -i} for i in range(N)],
                          pa.struct([("x", pa.float64()), ("y", pa.int32())])),
        "events": pa.array([[{"at": i * 10 + j, "what": "e%d" % j} for j in range(i % 3)] for i in range(N)],
                           pa.list_(pa.struct([("at", pa.int32()), ("what", pa.string())]))),
    })
    pq.write_table(table, "nested_zstd.parquet", compression="zstd", write_statistics=True,
                   row_group_size=25)


def dictionary_v2():
    colors = ["red", "green", "blue", "yellow"]
    table = pa.table({
        "color": pa.array([colors[i % 4] for i in range(4 * N)], pa.string()),
        "n": pa.array([i % 10 for i in range(4 * N)], pa.int32()),
        "x": pa.array([i * 0.5 for i in range(4 * N)], pa.float64()),
        "cat": pa.array([colors[i % 3] for i in range(4 * N)]).dictionary_encode(),
    })
    pq.write_table(
        table, "dictionary_v2_pages.parquet", compression="gzip", use_dictionary=["color", "n", "cat"],
        data_page_version="2.0", data_page_size=256, write_batch_size=16, row_group_size=100,
        write_page_index=True, write_page_checksum=True,
        sorting_columns=[pq.SortingColumn(1, descending=False, nulls_first=True)],
        bloom_filter_options={"color": {"ndv": 10, "fpp": 0.05}},
    )


def encodings_v1():
    table = pa.table({
        "delta": pa.array([i * i for i in range(N)], pa.int64()),
        "dba": pa.array([f"prefix-{i:04d}" for i in range(N)], pa.string()),
        "dlba": pa.array([("x" * (i % 7)).encode() for i in range(N)], pa.binary()),
        "bss": pa.array([i * 1.25 for i in range(N)], pa.float32()),
        "plain": pa.array(with_nulls(list(range(N))), pa.int32()),
    })
    table = table.replace_schema_metadata({"owner": "avocet tests", "empty": "", "unicode": "naïve ☃"})
    pq.write_table(
        table, "encodings_v1_uncompressed.parquet", compression="none", use_dictionary=False,
        column_encoding={"delta": "DELTA_BINARY_PACKED", "dba": "DELTA_BYTE_ARRAY",
                         "dlba": "DELTA_LENGTH_BYTE_ARRAY", "bss": "BYTE_STREAM_SPLIT"},
        data_page_version="1.0", data_page_size=128, write_batch_size=10,
    )


def empty():
    table = pa.table({"a": pa.array([], pa.int32()), "s": pa.array([], pa.string())})
    pq.write_table(table, "empty.parquet")


PACK = {"INT32": "<i", "INT64": "<q", "FLOAT": "<f", "DOUBLE": "<d"}


def plain_bytes(physical, value):
    """The raw statistics bytes Parquet stores for a physical value."""
    if physical == "BOOLEAN":
        return bytes([1 if value else 0])
    if physical in PACK:
        if physical == "INT32" and value >= 2**31:
            value -= 2**32
        if physical == "INT64" and value >= 2**63:
            value -= 2**64
        return struct.pack(PACK[physical], value)
    if isinstance(value, str):
        return value.encode()
    return bytes(value)


def facts(path):
    meta = pq.ParquetFile(path).metadata
    schema = meta.schema
    leaves = []
    for i in range(len(schema)):
        col = schema.column(i)
        logical = col.logical_type
        leaves.append({
            "path": col.path,
            "physical_type": col.physical_type,
            "converted_type": col.converted_type,
            "logical_type": json.loads(logical.to_json()) if logical.type != "NONE" else None,
            "max_definition_level": col.max_definition_level,
            "max_repetition_level": col.max_repetition_level,
            "length": col.length,
            "precision": col.precision,
            "scale": col.scale,
        })
    row_groups = []
    for r in range(meta.num_row_groups):
        rg = meta.row_group(r)
        columns = []
        for c in range(rg.num_columns):
            cc = rg.column(c)
            entry = {
                "path_in_schema": cc.path_in_schema,
                "physical_type": cc.physical_type,
                "compression": cc.compression,
                "encodings": list(cc.encodings),
                "num_values": cc.num_values,
                "total_compressed_size": cc.total_compressed_size,
                "total_uncompressed_size": cc.total_uncompressed_size,
                "data_page_offset": cc.data_page_offset,
                "dictionary_page_offset": cc.dictionary_page_offset if cc.has_dictionary_page else None,
                "has_column_index": cc.has_column_index,
                "has_offset_index": cc.has_offset_index,
                "statistics": None,
            }
            st = cc.statistics
            if st is not None:
                s = {
                    "null_count": st.null_count if st.has_null_count else None,
                    "distinct_count": st.distinct_count if st.has_distinct_count else None,
                    "min": None, "max": None,
                }
                if st.has_min_max and cc.physical_type != "INT96":
                    s["min"] = plain_bytes(cc.physical_type, st.min_raw).hex()
                    s["max"] = plain_bytes(cc.physical_type, st.max_raw).hex()
                entry["statistics"] = s
            columns.append(entry)
        row_groups.append({"num_rows": rg.num_rows, "total_byte_size": rg.total_byte_size, "columns": columns})
    kv = {k.decode(): v.decode() for k, v in (meta.metadata or {}).items()}
    return {
        "num_rows": meta.num_rows,
        "num_columns": meta.num_columns,
        "created_by": meta.created_by,
        "format_version": meta.format_version,
        "serialized_size": meta.serialized_size,
        "key_value_metadata": kv,
        "leaves": leaves,
        "row_groups": row_groups,
    }


def main():
    primitives()
    nested()
    dictionary_v2()
    encodings_v1()
    empty()
    names = ["primitives_snappy.parquet", "nested_zstd.parquet", "dictionary_v2_pages.parquet",
             "encodings_v1_uncompressed.parquet", "empty.parquet"]
    result = {"pyarrow": pa.__version__, "files": {name: facts(name) for name in names}}
    with open("facts.json", "w") as out:
        json.dump(result, out, indent=1, sort_keys=True, ensure_ascii=False)
        out.write("\n")


if __name__ == "__main__":
    main()
