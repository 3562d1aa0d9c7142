"""Canonical JSON-lines rendering of Arrow data (Avocet test oracle).

This is the project's canonical row rendering, the same one that
``avocet cat --format jsonl`` produces. One JSON object per row, keys in
schema order, serialized with
``json.dumps(obj, ensure_ascii=False, separators=(",", ":"))``.

Rules, by Arrow type:

* string / large_string / string_view / JSON extension -> JSON string
* bool -> true/false; every integer width, signed or unsigned -> JSON integer
  (values may exceed 2^53; parse them as Int64/UInt64, not Double)
* float64 -> Python ``repr(float)`` (shortest round-trip; ``1.0``, ``1e+16``,
  ``1e-05``, ``-0.0``)
* float32 / float16 -> the shortest decimal that round-trips through that
  width (``36.504``, not ``36.50400161743164``), spelled the way Python's
  ``repr`` spells that decimal as a float64
* NaN / +Inf / -Inf (any float width) -> strings "NaN", "Infinity", "-Infinity"
* decimal(p, s) -> string with exactly s fraction digits, never an exponent
  ("12.000000000000000000", "-0.50"; s == 0 gives no decimal point;
  a negative scale gives the plain integer)
* date32 / date64 -> "YYYY-MM-DD"
* timestamp with a time zone (any zone; the value is a UTC instant) ->
  "YYYY-MM-DDTHH:MM:SS.ffffffZ" (6 fraction digits for s/ms/us, 9 for ns);
  timestamp without a time zone -> the same without "Z"
* time32 / time64 -> "HH:MM:SS.ffffff" (9 fraction digits for ns)
* years outside 0000-9999 -> "+YYYYY" / "-YYYYY" (sign and at least 5
  digits; proleptic Gregorian, year 0 exists), computed from the epoch
  value so any representable year works
* binary / large_binary / binary_view / fixed_size_binary -> standard base64
  with padding
* UUID (extension ``arrow.uuid``) -> lowercase hyphenated UUID string.
  A plain fixed_size_binary(16) is rendered as base64: read Parquet with
  ``arrow_extensions_enabled=True`` (see ``read_parquet`` below) so that
  Parquet's UUID logical type arrives as ``arrow.uuid``, or pass the column
  names in ``uuid_columns``.
* struct -> object with fields in order; list / large_list / list_view /
  fixed_size_list -> array; map -> array of [key, value] pairs in stored
  order; dictionary -> the rendered dictionary value; run-end encoded -> the
  decoded value; other extension types -> their storage rendered
* null type -> null; a null -> null at every nesting level
* extras not in the core rules: duration -> integer count of its unit;
  month_day_nano_interval -> [months, days, nanoseconds];
  month interval -> integer months

Public API:

* ``render_array(arr) -> list``: JSON-ready Python values, one per slot
* ``iter_jsonl(table_or_batch, uuid_columns=()) -> Iterator[str]``
* ``write_jsonl(table_or_batch, fp, uuid_columns=())`` (writes lines + "\\n")
* ``dumps(obj) -> str``: the canonical json.dumps
* ``read_parquet(path) -> pyarrow.Table``: pyarrow reading as the oracles do
  (``arrow_extensions_enabled=True``, INT96 left at ns)
* ``format_float32(x) / format_float64(x)``: the number text alone

Only the standard library and pyarrow are needed.
"""

from __future__ import annotations

import base64
import json
import math
import struct
import sys
import uuid as _uuid
from decimal import Decimal
from fractions import Fraction
from typing import IO, Any, Iterable, Iterator

import pyarrow as pa
import pyarrow.types as pat

__all__ = [
    "render_array",
    "iter_rows",
    "iter_jsonl",
    "write_jsonl",
    "dumps",
    "read_parquet",
    "format_float32",
    "format_float64",
    "format_date",
]


# --------------------------------------------------------------------------
# JSON
# --------------------------------------------------------------------------

def dumps(obj: Any) -> str:
    """The canonical serializer (no NaN literals: floats are pre-rendered)."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"),
                      allow_nan=False)


# --------------------------------------------------------------------------
# Floats
# --------------------------------------------------------------------------

def _special_float(x: float) -> str | None:
    if x != x:
        return "NaN"
    if x == math.inf:
        return "Infinity"
    if x == -math.inf:
        return "-Infinity"
    return None


# (struct format, unsigned format, mantissa bits, max sig digits needed)
_NARROW = {
    32: ("<f", "<I", 23, 9),
    16: ("<e", "<H", 10, 5),
}


def _narrow_bits_to_fraction(bits: int, width: int) -> Fraction:
    """Exact value of a non-negative narrow float given by its bit pattern.

    The pattern one past the largest finite value (i.e. +inf) is treated as
    the next power of two so that the rounding interval of the largest
    finite value is computed correctly."""
    fmt, ufmt, mbits, _ = _NARROW[width]
    ebits = width - 1 - mbits
    bias = (1 << (ebits - 1)) - 1
    exp = bits >> mbits
    man = bits & ((1 << mbits) - 1)
    if exp == 0:
        return Fraction(man, 1) * Fraction(2) ** (1 - bias - mbits)
    return Fraction((1 << mbits) | man, 1) * Fraction(2) ** (exp - bias - mbits)


def _shortest_narrow(x: float, width: int) -> float:
    """Shortest decimal that rounds (round-half-even) to the narrow float x,
    returned as the float64 nearest that decimal (whose repr is exactly that
    decimal, since it has <= 9 significant digits)."""
    fmt, ufmt, mbits, maxdigits = _NARROW[width]
    # Make sure x is exactly representable in the narrow width.
    x = struct.unpack(fmt, struct.pack(fmt, x))[0]
    if x == 0.0:
        return x  # keeps the sign: repr gives "0.0" / "-0.0"
    neg = x < 0
    ax = -x if neg else x
    bits = struct.unpack(ufmt, struct.pack(fmt, ax))[0]
    man = bits & ((1 << mbits) - 1)
    if man != 0:
        # Fast path: symmetric rounding interval. The interval ends are exact
        # in float64, and the float64 nearest a decimal lies on the same side
        # of an end as the decimal unless it equals that end exactly.
        prev = struct.unpack(fmt, struct.pack(ufmt, bits - 1))[0]
        nxt = struct.unpack(fmt, struct.pack(ufmt, bits + 1))[0]
        if nxt != math.inf:
            lo_f, hi_f = (prev + ax) / 2, (ax + nxt) / 2
            for p in range(1, maxdigits + 1):
                c = float("%.*e" % (p - 1, ax))
                if c == lo_f or c == hi_f:
                    break  # decide exactly below
                if lo_f < c < hi_f:
                    return -c if neg else c
    value = Fraction(ax)
    lo = (_narrow_bits_to_fraction(bits - 1, width) + value) / 2 if bits > 0 else Fraction(0)
    hi = (_narrow_bits_to_fraction(bits + 1, width) + value) / 2
    even = (bits & 1) == 0  # ties round to the even pattern

    def inside(c: Fraction) -> bool:
        if even:
            return lo <= c <= hi
        return lo < c < hi

    dx = Decimal(ax)  # exact
    e10 = dx.adjusted()
    for p in range(1, 40):
        scale = e10 - p + 1
        unit = Fraction(10) ** scale
        lo_d = math.floor(value / unit)
        best = None
        for d in (lo_d, lo_d + 1):
            c = d * unit
            if inside(c):
                dist = abs(c - value)
                if best is None or dist < best[0] or (dist == best[0] and d % 2 == 0):
                    best = (dist, d)
        if best is not None:
            out = float(f"{best[1]}e{scale}")
            return -out if neg else out
    raise AssertionError(f"no shortest representation for {x!r}")  # unreachable


def format_float64(x: float) -> str:
    s = _special_float(x)
    return s if s is not None else repr(float(x))


def format_float32(x: float) -> str:
    s = _special_float(x)
    return s if s is not None else repr(_shortest_narrow(x, 32))


def _render_float(values: list, width: int) -> list:
    out = []
    for x in values:
        if x is None:
            out.append(None)
            continue
        x = float(x)
        s = _special_float(x)
        if s is not None:
            out.append(s)
        elif width == 64:
            out.append(x)
        else:
            out.append(_shortest_narrow(x, width))
    return out


# --------------------------------------------------------------------------
# Dates and times (pure integer arithmetic, proleptic Gregorian)
# --------------------------------------------------------------------------

def _civil_from_days(z: int) -> tuple[int, int, int]:
    """Days since 1970-01-01 -> (year, month, day). H. Hinnant's algorithm;
    valid for any integer (Python floor division)."""
    z += 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    if m <= 2:
        y += 1
    return y, m, d


def _year(y: int) -> str:
    if 0 <= y <= 9999:
        return "%04d" % y
    return "%+06d" % y  # "+10000", "-00001", "-123456"


def format_date(days: int) -> str:
    y, m, d = _civil_from_days(days)
    return "%s-%02d-%02d" % (_year(y), m, d)


def _format_tod(sub: int, per_sec: int, digits: int) -> str:
    """sub: time of day in units of 1/per_sec seconds."""
    secs, frac = divmod(sub, per_sec)
    h, rem = divmod(secs, 3600)
    mi, s = divmod(rem, 60)
    return "%02d:%02d:%02d.%0*d" % (h, mi, s, digits, frac)


_UNIT_PER_SEC = {"s": 1, "ms": 1000, "us": 1000000, "ns": 1000000000}


def _render_timestamp(ints: list, unit: str, tz: str | None) -> list:
    if unit == "ns":
        per_sec, digits, mult = 10**9, 9, 1
    else:
        per_sec, digits, mult = 10**6, 6, 10**6 // _UNIT_PER_SEC[unit]
    per_day = 86400 * per_sec
    suffix = "Z" if tz else ""
    out = []
    for v in ints:
        if v is None:
            out.append(None)
            continue
        days, sub = divmod(v * mult, per_day)
        out.append(format_date(days) + "T" + _format_tod(sub, per_sec, digits) + suffix)
    return out


def _render_time(ints: list, unit: str) -> list:
    if unit == "ns":
        per_sec, digits, mult = 10**9, 9, 1
    else:
        per_sec, digits, mult = 10**6, 6, 10**6 // _UNIT_PER_SEC[unit]
    return [None if v is None else _format_tod(v * mult, per_sec, digits) for v in ints]


# --------------------------------------------------------------------------
# Decimals
# --------------------------------------------------------------------------

def _format_decimal(d: Decimal, scale: int) -> str:
    sign, digits, exp = d.as_tuple()
    unscaled = int("".join(map(str, digits)) or "0")
    shift = exp + scale
    if shift >= 0:
        unscaled *= 10**shift
    else:  # more fraction digits than the scale (should not happen)
        q, r = divmod(unscaled, 10**(-shift))
        if r:
            raise ValueError(f"decimal {d} has more than {scale} fraction digits")
        unscaled = q
    neg = bool(sign) and unscaled != 0
    if scale <= 0:
        text = str(unscaled * 10**(-scale))
    else:
        s = str(unscaled).rjust(scale + 1, "0")
        text = s[:-scale] + "." + s[-scale:]
    return "-" + text if neg else text


# --------------------------------------------------------------------------
# Arrays
# --------------------------------------------------------------------------

def _b64(b: bytes) -> str:
    return base64.b64encode(b).decode("ascii")


def _view_ints(arr: pa.Array, bits: int) -> list:
    return arr.view(pa.int64() if bits == 64 else pa.int32()).to_pylist()


def _is_uuid_type(t: pa.DataType) -> bool:
    return isinstance(t, pa.BaseExtensionType) and t.extension_name == "arrow.uuid"


def render_array(arr: pa.Array | pa.ChunkedArray, as_uuid: bool = False) -> list:
    """Render every slot of ``arr`` to a JSON-ready Python value."""
    if isinstance(arr, pa.ChunkedArray):
        out: list = []
        for chunk in arr.chunks:
            out.extend(render_array(chunk, as_uuid))
        return out

    t = arr.type
    n = len(arr)

    if pat.is_null(t):
        return [None] * n

    if isinstance(t, pa.BaseExtensionType):
        storage = arr.storage
        if _is_uuid_type(t):
            return render_array(storage, as_uuid=True)
        return render_array(storage, as_uuid)

    if pat.is_dictionary(t):
        values = render_array(arr.dictionary)
        return [None if i is None else values[i] for i in arr.indices.to_pylist()]

    if pat.is_run_end_encoded(t):
        import pyarrow.compute as pc  # noqa: PLC0415
        return render_array(pc.run_end_decode(arr) if hasattr(pc, "run_end_decode")
                            else arr.cast(t.value_type))

    if pat.is_boolean(t) or pat.is_integer(t):
        return arr.to_pylist()

    if pat.is_float64(t):
        return _render_float(arr.to_pylist(), 64)
    if pat.is_float32(t):
        return _render_float(arr.to_pylist(), 32)
    if pat.is_float16(t):
        return _render_float(arr.cast(pa.float32()).to_pylist(), 16)

    if pat.is_decimal(t):
        scale = t.scale
        return [None if d is None else _format_decimal(d, scale) for d in arr.to_pylist()]

    if pat.is_string(t) or pat.is_large_string(t) or (
            hasattr(pat, "is_string_view") and pat.is_string_view(t)):
        return arr.to_pylist()

    if pat.is_fixed_size_binary(t):
        vals = arr.to_pylist()
        if as_uuid and t.byte_width == 16:
            return [None if b is None else str(_uuid.UUID(bytes=b)) for b in vals]
        return [None if b is None else _b64(b) for b in vals]

    if pat.is_binary(t) or pat.is_large_binary(t) or (
            hasattr(pat, "is_binary_view") and pat.is_binary_view(t)):
        return [None if b is None else _b64(b) for b in arr.to_pylist()]

    if pat.is_date32(t):
        return [None if v is None else format_date(v) for v in _view_ints(arr, 32)]
    if pat.is_date64(t):
        return [None if v is None else format_date(v // 86400000) for v in _view_ints(arr, 64)]

    if pat.is_timestamp(t):
        return _render_timestamp(_view_ints(arr, 64), t.unit, t.tz)

    if pat.is_time32(t):
        return _render_time(_view_ints(arr, 32), t.unit)
    if pat.is_time64(t):
        return _render_time(_view_ints(arr, 64), t.unit)

    if pat.is_duration(t):
        return _view_ints(arr, 64)

    if pat.is_interval(t):
        vals = arr.to_pylist()
        if t == pa.month_day_nano_interval():
            return [None if v is None else [v.months, v.days, v.nanoseconds] for v in vals]
        return vals

    valid = arr.is_valid().to_pylist() if arr.null_count else None

    if pat.is_struct(t):
        names = [t.field(i).name for i in range(t.num_fields)]
        cols = [render_array(arr.field(i)) for i in range(t.num_fields)]
        out = []
        for r in range(n):
            if valid is not None and not valid[r]:
                out.append(None)
            else:
                out.append({names[j]: cols[j][r] for j in range(len(names))})
        return out

    if pat.is_map(t):
        offsets = arr.offsets.to_pylist()
        entries = arr.values
        keys = render_array(entries.field(0))
        items = render_array(entries.field(1))
        out = []
        for r in range(n):
            if valid is not None and not valid[r]:
                out.append(None)
            else:
                out.append([[keys[k], items[k]] for k in range(offsets[r], offsets[r + 1])])
        return out

    if pat.is_list(t) or pat.is_large_list(t):
        offsets = arr.offsets.to_pylist()
        lo, hi = offsets[0], offsets[-1]
        child = render_array(arr.values.slice(lo, hi - lo))
        out = []
        for r in range(n):
            if valid is not None and not valid[r]:
                out.append(None)
            else:
                out.append(child[offsets[r] - lo:offsets[r + 1] - lo])
        return out

    if pat.is_fixed_size_list(t):
        size = t.list_size
        child = render_array(arr.values.slice(arr.offset * size, n * size))
        out = []
        for r in range(n):
            if valid is not None and not valid[r]:
                out.append(None)
            else:
                out.append(child[r * size:(r + 1) * size])
        return out

    if (hasattr(pat, "is_list_view") and pat.is_list_view(t)) or (
            hasattr(pat, "is_large_list_view") and pat.is_large_list_view(t)):
        offsets = arr.offsets.to_pylist()
        sizes = arr.sizes.to_pylist()
        child = render_array(arr.values)
        out = []
        for r in range(n):
            if valid is not None and not valid[r]:
                out.append(None)
            else:
                out.append(child[offsets[r]:offsets[r] + sizes[r]])
        return out

    raise TypeError(f"render.py: unsupported Arrow type {t}")


def _as_table(data: pa.Table | pa.RecordBatch) -> pa.Table:
    if isinstance(data, pa.RecordBatch):
        return pa.Table.from_batches([data])
    return data


def iter_rows(data: pa.Table | pa.RecordBatch, uuid_columns: Iterable[str] = ()) -> Iterator[dict]:
    """Yield each row as a dict (keys in schema order) of JSON-ready values."""
    table = _as_table(data)
    uuid_set = set(uuid_columns)
    names = table.column_names
    cols = [render_array(table.column(i), as_uuid=names[i] in uuid_set)
            for i in range(table.num_columns)]
    for r in range(table.num_rows):
        yield {names[j]: cols[j][r] for j in range(len(names))}


def iter_jsonl(data: pa.Table | pa.RecordBatch, uuid_columns: Iterable[str] = ()) -> Iterator[str]:
    """Yield one canonical JSON line (without newline) per row."""
    for row in iter_rows(data, uuid_columns):
        yield dumps(row)


def write_jsonl(data: pa.Table | pa.RecordBatch, fp: IO[str], uuid_columns: Iterable[str] = ()) -> int:
    """Write canonical JSON lines ("\\n"-terminated); return the row count."""
    n = 0
    for line in iter_jsonl(data, uuid_columns):
        fp.write(line)
        fp.write("\n")
        n += 1
    return n


def read_parquet(path: str) -> pa.Table:
    """Read a Parquet file the way the oracles do: Parquet UUID/JSON logical
    types as Arrow extension types, INT96 as timestamp[ns] (the default)."""
    import pyarrow.parquet as pq  # noqa: PLC0415
    try:
        return pq.read_table(path, arrow_extensions_enabled=True)
    except TypeError:  # older pyarrow without the keyword
        return pq.read_table(path)


if __name__ == "__main__":  # python render.py FILE.parquet -> JSON lines
    if len(sys.argv) != 2:
        sys.exit("usage: render.py FILE.parquet")
    sys.stdout.reconfigure(encoding="utf-8")
    write_jsonl(read_parquet(sys.argv[1]), sys.stdout)
