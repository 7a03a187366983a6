"""Run the whole analysis: lines → orders → months (engine) → judgements (NumPy) → result.

The engine (Ibis over DuckDB) aggregates the lines by order and then by customer and
month: a scan of files in one query, a one-pass stream through a materialised order
table. Customers are then judged in chunks of dense monthly arrays, so memory stays
bounded by the chunk size; the chunk function could run inside Spark's `mapInArrow`
unchanged, because customers are independent given the portfolio medians.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb
import ibis
import numpy as np
import pyarrow as pa

from kundenbild.analytics.arrays import column_numbers
from kundenbild.analytics.clv.purchase_models import (
    DAYS_PER_MONTH,
    UNIT_DAYS,
    PurchaseModels,
    fit_purchase_models,
)
from kundenbild.analytics.clv.value import lifetime_value
from kundenbild.analytics.clv.value import margin_rate as forecast_margin_rate
from kundenbild.analytics.config import AnalysisConfig
from kundenbild.analytics.forecast.calibration import Calibration, backtest_origin, calibrate
from kundenbild.analytics.forecast.horizon import Horizon
from kundenbild.analytics.forecast.models import MODELS
from kundenbild.analytics.io.lines import LinesError, LineSource
from kundenbild.analytics.io.scan import Scan, scan_sql
from kundenbild.analytics.io.writing import PeriodsOutput
from kundenbild.analytics.judging import Book, Judged, judge_book, looks_truncated
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
from kundenbild.analytics.shapes.phases import PHASES
from kundenbild.analytics.shapes.value_types import INSUFFICIENT, VALUE_TYPES

Progress = Callable[[str, int, int], None]


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
    calibration: Calibration | None = None  # what the internal backtest learnt
    left_truncated: bool = True  # whether the data looked like an export cut off

    def model(self) -> dict[str, Any]:
        """What the result was computed with (written by `--model-output`): the as-of
        date, the configuration, and the fitted purchase models (in `time_unit`)."""
        return {
            "as_of": self.as_of.isoformat(),
            "lines": self.lines,
            "lines_without_customer": self.lines_without_customer,
            "time_unit": self.time_unit,
            **self.purchase_models.as_dict(),
            "left_truncated": self.left_truncated,
            "internal_backtest": self.calibration.as_dict() if self.calibration else None,
            "config": self.config.to_dict(),
        }


def analyze_source(
    source: LineSource,
    *,
    as_of: date | None = None,
    config: AnalysisConfig | None = None,
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
    pool = ThreadPoolExecutor(max_workers=1)
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
        start = data_start or as_of
        truncated = not config.value_types.detect_left_truncation or looks_truncated(
            customers, start
        )
        truncation_days = config.value_types.left_truncation_months * DAYS_PER_MONTH * truncated
        # the purchase models are fitted while the engine builds the grid and the backtest
        # (it releases the interpreter while it works): a tenth of a big analysis saved
        fitting = pool.submit(
            fit_purchase_models,
            customers,
            as_of,
            UNIT_DAYS[time_unit],
            data_start=data_start,
            truncation_days=truncation_days,
        )
        grid = _arrow(con, dense_index(months))
        if periods is not None:
            periods.write(con, _value_over_time(invoices, as_of, periods.unit))
        origin = backtest_origin(as_of, data_start) if config.forecast.calibrate else None
        backtest = None
        if origin is not None:
            if progress:
                progress("backtest", 0, 1)
            backtest = _backtest_book(backend, invoices, origin, start, has_cost, customers, config)
    finally:
        con.close()
        pool.shutdown(wait=False)
    calibration = Calibration.none(config.forecast)
    if backtest is not None and origin is not None:
        calibration = _calibration(backtest, origin, truncation_days, time_unit, config)
        if progress:
            progress("backtest", 1, 1)
    horizon = Horizon.of(as_of, config.forecast, evaluate_until, monthly=monthly_forecast)
    purchase_models = fitting.result()
    book = Book(customers, grid, as_of, start, has_cost(), truncation_days)
    judged = judge_book(book, config, purchase_models, horizon, calibration, progress=progress)
    table, paths = _result_table(book, judged, config, horizon)
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
        calibration=calibration,
        left_truncated=truncated,
    )


def _backtest_book(
    backend: Any,
    invoices: Any,
    origin: tuple[date, date],
    data_start: date,
    has_cost: Callable[[], bool],
    customers: pa.Table,
    config: AnalysisConfig,
) -> Book:
    """The book as it stood at the backtest's origin, with what each customer bought up
    to its end; for at most `calibration_customers` customers, picked by a hash of their
    number (the same customers every time)."""
    at, until = origin
    every = max(1, -(-customers.num_rows // max(config.forecast.calibration_customers, 1)))
    sample = invoices if every == 1 else invoices.filter(invoices.customer.hash() % every == 0)
    sample = backend.create_table("backtest_invoices", sample, temp=True)
    months = backend.create_table(
        "backtest_months", period_table(sample, as_of=at, unit="month"), temp=True
    )
    past = _arrow(backend.con, _customers(sample, months, at, until))
    grid = _arrow(backend.con, dense_index(months))
    return Book(past, grid, at, data_start, has_cost(), 0.0)


def _calibration(
    book: Book,
    origin: tuple[date, date],
    truncation_days: float,
    time_unit: str,
    config: AnalysisConfig,
) -> Calibration:
    """Forecast from the backtest's origin to its end and learn from what happened."""
    at, until = origin
    book = Book(book.customers, book.grid, at, book.data_start, book.has_cost, truncation_days)
    purchase_models = fit_purchase_models(
        book.customers,
        at,
        UNIT_DAYS[time_unit],
        data_start=book.data_start,
        truncation_days=truncation_days,
    )
    horizon = Horizon.of(at, config.forecast, until)
    judged = judge_book(
        book,
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
        np.nan_to_num(column_numbers(book.customers, "actual_revenue")),
        config.forecast,
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
    history of `purchase_table` (its first and last order day are the first and last
    order), and with `evaluate_until` what happened after as_of."""
    table = customer_table(months)
    purchases = purchase_table(invoices, as_of=as_of)
    table = table.left_join(purchases, "customer").drop("customer_right")
    table = table.mutate(first_order=table.first_day, last_order=table.last_day)
    if evaluate_until is not None:
        actual = actual_table(invoices, after=as_of, until=evaluate_until)
        table = table.left_join(actual, "customer").drop("customer_right")
    return table.order_by("customer")


def _value_over_time(invoices: Any, as_of: date, unit: str) -> str:
    """The SQL of every customer's value per period in `unit`, zero where it bought
    nothing (`periods.value_over_time_sql`)."""
    table = period_table(invoices, as_of=as_of, unit=unit)
    return value_over_time_sql(str(ibis.to_sql(table, dialect="duckdb")), as_of=as_of, unit=unit)


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


def _result_table(
    book: Book, judged: Judged, config: AnalysisConfig, horizon: Horizon
) -> tuple[pa.Table, pa.Table | None]:
    """One row per customer: type, phase, reason, figures of the last twelve months and
    the forecasts; with an evaluation every model's forecast and what really happened."""
    customers, has_cost = book.customers, book.has_cost
    n = customers.num_rows
    revenue_total = column_numbers(customers, "revenue")
    cost_total = column_numbers(customers, "cost")
    orders_total = column_numbers(customers, "orders")
    revenue_12m = column_numbers(customers, "revenue_12m")
    orders_12m = column_numbers(customers, "orders_12m")
    margin_12m = revenue_12m - column_numbers(customers, "cost_12m")
    margin_rate = forecast_margin_rate(revenue_total, cost_total, orders_total, config.forecast)
    at_12 = horizon.index(12.0)
    default = judged.default
    forecast_12m = default[:, at_12]
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
    data_months = min(12.0, ((book.as_of - book.data_start).days + 1) / DAYS_PER_MONTH)
    value_type = judged.value_type

    def money(values: np.ndarray, *, margin: bool = False) -> pa.Array:
        if margin and not has_cost:
            return pa.nulls(n, pa.float64())
        return pa.array(np.round(values, 2), pa.float64())

    columns: dict[str, Any] = {
        "customer_id": customers.column("customer"),
        "value_type": pa.array(np.array(VALUE_TYPES, dtype=object)[value_type], pa.string()),
        "lifecycle_phase": pa.array(np.array(PHASES, dtype=object)[judged.phase], pa.string()),
        # a code and its numbers (JSON); the words come through gettext (kundenbild.reason_text)
        "value_type_reason_code": judged.reason_code,
        "value_type_reason_values": judged.reason_values,
        "revenue_12m": money(revenue_12m),
        "contribution_margin_12m": money(margin_12m, margin=True),
        "abc_revenue": pa.array(abc_classes(revenue_12m, config.abc_a_share, config.abc_b_share)),
        "abc_margin": pa.array(abc_classes(margin_12m, config.abc_a_share, config.abc_b_share))
        if has_cost
        else pa.nulls(n, pa.string()),
        "first_order": customers.column("first_order"),
        "last_order": customers.column("last_order"),
        "orders_12m": pa.array(orders_12m.astype(np.int64)),
        "orders_total": pa.array(orders_total.astype(np.int64)),
        "revenue_total": pa.array(np.round(revenue_total, 2)),
        "has_shape": pa.array(value_type != INSUFFICIENT),
        "forecast_revenue_12m": money(forecast_12m),
        "forecast_revenue_12m_low": money(judged.low[:, at_12]),
        "forecast_revenue_12m_high": money(judged.high[:, at_12]),
        "forecast_margin_12m": money(forecast_12m * margin_rate, margin=True),
        "p_alive": pa.array(np.round(judged.p_alive, 4), pa.float64()),
        "expected_orders_12m": pa.array(
            np.round(
                _expected_orders(
                    _orders_or_run_rate(judged.expected_orders, orders_12m, data_months),
                    forecast_12m,
                    revenue_12m,
                    orders_12m,
                    judged.exposure_months,
                    judged.new,
                ),
                3,
            ),
            pa.float64(),
        ),
        "clv": money(clv, margin=True),
    }
    if horizon.evaluation is not None:
        at = horizon.index(horizon.evaluation)
        columns["forecast_default"] = money(default[:, at])
        for name in MODELS:
            columns[f"forecast_{name}"] = money(judged.models[name][:, at])
        columns["forecast_low"] = money(judged.low[:, at])
        columns["forecast_high"] = money(judged.high[:, at])
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
                    key: pa.array(np.round(judged.monthly[key].reshape(-1), 2), pa.float64())
                    for key in ("revenue", "low", "high")
                },
            }
        )
    return pa.table(columns), paths


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
