"""Managing a customer's addresses and business units (the company area of the profile)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kundenbild.accounts.requests import AuthenticatedRequest
from kundenbild.core.forms import submit
from kundenbild.customers.forms import AddressForm, BusinessUnitForm
from kundenbild.customers.models import Address, BusinessUnit, Customer
from kundenbild.customers.permissions import customer_access
from kundenbild.customers.services import (
    address_delete,
    address_save,
    business_unit_delete,
    business_unit_save,
)


def _page(
    request: AuthenticatedRequest,
    customer: Customer,
    *,
    address_form: AddressForm | None = None,
    unit_form: BusinessUnitForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context: dict[str, Any] = {
        "customer": customer,
        "addresses": customer.addresses.all(),
        "business_units": customer.business_units.all(),
        "address_form": address_form or AddressForm(initial={"kind": "delivery", "country": "DE"}),
        "unit_form": unit_form or BusinessUnitForm(),
    }
    return render(request, "customers/customer_company.html", context, status=status)


def customer_company_view(request: AuthenticatedRequest, customer_id: int) -> HttpResponse:
    return _page(request, customer_access(request.user, customer_id, for_edit=True))


@require_POST
def address_create_view(request: AuthenticatedRequest, customer_id: int) -> HttpResponse:
    customer = customer_access(request.user, customer_id, for_edit=True)
    form = AddressForm(request.POST)
    if submit(form, lambda: address_save(customer=customer, data=form.to_data())) is not None:
        messages.success(request, _("The address has been added."))
        return redirect("customers:customer-company", customer_id=customer.pk)
    return _page(request, customer, address_form=form, status=400)


@require_POST
def address_delete_view(
    request: AuthenticatedRequest, customer_id: int, address_id: int
) -> HttpResponse:
    customer = customer_access(request.user, customer_id, for_edit=True)
    address_delete(address=get_object_or_404(Address, pk=address_id, customer=customer))
    messages.success(request, _("The address has been removed."))
    return redirect("customers:customer-company", customer_id=customer.pk)


@require_POST
def business_unit_create_view(request: AuthenticatedRequest, customer_id: int) -> HttpResponse:
    customer = customer_access(request.user, customer_id, for_edit=True)
    form = BusinessUnitForm(request.POST)
    if submit(form, lambda: business_unit_save(customer=customer, **form.cleaned_data)) is not None:
        messages.success(request, _("The business unit has been added."))
        return redirect("customers:customer-company", customer_id=customer.pk)
    return _page(request, customer, unit_form=form, status=400)


@require_POST
def business_unit_delete_view(
    request: AuthenticatedRequest, customer_id: int, unit_id: int
) -> HttpResponse:
    customer = customer_access(request.user, customer_id, for_edit=True)
    business_unit_delete(unit=get_object_or_404(BusinessUnit, pk=unit_id, customer=customer))
    messages.success(request, _("The business unit has been removed."))
    return redirect("customers:customer-company", customer_id=customer.pk)
