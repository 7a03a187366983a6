"""Benchmark: `kundenbild analyze-file` against a bare DuckDB query of the same file.

    uv run python bench/analyze.py [--sizes 10000,100000] [--format parquet|csv] [--runs 1]

For each size (customers over five years, about 105 lines each: 10,000 → 1 M lines,
100,000 → 10 M lines) it writes generated lines, then times in fresh processes, each
with its own peak memory (max RSS):

- floor: DuckDB reads the file into the customer × month table (revenue, cost, distinct
  orders, lines), fetched into Arrow, the least any analysis of the file must do;
- ours: `kundenbild analyze-file FILE --output RESULT.parquet`, end to end.

Prints seconds, the ratio to the floor, peak memory of each and its ratio, and the
confusion matrix of value types against the generator's labels (which the analysis never
reads). Times depend on the machine; compare the ratios. Goal at 10 M lines: within 3x
of the floor's time and 1.5x of its memory.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
from bench_import import timed  # runs a kundenbild command, measuring its peak memory

FLOOR = """
import json, resource, sys, time
import duckdb
path = sys.argv[1]
reader = "read_parquet" if path.endswith(".parquet") else "read_csv"
table = duckdb.sql(
    f"SELECT customer_number, date_trunc('month', invoice_date) AS month, "
    f"sum(net_revenue) AS revenue, sum(cost_of_goods) AS cost, "
    f"count(DISTINCT invoice_number) AS orders, count(*) AS lines "
    f"FROM {reader}('{path}') GROUP BY ALL"
).to_arrow_table()
print(json.dumps({"rows": table.num_rows,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

TYPES = ("steady", "cyclical", "bell", "growth", "shrinking", "burr", "insufficient_history")


def floor_run(path: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of the floor query in a fresh process."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", FLOOR, str(path)], capture_output=True, text=True, check=True
    )
    seconds = time.perf_counter() - start
    return seconds, float(json.loads(done.stdout.strip().splitlines()[-1])["rss_mb"])


def ours_run(args: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of a `kundenbild` command in a fresh process."""
    seconds, rss, _stdout = timed(args, dict(os.environ))
    return seconds, rss


def confusion(data: Path, result: Path) -> None:
    labels = pa_csv.read_csv(data.with_name(data.name + ".labels.csv")).to_pydict()
    truth = dict(zip(labels["customer_number"], labels["shape"], strict=True))
    table = pq.read_table(result, columns=["customer_id", "value_type"]).to_pydict()
    pairs = collections.Counter(
        (truth[c], t) for c, t in zip(table["customer_id"], table["value_type"], strict=True)
    )
    judged = sum(pairs.values())
    right = sum(n for (t, p), n in pairs.items() if t == p)
    print(f"  value types: accuracy {right / judged:.1%} over {judged:,} customers")
    print("  label \\ judged " + " ".join(f"{t[:9]:>9}" for t in TYPES) + "   recall")
    for label in TYPES[:-1]:
        row = [pairs[(label, t)] for t in TYPES]
        total = sum(row)
        recall = pairs[(label, label)] / total if total else float("nan")
        print(f"  {label:<14} " + " ".join(f"{n:>9,}" for n in row) + f"   {recall:.1%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="customers per run")
    parser.add_argument("--format", choices=["csv", "parquet"], default="parquet")
    parser.add_argument("--runs", type=int, default=1, help="repetitions (best time is kept)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kundenbild-bench-analyze-"))
    kundenbild = [sys.executable, "-m", "kundenbild.cli"]
    for customers in (int(s) for s in args.sizes.split(",")):
        data = work / f"lines-{customers}.{args.format}"
        subprocess.run(
            [*kundenbild, "demo-data", "--customers", str(customers), "--output", str(data)],
            check=True,
            capture_output=True,
        )
        lines = pq.ParquetFile(data).metadata.num_rows if args.format == "parquet" else None
        result = work / f"result-{customers}.parquet"
        floor = min((floor_run(data) for _ in range(args.runs)), key=lambda r: r[0])
        ours = min(
            (
                ours_run(["analyze-file", str(data), "--output", str(result)])
                for _ in range(args.runs)
            ),
            key=lambda r: r[0],
        )
        size = f"{lines:,} lines" if lines else f"{data.stat().st_size / 1e6:,.0f} MB of CSV"
        print(f"{customers:,} customers, {size} ({args.format}):")
        print(f"  floor (DuckDB customer x month)  {floor[0]:7.2f} s  {floor[1]:7.0f} MB")
        print(f"  kundenbild analyze-file          {ours[0]:7.2f} s  {ours[1]:7.0f} MB")
        print(
            f"  ratio                            {ours[0] / floor[0]:7.2f} x  "
            f"{ours[1] / floor[1]:7.2f} x"
        )
        confusion(data, result)


if __name__ == "__main__":
    main()
