"""Numbers, money and dates in the user's locale (1.234,56 € in German)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats
from django.utils.translation import get_language


def format_number(value: Decimal | float | int | None, decimals: int = 0) -> str:
    """Group thousands and use the locale's decimal mark; empty for missing values."""
    if value is None:
        return ""
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return formats.number_format(rounded, decimals, use_l10n=True, force_grouping=True)


def format_money(value: Decimal | float | int | None, decimals: int = 2) -> str:
    """Euro amounts as German ("1.234,56 €") or English ("€1,234.56") readers expect."""
    if value is None:
        return ""
    text = format_number(abs(Decimal(str(value))), decimals)
    sign = "−" if value < 0 else ""
    if (get_language() or "de").startswith("de"):
        return f"{sign}{text}\u00a0€"
    return f"{sign}€{text}"


def format_percent(value: Decimal | float | int | None, decimals: int = 0) -> str:
    """A percentage as German ("12,5 %") or English ("12.5%") readers write it."""
    if value is None:
        return ""
    text = format_number(abs(Decimal(str(value))), decimals)
    sign = "−" if value < 0 and text.strip("0,.") else ""
    if (get_language() or "de").startswith("de"):
        return f"{sign}{text}\u00a0%"
    return f"{sign}{text}%"


def format_change(value: Decimal | float | int | None, decimals: int = 1) -> str:
    """A change in percent with its sign ("+12,5 %", "−3,0 %"); a rounded zero has none."""
    text = format_percent(value, decimals)
    if value is not None and value > 0 and text.strip("0,.\u00a0%"):
        return "+" + text
    return text
