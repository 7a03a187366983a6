"""The selection by goal as rows for pages, CLI and files, and as an Excel workbook."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import Any

from django.utils.translation import gettext_lazy as _

from kundenbild.analytics.selection import Selection, candidates
from kundenbild.core.excel import workbook
from kundenbild.insights.models import PHASE_LABELS, VALUE_TYPE_LABELS
from kundenbild.portfolio.criteria import Criteria

# what the user reads for each criterion (`analytics.selection.CRITERIA` in English)
CRITERION_LABELS = {
    "future_value": _("forecast revenue, next 12 months"),
    "future_growth": _("forecast growth"),
    "white_space": _("white space (potential − revenue)"),
    "wallet_headroom": _("share of wallet not yet won"),
    "p_alive": _("probability still active"),
    "buying_center_coverage": _("deciders and influencers we know"),
    "future_margin": _("forecast contribution margin I"),
    "margin_rate": _("forecast margin as a share of revenue"),
    "margin_trend": _("margin trend"),
    "payment_discipline": _("days paid before the term"),
    "customer_lifetime_value": _("customer lifetime value (CLV)"),
    "fascination": _("share of offerings that inspire or fascinate"),
    "fascination_breadth": _("offerings that inspire or fascinate"),
    "new_offerings": _("offerings new in 24 months"),
    "champions": _("champions in the buying center"),
}


def selection_rows(
    selection: Selection,
    criteria: Criteria,
    limit: int | None = None,
    *,
    include: Collection[str] = (),
    only_types: Collection[str] = (),
) -> list[dict[str, Any]]:
    """Ranked customers, best first: rank, customer, score, top reasons, every value, and
    the customer's value type and lifecycle phase (codes; "" without an analysis). The
    types and phases the goal leaves out are not ranked unless `include` names them;
    `only_types` narrows the ranking to those value types."""
    eligible = None
    if criteria.value_types:  # without an analysis run nobody has a type to leave out
        eligible = candidates(
            selection.goal,
            criteria.value_types,
            criteria.phases,
            include=include,
            only_types=only_types,
        )
    rows = []
    for rank, at in enumerate(selection.ranked(eligible)[:limit], start=1):
        rows.append(
            {
                "rank": rank,
                "customer": criteria.customers[at],
                "score": float(selection.scores[at]),
                "reasons": selection.reasons(int(at), criteria.values),
                "values": {name: float(criteria.values[name][at]) for name in selection.weights},
                "value_type": criteria.value_types[at] if criteria.value_types else "",
                "lifecycle_phase": criteria.phases[at] if criteria.phases else "",
            }
        )
    return rows


def reason_parts(reason: Any) -> tuple[str, int | None]:
    """The criterion's label and the top share of customers it places this one in
    (None without data)."""
    label = str(CRITERION_LABELS.get(reason.criterion, reason.criterion))
    if reason.percentile != reason.percentile:  # NaN
        return label, None
    return label, max(1, round(100 * (1 - reason.percentile)))


def reason_text(reason: Any) -> str:
    """ "white space (potential − revenue) (top 3 %)", or "…: no data"."""
    label, top = reason_parts(reason)
    if top is None:
        return str(_("%(label)s: no data") % {"label": label})
    return str(_("%(label)s (top %(top)s %%)") % {"label": label, "top": top})


def selection_workbook(
    rows: list[dict[str, Any]], names: list[str], target: Path | None = None
) -> bytes:
    """An Excel file of the ranked customers (`core.excel.workbook`: headers in the active
    language, numbers as numbers, the header row frozen and filterable). Written to
    `target` (via a temporary name) or returned as bytes."""
    headers = [
        str(_("Rank")), str(_("Customer number")), str(_("Name")), str(_("Score")),
        str(_("Top reasons")), str(_("Value type")), str(_("Lifecycle phase")),
        *[str(CRITERION_LABELS[name]) for name in names],
    ]  # fmt: skip
    table = (
        [
            row["rank"],
            row["customer"].number,
            row["customer"].name,
            round(row["score"], 2),
            "; ".join(reason_text(reason) for reason in row["reasons"]),
            str(VALUE_TYPE_LABELS.get(row["value_type"], "")),
            str(PHASE_LABELS.get(row["lifecycle_phase"], "")),
            *[None if value != value else value for value in map(row["values"].get, names)],
        ]
        for row in rows
    )
    data = workbook(str(_("Selection")), headers, table)
    if target is not None:
        partial = target.with_name(target.name + ".partial")
        partial.write_bytes(data)
        partial.replace(target)
    return data
