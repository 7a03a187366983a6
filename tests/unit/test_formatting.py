"""Money and numbers as German and English readers expect them."""

from __future__ import annotations

from decimal import Decimal

from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from kundenbild.core.formatting import format_change, format_money, format_number, format_percent


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


def test_percentages_and_changes_in_german_and_english() -> None:
    with translation.override("de"):
        assert format_percent(Decimal("93.4")) == "93\u00a0%"
        assert format_change(Decimal("12.34")) == "+12,3\u00a0%"
        assert format_change(Decimal("-3")) == "−3,0\u00a0%"
        assert format_change(Decimal("-0.01")) == "0,0\u00a0%"
        assert format_change(Decimal("0.04")) == "0,0\u00a0%"
        assert format_change(None) == ""
    with translation.override("en"):
        assert format_percent(Decimal("7.5"), 1) == "7.5%"
        assert format_change(Decimal("1234.5")) == "+1,234.5%"
