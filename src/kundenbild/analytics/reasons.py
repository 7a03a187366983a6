"""The reason for each customer's value type, in German and in English, naming the evidence.

Built column-wise with Arrow string kernels (no Python loop per customer): every template
is filled for all customers, and `choose` picks each customer's template by its type.
"""

from __future__ import annotations

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


def reasons(judgement: Judgement, config: ValueTypeConfig, language: str) -> pa.Array:
    j = judgement
    de = language == "de"

    def num(values: Any, decimals: int = 0) -> pa.Array:
        return _number(values, decimals, language)

    months = MONTHS[language]
    start = j.season_start - 1
    end = (start + config.cyclical_season_months - 1) % 12
    season = _join(
        pc.take(pa.array(months), pa.array(start)), "–", pc.take(pa.array(months), pa.array(end))
    )
    cost_note = "" if j.has_cost else (" (ohne Kostenangaben)" if de else " (no costs in the data)")
    margin = num(j.margin_rate * 100, 0)
    quarter_pct = num(np.abs(j.quarterly_change) * 100, 0)
    if de:
        templates = [
            _join(
                "Umsatzniveau über ",
                num(j.active_months),
                " Monate stabil (Faktor ",
                num(j.trend_factor, 1),
                " vom Anfang zum Ende)",
            ),
            _join(
                "In ",
                num(j.season_years),
                " von ",
                num(j.years),
                " Jahren kam mindestens die Hälfte des Umsatzes aus ",
                season,
                ", insgesamt ",
                num(j.season_share * 100),
                " %",
            ),
            _join(
                "Umsatz stieg ",
                num(j.peak_offset),
                " Monate lang auf das ",
                num(j.rise_factor, 1),
                "-Fache bis zum Höhepunkt und fiel seitdem auf ",
                num(100 / np.maximum(j.fall_factor, 1e-9)),
                " % davon",
            ),
            _join(
                "Umsatz seit ",
                num(j.active_months),
                " Monaten um durchschnittlich ",
                quarter_pct,
                " % pro Quartal gestiegen (Faktor ",
                num(j.trend_factor, 1),
                ")",
            ),
            _join(
                "Umsatz seit ",
                num(j.active_months),
                " Monaten um durchschnittlich ",
                quarter_pct,
                " % pro Quartal gesunken (auf ",
                num(j.trend_factor * 100),
                " % des Anfangsniveaus)",
            ),
            _join(
                "Seit ",
                num(j.history_months),
                " Monaten regelmäßig Kunde, aber nur ",
                num(j.monthly_revenue),
                " € Umsatz pro Monat (",
                num(j.value_share * 100, 1),
                " % des mittleren Kunden) bei ",
                margin,
                " % Deckungsbeitrag I",
                cost_note,
            ),
            _join(
                "Erst ",
                num(j.history_months),
                " Monate Historie und ",
                num(j.orders),
                " Bestellungen; eine Form braucht mindestens ",
                str(config.min_history_months),
                " Monate und ",
                str(config.min_orders),
                " Bestellungen",
            ),
        ]
    else:
        templates = [
            _join(
                "Revenue level stable over ",
                num(j.active_months),
                " months (factor ",
                num(j.trend_factor, 1),
                " from start to end)",
            ),
            _join(
                "In ",
                num(j.season_years),
                " of ",
                num(j.years),
                " years at least half of the revenue came in ",
                season,
                ", ",
                num(j.season_share * 100),
                " % overall",
            ),
            _join(
                "Revenue rose ",
                num(j.rise_factor, 1),
                "-fold over ",
                num(j.peak_offset),
                " months to its peak and has since fallen to ",
                num(100 / np.maximum(j.fall_factor, 1e-9)),
                " % of it",
            ),
            _join(
                "Revenue grew by ",
                quarter_pct,
                " % per quarter on average over ",
                num(j.active_months),
                " months (factor ",
                num(j.trend_factor, 1),
                ")",
            ),
            _join(
                "Revenue fell by ",
                quarter_pct,
                " % per quarter on average over ",
                num(j.active_months),
                " months (to ",
                num(j.trend_factor * 100),
                " % of its starting level)",
            ),
            _join(
                "A regular customer for ",
                num(j.history_months),
                " months, but only € ",
                num(j.monthly_revenue),
                " revenue per month (",
                num(j.value_share * 100, 1),
                " % of the median customer) at ",
                margin,
                " % contribution margin I",
                cost_note,
            ),
            _join(
                "Only ",
                num(j.history_months),
                " months of history and ",
                num(j.orders),
                " orders; a shape needs at least ",
                str(config.min_history_months),
                " months and ",
                str(config.min_orders),
                " orders",
            ),
        ]
    no_orders = "Keine Bestellung bis zum Stichtag" if de else "No order up to the as-of date"
    chosen = pc.choose(pa.array(j.value_type), *templates)
    return pc.if_else(pa.array(j.orders == 0), pa.scalar(no_orders), chosen)
