"""A bad upload must not take the server's memory with it: the real server (`kundenbild
serve`, granian) is started on its own SQLite database, and its worker's peak resident
memory after a zip bomb and a 200,000-column header, uploaded through the API, stays
within 500 MB of its peak after an ordinary request; the server answers afterwards."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.bad_files import huge_header, zip_bomb

pytestmark = pytest.mark.slow

BOUND_KB = 500 * 1024
KUNDENBILD = [sys.executable, "-m", "kundenbild.cli"]
MAKE_USER = """
from kundenbild.accounts.models import User
from kundenbild.accounts.services import api_token_create, role_get
user = User.objects.create_user("controller", password="unused-here", role=role_get("controller"))
print(api_token_create(user=user, name="memory test")[1])
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _peaks_kb(pid: int) -> dict[int, int]:
    """The peak resident size (VmHWM) of the process and of each of its descendants."""
    peaks = {}
    pending = [pid]
    while pending:
        current = pending.pop()
        status = Path(f"/proc/{current}/status")
        if not status.exists():
            continue
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                peaks[current] = int(line.split()[1])
        for task in Path(f"/proc/{current}/task").iterdir():
            children = task / "children"
            if children.exists():
                pending += [int(child) for child in children.read_text().split()]
    return peaks


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, str, int]]:
    """(base URL, a controller's API token, the server's pid)."""
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith("KUNDENBILD_")},
        "KUNDENBILD_DATA_DIR": str(tmp_path / "data"),
        "KUNDENBILD_SECRET_KEY": "server-memory-test",
    }
    subprocess.run([*KUNDENBILD, "manage", "migrate", "-v", "0"], env=environment, check=True)
    made = subprocess.run(
        [*KUNDENBILD, "manage", "shell", "-c", MAKE_USER],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    token = made.stdout.strip().splitlines()[-1]
    port = _free_port()
    process = subprocess.Popen(
        [*KUNDENBILD, "serve", "--port", str(port), "--workers", "1", "--no-task-worker"],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                requests.get(f"{base}/accounts/login/", timeout=2)
                break
            except requests.ConnectionError:
                time.sleep(0.25)
        yield base, token, process.pid
    finally:
        os.killpg(process.pid, 15)
        process.wait(timeout=30)


def test_bad_uploads_leave_the_server_within_its_bound(server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    base, token, pid = server
    headers = {"Authorization": f"Bearer {token}"}
    assert requests.get(f"{base}/api/customers/", headers=headers, timeout=30).status_code == 200
    idle = _peaks_kb(pid)
    assert len(idle) >= 2, "the server's worker process was not found"
    for bad, status in ((zip_bomb(tmp_path), 413), (huge_header(tmp_path), 400)):
        with bad.open("rb") as upload:
            answer = requests.post(
                f"{base}/api/imports/", headers=headers, files={"file": upload}, timeout=120
            )
        assert answer.status_code == status, answer.text[:300]
        assert answer.headers["Content-Type"].startswith("application/json")
        assert len(answer.content) < 20_000
    after = _peaks_kb(pid)
    grown = max(after[process] - idle.get(process, 0) for process in after)
    print(
        f"server processes, peak MB: {[kb // 1024 for kb in idle.values()]} idle, "
        f"{[kb // 1024 for kb in after.values()]} after; grown {grown // 1024} MB"
    )
    assert grown < BOUND_KB, f"{grown // 1024} MB above the idle server"
    assert requests.get(f"{base}/api/customers/", headers=headers, timeout=30).status_code == 200
