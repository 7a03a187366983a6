"""The reason for each customer's value type, in German and in English, naming the evidence.

Built column-wise with Arrow string kernels (no Python loop per customer): every template
is filled for all customers, and `choose` picks each customer's template by its type.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields, replace
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from kundenbild.analytics.config import ValueTypeConfig
from kundenbild.analytics.value_types import Judgement

MONTHS = {
    "de": ("Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}


def _number(values: Any, decimals: int, language: str) -> pa.Array:
    """Numbers as text in the language's style: 1234.5 → "1.234,5" (de) / "1,234.5" (en)."""
    finite = np.nan_to_num(np.asarray(values, dtype=np.float64), posinf=0.0, neginf=0.0)
    array = np.round(np.clip(finite, -1e15, 1e15), decimals)
    whole = np.trunc(np.abs(array)).astype(np.int64)
    sign = np.where(array < 0, "-", "")
    grouped = pc.cast(pa.array(whole), pa.string())
    # thousands separators, one group of three digits from the right per pass (RE2 has no
    # look-ahead); six passes cover every int64
    for _ in range(6):
        grouped = pc.replace_substring_regex(grouped, r"^(\d+)(\d{3})(,|$)", r"\1,\2\3")
    thousands, point = (".", ",") if language == "de" else (",", ".")
    if language == "de":
        grouped = pc.replace_substring(grouped, ",", thousands)
    text = pc.binary_join_element_wise(pa.array(sign), grouped, "")
    if decimals:
        fraction = np.round((np.abs(array) - whole) * 10**decimals).astype(np.int64)
        digits = pc.utf8_lpad(pc.cast(pa.array(fraction), pa.string()), decimals, "0")
        text = pc.binary_join_element_wise(text, digits, point)
    return text


def _join(*parts: Any) -> pa.Array:
    return pc.binary_join_element_wise(*parts, "")


def _word(values: Any, one: str, many: str) -> pa.Array:
    """The singular where the count is exactly 1, else the plural: "1 order", "2 orders"."""
    return pa.array(np.where(np.asarray(values) == 1, one, many))


def reasons(judgement: Judgement, config: ValueTypeConfig, language: str) -> pa.Array:
    """Each customer's reason; every template is filled only for the customers of its type."""
    de = language == "de"

    def num(values: Any, decimals: int = 0) -> pa.Array:
        return _number(values, decimals, language)

    months = pa.array(MONTHS[language])

    def season(s: Judgement) -> pa.Array:
        start = s.season_start - 1
        end = (start + config.cyclical_season_months - 1) % 12
        return _join(pc.take(months, pa.array(start)), "–", pc.take(months, pa.array(end)))

    cost_note = (
        "" if judgement.has_cost else (" (ohne Kostenangaben)" if de else " (no costs in the data)")
    )
    templates: list[Callable[[Judgement], pa.Array]]
    if de:
        templates = [
            lambda s: _join(
                "Umsatzniveau über ",
                num(s.active_months),
                " Monate stabil (Faktor ",
                num(s.trend_factor, 1),
                " vom Anfang zum Ende)",
            ),
            lambda s: _join(
                "In ",
                num(s.season_years),
                " von ",
                num(s.years),
                " Jahren kam mindestens die Hälfte des Umsatzes aus ",
                season(s),
                ", insgesamt ",
                num(s.season_share * 100),
                " %",
            ),
            lambda s: _join(
                "Umsatz stieg ",
                num(s.peak_offset),
                " Monate lang auf das ",
                num(s.rise_factor, 1),
                "-Fache bis zum Höhepunkt und fiel seitdem auf ",
                num(100 / np.maximum(s.fall_factor, 1e-9)),
                " % davon",
            ),
            lambda s: _join(
                "Umsatz seit ",
                num(s.active_months),
                " Monaten um durchschnittlich ",
                num(np.abs(s.quarterly_change) * 100, 0),
                " % pro Quartal gestiegen (Faktor ",
                num(s.trend_factor, 1),
                ")",
            ),
            lambda s: _join(
                "Umsatz seit ",
                num(s.active_months),
                " Monaten um durchschnittlich ",
                num(np.abs(s.quarterly_change) * 100, 0),
                " % pro Quartal gesunken (auf ",
                num(s.trend_factor * 100),
                " % des Anfangsniveaus)",
            ),
            lambda s: _join(
                "Seit ",
                num(s.history_months),
                " Monaten regelmäßig Kunde, aber nur ",
                num(s.monthly_revenue),
                " € Umsatz pro Monat (",
                num(s.value_share * 100, 1),
                " % des mittleren Kunden) bei ",
                num(s.margin_rate * 100, 0),
                " % Deckungsbeitrag I",
                cost_note,
            ),
            lambda s: _join(
                "Erst ",
                num(s.history_months),
                _word(s.history_months, " Monat Historie und ", " Monate Historie und "),
                num(s.orders),
                _word(s.orders, " Bestellung", " Bestellungen"),
                "; eine Form braucht mindestens ",
                str(config.min_history_months),
                " Monate und ",
                str(config.min_orders),
                " Bestellungen",
            ),
        ]
    else:
        templates = [
            lambda s: _join(
                "Revenue level stable over ",
                num(s.active_months),
                " months (factor ",
                num(s.trend_factor, 1),
                " from start to end)",
            ),
            lambda s: _join(
                "In ",
                num(s.season_years),
                " of ",
                num(s.years),
                " years at least half of the revenue came in ",
                season(s),
                ", ",
                num(s.season_share * 100),
                " % overall",
            ),
            lambda s: _join(
                "Revenue rose ",
                num(s.rise_factor, 1),
                "-fold over ",
                num(s.peak_offset),
                " months to its peak and has since fallen to ",
                num(100 / np.maximum(s.fall_factor, 1e-9)),
                " % of it",
            ),
            lambda s: _join(
                "Revenue grew by ",
                num(np.abs(s.quarterly_change) * 100, 0),
                " % per quarter on average over ",
                num(s.active_months),
                " months (factor ",
                num(s.trend_factor, 1),
                ")",
            ),
            lambda s: _join(
                "Revenue fell by ",
                num(np.abs(s.quarterly_change) * 100, 0),
                " % per quarter on average over ",
                num(s.active_months),
                " months (to ",
                num(s.trend_factor * 100),
                " % of its starting level)",
            ),
            lambda s: _join(
                "A regular customer for ",
                num(s.history_months),
                " months, but only € ",
                num(s.monthly_revenue),
                " revenue per month (",
                num(s.value_share * 100, 1),
                " % of the median customer) at ",
                num(s.margin_rate * 100, 0),
                " % contribution margin I",
                cost_note,
            ),
            lambda s: _join(
                "Only ",
                num(s.history_months),
                _word(s.history_months, " month of history and ", " months of history and "),
                num(s.orders),
                _word(s.orders, " order", " orders"),
                "; a shape needs at least ",
                str(config.min_history_months),
                " months and ",
                str(config.min_orders),
                " orders",
            ),
        ]
    no_orders = "Keine Bestellung bis zum Stichtag" if de else "No order up to the as-of date"
    kind = np.where(judgement.orders == 0, len(templates), judgement.value_type)

    def silent(s: Judgement) -> pa.Array:
        return pa.array([no_orders] * len(s.orders), pa.string())

    parts: list[pa.Array] = []
    rows: list[np.ndarray] = []
    for code, template in enumerate([*templates, silent]):
        picked = np.flatnonzero(kind == code)
        if len(picked):
            parts.append(template(_subset(judgement, picked)))
            rows.append(picked)
    if not parts:
        return pa.array([], pa.string())
    text = pa.concat_arrays([pa.array(part, pa.string()) for part in parts])
    return pc.take(text, pa.array(np.argsort(np.concatenate(rows), kind="stable")))


def _subset(judgement: Judgement, rows: np.ndarray) -> Judgement:
    return replace(
        judgement,
        **{
            f.name: getattr(judgement, f.name)[rows]
            for f in fields(judgement)
            if isinstance(getattr(judgement, f.name), np.ndarray)
        },
    )
