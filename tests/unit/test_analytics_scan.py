"""The engine's direct scan reads files exactly as the checked stream does."""

from __future__ import annotations

import tempfile
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kundenbild.analytics.analysis import analyze_lines, analyze_source
from kundenbild.analytics.io.lines import LINE_SCHEMA, LineSource
from kundenbild.analytics.io.scan import scan_sql

GERMAN = (
    "Kundennummer;Belegnummer;Rechnungsdatum;Artikel;Menge;Nettoumsatz;Wareneinsatz\n"
    "K1;R1;03.01.2025;A-1;2;1.234,50;800,00\n"
    "K1;R2;17.02.2025;A-2;1;  99,90 ;50\n"
    "K1;G1;20.02.2025;A-2;-1;12,50-;6,00-\n"
    "K2;R3;05.03.2025;;3;2.000.000,00;1.500.000,00\n"
    '"K 3";R4;06.03.2025;A-3;1;"7,5";\n'
)


def _stream(path: Path) -> pa.Table:
    source = LineSource([path])
    return analyze_lines(source.reader(), has_cost=lambda: source.has_cost).table


def test_a_clean_german_csv_is_scanned_and_reads_like_the_stream(tmp_path: Path) -> None:
    path = tmp_path / "lines.csv"
    path.write_text(GERMAN, encoding="utf-8")
    assert scan_sql([path]) is not None  # really the engine's own scan
    scanned = analyze_source(LineSource([path])).table
    assert scanned.equals(_stream(path))
    rows = {r["customer_id"]: r for r in scanned.to_pylist()}
    assert rows["K1"]["revenue_12m"] == pytest.approx(1234.5 + 99.9 - 12.5)
    assert rows["K2"]["revenue_12m"] == 2_000_000.0
    assert rows["K 3"]["contribution_margin_12m"] == 7.5


def test_scanned_lines_match_the_stream_line_by_line(tmp_path: Path) -> None:
    path = tmp_path / "lines.csv"
    path.write_text(GERMAN, encoding="utf-8")
    scan = scan_sql([path])
    assert scan is not None
    scanned = duckdb.sql(scan.sql).to_arrow_table().drop_columns(["bad"])
    streamed = LineSource([path]).reader().read_all()
    assert scanned.cast(LINE_SCHEMA).equals(streamed)


def test_files_the_scan_cannot_take_go_through_the_stream(tmp_path: Path) -> None:
    windows = tmp_path / "ansi.csv"
    windows.write_bytes("Kunde;Datum;Umsatz\nMüller – Söhne;01.01.2025;10,00\n".encode("cp1252"))
    assert scan_sql([windows]) is None
    row = analyze_source(LineSource([windows])).table.to_pylist()[0]
    assert row["customer_id"] == "Müller – Söhne"


money = st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False)


def _german(value: object, style: int) -> str:
    text = f"{value:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
    if style == 1 and text.startswith("-"):
        return text[1:] + "-"  # SAP writes the sign behind
    if style == 2:
        return text.replace(".", "")  # no thousands marks
    return text


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(money, st.integers(0, 2)), min_size=1, max_size=8))
def test_the_scan_parses_german_amounts_like_the_stream(values: list[tuple[object, int]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "amounts.csv"
        lines = [f"K;R{i};02.01.2025;{_german(v, s)}" for i, (v, s) in enumerate(values)]
        path.write_text("Kunde;Beleg;Datum;Umsatz\n" + "\n".join(lines) + "\n", encoding="utf-8")
        scan = scan_sql([path])
        assert scan is not None
        scanned = duckdb.sql(scan.sql).to_arrow_table()
        streamed = LineSource([path]).reader().read_all()
        assert not any(scanned.column("bad").to_pylist())
        assert (
            scanned.column("net_revenue").to_pylist() == streamed.column("net_revenue").to_pylist()
        )
        assert streamed.column("net_revenue").to_pylist() == [float(v) for v, _ in values]


def test_columns_the_analysis_does_not_read_are_not_checked(tmp_path: Path) -> None:
    text = "Kunde;Datum;Umsatz;Rabatt\nK;02.01.2025;10,00;siehe Vertrag\n"
    utf8 = tmp_path / "utf8.csv"
    utf8.write_text(text, encoding="utf-8")
    ansi = tmp_path / "ansi.csv"
    ansi.write_bytes((text + "K;03.01.2025;5,00;–\n").encode("cp1252"))
    assert scan_sql([utf8]) is not None
    assert scan_sql([ansi]) is None
    for path in (utf8, ansi):  # the scan and the checked stream agree: the rebate is ignored
        row = analyze_source(LineSource([path])).table.to_pylist()[0]
        assert row["revenue_total"] == (10.0 if path is utf8 else 15.0)
