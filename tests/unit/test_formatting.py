"""Money and numbers as German and English readers expect them."""

from __future__ import annotations

from decimal import Decimal

from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from kundenbild.core.formatting import format_money, format_number


def test_german_money() -> None:
    with translation.override("de"):
        assert format_money(Decimal("1234.56")) == "1.234,56\u00a0€"
        assert format_money(Decimal("-0.5")) == "−0,50\u00a0€"
        assert format_money(Decimal("12345.67"), 0) == "12.346\u00a0€"


def test_english_money() -> None:
    with translation.override("en"):
        assert format_money(Decimal("1234.56")) == "€1,234.56"


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False))
def test_german_numbers_round_trip(value: Decimal) -> None:
    with translation.override("de"):
        text = format_number(value, 2)
    parsed = Decimal(text.replace(".", "").replace(",", "."))
    assert parsed == value
