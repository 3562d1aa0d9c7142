"""The delta-rs side of the table-opening benchmark: load the latest snapshot and list its files.

    python deltars_open.py TABLE

Prints one JSON object: the seconds spent in `DeltaTable(path)` plus `file_uris()` (in-process,
after the imports) and the number of files listed. Run it in a fresh process per measurement.
"""
import json
import sys
import time

from deltalake import DeltaTable

began = time.perf_counter()
uris = DeltaTable(sys.argv[1]).file_uris()
elapsed = time.perf_counter() - began
print(json.dumps({"seconds": elapsed, "files": len(uris)}))
