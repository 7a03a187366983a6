"""Run the whole analysis: lines → days → months (engine) → judgements (NumPy) → result.

The engine (Ibis over DuckDB) reads the lines once into a customer × day table; months
come from that table. Customers are then judged in chunks of dense monthly arrays, so
memory stays bounded by the chunk size; the chunk function could run inside Spark's
`mapInArrow` unchanged, because customers are independent given the portfolio medians.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb
import ibis
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from kundenbild.analytics.config import AnalysisConfig
from kundenbild.analytics.lines import LinesError, LineSource
from kundenbild.analytics.periods import daily_table, period_table
from kundenbild.analytics.portfolio import abc_classes
from kundenbild.analytics.reasons import reasons
from kundenbild.analytics.value_types import (
    INSUFFICIENT,
    PHASES,
    VALUE_TYPES,
    MonthlyValues,
    judge,
    portfolio_of,
)

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class AnalysisResult:
    table: pa.Table  # one row per customer
    as_of: date
    lines: int
    config: AnalysisConfig

    def model(self) -> dict[str, Any]:
        """What the result was computed with (written by `--model-output`)."""
        return {
            "as_of": self.as_of.isoformat(),
            "lines": self.lines,
            "config": self.config.to_dict(),
        }


def analyze_source(
    source: LineSource,
    *,
    as_of: date | None = None,
    config: AnalysisConfig | None = None,
    language: str = "de",
    progress: Progress | None = None,
) -> AnalysisResult:
    """Analyse the lines of files (CSV, Excel, Parquet), read once as a stream."""
    source.check_files()
    return analyze_lines(
        source.reader(),
        as_of=as_of,
        config=config,
        language=language,
        progress=progress,
        has_cost=lambda: source.has_cost,
    )


def analyze_lines(
    lines: pa.Table | pa.RecordBatchReader,
    *,
    as_of: date | None = None,
    config: AnalysisConfig | None = None,
    language: str = "de",
    progress: Progress | None = None,
    has_cost: Callable[[], bool] = lambda: True,
) -> AnalysisResult:
    """Analyse lines in `lines.LINE_SCHEMA` (an Arrow table, or a reader consumed once).

    `has_cost` is asked after the lines are read, because a stream learns only while
    reading whether every file carried costs.
    """
    config = config or AnalysisConfig()
    con = duckdb.connect()
    try:
        backend = ibis.duckdb.from_connection(con)
        con.register("lines", lines)
        if progress:
            progress("read", 0, 1)
        try:
            days = backend.create_table("days", daily_table(backend.table("lines")), temp=True)
        except duckdb.Error as error:
            cause = error.__cause__ or error.__context__
            if isinstance(cause, LinesError):
                raise cause from None
            raise LinesError(_engine_message(error)) from None
        if progress:
            progress("read", 1, 1)
        totals = days.aggregate(last_day=days.day.max(), lines=days.lines.sum()).to_pyarrow()
        totals = totals.to_pylist()[0]
        if totals["last_day"] is None:
            raise LinesError("the files hold no lines")
        as_of = as_of or totals["last_day"]
        months = period_table(days, as_of=as_of, unit="month").order_by(["customer", "period"])
        monthly = months.to_pyarrow()
    finally:
        con.close()
    table = _judge_all(monthly, as_of, has_cost(), config, language, progress)
    return AnalysisResult(table=table, as_of=as_of, lines=int(totals["lines"]), config=config)


def _engine_message(error: Exception) -> str:
    text = str(error)
    for marker in ("LinesError: ", "Exception: "):
        if marker in text:
            return text.split(marker, 1)[1].strip()
    return text


def _month_index(dates: pa.Array) -> np.ndarray:
    return np.asarray(pc.year(dates).to_numpy() * 12 + pc.month(dates).to_numpy() - 1).astype(
        np.int64
    )


def _judge_all(
    monthly: pa.Table,
    as_of: date,
    has_cost: bool,
    config: AnalysisConfig,
    language: str,
    progress: Progress | None,
) -> pa.Table:
    customers_sorted = monthly.column("customer").combine_chunks().dictionary_encode()
    index = customers_sorted.indices.to_numpy().astype(np.int64)
    names = customers_sorted.dictionary
    n = len(names)
    month = _month_index(monthly.column("period").combine_chunks()) if n else np.zeros(0, np.int64)
    first_month = int(month.min()) if n else as_of.year * 12 + as_of.month - 1
    last_month = as_of.year * 12 + as_of.month - 1
    width = last_month - first_month + 1

    def per_customer(column: str) -> np.ndarray:
        values = np.nan_to_num(
            monthly.column(column).to_numpy(zero_copy_only=False).astype(np.float64)
        )
        return np.bincount(index, weights=values, minlength=n)

    revenue_total = per_customer("revenue")
    cost_total = per_customer("cost")
    orders_total = per_customer("orders")
    first_order = _first_per_customer(monthly, index, n, "first_order", np.minimum)
    last_order = _first_per_customer(monthly, index, n, "last_order", np.maximum)
    ordered = orders_total > 0
    first_ordered = np.full(n, last_month)
    with_orders = monthly.column("orders").to_numpy() > 0
    np.minimum.at(first_ordered, index[with_orders], month[with_orders])
    history = np.where(ordered, last_month - first_ordered + 1, 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(revenue_total > 0, (revenue_total - cost_total) / revenue_total, np.nan)
    enough = (history >= config.value_types.min_history_months) & ordered
    portfolio = portfolio_of(
        revenue_total / np.maximum(history, 1), rate if has_cost else np.full(n, np.nan), enough
    )

    value_type = np.zeros(n, dtype=np.int64)
    phase = np.zeros(n, dtype=np.int64)
    reason_de: list[pa.Array] = []
    reason_en: list[pa.Array] = []
    step = max(config.chunk_customers, 1)
    for lo in range(0, n, step):
        hi = min(lo + step, n)
        a, b = np.searchsorted(index, [lo, hi])
        rows = slice(int(a), int(b))
        chunk = _dense(monthly, rows, index[rows] - lo, month[rows] - first_month, hi - lo, width)
        values = MonthlyValues(*chunk, first_month_of_year=first_month % 12 + 1, has_cost=has_cost)
        judgement = judge(values, portfolio, config.value_types, config.phases)
        value_type[lo:hi] = judgement.value_type
        phase[lo:hi] = judgement.phase
        reason_de.append(reasons(judgement, config.value_types, "de"))
        reason_en.append(reasons(judgement, config.value_types, "en"))
        if progress:
            progress("judge", hi, n)

    revenue_12m = per_customer("revenue_12m")
    margin_12m = revenue_12m - per_customer("cost_12m")
    de = pa.chunked_array(reason_de, pa.string()) if reason_de else pa.array([], pa.string())
    en = pa.chunked_array(reason_en, pa.string()) if reason_en else pa.array([], pa.string())
    margin_column = pa.array(np.round(margin_12m, 2)) if has_cost else pa.nulls(n, pa.float64())
    return pa.table(
        {
            "customer_id": names,
            "value_type": pa.array(np.array(VALUE_TYPES, dtype=object)[value_type], pa.string()),
            "lifecycle_phase": pa.array(np.array(PHASES, dtype=object)[phase], pa.string()),
            "value_type_reason": de if language == "de" else en,
            "value_type_reason_de": de,
            "value_type_reason_en": en,
            "revenue_12m": pa.array(np.round(revenue_12m, 2)),
            "contribution_margin_12m": margin_column,
            "abc_revenue": pa.array(
                abc_classes(revenue_12m, config.abc_a_share, config.abc_b_share)
            ),
            "abc_margin": pa.array(abc_classes(margin_12m, config.abc_a_share, config.abc_b_share))
            if has_cost
            else pa.nulls(n, pa.string()),
            "first_order": first_order,
            "last_order": last_order,
            "orders_12m": pa.array(per_customer("orders_12m").astype(np.int64)),
            "orders_total": pa.array(orders_total.astype(np.int64)),
            "revenue_total": pa.array(np.round(revenue_total, 2)),
            "has_shape": pa.array(value_type != INSUFFICIENT),
        }
    )


def _first_per_customer(
    monthly: pa.Table, index: np.ndarray, n: int, column: str, reduce: Any
) -> pa.Array:
    days = monthly.column(column).combine_chunks()
    present = days.is_valid().to_numpy(zero_copy_only=False)
    raw = pc.cast(days, pa.int32()).to_numpy(zero_copy_only=False)
    start = np.iinfo(np.int32).max if reduce is np.minimum else np.iinfo(np.int32).min
    out = np.full(n, start, dtype=np.int64)
    reduce.at(out, index[present], raw[present].astype(np.int64))
    missing = np.abs(out) >= np.iinfo(np.int32).max - 1
    return pc.cast(pa.array(np.where(missing, 0, out).astype(np.int32), mask=missing), pa.date32())


def _dense(
    monthly: pa.Table, rows: slice, customer: np.ndarray, month: np.ndarray, n: int, width: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    out = []
    for column in ("revenue", "cost", "orders"):
        grid = np.zeros((n, width))
        values = monthly.column(column).slice(rows.start, rows.stop - rows.start)
        grid[customer, month] = np.nan_to_num(
            values.to_numpy(zero_copy_only=False).astype(np.float64)
        )
        out.append(grid)
    return out[0], out[1], out[2]
