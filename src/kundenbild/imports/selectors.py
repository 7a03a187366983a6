"""Totals of the sales lines in the database, to reconcile with the ERP; the imports,
and the change reasons they write into the history of customers and offerings."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, F, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear

from kundenbild.finance.models import SalesLine
from kundenbild.finance.selectors import cents
from kundenbild.imports.models import ImportRun

ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=16, decimal_places=2))
IMPORT_REASON = "import:"  # + the import's id: the change reason of what it created
ROLLBACK_REASON = "import-rollback:"  # + the id: of what its rollback removed


def import_reason(run_id: int) -> str:
    """The change reason of the history rows of what an import creates: "import:7"."""
    return f"{IMPORT_REASON}{run_id}"


def rollback_reason(run_id: int) -> str:
    """The change reason of the history rows of what an import's rollback removes."""
    return f"{ROLLBACK_REASON}{run_id}"


def sales_totals(by: str | None = None) -> list[dict[str, Any]]:
    """Lines, revenue, cost and contribution margin I, in total or per year or customer."""
    lines = SalesLine.objects.all()
    if by == "year":
        grouped = lines.annotate(key=ExtractYear("invoice_date")).values("key")
    elif by == "customer":
        grouped = lines.annotate(key=F("customer__number")).values("key")
    else:
        grouped = lines.annotate(key=Value("all")).values("key")
    rows = grouped.annotate(
        lines=Count("pk"),
        revenue=Coalesce(Sum("net_revenue"), ZERO),
        cost=Coalesce(Sum("cost_of_goods"), ZERO),
    ).order_by("key")
    result = [
        {
            "key": row["key"],
            "lines": row["lines"],
            "revenue": cents(row["revenue"]),
            "cost": cents(row["cost"]),
            "contribution_margin_1": cents(row["revenue"]) - cents(row["cost"]),
        }
        for row in rows
    ]
    if by is None and not result:
        result = [
            {
                "key": "all",
                "lines": 0,
                "revenue": cents(0),
                "cost": cents(0),
                "contribution_margin_1": cents(0),
            }
        ]
    return result


def import_list() -> list[ImportRun]:
    return list(ImportRun.objects.select_related("created_by", "rolled_back_by")[:200])
