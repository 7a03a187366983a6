"""Why each customer has its value type: a reason code and the numbers that back it.

The core says *which* reason applies and *which* numbers it quotes, never the words: those
come through gettext in the reader's language (`kundenbild.reason_text`), so that the
customer page, the PDF, the API and the CLI say the same thing, German and English live
in the translation catalogue only, and every number is formatted for its reader.

Codes and their numbers (names are part of the stored data and of the API):

=========================  ==========================================================
``no_orders``              (none)
``insufficient_history``   months, orders, min_months, min_orders
``burr``                   months, monthly_revenue, share_percent, percentile,
                           margin_percent
``burr_no_cost``           as ``burr`` without margin_percent (no costs in the data)
``cyclical``               months (calendar months 1-12 of the season), share_percent,
                           recurrence_percent, years
``bell``                   rise_factor, peak_months, now_percent
``growth``                 months, factor, quarterly_percent
``shrinking``              months, now_percent, quarterly_percent
``steady_flat``            months, change_percent (signed)
``steady_swings``          months, change_percent (signed)
=========================  ==========================================================

A steady customer whose level moved by 10 % or more from start to end is
``steady_swings``: calling it "stable, factor 0.7" would contradict its own numbers; its
reason says the change lies within its swings instead.

The values are built column-wise (NumPy and Arrow string kernels, one pass per code), so
100,000 customers take a few tens of milliseconds.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from kundenbild.analytics.config import ValueTypeConfig
from kundenbild.analytics.shapes.value_types import (
    BELL,
    BURR,
    CYCLICAL,
    GROWTH,
    INSUFFICIENT,
    SHRINKING,
    STEADY,
    Judgement,
)

REASON_CODES = (
    "no_orders",
    "insufficient_history",
    "burr",
    "burr_no_cost",
    "cyclical",
    "bell",
    "growth",
    "shrinking",
    "steady_flat",
    "steady_swings",
)
(
    NO_ORDERS,
    INSUFFICIENT_HISTORY,
    BURR_REASON,
    BURR_NO_COST,
    CYCLICAL_REASON,
    BELL_REASON,
    GROWTH_REASON,
    SHRINKING_REASON,
    STEADY_FLAT,
    STEADY_SWINGS,
) = range(len(REASON_CODES))

# a steady level that moved less than this from start to end is called stable
STEADY_FLAT_MAX_CHANGE = 0.10

# numbers beyond this are clipped, so that every value is finite JSON
_LIMIT = 1e12


def _season_order(bits: int) -> list[int]:
    """The months of a season in reading order: a season over the turn of the year reads
    "Nov, Dec, Jan", so the list starts after the longest run of months outside it (in
    calendar order where the run over the turn of the year is as long as any)."""
    months = [m for m in range(1, 13) if bits >> (m - 1) & 1]
    if not months or len(months) == 12:
        return months
    gaps = [(months[(i + 1) % len(months)] - m - 1) % 12 for i, m in enumerate(months)]
    if gaps[-1] == max(gaps):
        return months
    start = gaps.index(max(gaps)) + 1
    return months[start:] + months[:start]


# every bit pattern of `Judgement.season_months` as its JSON list, looked up per customer
_SEASONS = np.array([json.dumps(_season_order(bits)) for bits in range(1 << 12)], dtype=object)


def season_months(bits: int) -> list[int]:
    """The calendar months (1-12) of `Judgement.season_months`, in reading order.

    >>> season_months(0b110000000001)
    [11, 12, 1]
    """
    return _season_order(bits & 0xFFF)


def _finite(values: Any) -> npt.NDArray[np.float64]:
    array = np.asarray(values, dtype=np.float64)
    return np.clip(np.nan_to_num(array, nan=0.0, posinf=_LIMIT, neginf=-_LIMIT), -_LIMIT, _LIMIT)


def _half_up(values: Any) -> npt.NDArray[np.int64]:
    """Rounded to whole numbers, halves away from zero (2.5 → 3), as people round."""
    array = _finite(values)
    return (np.sign(array) * np.floor(np.abs(array) + 0.5)).astype(np.int64)


def _whole(values: Any) -> pa.Array:
    """Whole numbers as JSON text."""
    return pc.cast(pa.array(_half_up(values)), pa.string())


def _one_decimal(values: Any) -> pa.Array:
    """Numbers with one decimal as JSON text ("2.8", "3.0"): always a float in JSON, so
    that the reader sees "factor 3.0" next to "factor 2.8"."""
    tenths = _half_up(_finite(values) * 10)
    sign = pa.array(np.where(tenths < 0, "-", ""))
    whole = pc.cast(pa.array(np.abs(tenths) // 10), pa.string())
    fraction = pc.cast(pa.array(np.abs(tenths) % 10), pa.string())
    return pc.binary_join_element_wise(sign, whole, ".", fraction, "")


def _object(rows: int, **numbers: Any) -> pa.Array:
    """One JSON object per row from columns of JSON texts (or one text for all rows)."""
    if not numbers:
        return pa.array(["{}"] * rows, pa.string())
    parts: list[Any] = []
    for i, (name, text) in enumerate(numbers.items()):
        parts += [("{" if i == 0 else ", ") + json.dumps(name) + ": ", text]
    parts.append("}")
    if all(isinstance(part, str) for part in parts):
        return pa.array(["".join(parts)] * rows, pa.string())
    joined: pa.Array = pc.binary_join_element_wise(*parts, "")
    return joined


def _percent_whole(fractions: Any) -> pa.Array:
    return _whole(_finite(fractions) * 100)


def _values(code: int, s: Judgement, rows: npt.NDArray[np.int64], config: ValueTypeConfig) -> Any:
    """The numbers of one reason code for the customers `rows`, as JSON texts."""

    def at(name: str) -> Any:
        return getattr(s, name)[rows]

    n = len(rows)
    if code == NO_ORDERS:
        return _object(n)
    if code == INSUFFICIENT_HISTORY:
        return _object(
            n,
            months=_whole(at("history_months")),
            orders=_whole(at("orders")),
            min_months=str(int(config.min_history_months)),
            min_orders=str(int(config.min_orders)),
        )
    if code in (BURR_REASON, BURR_NO_COST):
        numbers = {
            "months": _whole(at("history_months")),
            "monthly_revenue": _whole(at("monthly_revenue")),
            "share_percent": _one_decimal(_finite(at("value_share")) * 100),
            "percentile": _percent_whole(at("value_percentile")),
        }
        if code == BURR_REASON:
            numbers["margin_percent"] = _percent_whole(at("margin_rate"))
        return _object(n, **numbers)
    if code == CYCLICAL_REASON:
        bits = np.asarray(at("season_months"), dtype=np.int64) & 0xFFF
        return _object(
            n,
            months=pa.array(_SEASONS[bits], pa.string()),
            share_percent=_percent_whole(at("season_share")),
            recurrence_percent=_whole(np.clip(_finite(at("season_recurrence")) * 100, 0, 100)),
            years=_whole(at("season_years")),
        )
    if code == BELL_REASON:
        fall = np.asarray(at("fall_factor"), dtype=np.float64)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            now = np.where(np.isfinite(fall) & (fall > 0), 100 / fall, 0.0)
        return _object(
            n,
            rise_factor=_one_decimal(at("rise_factor")),
            peak_months=_whole(at("peak_offset")),
            now_percent=_whole(now),
        )
    quarterly = _percent_whole(np.abs(_finite(at("quarterly_change"))))
    if code == GROWTH_REASON:
        return _object(
            n,
            months=_whole(at("trend_months")),
            factor=_one_decimal(at("trend_factor")),
            quarterly_percent=quarterly,
        )
    if code == SHRINKING_REASON:
        return _object(
            n,
            months=_whole(at("trend_months")),
            now_percent=_percent_whole(at("trend_factor")),
            quarterly_percent=quarterly,
        )
    # steady, flat or within its swings
    return _object(
        n,
        months=_whole(at("trend_months")),
        change_percent=_whole((_finite(at("trend_factor")) - 1) * 100),
    )


def reason_code_index(judgement: Judgement) -> npt.NDArray[np.int64]:
    """Each customer's reason as an index into `REASON_CODES`."""
    value_type = judgement.value_type
    with np.errstate(invalid="ignore"):
        moved = np.abs(judgement.trend_factor - 1) >= STEADY_FLAT_MAX_CHANGE
    with_margin = judgement.has_cost & np.isfinite(judgement.margin_rate)
    kind: npt.NDArray[np.int64] = np.select(
        [
            judgement.orders == 0,
            value_type == INSUFFICIENT,
            (value_type == BURR) & with_margin,
            value_type == BURR,
            value_type == CYCLICAL,
            value_type == BELL,
            value_type == GROWTH,
            value_type == SHRINKING,
            (value_type == STEADY) & moved,
        ],
        [
            NO_ORDERS,
            INSUFFICIENT_HISTORY,
            BURR_REASON,
            BURR_NO_COST,
            CYCLICAL_REASON,
            BELL_REASON,
            GROWTH_REASON,
            SHRINKING_REASON,
            STEADY_SWINGS,
        ],
        STEADY_FLAT,
    ).astype(np.int64)
    return kind


def reasons(judgement: Judgement, config: ValueTypeConfig) -> tuple[pa.Array, pa.Array]:
    """Each customer's reason code and its numbers (a JSON object), row by row.

    Parameters
    ----------
    judgement
        The customers as `value_types.judge` found them.
    config
        The thresholds used; ``insufficient_history`` quotes the minimum history.

    Returns
    -------
    codes, values
        Two string arrays aligned with the judgement's rows.

    Examples
    --------
    >>> from dataclasses import fields
    >>> import numpy as np
    >>> from kundenbild.analytics.shapes.value_types import GROWTH, Judgement
    >>> columns = {
    ...     f.name: np.zeros(1, np.int64 if f.type == "IntArray" else np.float64)
    ...     for f in fields(Judgement)
    ...     if f.name != "has_cost"
    ... }
    >>> columns.update(
    ...     value_type=np.array([GROWTH]), orders=np.array([40]), trend_months=np.array([48]),
    ...     trend_factor=np.array([2.84]), quarterly_change=np.array([0.087]),
    ... )
    >>> codes, values = reasons(Judgement(**columns, has_cost=True), ValueTypeConfig())
    >>> codes[0].as_py(), values[0].as_py()
    ('growth', '{"months": 48, "factor": 2.8, "quarterly_percent": 9}')
    """
    kind = reason_code_index(judgement)
    codes = pc.take(pa.array(REASON_CODES, pa.string()), pa.array(kind))
    parts: list[pa.Array] = []
    rows: list[npt.NDArray[np.int64]] = []
    for code in range(len(REASON_CODES)):
        picked = np.flatnonzero(kind == code).astype(np.int64)
        if len(picked):
            parts.append(pa.array(_values(code, judgement, picked, config), pa.string()))
            rows.append(picked)
    if not parts:
        return codes, pa.array([], pa.string())
    values = pc.take(
        pa.concat_arrays(parts), pa.array(np.argsort(np.concatenate(rows), kind="stable"))
    )
    return codes, values
