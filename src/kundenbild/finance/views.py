"""The finance profile page of a customer: credit, payment terms, conditions."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kundenbild.accounts.requests import AuthenticatedRequest
from kundenbild.activities.models import ActivityKind
from kundenbild.core.forms import submit
from kundenbild.core.numbers import id_from_text
from kundenbild.customers.models import Customer
from kundenbild.customers.permissions import customer_access
from kundenbild.finance.forms import ConditionForm, FinanceProfileForm, OverheadRatesForm
from kundenbild.finance.margins import contribution_margins, margins_by_offering
from kundenbild.finance.models import Condition, OverheadRate
from kundenbild.finance.permissions import (
    finance_access,
    finance_can_edit,
    finance_edit_access,
    overhead_rates_access,
)
from kundenbild.finance.selectors import finance_profile_get
from kundenbild.finance.services import (
    condition_create,
    condition_delete,
    finance_profile_save,
    overhead_rates_save,
)
from kundenbild.offerings.models import Offering

PROFILE_FIELDS = [
    "credit_rating",
    "credit_source",
    "rated_on",
    "credit_limit",
    "payment_days_net",
    "cash_discount_percent",
    "cash_discount_days",
    "observed_days_to_pay",
    "version",
]


def _page(
    request: AuthenticatedRequest,
    customer: Customer,
    *,
    profile_form: FinanceProfileForm | None = None,
    condition_form: ConditionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    profile = finance_profile_get(customer)
    years = contribution_margins(customer)
    asked = id_from_text(request.GET.get("year"))
    year = asked if asked is not None and asked <= 9999 else (years[-1].year if years else None)
    offerings = margins_by_offering(customer, year) if year else []
    context = {
        "years": years,
        "year": year,
        "months": contribution_margins(customer, monthly=True, year=year) if year else [],
        "offerings": offerings,
        "offering_names": dict(
            Offering.objects.filter(number__in=[o.article_number for o in offerings]).values_list(
                "number", "name_de"
            )
        ),
        "customer": customer,
        "profile": profile,
        "conditions": customer.conditions.all(),
        "today": timezone.localdate(),
        "can_edit": finance_can_edit(request.user, customer),
        "profile_form": profile_form
        or FinanceProfileForm(initial={f: getattr(profile, f) for f in PROFILE_FIELDS}),
        "condition_form": condition_form
        or ConditionForm(initial={"valid_from": timezone.localdate()}),
    }
    return render(request, "finance/customer_finance.html", context, status=status)


def customer_finance_view(request: AuthenticatedRequest, customer_id: int) -> HttpResponse:
    customer = customer_access(request.user, customer_id)
    finance_access(request.user)
    return _page(request, customer)


@require_POST
def finance_profile_save_view(request: AuthenticatedRequest, customer_id: int) -> HttpResponse:
    customer = customer_access(request.user, customer_id)
    finance_edit_access(request.user, customer)
    form = FinanceProfileForm(request.POST)
    if (
        submit(
            form,
            lambda: finance_profile_save(
                customer=customer,
                data=form.to_data(),
                expected_version=form.cleaned_data["version"],
            ),
        )
        is not None
    ):
        messages.success(request, _("The finance profile has been saved."))
        return redirect("finance:customer-finance", customer_id=customer.pk)
    status = 409 if form.has_error(NON_FIELD_ERRORS, code="conflict") else 400
    return _page(request, customer, profile_form=form, status=status)


@require_POST
def condition_create_view(request: AuthenticatedRequest, customer_id: int) -> HttpResponse:
    customer = customer_access(request.user, customer_id)
    finance_edit_access(request.user, customer)
    form = ConditionForm(request.POST)
    if submit(form, lambda: condition_create(customer=customer, data=form.to_data())) is not None:
        messages.success(request, _("The condition has been added."))
        return redirect("finance:customer-finance", customer_id=customer.pk)
    return _page(request, customer, condition_form=form, status=400)


@require_POST
def condition_delete_view(
    request: AuthenticatedRequest, customer_id: int, condition_id: int
) -> HttpResponse:
    customer = customer_access(request.user, customer_id)
    finance_edit_access(request.user, customer)
    condition_delete(condition=get_object_or_404(Condition, pk=condition_id, customer=customer))
    messages.success(request, _("The condition has been removed."))
    return redirect("finance:customer-finance", customer_id=customer.pk)


def overhead_rates_view(request: AuthenticatedRequest) -> HttpResponse:
    """What a visit, a meeting, a call or an e-mail costs, for contribution margin III."""
    overhead_rates_access(request.user)
    current = dict(OverheadRate.objects.values_list("activity_kind", "amount"))
    if request.method == "POST":
        form = OverheadRatesForm(request.POST)
        if submit(form, lambda: overhead_rates_save(rates=dict(form.cleaned_data))) is not None:
            messages.success(request, _("The overhead rates have been saved."))
            return redirect("finance:overhead-rates")
        status = 400
    else:
        form = OverheadRatesForm(
            initial={k: current.get(k, Decimal(0)) for k in ActivityKind.values}
        )
        status = 200
    return render(request, "finance/overhead_rates.html", {"form": form}, status=status)
