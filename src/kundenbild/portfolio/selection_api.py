"""`/api/selection/`: the customers in a scope ranked by the documented score for a goal."""

from __future__ import annotations

from datetime import date
from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema

from kundenbild.accounts.requests import acting_user
from kundenbild.core.api_schema import ERRORS, Id
from kundenbild.core.errors import ApplicationError
from kundenbild.portfolio.permissions import selection_access

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
