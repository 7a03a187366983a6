"""A value type's reason in words: its code and numbers, through gettext, in one language.

The analytics core gives each customer a reason code and the numbers it quotes
(`kundenbild.analytics.shapes.reasons`); this module turns them into a sentence for the customer
page, the PDF profile, the API and the output of `kundenbild analyze-file` alike. Every
sentence is one msgid with named placeholders in the project's catalogue, and the numbers
are formatted for the reader (German 1.234,5, English 1,234.5).

Pure Python without Django: `analyze-file` runs without settings (importing them creates
the data directory and a secret key), so the committed `django.mo` is read with the
standard library's `gettext`, the same catalogue Django reads for the pages. The web
passes the active language explicitly.
"""

from __future__ import annotations

import gettext
import json
import math
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

LOCALE_DIR = Path(__file__).resolve().parent / "locale"

# the code of reasons stored before codes existed: the old texts, one per language
LEGACY_TEXT = "text"

MINUS = "\u2212"


@lru_cache(maxsize=32)
def language_of(language: str | None) -> str:
    """The base language of a code like "de-DE" or "en_US"; German if none is given."""
    return (language or "de").replace("_", "-").split("-")[0].lower() or "de"


@lru_cache(maxsize=8)
def _catalog(language: str) -> gettext.NullTranslations:
    """The project's catalogue for the language; the English msgids where there is none."""
    return gettext.translation("django", localedir=LOCALE_DIR, languages=[language], fallback=True)


def format_number(value: float, language: str, *, signed: bool = False) -> str:
    """A number as the language writes it: 1.234,5 (de) or 1,234.5 (en).

    Integers show no decimals, floats as many as they carry (the core rounds them); with
    `signed`, a change shows "+" or "−" (never for zero).

    >>> format_number(1234.5, "de"), format_number(1234.5, "en"), format_number(-7, "de")
    ('1.234,5', '1,234.5', '−7')
    """
    if isinstance(value, float) and not math.isfinite(value):
        return "–"
    digits = repr(abs(value)) if isinstance(value, float) else str(abs(int(value)))
    if "e" in digits:  # 1e+22, 1e-07: written out in full
        digits = format(Decimal(digits), "f")
    whole, _point, fraction = digits.partition(".")
    grouped = f"{int(whole):,}"
    if language_of(language) == "de":
        text = grouped.replace(",", ".") + ("," + fraction if fraction else "")
    else:
        text = grouped + ("." + fraction if fraction else "")
    if value < 0:
        return MINUS + text
    if signed and value > 0:
        return "+" + text
    return text


@lru_cache(maxsize=8)
def _month_names(language: str) -> tuple[str, ...]:
    c = _catalog(language)
    return (
        c.pgettext("month abbreviation", "Jan"),
        c.pgettext("month abbreviation", "Feb"),
        c.pgettext("month abbreviation", "Mar"),
        c.pgettext("month abbreviation", "Apr"),
        c.pgettext("month abbreviation", "May"),
        c.pgettext("month abbreviation", "Jun"),
        c.pgettext("month abbreviation", "Jul"),
        c.pgettext("month abbreviation", "Aug"),
        c.pgettext("month abbreviation", "Sep"),
        c.pgettext("month abbreviation", "Oct"),
        c.pgettext("month abbreviation", "Nov"),
        c.pgettext("month abbreviation", "Dec"),
    )


def month_list(months: list[int], language: str) -> str:
    """Calendar months (1-12) as abbreviations in the given order: "Nov, Dec and Jan"."""
    c = _catalog(language_of(language))
    names = _month_names(language_of(language))
    words = [names[(int(m) - 1) % 12] for m in months]
    if len(words) < 2:
        return "".join(words)
    return c.pgettext("list of months", "%(months)s and %(last)s") % {
        "months": ", ".join(words[:-1]),
        "last": words[-1],
    }


class _Reason:
    """What a sentence needs: the catalogue, the raw numbers (for plurals) and the
    numbers formatted for the language (for the placeholders)."""

    def __init__(self, values: Mapping[str, Any], language: str) -> None:
        self.c = _catalog(language)
        self.values = values
        self.language = language
        self.text = {
            name: format_number(value, language, signed=name == "change_percent")
            for name, value in values.items()
            if isinstance(value, int | float) and not isinstance(value, bool)
        }

    def count(self, name: str) -> int:
        """A number that decides between singular and plural."""
        value = self.values.get(name, 0)
        return int(value) if isinstance(value, int | float) else 0

    def __call__(self, sentence: str, **extra: str) -> str:
        return sentence % {**self.text, **extra}


def _no_orders(r: _Reason) -> str:
    return r(r.c.gettext("No order up to the as-of date."))


def _insufficient_history(r: _Reason) -> str:
    # the counts inside the sentence are phrases of their own, so each takes its plural
    orders = r.c.npgettext("reason", "%(count)s order", "%(count)s orders", r.count("orders"))
    min_months = r.c.npgettext(
        "reason", "%(count)s month", "%(count)s months", r.count("min_months")
    )
    min_orders = r.c.npgettext(
        "reason", "%(count)s order", "%(count)s orders", r.count("min_orders")
    )
    return r(
        r.c.ngettext(
            "Only %(months)s month of history and %(orders)s; a value type needs at least "
            "%(min_months)s and %(min_orders)s.",
            "Only %(months)s months of history and %(orders)s; a value type needs at least "
            "%(min_months)s and %(min_orders)s.",
            r.count("months"),
        ),
        orders=orders % {"count": r.text["orders"]},
        min_months=min_months % {"count": r.text["min_months"]},
        min_orders=min_orders % {"count": r.text["min_orders"]},
    )


def _burr(r: _Reason) -> str:
    return r(
        r.c.ngettext(
            "A regular customer for %(months)s month, but only €%(monthly_revenue)s revenue "
            "a month (%(share_percent)s%% of the median customer; only %(percentile)s%% of "
            "the customers buy less), at %(margin_percent)s%% contribution margin I.",
            "A regular customer for %(months)s months, but only €%(monthly_revenue)s revenue "
            "a month (%(share_percent)s%% of the median customer; only %(percentile)s%% of "
            "the customers buy less), at %(margin_percent)s%% contribution margin I.",
            r.count("months"),
        )
    )


def _burr_no_cost(r: _Reason) -> str:
    return r(
        r.c.ngettext(
            "A regular customer for %(months)s month, but only €%(monthly_revenue)s revenue "
            "a month (%(share_percent)s%% of the median customer; only %(percentile)s%% of "
            "the customers buy less); the data hold no costs, so its margin is unknown.",
            "A regular customer for %(months)s months, but only €%(monthly_revenue)s revenue "
            "a month (%(share_percent)s%% of the median customer; only %(percentile)s%% of "
            "the customers buy less); the data hold no costs, so its margin is unknown.",
            r.count("months"),
        )
    )


def _cyclical(r: _Reason) -> str:
    months = r.values.get("months") or []
    return r(
        r.c.ngettext(
            "In %(years)s year, %(share_percent)s%% of the revenue came in %(months)s; the "
            "calendar pattern explains %(recurrence_percent)s%% of the swings from month to "
            "month.",
            "In %(years)s years, %(share_percent)s%% of the revenue came in %(months)s; the "
            "calendar pattern explains %(recurrence_percent)s%% of the swings from month to "
            "month.",
            r.count("years"),
        ),
        months=month_list(list(months), r.language),
    )


def _bell(r: _Reason) -> str:
    return r(
        r.c.ngettext(
            "Revenue rose %(rise_factor)s-fold in %(peak_months)s month up to its peak and has "
            "since fallen to %(now_percent)s%% of it.",
            "Revenue rose %(rise_factor)s-fold in %(peak_months)s months up to its peak and "
            "has since fallen to %(now_percent)s%% of it.",
            r.count("peak_months"),
        )
    )


def _growth(r: _Reason) -> str:
    return r(
        r.c.ngettext(
            "Revenue grew by %(quarterly_percent)s%% a quarter on average over %(months)s "
            "month (factor %(factor)s).",
            "Revenue grew by %(quarterly_percent)s%% a quarter on average over %(months)s "
            "months (factor %(factor)s).",
            r.count("months"),
        )
    )


def _shrinking(r: _Reason) -> str:
    return r(
        r.c.ngettext(
            "Revenue fell by %(quarterly_percent)s%% a quarter on average over %(months)s "
            "month, to %(now_percent)s%% of its starting level.",
            "Revenue fell by %(quarterly_percent)s%% a quarter on average over %(months)s "
            "months, to %(now_percent)s%% of its starting level.",
            r.count("months"),
        )
    )


def _steady_flat(r: _Reason) -> str:
    return r(
        r.c.ngettext(
            "Revenue level stable over %(months)s month (%(change_percent)s%% from start to end).",
            "Revenue level stable over %(months)s months (%(change_percent)s%% from start to end).",
            r.count("months"),
        )
    )


def _steady_swings(r: _Reason) -> str:
    # the direction is a word, so the number goes without its sign
    size = format_number(abs(r.values.get("change_percent", 0)), r.language)
    if r.values.get("change_percent", 0) >= 0:
        sentence = r.c.ngettext(
            "No lasting trend over %(months)s month: the level is %(change)s%% higher than at "
            "the start, within what its month-to-month swings allow.",
            "No lasting trend over %(months)s months: the level is %(change)s%% higher than at "
            "the start, within what its month-to-month swings allow.",
            r.count("months"),
        )
    else:
        sentence = r.c.ngettext(
            "No lasting trend over %(months)s month: the level is %(change)s%% lower than at "
            "the start, within what its month-to-month swings allow.",
            "No lasting trend over %(months)s months: the level is %(change)s%% lower than at "
            "the start, within what its month-to-month swings allow.",
            r.count("months"),
        )
    return r(sentence, change=size)


_SENTENCES: dict[str, Callable[[_Reason], str]] = {
    "no_orders": _no_orders,
    "insufficient_history": _insufficient_history,
    "burr": _burr,
    "burr_no_cost": _burr_no_cost,
    "cyclical": _cyclical,
    "bell": _bell,
    "growth": _growth,
    "shrinking": _shrinking,
    "steady_flat": _steady_flat,
    "steady_swings": _steady_swings,
}
REASON_CODES = tuple(_SENTENCES)


def reason_text(code: str, values: Mapping[str, Any], language: str) -> str:
    """The reason `code` with its `values` as a sentence in `language` ("de" or "en").

    >>> reason_text("growth", {"months": 48, "factor": 2.8, "quarterly_percent": 9}, "en")
    'Revenue grew by 9% a quarter on average over 48 months (factor 2.8).'
    """
    base = language_of(language)
    if code == LEGACY_TEXT:
        return str(values.get(base) or values.get("de") or "")
    try:
        sentence = _SENTENCES[code]
    except KeyError:
        raise ValueError(f"unknown reason code {code!r}") from None
    return sentence(_Reason(values, base))


def reason_texts(codes: Iterable[str], values: Iterable[str], language: str) -> list[str]:
    """Many reasons at once, from the core's columns: codes and their numbers as JSON."""
    said: dict[tuple[str, str], str] = {}  # customers with the same numbers read the same
    texts = []
    for code, numbers in zip(codes, values, strict=True):
        text = said.get((code, numbers))
        if text is None:
            text = said[code, numbers] = reason_text(code, json.loads(numbers), language)
        texts.append(text)
    return texts
