"""An article list's rows become what the catalogue's service takes, and what only the file
shows to be wrong is named with its row and column (issue 20)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from kundenbild.imports.master.customers import RowProblem
from kundenbild.imports.master.kinds import OFFERINGS, guess_mapping
from kundenbild.imports.master.offerings import OFFERING_KINDS, OfferingRow, convert_offerings
from kundenbild.offerings.models import OfferingKind

HEADERS = [
    "Artikelnummer", "Bezeichnung", "Bezeichnung Englisch", "Warengruppe", "Artikelart",
    "Mengeneinheit",
]  # fmt: skip
MAPPING = guess_mapping(OFFERINGS, HEADERS)
KIND_WORDS = [
    *[(OfferingKind.PRODUCT, w) for w in ("Produkt", "Artikel", "Handelsware", "product")],
    *[(OfferingKind.SERVICE, w) for w in ("Dienstleistung", "Leistung", "Service", "service")],
    *[(OfferingKind.SOLUTION, w) for w in ("Lösung", "Loesung", "LOESUNG", "solution")],
]


def _row(**cells: str) -> dict[str, str]:
    return {header: "" for header in HEADERS} | {"Bezeichnung": "Kabel"} | cells


def _convert(*rows: dict[str, str]) -> tuple[list[OfferingRow], list[RowProblem]]:
    return convert_offerings(enumerate(rows, start=2), MAPPING)


def test_an_article_row_becomes_an_offering() -> None:
    offerings, problems = _convert(
        _row(
            Artikelnummer=" 4711-A ",
            Bezeichnung="Förderband  FB 200",
            **{"Bezeichnung Englisch": "Conveyor belt FB 200"},
            Warengruppe="Fördertechnik",
            Artikelart="Handelsware",
            Mengeneinheit="Stück",
        ),
        _row(Artikelnummer="S-1", Bezeichnung="Wartung", Artikelart="Dienstleistung"),
    )
    assert problems == []
    assert offerings == [
        OfferingRow(
            row=2,
            number="4711-A",
            name_de="Förderband FB 200",
            name_en="Conveyor belt FB 200",
            group="Fördertechnik",
            kind="product",
            unit="Stück",
        ),
        OfferingRow(row=3, number="S-1", name_de="Wartung", kind="service"),
    ]


def test_an_english_item_list_is_read_alike_and_an_empty_kind_stays_empty() -> None:
    headers = ["Item Number", "Description", "Product Group", "Type", "UoM"]
    english = guess_mapping(OFFERINGS, headers)
    row = dict(zip(headers, ["K-9", "Cable", "Electrical", "", "m"], strict=True))
    [offering], problems = convert_offerings([(2, row)], english)
    assert problems == []
    assert (offering.number, offering.name_de, offering.group) == ("K-9", "Cable", "Electrical")
    assert (offering.kind, offering.unit, offering.name_en) == ("", "m", "")


def test_bad_cells_are_named_with_row_column_and_value() -> None:
    offerings, problems = _convert(
        _row(Artikelnummer=""),
        _row(Artikelnummer="2", Bezeichnung=""),
        _row(Artikelnummer="3", Artikelart="Gutschein"),
        _row(Artikelnummer="4", Bezeichnung="x" * 201),
        _row(Artikelnummer="5" * 41),
        _row(Artikelnummer="6", Warengruppe="g" * 101, Mengeneinheit="u" * 21),
    )
    assert offerings == []
    assert [(p.row, p.column, p.value) for p in problems] == [
        (2, "Artikelnummer", ""),
        (3, "Bezeichnung", ""),
        (4, "Artikelart", "Gutschein"),
        (5, "Bezeichnung", "x" * 201),
        (6, "Artikelnummer", "5" * 41),
        (7, "Warengruppe", "g" * 101),
        (7, "Mengeneinheit", "u" * 21),
    ]
    assert problems[2].message == (
        "ist keine Art von Marktleistung, die Kundenbild kennt; bekannt sind: "
        "Produkt, Service, Lösung"
    )
    assert problems[3].message == "ist länger als 200 Zeichen"
    assert problems[4].message == "ist länger als 40 Zeichen"
    with translation.override("en"):
        _offerings, in_english = _convert(_row(Artikelnummer="3", Artikelart="voucher"))
    assert in_english[0].message == (
        "is not a kind of offering Kundenbild knows; known are: Product, Service, Solution"
    )


def test_an_article_number_twice_is_refused_on_the_later_row() -> None:
    offerings, problems = _convert(
        _row(Artikelnummer="A-1"),
        _row(Artikelnummer="B-1"),
        _row(Artikelnummer="A-1", Bezeichnung="Kabel, rot"),
        _row(Artikelnummer="a-1"),
    )
    assert len(offerings) == 4
    assert [(p.row, p.column, p.value, p.message) for p in problems] == [
        (4, "Artikelnummer", "A-1", "steht zweimal in der Datei (zuerst in Zeile 2)")
    ]


@pytest.mark.parametrize("kind", OfferingKind)
def test_every_kind_is_known_by_its_words_and_its_labels(kind: OfferingKind) -> None:
    for word in OFFERING_KINDS.synonyms[kind]:
        assert OFFERING_KINDS.value_of(word) == kind
    for language in ("de", "en"):
        with translation.override(language):
            assert OFFERING_KINDS.value_of(str(kind.label)) == kind


@given(st.sampled_from(KIND_WORDS), st.sampled_from([str.upper, str.lower, str.title]))
def test_a_kind_is_read_in_any_case(
    kind_and_word: tuple[str, str], case: Callable[[str], str]
) -> None:
    kind, word = kind_and_word
    [offering], problems = _convert(_row(Artikelnummer="1", Artikelart=case(word)))
    assert problems == []
    assert offering.kind == kind


@given(st.text(st.characters(categories=["L", "N", "P"]), min_size=1, max_size=240))
def test_a_name_is_kept_up_to_200_characters_and_refused_beyond(name: str) -> None:
    offerings, problems = _convert(_row(Artikelnummer="1", Bezeichnung=name))
    assert bool(offerings) == (len(name) <= 200)
    assert [p.column for p in problems] == ([] if len(name) <= 200 else ["Bezeichnung"])
