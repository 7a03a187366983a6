"""Judge and forecast every customer of a book, chunk by chunk.

The engine hands over one row per customer and its months (`Book`); here they become
dense monthly arrays for chunks of customers, which are judged (`value_types`) and
forecast (`forecast`) side by side. The same pass serves the analysis itself and its
internal backtest (`forecast.calibration`), which needs no reasons and no monthly paths.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from kundenbild.analytics.arrays import column_numbers
from kundenbild.analytics.clv.purchase_models import DAYS_PER_MONTH, Histories, PurchaseModels
from kundenbild.analytics.config import AnalysisConfig
from kundenbild.analytics.forecast.calibration import Calibration, segments
from kundenbild.analytics.forecast.horizon import Horizon
from kundenbild.analytics.forecast.models import (
    MODELS,
    Forecasts,
    Purchases,
    Timing,
    forecast,
    portfolio_growth,
)
from kundenbild.analytics.shapes.history import MonthlyValues
from kundenbild.analytics.shapes.reasons import reasons
from kundenbild.analytics.shapes.value_types import judge, portfolio_of

Array = npt.NDArray[np.float64]
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Book:
    """One analysis' customers: `customers` from `periods.customer_table` (+ purchase
    history), `grid` from `periods.dense_index`, both in customer order."""

    customers: pa.Table
    grid: pa.Table
    as_of: date
    data_start: date
    has_cost: bool
    truncation_days: float  # first orders this close to the start were there before


@dataclass(frozen=True)
class Judged:
    """Per customer, over all chunks: what the table of results is made of."""

    value_type: npt.NDArray[np.int64]
    phase: npt.NDArray[np.int64]
    history_months: npt.NDArray[np.int64]
    segment: npt.NDArray[np.int64]
    new: npt.NDArray[np.bool_]
    exposure_months: Array
    p_alive: Array
    expected_orders: Array  # the purchase model's orders in the next 12 months
    models: dict[str, Array]  # every model at every mark
    default: Array
    low: Array
    high: Array
    reason_code: pa.ChunkedArray | None  # with `describe`
    reason_values: pa.ChunkedArray | None
    monthly: dict[str, Array]  # with `horizon.monthly`: revenue, low, high per month


def judge_book(
    book: Book,
    config: AnalysisConfig,
    purchase_models: PurchaseModels,
    horizon: Horizon,
    calibration: Calibration,
    *,
    describe: bool = True,
    progress: Progress | None = None,
) -> Judged:
    """Judge and forecast every customer of the book; with `describe`, their reasons."""
    customers, grid, as_of = book.customers, book.grid, book.as_of
    n = customers.num_rows
    row = np.asarray(grid.column("row").to_numpy(), dtype=np.int64)
    month = np.asarray(grid.column("month").to_numpy(), dtype=np.int64)
    measures = {name: column_numbers(grid, name) for name in ("revenue", "cost", "orders")}
    last_month = as_of.year * 12 + as_of.month - 1
    first_month = int(month.min()) if len(month) else last_month
    width = last_month - first_month + 1

    revenue_total = column_numbers(customers, "revenue")
    cost_total = column_numbers(customers, "cost")
    ordered = column_numbers(customers, "orders") > 0
    first_ordered = month_index(customers.column("first_order").combine_chunks())
    history = np.where(ordered, last_month - first_ordered + 1, 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(revenue_total > 0, (revenue_total - cost_total) / revenue_total, np.nan)
    enough = (history >= config.value_types.min_history_months) & ordered
    portfolio = portfolio_of(
        revenue_total / np.maximum(history, 1),
        rate if book.has_cost else np.full(n, np.nan),
        enough,
    )
    growth = portfolio_growth(
        _last_two_years(row, month, measures["revenue"], n, last_month),
        history.astype(np.float64),
        config.forecast.growth_portfolio_quantile,
    )
    revenue_12m = column_numbers(customers, "revenue_12m")
    exposure, new = exposure_months(customers, as_of, book.data_start, book.truncation_days)
    timing = Timing.of(as_of)
    data_months = min(12.0, ((as_of - book.data_start).days + 1) / DAYS_PER_MONTH)

    # the purchase models' integrals are the dearest part of a forecast: each only for the
    # customers whose forecast takes it (new customers, those without revenue in the last
    # year for their expected orders, the segments whose model it is); all to evaluate
    evaluating = horizon.evaluation is not None
    models = calibration.models()
    plain = np.array([evaluating or model in ("bgnbd", "cautious") for model in models])
    truncated = np.array([evaluating or model == "bgnbd_truncated" for model in models])

    # chunks of at most `chunk_customers`, evened out so that every worker gets as many
    workers = config.workers or os.cpu_count() or 1
    rounds = max(1, -(-n // (workers * max(config.chunk_customers, 1))))
    step = max(1, -(-n // (workers * rounds)))

    def judge_chunk(lo: int) -> dict[str, Any]:
        hi = min(lo + step, n)
        a, b = np.searchsorted(row, [lo, hi])
        cells = (row[a:b] - lo, month[a:b] - first_month)
        dense = {}
        for name, values in measures.items():
            dense[name] = np.zeros((hi - lo, width))
            dense[name][cells] = values[a:b]
        chunk = MonthlyValues(
            **dense, first_month_of_year=first_month % 12 + 1, has_cost=book.has_cost
        )
        rows = slice(lo, hi)
        p_alive = purchase_models.truncated.p_alive(rows)
        judgement = judge(
            chunk,
            portfolio,
            config.value_types,
            config.phases,
            p_alive if purchase_models.truncated.model is not None else None,
        )
        segment = segments(judgement.value_type, new[rows], judgement.history_months)
        purchases = Purchases(
            p_alive=p_alive,
            expected_orders=_orders(
                purchase_models.truncated,
                lo,
                truncated[segment] | new[rows] | (revenue_12m[rows] <= 0),
                horizon,
                purchase_models.unit_days,
            ),
            expected_orders_plain=_orders(
                purchase_models.plain, lo, plain[segment], horizon, purchase_models.unit_days
            ),
            order_value=purchase_models.order_value(rows),
            order_value_with_first=purchase_models.order_value_with_first(rows),
            revenue_12m=revenue_12m[rows],
            exposure_months=exposure[rows],
            new=new[rows],
            data_months=data_months,
            portfolio_growth=growth,
        )
        result = forecast(
            chunk,
            judgement,
            purchases,
            horizon.marks,
            timing,
            config.forecast,
            calibration,
            segment,
        )
        part: dict[str, Any] = {
            "judgement": judgement,
            "segment": segment,
            "forecasts": result,
            "p_alive": purchases.p_alive,
            "expected_orders": purchases.expected_orders[:, horizon.index(12.0)]
            if 12.0 in horizon.marks
            else np.full(hi - lo, np.nan),
        }
        if describe:
            part["reason"] = reasons(judgement, config.value_types)
        if horizon.monthly:
            part["monthly"] = _monthly(result, horizon)
        return part

    parts: list[dict[str, Any]] = []
    # customers are independent: chunks run side by side (NumPy releases the GIL)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for lo, part in zip(
            range(0, n, step), pool.map(judge_chunk, range(0, n, step)), strict=True
        ):
            parts.append(part)
            if progress:
                progress("judge", min(lo + step, n), n)
    return _joined(parts, n, horizon, exposure, new)


def _orders(
    histories: Histories,
    lo: int,
    needed: npt.NDArray[np.bool_],
    horizon: Horizon,
    unit_days: float,
) -> Array:
    """A purchase model's expected orders up to each mark where `needed` (NaN elsewhere)."""
    rows = np.flatnonzero(needed)
    result = np.full((len(needed), len(horizon.marks)), np.nan)
    if len(rows):
        result[rows] = histories.expected_orders(lo + rows, horizon.marks, unit_days)
    return result


def _joined(
    parts: list[dict[str, Any]], n: int, horizon: Horizon, exposure: Array, new: Any
) -> Judged:
    marks = len(horizon.marks)

    def cat(key: str, attribute: str | None = None, empty: Any = None) -> Any:
        if not parts:
            return np.zeros(0) if empty is None else empty
        if attribute is None:
            return np.concatenate([p[key] for p in parts])
        return np.concatenate([getattr(p[key], attribute) for p in parts])

    def models(name: str) -> Array:
        if not parts:
            return np.zeros((0, marks))
        return np.concatenate([p["forecasts"].models[name] for p in parts])

    def monthly(key: str) -> Array:
        return np.concatenate([p["monthly"][key] for p in parts]) if parts else np.zeros((0, 12))

    described = bool(parts) and "reason" in parts[0]
    no_ints = np.zeros(0, np.int64)
    no_marks = np.zeros((0, marks))
    return Judged(
        value_type=cat("judgement", "value_type", no_ints),
        phase=cat("judgement", "phase", no_ints),
        history_months=cat("judgement", "history_months", no_ints),
        segment=cat("segment", empty=no_ints),
        new=np.asarray(new, dtype=bool),
        exposure_months=exposure,
        p_alive=cat("p_alive"),
        expected_orders=cat("expected_orders"),
        models={name: models(name) for name in MODELS},
        default=cat("forecasts", "default", no_marks),
        low=cat("forecasts", "low", no_marks),
        high=cat("forecasts", "high", no_marks),
        reason_code=pa.chunked_array([p["reason"][0] for p in parts], pa.string())
        if described
        else None,
        reason_values=pa.chunked_array([p["reason"][1] for p in parts], pa.string())
        if described
        else None,
        monthly={key: monthly(key) for key in ("revenue", "low", "high")}
        if horizon.monthly
        else {},
    )


def _monthly(result: Forecasts, horizon: Horizon) -> dict[str, Array]:
    """The default forecast and its band per coming month (differences of the cumulative
    marks 1 to 12)."""
    months = [horizon.index(float(m)) for m in range(1, 13)]

    def per_month(cumulative: Array) -> Array:
        picked = cumulative[:, months]
        steps: Array = np.diff(np.concatenate([np.zeros((len(picked), 1)), picked], axis=1), axis=1)
        return steps

    path = per_month(result.default)
    # the band of each month is the band of the year, shared out like the forecast
    twelve = result.default[:, horizon.index(12.0)]
    with np.errstate(invalid="ignore", divide="ignore"):
        low_share = np.where(twelve > 0, result.low[:, horizon.index(12.0)] / twelve, 1.0)
        high_share = np.where(twelve > 0, result.high[:, horizon.index(12.0)] / twelve, 1.0)
    return {
        "revenue": path,
        "low": path * low_share[:, None],
        "high": path * high_share[:, None],
    }


def _last_two_years(
    row: npt.NDArray[np.int64], month: npt.NDArray[np.int64], revenue: Array, n: int, last: int
) -> Array:
    """Each customer's revenue in the 24 months up to the as-of month (customers × 24)."""
    inside = month > last - 24
    cell = row[inside] * 24 + month[inside] - (last - 23)
    dense = np.asarray(np.bincount(cell, revenue[inside], n * 24), dtype=np.float64)
    return dense.reshape(n, 24)


def month_index(dates: pa.Array) -> npt.NDArray[np.int64]:
    """year * 12 + month - 1 per date; -1 where there is none."""
    year = pc.fill_null(pc.year(dates), 0).to_numpy(zero_copy_only=False)
    month = pc.fill_null(pc.month(dates), 0).to_numpy(zero_copy_only=False)
    return np.asarray(year * 12 + month - 1, dtype=np.int64)


def exposure_months(
    customers: pa.Table, as_of: date, data_start: date, truncation_days: float
) -> tuple[Array, npt.NDArray[np.bool_]]:
    """Months of the last year in which each customer could be seen buying: from its
    first order, or from the start of the data if it was already a customer then
    (left-truncated), at most twelve; and whether it is new (first order within the last
    twelve months and not left-truncated)."""
    first = customers.column("first_order").combine_chunks()
    start_days = (data_start - date(1970, 1, 1)).days
    filled = pc.fill_null(first.cast(pa.date32()), pa.scalar(as_of, pa.date32()))
    first_days = np.asarray(filled.cast(pa.int32()).to_numpy(), dtype=np.int64)
    truncated = first_days - start_days < truncation_days
    since = np.where(truncated, start_days, first_days)
    days = (as_of - date(1970, 1, 1)).days - since + 1
    months = days / DAYS_PER_MONTH
    return np.minimum(months, 12.0), ~truncated & (months < 12.0)


def looks_truncated(customers: pa.Table, data_start: date) -> bool:
    """Whether the data look like an export cut off in the middle of its customers' lives:
    at least twice as many first orders in its first month as in any of the five after
    it (the customers who were there before). An acquisition cohort, or a book kept since
    its first customer, starts without such a crowd."""
    first = month_index(customers.column("first_order").combine_chunks())
    start = data_start.year * 12 + data_start.month - 1
    counts = np.bincount(np.clip(first[first >= start] - start, 0, 6), minlength=7)[:6]
    if counts[1:].sum() == 0:  # nobody came later: nothing tells the two apart
        return True
    return bool(counts[0] >= 2.0 * counts[1:].max())
