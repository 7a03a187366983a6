"""Writes: create an analysis run, execute it on the app's sales lines, store the result.

The sales lines are read through the ORM in chunks into Arrow batches (money as float64,
as the analytics core expects) on the calling thread, then handed to the core as one
table; the core never sees Django. Progress is written to the run outside the storing
transaction, so that a page polling another connection sees it; the result itself is
stored in one transaction, so a run either has all its values or none.
"""

from __future__ import annotations

import json
import logging
import math
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pyarrow as pa
from django.db import transaction
from django.db.models import F, FloatField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from kundenbild.accounts.models import User
from kundenbild.analytics.io.lines import LINE_SCHEMA
from kundenbild.core.errors import ApplicationError, ConflictError
from kundenbild.customers.models import Customer
from kundenbild.finance.models import SalesLine
from kundenbild.insights.models import AnalysisRun, CustomerValue, RunStatus
from kundenbild.potential.models import EffectiveDemand
from kundenbild.potential.selectors import customer_potential

if TYPE_CHECKING:
    from kundenbild.analytics.analysis import AnalysisResult

logger = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]
CHUNK_LINES = 20_000
# An unfinished run older than this is taken as abandoned (its worker died) and no
# longer stops a new one from starting.
STALE_AFTER = timedelta(hours=2)
CENT = Decimal("0.01")
TEN_THOUSANDTH = Decimal("0.0001")


class NoSalesLinesError(ApplicationError):
    pass


def analysis_run_create(*, as_of: date | None = None, by: User | None = None) -> AnalysisRun:
    """Queue a run; refused while another one is still queued or running."""
    with transaction.atomic():
        busy = AnalysisRun.objects.filter(
            status__in=(RunStatus.QUEUED, RunStatus.RUNNING),
            created_at__gte=timezone.now() - STALE_AFTER,
        ).exists()
        if busy:
            raise ConflictError(
                _("An analysis is already running. Wait until it has finished."),
                code="analysis_running",
            )
        return AnalysisRun.objects.create(as_of=as_of, started_by=by)


def run_analysis(
    *, as_of: date | None = None, user: User | None = None, progress: Progress | None = None
) -> AnalysisRun:
    """Analyse all sales lines now and store the values per customer (CLI, demo)."""
    run = analysis_run_create(as_of=as_of, by=user)
    return analysis_run_execute(run=run, progress=progress)


def analysis_run_execute(*, run: AnalysisRun, progress: Progress | None = None) -> AnalysisRun:
    """Execute a queued run. A failure marks the run failed with its message and stores
    no values; the run is returned either way, so callers look at its status."""
    from kundenbild.analytics.analysis import analyze_lines  # the engine loads on first use

    _set(run, status=RunStatus.RUNNING, started_at=timezone.now(), stage="read")
    reporter = _Reporter(run, progress)
    try:
        total = SalesLine.objects.count()
        if not total:
            raise NoSalesLinesError(
                _("There are no sales lines to analyse. Import sales lines first.")
            )
        table = pa.Table.from_batches(list(_line_batches(total, reporter)), schema=LINE_SCHEMA)
        result = analyze_lines(
            table,
            as_of=run.as_of,
            progress=reporter.core,
            has_cost=lambda: SalesLine.objects.exclude(cost_of_goods=0).exists(),
            monthly_forecast=True,
        )
        del table
        reporter("store", 0, result.table.num_rows)
        with transaction.atomic():
            stored = _store(run, result)
            _set(
                run,
                status=RunStatus.DONE,
                finished_at=timezone.now(),
                as_of=result.as_of,
                lines=result.lines,
                customers=stored,
                config=result.model(),
                stage="",
                progress_done=stored,
                progress_total=stored,
            )
    except Exception as error:
        if not isinstance(error, ApplicationError):
            logger.exception("analysis run %s failed", run.pk)
        message = str(getattr(error, "message", "") or error) or type(error).__name__
        _set(run, status=RunStatus.FAILED, finished_at=timezone.now(), error=message, stage="")
    return run


def _set(run: AnalysisRun, **fields: Any) -> None:
    for name, value in fields.items():
        setattr(run, name, value)
    AnalysisRun.objects.filter(pk=run.pk).update(**fields)


class _Reporter:
    """Passes progress on and records it on the run, at most twice a second."""

    def __init__(self, run: AnalysisRun, progress: Progress | None) -> None:
        self.run = run
        self.progress = progress
        self.last = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self.progress:
            self.progress(stage, done, total)
        now = time.monotonic()
        if stage != self.run.stage or done >= total or now - self.last > 0.5:
            self.last = now
            _set(self.run, stage=stage, progress_done=done, progress_total=total)

    def core(self, stage: str, done: int, total: int) -> None:
        if stage == "judge":  # the core's reading is the engine's; ours was the database's
            self(stage, done, total)


def _line_batches(total: int, report: _Reporter) -> Iterator[pa.RecordBatch]:
    rows = (
        SalesLine.objects.order_by()
        .annotate(
            number=F("customer__number"),
            quantity_f=Cast("quantity", FloatField()),
            revenue_f=Cast("net_revenue", FloatField()),
            cost_f=Cast("cost_of_goods", FloatField()),
        )
        .values_list(
            "number",
            "invoice_number",
            "invoice_date",
            "article_number",
            "quantity_f",
            "revenue_f",
            "cost_f",
        )
        .iterator(chunk_size=CHUNK_LINES)
    )
    done = 0
    report("read", 0, total)
    chunk: list[tuple[Any, ...]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == CHUNK_LINES:
            done += len(chunk)
            yield _batch(chunk)
            chunk = []
            report("read", done, total)
    if chunk:
        yield _batch(chunk)
    report("read", total, total)


def _batch(rows: list[tuple[Any, ...]]) -> pa.RecordBatch:
    columns = list(zip(*rows, strict=True))
    return pa.record_batch(
        [
            pa.array(column, type=field.type)
            for column, field in zip(columns, LINE_SCHEMA, strict=True)
        ],
        schema=LINE_SCHEMA,
    )


def _rounded(value: float | None, unit: Decimal) -> Decimal | None:
    """A float of the core as a decimal of the field's precision; None where it is
    missing or not a number, which a decimal column cannot hold."""
    if value is None or not math.isfinite(value):
        return None
    return Decimal(repr(float(value))).quantize(unit)


def _money(value: float | None) -> Decimal | None:
    return _rounded(value, CENT)


def _month_label(as_of: date, months_after: int) -> str:
    year, month = divmod(as_of.year * 12 + as_of.month - 1 + months_after, 12)
    return f"{year:04d}-{month + 1:02d}"


def _forecast_paths(result: AnalysisResult) -> dict[str, list[dict[str, Any]]]:
    """Each customer's coming months, in calendar months after the as-of date."""
    paths = result.forecast_paths
    if paths is None:
        return {}
    labels = {m: _month_label(result.as_of, m) for m in range(1, 13)}
    by_customer: dict[str, list[dict[str, Any]]] = {}
    columns = [paths.column(name).to_pylist() for name in ("customer_id", "month")]
    figures = [paths.column(name).to_pylist() for name in ("revenue", "low", "high")]
    for customer, month, revenue, low, high in zip(*columns, *figures, strict=True):
        by_customer.setdefault(customer, []).append(
            {
                "month": labels[month],
                "revenue": _json_money(revenue),
                "low": _json_money(low),
                "high": _json_money(high),
            }
        )
    for path in by_customer.values():
        path.sort(key=lambda entry: entry["month"])
    return by_customer


def _json_money(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else round(float(value), 2)


def _store(run: AnalysisRun, result: AnalysisResult) -> int:
    ids = dict(Customer.objects.values_list("number", "pk"))
    paths = _forecast_paths(result)
    values = []
    for row in result.table.select(
        [
            "customer_id",
            "value_type",
            "lifecycle_phase",
            "value_type_reason_code",
            "value_type_reason_values",
            "revenue_12m",
            "contribution_margin_12m",
            "abc_revenue",
            "abc_margin",
            "first_order",
            "last_order",
            "orders_12m",
            "forecast_revenue_12m",
            "forecast_margin_12m",
            "p_alive",
            "expected_orders_12m",
            "clv",
        ]
    ).to_pylist():
        customer_id = ids.get(row["customer_id"])
        if customer_id is None:  # deleted while the run was reading
            continue
        values.append(
            CustomerValue(
                run=run,
                customer_id=customer_id,
                value_type=row["value_type"],
                lifecycle_phase=row["lifecycle_phase"],
                reason_code=row["value_type_reason_code"],
                reason_values=json.loads(row["value_type_reason_values"]),
                revenue_12m=_money(row["revenue_12m"]) or Decimal("0.00"),
                contribution_margin_12m=_money(row["contribution_margin_12m"]),
                abc_revenue=row["abc_revenue"],
                abc_margin=row["abc_margin"] or "",
                first_order=row["first_order"],
                last_order=row["last_order"],
                orders_12m=row["orders_12m"],
                forecast_revenue_12m=_money(row["forecast_revenue_12m"]),
                forecast_margin_12m=_money(row["forecast_margin_12m"]),
                p_alive=_rounded(row["p_alive"], TEN_THOUSANDTH),
                expected_orders_12m=_rounded(row["expected_orders_12m"], CENT),
                clv=_money(row["clv"]),
                forecast_path=paths.get(row["customer_id"], []),
            )
        )
    _add_potentials(values, result.as_of.year)
    CustomerValue.objects.bulk_create(values, batch_size=2_000)
    return len(values)


def _add_potentials(values: list[CustomerValue], year: int) -> None:
    """Potential and share of wallet of the as-of year, where needs were entered: the same
    figures as the customer's potential page, so only those customers are asked."""
    with_demand = set(
        EffectiveDemand.objects.filter(year=year).values_list("demand__need__customer", flat=True)
    )
    customers = Customer.objects.in_bulk(
        [v.customer_id for v in values if v.customer_id in with_demand]
    )
    for value in values:
        customer = customers.get(value.customer_id)
        if customer is not None:
            summary = customer_potential(customer, year)
            value.potential = summary.potential
            value.share_of_wallet = summary.share
