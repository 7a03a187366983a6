"""The customer portfolio and the selection of customers by goal, on the page and as Excel."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from kundenbild.accounts.models import SecurityEventKind
from kundenbild.accounts.requests import AuthenticatedRequest
from kundenbild.accounts.security_log import record_security_event
from kundenbild.core import excel
from kundenbild.core.errors import NotFoundError
from kundenbild.core.excel import xlsx_response
from kundenbild.core.forms import submit
from kundenbild.core.numbers import id_from_text
from kundenbild.customers.models import SizeClass
from kundenbild.customers.permissions import customer_access
from kundenbild.finance.permissions import finance_can_view
from kundenbild.insights.models import (
    PHASE_CHOICES,
    VALUE_TYPE_CHOICES,
    CustomerValue,
)
from kundenbild.insights.selectors import latest_run
from kundenbild.portfolio.effect import coaching_effect
from kundenbild.portfolio.forms import CoachingFocusForm
from kundenbild.portfolio.models import CoachingFocus, CoachingGoal
from kundenbild.portfolio.permissions import portfolio_access
from kundenbild.portfolio.scope import Scope, scope_lines, scope_options
from kundenbild.portfolio.selection_views import scope_from_query
from kundenbild.portfolio.selectors import (
    FUTURE_COLUMNS,
    REGIONS,
    PortfolioFilters,
    coaching_focus_progress,
    portfolio,
    portfolio_filter_options,
    portfolio_run,
    portfolio_values,
)
from kundenbild.portfolio.services import coaching_focus_close, coaching_focus_start
from kundenbild.portfolio.timeline import portfolio_timeline_page

TABLE_POINTS = 25
FUTURE_LABELS = {
    "forecast": _("Forecast, next 12 months"),
    "clv": _("Customer lifetime value"),
}


def _portfolio_filters(request: AuthenticatedRequest) -> tuple[PortfolioFilters, int | None]:
    """The page's filters and the chosen run (None: the latest); unknown values are
    ignored, so a stale bookmark still shows a portfolio."""
    portfolio_access(request.user)

    def choice(name: str, allowed: Any) -> str:
        value = request.GET.get(name, "")
        return value if value in allowed else ""

    def number(name: str) -> int | None:
        return id_from_text(request.GET.get(name))

    filters = PortfolioFilters(
        owner=number("owner"),
        value_type=choice("value_type", dict(VALUE_TYPE_CHOICES)),
        phase=choice("phase", dict(PHASE_CHOICES)),
        abc=choice("abc", ("A", "B", "C")),
        industry=request.GET.get("industry", "")[:8],
        group=number("group"),
        region=choice("region", REGIONS),
        offering=request.GET.get("offering", "")[:40],
        offering_group=number("offering_group"),
        size_class=choice("size_class", SizeClass.values),
        chain=number("chain"),
    )
    return filters, number("run")


def portfolio_download_view(request: AuthenticatedRequest) -> HttpResponse:
    """The customers of the portfolio, with the page's filters, as an Excel file."""
    filters, run_id = _portfolio_filters(request)
    run = portfolio_run(run_id)
    if run is None:
        raise NotFoundError(_("No analysis has run yet. The portfolio appears with the first run."))
    types, phases = dict(VALUE_TYPE_CHOICES), dict(PHASE_CHOICES)
    columns = [
        excel.text(str(_("No."))),
        excel.text(str(_("Name"))),
        excel.text(str(_("Value type"))),
        excel.text(str(_("Phase"))),
        excel.text(str(_("ABC revenue"))),
        excel.text(str(_("ABC margin"))),
        excel.money(str(_("Revenue, last 12 months"))),
        excel.money(str(_("Contribution margin I, last 12 months"))),
        excel.money(str(_("Forecast, next 12 months"))),
        excel.money(str(_("customer lifetime value (CLV)"))),
        excel.percent(str(_("probability still active"))),  # stored as a fraction
    ]
    values = portfolio_values(run, filters).select_related("customer").order_by("-revenue_12m")
    rows = (
        [
            v.customer.number,
            v.customer.name,
            str(types.get(v.value_type, v.value_type)),
            str(phases.get(v.lifecycle_phase, v.lifecycle_phase)),
            v.abc_revenue,
            v.abc_margin or None,
            v.revenue_12m,
            v.contribution_margin_12m,
            v.forecast_revenue_12m,
            v.clv,
            v.p_alive,
        ]
        for v in values.iterator(2_000)
    )
    data = excel.workbook(str(_("Portfolio")), columns, rows)
    response = xlsx_response(data, "portfolio.xlsx")
    record_security_event(
        SecurityEventKind.EXCEL_EXPORT,
        request=request,
        detail={"list": "portfolio", "query": request.GET.urlencode()[:500]},
    )
    return response


def portfolio_view(request: AuthenticatedRequest) -> HttpResponse:
    """Current against future value of every customer, the shares per value type and
    phase, ABC by revenue against ABC by margin, and the changes since the last run."""
    filters, run_id = _portfolio_filters(request)
    future = request.GET.get("future", "")
    future = future if future in FUTURE_COLUMNS else "forecast"
    run = portfolio_run(run_id)
    data = portfolio(run, filters, future=future) if run is not None else None
    choices = scope_options()  # offerings, industries, owners, …: one query each
    labels = dict(VALUE_TYPE_CHOICES)
    context = {
        "run": run,
        "data": data,
        "filters": filters,
        "options": portfolio_filter_options(),
        "scope_options": choices,
        "future": future,
        "future_label": FUTURE_LABELS[future],
        "future_labels": FUTURE_LABELS,
        # the matrix for keyboards and screen readers: its largest customers as a table
        "top_points": [
            point | {"type_label": labels.get(point["type"], point["type"])}
            for point in (data.points[:TABLE_POINTS] if data else [])
        ],
        "effect": coaching_effect(up_to=run) if run is not None else None,
        "regions": REGIONS,
        "owners": choices["owners"],
        "value_types": VALUE_TYPE_CHOICES,
        "phases": PHASE_CHOICES,
        "timeline": portfolio_timeline_page(filters),  # all runs, whichever one is shown
        "chart": {
            "points": data.points if data else [],
            "types": [{"key": key, "label": str(label)} for key, label in VALUE_TYPE_CHOICES],
            "axis": {
                "now": str(_("Revenue, last 12 months")),
                "future": str(FUTURE_LABELS[future]),
            },
            # "future = now" only means something where both are revenue of 12 months
            "diagonal": future == "forecast",
            "labels": {key: str(label) for key, label in labels.items()},
            "customer_url": reverse("profile:customer-detail", args=[0]),
        },
    }
    return render(request, "portfolio/portfolio.html", context)


def focus_list_view(request: AuthenticatedRequest) -> HttpResponse:
    """The open coaching focus with progress against the targets, and the closed ones; for
    who may see money, the effect of each focus and of each goal against peers."""
    open_focus = list(
        CoachingFocus.objects.filter(closed_on__isnull=True).select_related("customer", "owner")
    )
    closed = list(
        CoachingFocus.objects.filter(closed_on__isnull=False)
        .select_related("customer", "owner")
        .order_by("-closed_on")[:50]
    )
    show_finance = finance_can_view(request.user)
    context = {
        "scopes": {focus.pk: scope_lines(Scope.from_json(focus.scope)) for focus in open_focus},
        "rows": coaching_focus_progress(open_focus),
        "closed": closed,
        "show_finance": show_finance,
        "effect": coaching_effect() if show_finance else None,
    }
    return render(request, "portfolio/focus_list.html", context)


def focus_add_view(request: AuthenticatedRequest, customer_id: int) -> HttpResponse:
    """Put a customer into the coaching focus: goal, responsible, targets, review date."""
    customer = customer_access(request.user, customer_id, for_edit=True)
    scope, _errors = scope_from_query(request.GET)  # the selection's scope, kept with the focus
    if request.method == "POST":
        form = CoachingFocusForm(request.POST)
        focus = submit(
            form,
            lambda: coaching_focus_start(
                customer=customer,
                by=request.user,
                goal=form.cleaned_data["goal"],
                owner=form.cleaned_data["owner"],
                review_on=form.cleaned_data["review_on"],
                target_revenue=form.cleaned_data["target_revenue"],
                target_margin=form.cleaned_data["target_margin"],
                note=form.cleaned_data["note"],
                scope=scope,
            ),
            field_for=lambda name: "goal",
        )
        if focus is not None:
            text = _("%(name)s is in the coaching focus.") % {"name": customer.name}
            messages.success(request, text)
            return redirect("portfolio:focus-list")
    else:
        goal = request.GET.get("goal", "growth")
        latest = CustomerValue.objects.filter(customer=customer, run=latest_run()).first()
        target = None
        if latest is not None and latest.forecast_revenue_12m is not None:
            target = (latest.forecast_revenue_12m * Decimal("1.1")).quantize(Decimal("1"))
        form = CoachingFocusForm(
            initial={
                "goal": goal if goal in dict(CoachingGoal.choices) else "growth",
                "owner": customer.owner or request.user,
                "review_on": timezone.localdate() + timedelta(days=90),
                "target_revenue": target if finance_can_view(request.user) else None,
            }
        )
    context = {"customer": customer, "form": form, "scope_lines": scope_lines(scope)}
    return render(request, "portfolio/focus_add.html", context)


@require_POST
def focus_close_view(request: AuthenticatedRequest, focus_id: int) -> HttpResponse:
    focus = get_object_or_404(CoachingFocus.objects.select_related("customer"), pk=focus_id)
    coaching_focus_close(focus=focus, by=request.user)
    messages.success(request, _("The coaching focus is closed; it stays in the history."))
    return redirect("portfolio:focus-list")
