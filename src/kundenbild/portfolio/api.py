"""`/api/portfolio/` and `/api/portfolio/timeline`: the portfolio of an analysis run, and
its course over the runs."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema

from kundenbild.accounts.requests import acting_user
from kundenbild.core.api_schema import ERRORS, Id
from kundenbild.core.errors import NotFoundError
from kundenbild.portfolio.permissions import portfolio_access

if TYPE_CHECKING:
    from kundenbild.portfolio.selectors import PortfolioFilters

portfolio_router = Router(tags=["portfolio"])


class PortfolioFilterParams(Schema):
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
    offering: str = Field(
        "", max_length=40, description="article number: customers with demand or sales of it"
    )
    offering_group: Id | None = Field(None, description="the same for an offering group's id")
    size_class: Literal["micro", "small", "medium", "large", ""] = ""
    chain: Id | None = Field(None, description="id of a problem-solving chain: its customers")

    def filters(self) -> PortfolioFilters:
        from kundenbild.portfolio.selectors import PortfolioFilters

        return PortfolioFilters(
            owner=self.owner,
            value_type=self.value_type,
            phase=self.phase,
            abc=self.abc,
            industry=self.industry,
            group=self.group,
            region=self.region,
            offering=self.offering,
            offering_group=self.offering_group,
            size_class=self.size_class,
            chain=self.chain,
        )


class PortfolioParams(PortfolioFilterParams):
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
    operation_id="kundenbild_insights_api_get_portfolio",  # as before the move
)
def get_portfolio(request: HttpRequest, params: Query[PortfolioParams]) -> PortfolioOut:
    from kundenbild.portfolio.selectors import portfolio, portfolio_run

    user = acting_user(request)
    portfolio_access(user)
    run = portfolio_run(params.run)
    if params.run is not None and (run is None or run.pk != params.run):
        raise NotFoundError(_("This analysis run does not exist or has not finished."))
    if run is None:
        raise NotFoundError(_("No analysis has run yet. The portfolio appears with the first run."))
    data = portfolio(run, params.filters(), future=params.future)

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


class TimelineFiguresOut(Schema):
    key: str = Field(..., description="the value type or phase")
    label: str = Field(..., description="the value type or phase in the user's language")
    customers: int
    revenue_12m: Decimal
    contribution_margin_12m: Decimal = Field(..., description="missing margins count as 0")
    forecast_revenue_12m: Decimal = Field(..., description="missing forecasts count as 0")


class TimelineRunOut(Schema):
    run_id: int
    as_of: date
    customers: int
    revenue_12m: Decimal
    contribution_margin_12m: Decimal
    forecast_revenue_12m: Decimal
    by_value_type: list[TimelineFiguresOut] = Field(..., description="every value type")
    by_phase: list[TimelineFiguresOut] = Field(..., description="every lifecycle phase")


class PortfolioTimelineOut(Schema):
    runs: list[TimelineRunOut] = Field(
        ...,
        description="one per as-of date, oldest first (of runs sharing an as-of date the "
        "latest finished); empty before the first analysis",
    )


@portfolio_router.get(
    "/timeline",
    response={200: PortfolioTimelineOut, **ERRORS},
    summary="The portfolio over time: customer value per value type and phase in every run",
)
def get_portfolio_timeline(
    request: HttpRequest, params: Query[PortfolioFilterParams]
) -> PortfolioTimelineOut:
    from kundenbild.insights.models import PHASE_LABELS, VALUE_TYPE_LABELS
    from kundenbild.portfolio.timeline import Figures, portfolio_timeline

    portfolio_access(acting_user(request))

    def figures(by_key: dict[str, Figures], labels: dict[str, Any]) -> list[TimelineFiguresOut]:
        return [
            TimelineFiguresOut(
                key=key,
                label=str(labels.get(key, key)),
                customers=value.customers,
                revenue_12m=value.revenue,
                contribution_margin_12m=value.margin,
                forecast_revenue_12m=value.forecast,
            )
            for key, value in by_key.items()
        ]

    return PortfolioTimelineOut(
        runs=[
            TimelineRunOut(
                run_id=run.run_id,
                as_of=run.as_of,
                customers=run.total.customers,
                revenue_12m=run.total.revenue,
                contribution_margin_12m=run.total.margin,
                forecast_revenue_12m=run.total.forecast,
                by_value_type=figures(run.by_type, VALUE_TYPE_LABELS),
                by_phase=figures(run.by_phase, PHASE_LABELS),
            )
            for run in portfolio_timeline(params.filters())
        ]
    )
