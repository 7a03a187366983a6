"""`/api/coaching/effect`: what the customers in the coaching focus gained beyond similar
customers not in focus (`portfolio.effect`)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Literal

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema

from kundenbild.accounts.requests import acting_user
from kundenbild.core.api_schema import ERRORS, Id
from kundenbild.core.errors import NotFoundError
from kundenbild.portfolio.permissions import portfolio_access

if TYPE_CHECKING:
    from kundenbild.analytics.coaching_effect import Effect, Total
    from kundenbild.portfolio.effect import FocusEffect, GoalEffect

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
