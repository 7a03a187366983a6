"""Benchmark: `kundenbild demo-data` against the floor of writing the same rows to Parquet.

    uv run python bench/bench_demo_data.py [--customers 100000] [--years 5]

Each side runs in a fresh subprocess so that peak memory (max RSS) is its own. The floor
writes an equally long table of random values with the same schema straight to Parquet:
what the generator costs beyond that is the cost of simulating realistic customers.
Times are machine-dependent; the ratio is what to compare between runs.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

GENERATOR = """
import json, resource, sys, time
from pathlib import Path
from kundenbild.demo.generator import write_sales_lines
start = time.perf_counter()
summary = write_sales_lines(Path(sys.argv[1]), customers=int(sys.argv[2]), years=int(sys.argv[3]))
print(json.dumps({"seconds": time.perf_counter() - start, "lines": summary.lines,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

FLOOR = """
import json, resource, sys, time
import numpy as np, pyarrow as pa, pyarrow.parquet as pq
from kundenbild.demo.generator import SALES_LINE_SCHEMA
lines, path = int(sys.argv[2]), sys.argv[1]
start = time.perf_counter()
rng = np.random.default_rng(0)
with pq.ParquetWriter(path, SALES_LINE_SCHEMA, compression="zstd") as writer:
    for lo in range(0, lines, 1_000_000):
        n = min(1_000_000, lines - lo)
        ids = rng.integers(100_001, 200_000, n).astype(str)
        writer.write_batch(pa.RecordBatch.from_arrays([
            pa.array(np.char.add("K", ids)), pa.array(np.char.add("R", ids)),
            pa.array(rng.integers(1, 8, n), pa.int32()),
            pa.array(rng.integers(18000, 20000, n).astype("datetime64[D]"), pa.date32()),
            pa.array(np.char.add("A-", ids)), pa.array(rng.random(n)), pa.array(rng.random(n)),
            pa.array(rng.random(n)), pa.array(rng.random(n)), pa.array(rng.random(n)),
        ], schema=SALES_LINE_SCHEMA))
print(json.dumps({"seconds": time.perf_counter() - start, "lines": lines,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run(code: str, *args: object) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", code, *map(str, args)], capture_output=True, text=True, check=True
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--years", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        generated = run(GENERATOR, Path(tmp, "lines.parquet"), args.customers, args.years)
        floor = run(FLOOR, Path(tmp, "floor.parquet"), int(generated["lines"]))
    print(f"demo-data: {args.customers:,} customers x {args.years} years")
    print(
        f"  generator   {generated['seconds']:7.2f} s  {generated['lines']:>12,.0f} lines"
        f"  peak RSS {generated['rss_mb']:7.0f} MB"
    )
    print(
        f"  floor       {floor['seconds']:7.2f} s  {floor['lines']:>12,.0f} lines"
        f"  peak RSS {floor['rss_mb']:7.0f} MB  (random rows straight to Parquet)"
    )
    print(f"  ratio generator/floor: {generated['seconds'] / floor['seconds']:.2f}")
    print(f"  parent peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
