"""`/api/customers/{id}/value` and `/api/analysis-runs/`: value types and analysis runs."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import translation
from ninja import Field, Router, Schema, Status

from kundenbild.accounts.requests import acting_user
from kundenbild.analytics.shapes.phases import PHASES
from kundenbild.analytics.shapes.value_types import VALUE_TYPES
from kundenbild.core.api_schema import ERRORS
from kundenbild.customers.permissions import customer_access
from kundenbild.finance.api_fields import FINANCE_NOTE, FinanceOnly
from kundenbild.insights.models import AnalysisRun, CustomerValue, RunStatus
from kundenbild.insights.permissions import analysis_start_access
from kundenbild.insights.selectors import (
    analysis_run_list,
    customer_value_history,
    value_type_counts,
)
from kundenbild.insights.tasks import analysis_run_start
from kundenbild.reason_text import LEGACY_TEXT, REASON_CODES

router = Router(tags=["customers: value"])
run_router = Router(tags=["analysis runs"])


class ForecastMonthOut(Schema):
    month: str = Field(
        ..., pattern=r"^\d{4}-\d{2}$", description="calendar month (YYYY-MM) after the as-of date"
    )
    revenue: float | None = Field(..., description="forecast revenue of the month")
    low: float | None = Field(..., description="lower end of the 80 % band")
    high: float | None = Field(..., description="upper end of the 80 % band")


class CustomerValueOut(Schema):
    run_id: int
    as_of: date
    value_type: str = Field(..., json_schema_extra={"enum": list(VALUE_TYPES)})
    lifecycle_phase: str = Field(..., json_schema_extra={"enum": list(PHASES)})
    abc_revenue: str = Field(..., pattern="^[ABC]$")
    abc_margin: str | None = Field(None, description="null where the lines carry no costs")
    reason: FinanceOnly[str] = Field(
        None,
        description="why the customer has its value type, in the language asked for "
        "(Accept-Language, else the user's); " + FINANCE_NOTE,
    )
    reason_code: FinanceOnly[str] = Field(
        None,
        description="the reason as a code (docs/value-types.md); "
        f"'{LEGACY_TEXT}' for runs before codes; " + FINANCE_NOTE,
        json_schema_extra={"enum": [*REASON_CODES, LEGACY_TEXT, None]},
    )
    reason_values: FinanceOnly[dict[str, Any]] = Field(
        None,
        description="the numbers the reason quotes, by name (for 'text': the reason in "
        "'de' and 'en'); " + FINANCE_NOTE,
    )
    revenue_12m: FinanceOnly[Decimal] = Field(None, description=FINANCE_NOTE)
    contribution_margin_12m: FinanceOnly[Decimal] = Field(None, description=FINANCE_NOTE)
    orders_12m: int
    first_order: date | None
    last_order: date | None
    potential: FinanceOnly[Decimal] = Field(
        None,
        description="effective demand of the as-of year where needs were entered; " + FINANCE_NOTE,
    )
    share_of_wallet: FinanceOnly[Decimal] = Field(
        None, description="our revenue in % of that potential; " + FINANCE_NOTE
    )
    forecast_revenue_12m: FinanceOnly[Decimal] = Field(
        None,
        description="revenue expected in the 12 months after the as-of date; "
        "null for runs before forecasts; " + FINANCE_NOTE,
    )
    forecast_margin_12m: FinanceOnly[Decimal] = Field(
        None,
        description="contribution margin I expected in those 12 months; null where the "
        "lines carry no costs; " + FINANCE_NOTE,
    )
    clv: FinanceOnly[Decimal] = Field(
        None,
        description="customer lifetime value: the forecast contribution margin I of the "
        "coming years (config.forecast.clv_years of the run), discounted at its "
        "discount_rate a year; null where the lines carry no costs; " + FINANCE_NOTE,
    )
    p_alive: Decimal | None = Field(
        None,
        ge=0,
        le=1,
        description="probability that the customer is still active (BG/NBD); "
        "null for runs before forecasts",
    )
    expected_orders_12m: Decimal | None = Field(
        None,
        ge=0,
        description="order days expected in the 12 months after the as-of date; "
        "null for runs before forecasts",
    )
    forecast_path: FinanceOnly[list[ForecastMonthOut]] = Field(
        None,
        description="the forecast revenue of each of the 12 months after the as-of date "
        "with its 80 % band; empty for runs before forecasts; " + FINANCE_NOTE,
    )


class CustomerValuesOut(Schema):
    latest: CustomerValueOut | None = Field(
        ..., description="from the newest finished run that judged the customer"
    )
    history: list[CustomerValueOut] = Field(..., description="every finished run, newest first")


class AnalysisRunOut(Schema):
    id: int
    status: RunStatus
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    as_of: date | None
    started_by: str | None
    progress_done: int
    progress_total: int
    error: str
    lines: int
    customers: int
    value_types: dict[str, int] = Field(..., description="customers per value type")
    config: dict[str, Any] = Field(..., description="as-of date, lines and thresholds used")


def _value(value: CustomerValue) -> CustomerValueOut:
    as_of = value.run.as_of
    assert as_of is not None  # a finished run has its date
    return CustomerValueOut(
        run_id=value.run_id,
        as_of=as_of,
        value_type=value.value_type,
        lifecycle_phase=value.lifecycle_phase,
        abc_revenue=value.abc_revenue,
        abc_margin=value.abc_margin or None,
        reason=value.reason(translation.get_language() or "de"),
        reason_code=value.reason_code,
        reason_values=value.reason_values,
        revenue_12m=value.revenue_12m,
        contribution_margin_12m=value.contribution_margin_12m,
        orders_12m=value.orders_12m,
        first_order=value.first_order,
        last_order=value.last_order,
        potential=value.potential,
        share_of_wallet=value.share_of_wallet,
        forecast_revenue_12m=value.forecast_revenue_12m,
        forecast_margin_12m=value.forecast_margin_12m,
        clv=value.clv,
        p_alive=value.p_alive,
        expected_orders_12m=value.expected_orders_12m,
        forecast_path=[ForecastMonthOut(**month) for month in value.forecast_path],
    )


def _run(run: AnalysisRun) -> AnalysisRunOut:
    counts = {c.value_type: c.customers for c in value_type_counts(run)}
    return AnalysisRunOut(
        id=run.pk,
        status=RunStatus(run.status),
        created_at=run.created_at,
        started_at=run.started_at,
        finished_at=run.finished_at,
        as_of=run.as_of,
        started_by=run.started_by.username if run.started_by else None,
        progress_done=run.progress_done,
        progress_total=run.progress_total,
        error=run.error,
        lines=run.lines,
        customers=run.customers,
        value_types=counts if run.status == RunStatus.DONE else {},
        config=run.config,
    )


@router.get(
    "/{customer_id}/value",
    response={200: CustomerValuesOut, **ERRORS},
    summary="Value type, phase and figures of a customer, latest and history",
)
def get_customer_value(request: HttpRequest, customer_id: int) -> CustomerValuesOut:
    user = acting_user(request)
    customer = customer_access(user, customer_id)
    history = [_value(v) for v in customer_value_history(customer)]
    return CustomerValuesOut(latest=history[0] if history else None, history=history)


@run_router.get("/", response={200: list[AnalysisRunOut], **ERRORS}, summary="Analysis runs")
def list_runs(request: HttpRequest) -> list[AnalysisRunOut]:
    acting_user(request)
    return [_run(run) for run in analysis_run_list(limit=100)]


@run_router.get("/{run_id}", response={200: AnalysisRunOut, **ERRORS}, summary="One analysis run")
def get_run(request: HttpRequest, run_id: int) -> AnalysisRunOut:
    acting_user(request)
    return _run(get_object_or_404(AnalysisRun.objects.select_related("started_by"), pk=run_id))


@run_router.post(
    "/",
    response={202: AnalysisRunOut, **ERRORS},
    summary="Start an analysis run in the background (poll it for its progress)",
)
def start_run(request: HttpRequest) -> Status[AnalysisRunOut]:
    user = acting_user(request)
    analysis_start_access(user)
    run = analysis_run_start(by=user)
    run.refresh_from_db()
    return Status(202, _run(run))
