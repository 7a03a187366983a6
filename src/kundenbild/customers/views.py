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
from kundenbild.customers.forms import CustomerForm, CustomerMergeForm
from kundenbild.customers.merge import customer_merge, customer_merge_preview
from kundenbild.customers.models import Customer
from kundenbild.customers.permissions import (
    customer_access,
    customer_create_access,
    customer_merge_access,
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


class CustomerMergeView(View):
    """Merge this customer, a duplicate, into the one that remains: a number shows what
    would move (GET), the confirmation merges (POST)."""

    template_name = "customers/customer_merge.html"

    def get(self, request: AuthenticatedRequest, customer_id: int) -> HttpResponse:
        duplicate = customer_access(request.user, customer_id, for_edit=True)
        form = CustomerMergeForm(request.GET if "survivor" in request.GET else None)

        def preview() -> dict[str, int]:
            survivor: Customer = form.cleaned_data["survivor"]
            customer_merge_access(request.user, survivor, duplicate)
            return customer_merge_preview(survivor, duplicate)

        counts = submit(form, preview)
        context = {"customer": duplicate, "form": form, "preview": counts}
        if counts is not None:
            context["survivor"] = form.cleaned_data["survivor"]
        return render(request, self.template_name, context, status=_status(form))

    def post(self, request: AuthenticatedRequest, customer_id: int) -> HttpResponse:
        duplicate = customer_access(request.user, customer_id, for_edit=True)
        form = CustomerMergeForm(request.POST)

        def merge() -> Customer:
            survivor: Customer = form.cleaned_data["survivor"]
            customer_merge_access(request.user, survivor, duplicate)
            customer_merge(survivor=survivor, duplicate=duplicate, by=request.user)
            return survivor

        survivor = submit(form, merge)
        if survivor is None:
            context = {"customer": duplicate, "form": form, "preview": None}
            return render(request, self.template_name, context, status=_status(form))
        messages.success(
            request,
            _("%(name)s (%(number)s) has been merged into this customer.")
            % {"name": duplicate.name, "number": duplicate.number},
        )
        return redirect("profile:customer-detail", customer_id=survivor.pk)


def _status(form: CustomerMergeForm) -> int:
    """403 when the user may not merge into the chosen customer, 400 for other errors."""
    if form.has_error(NON_FIELD_ERRORS, code="forbidden"):
        return 403
    return 400 if form.errors else 200


def _form_field(name: str) -> str:
    """The form field that shows a service error about a model field."""
    return "parent_number" if name == "parent" else name.replace("headquarters.", "hq_")
