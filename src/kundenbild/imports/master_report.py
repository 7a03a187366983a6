"""What the master-data report page shows of a `MasterImportResult`: the counts, and the
first of the changes, conflicts, probable duplicates and new records, in words."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kundenbild.customers.selectors import customer_ids_by_number
from kundenbild.imports.master.services import MasterImportResult
from kundenbild.imports.master_labels import field_label, field_value
from kundenbild.imports.models import ImportContent

Shape = Callable[[dict[str, Any]], dict[str, Any]]
SHOWN_ADDED = 50
SHOWN_CHANGED = 100
SHOWN_CONFLICTS = 200  # beyond them, "take the ERP's value for all conflicts" decides
SHOWN_DUPLICATES = 100
DUPLICATE_REASONS: dict[str, Promise] = {
    "vat_id": _("same VAT ID"),
    "name_postal_code": _("similar name, same postal code"),
}


@dataclass(frozen=True)
class Count:
    label: Promise
    value: int
    key: str
    tone: str  # a Bootstrap colour: what the count asks of the reader


@dataclass(frozen=True)
class Listed:
    """The first rows of a list, and how many more there are."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    more: int = 0


@dataclass(frozen=True)
class MasterReport:
    counts: list[Count]
    added: Listed
    changed: Listed
    conflicts: Listed
    duplicates: Listed


def master_report(result: MasterImportResult) -> MasterReport:
    content = result.content
    shown_duplicates = result.duplicates[:SHOWN_DUPLICATES]
    ids = _customer_ids(content, shown_duplicates)
    return MasterReport(
        counts=_counts(result),
        added=_listed(result.added, SHOWN_ADDED, lambda a: a),
        changed=_listed(result.changed, SHOWN_CHANGED, lambda c: _change(content, c)),
        conflicts=_listed(result.conflicts, SHOWN_CONFLICTS, lambda c: _conflict(content, c)),
        duplicates=_listed(result.duplicates, SHOWN_DUPLICATES, lambda d: _duplicate(d, ids)),
    )


def _counts(result: MasterImportResult) -> list[Count]:
    return [
        Count(_("added"), len(result.added), "added", "success"),
        Count(_("changed"), len(result.changed), "changed", "primary"),
        Count(_("unchanged"), result.unchanged, "unchanged", "secondary"),
        Count(_("conflicts"), len(result.conflicts), "conflicts", "warning-emphasis"),
        Count(_("duplicates?"), len(result.duplicates), "duplicates", "warning-emphasis"),
        Count(_("invalid rows"), result.invalid, "invalid", "danger"),
    ]


def _listed(rows: list[dict[str, Any]], limit: int, shape: Shape) -> Listed:
    return Listed([shape(row) for row in rows[:limit]], max(len(rows) - limit, 0))


def _change(content: str, change: dict[str, Any]) -> dict[str, Any]:
    fields = [
        {"label": field_label(content, name), "old": field_value(old), "new": field_value(new)}
        for name, (old, new) in change["fields"].items()
    ]
    return {**change, "fields": fields}


def _conflict(content: str, conflict: dict[str, Any]) -> dict[str, Any]:
    return {
        **conflict,
        "label": field_label(content, conflict["field"]),
        "kundenbild": field_value(conflict["kundenbild"]),
        "erp": field_value(conflict["erp"]),
        "choice": f"{conflict['number']}:{conflict['field']}",
    }


def _customer_ids(content: str, duplicates: list[dict[str, Any]]) -> dict[str, int]:
    """The ids of the customers Kundenbild holds among the duplicates, to link them."""
    if content != ImportContent.CUSTOMERS:
        return {}
    return customer_ids_by_number(n for d in duplicates for n in (d["number"], d["other_number"]))


def _duplicate(duplicate: dict[str, Any], ids: dict[str, int]) -> dict[str, Any]:
    return {
        **duplicate,
        "reason_text": DUPLICATE_REASONS.get(duplicate["reason"], duplicate["reason"]),
        "url": _customer_url(ids.get(duplicate["number"])),
        "other_url": _customer_url(ids.get(duplicate["other_number"])),
    }


def _customer_url(customer_id: int | None) -> str:
    return reverse("profile:customer-detail", args=[customer_id]) if customer_id else ""
