"""Times the seed queries on DuckDB (delta_scan) and polars (scan_delta + SQL).

    python sql_peers.py TABLE QUERIES.sql RUNS

QUERIES.sql holds one query per statement (`;`-separated, `{path}` for the table). Prints
`engine query_index best_seconds rows` per query: one warm-up run, then the best of RUNS.
"""
import glob, os, sys, time

import duckdb
import polars as pl

table, queries_file, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
queries = [q.strip() for q in open(queries_file).read().split(";") if q.strip()]

ext = glob.glob(os.path.join(os.path.dirname(duckdb.__file__), "..", "duckdb_extension_delta",
                             "extensions", "v1.5.5", "delta.duckdb_extension"))[0]
con = duckdb.connect()
con.execute(f"LOAD '{ext}'")


def best(run):
    rows = run()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        rows = run()
        times.append(time.perf_counter() - start)
    return min(times), rows


for index, query in enumerate(queries):
    sql = query.replace("{path}", table)
    seconds, rows = best(lambda: con.execute(sql).fetch_arrow_table().num_rows)
    print(f"duckdb {index} {seconds:.4f} {rows}", flush=True)

for index, query in enumerate(queries):
    sql = query.replace("delta_scan('{path}')", "flows")

    def run():
        context = pl.SQLContext(flows=pl.scan_delta(table))
        return context.execute(sql).collect().height

    try:
        seconds, rows = best(run)
        print(f"polars {index} {seconds:.4f} {rows}", flush=True)
    except Exception as error:  # polars SQL lacks some forms; report and go on
        print(f"polars {index} unsupported {type(error).__name__}", flush=True)
os._exit(0)
