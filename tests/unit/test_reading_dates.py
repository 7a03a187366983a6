"""Dates that do not exist, and values the database cannot hold, are refused cells.

Arrow's strptime rolls 31.02.2026 over into 03.03.2026; the reader must refuse it with
its row and column, in every date format it accepts: CSV text in each of DATE_FORMATS,
Excel date cells (serial numbers), Parquet dates.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import xlsxwriter
from hypothesis import given
from hypothesis import strategies as st

from kundenbild.analytics.io.columns import guess_mapping
from kundenbild.analytics.io.reading import (
    DATE_FORMATS,
    DATE_OUT_OF_RANGE,
    NOT_A_DATE,
    OUT_OF_RANGE,
    Dialect,
    RawFile,
    convert,
    read_file,
)
from kundenbild.analytics.io.scan import scan_sql


def read(path: Path, dialect: Dialect | None = None) -> tuple[RawFile, list[tuple[int, str, str]]]:
    raw = read_file(path)
    lines = convert(raw, guess_mapping(raw.headers), dialect)
    return raw, [(e.row, e.column, e.reason) for e in lines.errors]


def write(fmt: str, day: int, month: int, year: int, padded: bool) -> str:
    text = {"%Y": f"{year:04d}", "%y": f"{year % 100:02d}"}
    parts = {
        "%d": f"{day:02d}" if padded else str(day),
        "%m": f"{month:02d}" if padded else str(month),
    }
    out = fmt
    for directive, value in {**text, **parts}.items():
        out = out.replace(directive, value)
    return out


@given(
    fmt=st.sampled_from(DATE_FORMATS),
    day=st.integers(1, 31),
    month=st.integers(1, 12),
    year=st.integers(1901, 2199),
    padded=st.booleans(),
)
def test_a_date_that_does_not_exist_is_refused_in_every_format(
    tmp_path_factory: pytest.TempPathFactory,
    fmt: str,
    day: int,
    month: int,
    year: int,
    padded: bool,
) -> None:
    if fmt == "%d.%m.%y":
        year = 2000 + year % 69  # two digits: 00-68 are this century
    padded = padded or fmt == "%Y-%m-%d"  # ISO is always written with zeros
    text = write(fmt, day, month, year, padded)
    path = tmp_path_factory.mktemp("dates") / "export.csv"
    path.write_text(f"Kundennummer;Datum;Umsatz\nK1;{text};1,00\n", encoding="utf-8")
    raw, errors = read(path, Dialect(date_format=fmt))
    exists = day <= calendar.monthrange(year, month)[1]
    if exists:
        assert errors == []
        lines = convert(raw, guess_mapping(raw.headers), Dialect(date_format=fmt))
        assert lines.table["invoice_date"].to_pylist() == [date(year, month, day)]
    else:
        assert errors == [(2, "Datum", NOT_A_DATE)], text


def test_the_issue_s_date_is_refused_by_both_readers(tmp_path: Path) -> None:
    """31.02.2026 was stored as 2026-03-03; the engine's scan refused it already."""
    path = tmp_path / "export.csv"
    path.write_text(
        "Kundennummer;Datum;Umsatz\nK1;28.02.2026;1,00\nK1;31.02.2026;1,00\n", encoding="utf-8"
    )
    _raw, errors = read(path)
    assert errors == [(3, "Datum", NOT_A_DATE)]
    scan = scan_sql([path])
    assert scan is not None
    flags = duckdb.sql(scan.sql).fetchall()  # the scan is built by scan_sql, quoted there
    assert [row[-1] for row in flags] == [False, True]


@given(st.dates(min_value=date(1901, 1, 1), max_value=date(2199, 12, 31)))
def test_excel_date_serials_read_back_as_the_same_day(
    tmp_path_factory: pytest.TempPathFactory, day: date
) -> None:
    path = tmp_path_factory.mktemp("xlsx") / "export.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["Kundennummer", "Datum", "Umsatz"])
    sheet.write_string(1, 0, "K1")
    sheet.write_datetime(
        1, 1, datetime(day.year, day.month, day.day), book.add_format({"num_format": "dd.mm.yyyy"})
    )
    sheet.write_number(1, 2, 1.0)
    book.close()
    raw = read_file(path)
    lines = convert(raw, guess_mapping(raw.headers))
    assert lines.errors == []
    assert lines.table["invoice_date"].to_pylist() == [day]


def test_excel_s_29_february_1900_and_text_dates_are_refused(tmp_path: Path) -> None:
    """Serial 60 is the 29.02.1900 Excel invented (calamine reads it as the 28th); an
    impossible date typed as text is refused as in a CSV file."""
    path = tmp_path / "export.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["Kundennummer", "Datum", "Umsatz"])
    sheet.write_row(1, 0, ["K1", "31.02.2026", 1.0])
    sheet.write_row(2, 0, ["K1", "28.02.2026", 1.0])
    book.close()
    _raw, errors = read(path)
    assert errors == [(2, "Datum", NOT_A_DATE)]
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["Kundennummer", "Datum", "Umsatz"])
    sheet.write_row(1, 0, ["K1"])
    sheet.write_number(1, 1, 60, book.add_format({"num_format": "dd.mm.yyyy"}))
    sheet.write_number(1, 2, 1.0)
    book.close()
    _raw, errors = read(path)
    assert errors == [(2, "Datum", DATE_OUT_OF_RANGE)]


def test_parquet_values_the_database_cannot_hold_are_refused(tmp_path: Path) -> None:
    """A date four million years ahead (Arrow's year() wraps round on it), NaN revenue."""
    path = tmp_path / "export.parquet"
    pq.write_table(
        pa.table(
            {
                "customer_number": ["K1", "K1", "K1"],
                "invoice_date": pa.array([20_000, 1_442_729_097, 20_001], pa.int32()).cast(
                    pa.date32()
                ),
                "net_revenue": [1.0, 1.0, float("nan")],
            }
        ),
        path,
    )
    _raw, errors = read(path)
    assert errors == [
        (2, "invoice_date", DATE_OUT_OF_RANGE),
        (3, "net_revenue", OUT_OF_RANGE),
    ]
