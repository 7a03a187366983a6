"""Benchmark: importing sales lines into SQLite against a bare parse of the same file.

    uv run python bench/bench_import.py [--customers 9500] [--years 5] [--format csv]
        [--create 5000,10000,20000] [--runs 3]

Writes a file of generated sales lines (about 105 lines per customer over five years,
so the default is about one million lines), then in fresh subprocesses, each with its
own peak memory (max RSS):

- floor: DuckDB reads the same file completely (`SELECT COUNT(*), SUM(net_revenue)`);
- import: `kundenbild import-sales FILE --create-missing` into a new SQLite database;
- re-import: the same file again (every line unchanged: the idempotency path).

Prints lines per second, the ratio to the floor, and peak memory. Then, for each size
in `--create`, the time to create that many missing customers in a new SQLite database
(each run in a fresh process: the best of `--runs`, and the median of the ratios within
a run), against the plain bulk insert the import used before its customers went through
their service:

- bulk insert: `Customer.objects.bulk_create` (no checks, no history);
- bulk_create_with_history: django-simple-history's own bulk helper;
- customers_check/create_many: the service, as the import calls it (checked while the
  file is checked, then created with one history row each).

Times depend on the machine; the ratios are what to compare between runs.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
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


CREATE = """
import sys, time
from kundenbild.cli.console import setup_django
setup_django()
from django.db import transaction
from simple_history.utils import bulk_create_with_history
from kundenbild.customers.models import Customer
from kundenbild.customers.services import (
    CustomerData, customers_check_many, customers_create_many,
)
how, n = sys.argv[1], int(sys.argv[2])
data = [CustomerData(number=f"K{100_001 + i}", name=f"Kunde K{100_001 + i}") for i in range(n)]
start = time.perf_counter()
with transaction.atomic():
    if how == "bulk":
        Customer.objects.bulk_create(
            [Customer(number=d.number, name=d.name) for d in data], batch_size=1000
        )
    elif how == "simple_history":
        bulk_create_with_history(
            [Customer(number=d.number, name=d.name) for d in data], Customer,
            batch_size=1000, default_change_reason="import:1",
        )
    else:
        customers_create_many(customers_check_many(data), by=None, reason="import:1")
print(time.perf_counter() - start)
assert Customer.objects.count() == n
"""
CREATE_CASES = {
    "bulk": "bulk insert (baseline)",
    "simple_history": "bulk_create_with_history",
    "service": "customers_check/create_many",
}


def creation(sizes: list[int], runs: int, env: dict[str, str], work: Path) -> None:
    """Per case and size the best of `runs`, and the median of the ratios within a run
    (the cases run in turn, so a busy moment of the machine hits a pair, not one case);
    each in a fresh database."""
    if not sizes:
        return
    empty = work / "empty-db"
    subprocess.run(
        [sys.executable, "-m", "kundenbild.cli", "manage", "migrate", "-v0"],
        env={**env, "KUNDENBILD_DATA_DIR": str(empty)}, check=True,
    )  # fmt: skip
    print(f"\n{'creating missing customers':<34} {'seconds':>8} {'ratio':>7} {'paired':>7}")
    for n in sizes:
        seconds: dict[str, list[float]] = {how: [] for how in CREATE_CASES}
        for run in range(runs):
            for how in CREATE_CASES:
                data_dir = work / f"create-{n}-{how}-{run}"
                shutil.copytree(empty, data_dir)
                out = subprocess.run(
                    [sys.executable, "-c", CREATE, how, str(n)],
                    env={**env, "KUNDENBILD_DATA_DIR": str(data_dir)},
                    capture_output=True, text=True, check=True,
                )  # fmt: skip
                seconds[how].append(float(out.stdout.strip().splitlines()[-1]))
                shutil.rmtree(data_dir)
        base = seconds["bulk"]
        for how, label in CREATE_CASES.items():
            best = min(seconds[how])
            paired = statistics.median(t / b for t, b in zip(seconds[how], base, strict=True))
            print(f"{f'{n:,} {label}':<34} {best:>8.2f} {best / min(base):>7.2f} {paired:>7.2f}")


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
    parser.add_argument("--create", default="5000,10000,20000", help="customers to create")
    parser.add_argument("--runs", type=int, default=3, help="runs per creation case")
    parser.add_argument("--no-import", action="store_true", help="only the creation cases")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kundenbild-bench-import-"))
    data = work / f"lines.{args.format}"
    kundenbild = [sys.executable, "-m", "kundenbild.cli"]
    env = {k: v for k, v in os.environ.items() if k != "KUNDENBILD_DATABASE_URL"}
    env["KUNDENBILD_DATA_DIR"] = str(work / "db")
    env.setdefault("KUNDENBILD_SECRET_KEY", "bench-only")
    sizes = [int(n) for n in args.create.split(",") if n]
    if args.no_import:
        creation(sizes, args.runs, env, work)
        return
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
    creation(sizes, args.runs, env, work)


if __name__ == "__main__":
    main()
