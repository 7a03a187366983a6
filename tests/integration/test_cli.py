"""The `kundenbild` command as a user runs it."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pyarrow.parquet as pq
import pytest


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kundenbild.cli", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=300,
        check=False,
    )


def test_demo_data_writes_a_parquet_file_with_labels(tmp_path: Path) -> None:
    out = tmp_path / "lines.parquet"
    result = run("demo-data", "--customers", "30", "--years", "2", "--output", str(out))
    assert result.returncode == 0, result.stderr
    table = pq.read_table(out)
    assert table.num_rows > 30 * 2 * 5
    assert set(table.column("customer_number").to_pylist()) <= {
        line.split(",")[0]
        for line in (tmp_path / "lines.parquet.labels.csv").read_text().splitlines()[1:]
    }


def test_demo_data_refuses_an_unknown_format(tmp_path: Path) -> None:
    result = run("demo-data", "--customers", "3", "--output", str(tmp_path / "x.json"))
    assert result.returncode == 2
    # like every refusal of the command line: on stderr, one line naming the command
    assert "kundenbild demo-data: The output file must end in .parquet or .csv" in result.stderr
    assert result.stdout == ""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_demo_serves_the_app_reuses_its_data_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("KUNDENBILD_DATA_DIR", None)
    command = [
        sys.executable,
        "-m",
        "kundenbild.cli",
        "demo",
        "--port",
        str(port),
        "--data-dir",
        str(tmp_path / "demo"),
        "--customers",
        "25",
    ]
    for run_number in (1, 2):
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env
        )
        try:
            output = ""
            deadline = time.monotonic() + 240
            assert process.stdout is not None
            while "Ctrl-C" not in output and time.monotonic() < deadline:
                line = process.stdout.readline()
                if not line and process.poll() is not None:
                    break
                output += line
            assert f"http://127.0.0.1:{port}/" in output, output
            for role in ("management", "kam", "sales", "service", "controller", "admin"):
                assert re.search(rf"{role}\s+password: demo", output), output
            assert ("reusing" in output) is (run_number == 2), output
            assert ("Analysed" in output) is (run_number == 1), output
            html = ""
            for _ in range(100):
                try:
                    with urllib.request.urlopen(
                        f"http://127.0.0.1:{port}/accounts/login/", timeout=5
                    ) as r:
                        html = r.read().decode()
                    break
                except OSError:
                    time.sleep(0.2)
            assert 'data-testid="demo-logins"' in html
            with urllib.request.urlopen(
                f"http://127.0.0.1:{port}/static/kundenbild/kundenbild.css", timeout=5
            ) as r:
                assert r.status == 200
        finally:
            process.send_signal(signal.SIGINT)
            rest, _ = process.communicate(timeout=30)
        assert process.returncode == 0, rest
    assert (tmp_path / "demo" / "kundenbild.sqlite3").exists()


def test_manage_creates_an_api_token(tmp_path: Path) -> None:
    env = {"KUNDENBILD_DATA_DIR": str(tmp_path)}
    env.pop("KUNDENBILD_DATABASE_URL", None)
    clean = {k: v for k, v in os.environ.items() if k != "KUNDENBILD_DATABASE_URL"}
    clean.update(env)
    assert (
        subprocess.run(
            [sys.executable, "-m", "kundenbild.cli", "manage", "migrate", "-v0"],
            env=clean,
            check=False,
            capture_output=True,
        ).returncode
        == 0
    )
    missing = subprocess.run(
        [sys.executable, "-m", "kundenbild.cli", "manage", "create_api_token", "nobody"],
        env=clean,
        check=False,
        capture_output=True,
        text=True,
    )
    assert missing.returncode != 0
    assert "nobody" in missing.stderr
    create_user = (
        "from kundenbild.accounts.services import roles_ensure_standard, role_get;"
        "from kundenbild.accounts.models import User;"
        "roles_ensure_standard();"
        "User.objects.create(username='it', role=role_get('controller'))"
    )
    subprocess.run(
        [sys.executable, "-m", "kundenbild.cli", "manage", "shell", "-c", create_user],
        env=clean,
        check=True,
        capture_output=True,
    )
    made = subprocess.run(
        [sys.executable, "-m", "kundenbild.cli", "manage", "create_api_token", "it"],
        env=clean,
        check=True,
        capture_output=True,
        text=True,
    )
    raw = made.stdout.strip()
    assert raw.startswith("kb_")
    assert len(raw) > 30


def test_serve_runs_the_production_server_with_static_files(tmp_path: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "KUNDENBILD_DATABASE_URL"}
    env.update(
        KUNDENBILD_DATA_DIR=str(tmp_path), KUNDENBILD_SECRET_KEY="serve-test", PYTHONUNBUFFERED="1"
    )
    refused = subprocess.run(
        [sys.executable, "-m", "kundenbild.cli", "serve", "--port", str(port)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert refused.returncode == 2
    assert "kundenbild serve: The database needs" in refused.stderr
    assert "kundenbild manage migrate" in refused.stderr
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kundenbild.cli",
            "serve",
            "--port",
            str(port),
            "--migrate",
            "--workers",
            "1",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        login = ""
        for _ in range(300):
            try:
                with urllib.request.urlopen(f"{base}/accounts/login/", timeout=5) as r:
                    login = r.read().decode()
                break
            except OSError:
                time.sleep(0.2)
        assert "Anmelden" in login
        assert 'data-testid="demo-logins"' not in login
        with urllib.request.urlopen(f"{base}/static/kundenbild/kundenbild.css", timeout=5) as r:
            assert r.status == 200
        assert (tmp_path / "static" / "kundenbild" / "kundenbild.css").exists()
        with pytest.raises(urllib.error.HTTPError) as refused_api:
            urllib.request.urlopen(f"{base}/api/customers/", timeout=5)
        assert refused_api.value.code == 401
        refused_api.value.close()
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=30)
