#!/usr/bin/env python3
"""Writes pyarrow_pages.json: raw page bytes written by pyarrow (Arrow C++) with the values
they hold, for the encoding tests.

Each case writes a one-column file (uncompressed, one page), walks the column chunk's page
headers with a minimal Thrift compact-protocol reader, and keeps the bytes the Swift decoders
take: the values section, the definition levels, or the dictionary indices.

Run: python3 -m venv .venv && .venv/bin/pip install pyarrow
     .venv/bin/python make_fixtures.py   (from this folder)
"""

import io
import json
import math
import random
import struct

import pyarrow as pa
import pyarrow.parquet as pq

# --- Thrift compact protocol, just enough to read page headers ---------------------------


class Compact:
    def __init__(self, data, pos):
        self.data = data
        self.pos = pos

    def byte(self):
        b = self.data[self.pos]
        self.pos += 1
        return b

    def varint(self):
        result, shift = 0, 0
        while True:
            b = self.byte()
            result |= (b & 0x7F) << shift
            if b & 0x80 == 0:
                return result
            shift += 7

    def zigzag(self):
        n = self.varint()
        return (n >> 1) ^ -(n & 1)

    def value(self, kind):
        if kind in (1, 2):  # booleans in a struct field: the type is the value
            return kind == 1
        if kind == 3:
            return self.byte()
        if kind in (4, 5, 6):
            return self.zigzag()
        if kind == 7:
            self.pos += 8
            return None
        if kind == 8:
            n = self.varint()
            self.pos += n
            return self.data[self.pos - n : self.pos]
        if kind in (9, 10):
            header = self.byte()
            size, elem = header >> 4, header & 0x0F
            if size == 15:
                size = self.varint()
            return [self.byte() == 1 if elem in (1, 2) else self.value(elem) for _ in range(size)]
        if kind == 11:
            size = self.varint()
            if size == 0:
                return {}
            kinds = self.byte()
            return {self.value(kinds >> 4): self.value(kinds & 0x0F) for _ in range(size)}
        if kind == 12:
            return self.struct()
        raise ValueError(f"thrift type {kind}")

    def struct(self):
        fields, last = {}, 0
        while True:
            header = self.byte()
            if header == 0:
                return fields
            delta, kind = header >> 4, header & 0x0F
            fid = last + delta if delta else self.zigzag()
            fields[fid] = self.value(kind)
            last = fid


def pages(table, **options):
    """(header fields, page data) for every page of the single column chunk."""
    sink = io.BytesIO()
    pq.write_table(table, sink, compression="NONE", write_statistics=False, **options)
    data = sink.getvalue()
    chunk = pq.ParquetFile(io.BytesIO(data)).metadata.row_group(0).column(0)
    pos = chunk.dictionary_page_offset or chunk.data_page_offset
    end = pos + chunk.total_compressed_size
    found = []
    while pos < end:
        reader = Compact(data, pos)
        header = reader.struct()
        body = data[reader.pos : reader.pos + header[3]]
        found.append((header, body))
        pos = reader.pos + header[3]
    return found


def data_pages(table, **options):
    return [(h, b) for h, b in pages(table, **options) if h[1] in (0, 3)]


def one_data_page(table, **options):
    found = data_pages(table, data_page_size=1 << 30, **options)
    assert len(found) == 1, f"{len(found)} data pages"
    return found[0]


def v2_values(table, **options):
    """Values section of a single v2 data page (required column: no levels)."""
    header, body = one_data_page(table, data_page_version="2.0", **options)
    v2 = header[8]
    return body[v2.get(5, 0) + v2.get(6, 0) :]


# --- Cases ---------------------------------------------------------------------------------

rng = random.Random(20240611)
cases = []


def add(name, encoding, kind, data, values, **extra):
    """values: integers, or hex strings (byte arrays, fixed-width values' little-endian bytes)."""
    key = "blobs" if values and isinstance(values[0], str) else "values"
    case = {"name": name, "encoding": encoding, "type": kind, "hex": bytes(data).hex(), key: values}
    case.update(extra)
    cases.append(case)


def required(arrow_type, values, name="v"):
    return pa.table({name: pa.array(values, type=arrow_type)}, schema=pa.schema([pa.field(name, arrow_type, nullable=False)]))


def delta_ints(name, arrow_type, kind, values):
    data = v2_values(required(arrow_type, values), use_dictionary=False, column_encoding={"v": "DELTA_BINARY_PACKED"})
    add(name, "DELTA_BINARY_PACKED", kind, data, values)


I32 = (-(2**31), 2**31 - 1)
I64 = (-(2**63), 2**63 - 1)
delta_ints("int32 one", pa.int32(), "INT32", [42])
delta_ints("int32 ramp 5", pa.int32(), "INT32", [1, 2, 3, 4, 5])
delta_ints("int32 spec example 2", pa.int32(), "INT32", [7, 5, 3, 1, 2, 3, 4, 5])
delta_ints("int32 random walk 1000", pa.int32(), "INT32", [sum(rng.randint(-300, 700) for _ in range(3)) * i for i in range(1000)])
delta_ints("int32 extremes 129", pa.int32(), "INT32", [I32[i % 2] if i % 3 else rng.randint(*I32) for i in range(129)])
delta_ints("int32 constant 300", pa.int32(), "INT32", [-7] * 300)
delta_ints("int64 random 300", pa.int64(), "INT64", [rng.randint(*I64) for _ in range(300)])
delta_ints("int64 extremes 200", pa.int64(), "INT64", [I64[(i // 3) % 2] if i % 5 else i for i in range(200)])
delta_ints("int64 timestamps 777", pa.int64(), "INT64", [1_700_000_000_000_000 + i * 1_000_000 + rng.randint(0, 999) for i in range(777)])


def strings(n, rng, max_len):
    alphabet = b"abcdefghijklmnopqrstuvwxyz0123456789"
    return [bytes(rng.choice(alphabet) for _ in range(rng.randint(0, max_len))) for _ in range(n)]


def byte_array_case(name, encoding, values, arrow_type=pa.binary(), kind="BYTE_ARRAY", **extra):
    data = v2_values(required(arrow_type, values), use_dictionary=False, column_encoding={"v": encoding})
    add(name, encoding, kind, data, [v.hex() for v in values], **extra)


words = sorted(strings(300, rng, 20))
mixed = [b"", b"x" * 300] + strings(100, rng, 60) + [b""] * 5
byte_array_case("strings 300", "DELTA_LENGTH_BYTE_ARRAY", words)
byte_array_case("mixed lengths", "DELTA_LENGTH_BYTE_ARRAY", mixed)
byte_array_case("spec example", "DELTA_BYTE_ARRAY", [b"axis", b"axle", b"babble", b"babyhood"])
byte_array_case("sorted strings 300", "DELTA_BYTE_ARRAY", words)
byte_array_case("mixed lengths", "DELTA_BYTE_ARRAY", mixed)
urls = [b"https://example.org/items/%d/detail" % (i * 7 % 1000) for i in range(200)]
byte_array_case("urls 200", "DELTA_BYTE_ARRAY", urls)
flba = sorted(bytes(rng.randrange(256) for _ in range(6)) for _ in range(150))
flba[10:20] = [flba[10]] * 10
byte_array_case("flba6 150", "DELTA_BYTE_ARRAY", flba, pa.binary(6), "FIXED_LEN_BYTE_ARRAY", width=6)
byte_array_case("strings 300", "PLAIN", words)
byte_array_case("mixed lengths", "PLAIN", mixed)


def bss(name, arrow_type, kind, values, pack, width=None):
    data = v2_values(required(arrow_type, values), use_dictionary=False, column_encoding={"v": "BYTE_STREAM_SPLIT"})
    add(name, "BYTE_STREAM_SPLIT", kind, data, [pack(v).hex() for v in values], **({"width": width} if width else {}))


specials = [0.0, -0.0, math.inf, -math.inf, math.nan, 1.5, -2.25, 1e-300, 3.4e38]
floats = specials + [rng.uniform(-1e6, 1e6) for _ in range(300)]
bss("float 309", pa.float32(), "FLOAT", floats, lambda v: struct.pack("<f", v))
bss("double 309", pa.float64(), "DOUBLE", floats, lambda v: struct.pack("<d", v))
bss("int32 200", pa.int32(), "INT32", [rng.randint(*I32) for _ in range(200)], lambda v: struct.pack("<i", v))
bss("int64 200", pa.int64(), "INT64", [rng.randint(*I64) for _ in range(200)], lambda v: struct.pack("<q", v))
bss("flba3 100", pa.binary(3), "FIXED_LEN_BYTE_ARRAY", [bytes(rng.randrange(256) for _ in range(3)) for _ in range(100)], lambda v: v, width=3)

# Dictionary indices: 700 distinct strings (bit width 10), with runs. Arrow numbers dictionary
# entries in order of first appearance, so the expected index is that rank.
keys = [b"key-%04d" % k for k in range(700)]
picked = []
for k in range(700):
    picked.append(keys[k])
    if k % 50 == 0:
        picked.extend([keys[k]] * rng.randint(8, 40))
picked += [rng.choice(keys) for _ in range(1500)]
rank, indices = {}, []
for v in picked:
    indices.append(rank.setdefault(v, len(rank)))
header, body = one_data_page(required(pa.binary(), picked), data_page_version="2.0", use_dictionary=True)
assert header[8][4] in (2, 8), header
add("dictionary indices width 10", "RLE_DICTIONARY", "INDICES", body, indices)

# Definition levels of a nullable column: v2 (no length prefix) and v1 (4-byte prefix).
valid = []
for run in range(60):
    valid.extend([run % 3 != 0] * rng.randint(1, 30))
levels = [1 if v else 0 for v in valid]
nullable = pa.table({"v": pa.array([7 if v else None for v in valid], type=pa.int32())})
header, body = one_data_page(nullable, data_page_version="2.0", use_dictionary=False)
add("definition levels v2", "RLE", "LEVELS_V2", body[: header[8][5]], levels, bitWidth=1)
header, body = one_data_page(nullable, data_page_version="1.0", use_dictionary=False)
assert header[5][3] == 3, header
# The 4-byte length, the runs, and the first value bytes after them (to check what is consumed).
add("definition levels v1", "RLE", "LEVELS_V1", body[: 4 + struct.unpack("<I", body[:4])[0] + 8], levels, bitWidth=1)

# Booleans: RLE (length-prefixed) and PLAIN (bit-packed).
bools = [rng.random() < 0.3 for _ in range(500)] + [True] * 100 + [False] * 37
for encoding in ("RLE", "PLAIN"):
    data = v2_values(required(pa.bool_(), bools), use_dictionary=False, column_encoding={"v": encoding})
    add("booleans 637", encoding, "BOOLEAN", data, [int(b) for b in bools])

# INT96 timestamps (PLAIN): expected as nanoseconds since the epoch.
nanos = [0, 1, -1, 86_399_999_999_999, 1_700_000_000_123_456_789, -2_000_000_000_000_000_000] + [rng.randint(-(2**62), 2**62) for _ in range(50)]
table = pa.table({"v": pa.array(nanos, type=pa.timestamp("ns"))}, schema=pa.schema([pa.field("v", pa.timestamp("ns"), nullable=False)]))
data = v2_values(table, use_dictionary=False, use_deprecated_int96_timestamps=True)
add("int96 timestamps", "PLAIN", "INT96", data, nanos)

with open("pyarrow_pages.json", "w") as f:
    f.write('{"generator": "pyarrow %s", "cases": [\n' % pa.__version__)
    f.write(",\n".join(json.dumps(c, separators=(",", ":")) for c in cases))
    f.write("\n]}\n")
print(len(cases), "cases")
