"""WZ 2008 / NACE Rev. 2: the catalogue of sections and divisions, and code normalisation."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from kundenbild.wz2008 import DIVISIONS, SECTIONS, division, normalize_code, section_of

# The divisions each section holds, as published (WZ 2008 = NACE Rev. 2).
SECTION_RANGES = {
    "A": (1, 3),
    "B": (5, 9),
    "C": (10, 33),
    "D": (35, 35),
    "E": (36, 39),
    "F": (41, 43),
    "G": (45, 47),
    "H": (49, 53),
    "I": (55, 56),
    "J": (58, 63),
    "K": (64, 66),
    "L": (68, 68),
    "M": (69, 75),
    "N": (77, 82),
    "O": (84, 84),
    "P": (85, 85),
    "Q": (86, 88),
    "R": (90, 93),
    "S": (94, 96),
    "T": (97, 98),
    "U": (99, 99),
}
GAPS = {"04", "34", "40", "44", "48", "54", "57", "67", "76", "83", "89"}


def test_there_are_21_sections_a_to_u_in_order() -> None:
    assert [s.code for s in SECTIONS] == [chr(c) for c in range(ord("A"), ord("U") + 1)]


def test_there_are_88_unique_divisions_in_order() -> None:
    codes = [d.code for d in DIVISIONS]
    assert len(codes) == 88
    assert len(set(codes)) == 88
    assert codes == sorted(codes)
    assert all(re.fullmatch(r"[0-9]{2}", code) for code in codes)
    assert not GAPS & set(codes)


def test_every_division_lies_in_its_sections_published_range() -> None:
    section_codes = {s.code for s in SECTIONS}
    for d in DIVISIONS:
        assert d.section in section_codes
        low, high = SECTION_RANGES[d.section]
        assert low <= int(d.code) <= high, d
    for code, (low, high) in SECTION_RANGES.items():
        expected = {f"{n:02d}" for n in range(low, high + 1)} - GAPS
        assert {d.code for d in DIVISIONS if d.section == code} == expected


def test_every_title_is_filled_and_clean() -> None:
    for item in (*SECTIONS, *DIVISIONS):
        for title in (item.name_de, item.name_en):
            assert title
            assert title == title.strip()
            assert "  " not in title


def test_well_known_titles() -> None:
    assert division("28").name_de == "Maschinenbau"
    assert division("28").name_en == "Manufacture of machinery and equipment n.e.c."
    assert division("46").name_de == "Großhandel (ohne Handel mit Kraftfahrzeugen)"
    assert division("62").name_de == "Erbringung von Dienstleistungen der Informationstechnologie"
    assert division("29").section == "C"
    assert section_of("28").name_de == "Verarbeitendes Gewerbe"
    assert section_of("46.69.0").name_en == (
        "Wholesale and retail trade; repair of motor vehicles and motorcycles"
    )


def test_an_unknown_division_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        division("04")
    with pytest.raises(KeyError):
        division("28.41")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("28", "28"),
        ("28.4", "28.4"),
        ("28.41", "28.41"),
        ("28.41.0", "28.41.0"),
        ("2841", "28.41"),
        ("28410", "28.41.0"),
        ("28 41", "28.41"),
        (" 28 41 0 ", "28.41.0"),
        ("01.11.0", "01.11.0"),
        ("99", "99"),
    ],
)
def test_normalize_code(raw: str, expected: str) -> None:
    assert normalize_code(raw) == expected
    assert section_of(raw) == section_of(expected)


@pytest.mark.parametrize(
    "raw",
    ["", " ", "2", "04", "04.11", "40", "4", "28.", ".28", "28..41", "28.4.1", "28.41.00",
     "28-41", "A", "C28", "28.41.0.1", "٢٨", "28.٤١"],
)  # fmt: skip
def test_normalize_code_refuses_malformed_or_unknown(raw: str) -> None:
    with pytest.raises(ValueError, match="WZ 2008"):
        normalize_code(raw)
    with pytest.raises(ValueError, match="WZ 2008"):
        section_of(raw)


code_like = st.text(alphabet="0123456789. \t", max_size=10)


@given(st.one_of(code_like, st.text(max_size=10)))
@example("28.41.0")
@example("2841")
@example("28.4.1")
def test_normalize_code_returns_an_existing_division_or_refuses(raw: str) -> None:
    try:
        code = normalize_code(raw)
    except ValueError:
        return
    assert re.fullmatch(r"[0-9]{2}(\.[0-9]{1,2})?|[0-9]{2}\.[0-9]{2}\.[0-9]", code)
    assert division(code[:2]).code == code[:2]
    assert normalize_code(code) == code
    assert section_of(code).code == division(code[:2]).section
