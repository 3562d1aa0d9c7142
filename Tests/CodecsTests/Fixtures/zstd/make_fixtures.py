#!/usr/bin/env python3
"""Makes the zstd test fixtures with the reference implementation (PyPI package `zstandard`).

Run from anywhere: python3 make_fixtures.py  (writes next to this file). Deterministic output
for a given zstandard version; the tests only need the files to decode to the stored originals.
"""
import os
import random
import zstandard

HERE = os.path.dirname(os.path.abspath(__file__))


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def log_text(size, seed=1):
    rng = random.Random(seed)
    levels = ["INFO", "INFO", "INFO", "DEBUG", "WARN", "ERROR"]
    services = ["api", "db", "cache", "auth", "scheduler", "ingest"]
    messages = [
        "request completed status={} bytes={} duration_ms={}",
        "connection pool size={} active={} idle={}",
        "cache miss key=user:{} shard={} ttl={}",
        "login ok user_id={} session={} ip=10.0.{}.17",
        "job finished id={} rows={} retries={}",
        "slow query table=events rows={} ms={} plan={}",
    ]
    lines = []
    total = 0
    t = 1_700_000_000
    while total < size:
        t += rng.randint(0, 3)
        msg = rng.choice(messages).format(rng.randint(0, 5000), rng.randint(0, 99999), rng.randint(0, 300))
        line = "2024-01-{:02d}T{:02d}:{:02d}:{:02d}.{:03d}Z {} [{}] {}\n".format(
            1 + (t // 86400) % 28, (t // 3600) % 24, (t // 60) % 60, t % 60, rng.randint(0, 999),
            rng.choice(levels), rng.choice(services), msg)
        lines.append(line)
        total += len(line)
    return "".join(lines).encode()[:size]


def compress(data, level, checksum=True, size=True):
    c = zstandard.ZstdCompressor(level=level, write_checksum=checksum, write_content_size=size)
    if size:
        return c.compress(data)
    # The streaming API leaves the content size out of the header (and so uses a window descriptor).
    obj = c.compressobj()
    return obj.compress(data) + obj.flush()


def main():
    log = log_text(300_000)
    write("log.txt", log)
    for level in (1, 3, 19, 22):
        write(f"log.l{level}.zst", compress(log, level))
    write("log.l3.nochecksum.nosize.zst", compress(log, 3, checksum=False, size=False))

    # Several frames, with a skippable frame in the middle; decodes to log[:60000].
    parts = [log[:1000], log[1000:20000], log[20000:60000]]
    multi = compress(parts[0], 1) + compress(parts[1], 19, checksum=False)
    multi += b"\x5a\x2a\x4d\x18" + (11).to_bytes(4, "little") + b"skip me ok!"
    multi += compress(parts[2], 3, size=False)
    write("multi.zst", multi)

    write("empty.zst", compress(b"", 3))
    write("empty.nosize.zst", compress(b"", 3, size=False))

    # RLE-heavy: 100000 zero bytes, "abc" * 10000, 50000 bytes of 0xFF.
    rle = b"\x00" * 100_000 + b"abc" * 10_000 + b"\xff" * 50_000
    write("rle.zst", compress(rle, 3))

    rng = random.Random(5)
    rnd = bytes(rng.getrandbits(8) for _ in range(20_000))
    write("random.bin", rnd)
    write("random.zst", compress(rnd, 3))

    # Skewed bytes over the whole 0...255 range: Huffman trees with FSE-compressed weights.
    skew = bytes(int(rng.expovariate(1 / 30)) % 256 for _ in range(40_000))
    write("skewed.bin", skew)
    write("skewed.l19.zst", compress(skew, 19))

    # Small inputs: single-stream literals, tiny frames.
    write("small.zst", compress(log[:200], 19))


if __name__ == "__main__":
    main()
