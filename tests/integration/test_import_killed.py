"""Killing an import in the middle leaves the database exactly as it was before.

Runs the real `kundenbild` command in a subprocess on its own SQLite file, kills it with
SIGKILL while it is writing (its write-ahead log is growing), then checks the totals.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def kundenbild(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kundenbild.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )


def snapshot(env: dict[str, str]) -> dict[str, object]:
    totals = json.loads(kundenbild(env, "sales-totals", "--json").stdout)
    counts = (
        kundenbild(
            env,
            "manage",
            "shell",
            "-c",
            "from kundenbild.customers.models import Customer; "
            "from kundenbild.imports.models import ImportRun; "
            "print(Customer.objects.count(), ImportRun.objects.count())",
        )
        .stdout.splitlines()[-1]
        .split()
    )
    return {**totals, "customers": int(counts[0]), "imports": int(counts[1])}


def test_a_killed_import_leaves_the_database_as_it_was(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "KUNDENBILD_DATABASE_URL"}
    env["KUNDENBILD_DATA_DIR"] = str(tmp_path)
    kundenbild(env, "manage", "migrate", "-v0")
    big = tmp_path / "lines.csv"
    kundenbild(env, "demo-data", "--customers", "2500", "--output", str(big))
    first = tmp_path / "first.csv"
    first.write_text("".join(big.read_text().splitlines(keepends=True)[:2001]))
    kundenbild(env, "import-sales", str(first), "--create-missing")
    before = snapshot(env)
    assert before["lines"] == 2000

    wal = tmp_path / "kundenbild.sqlite3-wal"
    process = subprocess.Popen(
        [sys.executable, "-m", "kundenbild.cli", "import-sales", str(big), "--create-missing"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while process.poll() is None and time.monotonic() < deadline:
        if wal.exists() and wal.stat().st_size > 4_000_000:  # in the middle of writing
            process.send_signal(signal.SIGKILL)
            break
        time.sleep(0.005)
    process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL, "the import finished before it was killed"

    assert snapshot(env) == before
    done = json.loads(
        kundenbild(env, "import-sales", str(big), "--create-missing", "--json").stdout
    )
    assert done["lines_unchanged"] == 2000
    assert done["lines_added"] > 100_000
