"""Reading ERP exports: dialects, numbers, dates and headers (pure, no database)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kundenbild.analytics.io.columns import guess_mapping, normalise_header
from kundenbild.analytics.io.reading import Dialect, ReadError, convert, read_file, sniff_csv

HEADER = (
    "Kundennummer;Rechnungsdatum;Belegnummer;Position;Artikelnummer;Menge;Nettoumsatz;Wareneinsatz"
)


def german(value: Decimal, *, thousands: bool) -> str:
    text = f"{value:,.2f}" if thousands else f"{value:.2f}"
    return text.replace(",", "X").replace(".", ",").replace("X", ".")


@given(
    st.lists(
        st.decimals(min_value=-9_999_999, max_value=9_999_999, places=2, allow_nan=False),
        min_size=1,
        max_size=30,
    ),
    st.booleans(),
    st.booleans(),
)
def test_german_numbers_read_back_exactly(
    tmp_path_factory: pytest.TempPathFactory, values: list[Decimal], thousands: bool, sap: bool
) -> None:
    path = tmp_path_factory.mktemp("csv") / "export.csv"
    rows = []
    for i, v in enumerate(values):
        text = german(abs(v), thousands=thousands)
        text = (text + "-" if sap else "-" + text) if v < 0 else text
        rows.append(f"K1;31.12.2025;R{i};1;A;1;{text};0,00")
    path.write_bytes(("\n".join([HEADER, *rows]) + "\n").encode("cp1252"))
    raw = read_file(path)
    lines = convert(raw, guess_mapping(raw.headers), Dialect(decimal=",", delimiter=";"))
    assert lines.errors == []
    read = [
        Decimal(repr(x)).quantize(Decimal("0.01")) for x in lines.table["net_revenue"].to_pylist()
    ]
    assert read == values


def test_the_dialect_is_detected_from_the_file(tmp_path: Path) -> None:
    cp1252 = "Kunde;Datum;Umsatz\nMüller;31.12.2025;1.234,56\n".encode("cp1252")
    assert sniff_csv(cp1252).encoding == "cp1252"
    assert sniff_csv(b"\xef\xbb\xbfcustomer,date,revenue\nK1,2025-12-31,1,234.56\n").encoding == (
        "utf-8-sig"
    )
    path = tmp_path / "en.csv"
    path.write_text('customer_id,date,revenue\nK1,2025-12-31,"1,234.56"\nK2,2026-01-02,7.5\n')
    raw = read_file(path)
    lines = convert(raw, guess_mapping(raw.headers))
    assert lines.dialect.delimiter == ","
    assert lines.dialect.decimal == "."
    assert lines.table["net_revenue"].to_pylist() == [1234.56, 7.5]
    assert lines.table["invoice_date"].to_pylist() == [date(2025, 12, 31), date(2026, 1, 2)]


def test_each_bad_cell_is_named_with_its_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    body = ["K1;31.12.2025;R1;1;A;1;10,00;5,00"] * 3
    body[1] = "K1;31.13.2025;R1;2;A;1;zehn;5,00"
    path.write_text("\n".join([HEADER, *body]) + "\n", encoding="utf-8")
    raw = read_file(path)
    lines = convert(raw, guess_mapping(raw.headers))
    assert lines.invalid_rows == 1
    assert lines.table.num_rows == 2
    assert {(e.row, e.column, e.reason) for e in lines.errors} == {
        (3, "Rechnungsdatum", "not_a_date"),
        (3, "Nettoumsatz", "not_a_number"),
    }


def test_headers_are_recognised_in_german_and_english() -> None:
    assert normalise_header(" Erlös (netto) ") == "erlosnetto"
    mapping = guess_mapping(["Kd-Nr.", "Belegdatum", "Erlös", "Einstandspreis", "Frachtkosten"])
    assert mapping.columns == {
        "customer_number": "Kd-Nr.",
        "invoice_date": "Belegdatum",
        "net_revenue": "Erlös",
        "cost_of_goods": "Einstandspreis",
        "freight": "Frachtkosten",
    }
    saved = guess_mapping(
        ["Konto", "Tag", "Betrag"],
        {"customer_number": "Konto", "invoice_date": "Tag", "net_revenue": "Betrag"},
    )
    assert saved.missing_required() == []


def test_unknown_file_types_and_missing_columns_are_refused(tmp_path: Path) -> None:
    other = tmp_path / "export.docx"
    other.write_bytes(b"x")
    with pytest.raises(ReadError):
        read_file(other)
    path = tmp_path / "few.csv"
    path.write_text("Kundennummer;Menge\nK1;3\n")
    raw = read_file(path)
    assert guess_mapping(raw.headers).missing_required() == ["invoice_date", "net_revenue"]
