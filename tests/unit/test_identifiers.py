"""German business identifiers: VAT numbers, register numbers, postal codes; and what a
customer number may look like."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kundenbild.identifiers import (
    de_vat_check_digit,
    is_valid_customer_number,
    is_valid_german_postal_code,
    is_valid_vat_id,
    normalize_vat_id,
    parse_register_number,
)

eight_digits = st.from_regex(r"\A[1-9][0-9]{7}\Z", fullmatch=True)


@given(eight_digits)
def test_a_german_vat_number_with_its_check_digit_is_valid(first_eight: str) -> None:
    vat = f"DE{first_eight}{de_vat_check_digit(first_eight)}"
    assert is_valid_vat_id(vat)
    assert is_valid_vat_id(f"de {vat[2:5]} {vat[5:8]} {vat[8:]}")


@given(eight_digits, st.integers(min_value=1, max_value=9))
def test_any_other_check_digit_is_refused(first_eight: str, offset: int) -> None:
    wrong = (de_vat_check_digit(first_eight) + offset) % 10
    assert not is_valid_vat_id(f"DE{first_eight}{wrong}")


@given(st.text(max_size=20))
def test_vat_validation_never_crashes(text: str) -> None:
    assert is_valid_vat_id(text) in {True, False}


def test_a_known_real_vat_number_is_valid() -> None:
    assert is_valid_vat_id("DE136695976")
    assert not is_valid_vat_id("DE136695977")
    assert not is_valid_vat_id("DE03669597")  # leading zero, too short


def test_foreign_vat_numbers_need_only_the_shape() -> None:
    assert is_valid_vat_id("ATU12345678")
    assert not is_valid_vat_id("A1")


def test_normalize_drops_separators_and_upper_cases() -> None:
    assert normalize_vat_id(" de-136.695 976") == "DE136695976"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("HRB 12345", "HRB 12345"),
        ("hrb12345", "HRB 12345"),
        ("HRB 12345 B", "HRB 12345 B"),
        ("HRA 7", "HRA 7"),
        ("GnR 301", "GnR 301"),
    ],
)
def test_register_numbers_are_parsed_and_normalised(raw: str, expected: str) -> None:
    assert str(parse_register_number(raw)) == expected


@pytest.mark.parametrize("raw", ["", "12345", "HRC 12", "HRB", "HRB 0123", "HRB 1234567"])
def test_malformed_register_numbers_are_refused(raw: str) -> None:
    with pytest.raises(ValueError, match=raw or ".*"):
        parse_register_number(raw)


@given(st.text(max_size=12))
def test_register_parsing_either_round_trips_or_refuses(text: str) -> None:
    try:
        parsed = parse_register_number(text)
    except ValueError:
        return
    assert parse_register_number(str(parsed)) == parsed


@pytest.mark.parametrize(
    ("code", "valid"),
    [("80331", True), ("01067", True), ("00123", False), ("8033", False), ("80331a", False)],
)
def test_german_postal_codes(code: str, valid: bool) -> None:
    assert is_valid_german_postal_code(code) is valid


@pytest.mark.parametrize(
    "number", ["K-10042", "10001", "0000100023", "DE/4711.01", "KD 2023_001", "Müller01"]
)
def test_customer_numbers_as_erps_write_them_are_valid(number: str) -> None:
    assert is_valid_customer_number(number)


@pytest.mark.parametrize(
    "number",
    ["", "=HYPERLINK(1)", "+4930123", "@SUM(A1)", "-5", "K\t1", "K-1\n2", "K\x00", "K\xa01"],
)
def test_formulas_and_control_characters_are_no_customer_numbers(number: str) -> None:
    assert not is_valid_customer_number(number)


@given(st.text(max_size=40))
def test_the_customer_number_check_never_crashes(text: str) -> None:
    assert is_valid_customer_number(text) in {True, False}
