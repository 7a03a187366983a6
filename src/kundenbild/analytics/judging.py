"""Judge and forecast every customer of a book, chunk by chunk.

The engine hands over one row per customer and its months (`books.Book`); here they
become dense monthly arrays for chunks of customers, which are judged (`shapes`) and
forecast (`forecast`) side by side. The same pass serves the analysis itself and its
internal backtest (`calibration_from`), which needs no reasons and no monthly paths.
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

from kundenbild.analytics.arrays import column_numbers, month_index
from kundenbild.analytics.books import Book
from kundenbild.analytics.clv.purchase_models import (
    Histories,
    PurchaseModels,
    fit_purchase_models,
)
from kundenbild.analytics.config import AnalysisConfig
from kundenbild.analytics.forecast.calibration import Calibration, calibrate, segments
from kundenbild.analytics.forecast.horizon import Horizon
from kundenbild.analytics.forecast.models import (
    MODELS,
    Purchases,
    Timing,
    forecast,
    monthly_paths,
    portfolio_growth,
)
from kundenbild.analytics.shapes.history import MonthlyValues
from kundenbild.analytics.shapes.reasons import reasons
from kundenbild.analytics.shapes.value_types import Portfolio, judge, portfolio_of

Array = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Judged:
    """Per customer, over all chunks: what the table of results is made of."""

    value_type: IntArray
    phase: IntArray
    history_months: IntArray
    segment: IntArray
    new: BoolArray
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
    months = _Months.of(book)
    history, ordered = _history(book.customers, months.last)
    exposure, new = book.exposure_months()
    plain, truncated = _integrals_needed(horizon, calibration)
    task = _Pass(
        months=months,
        portfolio=_portfolio(book, history, ordered, config),
        growth=portfolio_growth(
            _last_two_years(months, book.customers.num_rows),
            history.astype(np.float64),
            config.forecast.growth_portfolio_quantile,
        ),
        purchase_models=purchase_models,
        horizon=horizon,
        calibration=calibration,
        config=config,
        revenue_12m=column_numbers(book.customers, "revenue_12m"),
        exposure=exposure,
        new=new,
        timing=Timing.of(book.as_of),
        data_months=book.data_months,
        plain=plain,
        truncated=truncated,
        describe=describe,
    )
    parts = _in_chunks(task, book.customers.num_rows, progress)
    return _joined(parts, book.customers.num_rows, horizon, exposure, new)


def calibration_from(
    backtest: Book, until: date, unit_days: float, config: AnalysisConfig
) -> Calibration:
    """Forecast the backtest's book from its as-of date (the origin) to `until`, and
    learn from what its customers bought in between (`forecast.calibration.calibrate`)."""
    at = backtest.as_of
    purchase_models = fit_purchase_models(
        backtest.customers,
        at,
        unit_days,
        data_start=backtest.data_start,
        truncation_days=backtest.truncation_days,
    )
    horizon = Horizon.of(at, config.forecast, until)
    judged = judge_book(
        backtest,
        config,
        purchase_models,
        horizon,
        Calibration.none(config.forecast),
        describe=False,
    )
    mark = horizon.index(horizon.evaluation or 12.0)
    return calibrate(
        at,
        until,
        judged.segment,
        {name: judged.models[name][:, mark] for name in MODELS},
        np.nan_to_num(column_numbers(backtest.customers, "actual_revenue")),
        config.forecast,
    )


@dataclass(frozen=True)
class _Months:
    """The book's months as NumPy: each cell's customer row and month index (year * 12 +
    month - 1), sorted by both, and its revenue, cost and orders."""

    row: IntArray
    month: IntArray
    measures: dict[str, Array]
    first: int  # the month of the first column: the data's first month
    last: int  # the as-of month
    has_cost: bool

    @classmethod
    def of(cls, book: Book) -> _Months:
        grid, as_of = book.grid, book.as_of
        month = np.asarray(grid.column("month").to_numpy(), dtype=np.int64)
        last = as_of.year * 12 + as_of.month - 1
        return cls(
            row=np.asarray(grid.column("row").to_numpy(), dtype=np.int64),
            month=month,
            measures={name: column_numbers(grid, name) for name in ("revenue", "cost", "orders")},
            first=int(month.min()) if len(month) else last,
            last=last,
            has_cost=book.has_cost,
        )

    def chunk(self, lo: int, hi: int) -> MonthlyValues:
        """Customers lo to hi - 1 as dense arrays, one column per month."""
        width = self.last - self.first + 1
        a, b = np.searchsorted(self.row, [lo, hi])
        cells = (self.row[a:b] - lo, self.month[a:b] - self.first)
        dense = {}
        for name, values in self.measures.items():
            dense[name] = np.zeros((hi - lo, width))
            dense[name][cells] = values[a:b]
        return MonthlyValues(
            **dense, first_month_of_year=self.first % 12 + 1, has_cost=self.has_cost
        )


@dataclass(frozen=True)
class _Pass:
    """One pass over a book: what every chunk of it is judged and forecast with."""

    months: _Months
    portfolio: Portfolio  # what each customer is compared with
    growth: float  # the portfolio's fast growers' last year / the year before
    purchase_models: PurchaseModels
    horizon: Horizon
    calibration: Calibration
    config: AnalysisConfig
    revenue_12m: Array
    exposure: Array
    new: BoolArray
    timing: Timing
    data_months: float
    plain: BoolArray  # per segment: whether its forecast needs the plain BG/NBD's orders
    truncated: BoolArray  # the same for the BG/NBD that knows left-truncated customers
    describe: bool


def _history(customers: pa.Table, last_month: int) -> tuple[IntArray, BoolArray]:
    """Months from each customer's first order to the as-of month (0 without orders),
    and whether it ordered at all."""
    ordered = column_numbers(customers, "orders") > 0
    first_ordered = month_index(customers.column("first_order").combine_chunks())
    history: IntArray = np.where(ordered, last_month - first_ordered + 1, 0)
    return history, ordered


def _portfolio(
    book: Book, history: IntArray, ordered: BoolArray, config: AnalysisConfig
) -> Portfolio:
    """The customers with enough history to judge, whom each customer is compared with,
    from the engine's totals (every chunk compares with the same portfolio)."""
    revenue_total = column_numbers(book.customers, "revenue")
    cost_total = column_numbers(book.customers, "cost")
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(revenue_total > 0, (revenue_total - cost_total) / revenue_total, np.nan)
    enough = (history >= config.value_types.min_history_months) & ordered
    return portfolio_of(
        revenue_total / np.maximum(history, 1),
        rate if book.has_cost else np.full(book.customers.num_rows, np.nan),
        enough,
    )


def _integrals_needed(horizon: Horizon, calibration: Calibration) -> tuple[BoolArray, BoolArray]:
    """Per segment, whether its forecast needs the plain and the left-truncated BG/NBD's
    expected orders. Their integrals are the dearest part of a forecast: each is computed
    only for the customers whose forecast takes it (new customers, those without revenue
    in the last year for their expected orders, the segments whose model it is); all of
    them to evaluate."""
    evaluating = horizon.evaluation is not None
    models = calibration.models()
    plain = np.array([evaluating or model in ("bgnbd", "cautious") for model in models])
    truncated = np.array([evaluating or model == "bgnbd_truncated" for model in models])
    return plain, truncated


def _in_chunks(task: _Pass, n: int, progress: Progress | None) -> list[dict[str, Any]]:
    """Every chunk judged, in customer order. Chunks hold at most `chunk_customers`,
    evened out so that every worker gets as many; customers are independent, so chunks
    run side by side (NumPy releases the GIL)."""
    workers = task.config.workers or os.cpu_count() or 1
    rounds = max(1, -(-n // (workers * max(task.config.chunk_customers, 1))))
    step = max(1, -(-n // (workers * rounds)))
    starts = range(0, n, step)
    parts: list[dict[str, Any]] = []
    with ThreadPoolExecutor(max_workers=workers) as pool:
        judged = pool.map(lambda lo: _judge_chunk(task, lo, min(lo + step, n)), starts)
        for lo, part in zip(starts, judged, strict=True):
            parts.append(part)
            if progress:
                progress("judge", min(lo + step, n), n)
    return parts


def _judge_chunk(task: _Pass, lo: int, hi: int) -> dict[str, Any]:
    """Customers lo to hi - 1: their judgement, segment and forecasts (and reasons and
    monthly paths where wanted)."""
    config, horizon, models = task.config, task.horizon, task.purchase_models
    values = task.months.chunk(lo, hi)
    rows = slice(lo, hi)
    p_alive = models.truncated.p_alive(rows)
    judgement = judge(
        values,
        task.portfolio,
        config.value_types,
        config.phases,
        p_alive if models.truncated.model is not None else None,
    )
    segment = segments(judgement.value_type, task.new[rows], judgement.history_months)
    purchases = _purchases(task, lo, hi, segment, p_alive)
    result = forecast(
        values,
        judgement,
        purchases,
        horizon.marks,
        task.timing,
        config.forecast,
        task.calibration,
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
    if task.describe:
        part["reason"] = reasons(judgement, config.value_types)
    if horizon.monthly:
        part["monthly"] = monthly_paths(result, horizon)
    return part


def _purchases(task: _Pass, lo: int, hi: int, segment: IntArray, p_alive: Array) -> Purchases:
    """What the purchase models say about customers lo to hi - 1, each model's expected
    orders only where their forecast takes them (`_integrals_needed`)."""
    models, rows = task.purchase_models, slice(lo, hi)
    new, revenue_12m = task.new[rows], task.revenue_12m[rows]
    return Purchases(
        p_alive=p_alive,
        expected_orders=_orders(
            models.truncated,
            lo,
            task.truncated[segment] | new | (revenue_12m <= 0),
            task.horizon,
            models.unit_days,
        ),
        expected_orders_plain=_orders(
            models.plain, lo, task.plain[segment], task.horizon, models.unit_days
        ),
        order_value=models.order_value(rows),
        order_value_with_first=models.order_value_with_first(rows),
        revenue_12m=revenue_12m,
        exposure_months=task.exposure[rows],
        new=new,
        data_months=task.data_months,
        portfolio_growth=task.growth,
    )


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


def _last_two_years(months: _Months, n: int) -> Array:
    """Each customer's revenue in the 24 months up to the as-of month (customers × 24)."""
    row, month, last = months.row, months.month, months.last
    inside = month > last - 24
    cell = row[inside] * 24 + month[inside] - (last - 23)
    revenue = months.measures["revenue"][inside]
    dense = np.asarray(np.bincount(cell, revenue, n * 24), dtype=np.float64)
    return dense.reshape(n, 24)
