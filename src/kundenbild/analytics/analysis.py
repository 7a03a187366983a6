"""Run the whole analysis: lines → orders → months (engine) → judgements (NumPy) → result.

The engine (Ibis over DuckDB) aggregates the lines by order and then by customer and
month: a scan of files in one query, a one-pass stream through a materialised order
table. Customers are then judged in chunks of dense monthly arrays, so memory stays
bounded by the chunk size; the chunk function could run inside Spark's `mapInArrow`
unchanged, because customers are independent given the portfolio medians.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import ibis
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from kundenbild.analytics.arrays import column_numbers
from kundenbild.analytics.config import AnalysisConfig
from kundenbild.analytics.forecast import (
    MODELS,
    Purchases,
    Timing,
    forecast,
    lifetime_value,
)
from kundenbild.analytics.forecast import margin_rate as forecast_margin_rate
from kundenbild.analytics.lines import LinesError, LineSource
from kundenbild.analytics.periods import (
    actual_table,
    customer_table,
    dense_index,
    invoice_table,
    period_table,
    purchase_table,
    value_over_time_sql,
)
from kundenbild.analytics.portfolio import abc_classes
from kundenbild.analytics.purchase_models import (
    DAYS_PER_MONTH,
    UNIT_DAYS,
    Horizon,
    PurchaseModels,
    as_of_month_fraction,
    fit_purchase_models,
)
from kundenbild.analytics.reasons import reasons
from kundenbild.analytics.scan import Scan, scan_sql
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
class PeriodsOutput:
    """Where to write the value over time, and in which unit (week, month, quarter)."""

    path: Path
    unit: str = "month"
    parquet: bool = False  # else CSV; not read from `path`, which may be a temporary name

    def write(self, con: duckdb.DuckDBPyConnection, table: Any, as_of: date) -> None:
        """Write the value over time from `table`, the period table in `self.unit`."""
        sql = value_over_time_sql(
            str(ibis.to_sql(table, dialect="duckdb")), as_of=as_of, unit=self.unit
        )
        form = "PARQUET" if self.parquet else "CSV, HEADER"
        target = "'" + str(self.path).replace("'", "''") + "'"
        con.execute(f"COPY ({sql}) TO {target} (FORMAT {form})")


@dataclass(frozen=True)
class AnalysisResult:
    table: pa.Table  # one row per customer
    as_of: date
    lines: int
    config: AnalysisConfig
    purchase_models: PurchaseModels
    time_unit: str = "month"
    # with an evaluation: its last day (the data may end before the horizon), and the
    # revenue of all customers in it, including those new after the as-of date
    evaluated_until: date | None = None
    actual_total_revenue: float | None = None
    lines_without_customer: int = 0  # left out (LineSource.skip_without_customer)
    # with monthly_forecast: customer_id, month (1-12 after as_of), revenue, low, high
    forecast_paths: pa.Table | None = None

    def model(self) -> dict[str, Any]:
        """What the result was computed with (written by `--model-output`): the as-of
        date, the configuration, and the fitted purchase models (in `time_unit`)."""
        return {
            "as_of": self.as_of.isoformat(),
            "lines": self.lines,
            "lines_without_customer": self.lines_without_customer,
            "time_unit": self.time_unit,
            **self.purchase_models.as_dict(),
            "config": self.config.to_dict(),
        }


def analyze_source(
    source: LineSource,
    *,
    as_of: date | None = None,
    config: AnalysisConfig | None = None,
    language: str = "de",
    progress: Progress | None = None,
    periods: PeriodsOutput | None = None,
    time_unit: str = "month",
    evaluate_until: date | None = None,
) -> AnalysisResult:
    """Analyse the lines of files (CSV, Excel, Parquet).

    Clean Parquet and UTF-8 CSV files are scanned by the engine directly (`scan`); if a
    line is bad, or a file needs it, they are read through the checked stream instead,
    which names the first bad row.
    """
    source.check_files()
    scan = scan_sql(
        source.paths, source.dialect, skip_without_customer=source.skip_without_customer
    )
    if scan is not None:
        try:
            return analyze_lines(
                scan,
                as_of=as_of,
                config=config,
                language=language,
                progress=progress,
                has_cost=lambda: scan.has_cost,
                periods=periods,
                time_unit=time_unit,
                evaluate_until=evaluate_until,
            )
        except _ScanRefusedError:
            pass
    return analyze_lines(
        source.reader(),
        as_of=as_of,
        config=config,
        language=language,
        progress=progress,
        has_cost=lambda: source.has_cost,
        periods=periods,
        time_unit=time_unit,
        evaluate_until=evaluate_until,
    )


class _ScanRefusedError(Exception):
    """The direct scan met a bad line or could not parse a file: use the checked stream."""


def analyze_lines(
    lines: pa.Table | pa.RecordBatchReader | Scan,
    *,
    as_of: date | None = None,
    config: AnalysisConfig | None = None,
    language: str = "de",
    progress: Progress | None = None,
    has_cost: Callable[[], bool] = lambda: True,
    periods: PeriodsOutput | None = None,
    time_unit: str = "month",
    evaluate_until: date | None = None,
    monthly_forecast: bool = False,
) -> AnalysisResult:
    """Analyse lines in `lines.LINE_SCHEMA`: an Arrow table, a reader consumed once, or
    the engine's scan of files (`scan.scan_sql`).

    `has_cost` is asked after the lines are read, because a stream learns only while
    reading whether every file carried costs. With `periods`, the value over time (every
    customer's periods in the chosen unit, zero where nothing was bought) is written too.
    `time_unit` is the purchase models' unit of time (it changes alpha, not forecasts).
    With `evaluate_until`, the lines after the as-of date are the yardstick: the table
    gains every model's forecast up to that day and what really happened
    (`evaluation.py`). With `monthly_forecast`, `forecast_paths` holds each customer's
    forecast for every month of the coming year with a band (the app's value chart).
    """
    config = config or AnalysisConfig()
    con = duckdb.connect()
    try:
        backend = ibis.duckdb.from_connection(con)
        if progress:
            progress("read", 0, 1)
        if isinstance(lines, Scan):
            con.execute(f"CREATE TEMPORARY VIEW lines AS {lines.sql}")
            as_of, invoices = _scanned_orders(backend, as_of)
        else:
            con.register("lines", lines)
            as_of, invoices = _streamed_orders(backend, as_of)
        anonymous = invoices.filter(invoices.customer.isnull())
        skipped = int(_scalar(backend, anonymous.lines.sum()) or 0)
        invoices = invoices.filter(invoices.customer.notnull())
        months = backend.create_table(
            "months", period_table(invoices, as_of=as_of, unit="month"), temp=True
        )
        if progress:
            progress("read", 1, 1)
        counted = _scalar(backend, months.lines.sum())
        data_start = _scalar(backend, invoices.day.min())
        if evaluate_until is not None:
            evaluate_until, actual_total = _evaluation_window(
                backend, invoices, as_of, evaluate_until
            )
        customers = _arrow(con, _customers(invoices, months, as_of, evaluate_until))
        grid = _arrow(con, dense_index(months))
        if periods is not None:
            periods.write(con, period_table(invoices, as_of=as_of, unit=periods.unit), as_of)
    finally:
        con.close()
    horizon = Horizon.of(as_of, config.forecast, evaluate_until, monthly=monthly_forecast)
    purchase_models = fit_purchase_models(
        customers,
        as_of,
        UNIT_DAYS[time_unit],
        data_start=data_start,
        truncation_days=config.value_types.left_truncation_months * DAYS_PER_MONTH,
    )
    table, paths = _judge_all(
        customers,
        grid,
        as_of,
        data_start or as_of,
        has_cost(),
        config,
        language,
        progress,
        purchase_models,
        horizon,
    )
    return AnalysisResult(
        table=table,
        as_of=as_of,
        lines=int(counted or 0),
        config=config,
        purchase_models=purchase_models,
        time_unit=time_unit,
        evaluated_until=evaluate_until,
        actual_total_revenue=actual_total if evaluate_until is not None else None,
        lines_without_customer=skipped,
        forecast_paths=paths,
    )


PeriodsOf = Callable[[str], Any]  # time unit -> the period table in that unit


def _scanned_orders(backend: Any, as_of: date | None) -> tuple[date, Any]:
    """A scan is aggregated into the order table in one query, checking every line's
    `bad` flag on the way; the as-of date defaults to the last order day. The order key
    itself is not kept: every later step counts orders, none looks one up, and the key
    strings were a tenth of the memory."""
    try:
        invoices = backend.create_table(
            "invoices", invoice_table(backend.table("lines")).drop("order"), temp=True
        )
        bad = _scalar(backend, invoices.bad_lines.sum())
        last = _scalar(backend, invoices.day.max())
    except duckdb.Error:
        raise _ScanRefusedError from None
    if bad or last is None:
        raise _ScanRefusedError  # let the checked stream name the bad line
    return as_of or last, invoices


def _streamed_orders(backend: Any, as_of: date | None) -> tuple[date, Any]:
    """A stream is read once, into the order table that every unit comes from."""
    try:
        invoices = backend.create_table(
            "invoices", invoice_table(backend.table("lines")).drop("order"), temp=True
        )
    except duckdb.Error as error:
        cause = error.__cause__ or error.__context__
        if isinstance(cause, LinesError):
            raise cause from None
        raise LinesError(_engine_message(error)) from None
    last = _scalar(backend, invoices.day.max())
    if last is None:
        raise LinesError("the files hold no lines")
    return as_of or last, invoices


def _evaluation_window(backend: Any, invoices: Any, as_of: date, until: date) -> tuple[date, float]:
    """The evaluation ends at `until` or at the last day of the data, if that is earlier."""
    last = _scalar(backend, invoices.day.max())
    end = min(until, last)
    if end <= as_of:
        raise LinesError(f"the files hold no lines after {as_of.isoformat()} to compare with")
    window = invoices.filter((invoices.day > as_of) & (invoices.day <= end))
    return end, float(_scalar(backend, window.revenue.sum()) or 0.0)


def _customers(invoices: Any, months: Any, as_of: date, evaluate_until: date | None) -> Any:
    """Per customer, in customer order: the totals of `customer_table`, the purchase
    history of `purchase_table`, and with `evaluate_until` what happened after as_of."""
    table = customer_table(months)
    purchases = purchase_table(invoices, as_of=as_of)
    table = table.left_join(purchases, "customer").drop("customer_right")
    if evaluate_until is not None:
        actual = actual_table(invoices, after=as_of, until=evaluate_until)
        table = table.left_join(actual, "customer").drop("customer_right")
    return table.order_by("customer")


def _arrow(con: duckdb.DuckDBPyConnection, expr: Any) -> pa.Table:
    """The expression's result as Arrow, straight from DuckDB rather than through Ibis'
    own result conversion."""
    table: pa.Table = con.sql(str(ibis.to_sql(expr, dialect="duckdb"))).to_arrow_table()
    return table


def _scalar(backend: Any, expr: Any) -> Any:
    return _arrow(backend.con, expr.name("value"))[0][0].as_py()


def _engine_message(error: Exception) -> str:
    text = str(error)
    for marker in ("LinesError: ", "Exception: "):
        if marker in text:
            return text.split(marker, 1)[1].strip()
    return text


def _month_index(dates: pa.Array) -> np.ndarray:
    """year * 12 + month - 1 per date; -1 where there is none."""
    year = pc.fill_null(pc.year(dates), 0).to_numpy(zero_copy_only=False)
    month = pc.fill_null(pc.month(dates), 0).to_numpy(zero_copy_only=False)
    return np.asarray(year * 12 + month - 1, dtype=np.int64)


def _judge_all(
    customers: pa.Table,
    grid: pa.Table,
    as_of: date,
    data_start: date,
    has_cost: bool,
    config: AnalysisConfig,
    language: str,
    progress: Progress | None,
    purchase_models: PurchaseModels,
    horizon: Horizon,
) -> tuple[pa.Table, pa.Table | None]:
    n = customers.num_rows
    row = np.asarray(grid.column("row").to_numpy(), dtype=np.int64)
    month = np.asarray(grid.column("month").to_numpy(), dtype=np.int64)
    measures = {name: column_numbers(grid, name) for name in ("revenue", "cost", "orders")}
    last_month = as_of.year * 12 + as_of.month - 1
    first_month = int(month.min()) if len(month) else last_month
    width = last_month - first_month + 1

    revenue_total = column_numbers(customers, "revenue")
    cost_total = column_numbers(customers, "cost")
    orders_total = column_numbers(customers, "orders")
    ordered = orders_total > 0
    first_ordered = _month_index(customers.column("first_order").combine_chunks())
    history = np.where(ordered, last_month - first_ordered + 1, 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(revenue_total > 0, (revenue_total - cost_total) / revenue_total, np.nan)
    enough = (history >= config.value_types.min_history_months) & ordered
    portfolio = portfolio_of(
        revenue_total / np.maximum(history, 1), rate if has_cost else np.full(n, np.nan), enough
    )
    revenue_12m = column_numbers(customers, "revenue_12m")
    orders_12m = column_numbers(customers, "orders_12m")
    exposure, new = _exposure_months(customers, as_of, data_start, config)
    timing = Timing(
        as_of_month_fraction=as_of_month_fraction(as_of),
        as_of_month_of_year=as_of.month,
    )
    models = ("default", *MODELS) if horizon.evaluation is not None else ("default",)
    # the papers' BG/NBD only forecasts for an evaluation or where it is a type's default
    needs_plain = horizon.evaluation is not None or any(
        config.forecast.model_for(name) == "bgnbd" for name in VALUE_TYPES
    )

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
        chunk = MonthlyValues(**dense, first_month_of_year=first_month % 12 + 1, has_cost=has_cost)
        judgement = judge(chunk, portfolio, config.value_types, config.phases)
        rows = slice(lo, hi)
        purchases = Purchases(
            p_alive=purchase_models.truncated.p_alive(rows),
            expected_orders=purchase_models.truncated.expected_orders(
                rows, horizon.marks, purchase_models.unit_days
            ),
            expected_orders_plain=purchase_models.plain.expected_orders(
                rows, horizon.marks, purchase_models.unit_days
            )
            if needs_plain
            else np.full((hi - lo, len(horizon.marks)), np.nan),
            order_value=purchase_models.order_value(rows),
            order_value_with_first=purchase_models.order_value_with_first(rows),
            revenue_12m=revenue_12m[rows],
            exposure_months=exposure[rows],
            new=new[rows],
            data_months=min(12.0, ((as_of - data_start).days + 1) / DAYS_PER_MONTH),
        )
        forecasts = forecast(chunk, judgement, purchases, horizon.marks, timing, config.forecast)
        monthly = {}
        if horizon.monthly:
            monthly = _monthly_band(chunk.revenue, forecasts["default"], horizon)
        return {
            **monthly,
            "judgement": judgement,
            "de": reasons(judgement, config.value_types, "de"),
            "en": reasons(judgement, config.value_types, "en"),
            "p_alive": purchases.p_alive,
            "expected_orders": _orders_or_run_rate(
                purchases.expected_orders[:, horizon.index(12.0)],
                orders_12m[rows],
                purchases.data_months,
            ),
            **{name: forecasts[name] for name in models},
        }

    parts: list[dict[str, Any]] = []
    # customers are independent: chunks run side by side (NumPy releases the GIL)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for lo, part in zip(
            range(0, n, step), pool.map(judge_chunk, range(0, n, step)), strict=True
        ):
            parts.append(part)
            if progress:
                progress("judge", min(lo + step, n), n)

    def joined(key: str) -> np.ndarray:
        if not parts:
            return np.zeros((0, len(horizon.marks))) if key in models else np.zeros(0)
        return np.concatenate([part[key] for part in parts])

    value_type = (
        np.concatenate([p["judgement"].value_type for p in parts])
        if parts
        else np.zeros(0, np.int64)
    )
    phase = (
        np.concatenate([p["judgement"].phase for p in parts]) if parts else np.zeros(0, np.int64)
    )
    de = (
        pa.chunked_array([p["de"] for p in parts], pa.string())
        if parts
        else pa.array([], pa.string())
    )
    en = (
        pa.chunked_array([p["en"] for p in parts], pa.string())
        if parts
        else pa.array([], pa.string())
    )

    margin_12m = revenue_12m - column_numbers(customers, "cost_12m")
    margin_rate = forecast_margin_rate(revenue_total, cost_total, orders_total, config.forecast)
    default = joined("default")
    forecast_12m = default[:, horizon.index(12.0)]
    yearly = np.diff(
        np.concatenate(
            [
                np.zeros((n, 1)),
                default[:, [horizon.index(12.0 * y) for y in range(1, horizon.clv_years + 1)]],
            ],
            axis=1,
        ),
        axis=1,
    )
    clv = lifetime_value(yearly * margin_rate[:, None], config.forecast.discount_rate)

    def money(values: np.ndarray, *, margin: bool = False) -> pa.Array:
        if margin and not has_cost:
            return pa.nulls(n, pa.float64())
        return pa.array(np.round(values, 2), pa.float64())

    columns: dict[str, Any] = {
        "customer_id": customers.column("customer"),
        "value_type": pa.array(np.array(VALUE_TYPES, dtype=object)[value_type], pa.string()),
        "lifecycle_phase": pa.array(np.array(PHASES, dtype=object)[phase], pa.string()),
        "value_type_reason": de if language == "de" else en,
        "value_type_reason_de": de,
        "value_type_reason_en": en,
        "revenue_12m": money(revenue_12m),
        "contribution_margin_12m": money(margin_12m, margin=True),
        "abc_revenue": pa.array(abc_classes(revenue_12m, config.abc_a_share, config.abc_b_share)),
        "abc_margin": pa.array(abc_classes(margin_12m, config.abc_a_share, config.abc_b_share))
        if has_cost
        else pa.nulls(n, pa.string()),
        "first_order": customers.column("first_order"),
        "last_order": customers.column("last_order"),
        "orders_12m": pa.array(column_numbers(customers, "orders_12m").astype(np.int64)),
        "orders_total": pa.array(orders_total.astype(np.int64)),
        "revenue_total": pa.array(np.round(revenue_total, 2)),
        "has_shape": pa.array(value_type != INSUFFICIENT),
        "forecast_revenue_12m": money(forecast_12m),
        "forecast_margin_12m": money(forecast_12m * margin_rate, margin=True),
        "p_alive": pa.array(np.round(joined("p_alive"), 4), pa.float64()),
        "expected_orders_12m": pa.array(
            np.round(
                _expected_orders(
                    joined("expected_orders"), forecast_12m, revenue_12m, orders_12m, exposure, new
                ),
                3,
            ),
            pa.float64(),
        ),
        "clv": money(clv, margin=True),
    }
    if horizon.evaluation is not None:
        at = horizon.index(horizon.evaluation)
        for name in models:
            columns[f"forecast_{name}"] = money(joined(name)[:, at])
        columns["actual_revenue"] = money(column_numbers(customers, "actual_revenue"))
        columns["actual_margin"] = money(
            column_numbers(customers, "actual_revenue") - column_numbers(customers, "actual_cost"),
            margin=True,
        )
        columns["actual_orders"] = pa.array(
            column_numbers(customers, "actual_orders").astype(np.int64)
        )
    paths = None
    if horizon.monthly:
        paths = pa.table(
            {
                "customer_id": pa.array(
                    np.repeat(np.asarray(customers.column("customer").to_pylist(), object), 12),
                    pa.string(),
                ),
                "month": pa.array(np.tile(np.arange(1, 13), n), pa.int32()),
                **{
                    key: pa.array(np.round(joined(key).reshape(-1), 2), pa.float64())
                    for key in ("revenue", "low", "high")
                },
            }
        )
    return pa.table(columns), paths


def _monthly_band(revenue: np.ndarray, default: np.ndarray, horizon: Horizon) -> dict[str, Any]:
    """The default forecast per coming month, and a band of plus or minus 1.28 standard
    deviations of the customer's own monthly revenue over the last year (since its first
    order): the range 8 of 10 months would fall in if months vary as they did."""
    cumulative = default[:, [horizon.index(float(m)) for m in range(1, 13)]]
    path = np.diff(np.concatenate([np.zeros((len(default), 1)), cumulative], axis=1), axis=1)
    recent = revenue[:, -12:]
    ordered = np.cumsum(recent != 0, axis=1) > 0  # from the first month with revenue on
    count = np.maximum(ordered.sum(axis=1), 1)
    mean = np.where(ordered, recent, 0.0).sum(axis=1) / count
    spread = np.sqrt(np.where(ordered, (recent - mean[:, None]) ** 2, 0.0).sum(axis=1) / count)
    width = 1.28 * spread[:, None]
    return {"revenue": path, "low": np.maximum(path - width, 0.0), "high": path + width}


def _expected_orders(
    purchase_model: np.ndarray,
    forecast_12m: np.ndarray,
    revenue_12m: np.ndarray,
    orders_12m: np.ndarray,
    exposure: np.ndarray,
    new: np.ndarray,
) -> np.ndarray:
    """Orders expected in the next 12 months, consistent with the revenue forecast: the
    order rate of the last year, moved as the forecast moves the revenue (a growth
    customer forecast at +27 % is expected to order about 27 % more often). New customers,
    and customers without revenue in the last year, take the purchase model's number."""
    months = np.maximum(exposure, 1.0)
    run_rate = revenue_12m / months * 12.0
    with np.errstate(invalid="ignore", divide="ignore"):
        moved = orders_12m / months * 12.0 * forecast_12m / run_rate
    usable = ~new & (run_rate > 0) & np.isfinite(moved)
    return np.where(usable, moved, purchase_model)


def _orders_or_run_rate(expected: np.ndarray, orders_12m: np.ndarray, months: float) -> np.ndarray:
    """The purchase model's expected orders, or where it could not be fitted, the orders
    of the last twelve months (per month of data, for a year)."""
    return np.where(np.isfinite(expected), expected, orders_12m / max(months, 1.0) * 12.0)


def _exposure_months(
    customers: pa.Table, as_of: date, data_start: date, config: AnalysisConfig
) -> tuple[np.ndarray, np.ndarray]:
    """Months of the last year in which each customer could be seen buying: from its
    first order, or from the start of the data if it was already a customer then
    (left-truncated), at most twelve; and whether it is new (first order within the last
    twelve months and not left-truncated)."""
    first = customers.column("first_order").combine_chunks()
    start_days = (data_start - date(1970, 1, 1)).days
    filled = pc.fill_null(first.cast(pa.date32()), pa.scalar(as_of, pa.date32()))
    first_days = np.asarray(filled.cast(pa.int32()).to_numpy(), dtype=np.int64)
    truncated = first_days - start_days < config.value_types.left_truncation_months * DAYS_PER_MONTH
    since = np.where(truncated, start_days, first_days)
    days = (as_of - date(1970, 1, 1)).days - since + 1
    months = days / DAYS_PER_MONTH
    return np.minimum(months, 12.0), ~truncated & (months < 12.0)
