"""The buying center of a customer: its people, their roles and our coverage."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from kundenbild.buying_center.forms import ContactForm
from kundenbild.buying_center.models import Contact
from kundenbild.buying_center.selectors import buying_center_coverage, contact_list
from kundenbild.buying_center.services import contact_save
from kundenbild.core.forms import submit
from kundenbild.core.views import AuthenticatedRequest
from kundenbild.customers.models import Customer
from kundenbild.customers.permissions import customer_access, customer_can_edit


def _page(
    request: AuthenticatedRequest,
    customer: Customer,
    form: ContactForm,
    *,
    editing: Contact | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "customer": customer,
        "contacts": contact_list(customer=customer),
        "coverage": buying_center_coverage(customer=customer, today=timezone.localdate()),
        "form": form,
        "editing": editing,
        "can_edit": customer_can_edit(request.user, customer),
    }
    return render(request, "buying_center/buying_center.html", context, status=status)


def buying_center_view(request: AuthenticatedRequest, customer_id: int) -> HttpResponse:
    customer = customer_access(request.user, customer_id)
    if request.method == "POST":
        customer = customer_access(request.user, customer_id, for_edit=True)
        form = ContactForm(request.POST)
        if submit(form, lambda: contact_save(customer=customer, data=form.to_data())) is not None:
            messages.success(request, _("The person has been added to the buying center."))
            return redirect("buying_center:buying-center", customer_id=customer.pk)
        return _page(request, customer, form, status=400)
    return _page(request, customer, ContactForm())


def contact_update_view(
    request: AuthenticatedRequest, customer_id: int, contact_id: int
) -> HttpResponse:
    customer = customer_access(request.user, customer_id, for_edit=True)
    contact = get_object_or_404(Contact, pk=contact_id, customer=customer)
    if request.method == "POST":
        form = ContactForm(request.POST)
        saved = submit(
            form, lambda: contact_save(customer=customer, data=form.to_data(), contact=contact)
        )
        if saved is not None:
            messages.success(request, _("Your changes have been saved."))
            return redirect("buying_center:buying-center", customer_id=customer.pk)
        return _page(request, customer, form, editing=contact, status=400)
    return _page(
        request, customer, ContactForm(initial=ContactForm.initial_for(contact)), editing=contact
    )
