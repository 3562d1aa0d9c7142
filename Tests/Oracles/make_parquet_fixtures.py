"""Write Avocet's Parquet reader fixture matrix (test oracle).

    python make_parquet_fixtures.py OUTDIR

For every fixture ``X.parquet`` it writes ``X.jsonl``: the rows as pyarrow
reads that file (``render.read_parquet``: Arrow extension types on, INT96 at
ns), rendered canonically by ``render.py``. ``manifest.json`` lists every
fixture as ``{file, writer, description, codec, encodings, page_version,
rows}`` plus ``expected_from`` ("pyarrow", or "duckdb" for a file pyarrow
cannot read), ``row_groups``, ``data_pages``, ``page_types`` and
``data_page_encodings``. ``codec``, ``encodings`` and ``page_version`` are read back
from the written file's footer and page headers (by the small Thrift reader in
this file), not taken from the writer options, so they say what is really in
the file: ``codec`` uses the Thrift enum names (pyarrow's "lz4" is written as
LZ4_RAW) and is a string when every column chunk uses the same codec, else a
sorted list; ``encodings`` is the union of the column chunks' encoding lists;
``data_page_encodings`` the union of the encodings named in data page headers
(dictionary pages are always PLAIN/PLAIN_DICTIONARY); ``page_version`` is "1.0", "2.0", "mixed" or null (no data
pages).

Writers: pyarrow (``pq.write_table``), DuckDB (``COPY ... TO ... (FORMAT
parquet)``) and "handwritten" (a minimal Parquet writer in this file, for
legacy two-level list layouts that neither pyarrow nor DuckDB produce).

Everything is deterministic (fixed seeds); OUTDIR is created if needed and
existing fixtures in it are overwritten. Takes a few seconds; output is a
few MB.
"""

from __future__ import annotations

import decimal
import functools
import json
import os
import random
import struct
import sys
import time
import uuid as _uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import pyarrow as pa  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402

import render  # noqa: E402

SEED = "avocet-parquet-fixtures-v1"
NULL_P = 0.12  # probability of a null in any nullable slot, at every level


def rng(name: str) -> random.Random:
    return random.Random(f"{SEED}:{name}")


# ==========================================================================
# Value generators (pure Python, deterministic)
# ==========================================================================

UNICODE_SAMPLES = [
    "héllo wörld", "日本語のテキスト", "duck 🦆 avocet 🐦", "Ωμέγα ≈ ç √ ∑",
    "tab\tnew\nline \"quoted\" back\\slash", "nul\u0000byte", "RTL עברית العربية",
    "combining e\u0301 \u00e9", "\U0001F600\U0001F4A9", "zero\u200bwidth",
]
LONG_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789 éß日🦆"
SHORT_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_- "


def maybe(r: random.Random, v, p: float = NULL_P):
    return None if r.random() < p else v


def gen_string(r: random.Random, i: int) -> str:
    x = r.random()
    if x < 0.06:
        return ""
    if x < 0.075:  # long string, > 1 KB in UTF-8
        return "".join(r.choices(LONG_ALPHABET, k=r.randint(1100, 2600)))
    if x < 0.25:
        return r.choice(UNICODE_SAMPLES)
    return "".join(r.choices(SHORT_ALPHABET, k=r.randint(1, 24)))


def gen_low_card_string(r: random.Random) -> str:
    return r.choice(["red", "green", "blue", "", "ünïcødé", "cyan", "magenta"])


def gen_int(r: random.Random, bits: int, signed: bool, i: int) -> int:
    if signed:
        lo, hi = -(1 << (bits - 1)), (1 << (bits - 1)) - 1
    else:
        lo, hi = 0, (1 << bits) - 1
    edges = [lo, hi, 0, 1, lo + 1, hi - 1] + ([-1] if signed else [])
    if i < len(edges):
        return edges[i]
    x = r.random()
    if x < 0.1:
        return r.choice(edges)
    if x < 0.5:
        return r.randint(max(lo, -100), min(hi, 100))
    return r.randint(lo, hi)


def gen_float(r: random.Random, i: int, f32: bool) -> float:
    specials = [0.0, -0.0, float("nan"), float("inf"), float("-inf"), 1.0, -1.5,
                1e-45 if f32 else 5e-324, 3.4028234663852886e38 if f32 else 1.7976931348623157e308,
                1e16, 1e-5, 0.1, 36.504, 123456789.0]
    if i < len(specials):
        v = specials[i]
    else:
        x = r.random()
        if x < 0.05:
            v = r.choice(specials)
        elif x < 0.4:
            v = round(r.uniform(-1000, 1000), r.randint(0, 4))
        elif x < 0.7:
            v = r.uniform(-1, 1) * 10 ** r.randint(-30, 30)
        else:
            v = r.gauss(0, 1e6)
    if f32:
        v = struct.unpack("<f", struct.pack("<f", v))[0] if abs(v) <= 3.4028234663852886e38 or v != v else v
    return v


def gen_decimal(r: random.Random, precision: int, scale: int, i: int) -> decimal.Decimal:
    top = 10 ** precision - 1
    edges = [top, -top, 0, 1, -1]
    if i < len(edges):
        unscaled = edges[i]
    else:
        digits = r.randint(1, precision)
        unscaled = r.randint(-(10 ** digits - 1), 10 ** digits - 1)
    return decimal.Decimal(f"{unscaled}E-{scale}")  # exact (scaleb would round to 28 digits)


DAY_US = 86_400_000_000
# Days since epoch: 0000-01-01 = -719528, 9999-12-31 = 2932896.
DATE_EDGES = [0, -1, 1, -719528, -719529, 2932896, 2932897, -25567, 18262, 10957]


def gen_date(r: random.Random, i: int) -> int:
    if i < len(DATE_EDGES):
        return DATE_EDGES[i]
    x = r.random()
    if x < 0.05:
        return r.randint(-1_000_000, 3_500_000)  # years ~ -768 .. 11552
    return r.randint(-40_000, 40_000)  # ~1860 .. 2079


def gen_timestamp(r: random.Random, unit: str, i: int) -> int:
    """Value in `unit` since the epoch."""
    per_s = {"ms": 1000, "us": 1_000_000, "ns": 1_000_000_000}[unit]
    edges = [0, -1, 1, 1_700_000_000 * per_s + per_s // 7, -86_400 * per_s]
    if unit != "ns":  # ns cannot reach these years in int64
        edges += [-62_167_219_200 * per_s,  # 0000-01-01T00:00:00
                  -62_167_219_200 * per_s - 1,  # just before year 0
                  253_402_300_800 * per_s,  # 10000-01-01T00:00:00
                  -100_000_000_000 * per_s]  # year -1199
    if i < len(edges):
        return edges[i]
    if r.random() < 0.03 and unit != "ns":
        return r.randint(-300_000_000_000, 300_000_000_000) * per_s + r.randrange(per_s)
    return r.randint(-2_000_000_000, 4_000_000_000) * per_s + r.randrange(per_s)


def gen_bytes(r: random.Random, i: int) -> bytes:
    x = r.random()
    if x < 0.06:
        return b""
    if x < 0.075:
        return r.randbytes(r.randint(1100, 2500))
    return r.randbytes(r.randint(1, 40))


def gen_json(r: random.Random) -> str:
    obj = r.choice([
        {"a": r.randint(0, 100), "b": [1, 2, None], "c": {"d": "ü"}},
        [r.random(), "x", True, None],
        "plain string",
        r.randint(-10**20, 10**20),
        None,
        {},
    ])
    return json.dumps(obj, ensure_ascii=False)


# ==========================================================================
# Tables
# ==========================================================================

PRIM_COLUMNS = [
    "id", "b", "i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "f16", "f32", "f64",
    "dec5_2", "dec18_6", "dec38_18", "s", "ls", "s_low", "dict_s", "bin", "lbin",
    "fsb16", "uuid", "json", "d32", "t32ms", "t64us", "t64ns",
    "ts_ms", "ts_us", "ts_ns", "ts_ms_tz", "ts_us_tz", "ts_ns_tz", "null_col", "all_null_s",
]


def prims_table(n: int, name: str = "prims", columns: list[str] | None = None) -> pa.Table:
    return _prims_table(n, name, tuple(columns) if columns is not None else None)


@functools.lru_cache(maxsize=None)
def _prims_table(n: int, name: str, columns: tuple[str, ...] | None) -> pa.Table:
    r = rng(name)
    cols: dict[str, pa.Array] = {}

    def col(cname, typ, fn, nullable=True):
        if columns is not None and cname not in columns:
            # keep the RNG stream independent of the selection
            [fn(i) for i in range(n)]
            return
        vals = [fn(i) for i in range(n)]
        if nullable:
            vals = [None if (i >= 12 and r.random() < NULL_P) else v for i, v in enumerate(vals)]
        cols[cname] = pa.array(vals, typ)

    col("id", pa.int32(), lambda i: i, nullable=False)
    col("b", pa.bool_(), lambda i: r.random() < 0.5)
    for bits in (8, 16, 32, 64):
        col(f"i{bits}", getattr(pa, f"int{bits}")(), lambda i, b=bits: gen_int(r, b, True, i))
    for bits in (8, 16, 32, 64):
        col(f"u{bits}", getattr(pa, f"uint{bits}")(), lambda i, b=bits: gen_int(r, b, False, i))
    if columns is None or "f16" in columns:
        f16_vals = [None if (i >= 12 and r.random() < NULL_P) else
                    [0.0, -0.0, 1.0, 65504.0, 6e-8, float("nan"), float("inf"), 0.1, 1.5][i % 9]
                    if i < 9 else round(r.uniform(-1000, 1000), 2) for i in range(n)]
        cols["f16"] = pa.array(f16_vals, pa.float32()).cast(pa.float16())
    col("f32", pa.float32(), lambda i: gen_float(r, i, True))
    col("f64", pa.float64(), lambda i: gen_float(r, i, False))
    col("dec5_2", pa.decimal128(5, 2), lambda i: gen_decimal(r, 5, 2, i))
    col("dec18_6", pa.decimal128(18, 6), lambda i: gen_decimal(r, 18, 6, i))
    col("dec38_18", pa.decimal128(38, 18), lambda i: gen_decimal(r, 38, 18, i))
    col("s", pa.string(), lambda i: gen_string(r, i))
    col("ls", pa.large_string(), lambda i: gen_string(r, i))
    col("s_low", pa.string(), lambda i: gen_low_card_string(r))
    if columns is None or "dict_s" in columns:
        vals = [maybe(r, gen_low_card_string(r)) for _ in range(n)]
        cols["dict_s"] = pa.array(vals, pa.string()).dictionary_encode()
    col("bin", pa.binary(), lambda i: gen_bytes(r, i))
    col("lbin", pa.large_binary(), lambda i: gen_bytes(r, i))
    col("fsb16", pa.binary(16), lambda i: r.randbytes(16))
    if columns is None or "uuid" in columns:
        vals = [None if (i >= 3 and r.random() < NULL_P) else
                [bytes(16), b"\xff" * 16, _uuid.UUID("123e4567-e89b-12d3-a456-426614174000").bytes][i]
                if i < 3 else _uuid.UUID(int=r.getrandbits(128), version=4).bytes for i in range(n)]
        cols["uuid"] = pa.array(vals, pa.uuid())
    if columns is None or "json" in columns:
        vals = [maybe(r, gen_json(r)) for _ in range(n)]
        cols["json"] = pa.array(vals, pa.json_())
    col("d32", pa.date32(), lambda i: gen_date(r, i))
    col("t32ms", pa.time32("ms"), lambda i: [0, 86_399_999][i] if i < 2 else r.randrange(86_400_000))
    col("t64us", pa.time64("us"), lambda i: [0, 86_399_999_999][i] if i < 2 else r.randrange(86_400_000_000))
    col("t64ns", pa.time64("ns"), lambda i: [0, 86_399_999_999_999][i] if i < 2 else r.randrange(86_400_000_000_000))
    for unit in ("ms", "us", "ns"):
        col(f"ts_{unit}", pa.timestamp(unit), lambda i, u=unit: gen_timestamp(r, u, i))
    col("ts_ms_tz", pa.timestamp("ms", "UTC"), lambda i: gen_timestamp(r, "ms", i))
    col("ts_us_tz", pa.timestamp("us", "America/New_York"), lambda i: gen_timestamp(r, "us", i))
    col("ts_ns_tz", pa.timestamp("ns", "+05:30"), lambda i: gen_timestamp(r, "ns", i))
    if columns is None or "null_col" in columns:
        cols["null_col"] = pa.nulls(n)
    if columns is None or "all_null_s" in columns:
        cols["all_null_s"] = pa.nulls(n, pa.string())
    order = [c for c in PRIM_COLUMNS if c in cols]
    return pa.table({c: cols[c] for c in order})


ST_ST = pa.struct([("a", pa.struct([("x", pa.int32()), ("y", pa.string())])), ("b", pa.float64())])
L_ST = pa.list_(pa.struct([("k", pa.string()), ("v", pa.int64())]))
ST_LM = pa.struct([("tags", pa.list_(pa.string())), ("attrs", pa.map_(pa.string(), pa.int64())),
                   ("n", pa.int32())])

NESTED_SCHEMA = pa.schema([
    pa.field("id", pa.int32(), nullable=False),
    pa.field("st_st", ST_ST),
    pa.field("l_int", pa.list_(pa.int32())),
    pa.field("l_str", pa.list_(pa.string())),
    pa.field("l_st", L_ST),
    pa.field("l_l", pa.list_(pa.list_(pa.int32()))),
    pa.field("ll_i64", pa.large_list(pa.int64())),
    pa.field("fsl3", pa.list_(pa.float64(), 3)),
    pa.field("m_si", pa.map_(pa.string(), pa.int32())),
    pa.field("m_sl", pa.map_(pa.string(), pa.list_(pa.int32()))),
    pa.field("st_lm", ST_LM),
    pa.field("l_dec", pa.list_(pa.decimal128(18, 3))),
    pa.field("l_ts", pa.list_(pa.timestamp("us", "UTC"))),
])


@functools.lru_cache(maxsize=None)
def nested_table(n: int, name: str = "nested") -> pa.Table:
    r = rng(name)
    m = lambda v: maybe(r, v)  # noqa: E731

    def small_list(fn, maxlen=4):
        if r.random() < NULL_P:
            return None
        return [m(fn()) for _ in range(r.randint(0, maxlen))]

    def keys(k):
        # map keys are non-null and (by convention) unique within one map
        pool = ["a", "b", "c", "é", "", "key_" + str(r.randint(0, 50)), "日本"]
        r.shuffle(pool)
        return pool[:k]

    rows = {f.name: [] for f in NESTED_SCHEMA}
    for i in range(n):
        rows["id"].append(i)
        rows["st_st"].append(m({"a": m({"x": m(r.randint(-1000, 1000)), "y": m(gen_string(r, i))}),
                                "b": m(gen_float(r, i, False))}))
        rows["l_int"].append(small_list(lambda: r.randint(-(2**31), 2**31 - 1), 6))
        rows["l_str"].append(small_list(lambda: gen_string(r, i)))
        rows["l_st"].append(small_list(lambda: {"k": m(gen_low_card_string(r)), "v": m(r.randint(-10**12, 10**12))}))
        rows["l_l"].append(small_list(lambda: small_list(lambda: r.randint(-50, 50), 3), 3))
        rows["ll_i64"].append(small_list(lambda: r.randint(-(2**63), 2**63 - 1)))
        rows["fsl3"].append(m([m(gen_float(r, 20, False)) for _ in range(3)]))
        rows["m_si"].append(m([(k, m(r.randint(-100, 100))) for k in keys(r.randint(0, 4))]))
        rows["m_sl"].append(m([(k, small_list(lambda: r.randint(0, 9), 3)) for k in keys(r.randint(0, 3))]))
        rows["st_lm"].append(m({
            "tags": small_list(lambda: gen_low_card_string(r), 3),
            "attrs": m([(k, m(r.randint(-10**15, 10**15))) for k in keys(r.randint(0, 3))]),
            "n": m(r.randint(0, 9)),
        }))
        rows["l_dec"].append(small_list(lambda: gen_decimal(r, 18, 3, 99)))
        rows["l_ts"].append(small_list(lambda: gen_timestamp(r, "us", 99)))
    return pa.table({f.name: pa.array(rows[f.name], f.type) for f in NESTED_SCHEMA}, schema=NESTED_SCHEMA)


def required_table(n: int) -> pa.Table:
    """Non-nullable (REQUIRED) columns at every level, mixed with optional."""
    r = rng("required")
    schema = pa.schema([
        pa.field("id", pa.int64(), nullable=False),
        pa.field("s", pa.string(), nullable=False),
        pa.field("f", pa.float64(), nullable=False),
        pa.field("st", pa.struct([pa.field("a", pa.int32(), nullable=False),
                                  pa.field("b", pa.string(), nullable=True)]), nullable=False),
        pa.field("l_req", pa.list_(pa.field("element", pa.int32(), nullable=False)), nullable=False),
        pa.field("l_opt_req", pa.list_(pa.field("element", pa.string(), nullable=False)), nullable=True),
        pa.field("st_opt", pa.struct([pa.field("x", pa.int64(), nullable=False)]), nullable=True),
    ])
    data = {
        "id": list(range(n)),
        "s": [gen_string(r, i) for i in range(n)],
        "f": [gen_float(r, i, False) for i in range(n)],
        "st": [{"a": r.randint(-5, 5), "b": maybe(r, gen_low_card_string(r))} for _ in range(n)],
        "l_req": [[r.randint(0, 99) for _ in range(r.randint(0, 4))] for _ in range(n)],
        "l_opt_req": [maybe(r, [gen_low_card_string(r) for _ in range(r.randint(0, 3))]) for _ in range(n)],
        "st_opt": [maybe(r, {"x": r.randint(0, 10**10)}) for _ in range(n)],
    }
    return pa.table({f.name: pa.array(data[f.name], f.type) for f in schema}, schema=schema)


def high_card_table(n: int) -> pa.Table:
    r = rng("highcard")
    return pa.table({
        "id": pa.array(range(n), pa.int32()),
        "hc_s": pa.array([maybe(r, f"unique-{i:06d}-" + "".join(r.choice("abcdef") for _ in range(40)))
                          for i in range(n)], pa.string()),
        "hc_i64": pa.array([maybe(r, r.getrandbits(62)) for _ in range(n)], pa.int64()),
        "hc_f64": pa.array([maybe(r, r.random()) for _ in range(n)], pa.float64()),
        "lc_s": pa.array([maybe(r, gen_low_card_string(r)) for _ in range(n)], pa.string()),
    })


def timestamps_table(n: int) -> pa.Table:
    """For INT96: values inside the int64-ns range (INT96 is read back as ns)."""
    r = rng("int96")

    def ts(unit, i):
        v = gen_timestamp(r, unit, i if i < 5 else 99)
        return None if (i >= 5 and r.random() < NULL_P) else v
    return pa.table({
        "id": pa.array(range(n), pa.int32()),
        "ts_ms": pa.array([ts("ms", i) for i in range(n)], pa.timestamp("ms")),
        "ts_us_tz": pa.array([ts("us", i) for i in range(n)], pa.timestamp("us", "UTC")),
        "ts_ns": pa.array([ts("ns", i) for i in range(n)], pa.timestamp("ns")),
        "l_ts": pa.array([None if r.random() < NULL_P else [ts("us", 99) for _ in range(r.randint(0, 3))]
                          for _ in range(n)], pa.list_(pa.timestamp("us"))),
    })


# ==========================================================================
# Minimal Thrift compact protocol (page-header scanning + handwritten files)
# ==========================================================================

class CompactReader:
    def __init__(self, buf: bytes, pos: int = 0):
        self.buf, self.pos = buf, pos

    def byte(self) -> int:
        b = self.buf[self.pos]
        self.pos += 1
        return b

    def varint(self) -> int:
        shift = result = 0
        while True:
            b = self.byte()
            result |= (b & 0x7F) << shift
            if not b & 0x80:
                return result
            shift += 7

    def zigzag(self) -> int:
        v = self.varint()
        return (v >> 1) ^ -(v & 1)

    def value(self, t: int):
        if t in (1, 2):
            return t == 1
        if t == 3:
            return self.byte()
        if t in (4, 5, 6):
            return self.zigzag()
        if t == 7:
            self.pos += 8
            return None
        if t == 8:
            n = self.varint()
            self.pos += n
            return self.buf[self.pos - n:self.pos]
        if t in (9, 10):
            h = self.byte()
            n, et = h >> 4, h & 0x0F
            if n == 15:
                n = self.varint()
            return [self.value(et) for _ in range(n)]
        if t == 11:
            n = self.varint()
            if n == 0:
                return {}
            kv = self.byte()
            return {self.value(kv >> 4): self.value(kv & 0x0F) for _ in range(n)}
        if t == 12:
            return self.struct()
        raise ValueError(f"bad compact type {t}")

    def struct(self) -> dict:
        out, last = {}, 0
        while True:
            h = self.byte()
            if h == 0:
                return out
            t, delta = h & 0x0F, h >> 4
            fid = last + delta if delta else self.zigzag()
            out[fid] = self.value(t)
            last = fid


class CompactWriter:
    """Just enough of the compact protocol to write Parquet metadata."""

    def __init__(self):
        self.out = bytearray()
        self.last = [0]

    def _varint(self, v: int):
        while True:
            b = v & 0x7F
            v >>= 7
            if v:
                self.out.append(b | 0x80)
            else:
                self.out.append(b)
                return

    def _zz(self, v: int):
        self._varint((v << 1) ^ (v >> 63))

    def _field(self, fid: int, t: int):
        delta = fid - self.last[-1]
        if 0 < delta <= 15:
            self.out.append((delta << 4) | t)
        else:
            self.out.append(t)
            self._zz(fid)
        self.last[-1] = fid

    def i32(self, fid, v):
        self._field(fid, 5)
        self._zz(v)

    def i64(self, fid, v):
        self._field(fid, 6)
        self._zz(v)

    def string(self, fid, v):
        b = v.encode() if isinstance(v, str) else v
        self._field(fid, 8)
        self._varint(len(b))
        self.out += b

    def begin_struct(self, fid=None):
        if fid is not None:
            self._field(fid, 12)
        self.last.append(0)

    def end_struct(self):
        self.out.append(0)
        self.last.pop()

    def list_header(self, fid, elem_type, n):
        self._field(fid, 9)
        if n < 15:
            self.out.append((n << 4) | elem_type)
        else:
            self.out.append(0xF0 | elem_type)
            self._varint(n)

    def list_i32(self, fid, vals):
        self.list_header(fid, 5, len(vals))
        for v in vals:
            self._zz(v)

    def list_str(self, fid, vals):
        self.list_header(fid, 8, len(vals))
        for v in vals:
            b = v.encode()
            self._varint(len(b))
            self.out += b


CODECS = {0: "UNCOMPRESSED", 1: "SNAPPY", 2: "GZIP", 3: "LZO", 4: "BROTLI", 5: "LZ4",
          6: "ZSTD", 7: "LZ4_RAW"}
ENCODINGS = {0: "PLAIN", 2: "PLAIN_DICTIONARY", 3: "RLE", 4: "BIT_PACKED",
             5: "DELTA_BINARY_PACKED", 6: "DELTA_LENGTH_BYTE_ARRAY", 7: "DELTA_BYTE_ARRAY",
             8: "RLE_DICTIONARY", 9: "BYTE_STREAM_SPLIT"}
PAGE_TYPES = {0: "DATA_PAGE", 1: "INDEX_PAGE", 2: "DICTIONARY_PAGE", 3: "DATA_PAGE_V2"}


def inspect_file(path: str) -> dict:
    """Read the footer and walk every page header of every column chunk with
    the compact-protocol reader above (independent of pyarrow's accessors)."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:4] == b"PAR1" and data[-4:] == b"PAR1", path
    flen = struct.unpack("<I", data[-8:-4])[0]
    fmd = CompactReader(data, len(data) - 8 - flen).struct()
    codecs: set[str] = set()
    chunk_encs: set[str] = set()
    page_encs: set[str] = set()
    types: set[str] = set()
    versions: set[str] = set()
    data_pages = 0
    row_groups = fmd.get(4, [])
    for rg in row_groups:
        for cc in rg[1]:
            md = cc[3]
            codecs.add(CODECS[md[4]])
            chunk_encs.update(ENCODINGS.get(e, str(e)) for e in md[2])
            # A 0-row chunk written by pyarrow has a dictionary page only and
            # data_page_offset == 0.
            offsets = [o for o in (md.get(11), md.get(9)) if o]
            if not offsets or md[7] == 0:
                continue
            pos, end = min(offsets), min(offsets) + md[7]
            while pos < end:
                rd = CompactReader(data, pos)
                h = rd.struct()
                ptype = h[1]
                types.add(PAGE_TYPES.get(ptype, str(ptype)))
                if ptype == 0:
                    versions.add("1.0")
                    data_pages += 1
                    page_encs.add(ENCODINGS[h[5][2]])
                elif ptype == 3:
                    versions.add("2.0")
                    data_pages += 1
                    page_encs.add(ENCODINGS[h[8][4]])
                pos = rd.pos + h[3]
    version = None if not versions else (versions.pop() if len(versions) == 1 else "mixed")
    return {"codecs": sorted(codecs), "encodings": sorted(chunk_encs),
            "data_page_encodings": sorted(page_encs), "page_version": version,
            "row_groups": len(row_groups), "data_pages": data_pages, "page_types": sorted(types)}


# ==========================================================================
# Handwritten legacy two-level list file
# ==========================================================================

def _rle_levels(levels: list[int], bit_width: int) -> bytes:
    """RLE/bit-packing hybrid, RLE runs only, with the v1 4-byte length prefix."""
    out = bytearray()
    nbytes = (bit_width + 7) // 8
    i = 0
    while i < len(levels):
        j = i
        while j < len(levels) and levels[j] == levels[i]:
            j += 1
        run = j - i
        v = (run << 1)
        while True:
            b = v & 0x7F
            v >>= 7
            out.append(b | (0x80 if v else 0))
            if not v:
                break
        out += levels[i].to_bytes(nbytes, "little")
        i = j
    return struct.pack("<I", len(out)) + bytes(out)


def _shred_list(rows, def_null_list, def_empty, def_elem_present, def_elem_null, nullable_list, nullable_elem):
    """Shred one list column (one repetition level). Returns (rep, def, values)."""
    rep, dfn, vals = [], [], []
    for row in rows:
        if row is None:
            assert nullable_list
            rep.append(0)
            dfn.append(def_null_list)
        elif len(row) == 0:
            rep.append(0)
            dfn.append(def_empty)
        else:
            for k, v in enumerate(row):
                rep.append(0 if k == 0 else 1)
                if v is None:
                    assert nullable_elem
                    dfn.append(def_elem_null)
                else:
                    dfn.append(def_elem_present)
                    vals.append(v)
    return rep, dfn, vals


def write_legacy_two_level(path: str, n: int) -> None:
    """Write legacy list layouts (the Parquet spec's backward-compatibility rules):

        message spark_schema {
          required int32 id;
          repeated int32 bare;                      -- repeated primitive, no LIST
          optional group lst (LIST) {
            repeated int32 array;                   -- 2-level: repeated primitive
          }
          optional group lst_grp (LIST) {
            repeated group array {                  -- 2-level: repeated group of
              optional binary s (UTF8);             --   2 fields = the element
              optional int32 n;
            }
          }
          optional group lst_tuple (LIST) {
            repeated group lst_tuple_tuple {        -- 2-level: "<name>_tuple"
              required binary s (UTF8);
            }
          }
          repeated group bare_grp {                 -- repeated group, no LIST
            required int64 k;
            optional binary v (UTF8);
          }
          optional group lst_array1 (LIST) {
            repeated group array {                  -- 2-level: 1-field group named
              optional int32 x;                     --   "array" = the element
            }
          }
        }
    PLAIN encoding, UNCOMPRESSED, data page v1, one row group.
    """
    r = rng("legacy2")
    ids = list(range(n))
    bare = [[r.randint(-100, 100) for _ in range(r.randint(0, 3))] for _ in range(n)]
    lst = [maybe(r, [r.randint(0, 1000) for _ in range(r.randint(0, 3))]) for _ in range(n)]
    lst_grp = [maybe(r, [{"s": maybe(r, gen_low_card_string(r)), "n": maybe(r, r.randint(0, 9))}
                         for _ in range(r.randint(0, 3))]) for _ in range(n)]
    lst_tuple = [maybe(r, [{"s": gen_string(r, 99)} for _ in range(r.randint(0, 2))]) for _ in range(n)]
    bare_grp = [[{"k": r.randint(0, 10**12), "v": maybe(r, gen_low_card_string(r))}
                 for _ in range(r.randint(0, 2))] for _ in range(n)]
    lst_array1 = [maybe(r, [{"x": maybe(r, r.randint(-9, 9))} for _ in range(r.randint(0, 3))])
                  for _ in range(n)]

    INT32, INT64, BYTE_ARRAY = 1, 2, 6
    REQ, OPT, REP = 0, 1, 2

    def plain(ptype, vals):
        if ptype == INT32:
            return b"".join(struct.pack("<i", v) for v in vals)
        if ptype == INT64:
            return b"".join(struct.pack("<q", v) for v in vals)
        out = bytearray()
        for v in vals:
            b = v.encode()
            out += struct.pack("<I", len(b)) + b
        return bytes(out)

    # (path, ptype, rep levels, def levels, values, max_rep, max_def)
    chunks = []
    chunks.append((["id"], INT32, None, None, ids, 0, 0))
    # bare repeated int32: def 0 = empty, 1 = element
    rep, dfn, vals = _shred_list(bare, None, 0, 1, None, False, False)
    chunks.append((["bare"], INT32, rep, dfn, vals, 1, 1))
    # lst: optional group(0->null) / repeated array: def 0 null, 1 empty, 2 element
    rep, dfn, vals = _shred_list(lst, 0, 1, 2, None, True, False)
    chunks.append((["lst", "array"], INT32, rep, dfn, vals, 1, 2))
    # lst_grp.array.{s,n}: def 0 null list, 1 empty, 2 element present with field null, 3 value
    for fname in ("s", "n"):
        rep, dfn, vals = [], [], []
        for row in lst_grp:
            if row is None:
                rep.append(0); dfn.append(0)  # noqa: E702
            elif not row:
                rep.append(0); dfn.append(1)  # noqa: E702
            else:
                for k, e in enumerate(row):
                    rep.append(0 if k == 0 else 1)
                    if e[fname] is None:
                        dfn.append(2)
                    else:
                        dfn.append(3)
                        vals.append(e[fname])
        chunks.append((["lst_grp", "array", fname], BYTE_ARRAY if fname == "s" else INT32, rep, dfn, vals, 1, 3))
    # lst_tuple.lst_tuple_tuple.s (required): def 0 null, 1 empty, 2 value
    rep, dfn, vals = _shred_list([None if row is None else [e["s"] for e in row] for row in lst_tuple],
                                 0, 1, 2, None, True, False)
    chunks.append((["lst_tuple", "lst_tuple_tuple", "s"], BYTE_ARRAY, rep, dfn, vals, 1, 2))
    # bare_grp.k (required): def 0 empty, 1 value; bare_grp.v: 0 empty, 1 null, 2 value
    rep, dfn, vals = _shred_list([[e["k"] for e in row] for row in bare_grp], None, 0, 1, None, False, False)
    chunks.append((["bare_grp", "k"], INT64, rep, dfn, vals, 1, 1))
    rep, dfn, vals = _shred_list([[e["v"] for e in row] for row in bare_grp], None, 0, 2, 1, False, True)
    chunks.append((["bare_grp", "v"], BYTE_ARRAY, rep, dfn, vals, 1, 2))
    # lst_array1.array.x: def 0 null list, 1 empty, 2 element with x null, 3 value
    rep, dfn, vals = _shred_list([None if row is None else [e["x"] for e in row] for row in lst_array1],
                                 0, 1, 3, 2, True, True)
    chunks.append((["lst_array1", "array", "x"], INT32, rep, dfn, vals, 1, 3))

    body = bytearray(b"PAR1")
    col_meta = []
    for path_in_schema, ptype, rep, dfn, vals, max_rep, max_def in chunks:
        page = bytearray()
        if max_rep:
            page += _rle_levels(rep, max_rep.bit_length())
        if max_def:
            page += _rle_levels(dfn, max_def.bit_length())
        page += plain(ptype, vals)
        num_values = len(dfn) if dfn is not None else len(vals)
        hw = CompactWriter()
        hw.begin_struct()
        hw.i32(1, 0)  # DATA_PAGE
        hw.i32(2, len(page))
        hw.i32(3, len(page))
        hw.begin_struct(5)  # DataPageHeader
        hw.i32(1, num_values)
        hw.i32(2, 0)  # PLAIN
        hw.i32(3, 3)  # RLE
        hw.i32(4, 3)  # RLE
        hw.end_struct()
        hw.end_struct()
        offset = len(body)
        body += hw.out + page
        col_meta.append((path_in_schema, ptype, offset, len(hw.out) + len(page), num_values))

    # Schema (depth-first). (name, type, repetition, num_children, converted_type)
    UTF8, LIST = 0, 3
    schema = [
        ("spark_schema", None, None, 7, None),
        ("id", INT32, REQ, None, None),
        ("bare", INT32, REP, None, None),
        ("lst", None, OPT, 1, LIST), ("array", INT32, REP, None, None),
        ("lst_grp", None, OPT, 1, LIST), ("array", None, REP, 2, None),
        ("s", BYTE_ARRAY, OPT, None, UTF8), ("n", INT32, OPT, None, None),
        ("lst_tuple", None, OPT, 1, LIST), ("lst_tuple_tuple", None, REP, 1, None),
        ("s", BYTE_ARRAY, REQ, None, UTF8),
        ("bare_grp", None, REP, 2, None), ("k", INT64, REQ, None, None),
        ("v", BYTE_ARRAY, OPT, None, UTF8),
        ("lst_array1", None, OPT, 1, LIST), ("array", None, REP, 1, None),
        ("x", INT32, OPT, None, None),
    ]
    w = CompactWriter()
    w.begin_struct()
    w.i32(1, 1)  # version
    w.list_header(2, 12, len(schema))
    for name, ptype, repetition, nchildren, conv in schema:
        w.begin_struct()
        if ptype is not None:
            w.i32(1, ptype)
        if repetition is not None:
            w.i32(3, repetition)
        w.string(4, name)
        if nchildren is not None:
            w.i32(5, nchildren)
        if conv is not None:
            w.i32(6, conv)
        w.end_struct()
    w.i64(3, n)
    w.list_header(4, 12, 1)  # one row group
    w.begin_struct()
    w.list_header(1, 12, len(col_meta))
    total = 0
    for path_in_schema, ptype, offset, size, num_values in col_meta:
        total += size
        w.begin_struct()  # ColumnChunk
        w.i64(2, offset)
        w.begin_struct(3)  # ColumnMetaData
        w.i32(1, ptype)
        w.list_i32(2, [0, 3])  # PLAIN, RLE
        w.list_str(3, path_in_schema)
        w.i32(4, 0)  # UNCOMPRESSED
        w.i64(5, num_values)
        w.i64(6, size)
        w.i64(7, size)
        w.i64(9, offset)
        w.end_struct()
        w.end_struct()
    w.i64(2, total)
    w.i64(3, n)
    w.end_struct()
    w.string(6, "avocet handwritten legacy-list fixture writer")
    w.end_struct()
    body += w.out + struct.pack("<I", len(w.out)) + b"PAR1"
    with open(path, "wb") as f:
        f.write(body)


# ==========================================================================
# DuckDB-written files
# ==========================================================================

def duckdb_source(n: int) -> pa.Table:
    p = prims_table(n, "duck", ["id", "b", "i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64",
                                "f32", "f64", "dec5_2", "dec18_6", "dec38_18", "s", "s_low",
                                "bin", "uuid", "d32", "t64us", "ts_us", "ts_ms_tz", "ts_ns"])
    nest = nested_table(n, "duck-nested").select(["st_st", "l_int", "l_str", "l_st", "l_l",
                                                   "m_si", "m_sl", "st_lm"])
    for name in nest.column_names:
        p = p.append_column(name, nest.column(name))
    # DuckDB's UUID is cast from text; its DATE/TIMESTAMP ranges are checked below.
    return p


DUCKDB_SELECT = """
SELECT id, b, i8, i16, {i32} AS i32, i64, u8, u16, {u32} AS u32, u64, f32, f64,
       CAST(dec5_2 AS DECIMAL(5,2)) AS dec5_2,
       CAST(dec18_6 AS DECIMAL(18,6)) AS dec18_6,
       CAST(dec38_18 AS DECIMAL(38,18)) AS dec38_18,
       s, CAST(s_low AS ENUM('red','green','blue','','ünïcødé','cyan','magenta')) AS s_enum,
       bin, CAST(uuid_txt AS UUID) AS uuid,
       d32, t64us, ts_us, CAST(ts_ms_tz AS TIMESTAMPTZ) AS ts_tz, ts_ns,
       st_st, {l_int} AS l_int, l_str, l_st, l_l, m_si, m_sl, st_lm
FROM src ORDER BY id
"""
FULL_RANGE = {"i32": "i32", "u32": "u32", "l_int": "l_int"}
# DuckDB 1.5.5 with PARQUET_VERSION V2 writes DELTA_BINARY_PACKED INT32 pages whose
# deltas are computed in 64 bits (min_delta below -2^31, miniblock bit width 33)
# when INT32 values span more than 2^31; pyarrow rejects those pages ("InitBlock
# EOF"). The main V2 fixture therefore halves those columns; the bug itself is
# kept in `duckdb_v2_delta_int32_33bit`, whose expected rows come from DuckDB.
HALVED = {"i32": "CAST(i32 // 2 AS INTEGER)", "u32": "CAST(u32 // 2 AS UINTEGER)",
          "l_int": "list_transform(l_int, x -> x // 2)"}
DUCKDB_33BIT_SELECT = "SELECT id, i32, u32, l_int FROM src ORDER BY id"
DUCKDB_RG_SELECT = ("SELECT id, i64, CAST(dec18_6 AS DECIMAL(18,6)) AS dec18_6, ts_us, d32, s_low, "
                    "uuid_txt, st_st, l_int, m_si FROM src ORDER BY id")


def duckdb_rg_source() -> pa.Table:
    p = prims_table(4500, "duck-rg", ["id", "i64", "dec18_6", "ts_us", "d32", "s_low", "uuid"])
    nest = nested_table(4500, "duck-rg-nested")
    for name in ("st_st", "l_int", "m_si"):
        p = p.append_column(name, nest.column(name))
    return p


def write_duckdb(path: str, src: pa.Table, codec: str, row_group_size: int, extra: str = "",
                 select: str | None = None) -> None:
    import duckdb  # noqa: PLC0415
    con = duckdb.connect()
    con.execute("SET TimeZone='UTC'")
    uuids = [None if u is None else str(_uuid.UUID(bytes=u))
             for u in src.column("uuid").combine_chunks().storage.to_pylist()]
    src = src.append_column("uuid_txt", pa.array(uuids, pa.string()))
    con.register("src", src)
    select = select or DUCKDB_SELECT.format(**FULL_RANGE)
    con.execute(f"COPY ({select}) TO '{path}' (FORMAT parquet, COMPRESSION {codec}, "
                f"ROW_GROUP_SIZE {row_group_size}{extra})")
    con.close()


def read_with_duckdb(path: str) -> pa.Table:
    import duckdb  # noqa: PLC0415
    con = duckdb.connect()
    try:
        return con.execute("SELECT * FROM read_parquet(?)", [path]).to_arrow_table()
    finally:
        con.close()


# ==========================================================================
# Matrix
# ==========================================================================

def fixtures():
    """(name, writer, description, builder[, reader]) where builder(path) writes the
    file and reader(path) -> pyarrow.Table gives the expected rows (default:
    render.read_parquet, i.e. pyarrow)."""
    out = []

    def pa_file(name, desc, table_fn, **kw):
        def build(path):
            pq.write_table(table_fn(), path, **kw)
        out.append((name, "pyarrow", desc, build))

    P = 600
    prims = lambda: prims_table(P)  # noqa: E731
    nested = lambda: nested_table(800)  # noqa: E731

    # --- primitives x codecs x page versions x dictionary ---
    pa_file("prims_dict_snappy_v1", "all primitive/logical types; dictionary (default); SNAPPY; page v1",
            prims, compression="snappy", data_page_version="1.0")
    pa_file("prims_dict_zstd_v2", "all primitive/logical types; dictionary; ZSTD; page v2",
            prims, compression="zstd", data_page_version="2.0")
    pa_file("prims_plain_none_v1", "all primitive/logical types; use_dictionary=False (PLAIN); UNCOMPRESSED; v1",
            prims, compression="none", use_dictionary=False, data_page_version="1.0")
    pa_file("prims_plain_gzip_v2", "all primitive/logical types; PLAIN; GZIP; page v2",
            prims, compression="gzip", use_dictionary=False, data_page_version="2.0")
    pa_file("prims_dict_lz4_v1", "all primitive/logical types; dictionary; LZ4 (written as LZ4_RAW); v1",
            prims, compression="lz4", data_page_version="1.0")
    pa_file("prims_plain_lz4_v2", "all primitive/logical types; PLAIN; LZ4_RAW; page v2",
            prims, compression="lz4", use_dictionary=False, data_page_version="2.0")
    pa_file("prims_nostats_v2", "all primitive/logical types; write_statistics=False; SNAPPY; v2",
            prims, write_statistics=False, data_page_version="2.0")
    pa_file("prims_pageindex_smallpages", "write_page_index=True; data_page_size=2048, write_batch_size=64 "
            "(many pages); row_group_size=400; ZSTD; v1",
            prims, write_page_index=True, data_page_size=2048, write_batch_size=64,
            row_group_size=400, compression="zstd")
    pa_file("prims_many_rowgroups", "row_group_size=50 (many row groups); SNAPPY; v2; page checksums; "
            "bloom filters on i64 and s",
            prims, row_group_size=50, data_page_version="2.0", write_page_checksum=True,
            bloom_filter_options={"i64": {"ndv": 1000, "fpp": 0.05}, "s": {"ndv": 1000}})
    pa_file("prims_many_pages_v1", "max_rows_per_page=37 and data_page_size=512 (many small pages); "
            "PLAIN; GZIP; v1",
            prims, max_rows_per_page=37, data_page_size=512, write_batch_size=37,
            use_dictionary=False, compression="gzip", data_page_version="1.0")
    pa_file("prims_many_pages_v2_dict", "max_rows_per_page=50 (many pages, dictionary); ZSTD; v2",
            prims, max_rows_per_page=50, write_batch_size=50, compression="zstd", data_page_version="2.0")
    pa_file("prims_no_arrow_schema", "store_schema=False: no ARROW:schema metadata (timezones come back as "
            "UTC, large types as plain); SNAPPY; v1",
            prims, store_schema=False)

    # --- decimals ---
    dec_cols = ["id", "dec5_2", "dec18_6", "dec38_18"]
    pa_file("decimals_as_int", "store_decimal_as_integer=True: dec5_2 INT32, dec18_6 INT64, "
            "dec38_18 FIXED_LEN_BYTE_ARRAY; dictionary; SNAPPY; v1",
            lambda: prims_table(2000, "dec", dec_cols), store_decimal_as_integer=True)
    pa_file("decimals_as_int_plain_v2", "store_decimal_as_integer=True; PLAIN; ZSTD; v2",
            lambda: prims_table(2000, "dec", dec_cols), store_decimal_as_integer=True,
            use_dictionary=False, compression="zstd", data_page_version="2.0")
    pa_file("decimals_flba", "decimals all as FIXED_LEN_BYTE_ARRAY (default); PLAIN; UNCOMPRESSED; v1",
            lambda: prims_table(2000, "dec", dec_cols), use_dictionary=False, compression="none")

    # --- encodings ---
    enc_int_cols = ["id", "i32", "i64", "u32", "u64", "d32", "ts_us", "t64ns", "dec5_2", "dec18_6"]
    for v in ("1.0", "2.0"):
        tag = v[0]
        pa_file(f"enc_delta_binary_packed_v{tag}",
                f"DELTA_BINARY_PACKED on INT32/INT64 columns (ints, uints, date, timestamp, time, "
                f"INT32/INT64 decimals); SNAPPY; v{v}" + ("; small pages" if v == "2.0" else ""),
                lambda: prims_table(1000, "dbp", enc_int_cols), use_dictionary=False,
                store_decimal_as_integer=True, data_page_version=v,
                **({"data_page_size": 1024, "write_batch_size": 100} if v == "2.0" else {}),
                column_encoding={c: "DELTA_BINARY_PACKED" for c in enc_int_cols})
    str_cols = ["id", "s", "ls", "bin", "json", "s_low"]
    pa_file("enc_delta_length_byte_array", "DELTA_LENGTH_BYTE_ARRAY on string/large_string/binary/json; "
            "ZSTD; v2",
            lambda: prims_table(1000, "dlba", str_cols), use_dictionary=False, compression="zstd",
            data_page_version="2.0", column_encoding={c: "DELTA_LENGTH_BYTE_ARRAY" for c in str_cols[1:]})
    dba_cols = ["id", "s", "ls", "bin", "fsb16", "uuid", "dec38_18"]
    pa_file("enc_delta_byte_array", "DELTA_BYTE_ARRAY on BYTE_ARRAY (string, binary) and "
            "FIXED_LEN_BYTE_ARRAY (fsb16, uuid, decimal38); SNAPPY; v1",
            lambda: prims_table(1000, "dba", dba_cols), use_dictionary=False, data_page_version="1.0",
            column_encoding={c: "DELTA_BYTE_ARRAY" for c in dba_cols[1:]})
    pa_file("enc_delta_byte_array_v2", "DELTA_BYTE_ARRAY on string/binary/FLBA; small pages; GZIP; v2",
            lambda: prims_table(1000, "dba", dba_cols), use_dictionary=False, data_page_version="2.0",
            compression="gzip", data_page_size=4096, write_batch_size=100,
            column_encoding={c: "DELTA_BYTE_ARRAY" for c in dba_cols[1:]})
    bss_cols = ["id", "f16", "f32", "f64", "i32", "i64", "fsb16", "dec18_6", "dec38_18"]
    for v in ("1.0", "2.0"):
        tag = v[0]
        pa_file(f"enc_byte_stream_split_v{tag}",
                f"BYTE_STREAM_SPLIT on FLOAT, DOUBLE, INT32, INT64, FIXED_LEN_BYTE_ARRAY "
                f"(float16, fsb16, decimal38) and INT64 decimal; ZSTD; v{v}" + ("; small pages" if v == "1.0" else ""),
                lambda: prims_table(1000, "bss", bss_cols), use_dictionary=False,
                store_decimal_as_integer=True, compression="zstd", data_page_version=v,
                **({"data_page_size": 1024, "write_batch_size": 100} if v == "1.0" else {}),
                column_encoding={c: "BYTE_STREAM_SPLIT" for c in bss_cols[1:]})
    pa_file("enc_rle_bool_v2", "RLE-encoded BOOLEAN (column_encoding={'b': 'RLE'}); page v2; SNAPPY",
            lambda: prims_table(2000, "rle", ["id", "b"]), use_dictionary=False,
            data_page_version="2.0", column_encoding={"b": "RLE"})
    pa_file("enc_rle_bool_v1", "RLE-encoded BOOLEAN on page v1; small pages; UNCOMPRESSED",
            lambda: prims_table(2000, "rle", ["id", "b"]), use_dictionary=False, compression="none",
            data_page_version="1.0", column_encoding={"b": "RLE"}, data_page_size=128,
            write_batch_size=100)
    pa_file("dict_fallback_plain", "dictionary_pagesize_limit=2048 on high-cardinality string/int64/"
            "double columns: dictionary pages then PLAIN fallback in the same chunk; low-cardinality "
            "column stays dictionary; SNAPPY; v1",
            lambda: high_card_table(2000), dictionary_pagesize_limit=2048, data_page_size=4096,
            write_batch_size=128)
    pa_file("dict_fallback_plain_v2", "dictionary fallback to PLAIN; ZSTD; page v2",
            lambda: high_card_table(2000), dictionary_pagesize_limit=2048, data_page_size=4096,
            write_batch_size=128, compression="zstd", data_page_version="2.0")

    # --- nested ---
    pa_file("nested_dict_snappy_v1", "nested: struct<struct>, list<int>, list<string>, list<struct>, "
            "list<list<int>>, large_list, fixed_size_list, map<string,int>, map<string,list<int>>, "
            "struct<list,map>, list<decimal>, list<timestamp>; dictionary; SNAPPY; v1",
            nested, data_page_version="1.0")
    pa_file("nested_plain_zstd_v2", "nested types; PLAIN; ZSTD; page v2", nested,
            use_dictionary=False, compression="zstd", data_page_version="2.0")
    pa_file("nested_dict_gzip_v2", "nested types; dictionary; GZIP; v2", nested,
            compression="gzip", data_page_version="2.0")
    pa_file("nested_plain_none_v1", "nested types; PLAIN; UNCOMPRESSED; v1", nested,
            use_dictionary=False, compression="none")
    pa_file("nested_lz4_smallpages", "nested types; LZ4_RAW; max_rows_per_page=40 (records split "
            "over many pages); row_group_size=300; v2",
            nested, compression="lz4", max_rows_per_page=40, write_batch_size=40, row_group_size=300,
            data_page_version="2.0")
    pa_file("nested_legacy_item_names", "use_compliant_nested_type=False: 3-level lists whose element "
            "is named 'item' (and map key_value names as pyarrow writes them); SNAPPY; v1",
            nested, use_compliant_nested_type=False)
    pa_file("nested_nostats_v1", "nested types; write_statistics=False; write_page_index=True; SNAPPY",
            nested, write_statistics=False, write_page_index=True)
    pa_file("required_columns", "REQUIRED (non-nullable) columns, struct and list elements, mixed with "
            "optional; SNAPPY; v1", lambda: required_table(1000))
    pa_file("required_columns_v2", "REQUIRED columns; PLAIN; page v2; UNCOMPRESSED",
            lambda: required_table(1000), use_dictionary=False, compression="none",
            data_page_version="2.0")

    # --- sizes ---
    def both(n):
        t = prims_table(max(n, 1), "sizes").slice(0, n)
        nest = nested_table(max(n, 1), "sizes-n").slice(0, n)
        for c in nest.column_names[1:]:
            t = t.append_column(c, nest.column(c))
        return t
    pa_file("empty_0_rows", "0 rows, full primitive + nested schema", lambda: both(0))
    pa_file("one_row", "1 row, full primitive + nested schema", lambda: both(1))
    pa_file("one_row_v2_plain", "1 row; PLAIN; page v2; ZSTD", lambda: both(1),
            use_dictionary=False, data_page_version="2.0", compression="zstd")

    # --- INT96 ---
    pa_file("int96_timestamps", "use_deprecated_int96_timestamps=True, store_schema=False: all "
            "timestamp columns (incl. list<timestamp>) as INT96, read back as timestamp[ns] without tz",
            lambda: timestamps_table(800), use_deprecated_int96_timestamps=True, store_schema=False)
    pa_file("int96_timestamps_plain_v2", "INT96 timestamps; PLAIN; page v2; GZIP",
            lambda: timestamps_table(800), use_deprecated_int96_timestamps=True, store_schema=False,
            use_dictionary=False, data_page_version="2.0", compression="gzip")

    # --- handwritten legacy lists ---
    out.append(("legacy_two_level_lists", "handwritten",
                "legacy list layouts: bare repeated int32; 2-level LIST with repeated primitive "
                "'array'; 2-level LIST with repeated 2-field group 'array'; 2-level LIST with "
                "'<name>_tuple' group; bare repeated group; 2-level LIST with 1-field group 'array'; "
                "PLAIN; UNCOMPRESSED; v1 (DuckDB 1.5.5 reads lst_tuple as list<string>, "
                "ignoring the _tuple rule)",
                lambda path: write_legacy_two_level(path, 600)))

    # --- DuckDB ---
    duck_src = {}

    def dsrc():
        if "t" not in duck_src:
            duck_src["t"] = duckdb_source(600)
        return duck_src["t"]

    duck_desc = ("DuckDB COPY TO: ints/uints, floats, DECIMAL(5,2)/(18,6)/(38,18), VARCHAR, ENUM, "
                 "BLOB, UUID, DATE, TIME, TIMESTAMP, TIMESTAMPTZ, TIMESTAMP_NS, structs, lists, maps")
    for codec, rgs, desc in [
        ("snappy", 100, "ROW_GROUP_SIZE 100 (still one row group: DuckDB cuts row groups "
                        "at 2048-row vector granularity)"),
        ("zstd", 600, "ROW_GROUP_SIZE 600"),
        ("gzip", 250, "ROW_GROUP_SIZE 250 (one row group)"),
        ("uncompressed", 100, "ROW_GROUP_SIZE 100 (one row group)"),
    ]:
        out.append((f"duckdb_{codec}", "duckdb", f"{duck_desc}; {codec.upper()}; {desc}",
                    lambda path, c=codec, g=rgs: write_duckdb(path, dsrc(), c, g)))
    out.append(("duckdb_many_rowgroups", "duckdb",
                "DuckDB COPY TO with ROW_GROUP_SIZE 2048 on 4500 rows (DuckDB's row-group "
                "granularity is its 2048-row vector): 3 row groups; ints, decimals, timestamps, "
                "dates, enum-like strings, struct<struct>, list<int>, map<string,int>; SNAPPY",
                lambda path: write_duckdb(path, duckdb_rg_source(), "snappy", 2048, "",
                                          DUCKDB_RG_SELECT)))
    out.append(("duckdb_zstd_v2", "duckdb",
                f"{duck_desc}; ZSTD; ROW_GROUP_SIZE 300; PARQUET_VERSION V2 (DELTA_BINARY_PACKED, "
                "DELTA_LENGTH_BYTE_ARRAY, BYTE_STREAM_SPLIT on v1 data pages); i32/u32/l_int halved "
                "to avoid DuckDB's 33-bit INT32 delta bug (see duckdb_v2_delta_int32_33bit)",
                lambda path: write_duckdb(path, dsrc(), "zstd", 300, ", PARQUET_VERSION V2",
                                          DUCKDB_SELECT.format(**HALVED))))
    out.append(("duckdb_v2_delta_int32_33bit", "duckdb",
                "DuckDB PARQUET_VERSION V2 with full-range INT32/UINT32 values: DELTA_BINARY_PACKED "
                "INT32 pages with min_delta < -2^31 and miniblock bit width 33 (DuckDB reads them, "
                "pyarrow 26 fails with 'InitBlock EOF'); expected rows come from DuckDB's reading",
                lambda path: write_duckdb(path, dsrc(), "snappy", 1000, ", PARQUET_VERSION V2",
                                          DUCKDB_33BIT_SELECT),
                read_with_duckdb))
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: make_parquet_fixtures.py OUTDIR", file=sys.stderr)
        return 2
    outdir = argv[1]
    os.makedirs(outdir, exist_ok=True)
    manifest = []
    t0 = time.monotonic()
    for name, writer, desc, build, *reader in fixtures():
        fname = name + ".parquet"
        path = os.path.join(outdir, fname)
        build(path)
        expected_from = "duckdb" if reader else "pyarrow"
        table = reader[0](path) if reader else render.read_parquet(path)
        with open(os.path.join(outdir, name + ".jsonl"), "w", encoding="utf-8", newline="\n") as fp:
            rows = render.write_jsonl(table, fp)
        info = inspect_file(path)
        codecs = info["codecs"]
        manifest.append({
            "file": fname,
            "writer": writer,
            "description": desc,
            "codec": codecs[0] if len(codecs) == 1 else (codecs or None),
            "encodings": info["encodings"],
            "page_version": info["page_version"],
            "rows": rows,
            "expected_from": expected_from,
            "row_groups": info["row_groups"],
            "data_pages": info["data_pages"],
            "page_types": info["page_types"],
            "data_page_encodings": info["data_page_encodings"],
        })
    with open(os.path.join(outdir, "manifest.json"), "w", encoding="utf-8", newline="\n") as fp:
        json.dump(manifest, fp, ensure_ascii=False, indent=1)
        fp.write("\n")
    total = sum(os.path.getsize(os.path.join(outdir, f)) for f in os.listdir(outdir))
    print(f"make_parquet_fixtures: {len(manifest)} Parquet files, {total / 1e6:.1f} MB, "
          f"{time.monotonic() - t0:.1f} s -> {outdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
