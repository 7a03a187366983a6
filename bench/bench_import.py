"""Benchmark: importing sales lines into SQLite against a bare parse of the same file.

    uv run python bench/bench_import.py [--customers 9500] [--years 5] [--format csv]

Writes a file of generated sales lines (about 105 lines per customer over five years,
so the default is about one million lines), then in fresh subprocesses, each with its
own peak memory (max RSS):

- floor: DuckDB reads the same file completely (`SELECT COUNT(*), SUM(net_revenue)`);
- import: `kundenbild import-sales FILE --create-missing` into a new SQLite database;
- re-import: the same file again (every line unchanged: the idempotency path).

Prints lines per second, the ratio to the floor, and peak memory. Times depend on the
machine; the ratios are what to compare between runs.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FLOOR = """
import json, resource, sys, time
import duckdb
path = sys.argv[1]
start = time.perf_counter()
reader = "read_parquet" if path.endswith(".parquet") else "read_csv"
n, revenue = duckdb.sql(f"SELECT COUNT(*), SUM(net_revenue) FROM {reader}('{path}')").fetchall()[0]
print(json.dumps({"seconds": time.perf_counter() - start, "lines": n,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


MEASURED = """
import json, resource, runpy, sys
sys.argv = ["kundenbild", *sys.argv[1:]]
try:
    runpy.run_module("kundenbild.cli", run_name="__main__")
except SystemExit as done:
    if done.code:
        raise
finally:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"rss_mb": rss}), file=sys.stderr)
"""


def timed(args: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Run a `kundenbild` command in its own process: wall seconds, peak RSS, stdout."""
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", MEASURED, *args], env=env, capture_output=True, text=True, check=True
    )
    seconds = time.perf_counter() - start
    rss = json.loads(out.stderr.strip().splitlines()[-1])["rss_mb"]
    return seconds, float(rss), out.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=9500)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--format", choices=["csv", "parquet"], default="csv")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kundenbild-bench-import-"))
    data = work / f"lines.{args.format}"
    kundenbild = [sys.executable, "-m", "kundenbild.cli"]
    env = {k: v for k, v in os.environ.items() if k != "KUNDENBILD_DATABASE_URL"}
    env["KUNDENBILD_DATA_DIR"] = str(work / "db")
    env.setdefault("KUNDENBILD_SECRET_KEY", "bench-only")
    subprocess.run(
        [*kundenbild, "demo-data", "--customers", str(args.customers), "--years",
         str(args.years), "--output", str(data)],
        env=env, check=True, capture_output=True,
    )  # fmt: skip
    subprocess.run([*kundenbild, "manage", "migrate", "-v0"], env=env, check=True)
    floor_out = subprocess.run(
        [sys.executable, "-c", FLOOR, str(data)], capture_output=True, text=True, check=True
    )
    floor = json.loads(floor_out.stdout)
    lines = int(floor["lines"])
    size_mb = data.stat().st_size / 1e6
    print(f"{lines:,} lines, {size_mb:,.0f} MB {args.format}")
    print(f"{'case':<34} {'seconds':>8} {'lines/s':>11} {'ratio':>7} {'peak MB':>8}")
    print(
        f"{'floor: DuckDB parses the file':<34} {floor['seconds']:>8.2f} "
        f"{lines / floor['seconds']:>11,.0f} {1:>7.1f} {floor['rss_mb']:>8.0f}"
    )
    for name in ("import (new lines)", "re-import (all unchanged)"):
        seconds, rss, stdout = timed(["import-sales", str(data), "--create-missing", "--json"], env)
        summary = json.loads(stdout)
        assert summary["lines_added"] + summary["lines_unchanged"] == lines, summary
        print(
            f"{name:<34} {seconds:>8.2f} {lines / seconds:>11,.0f} "
            f"{seconds / floor['seconds']:>7.1f} {rss:>8.0f}"
        )


if __name__ == "__main__":
    main()
