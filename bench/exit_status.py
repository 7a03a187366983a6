"""Stress check: does `kundenbild analyze-file` exit 0 every time, also under load?

    uv run python bench/exit_status.py [--runs 50] [--load 2] [--parallel 2]

Starts `--load` busy processes (one per core keeps the machine saturated), then runs
analyze-file on the CDNOW sample `--runs` times, `--parallel` at once, each in a fresh
process, and counts exit codes. A process that aborted at exit (SIGABRT shows as -6)
after writing its output used to be about one run in ten: Arrow's signal thread outlived
the interpreter (see `analytics/io/reading.py`). Prints the counts and the slowest run.
"""

from __future__ import annotations

import argparse
import collections
import multiprocessing
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

CDNOW = Path(__file__).resolve().parent.parent / "tests" / "data" / "cdnow_sample.csv"


def _busy() -> None:
    while True:
        pass


def _one(run: int, folder: Path) -> tuple[int, float, str]:
    started = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "kundenbild.cli",
            "analyze-file",
            str(CDNOW),
            "--as-of",
            "1997-09-30",
            "--output",
            str(folder / f"run{run}.parquet"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.returncode, time.perf_counter() - started, done.stderr[-300:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--load", type=int, default=2, help="busy processes beside the runs")
    parser.add_argument("--parallel", type=int, default=2, help="runs at the same time")
    args = parser.parse_args()
    load = [multiprocessing.Process(target=_busy, daemon=True) for _ in range(args.load)]
    for process in load:
        process.start()
    try:
        with tempfile.TemporaryDirectory() as tmp, ThreadPoolExecutor(args.parallel) as pool:
            results = list(pool.map(lambda run: _one(run, Path(tmp)), range(args.runs)))
    finally:
        for process in load:
            process.terminate()
    codes = collections.Counter(code for code, _seconds, _err in results)
    print(f"{args.runs} runs, {args.parallel} at once, {args.load} busy processes beside")
    for code, count in sorted(codes.items()):
        print(f"  exit {code}: {count}")
    for code, _seconds, err in results:
        if code != 0:
            print(f"  a failure said: {err.strip()[-200:]!r}")
            break
    print(f"  slowest run {max(s for _c, s, _e in results):.1f} s")


if __name__ == "__main__":
    main()
