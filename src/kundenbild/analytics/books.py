"""Read the lines into a book: lines → orders → customer × month → one row per customer.

The engine (Ibis over DuckDB) aggregates the lines by order and then by customer and
month: a scan of files in one query, a one-pass stream through a materialised order
table. What leaves it is a `Book`: one row per customer (its totals, the last twelve
months, its purchase history) and its months as integer positions, both in customer
order, which `judging` turns into dense monthly arrays chunk by chunk; so memory stays
bounded by the chunk size, whatever the number of lines.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb
import ibis
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from kundenbild.analytics.arrays import month_index
from kundenbild.analytics.clv.purchase_models import DAYS_PER_MONTH
from kundenbild.analytics.config import AnalysisConfig
from kundenbild.analytics.io.lines import LinesError
from kundenbild.analytics.io.scan import Scan
from kundenbild.analytics.io.writing import PeriodsOutput
from kundenbild.analytics.periods import (
    actual_table,
    customer_table,
    dense_index,
    invoice_table,
    period_table,
    purchase_table,
    value_over_time_sql,
)

Array = npt.NDArray[np.float64]
Progress = Callable[[str, int, int], None]


class ScanRefusedError(Exception):
    """The direct scan met a bad line or could not parse a file: use the checked stream."""


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

    @property
    def data_months(self) -> float:
        """Months of the last year that the data cover (at most 12)."""
        return min(12.0, ((self.as_of - self.data_start).days + 1) / DAYS_PER_MONTH)

    def exposure_months(self) -> tuple[Array, npt.NDArray[np.bool_]]:
        """Months of the last year in which each customer could be seen buying: from its
        first order, or from the start of the data if it was already a customer then
        (left-truncated), at most twelve; and whether it is new (first order within the
        last twelve months and not left-truncated)."""
        as_of = self.as_of
        first = self.customers.column("first_order").combine_chunks()
        start_days = (self.data_start - date(1970, 1, 1)).days
        filled = pc.fill_null(first.cast(pa.date32()), pa.scalar(as_of, pa.date32()))
        first_days = np.asarray(filled.cast(pa.int32()).to_numpy(), dtype=np.int64)
        truncated = first_days - start_days < self.truncation_days
        since = np.where(truncated, start_days, first_days)
        days = (as_of - date(1970, 1, 1)).days - since + 1
        months = days / DAYS_PER_MONTH
        return np.minimum(months, 12.0), ~truncated & (months < 12.0)


@dataclass(frozen=True)
class Ledger:
    """What the engine read from the lines, up to the as-of date: one row per customer
    (`customer_table` and `purchase_table`, with an evaluation what happened after), and
    the counts the result reports."""

    customers: pa.Table
    as_of: date
    data_start: date | None  # the first order day (None if no line has a customer)
    lines: int  # lines of the customers up to the as-of date
    lines_without_customer: int
    # with an evaluation: its last day (the data may end before the horizon), and the
    # revenue of all customers in it, including those new after the as-of date
    evaluated_until: date | None = None
    actual_total_revenue: float | None = None

    @property
    def start(self) -> date:
        return self.data_start or self.as_of


class Engine:
    """One analysis' engine: the lines go in once, into the order table, and every table
    of the analysis (months, customers, the value over time, the backtest) comes out of
    that table."""

    def __init__(self, lines: pa.Table | pa.RecordBatchReader | Scan) -> None:
        self.con = duckdb.connect()
        self.backend = ibis.duckdb.from_connection(self.con)
        self.lines = lines
        self.invoices: Any = None
        self.months: Any = None

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *_: object) -> None:
        self.con.close()

    def read(
        self, as_of: date | None, evaluate_until: date | None, progress: Progress | None
    ) -> Ledger:
        """Read the lines into orders and months (a stream is consumed here), and the
        customers as of `as_of`, by default the last order day. Lines without a customer
        are counted and left out; a scan with a bad line raises `ScanRefusedError`."""
        if progress:
            progress("read", 0, 1)
        if isinstance(self.lines, Scan):
            self.con.execute(f"CREATE TEMPORARY VIEW lines AS {self.lines.sql}")
            as_of, invoices = _scanned_orders(self.backend, as_of)
        else:
            self.con.register("lines", self.lines)
            as_of, invoices = _streamed_orders(self.backend, as_of)
        anonymous = invoices.filter(invoices.customer.isnull())
        skipped = int(_scalar(self.backend, anonymous.lines.sum()) or 0)
        self.invoices = invoices = invoices.filter(invoices.customer.notnull())
        self.months = self.backend.create_table(
            "months", period_table(invoices, as_of=as_of, unit="month"), temp=True
        )
        if progress:
            progress("read", 1, 1)
        counted = _scalar(self.backend, self.months.lines.sum())
        data_start = _scalar(self.backend, invoices.day.min())
        evaluated_until, actual_total = None, None
        if evaluate_until is not None:
            evaluated_until, actual_total = _evaluation_window(
                self.backend, invoices, as_of, evaluate_until
            )
        customers = _arrow(self.con, _customers(invoices, self.months, as_of, evaluated_until))
        return Ledger(
            customers,
            as_of,
            data_start,
            int(counted or 0),
            skipped,
            evaluated_until,
            actual_total,
        )

    def book(self, ledger: Ledger, has_cost: bool, truncation_days: float) -> Book:
        """The ledger's customers with their months."""
        grid = _arrow(self.con, dense_index(self.months))
        return Book(ledger.customers, grid, ledger.as_of, ledger.start, has_cost, truncation_days)

    def write_periods(self, periods: PeriodsOutput, as_of: date) -> None:
        """Every customer's value per period in `periods.unit`, zero where it bought
        nothing (`periods.value_over_time_sql`), written by the engine itself."""
        table = period_table(self.invoices, as_of=as_of, unit=periods.unit)
        sql = value_over_time_sql(
            str(ibis.to_sql(table, dialect="duckdb")), as_of=as_of, unit=periods.unit
        )
        periods.write(self.con, sql)

    def backtest_book(
        self,
        origin: tuple[date, date],
        ledger: Ledger,
        has_cost: bool,
        truncation_days: float,
        config: AnalysisConfig,
    ) -> Book:
        """The book as it stood at the backtest's origin, with what each customer bought
        up to its end; for at most `calibration_customers` customers, picked by a hash of
        their number (the same customers every time)."""
        at, until = origin
        invoices = self.invoices
        customers = ledger.customers.num_rows
        every = max(1, -(-customers // max(config.forecast.calibration_customers, 1)))
        sample = invoices if every == 1 else invoices.filter(invoices.customer.hash() % every == 0)
        sample = self.backend.create_table("backtest_invoices", sample, temp=True)
        months = self.backend.create_table(
            "backtest_months", period_table(sample, as_of=at, unit="month"), temp=True
        )
        past = _arrow(self.con, _customers(sample, months, at, until))
        grid = _arrow(self.con, dense_index(months))
        return Book(past, grid, at, ledger.start, has_cost, truncation_days)


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
        raise ScanRefusedError from None
    if bad or last is None:
        raise ScanRefusedError  # let the checked stream name the bad line
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
