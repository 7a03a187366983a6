"""The selection by goal as rows for pages, CLI and files, and as an Excel workbook."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import Any

from django.utils.translation import gettext_lazy as _

from kundenbild.analytics.selection import Selection, candidates
from kundenbild.analytics.shapes.value_types import VALUE_TYPES
from kundenbild.core import excel
from kundenbild.core.formatting import format_change, format_money, format_number, format_percent
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
    "fascination_unrealised": _("fascinating offerings not bought"),
    "close_deciders": _("deciders we know well"),
    "history_years": _("years as a customer"),
}

# how a criterion's value reads as evidence: money, a percentage, a share (0..1 shown as
# a percentage), a change (0.5 shown as +50 %), a count, years or days
CRITERION_UNITS = {
    "future_value": "money",
    "future_growth": "change",
    "white_space": "money",
    "wallet_headroom": "percent",
    "p_alive": "share",
    "buying_center_coverage": "share",
    "future_margin": "money",
    "margin_rate": "share",
    "margin_trend": "change",
    "payment_discipline": "days",
    "customer_lifetime_value": "money",
    "fascination": "share",
    "fascination_breadth": "count",
    "new_offerings": "count",
    "champions": "count",
    "fascination_unrealised": "count",
    "close_deciders": "count",
    "history_years": "years",
}


def selection_rows(
    selection: Selection,
    criteria: Criteria,
    limit: int | None = None,
    *,
    include: Collection[str] = (),
    per_type: int | None = None,
) -> list[dict[str, Any]]:
    """Ranked customers, best first: rank, customer, score, top reasons, every value, and
    the customer's value type and lifecycle phase (codes; "" without an analysis). The
    types and phases the goal leaves out are not ranked unless `include` names them; the
    scope's value types and phases narrow the ranking. With `per_type`, the best that
    many of each value type, type by type (`VALUE_TYPES`' order), each with its rank in
    the whole ranking."""
    eligible = None
    if criteria.value_types:  # without an analysis run nobody has a type to leave out
        eligible = candidates(
            selection.goal,
            criteria.value_types,
            criteria.phases,
            include=include,
            only_types=criteria.scope.value_types,
            only_phases=criteria.scope.phases,
        )
    ranked = list(enumerate(selection.ranked(eligible), start=1))
    if per_type is not None:
        ranked = _best_of_each_type(ranked, criteria.value_types, per_type)
    rows = []
    for rank, at in ranked[:limit]:
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


def _best_of_each_type(
    ranked: list[tuple[int, Any]], value_types: list[str], per_type: int
) -> list[tuple[int, Any]]:
    by_type: dict[str, list[tuple[int, Any]]] = {code: [] for code in VALUE_TYPES}
    for rank, at in ranked:
        group = by_type.setdefault(value_types[at] if value_types else "", [])
        if len(group) < per_type:
            group.append((rank, at))
    return [item for group in by_type.values() for item in group]


def reason_parts(reason: Any) -> tuple[str, str, str]:
    """The criterion's label, its value as evidence and where that places the customer
    among the others ("" for both without data)."""
    label = str(CRITERION_LABELS.get(reason.criterion, reason.criterion))
    if reason.percentile != reason.percentile:  # NaN
        return label, "", ""
    evidence = criterion_value_text(reason.criterion, reason.value)
    return label, evidence, place_text(reason.percentile)


def place_text(percentile: float) -> str:
    """ "better than 55 % of the customers" (a percentile of 0.55), or "the highest of all
    customers": a share the reader cannot misread, where "top 55 %" read as praise."""
    better = round(100 * percentile)
    if better >= 100:
        return str(_("the highest of all customers"))
    return str(_("better than %(share)s %% of the customers") % {"share": better})


def criterion_value_text(criterion: str, value: float) -> str:
    """A criterion's value as the user reads it: "42.000 €", "35 %", "3", "7,5 Jahre"."""
    if value != value:  # NaN
        return ""
    unit = CRITERION_UNITS.get(criterion, "count")
    if unit == "money":
        return format_money(value, 0)
    if unit == "percent":
        return format_percent(value, 0)
    if unit == "share":
        return format_percent(100 * value, 0)
    if unit == "change":
        return format_change(100 * value, 0)
    if unit == "years":
        return str(_("%(years)s years") % {"years": format_number(value, 1)})
    if unit == "days":
        return str(_("%(days)s days") % {"days": format_number(value, 0)})
    return format_number(value, 0 if float(value).is_integer() else 1)


def reason_text(reason: Any) -> str:
    """ "white space (potential − revenue): 42.000 €, better than 97 % of the customers",
    or "…: no data"."""
    label, evidence, place = reason_parts(reason)
    if not place:
        return str(_("%(label)s: no data") % {"label": label})
    return str(
        _("%(label)s: %(value)s, %(place)s") % {"label": label, "value": evidence, "place": place}
    )


def _criterion_column(name: str) -> excel.Column:
    """A criterion's column in the workbook, in the number format of its unit."""
    label = str(CRITERION_LABELS[name])
    unit = CRITERION_UNITS.get(name, "count")
    if unit == "money":
        return excel.money(label)
    if unit in ("percent", "share", "change"):
        return excel.percent(label)  # as fractions: `_criterion_cell` divides percentages
    if unit == "years":
        return excel.number(label, 1)
    if unit == "days":
        return excel.number(label)
    return excel.count(label)


def _criterion_cell(name: str, value: Any) -> Any:
    """A criterion's value for its column: None without data, a percentage as a fraction."""
    if value is None or value != value:  # NaN
        return None
    if CRITERION_UNITS.get(name) == "percent":
        return value / 100
    return value


def selection_workbook(
    rows: list[dict[str, Any]], names: list[str], target: Path | None = None
) -> bytes:
    """An Excel file of the ranked customers (`core.excel.workbook`: headers in the active
    language, each column in the number format of its criterion, the header row frozen
    and filterable). Written to `target` (via a temporary name) or returned as bytes."""
    columns = [
        excel.count(str(_("Rank"))), excel.text(str(_("Customer number"))),
        excel.text(str(_("Name"))), excel.number(str(_("Score")), 2),
        excel.text(str(_("Top reasons"))), excel.text(str(_("Value type"))),
        excel.text(str(_("Lifecycle phase"))),
        *[_criterion_column(name) for name in names],
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
            *[_criterion_cell(name, row["values"].get(name)) for name in names],
        ]
        for row in rows
    )
    data = excel.workbook(str(_("Selection")), columns, table)
    if target is not None:
        partial = target.with_name(target.name + ".partial")
        partial.write_bytes(data)
        partial.replace(target)
    return data
