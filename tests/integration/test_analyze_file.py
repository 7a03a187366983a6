"""`kundenbild analyze-file` as a user runs it: real files, the real command, no database."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
import pytest

from kundenbild.demo.generator import write_sales_lines
from kundenbild.reason_text import reason_text

pytestmark = pytest.mark.slow

KUNDENBILD = [sys.executable, "-m", "kundenbild.cli"]
CDNOW = Path(__file__).parent.parent / "data" / "cdnow_sample.csv"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*KUNDENBILD, "analyze-file", *args], capture_output=True, text=True, check=False
    )


def _german_csv(lines: pa.Table, path: Path) -> None:
    """The same lines as a German ERP writes them: semicolons, decimal commas, dd.mm.yyyy,
    Windows-1252, German headers, and a text column with characters only cp1252 has."""

    def money(column: str) -> pa.Array:
        text = pc.cast(pc.round(lines.column(column), 2), pa.string())
        return pc.replace_substring(text, ".", ",")

    german = pa.table(
        {
            "Kundennummer": lines.column("customer_number"),
            "Belegnummer": lines.column("invoice_number"),
            "Rechnungsdatum": pc.strftime(lines.column("invoice_date"), format="%d.%m.%Y"),
            "Artikel": lines.column("article_number"),
            "Menge": money("quantity"),
            "Nettoumsatz": money("net_revenue"),
            "Wareneinsatz": money("cost_of_goods"),
            "Bemerkung": pa.array(["Lieferung „frei Haus“ – 5 € Rabatt"] * lines.num_rows),
        }
    )
    buffer = pa.BufferOutputStream()
    pa_csv.write_csv(german, buffer, pa_csv.WriteOptions(delimiter=";", quoting_style="needed"))
    path.write_bytes(buffer.getvalue().to_pybytes().decode("utf-8").encode("cp1252"))


def test_german_cp1252_csv_and_parquet_give_identical_results(tmp_path: Path) -> None:
    parquet = tmp_path / "lines.parquet"
    write_sales_lines(parquet, customers=120, years=4, seed=11)
    german = tmp_path / "Umsätze.csv"
    _german_csv(pq.read_table(parquet), german)
    assert b"\x84frei Haus\x93 \x96 5 \x80" in german.read_bytes()  # really Windows-1252

    from_csv = _run(
        str(german),
        "--output",
        str(tmp_path / "a.csv"),
        "--model-output",
        str(tmp_path / "model.json"),
    )
    assert from_csv.returncode == 0, from_csv.stderr
    from_parquet = _run(str(parquet), "--output", str(tmp_path / "b.parquet"))
    assert from_parquet.returncode == 0, from_parquet.stderr

    a = pa_csv.read_csv(tmp_path / "a.csv").to_pylist()
    b = pq.read_table(tmp_path / "b.parquet").to_pylist()
    assert len(a) == 120
    for row_a, row_b in zip(a, b, strict=True):
        assert row_a == pytest.approx(row_b)
    required = {
        "customer_id",
        "value_type",
        "lifecycle_phase",
        "value_type_reason",
        "value_type_reason_code",
        "value_type_reason_values",
        "revenue_12m",
        "contribution_margin_12m",
        "abc_revenue",
        "abc_margin",
        "first_order",
        "last_order",
        "orders_12m",
    }
    assert required <= set(a[0])
    assert list(a[0]).index("value_type_reason") == list(a[0]).index("value_type_reason_code") - 1
    for row in a:  # German by default, rendered from the code and its numbers
        values = json.loads(row["value_type_reason_values"])
        assert row["value_type_reason"] == reason_text(row["value_type_reason_code"], values, "de")
    model = json.loads((tmp_path / "model.json").read_text())
    assert model["as_of"] == "2026-10-31"
    assert model["config"]["value_types"]["trend_max_steady_drift"] == 1.3
    assert "Analysed" in from_csv.stderr


def test_as_of_cuts_the_history(tmp_path: Path) -> None:
    parquet = tmp_path / "lines.parquet"
    write_sales_lines(parquet, customers=30, years=3, seed=5)
    result = _run(
        str(parquet),
        "--output",
        str(tmp_path / "r.csv"),
        "--as-of",
        "2025-06-30",
        "--language",
        "en",
        "--time-unit",
        "week",
        "--periods-output",
        str(tmp_path / "weeks.csv"),
    )
    assert result.returncode == 0, result.stderr
    rows = pa_csv.read_csv(tmp_path / "r.csv").to_pylist()
    assert max(r["last_order"] for r in rows).isoformat() <= "2025-06-30"
    for row in rows:
        values = json.loads(row["value_type_reason_values"])
        assert row["value_type_reason"] == reason_text(row["value_type_reason_code"], values, "en")
    weeks = pa_csv.read_csv(tmp_path / "weeks.csv")
    assert {d.weekday() for d in weeks.column("period").to_pylist()} == {0}  # Mondays
    assert max(weeks.column("period").to_pylist()).isoformat() <= "2025-06-30"
    assert not (tmp_path / "weeks.csv.partial").exists()


def test_failure_is_one_line_and_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("Kundennummer;Datum;Umsatz\nA;01.01.2026;12,5x\n", encoding="utf-8")
    out = tmp_path / "r.csv"
    result = _run(str(bad), "--output", str(out))
    assert result.returncode == 1
    assert "row 2, column 'Umsatz'" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()
    config = tmp_path / "c.toml"
    config.write_text("[phases]\nlost_min_months = -1\n", encoding="utf-8")
    refused = _run(str(bad), "--output", str(out), "--config", str(config))
    assert refused.returncode == 1
    assert "lost_min_months must not be negative" in refused.stderr


# Run in a fresh interpreter: analyze-file on a CSV, then list every thread of the process
# that is blocked reading a pipe (read(2) is system call 0 on x86-64 Linux).
_THREADS_AT_EXIT = """
import os, sys, threading
from kundenbild.cli import main
try:
    main()
except SystemExit as done:
    assert not done.code, done.code
waiting = []
for task in os.listdir("/proc/self/task"):
    if int(task) == threading.get_native_id():
        continue  # this thread, reading this very file
    call = open(f"/proc/self/task/{task}/syscall").read().split()
    if call and call[0] == "0":
        target = os.readlink(f"/proc/self/fd/{int(call[1], 16)}")
        waiting += [target] if target.startswith("pipe:") else []
print("waiting on pipes:", waiting)
"""


@pytest.mark.skipif(
    not Path("/proc/self/task").exists() or sys.platform != "linux", reason="Linux /proc"
)
def test_no_native_thread_outlives_the_run_waiting_on_a_pipe(tmp_path: Path) -> None:
    """Arrow's signal thread (a self-pipe reader) used to outlive the interpreter and made
    about one exit in ten abort with SIGABRT after the output was written."""
    argv = [
        "kundenbild",
        "analyze-file",
        str(CDNOW),
        "--as-of",
        "1997-09-30",
        "--output",
        str(tmp_path / "out.parquet"),
    ]
    result = subprocess.run(
        [sys.executable, "-c", f"import sys; sys.argv = {argv!r}\n{_THREADS_AT_EXIT}"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "waiting on pipes: []" in result.stdout.splitlines()
    assert (tmp_path / "out.parquet").exists()
