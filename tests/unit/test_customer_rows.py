"""A debtor export's rows become what the customer service takes, and what only the file
shows to be wrong is named with its row and column (issue 20)."""

from __future__ import annotations

from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from kundenbild.imports.master.customers import AddressRow, convert_customers
from kundenbild.imports.master.kinds import CUSTOMERS, guess_mapping

HEADERS = [
    "Debitor", "Name 1", "Name 2", "Straße", "Hausnummer", "PLZ", "Ort", "Land", "Rechtsform",
    "Branche/WZ", "Mitarbeiter", "Konzern/Mutter", "Betreuer", "Lieferstraße", "Liefer-PLZ",
    "Lieferort", "Lieferland",
]  # fmt: skip
MAPPING = guess_mapping(CUSTOMERS, HEADERS)


def _row(**cells: str) -> dict[str, str]:
    return {header: "" for header in HEADERS} | cells


def _convert(*rows: dict[str, str]):  # type: ignore[no-untyped-def]
    return convert_customers(enumerate(rows, start=2), MAPPING)


def test_a_debtor_row_becomes_a_customer_with_its_addresses() -> None:
    customers, problems = _convert(
        _row(
            Debitor="10042",
            **{"Name 1": "Müller Maschinenbau", "Name 2": "GmbH & Co. KG"},
            **{"Straße": "Industriestr.", "Hausnummer": "4a", "PLZ": "34117", "Ort": "Kassel"},
            **{"Branche/WZ": "2841", "Mitarbeiter": "1.250", "Konzern/Mutter": "10001"},
            Betreuer="kam",
            **{"Lieferstraße": "Hafenweg 2", "Liefer-PLZ": "1010", "Lieferort": "Wien"},
            Lieferland="Österreich",
        )
    )
    assert problems == []
    [customer] = customers
    assert (customer.row, customer.number, customer.name) == (
        2,
        "10042",
        "Müller Maschinenbau GmbH & Co. KG",
    )
    assert customer.legal_form == "GmbH & Co. KG"
    assert (customer.industry_code, customer.employees) == ("28.41", 1250)
    assert (customer.parent_number, customer.owner) == ("10001", "kam")
    assert customer.addresses == (
        AddressRow("headquarters", "Industriestr. 4a", "34117", "Kassel", "DE"),
        AddressRow("delivery", "Hafenweg 2", "1010", "Wien", "AT"),
    )


def test_the_legal_form_column_wins_over_the_name() -> None:
    customers, _problems = _convert(
        _row(Debitor="1", **{"Name 1": "Kuhn Handel"}, Rechtsform="e.K."),
        _row(Debitor="2", **{"Name 1": "Lang AG"}, Rechtsform="gmbh"),
        _row(Debitor="3", **{"Name 1": "Ohne Form"}),
    )
    assert [c.legal_form for c in customers] == ["e.K.", "GmbH", ""]


def test_bad_cells_are_named_with_row_column_and_value() -> None:
    customers, problems = _convert(
        _row(Debitor="1", **{"Name 1": "A GmbH"}, Mitarbeiter="viele"),
        _row(Debitor="2", **{"Name 1": "B GmbH", "Branche/WZ": "04.11"}),
        _row(Debitor="3", **{"Name 1": "C GmbH"}, Ort="Lyon", Land="Frankistan"),
        _row(Debitor="4", **{"Name 1": "D GmbH", "Konzern/Mutter": "4"}),
        _row(Debitor="", **{"Name 1": "E GmbH"}),
    )
    assert customers == []
    assert [(p.row, p.column, p.value) for p in problems] == [
        (2, "Mitarbeiter", "viele"),
        (3, "Branche/WZ", "04.11"),
        (4, "Land", "Frankistan"),
        (5, "Konzern/Mutter", "4"),
        (6, "Debitor", ""),
    ]
    assert problems[0].message == "ist keine ganze Zahl von Mitarbeitenden"
    with translation.override("en"):
        _customers, in_english = _convert(_row(Debitor="1", **{"Name 1": "A"}, Mitarbeiter="x"))
    assert in_english[0].message == "is not a whole number of employees"


def test_a_number_twice_and_a_circle_of_parents_are_refused_with_their_rows() -> None:
    _customers, problems = _convert(
        _row(Debitor="1", **{"Name 1": "A GmbH", "Konzern/Mutter": "3"}),
        _row(Debitor="2", **{"Name 1": "B GmbH", "Konzern/Mutter": "1"}),
        _row(Debitor="3", **{"Name 1": "C GmbH", "Konzern/Mutter": "2"}),
        _row(Debitor="4", **{"Name 1": "D GmbH", "Konzern/Mutter": "3"}),
        _row(Debitor="2", **{"Name 1": "B2 GmbH"}),
    )
    assert [(p.row, p.column) for p in problems] == [
        (6, "Debitor"),
        (2, "Konzern/Mutter"),
        (3, "Konzern/Mutter"),
        (4, "Konzern/Mutter"),
    ]
    assert problems[0].message == "steht zweimal in der Datei (zuerst in Zeile 3)"
    assert "(1 → 3 → 2 → 1)" in problems[1].message


@given(st.integers(min_value=0, max_value=9_999_999), st.sampled_from([".", " ", "'", ""]))
def test_a_head_count_reads_back_however_its_thousands_are_grouped(count: int, sep: str) -> None:
    text = f"{count:,}".replace(",", sep)
    [customer], problems = _convert(_row(Debitor="1", **{"Name 1": "A GmbH"}, Mitarbeiter=text))
    assert problems == []
    assert customer.employees == count
