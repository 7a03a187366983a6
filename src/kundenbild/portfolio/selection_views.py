"""The selection by goal on the page and as Excel: scope first, then the ranking.

The page follows the seed's walk: narrow the customers down (offering, types, kinds of
customer), look at them by value type, pick for a goal (growth, profitability,
innovation, or the pearls among the steady ones), and put the chosen into the coaching
focus with the scope kept (`scope_query` travels with the link).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from kundenbild.accounts.models import SecurityEventKind
from kundenbild.accounts.requests import AuthenticatedRequest
from kundenbild.accounts.security_log import record_security_event
from kundenbild.analytics.selection import (
    GOALS,
    LEFT_OUT,
    ONLY_TYPES,
    SelectionError,
    select,
    weights_for,
)
from kundenbild.core.errors import ApplicationError
from kundenbild.core.excel import xlsx_response
from kundenbild.insights.models import (
    PHASE_CHOICES,
    PHASE_LABELS,
    VALUE_TYPE_CHOICES,
    VALUE_TYPE_LABELS,
)
from kundenbild.portfolio.criteria import selection_criteria
from kundenbild.portfolio.exports import (
    CRITERION_LABELS,
    reason_parts,
    selection_rows,
    selection_workbook,
)
from kundenbild.portfolio.models import CoachingGoal
from kundenbild.portfolio.permissions import selection_access
from kundenbild.portfolio.scope import Scope, scope_from_input, scope_lines, scope_options

GOAL_LABELS = dict(CoachingGoal.choices)  # the goals of the selection and of coaching
LIMITS = (10, 25, 50, 100)
PER_TYPE = 5  # grouped by type: the best five of each
SCOPE_PARAMS = ("offering", "offering_group", "industry", "size_class", "region", "owner", "chain")


@dataclass
class SelectionRequest:
    goal: str
    overrides: dict[str, float]
    limit: int
    scope: Scope
    include: list[str]
    by_type: bool
    errors: list[str] = field(default_factory=list)


def scope_from_query(query: QueryDict) -> tuple[Scope, list[str]]:
    """The scope of a selection link; a part that no longer fits (a deleted offering, a
    hand-edited link) is dropped with a message rather than failing the page."""
    given: dict[str, Any] = {name: query.get(name, "")[:200] for name in SCOPE_PARAMS}
    given["value_types"] = query.getlist("value_type")
    given["phases"] = query.getlist("phase")
    errors: list[str] = []
    for _attempt in range(len(given)):
        try:
            return scope_from_input(**given), errors
        except ApplicationError as error:
            errors.append(str(error.message))
            name = {"value_type": "value_types", "phase": "phases"}.get(error.field or "", "")
            given[name or error.field or ""] = [] if name else ""
    return Scope(), errors


def scope_query(scope: Scope) -> str:
    """The scope as query parameters, for links that keep it (coaching focus, portfolio)."""
    pairs: list[tuple[str, Any]] = []
    for name, value in scope.as_json().items():
        if name == "value_types":
            pairs += [("value_type", code) for code in value]
        elif name == "phases":
            pairs += [("phase", code) for code in value]
        else:
            pairs.append((name, value))
    return urlencode(pairs)


def portfolio_query(scope: Scope) -> str:
    """The scope as the portfolio's filters: it shows one value type and one phase, so the
    first of each the scope names."""
    pairs = [
        (name, value)
        for name, value in scope.as_json().items()
        if name not in {"value_types", "phases"}
    ]
    pairs += [("value_type", scope.value_types[0])] if scope.value_types else []
    pairs += [("phase", scope.phases[0])] if scope.phases else []
    return urlencode(pairs)


def _selection_request(request: AuthenticatedRequest) -> SelectionRequest:
    """Goal, weights, limit, scope and what to include, from the query string; unknown
    values fall back to the defaults rather than failing, as a hand-edited link should."""
    selection_access(request.user)
    goal = request.GET.get("goal", "growth")
    goal = goal if goal in GOALS else "growth"
    overrides = {}
    for name in GOALS[goal]:
        raw = request.GET.get(f"w_{name}", "").replace(",", ".")
        try:
            weight = float(raw)
        except ValueError:
            continue
        if 0 <= weight <= 100:
            overrides[name] = weight
    raw_limit = request.GET.get("limit", "")
    limit = int(raw_limit) if raw_limit.isdigit() and int(raw_limit) in LIMITS else 25
    scope, errors = scope_from_query(request.GET)
    known = {*dict(VALUE_TYPE_CHOICES), *dict(PHASE_CHOICES)}
    include = [code for code in request.GET.getlist("include") if code in known]
    by_type = request.GET.get("by_type") == "1"
    return SelectionRequest(goal, overrides, limit, scope, include, by_type, errors)


def selection_view(request: AuthenticatedRequest) -> HttpResponse:
    """The customers in the scope ranked for a goal, with the weights to adjust and the
    top reasons, as one list or grouped by value type."""
    asked = _selection_request(request)
    criteria = selection_criteria(asked.scope)
    try:
        weights = weights_for(asked.goal, asked.overrides)
    except SelectionError:
        asked.errors.append(
            str(_("At least one criterion needs a weight above 0; the defaults are used."))
        )
        asked.overrides, weights = {}, weights_for(asked.goal)
    rows = []
    if criteria.customers:
        selection = select(asked.goal, criteria.values, asked.overrides)
        rows = selection_rows(
            selection,
            criteria,
            None if asked.by_type else asked.limit,
            include=asked.include,
            per_type=PER_TYPE if asked.by_type else None,
        )
        for row in rows:
            row["reason_parts"] = [reason_parts(reason) for reason in row["reasons"]]
    context = _context(request, asked, weights) | {
        "rows": rows,
        "groups": _groups(rows) if asked.by_type else [],
        "run": criteria.run,
        "in_scope": len(criteria.customers),
    }
    return render(request, "portfolio/selection.html", context)


def _groups(rows: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """The rows grouped by value type, in the order they come (type by type)."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(row["value_type"], []).append(row)
    return list(groups.items())


def _context(
    request: AuthenticatedRequest, asked: SelectionRequest, weights: dict[str, float]
) -> dict[str, Any]:
    total = sum(weights.values())
    left_out = sorted(LEFT_OUT.get(asked.goal, frozenset()))
    return {
        "goal": asked.goal,
        "goals": [(name, GOAL_LABELS[name]) for name in GOALS],
        "weights": [
            {
                "name": name,
                "label": CRITERION_LABELS[name],
                "weight": weights.get(name, 0.0),
                "default": default,
                "share": 100 * weights.get(name, 0.0) / total,
            }
            for name, default in GOALS[asked.goal].items()
        ],
        "scope": asked.scope,
        "scope_lines": scope_lines(asked.scope),
        "scope_query": scope_query(asked.scope),
        "portfolio_query": portfolio_query(asked.scope),
        "left_out": [(code, _type_or_phase(code)) for code in left_out],
        "include": asked.include,
        "only_types": [
            VALUE_TYPE_LABELS[code]
            for code in sorted(ONLY_TYPES.get(asked.goal, ()))
            if not asked.scope.value_types
        ],
        "by_type": asked.by_type,
        "per_type": PER_TYPE,
        "options": scope_options(),
        "value_type_labels": VALUE_TYPE_LABELS,
        "phase_labels": PHASE_LABELS,
        "limit": asked.limit,
        "limits": LIMITS,
        "errors": asked.errors,
        "query": request.GET.urlencode(),
    }


def _type_or_phase(code: str) -> Any:
    return VALUE_TYPE_LABELS.get(code) or PHASE_LABELS.get(code, code)


def selection_download_view(request: AuthenticatedRequest) -> HttpResponse:
    """All customers in the scope ranked for the goal, with every criterion, as Excel."""
    asked = _selection_request(request)
    criteria = selection_criteria(asked.scope)
    try:
        selection = select(asked.goal, criteria.values, asked.overrides)
    except SelectionError:
        selection = select(asked.goal, criteria.values)
    rows = selection_rows(selection, criteria, include=asked.include)
    data = selection_workbook(rows, list(selection.weights))
    response = xlsx_response(data, f"selection-{asked.goal}.xlsx")
    record_security_event(
        SecurityEventKind.EXCEL_EXPORT,
        request=request,
        detail={"list": "selection", "query": request.GET.urlencode()[:500]},
    )
    return response
