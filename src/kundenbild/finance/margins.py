"""Contribution margins I–III of a customer per year or month, and per offering.

- I   = net revenue − cost of goods (the sales lines);
- II  = I − customer-specific direct costs: after-invoice rebates and freight on the
        lines, plus bonuses, rebates, freight and special service recorded per period;
- III = II − overheads attributed to the customer: each activity of the contact log at
        its rate (`OverheadRate`), plus key account and support costs recorded per period.

Costs recorded for a whole year count in that year; by month, a twelfth per month.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Sum
from django.db.models.functions import ExtractMonth, ExtractYear

from kundenbild.activities.models import Activity
from kundenbild.customers.models import Customer
from kundenbild.finance.models import (
    DIRECT_COST_KINDS,
    CustomerCost,
    OverheadRate,
    SalesLine,
)
from kundenbild.finance.selectors import ZERO, cents

Period = tuple[int, int | None]  # (year, month or None for the whole year)


@dataclass(frozen=True)
class MarginRow:
    year: int
    month: int | None
    revenue: Decimal
    cost_of_goods: Decimal
    line_direct_costs: Decimal  # after-invoice rebates and freight on the lines
    other_direct_costs: Decimal  # recorded per period
    activity_overheads: Decimal
    other_overheads: Decimal  # recorded per period
    invoices: int

    @property
    def label(self) -> str:
        return f"{self.year}-{self.month:02d}" if self.month else str(self.year)

    @property
    def contribution_margin_1(self) -> Decimal:
        return self.revenue - self.cost_of_goods

    @property
    def contribution_margin_2(self) -> Decimal:
        return self.contribution_margin_1 - self.line_direct_costs - self.other_direct_costs

    @property
    def contribution_margin_3(self) -> Decimal:
        return self.contribution_margin_2 - self.activity_overheads - self.other_overheads

    @property
    def margin_1_ratio(self) -> Decimal | None:
        return self.contribution_margin_1 / self.revenue if self.revenue else None


def contribution_margins(
    customer: Customer, *, monthly: bool = False, year: int | None = None
) -> list[MarginRow]:
    """One row per year (or per month of `year`, or of all years), oldest first."""
    lines = SalesLine.objects.filter(customer=customer)
    costs = CustomerCost.objects.filter(customer=customer)
    activities = Activity.objects.filter(customer=customer)
    if year is not None:
        lines = lines.filter(invoice_date__year=year)
        costs = costs.filter(year=year)
        activities = activities.filter(occurred_on__year=year)

    def key(y: int, m: int | None) -> Period:
        return (y, m if monthly else None)

    sold: dict[Period, dict[str, Decimal | int]] = {}
    grouped = lines.annotate(y=ExtractYear("invoice_date"), m=ExtractMonth("invoice_date"))
    fields = ("y", "m") if monthly else ("y",)
    for row in grouped.values(*fields).annotate(
        revenue=Sum("net_revenue"),
        cogs=Sum("cost_of_goods"),
        discount=Sum("discount"),
        freight=Sum("freight"),
        invoices=Count("invoice_number", distinct=True),
    ):
        sold[key(row["y"], row.get("m"))] = row
    direct: dict[Period, Decimal] = defaultdict(lambda: ZERO)
    overhead: dict[Period, Decimal] = defaultdict(lambda: ZERO)
    for cost in costs:
        target = direct if cost.kind in DIRECT_COST_KINDS else overhead
        if not monthly:
            target[(cost.year, None)] += cost.amount
        elif cost.month:
            target[(cost.year, cost.month)] += cost.amount
        else:
            for m in range(1, 13):
                target[(cost.year, m)] += cost.amount / 12
    rates = dict(OverheadRate.objects.values_list("activity_kind", "amount"))
    effort: dict[Period, Decimal] = defaultdict(lambda: ZERO)
    counted = activities.annotate(y=ExtractYear("occurred_on"), m=ExtractMonth("occurred_on"))
    for row in counted.values(*fields, "kind").annotate(n=Count("pk")):
        effort[key(row["y"], row.get("m"))] += rates.get(row["kind"], ZERO) * row["n"]
    periods = sorted(
        set(sold) | set(direct) | set(overhead) | set(effort),
        key=lambda p: (p[0], p[1] or 0),
    )
    rows = []
    for period in periods:
        s = sold.get(period, {})
        rows.append(
            MarginRow(
                year=period[0],
                month=period[1],
                revenue=cents(s.get("revenue")),
                cost_of_goods=cents(s.get("cogs")),
                line_direct_costs=cents(s.get("discount")) + cents(s.get("freight")),
                other_direct_costs=cents(direct[period]),
                activity_overheads=cents(effort[period]),
                other_overheads=cents(overhead[period]),
                invoices=int(s.get("invoices", 0)),
            )
        )
    return rows


@dataclass(frozen=True)
class OfferingMargin:
    article_number: str
    revenue: Decimal
    cost_of_goods: Decimal
    line_direct_costs: Decimal

    @property
    def contribution_margin_1(self) -> Decimal:
        return self.revenue - self.cost_of_goods

    @property
    def contribution_margin_2(self) -> Decimal:
        """Only the line-level direct costs: period costs belong to no single offering."""
        return self.contribution_margin_1 - self.line_direct_costs


def margins_by_offering(customer: Customer, year: int) -> list[OfferingMargin]:
    rows = (
        SalesLine.objects.filter(customer=customer, invoice_date__year=year)
        .values("article_number")
        .annotate(
            revenue=Sum("net_revenue"),
            cogs=Sum("cost_of_goods"),
            discount=Sum("discount"),
            freight=Sum("freight"),
        )
    )
    margins = [
        OfferingMargin(
            article_number=row["article_number"],
            revenue=cents(row["revenue"]),
            cost_of_goods=cents(row["cogs"]),
            line_direct_costs=cents(row["discount"]) + cents(row["freight"]),
        )
        for row in rows
    ]
    return sorted(margins, key=lambda m: -m.revenue)
