"""`/api/customers/{id}/value` and `/api/analysis-runs/`: value types and analysis runs."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema, Status

from kundenbild.analytics.shapes.phases import PHASES
from kundenbild.analytics.shapes.value_types import VALUE_TYPES
from kundenbild.api.common import ERRORS, Id, acting_user
from kundenbild.api.finance import FINANCE_NOTE, FinanceOnly
from kundenbild.core.errors import ApplicationError, NotFoundError
from kundenbild.customers.permissions import customer_access
from kundenbild.insights.models import AnalysisRun, CustomerValue, RunStatus
from kundenbild.insights.permissions import (
    analysis_start_access,
    portfolio_access,
    selection_access,
)
from kundenbild.insights.selectors import (
    analysis_run_list,
    customer_value_history,
    value_type_counts,
)
from kundenbild.insights.services import analysis_run_start
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


selection_router = Router(tags=["selection by goal"])


class SelectionReasonOut(Schema):
    criterion: str
    label: str = Field(..., description="the criterion in the user's language")
    value: float | None = Field(..., description="null where the customer has no value")
    percentile: float | None = Field(..., description="0..1 among all customers with a value")
    contribution: float = Field(..., description="score points this criterion adds")


class SelectedCustomerOut(Schema):
    rank: int
    customer_id: int
    number: str
    name: str
    score: float = Field(..., description="0..100, see docs/selection.md")
    reasons: list[SelectionReasonOut] = Field(..., description="top reasons, largest first")


class SelectionOut(Schema):
    goal: str
    weights: dict[str, float] = Field(..., description="the weights used, by criterion")
    as_of: date | None = Field(..., description="as-of date of the analysis run used")
    customers: list[SelectedCustomerOut]


class SelectionParams(Schema):
    goal: Literal["growth", "profitability", "innovation"] = "growth"
    limit: int = Field(25, ge=1, le=1000, description="how many customers, best first")
    weights: str = Field(
        "", description="criterion=weight pairs, comma-separated, e.g. white_space=5,p_alive=0"
    )


@selection_router.get(
    "/",
    response={200: SelectionOut, **ERRORS},
    summary="Customers ranked by the documented score for a goal, with their top reasons",
)
def get_selection(request: HttpRequest, params: Query[SelectionParams]) -> SelectionOut:
    from kundenbild.analytics.selection import SelectionError, select
    from kundenbild.insights.exports import CRITERION_LABELS, selection_rows
    from kundenbild.insights.selection import selection_criteria

    user = acting_user(request)
    selection_access(user)
    overrides: dict[str, float] = {}
    goal, limit = params.goal, params.limit
    for pair in filter(None, (part.strip() for part in params.weights.split(","))):
        name, _sep, number = pair.partition("=")
        try:
            overrides[name.strip()] = float(number)
        except ValueError:
            raise ApplicationError(
                _("Weights are criterion=number pairs, e.g. white_space=5."), field="weights"
            ) from None
    criteria = selection_criteria()
    try:
        selection = select(goal, criteria.values, overrides)
    except SelectionError as error:
        raise ApplicationError(str(error), field="weights") from None
    rows = selection_rows(selection, criteria, limit)

    def number_or_none(value: float) -> float | None:
        return None if value != value else value

    return SelectionOut(
        goal=goal,
        weights=selection.weights,
        as_of=criteria.run.as_of if criteria.run else None,
        customers=[
            SelectedCustomerOut(
                rank=row["rank"],
                customer_id=row["customer"].pk,
                number=row["customer"].number,
                name=row["customer"].name,
                score=round(row["score"], 2),
                reasons=[
                    SelectionReasonOut(
                        criterion=reason.criterion,
                        label=str(CRITERION_LABELS[reason.criterion]),
                        value=number_or_none(reason.value),
                        percentile=number_or_none(reason.percentile),
                        contribution=round(reason.contribution, 2),
                    )
                    for reason in row["reasons"]
                ],
            )
            for row in rows
        ],
    )


portfolio_router = Router(tags=["portfolio"])


class PortfolioParams(Schema):
    owner: Id | None = Field(None, description="user id of the key account manager")
    value_type: Literal[
        "steady", "cyclical", "bell", "growth", "shrinking", "burr", "insufficient_history", ""
    ] = ""
    phase: Literal["ramp_up", "mature", "phase_out", "lost", ""] = ""
    abc: Literal["A", "B", "C", ""] = ""
    industry: str = Field("", max_length=8, description="WZ 2008 division code, e.g. 28")
    group: Id | None = Field(
        None, description="id of a group's top company: it and all its subsidiaries"
    )
    region: Literal["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", ""] = Field(
        "", description="postal zone: first digit of the headquarters' postal code"
    )
    run: Id | None = Field(None, description="id of a finished analysis run; default the latest")
    future: Literal["forecast", "clv"] = Field(
        "forecast", description="future value of the quadrants: forecast revenue or CLV"
    )


class ShareOut(Schema):
    key: str
    label: str
    customers: int
    revenue_12m: Decimal
    contribution_margin_12m: Decimal
    forecast_revenue_12m: Decimal
    revenue_share: float = Field(..., description="% of the shown customers' revenue")
    margin_share: float = Field(..., description="% of the shown customers' margin")


class PortfolioOut(Schema):
    run_id: int
    as_of: date | None
    customers: int
    revenue_12m: Decimal
    contribution_margin_12m: Decimal
    forecast_revenue_12m: Decimal
    by_value_type: list[ShareOut]
    by_phase: list[ShareOut]
    abc: dict[str, dict[str, int]] = Field(
        ..., description="customers by ABC class by revenue, then by margin"
    )
    quadrants: dict[str, int] = Field(
        ..., description="stars, falling, rising, small: current against future value"
    )


@portfolio_router.get(
    "/",
    response={200: PortfolioOut, **ERRORS},
    summary="The portfolio of an analysis run: shares per type and phase, ABC, quadrants",
)
def get_portfolio(request: HttpRequest, params: Query[PortfolioParams]) -> PortfolioOut:
    from kundenbild.insights.portfolio import PortfolioFilters, portfolio, portfolio_run

    user = acting_user(request)
    portfolio_access(user)
    run = portfolio_run(params.run)
    if params.run is not None and (run is None or run.pk != params.run):
        raise NotFoundError(_("This analysis run does not exist or has not finished."))
    if run is None:
        raise NotFoundError(_("No analysis has run yet. The portfolio appears with the first run."))
    data = portfolio(
        run,
        PortfolioFilters(
            owner=params.owner,
            value_type=params.value_type,
            phase=params.phase,
            abc=params.abc,
            industry=params.industry,
            group=params.group,
            region=params.region,
        ),
        future=params.future,
    )

    def shares(rows: Any) -> list[ShareOut]:
        return [
            ShareOut(
                key=s.key,
                label=s.label,
                customers=s.customers,
                revenue_12m=s.revenue,
                contribution_margin_12m=s.margin,
                forecast_revenue_12m=s.forecast,
                revenue_share=round(s.revenue_share, 2),
                margin_share=round(s.margin_share, 2),
            )
            for s in rows
        ]

    return PortfolioOut(
        run_id=run.pk,
        as_of=run.as_of,
        customers=data.customers,
        revenue_12m=data.revenue,
        contribution_margin_12m=data.margin,
        forecast_revenue_12m=data.forecast,
        by_value_type=shares(data.by_type),
        by_phase=shares(data.by_phase),
        abc={row: dict(zip("ABC", counts, strict=True)) for row, counts in data.abc},
        quadrants=data.quadrants,
    )
