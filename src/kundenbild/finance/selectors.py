"""Reads on sales lines: revenue and contribution margins per customer and period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.db.models.functions import ExtractMonth, ExtractYear

from kundenbild.customers.models import Customer
from kundenbild.finance.models import FinanceProfile, SalesLine

ZERO = Decimal("0.00")


def cents(value: Decimal | float | int | None) -> Decimal:
    """Sums come back with the backend's scale (SQLite drops it); money always has cents."""
    return Decimal(value if value is not None else 0).quantize(ZERO)


@dataclass(frozen=True)
class MonthValue:
    month: str  # "2025-03"
    revenue: Decimal
    contribution_margin_1: Decimal


def customer_monthly_values(customer: Customer) -> list[MonthValue]:
    """Revenue and contribution margin I per calendar month, months without orders as zero."""
    rows = (
        SalesLine.objects.filter(customer=customer)
        .annotate(year=ExtractYear("invoice_date"), month=ExtractMonth("invoice_date"))
        .values("year", "month")
        .annotate(revenue=Sum("net_revenue"), cogs=Sum("cost_of_goods"))
        .order_by("year", "month")
    )
    by_month: dict[tuple[int, int], dict[str, Any]] = {
        (r["year"], r["month"]): dict(r) for r in rows
    }
    if not by_month:
        return []
    (y, m), last = min(by_month), max(by_month)
    series = []
    while (y, m) <= last:
        row = by_month.get((y, m), {})
        revenue = cents(row.get("revenue"))
        series.append(MonthValue(f"{y:04d}-{m:02d}", revenue, revenue - cents(row.get("cogs"))))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return series


def revenue_by_customer(customer_ids: list[int], *, since: date) -> dict[int, Decimal]:
    """Net revenue since a date for each of the given customers (zero where none)."""
    rows = (
        SalesLine.objects.filter(customer_id__in=customer_ids, invoice_date__gte=since)
        .values("customer_id")
        .annotate(revenue=Sum("net_revenue"))
    )
    totals = dict.fromkeys(customer_ids, ZERO)
    totals.update({r["customer_id"]: cents(r["revenue"]) for r in rows})
    return totals


def finance_profile_get(customer: Customer) -> FinanceProfile:
    """The customer's profile, or an unsaved empty one."""
    return FinanceProfile.objects.filter(customer=customer).first() or FinanceProfile(
        customer=customer, version=0
    )
