"""The needs-and-potential page of a customer: enter needs, see share of wallet move."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kundenbild.accounts.requests import AuthenticatedRequest
from kundenbild.core.forms import submit
from kundenbild.customers.models import Customer
from kundenbild.potential.forms import DemandForm, EffectiveDemandForm, NeedForm
from kundenbild.potential.models import Demand, EffectiveDemand, Need
from kundenbild.potential.permissions import (
    potential_access,
    potential_can_edit,
    potential_can_see_our_revenue,
)
from kundenbild.potential.selectors import (
    customer_potential,
    need_list,
    potential_years,
    selected_year,
)
from kundenbild.potential.services import (
    demand_delete,
    demand_with_effective_create,
    effective_demand_delete,
    effective_demand_set,
    need_delete,
    need_save,
)


def _page(
    request: AuthenticatedRequest,
    customer: Customer,
    *,
    need_form: NeedForm | None = None,
    first_demand_form: DemandForm | None = None,
    editing: Need | None = None,
    demand_forms: dict[int, DemandForm] | None = None,
    effective_forms: dict[int, EffectiveDemandForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    years = potential_years(customer)
    year = selected_year(request.GET.get("year"), years)
    needs = list(need_list(customer=customer))
    # one small form per need (add a demand) and per demand (add a year), each with its
    # own prefix so that a refused one comes back with its errors next to the right item
    demand_forms = {n.pk: DemandForm(prefix=f"demand-{n.pk}") for n in needs} | (demand_forms or {})
    effective_forms = {
        d.pk: EffectiveDemandForm(prefix=f"effective-{d.pk}", initial={"year": year})
        for n in needs
        for d in n.demands.all()
    } | (effective_forms or {})
    context: dict[str, Any] = {
        "customer": customer,
        "year": year,
        "years": sorted(set(years) | {year}),
        "summary": customer_potential(customer, year),
        "needs": needs,
        "show_finance": potential_can_see_our_revenue(request.user),
        "can_edit": potential_can_edit(request.user, customer),
        "need_form": need_form or NeedForm(customer=customer),
        "first_demand_form": first_demand_form or DemandForm(optional=True),
        "editing": editing,
        "demand_forms": demand_forms,
        "effective_forms": effective_forms,
    }
    return render(request, "potential/customer_potential.html", context, status=status)


def _back(customer: Customer, anchor: str = "") -> HttpResponse:
    return redirect(reverse("potential:customer-potential", args=[customer.pk]) + anchor)


def customer_potential_view(request: AuthenticatedRequest, customer_id: int) -> HttpResponse:
    customer = potential_access(request.user, customer_id)
    if request.method != "POST":
        return _page(request, customer)
    customer = potential_access(request.user, customer_id, for_edit=True)
    need_form = NeedForm(request.POST, customer=customer)
    demand_form = DemandForm(request.POST, optional=True)
    demand_ok = demand_form.is_valid()

    @transaction.atomic
    def create() -> Need:
        need = need_save(customer=customer, data=need_form.to_data())
        if not demand_form.is_empty():
            demand_with_effective_create(
                need=need, demand=demand_form.to_data(), effective=demand_form.to_effective()
            )
        return need

    need = submit(need_form, create) if demand_ok else None
    if need is not None:
        messages.success(request, _("The need “%(need)s” has been recorded.") % {"need": need})
        return _back(customer, f"#need-{need.pk}")
    return _page(request, customer, need_form=need_form, first_demand_form=demand_form, status=400)


def _need(request: AuthenticatedRequest, customer_id: int, need_id: int) -> Need:
    customer = potential_access(request.user, customer_id, for_edit=True)
    return get_object_or_404(Need.objects.select_related("customer"), pk=need_id, customer=customer)


def need_update_view(request: AuthenticatedRequest, customer_id: int, need_id: int) -> HttpResponse:
    need = _need(request, customer_id, need_id)
    customer = need.customer
    if request.method == "POST":
        form = NeedForm(request.POST, customer=customer)
        saved = submit(
            form,
            lambda: need_save(
                customer=customer,
                data=form.to_data(),
                need=need,
                expected_version=form.cleaned_data["version"],
            ),
        )
        if saved is not None:
            messages.success(request, _("Your changes have been saved."))
            return _back(customer, f"#need-{need.pk}")
        return _page(request, customer, need_form=form, editing=need, status=400)
    form = NeedForm(initial=NeedForm.initial_for(need), customer=customer)
    return _page(request, customer, need_form=form, editing=need)


@require_POST
def need_delete_view(request: AuthenticatedRequest, customer_id: int, need_id: int) -> HttpResponse:
    need = _need(request, customer_id, need_id)
    need_delete(need=need)
    messages.success(request, _("The need has been removed."))
    return _back(need.customer)


@require_POST
def demand_add_view(request: AuthenticatedRequest, customer_id: int, need_id: int) -> HttpResponse:
    need = _need(request, customer_id, need_id)
    form = DemandForm(request.POST, prefix=f"demand-{need.pk}")
    demand = submit(
        form,
        lambda: demand_with_effective_create(
            need=need, demand=form.to_data(), effective=form.to_effective()
        ),
    )
    if demand is not None:
        messages.success(request, _("The demand has been recorded."))
        return _back(need.customer, f"#need-{need.pk}")
    return _page(request, need.customer, demand_forms={need.pk: form}, status=400)


def _demand(request: AuthenticatedRequest, customer_id: int, demand_id: int) -> Demand:
    customer = potential_access(request.user, customer_id, for_edit=True)
    return get_object_or_404(
        Demand.objects.select_related("need__customer"), pk=demand_id, need__customer=customer
    )


@require_POST
def demand_delete_view(
    request: AuthenticatedRequest, customer_id: int, demand_id: int
) -> HttpResponse:
    demand = _demand(request, customer_id, demand_id)
    demand_delete(demand=demand)
    messages.success(request, _("The demand has been removed."))
    return _back(demand.need.customer, f"#need-{demand.need_id}")


@require_POST
def effective_set_view(
    request: AuthenticatedRequest, customer_id: int, demand_id: int
) -> HttpResponse:
    demand = _demand(request, customer_id, demand_id)
    form = EffectiveDemandForm(request.POST, prefix=f"effective-{demand.pk}")

    def save() -> EffectiveDemand:
        data = form.to_effective()
        assert data is not None  # amount is required in this form
        return effective_demand_set(demand=demand, data=data)

    if submit(form, save) is not None:
        messages.success(request, _("The effective demand has been saved."))
        return _back(demand.need.customer, f"#need-{demand.need_id}")
    return _page(request, demand.need.customer, effective_forms={demand.pk: form}, status=400)


@require_POST
def effective_delete_view(
    request: AuthenticatedRequest, customer_id: int, effective_id: int
) -> HttpResponse:
    customer = potential_access(request.user, customer_id, for_edit=True)
    row = get_object_or_404(
        EffectiveDemand.objects.select_related("demand"),
        pk=effective_id,
        demand__need__customer=customer,
    )
    effective_demand_delete(row=row)
    messages.success(request, _("The effective demand has been removed."))
    return _back(customer, f"#need-{row.demand.need_id}")
