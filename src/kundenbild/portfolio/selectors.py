"""The portfolio of one analysis run: where value sits now and in future.

All figures are aggregates in the database (one query each) over the run's customer
values, filtered by owner, value type, phase, ABC class, industry, group and region; the
matrix sends at most `MATRIX_POINTS` customers to the browser (the largest by current
value), with the quadrant counts over all of them.

The coaching focus's progress is read here too: the latest run's revenue, margin and
forecast of each customer in focus against its targets, so the list tells whether a
customer is on its way before the review date.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from kundenbild.customers.models import Customer
from kundenbild.customers.selectors import group_member_ids
from kundenbild.insights.models import (
    ABC_CHOICES,
    PHASE_CHOICES,
    VALUE_TYPE_CHOICES,
    AnalysisRun,
    CustomerValue,
    RunStatus,
)
from kundenbild.insights.selectors import latest_run, previous_run
from kundenbild.portfolio.models import CoachingFocus
from kundenbild.portfolio.scope import Scope, scope_customers

MATRIX_POINTS = 1_500
ZERO = Decimal("0")


REGIONS = [str(digit) for digit in range(10)]  # German postal zones: first digit
# what the matrix and the quadrants take as a customer's future value
FUTURE_COLUMNS = {"forecast": "forecast_revenue_12m", "clv": "clv"}


@dataclass(frozen=True)
class PortfolioFilters:
    owner: int | None = None
    value_type: str = ""
    phase: str = ""
    abc: str = ""
    industry: str = ""  # WZ 2008 division code
    group: int | None = None  # the top company of a group: it and all its subsidiaries
    region: str = ""  # postal zone (first digit of the headquarters' postal code)
    offering: str = ""  # article number: customers with demand or sales of it
    offering_group: int | None = None
    size_class: str = ""
    chain: int | None = None  # the customers of a problem-solving chain

    def scope(self) -> Scope:
        """The conditions on the customer a selection's scope shares with the portfolio's
        filters: `scope.scope_customers` applies them, for both."""
        return Scope(
            owner=self.owner,
            industry=self.industry,
            region=self.region,
            offering=self.offering,
            offering_group=self.offering_group,
            size_class=self.size_class,
            chain=self.chain,
        )


@dataclass(frozen=True)
class FilterOptions:
    runs: list[AnalysisRun]
    groups: list[tuple[int, str]]


def portfolio_run(run_id: int | None) -> AnalysisRun | None:
    """The finished run of that id (the as-of date a user picked), else the latest."""
    if run_id is not None:
        chosen = AnalysisRun.objects.filter(pk=run_id, status=RunStatus.DONE).first()
        if chosen is not None:
            return chosen
    return latest_run()


def portfolio_filter_options(*, runs: int = 24) -> FilterOptions:
    """What the filters offer beside the scope's (`scope.scope_options`): the finished runs
    and the groups."""
    return FilterOptions(
        runs=list(
            AnalysisRun.objects.filter(status=RunStatus.DONE).order_by("-finished_at", "-pk")[:runs]
        ),
        groups=list(
            Customer.objects.filter(parent__isnull=True, subsidiaries__isnull=False)
            .distinct()
            .order_by("name")
            .values_list("pk", "name")
        ),
    )


@dataclass
class Share:
    key: str
    label: str
    customers: int = 0
    revenue: Decimal = ZERO
    margin: Decimal = ZERO
    forecast: Decimal = ZERO
    revenue_share: float = 0.0
    margin_share: float = 0.0


@dataclass
class Portfolio:
    run: AnalysisRun
    customers: int
    revenue: Decimal
    margin: Decimal
    forecast: Decimal
    by_type: list[Share]
    by_phase: list[Share]
    abc: list[tuple[str, list[int]]]  # per class by revenue: customers in A, B, C by margin
    quadrants: dict[str, int]
    points: list[dict[str, Any]] = field(default_factory=list)
    changes: list[dict[str, Any]] = field(default_factory=list)


def value_sums() -> dict[str, Any]:
    """What the portfolio adds up over a set of customer values: customers, revenue and
    margin of the last 12 months, forecast of the next 12 (a missing one counts as 0)."""
    return {
        "customers": Count("pk"),
        "revenue": Coalesce(Sum("revenue_12m"), ZERO),
        "margin": Coalesce(Sum("contribution_margin_12m"), ZERO),
        "forecast": Coalesce(Sum("forecast_revenue_12m"), ZERO),
    }


def portfolio_values(run: AnalysisRun, filters: PortfolioFilters) -> QuerySet[CustomerValue]:
    return filtered_values(CustomerValue.objects.filter(run=run), filters)


def filtered_values(
    values: QuerySet[CustomerValue], filters: PortfolioFilters
) -> QuerySet[CustomerValue]:
    """`values` narrowed by the portfolio's filters: one run's portfolio and the timeline
    across all runs (`portfolio.timeline`) select their customers the same way."""
    if filters.value_type:
        values = values.filter(value_type=filters.value_type)
    if filters.phase:
        values = values.filter(lifecycle_phase=filters.phase)
    if filters.abc:
        values = values.filter(abc_revenue=filters.abc)
    if filters.group:
        values = values.filter(customer_id__in=group_member_ids(filters.group))
    customers = scope_customers(filters.scope())
    if customers is not None:
        values = values.filter(customer_id__in=customers.values("pk"))
    return values


def portfolio(
    run: AnalysisRun, filters: PortfolioFilters, *, future: str = "forecast"
) -> Portfolio:
    """The portfolio of the run; `future` is "forecast" (revenue of the next 12 months)
    or "clv" (customer lifetime value) for the matrix and the quadrants."""
    future_column = FUTURE_COLUMNS[future]
    values = portfolio_values(run, filters)
    totals = values.aggregate(**value_sums())
    by_type = _shares(values, "value_type", VALUE_TYPE_CHOICES, totals)
    by_phase = _shares(values, "lifecycle_phase", PHASE_CHOICES, totals)
    classes = [key for key, _ in ABC_CHOICES]
    cells = {(r, m): 0 for r in classes for m in classes}
    for row in values.values("abc_revenue", "abc_margin").annotate(n=Count("pk")).order_by():
        if (row["abc_revenue"], row["abc_margin"]) in cells:
            cells[row["abc_revenue"], row["abc_margin"]] = row["n"]
    abc = [(r, [cells[r, m] for m in classes]) for r in classes]
    return Portfolio(
        run=run,
        customers=totals["customers"],
        revenue=totals["revenue"],
        margin=totals["margin"],
        forecast=totals["forecast"],
        by_type=by_type,
        by_phase=by_phase,
        abc=abc,
        quadrants=_quadrants(values, future_column),
        points=_points(values, future_column),
        changes=changes_since_previous(run, values),
    )


def _shares(
    values: QuerySet[CustomerValue],
    column: str,
    choices: list[tuple[str, Any]],
    totals: dict[str, Any],
) -> list[Share]:
    rows = {row[column]: row for row in values.values(column).annotate(**value_sums()).order_by()}
    shares = []
    for key, label in choices:
        row = rows.get(key)
        share = Share(key=key, label=str(label))
        if row:
            share.customers = row["customers"]
            share.revenue, share.margin, share.forecast = (
                row["revenue"],
                row["margin"],
                row["forecast"],
            )
            if totals["revenue"]:
                share.revenue_share = float(100 * row["revenue"] / totals["revenue"])
            if totals["margin"]:
                share.margin_share = float(100 * row["margin"] / totals["margin"])
        shares.append(share)
    return shares


def _quadrants(values: QuerySet[CustomerValue], future_column: str) -> dict[str, int]:
    """Customers by current value (last 12 months) against future value (forecast or
    CLV), each split at its median among the shown customers."""
    current = _median(values, "revenue_12m")
    future = _median(values, future_column)
    high_now = Q(revenue_12m__gte=current)
    high_later = Q(**{f"{future_column}__gte": future})
    counts = values.aggregate(
        stars=Count("pk", filter=high_now & high_later),
        falling=Count("pk", filter=high_now & ~high_later),
        rising=Count("pk", filter=~high_now & high_later),
        small=Count("pk", filter=~high_now & ~high_later),
    )
    return {key: int(value) for key, value in counts.items()}


def _median(values: QuerySet[CustomerValue], column: str) -> Decimal:
    count = values.count()
    if not count:
        return ZERO
    found = (
        values.exclude(**{f"{column}__isnull": True})
        .order_by(column)
        .values_list(column, flat=True)[count // 2 : count // 2 + 1]
    )
    return next(iter(found), ZERO) or ZERO


def _points(values: QuerySet[CustomerValue], future_column: str) -> list[dict[str, Any]]:
    rows = values.order_by("-revenue_12m").values(
        "customer_id",
        "customer__name",
        "value_type",
        "revenue_12m",
        "contribution_margin_12m",
        future=F(future_column),
    )[:MATRIX_POINTS]
    return [
        {
            "id": row["customer_id"],
            "name": row["customer__name"],
            "type": row["value_type"],
            "now": float(row["revenue_12m"] or 0),
            "future": float(row["future"] or 0),
            "margin": float(row["contribution_margin_12m"] or 0),
        }
        for row in rows
    ]


def changes_since_previous(
    run: AnalysisRun, values: QuerySet[CustomerValue], limit: int = 50
) -> list[dict[str, Any]]:
    """Customers whose value type or ABC class by revenue differs from the previous run."""
    before = previous_run(run)
    if before is None:
        return []
    earlier = CustomerValue.objects.filter(run=before, customer_id__in=values.values("customer_id"))
    old = {
        row["customer_id"]: row
        for row in earlier.values("customer_id", "value_type", "abc_revenue").iterator(2_000)
    }
    labels = dict(VALUE_TYPE_CHOICES)
    changed = []
    rows = values.values("customer_id", "customer__name", "value_type", "abc_revenue")
    for row in rows.order_by(F("revenue_12m").desc(nulls_last=True)).iterator(2_000):
        was = old.get(row["customer_id"])
        if was is None:
            continue
        if was["value_type"] != row["value_type"] or was["abc_revenue"] != row["abc_revenue"]:
            changed.append(
                {
                    "customer_id": row["customer_id"],
                    "name": row["customer__name"],
                    "type_before": str(labels.get(was["value_type"], was["value_type"])),
                    "type_now": str(labels.get(row["value_type"], row["value_type"])),
                    "abc_before": was["abc_revenue"],
                    "abc_now": row["abc_revenue"],
                }
            )
            if len(changed) >= limit:
                break
    return changed


@dataclass(frozen=True)
class FocusProgress:
    focus: CoachingFocus
    revenue_12m: Decimal | None
    forecast_revenue_12m: Decimal | None
    margin_12m: Decimal | None
    revenue_progress: float | None  # revenue of the last 12 months in % of the target
    forecast_progress: float | None  # forecast in % of the target
    margin_progress: float | None
    review_due: bool


def coaching_focus_progress(focus_list: list[CoachingFocus]) -> list[FocusProgress]:
    """Each focus with the figures of the latest analysis run against its targets."""
    run = latest_run()
    values = {}
    if run is not None:
        values = {
            value.customer_id: value
            for value in CustomerValue.objects.filter(
                run=run, customer_id__in=[f.customer_id for f in focus_list]
            )
        }
    today = timezone.localdate()
    result = []
    for focus in focus_list:
        value = values.get(focus.customer_id)
        revenue = value.revenue_12m if value else None
        forecast = value.forecast_revenue_12m if value else None
        margin = value.contribution_margin_12m if value else None
        result.append(
            FocusProgress(
                focus=focus,
                revenue_12m=revenue,
                forecast_revenue_12m=forecast,
                margin_12m=margin,
                revenue_progress=_percent(revenue, focus.target_revenue),
                forecast_progress=_percent(forecast, focus.target_revenue),
                margin_progress=_percent(margin, focus.target_margin),
                review_due=focus.closed_on is None and focus.review_on <= today,
            )
        )
    return result


def _percent(value: Decimal | None, target: Decimal | None) -> float | None:
    """The value in % of a target above 0 (progress towards a target of 0 or below, a
    margin that should shrink its loss, has no percentage that reads right)."""
    if value is None or target is None or target <= 0:
        return None
    return float(100 * value / target)
