"""Totals of the sales lines in the database, to reconcile with the ERP; the imports,
and the words for what they wrote into the history of customers and offerings."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, F, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear
from django.utils.translation import gettext as _

from kundenbild.finance.models import SalesLine
from kundenbild.finance.selectors import cents
from kundenbild.imports.models import ImportContent, ImportRun, ImportStatus

ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=16, decimal_places=2))
IMPORT_REASON = "import:"  # + the import's id: the change reason of what it created
ROLLBACK_REASON = "import-rollback:"  # + the id: of what its rollback removed


def import_reason(run_id: int) -> str:
    """The change reason of the history rows of what an import creates: "import:7"."""
    return f"{IMPORT_REASON}{run_id}"


def rollback_reason(run_id: int) -> str:
    """The change reason of the history rows of what an import's rollback removes."""
    return f"{ROLLBACK_REASON}{run_id}"


class ImportReasons:
    """Words, in the reader's language, for the change reasons imports write into the
    history ("import:7" → "Created by import no. 7 of the file sales.csv."); other
    reasons as they are. Reads each import once."""

    def __init__(self) -> None:
        self._runs: dict[int, ImportRun | None] = {}

    def _run(self, run_id: int) -> ImportRun | None:
        if run_id not in self._runs:
            self._runs[run_id] = ImportRun.objects.filter(pk=run_id).first()
        return self._runs[run_id]

    def __call__(self, reason: str | None, kind: str = "+") -> str:
        for prefix in (IMPORT_REASON, ROLLBACK_REASON):
            number = (reason or "").removeprefix(prefix)
            if number != reason and number.isdigit():
                return self._words(prefix, int(number), kind)
        return reason or ""

    def author(self, reason: str | None) -> str | None:
        """ "ERP import no. 7" for what an import wrote (its history row names the person
        who ran it as the user, but the values are the ERP's)."""
        number = (reason or "").removeprefix(IMPORT_REASON)
        if number == reason or not number.isdigit():
            return None
        run = self._run(int(number))
        if run is None or run.content == ImportContent.SALES:
            return None
        return _("ERP import no. %(id)s") % {"id": number}

    def _words(self, prefix: str, run_id: int, kind: str) -> str:
        run = self._run(run_id)
        values = {"id": run_id, "file": run.file_name if run else "?"}
        if prefix == ROLLBACK_REASON:
            if kind == "~":
                return (
                    _("Restored by the rollback of import no. %(id)s of the file %(file)s.")
                    % values
                )
            if run is None:
                return _("Removed by the rollback of import no. %(id)s.") % values
            return _("Removed by the rollback of import no. %(id)s of the file %(file)s.") % values
        if kind == "~":
            return _("Changed by import no. %(id)s of the file %(file)s.") % values
        if run is None:
            return _("Created by import no. %(id)s.") % values
        if run.status == ImportStatus.ROLLED_BACK:
            return (
                _(
                    "Created by import no. %(id)s of the file %(file)s, which has been "
                    "rolled back since."
                )
                % values
            )
        return _("Created by import no. %(id)s of the file %(file)s.") % values


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
