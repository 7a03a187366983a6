"""`/api/selection/`, `/api/portfolio/` (with `/api/portfolio/timeline`) and
`/api/coaching/effect`: customers ranked by goal, the portfolio and its course over the
analysis runs, and what the coaching focus gained beyond similar customers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema

from kundenbild.accounts.requests import acting_user
from kundenbild.core.api_schema import ERRORS, Id
from kundenbild.core.errors import ApplicationError, NotFoundError
from kundenbild.portfolio.permissions import portfolio_access, selection_access

if TYPE_CHECKING:
    from kundenbild.analytics.coaching_effect import Effect, Total
    from kundenbild.portfolio.effect import FocusEffect, GoalEffect
    from kundenbild.portfolio.selectors import PortfolioFilters

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
    value_type: str = Field(..., description="the value type in the run used; '' without one")
    lifecycle_phase: str = Field(..., description="the lifecycle phase; '' without one")
    reasons: list[SelectionReasonOut] = Field(..., description="top reasons, largest first")


class ScopeOut(Schema):
    """The scope as applied; empty fields do not narrow."""

    offering: str = Field("", description="article number")
    offering_group: int | None = None
    value_types: list[str] = Field(default_factory=list)
    phases: list[str] = Field(default_factory=list)
    industry: str = ""
    size_class: str = ""
    region: str = ""
    owner: int | None = None
    chain: int | None = None
    described: list[list[str]] = Field(
        default_factory=list, description="the scope in words: [what, which] pairs"
    )


class SelectionOut(Schema):
    goal: str
    weights: dict[str, float] = Field(..., description="the weights used, by criterion")
    as_of: date | None = Field(..., description="as-of date of the analysis run used")
    scope: ScopeOut
    left_out: list[str] = Field(
        ..., description="value types and phases the goal leaves out (and not included)"
    )
    customers: list[SelectedCustomerOut]


ValueTypeCode = Literal[
    "steady", "cyclical", "bell", "growth", "shrinking", "burr", "insufficient_history"
]
PhaseCode = Literal["ramp_up", "mature", "phase_out", "lost"]


class SelectionParams(Schema):
    goal: Literal["growth", "profitability", "innovation", "pearls"] = "growth"
    limit: int = Field(
        25, ge=1, le=1000, description="how many customers, best first (with per_type: per type)"
    )
    weights: str = Field(
        "", description="criterion=weight pairs, comma-separated, e.g. white_space=5,p_alive=0"
    )
    offering: str = Field(
        "",
        max_length=40,
        description="article number: only customers with demand or sales of it, with white "
        "space and share of wallet of this offering",
    )
    offering_group: Id | None = Field(None, description="the same for an offering group's id")
    value_type: list[ValueTypeCode] = Field(
        default_factory=list, description="rank only customers of these value types"
    )
    phase: list[PhaseCode] = Field(
        default_factory=list, description="rank only customers in these lifecycle phases"
    )
    industry: str = Field("", max_length=8, description="WZ 2008 division code, e.g. 28")
    size_class: Literal["micro", "small", "medium", "large", ""] = ""
    region: Literal["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", ""] = Field(
        "", description="postal zone: first digit of the headquarters' postal code"
    )
    owner: Id | None = Field(None, description="user id of the key account manager")
    chain: Id | None = Field(None, description="id of a problem-solving chain: its customers")
    per_type: bool = Field(
        False, description="the best `limit` customers of each value type, type by type"
    )
    include: list[ValueTypeCode | PhaseCode] = Field(
        default_factory=list,
        description="value types or phases the goal leaves out, ranked all the same "
        "(growth leaves out burr and lost customers, the other goals lost ones)",
    )


@selection_router.get(
    "/",
    response={200: SelectionOut, **ERRORS},
    summary="Customers ranked by the documented score for a goal, with their top reasons",
    operation_id="kundenbild_insights_api_get_selection",  # as before the move: clients keep it
)
def get_selection(request: HttpRequest, params: Query[SelectionParams]) -> SelectionOut:
    from kundenbild.analytics.selection import LEFT_OUT, SelectionError, select
    from kundenbild.portfolio.criteria import selection_criteria
    from kundenbild.portfolio.exports import CRITERION_LABELS, selection_rows
    from kundenbild.portfolio.scope import scope_from_input, scope_lines

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
    scope = scope_from_input(
        offering=params.offering,
        offering_group=str(params.offering_group or ""),
        value_types=params.value_type,
        phases=params.phase,
        industry=params.industry,
        size_class=params.size_class,
        region=params.region,
        owner=str(params.owner or ""),
        chain=str(params.chain or ""),
    )
    criteria = selection_criteria(scope)
    try:
        selection = select(goal, criteria.values, overrides)
    except SelectionError as error:
        raise ApplicationError(str(error), field="weights") from None
    rows = selection_rows(
        selection,
        criteria,
        None if params.per_type else limit,
        include=params.include,
        per_type=limit if params.per_type else None,
    )

    def number_or_none(value: float) -> float | None:
        return None if value != value else value

    return SelectionOut(
        goal=goal,
        weights=selection.weights,
        as_of=criteria.run.as_of if criteria.run else None,
        scope=ScopeOut(**scope.as_json(), described=[list(line) for line in scope_lines(scope)]),
        left_out=sorted(LEFT_OUT.get(goal, frozenset()) - set(params.include)),
        customers=[
            SelectedCustomerOut(
                rank=row["rank"],
                customer_id=row["customer"].pk,
                number=row["customer"].number,
                name=row["customer"].name,
                score=round(row["score"], 2),
                value_type=row["value_type"],
                lifecycle_phase=row["lifecycle_phase"],
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


coaching_router = Router(tags=["coaching focus"])


class CoachingEffectParams(Schema):
    run: Id | None = Field(
        None, description="id of a finished analysis run: measure up to it; default all runs"
    )


class EffectFigureOut(Schema):
    estimate: float = Field(
        ..., description="euros beyond the peers: the customer's change minus their mean change"
    )
    low: float = Field(..., description="lower end of the bootstrap interval (see `level`)")
    high: float = Field(..., description="upper end of the bootstrap interval")
    change: float = Field(..., description="the customer's own change since the baseline")
    peer_change: float = Field(..., description="the peers' mean change since the baseline")
    verdict: Literal["gain", "loss", "unclear"] = Field(
        ..., description="gain or loss where the whole interval lies above or below 0"
    )


class EffectMeasurementOut(Schema):
    run_id: int
    as_of: date | None
    peers: int = Field(..., description="how many peers the customer is compared with")
    size_matched: bool = Field(
        ..., description="false where too few peers of the same size class were found"
    )
    revenue: EffectFigureOut | None = Field(..., description="null with too few peers")
    margin: EffectFigureOut | None = Field(
        ..., description="contribution margin I; null without costs or with too few peers"
    )


class FocusEffectOut(Schema):
    focus_id: int
    customer_id: int
    customer_name: str
    goal: str = Field(..., description="growth, profitability or innovation")
    started_on: date
    closed_on: date | None
    status: Literal["measured", "no_baseline", "no_run_since", "too_few_peers"] = Field(
        ..., description="why there is no figure, if there is none"
    )
    baseline_as_of: date | None = Field(
        ..., description="as-of date of the run before the start: the values compared with"
    )
    measurements: list[EffectMeasurementOut] = Field(
        ..., description="one per analysis run since the start, oldest first"
    )


class EffectTotalOut(Schema):
    estimate: float = Field(..., description="euros the goal's foci gained beyond their peers")
    low: float
    high: float
    mean: float = Field(..., description="per measured focus")
    customers: int
    verdict: Literal["gain", "loss", "unclear"]


class GoalEffectOut(Schema):
    goal: str = Field(..., description="growth, profitability or innovation")
    label: str
    foci: int = Field(..., description="coaching foci of the goal, open or closed")
    measured: int = Field(..., description="foci with an effect figure")
    revenue: EffectTotalOut | None
    margin: EffectTotalOut | None


class CoachingEffectOut(Schema):
    level: float = Field(..., description="probability the intervals hold, e.g. 0.9")
    goals: list[GoalEffectOut]
    foci: list[FocusEffectOut]


@coaching_router.get(
    "/effect",
    response={200: CoachingEffectOut, **ERRORS},
    summary="Did coaching work? Each focus's and each goal's gain beyond similar customers",
)
def get_coaching_effect(
    request: HttpRequest, params: Query[CoachingEffectParams]
) -> CoachingEffectOut:
    from kundenbild.portfolio.effect import coaching_effect
    from kundenbild.portfolio.selectors import portfolio_run

    portfolio_access(acting_user(request))
    run = None
    if params.run is not None:
        run = portfolio_run(params.run)
        if run is None or run.pk != params.run:
            raise NotFoundError(_("This analysis run does not exist or has not finished."))
    effect = coaching_effect(up_to=run)
    return CoachingEffectOut(
        level=effect.config.level,
        goals=[_goal_effect_out(goal) for goal in effect.goals],
        foci=[_focus_effect_out(focus) for focus in effect.foci],
    )


def _figure_out(figure: Effect | None) -> EffectFigureOut | None:
    if figure is None:
        return None
    return EffectFigureOut(
        estimate=round(figure.estimate, 2),
        low=round(figure.low, 2),
        high=round(figure.high, 2),
        change=round(figure.change, 2),
        peer_change=round(figure.peer_change, 2),
        verdict=figure.verdict,
    )


def _total_out(total: Total | None) -> EffectTotalOut | None:
    if total is None:
        return None
    return EffectTotalOut(
        estimate=round(total.estimate, 2),
        low=round(total.low, 2),
        high=round(total.high, 2),
        mean=round(total.mean, 2),
        customers=total.customers,
        verdict=total.verdict,
    )


def _goal_effect_out(goal: GoalEffect) -> GoalEffectOut:
    return GoalEffectOut(
        goal=goal.goal,
        label=goal.label,
        foci=goal.foci,
        measured=goal.measured,
        revenue=_total_out(goal.revenue),
        margin=_total_out(goal.margin),
    )


def _focus_effect_out(effect: FocusEffect) -> FocusEffectOut:
    focus = effect.focus
    return FocusEffectOut(
        focus_id=focus.pk,
        customer_id=focus.customer_id,
        customer_name=focus.customer.name,
        goal=focus.goal,
        started_on=focus.started_on,
        closed_on=focus.closed_on,
        status=effect.status,
        baseline_as_of=effect.baseline.as_of if effect.baseline else None,
        measurements=[
            EffectMeasurementOut(
                run_id=m.run.pk,
                as_of=m.run.as_of,
                peers=m.peers,
                size_matched=m.size_matched,
                revenue=_figure_out(m.revenue),
                margin=_figure_out(m.margin),
            )
            for m in effect.measurements
        ],
    )
