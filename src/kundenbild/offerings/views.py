"""Catalogue, matrix across customers, and the assessment page of one customer."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kundenbild.accounts.requests import AuthenticatedRequest
from kundenbild.core.forms import submit
from kundenbild.customers.models import Customer
from kundenbild.customers.permissions import customer_access, customer_can_edit
from kundenbild.offerings.forms import AssessmentForm, OfferingForm
from kundenbild.offerings.models import FascinationAssessment, FascinationLevel
from kundenbild.offerings.permissions import offering_catalogue_access, offering_catalogue_can_edit
from kundenbild.offerings.selectors import (
    customer_pyramid,
    fascination_matrix,
    fascination_summary,
    offering_list,
)
from kundenbild.offerings.services import assessment_delete, assessment_save, offering_save

LEVELS = [(int(level), str(level.label)) for level in FascinationLevel]


def _catalogue(
    request: AuthenticatedRequest, form: OfferingForm, status: int = 200
) -> HttpResponse:
    offerings = list(offering_list(active_only=False))
    context = {
        "summaries": fascination_summary(offerings),
        "levels": LEVELS,
        "form": form,
        "can_edit": offering_catalogue_can_edit(request.user),
    }
    return render(request, "offerings/catalogue.html", context, status=status)


def catalogue_view(request: AuthenticatedRequest) -> HttpResponse:
    return _catalogue(request, OfferingForm(initial={"kind": "product"}))


@require_POST
def offering_create_view(request: AuthenticatedRequest) -> HttpResponse:
    offering_catalogue_access(request.user)
    form = OfferingForm(request.POST)
    if submit(form, lambda: offering_save(data=form.to_data())) is not None:
        messages.success(request, _("The offering has been added to the catalogue."))
        return redirect("offerings:catalogue")
    return _catalogue(request, form, status=400)


def matrix_view(request: AuthenticatedRequest) -> HttpResponse:
    """Which offering fascinates whom, and where we are only expected."""
    offerings = list(offering_list().filter(assessments__isnull=False).distinct())
    customers = Customer.objects.filter(fascination__isnull=False).distinct().order_by("name")
    mine = request.GET.get("mine") == "1"
    if mine:
        customers = customers.filter(owner=request.user)
    page = Paginator(customers, 25).get_page(request.GET.get("page"))
    context = {
        "offerings": offerings,
        "rows": fascination_matrix(list(page.object_list), offerings),
        "page": page,
        "levels": LEVELS,
        "mine": mine,
    }
    return render(request, "offerings/matrix.html", context)


def _assessment_page(
    request: AuthenticatedRequest, customer: Customer, form: AssessmentForm, status: int = 200
) -> HttpResponse:
    context: dict[str, Any] = {
        "customer": customer,
        "pyramid": customer_pyramid(customer),
        "form": form,
        "can_edit": customer_can_edit(request.user, customer),
    }
    return render(request, "offerings/customer_fascination.html", context, status=status)


def customer_fascination_view(request: AuthenticatedRequest, customer_id: int) -> HttpResponse:
    customer = customer_access(request.user, customer_id)
    return _assessment_page(request, customer, AssessmentForm())


@require_POST
def assessment_save_view(request: AuthenticatedRequest, customer_id: int) -> HttpResponse:
    customer = customer_access(request.user, customer_id, for_edit=True)
    form = AssessmentForm(request.POST)
    if (
        submit(
            form, lambda: assessment_save(customer=customer, by=request.user, **form.cleaned_data)
        )
        is not None
    ):
        messages.success(request, _("The assessment has been saved."))
        return redirect("offerings:customer-fascination", customer_id=customer.pk)
    return _assessment_page(request, customer, form, status=400)


@require_POST
def assessment_delete_view(
    request: AuthenticatedRequest, customer_id: int, assessment_id: int
) -> HttpResponse:
    customer = customer_access(request.user, customer_id, for_edit=True)
    assessment = get_object_or_404(FascinationAssessment, pk=assessment_id, customer=customer)
    assessment_delete(assessment=assessment)
    messages.success(request, _("The assessment has been removed."))
    return redirect("offerings:customer-fascination", customer_id=customer.pk)
