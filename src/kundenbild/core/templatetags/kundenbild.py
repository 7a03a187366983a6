"""Template filters for locale-aware money and numbers."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.http import QueryDict

from kundenbild.core.formatting import format_change, format_money, format_number, format_percent

register = template.Library()


@register.filter
def money(value: Decimal | float | int | None, decimals: int = 2) -> str:
    return format_money(value, decimals)


@register.filter
def number(value: Decimal | float | int | None, decimals: int = 0) -> str:
    return format_number(value, decimals)


@register.filter
def percent(value: Decimal | float | int | None, decimals: int = 0) -> str:
    return format_percent(value, decimals)


@register.filter
def change(value: Decimal | float | int | None, decimals: int = 1) -> str:
    """A change in percent with its sign."""
    return format_change(value, decimals)


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    return mapping.get(key)


@register.filter
def valid_on(item: Any, day: Any) -> bool:
    """Whether something with a validity period (a condition) is valid on a day."""
    return bool(item.is_valid_on(day))


@register.simple_tag(takes_context=True)
def query_with(context: dict[str, Any], **changes: Any) -> str:
    """The current query string with some parameters replaced (sorting, paging links)."""
    params: QueryDict = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = str(value)
    return "?" + params.urlencode() if params else "?"
