"""The buying center of a customer: people, relations, our relationships, map, coverage."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kundenbild.accounts.requests import AuthenticatedRequest
from kundenbild.buying_center.forms import (
    INCOMING,
    AcquaintanceForm,
    BuyingCenterForm,
    ContactForm,
    RelationForm,
)
from kundenbild.buying_center.models import Acquaintance, BuyingCenter, Contact, ContactRelation
from kundenbild.buying_center.permissions import buying_center_access, buying_center_can_edit
from kundenbild.buying_center.selectors import (
    buying_center_coverage,
    buying_center_list,
    contact_list,
    coverage_overview,
    relation_list,
    relationship_map,
)
from kundenbild.buying_center.services import (
    acquaintance_set,
    buying_center_delete,
    buying_center_save,
    contact_delete,
    contact_save,
    relation_add,
    relation_delete,
)
from kundenbild.core.forms import submit
from kundenbild.core.numbers import id_from_text
from kundenbild.customers.models import Customer


def _selected_center(request: AuthenticatedRequest, customer: Customer) -> BuyingCenter | None:
    center_id = id_from_text(request.GET.get("center"))
    if center_id is None:
        return None
    return get_object_or_404(BuyingCenter, pk=center_id, customer=customer)


def _page(
    request: AuthenticatedRequest,
    customer: Customer,
    *,
    form: ContactForm | None = None,
    editing: Contact | None = None,
    relation_form: RelationForm | None = None,
    acquaintance_form: AcquaintanceForm | None = None,
    center_form: BuyingCenterForm | None = None,
    status: int = 200,
) -> HttpResponse:
    center = _selected_center(request, customer)
    contacts = list(contact_list(customer=customer, buying_center=center))
    relations = relation_list(contacts=contacts)
    context: dict[str, Any] = {
        "customer": customer,
        "contacts": contacts,
        "relations": relations,
        "relationship_map": relationship_map(contacts, relations),
        "coverage": buying_center_coverage(contacts, today=timezone.localdate()),
        "centers": buying_center_list(customer=customer),
        "center": center,
        "form": form or ContactForm(customer=customer),
        "editing": editing,
        "can_edit": buying_center_can_edit(request.user, customer),
        "center_form": center_form or BuyingCenterForm(customer=customer),
    }
    if editing is not None:
        context["relation_form"] = relation_form or RelationForm(contact=editing)
        context["acquaintance_form"] = acquaintance_form or AcquaintanceForm()
        context["editing_relations"] = (
            ContactRelation.objects.filter(source=editing)
            | ContactRelation.objects.filter(target=editing)
        ).select_related("source", "target")
        context["editing_acquaintances"] = editing.acquaintances.select_related("user")
    return render(request, "buying_center/buying_center.html", context, status=status)


def _person_url(customer: Customer, contact: Contact) -> str:
    return reverse("buying_center:contact-update", args=[customer.pk, contact.pk]) + "#person"


def buying_center_view(request: AuthenticatedRequest, customer_id: int) -> HttpResponse:
    customer = buying_center_access(request.user, customer_id)
    if request.method == "POST":
        customer = buying_center_access(request.user, customer_id, for_edit=True)
        form = ContactForm(request.POST, customer=customer)
        contact = submit(form, lambda: contact_save(customer=customer, data=form.to_data()))
        if contact is not None:
            messages.success(
                request,
                _(
                    "%(name)s has been added to the buying center. Record their relations and "
                    "who of us knows them below."
                )
                % {"name": contact},
            )
            return redirect(_person_url(customer, contact))
        return _page(request, customer, form=form, status=400)
    return _page(request, customer)


def _editing(request: AuthenticatedRequest, customer_id: int, contact_id: int) -> Contact:
    customer = buying_center_access(request.user, customer_id, for_edit=True)
    return get_object_or_404(
        Contact.objects.prefetch_related("buying_roles", "acquaintances__user", "buying_centers"),
        pk=contact_id,
        customer=customer,
    )


def contact_update_view(
    request: AuthenticatedRequest, customer_id: int, contact_id: int
) -> HttpResponse:
    contact = _editing(request, customer_id, contact_id)
    customer = contact.customer
    if request.method == "POST":
        form = ContactForm(request.POST, customer=customer)
        saved = submit(
            form,
            lambda: contact_save(
                customer=customer,
                data=form.to_data(),
                contact=contact,
                expected_version=form.cleaned_data["version"],
            ),
        )
        if saved is not None:
            messages.success(request, _("Your changes have been saved."))
            return redirect("buying_center:buying-center", customer_id=customer.pk)
        return _page(request, customer, form=form, editing=contact, status=400)
    form = ContactForm(initial=ContactForm.initial_for(contact), customer=customer)
    return _page(request, customer, form=form, editing=contact)


@require_POST
def contact_delete_view(
    request: AuthenticatedRequest, customer_id: int, contact_id: int
) -> HttpResponse:
    contact = _editing(request, customer_id, contact_id)
    name = str(contact)
    contact_delete(contact=contact)
    messages.success(request, _("%(name)s has been removed.") % {"name": name})
    return redirect("buying_center:buying-center", customer_id=customer_id)


@require_POST
def relation_add_view(
    request: AuthenticatedRequest, customer_id: int, contact_id: int
) -> HttpResponse:
    contact = _editing(request, customer_id, contact_id)
    form = RelationForm(request.POST, contact=contact)

    def add() -> ContactRelation:
        other = form.cleaned_data["other"]
        incoming = form.cleaned_data["direction"] == INCOMING
        return relation_add(
            source=other if incoming else contact,
            target=contact if incoming else other,
            kind=form.cleaned_data["kind"],
            note=form.cleaned_data["note"],
        )

    relation = submit(form, add, field_for=lambda name: "other" if name == "target" else name)
    if relation is not None:
        messages.success(request, _("Relation recorded: %(relation)s.") % {"relation": relation})
        return redirect(_person_url(contact.customer, contact))
    form_form = ContactForm(initial=ContactForm.initial_for(contact), customer=contact.customer)
    return _page(
        request, contact.customer, form=form_form, editing=contact, relation_form=form, status=400
    )


@require_POST
def relation_delete_view(
    request: AuthenticatedRequest, customer_id: int, contact_id: int, relation_id: int
) -> HttpResponse:
    contact = _editing(request, customer_id, contact_id)
    relation = get_object_or_404(
        ContactRelation.objects.filter(source__customer_id=contact.customer_id), pk=relation_id
    )
    relation_delete(relation=relation)
    messages.success(request, _("The relation has been removed."))
    return redirect(_person_url(contact.customer, contact))


@require_POST
def acquaintance_set_view(
    request: AuthenticatedRequest, customer_id: int, contact_id: int
) -> HttpResponse:
    contact = _editing(request, customer_id, contact_id)
    form = AcquaintanceForm(request.POST)
    saved = submit(
        form,
        lambda: acquaintance_set(
            contact=contact,
            user=form.cleaned_data["user"],
            closeness=form.cleaned_data["closeness"],
        ),
    )
    if saved is not None:
        messages.success(request, _("Saved: %(acquaintance)s.") % {"acquaintance": saved})
        return redirect(_person_url(contact.customer, contact))
    form_form = ContactForm(initial=ContactForm.initial_for(contact), customer=contact.customer)
    return _page(
        request,
        contact.customer,
        form=form_form,
        editing=contact,
        acquaintance_form=form,
        status=400,
    )


@require_POST
def acquaintance_delete_view(
    request: AuthenticatedRequest, customer_id: int, contact_id: int, acquaintance_id: int
) -> HttpResponse:
    contact = _editing(request, customer_id, contact_id)
    get_object_or_404(Acquaintance, pk=acquaintance_id, contact=contact).delete()
    messages.success(request, _("The relationship has been removed."))
    return redirect(_person_url(contact.customer, contact))


@require_POST
def buying_center_create_view(request: AuthenticatedRequest, customer_id: int) -> HttpResponse:
    customer = buying_center_access(request.user, customer_id, for_edit=True)
    form = BuyingCenterForm(request.POST, customer=customer)
    center = submit(form, lambda: buying_center_save(customer=customer, data=form.to_data()))
    if center is not None:
        messages.success(
            request,
            _("Buying center “%(name)s” created. Add people to it when you edit them.")
            % {"name": center},
        )
        url = reverse("buying_center:buying-center", args=[customer.pk])
        return redirect(f"{url}?center={center.pk}")
    return _page(request, customer, center_form=form, status=400)


@require_POST
def buying_center_delete_view(
    request: AuthenticatedRequest, customer_id: int, center_id: int
) -> HttpResponse:
    customer = buying_center_access(request.user, customer_id, for_edit=True)
    center = get_object_or_404(BuyingCenter, pk=center_id, customer=customer)
    buying_center_delete(buying_center=center)
    messages.success(request, _("The buying center has been removed; its people remain."))
    return redirect("buying_center:buying-center", customer_id=customer.pk)


def coverage_list_view(request: AuthenticatedRequest) -> HttpResponse:
    """Coverage across customers: where we know too few people, or not the right ones."""
    everyone = request.GET.get("all") == "1"
    customers = coverage_overview(
        owner=None if everyone else request.user, today=timezone.localdate()
    )
    page = Paginator(customers, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "buying_center/coverage_list.html",
        {"page": page, "everyone": everyone, "role_count": 6},
    )
