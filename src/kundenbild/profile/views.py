"""The customer's picture: the list and its Excel export, the page with its five areas,
the corporate group, the history, and confirming that an area has been reviewed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kundenbild.accounts.models import SecurityEventKind
from kundenbild.accounts.requests import AuthenticatedRequest
from kundenbild.accounts.security_log import record_security_event
from kundenbild.accounts.selectors import staff_choices
from kundenbild.activities.permissions import activities_editable
from kundenbild.activities.selectors import activity_list
from kundenbild.chains.selectors import (
    chain_diagram,
    chain_picture,
    chain_shown_for,
    customer_chains,
)
from kundenbild.core import excel
from kundenbild.core.excel import xlsx_response
from kundenbild.customers.models import Customer, LegalForm, SizeClass
from kundenbild.customers.permissions import customer_access, customer_can_create, customer_can_edit
from kundenbild.customers.selectors import customer_group_tree, customer_owns_any
from kundenbild.finance.permissions import finance_can_edit, finance_can_view
from kundenbild.finance.selectors import revenue_by_customer
from kundenbild.insights.selectors import latest_run, phase_choices, value_type_choices
from kundenbild.profile.context import customer_profile_context
from kundenbild.profile.forms import CustomerFilterForm
from kundenbild.profile.health import profile_health
from kundenbild.profile.history import AREA_LABELS, profile_history
from kundenbild.profile.models import ProfileArea
from kundenbild.profile.permissions import area_review_access
from kundenbild.profile.recent import recent_customer_remember
from kundenbild.profile.selectors import CustomerFilters, customer_list, revenue_window_start
from kundenbild.profile.services import area_review_mark
from kundenbild.wz2008 import SECTIONS


@require_POST
def area_review_view(request: AuthenticatedRequest, customer_id: int, area: str) -> HttpResponse:
    if area not in ProfileArea.values:
        raise Http404
    customer = area_review_access(request.user, customer_id, area)
    area_review_mark(customer=customer, area=area, by=request.user, today=timezone.localdate())
    messages.success(
        request,
        _("%(area)s marked as reviewed today.") % {"area": ProfileArea(area).label},
    )
    anchor = area.replace("_", "-")
    return redirect(reverse("profile:customer-detail", args=[customer.pk]) + f"#{anchor}")


PAGE_SIZE = 25


FILTER_KEYS = ("q", "legal_form", "section", "owner", "size", "value_type", "phase", "abc")


def _owner_filter(request: AuthenticatedRequest, chosen: int | None) -> int | None:
    """The key account manager whose customers the list shows.

    Without any filter in the address, a manager who owns customers sees their own, as on
    the coverage list; `owner=` (empty) asks for all. An address with some other filter
    but no owner (an older bookmark, a link from elsewhere) keeps meaning all customers.
    """
    if any(key in request.GET for key in FILTER_KEYS):
        return chosen
    return request.user.pk if customer_owns_any(request.user) else None


def _filters_from(request: AuthenticatedRequest) -> CustomerFilters:
    """Parse the list's query string; invalid parameters are dropped, never an error page."""
    form = CustomerFilterForm(request.GET)
    form.is_valid()
    d = form.cleaned_data
    sort = d.get("sort") or "name"
    return CustomerFilters(
        search=d.get("q") or "",
        legal_form=d.get("legal_form") or "",
        section=(d.get("section") or "").upper(),
        owner=_owner_filter(request, d.get("owner")),
        size_class=d.get("size") or "",
        value_type=d.get("value_type") or "",
        phase=d.get("phase") or "",
        abc=d.get("abc") or "",
        sort=sort.lstrip("-"),
        descending=sort.startswith("-"),
    )


def _owner_switch(request: AuthenticatedRequest, filters: CustomerFilters) -> dict[str, Any]:
    """The "my customers | all customers" switch, keeping the other filters; shown to
    those who own customers."""
    if not customer_owns_any(request.user):
        return {}
    query = request.GET.copy()
    query.pop("page", None)
    query["owner"] = str(request.user.pk)
    mine = query.urlencode()
    query["owner"] = ""
    return {
        "mine_query": mine,
        "all_query": query.urlencode(),
        "showing_mine": filters.owner == request.user.pk,
    }


def customer_list_view(request: AuthenticatedRequest) -> HttpResponse:
    filters = _filters_from(request)
    paginator = Paginator(customer_list(user=request.user, filters=filters), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filters": filters,
        "sort": ("-" if filters.descending else "") + filters.sort,
        "legal_forms": LegalForm.choices,
        "sections": SECTIONS,
        "size_classes": SizeClass.choices,
        "owners": staff_choices().filter(owned_customers__isnull=False).distinct(),
        "can_create": customer_can_create(request.user),
        "show_finance": finance_can_view(request.user),
        "value_types": value_type_choices(),
        "phases": phase_choices(),
        "value_type_labels": dict(value_type_choices()),
        "phase_labels": dict(phase_choices()),
        "run": latest_run(),
        "owner_switch": _owner_switch(request, filters),
    }
    is_htmx = bool(getattr(request, "htmx", False))
    template = "profile/_customer_table.html" if is_htmx else "profile/customer_list.html"
    return render(request, template, context)


def customer_list_download_view(request: AuthenticatedRequest) -> HttpResponse:
    """The customer list with the same filters and order as an Excel file; revenue and
    margin only for users who may see finance data."""
    filters = _filters_from(request)
    show_finance = finance_can_view(request.user)
    types = dict(value_type_choices())
    phases = dict(phase_choices())
    columns = [
        excel.text(str(_("No."))),
        excel.text(str(_("Name"))),
        excel.text(str(_("City"))),
        excel.text(str(_("Industry"))),
        excel.text(str(_("Key account manager"))),
        excel.text(str(_("Value type"))),
        excel.text(str(_("Phase"))),
        excel.text(str(_("ABC"))),
    ]
    if show_finance:
        columns += [excel.money(str(_("Revenue 12 months"))), excel.money(str(_("CM I 12 months")))]

    def rows() -> Iterator[list[Any]]:
        for customer in customer_list(user=request.user, filters=filters).iterator(2_000):
            value_type = getattr(customer, "value_value_type", None)
            phase = getattr(customer, "value_lifecycle_phase", None)
            row: list[Any] = [
                customer.number,
                customer.name,
                getattr(customer, "hq_city", None) or None,
                ", ".join(f"{i.code} {i.name}" for i in customer.industries.all()) or None,
                str(customer.owner) if customer.owner else None,
                str(types[value_type]) if value_type else None,
                str(phases[phase]) if phase else None,
                getattr(customer, "value_abc_revenue", None) or None,
            ]
            if show_finance:
                row += [
                    getattr(customer, "revenue_12m", None),
                    getattr(customer, "value_contribution_margin_12m", None),
                ]
            yield row

    data = excel.workbook(str(_("Customers")), columns, rows())
    response = xlsx_response(data, "customers.xlsx")
    record_security_event(
        SecurityEventKind.EXCEL_EXPORT,
        request=request,
        detail={"list": "customers", "query": request.GET.urlencode()[:500]},
    )
    return response


def customer_detail_view(request: AuthenticatedRequest, customer_id: int) -> HttpResponse:
    customer = customer_access(request.user, customer_id)
    recent_customer_remember(request.session, customer.pk)
    today = timezone.localdate()
    context = customer_profile_context(request.user, customer, today=today)
    show_finance = context["show_finance"]
    activities = list(activity_list(customer=customer)[:10])
    context |= {
        "can_edit": customer_can_edit(request.user, customer),
        "activities": activities,
        "editable_activities": activities_editable(request.user, customer, activities),
        "health": {
            h.area: h
            for h in profile_health(
                customer,
                today=today,
                include_finance=show_finance,
                contacts=context["contacts"],
            )
        },
    }
    if show_finance:
        context["can_edit_finance"] = finance_can_edit(request.user, customer)
    context |= _chain_context(customer)
    return render(request, "profile/customer_detail.html", context)


def _chain_context(customer: Customer) -> dict[str, Any]:
    """The customer's chains, and the diagram of the one `chain_shown_for` picks."""
    chains = customer_chains(customer)
    shown = chain_shown_for(customer, chains)
    if shown is None:
        return {"chains": chains}
    picture = chain_picture(shown)
    return {
        "chains": chains,
        "chain_shown": shown,
        "chain_picture": picture,
        "chain_diagram": chain_diagram(
            picture, actor_url=lambda a: reverse("chains:actor", args=[shown.pk, a.pk])
        ),
    }


def customer_group_view(request: AuthenticatedRequest, customer_id: int) -> HttpResponse:
    """The whole corporate group of a customer as a tree, with group totals."""
    customer = customer_access(request.user, customer_id)
    tree = customer_group_tree(customer)
    members = [member for member, _depth in tree]
    show_finance = finance_can_view(request.user)
    revenue = (
        revenue_by_customer([m.pk for m in members], since=revenue_window_start())
        if show_finance
        else {}
    )
    rows = [
        {"customer": member, "depth": depth, "revenue": revenue.get(member.pk)}
        for member, depth in tree
    ]
    context = {
        "customer": customer,
        "root": members[0],
        "rows": rows,
        "show_finance": show_finance,
        "total_revenue": sum(revenue.values()) if show_finance else None,
        "total_employees": sum(m.employees or 0 for m in members),
        "unknown_employees": sum(1 for m in members if m.employees is None),
    }
    return render(request, "profile/customer_group.html", context)


def customer_history_view(request: AuthenticatedRequest, customer_id: int) -> HttpResponse:
    customer = customer_access(request.user, customer_id)
    area = request.GET.get("area") or None
    include_finance = finance_can_view(request.user)
    areas = [(code, label) for code, label in AREA_LABELS.items()]
    if not include_finance:
        areas = [(code, label) for code, label in areas if code != ProfileArea.FINANCE]
    context = {
        "customer": customer,
        "entries": profile_history(customer, include_finance=include_finance, area=area),
        "areas": areas,
        "area": area,
        "area_labels": AREA_LABELS,
    }
    return render(request, "profile/customer_history.html", context)
