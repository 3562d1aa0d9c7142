"""Formats benchmark JSON lines (engine, op, rows, seconds, cpu) as a markdown table.

    python results_table.py FILE_SIZE_BYTES < results.jsonl
"""
import json
import sys

size = int(sys.argv[1])
print("| engine | operation | rows | wall s | CPU s | rows/s (wall) | MB/s (wall) |")
print("|---|---|---|---|---|---|---|")
for line in sys.stdin:
    r = json.loads(line)
    rate = r["rows"] / r["seconds"] / 1e6
    print(
        f"| {r['engine']} | {r['op']} | {r['rows']:,} | {r['seconds']:.2f} | {r['cpu']:.2f} "
        f"| {rate:.2f} M | {size / r['seconds'] / 1e6:.0f} |"
    )
