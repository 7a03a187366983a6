"""Customer pages: the list, the profile with its five areas, the master-data form."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from kundenbild.accounts.requests import AuthenticatedRequest
from kundenbild.core.forms import submit
from kundenbild.customers.forms import CustomerForm
from kundenbild.customers.permissions import (
    customer_access,
    customer_create_access,
)
from kundenbild.customers.services import customer_create, customer_update


class CustomerCreateView(View):
    def get(self, request: AuthenticatedRequest) -> HttpResponse:
        customer_create_access(request.user)
        form = CustomerForm(initial={"owner": request.user.pk, "hq_country": "DE"})
        return render(request, "customers/customer_form.html", {"form": form})

    def post(self, request: AuthenticatedRequest) -> HttpResponse:
        customer_create_access(request.user)
        form = CustomerForm(request.POST)
        customer = submit(
            form,
            lambda: customer_create(data=form.to_data(), by=request.user),
            field_for=_form_field,
        )
        if customer is not None:
            messages.success(request, _("The customer has been created."))
            return redirect("profile:customer-detail", customer_id=customer.pk)
        return render(request, "customers/customer_form.html", {"form": form}, status=400)


class CustomerUpdateView(View):
    def get(self, request: AuthenticatedRequest, customer_id: int) -> HttpResponse:
        customer = customer_access(request.user, customer_id, for_edit=True)
        form = CustomerForm(initial=CustomerForm.initial_for(customer))
        return render(request, "customers/customer_form.html", {"form": form, "customer": customer})

    def post(self, request: AuthenticatedRequest, customer_id: int) -> HttpResponse:
        customer = customer_access(request.user, customer_id, for_edit=True)
        form = CustomerForm(request.POST)
        saved = submit(
            form,
            lambda: customer_update(
                customer=customer,
                data=form.to_data(),
                by=request.user,
                expected_version=form.cleaned_data["version"],
            ),
            field_for=_form_field,
        )
        if saved is not None:
            messages.success(request, _("Your changes have been saved."))
            return redirect("profile:customer-detail", customer_id=customer.pk)
        status = 409 if form.has_error(NON_FIELD_ERRORS, code="conflict") else 400
        context = {"form": form, "customer": customer}
        return render(request, "customers/customer_form.html", context, status=status)


def _form_field(name: str) -> str:
    """The form field that shows a service error about a model field."""
    return "parent_number" if name == "parent" else name.replace("headquarters.", "hq_")
