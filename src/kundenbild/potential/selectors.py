"""Potential, share of wallet and white space of a customer in a year.

Per offering of ours: potential = the sum of effective demand for it; our revenue comes
from the sales lines of that offering (article number) in the year when there are any,
else from the revenue entered with the effective demand. Share of wallet = our revenue /
potential; white space = potential − our revenue, with the competitor who serves it.
Demand for a competitor's offering that we do not sell is white space as a whole.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet, Sum
from django.utils import timezone

from kundenbild.customers.models import Customer
from kundenbild.finance.models import SalesLine
from kundenbild.offerings.models import Offering
from kundenbild.potential.models import EffectiveDemand, Need

ZERO = Decimal("0.00")


def need_list(*, customer: Customer) -> QuerySet[Need]:
    return (
        Need.objects.filter(customer=customer)
        .select_related("business_unit")
        .prefetch_related("demands__offering", "demands__effective")
        .order_by("priority", "title")
    )


def potential_years(customer: Customer) -> list[int]:
    return sorted(
        set(
            EffectiveDemand.objects.filter(demand__need__customer=customer).values_list(
                "year", flat=True
            )
        )
    )


def selected_year(raw: str | None, years: list[int]) -> int:
    """The year asked for, else this year if it has figures, else the latest with figures."""
    if raw and raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    this_year = timezone.localdate().year
    if this_year in years or not years:
        return this_year
    return years[-1]


def share_of_wallet(our_revenue: Decimal, potential: Decimal) -> Decimal | None:
    """Our revenue in % of the potential (may exceed 100 when the potential is set too low)."""
    if potential <= 0:
        return None
    return (our_revenue / potential * 100).quantize(Decimal("0.1"))


@dataclass
class PotentialRow:
    offering: Offering | None
    label: str
    needs: list[str] = field(default_factory=list)
    competitors: list[str] = field(default_factory=list)
    potential: Decimal = ZERO
    weighted: Decimal = ZERO
    entered_revenue: Decimal | None = None
    our_revenue: Decimal = ZERO
    revenue_source: str = ""  # "sales", "entered" or "" (none known)

    @property
    def share(self) -> Decimal | None:
        return share_of_wallet(self.our_revenue, self.potential)

    @property
    def white_space(self) -> Decimal:
        return max(self.potential - self.our_revenue, ZERO)


@dataclass(frozen=True)
class PotentialSummary:
    year: int
    rows: list[PotentialRow]

    @property
    def potential(self) -> Decimal:
        return sum((r.potential for r in self.rows), ZERO)

    @property
    def weighted(self) -> Decimal:
        return sum((r.weighted for r in self.rows), ZERO)

    @property
    def our_revenue(self) -> Decimal:
        return sum((r.our_revenue for r in self.rows), ZERO)

    @property
    def share(self) -> Decimal | None:
        return share_of_wallet(self.our_revenue, self.potential)

    @property
    def white_space(self) -> Decimal:
        return sum((r.white_space for r in self.rows), ZERO)


def customer_potential(customer: Customer, year: int) -> PotentialSummary:
    """The potential of one year, per offering of ours and per competitor demand."""
    effective = list(
        EffectiveDemand.objects.filter(demand__need__customer=customer, year=year).select_related(
            "demand__offering", "demand__need"
        )
    )
    numbers = {e.demand.offering.number for e in effective if e.demand.offering is not None}
    sold = dict(
        SalesLine.objects.filter(
            customer=customer, invoice_date__year=year, article_number__in=numbers
        )
        .values("article_number")
        .annotate(revenue=Sum("net_revenue"))
        .values_list("article_number", "revenue")
    )
    return summarise(effective, sold, year=year)


def summarise(
    effective: Iterable[EffectiveDemand], sold: Mapping[str, Decimal], *, year: int
) -> PotentialSummary:
    """Group a year's effective demand into rows and take our revenue for each.

    `sold` maps article numbers to the net revenue of the year's sales lines; it wins
    over revenue entered by hand, which only stands in where no sales data exist.
    """
    rows: dict[tuple[str, int], PotentialRow] = {}
    for e in effective:
        demand = e.demand
        offering = demand.offering
        key = ("offering", offering.pk) if offering else ("demand", demand.pk)
        row = rows.get(key)
        if row is None:
            row = rows[key] = PotentialRow(offering=offering, label=str(demand))
        row.potential += e.amount
        row.weighted += (e.amount * e.confidence / 100).quantize(Decimal("0.01"))
        if e.our_revenue is not None:
            row.entered_revenue = (row.entered_revenue or ZERO) + e.our_revenue
        if demand.need.title not in row.needs:
            row.needs.append(demand.need.title)
        if demand.competitor and demand.competitor not in row.competitors:
            row.competitors.append(demand.competitor)
    for row in rows.values():
        if row.offering is not None and row.offering.number in sold:
            row.our_revenue, row.revenue_source = Decimal(sold[row.offering.number]), "sales"
        elif row.entered_revenue is not None:
            row.our_revenue, row.revenue_source = row.entered_revenue, "entered"
    ordered = sorted(rows.values(), key=lambda r: (-r.potential, r.label))
    return PotentialSummary(year=year, rows=ordered)
