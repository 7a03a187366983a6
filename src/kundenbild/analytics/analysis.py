"""One analysis from its lines to its result: read (`books`), judge (`judging`), write
(`results`).

The engine reads the lines into a book of customers; the customers are then judged and
forecast in chunks of dense monthly arrays, so memory stays bounded by the chunk size,
and the chunk function could run inside Spark's `mapInArrow` unchanged, because
customers are independent given the portfolio medians. Before that, the same pass runs on
the book as it stood a year earlier, the internal backtest, and learns what only the data
can tell (`forecast.calibration`).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from typing import Any

import pyarrow as pa

from kundenbild.analytics.books import Book, Engine, Ledger, ScanRefusedError, looks_truncated
from kundenbild.analytics.clv.purchase_models import (
    DAYS_PER_MONTH,
    UNIT_DAYS,
    PurchaseModels,
    fit_purchase_models,
)
from kundenbild.analytics.config import AnalysisConfig
from kundenbild.analytics.forecast.calibration import Calibration, backtest_origin
from kundenbild.analytics.forecast.horizon import Horizon
from kundenbild.analytics.io.lines import LineSource
from kundenbild.analytics.io.scan import Scan, scan_sql
from kundenbild.analytics.io.writing import PeriodsOutput
from kundenbild.analytics.judging import calibration_from, judge_book
from kundenbild.analytics.results import result_tables

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
        except ScanRefusedError:
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
    """Analyse lines in `io.lines.LINE_SCHEMA`: an Arrow table, a reader consumed once, or
    the engine's scan of files (`io.scan.scan_sql`).

    `has_cost` is asked after the lines are read, because a stream learns only while
    reading whether every file carried costs. With `periods`, the value over time (every
    customer's periods in the chosen unit, zero where nothing was bought) is written too.
    `time_unit` is the purchase models' unit of time (it changes alpha, not forecasts).
    With `evaluate_until`, the lines after the as-of date are the yardstick: the table
    gains every model's forecast up to that day and what really happened
    (`evaluation`). With `monthly_forecast`, `forecast_paths` holds each customer's
    forecast for every month of the coming year with a band (the app's value chart).
    """
    config = config or AnalysisConfig()
    pool = ThreadPoolExecutor(max_workers=1)
    backtest: Book | None = None
    try:
        with Engine(lines) as engine:
            ledger = engine.read(as_of, evaluate_until, progress)
            costs = has_cost()
            truncated = _looks_truncated(ledger, config)
            truncation_days = config.value_types.left_truncation_months * DAYS_PER_MONTH * truncated
            # the purchase models are fitted while the engine builds the grid and the
            # backtest (it releases the interpreter while it works): a tenth of a big
            # analysis saved
            fitting = pool.submit(
                fit_purchase_models,
                ledger.customers,
                ledger.as_of,
                UNIT_DAYS[time_unit],
                data_start=ledger.data_start,
                truncation_days=truncation_days,
            )
            book = engine.book(ledger, costs, truncation_days)
            if periods is not None:
                engine.write_periods(periods, ledger.as_of)
            origin = backtest_origin(ledger.as_of, ledger.data_start)
            if config.forecast.calibrate and origin is not None:
                if progress:
                    progress("backtest", 0, 1)
                backtest = engine.backtest_book(origin, ledger, costs, truncation_days, config)
    finally:
        pool.shutdown(wait=False)
    calibration = _calibration(backtest, origin, time_unit, config, progress)
    horizon = Horizon.of(
        ledger.as_of, config.forecast, ledger.evaluated_until, monthly=monthly_forecast
    )
    purchase_models = fitting.result()
    judged = judge_book(book, config, purchase_models, horizon, calibration, progress=progress)
    table, paths = result_tables(book, judged, config, horizon)
    return AnalysisResult(
        table=table,
        as_of=ledger.as_of,
        lines=ledger.lines,
        config=config,
        purchase_models=purchase_models,
        time_unit=time_unit,
        evaluated_until=ledger.evaluated_until,
        actual_total_revenue=ledger.actual_total_revenue,
        lines_without_customer=ledger.lines_without_customer,
        forecast_paths=paths,
        calibration=calibration,
        left_truncated=truncated,
    )


def _calibration(
    backtest: Book | None,
    origin: tuple[date, date] | None,
    time_unit: str,
    config: AnalysisConfig,
    progress: Progress | None,
) -> Calibration:
    """What the internal backtest learnt; nothing where it did not run (data too short,
    or `calibrate` off), and every segment keeps its configured model."""
    if backtest is None or origin is None:
        return Calibration.none(config.forecast)
    calibration = calibration_from(backtest, origin[1], UNIT_DAYS[time_unit], config)
    if progress:
        progress("backtest", 1, 1)
    return calibration


def _looks_truncated(ledger: Ledger, config: AnalysisConfig) -> bool:
    """Whether to take the data for an export cut off in the middle of its customers'
    lives (`books.looks_truncated`), unless that is not to be detected but assumed."""
    if not config.value_types.detect_left_truncation:
        return True
    return looks_truncated(ledger.customers, ledger.start)
