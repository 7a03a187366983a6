"""`{% load value_types %}`: the meaning of a value type or phase, for a badge's tooltip."""

from __future__ import annotations

from django import template

from kundenbild.insights.explanations import PHASE_HELP, VALUE_TYPE_HELP

register = template.Library()


@register.filter
def type_help(code: str) -> str:
    """The value type's meaning ("" for an unknown code)."""
    return str(VALUE_TYPE_HELP.get(code, ""))


@register.filter
def phase_help(code: str) -> str:
    """The lifecycle phase's meaning ("" for an unknown code)."""
    return str(PHASE_HELP.get(code, ""))
