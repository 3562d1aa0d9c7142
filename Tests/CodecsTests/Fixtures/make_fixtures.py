#!/usr/bin/env python3
"""Writes the codec interop fixtures next to this script, using reference implementations.

    python3 -m venv .venv && .venv/bin/pip install python-snappy lz4
    .venv/bin/python Tests/CodecsTests/Fixtures/make_fixtures.py

For each NAME it writes NAME.bin (the original), NAME.snappy (raw Snappy block, as
python-snappy's compress produces), NAME.lz4raw (LZ4 block without size prefix) and
NAME.gz (gzip, mtime 0 so the output is reproducible). multi.gz holds two gzip members
back to back; its original is the concatenation text.bin + repeats.bin.
"""

import gzip
import os
import random

import lz4.block
import snappy

HERE = os.path.dirname(os.path.abspath(__file__))

WORDS = (
    "the a of delta lake parquet column page row group schema field value null "
    "integer string binary dictionary encoding compression snappy zstd gzip lz4 "
    "avocet wader shore estuary mudflat tide feeds curved bill long legs flock "
    "transaction log checkpoint version commit protocol reader writer table"
).split()


def text(size: int) -> bytes:
    """English-like lines with numbers: compressible, with short and medium matches."""
    rng = random.Random(1234)
    out = []
    length = 0
    line = 0
    while length < size:
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 14)))
        row = f"{line:06d}\t{rng.randint(0, 99999)}\t{words}.\n"
        out.append(row)
        length += len(row)
        line += 1
    return "".join(out).encode()[:size]


def repeats() -> bytes:
    """Long matches and overlapping copies: runs with periods 1..9, then long repeats of
    earlier blocks at offsets both under and over 8 bytes, and a long run at the end."""
    rng = random.Random(99)
    out = bytearray()
    for period in range(1, 10):
        pattern = bytes(rng.randrange(256) for _ in range(period))
        out += pattern * (300 // period + 1)
        out += bytes(rng.randrange(256) for _ in range(20))
    block = bytes(rng.randrange(256) for _ in range(700))
    out += block + b"xyz" + block + block[100:400] * 3
    out += b"\x00" * 5000
    out += bytes(rng.randrange(256) for _ in range(50))
    return bytes(out)


def write(name: str, data: bytes) -> None:
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def main() -> None:
    originals = {"text": text(6000), "repeats": repeats()}
    for name, data in originals.items():
        write(f"{name}.bin", data)
        write(f"{name}.snappy", snappy.compress(data))
        write(f"{name}.lz4raw", lz4.block.compress(data, store_size=False))
        write(f"{name}.gz", gzip.compress(data, mtime=0))
    write(
        "multi.gz",
        gzip.compress(originals["text"], mtime=0) + gzip.compress(originals["repeats"], mtime=0),
    )


if __name__ == "__main__":
    main()
