"""A zip bomb or 200,000 columns must not take the server's memory with them.

Each command runs in its own process, and its peak resident memory comes from the
kernel (`os.wait4`), compared with the same command refusing an empty file: what the
bad file costs on top of the interpreter, Django, Arrow and DuckDB. Before the limits,
the bomb took more than 4 GB and the header 2.5 GB.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.bad_files import empty, huge_header, zip_bomb

BOUND = 500 << 20  # above the idle command: generous, and an eighth of what a bomb took


def run(command: list[str], folder: Path) -> tuple[int, str, int]:
    """Exit code, stderr and peak RSS in bytes of `kundenbild <command>`."""
    env = {
        **os.environ,
        "KUNDENBILD_DATA_DIR": str(folder / "data"),
        "KUNDENBILD_SECRET_KEY": "memory-test",
        "COLUMNS": "10000",
    }
    with (folder / "err").open("wb") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "kundenbild.cli", *command],
            stdout=subprocess.DEVNULL,
            stderr=err,
            env=env,
        )
        _pid, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    return proc.returncode, (folder / "err").read_text(), usage.ru_maxrss * 1024


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("memory")
    return {"idle": empty(folder), "zip_bomb": zip_bomb(folder), "huge_header": huge_header(folder)}


@pytest.mark.parametrize("command", ["import-sales", "analyze-file"])
@pytest.mark.parametrize("case", ["zip_bomb", "huge_header"])
def test_memory_stays_bounded(
    command: str, case: str, files: dict[str, Path], tmp_path: Path
) -> None:
    extra = ["--output", str(tmp_path / "out.csv")] if command == "analyze-file" else []
    code, _err, idle = run([command, str(files["idle"]), *extra], tmp_path)
    assert code == 1
    code, err, peak = run([command, str(files[case]), *extra], tmp_path)
    assert code == 1
    assert "Traceback" not in err
    # the reason, in German from import-sales and in English from analyze-file
    assert re.search(r"1\D?024 MB" if case == "zip_bomb" else r"200\D?000", err)
    print(f"{command} {case}: {(peak - idle) >> 20} MB above the idle {idle >> 20} MB")
    assert peak - idle < BOUND, f"{(peak - idle) >> 20} MB above the idle command"
