"""The contact log of a customer and the start page with the user's worklist."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kundenbild.accounts.requests import AuthenticatedRequest
from kundenbild.activities.forms import ActivityForm
from kundenbild.activities.models import Activity
from kundenbild.activities.permissions import follow_up_access
from kundenbild.activities.selectors import activity_list
from kundenbild.activities.services import activity_create, follow_up_done
from kundenbild.core.forms import submit
from kundenbild.customers.models import Customer
from kundenbild.customers.permissions import customer_access


def _page(
    request: AuthenticatedRequest, customer: Customer, form: ActivityForm, status: int = 200
) -> HttpResponse:
    context = {"customer": customer, "activities": activity_list(customer=customer), "form": form}
    return render(request, "activities/customer_activities.html", context, status=status)


def customer_activities_view(request: AuthenticatedRequest, customer_id: int) -> HttpResponse:
    customer = customer_access(request.user, customer_id)
    return _page(request, customer, ActivityForm(customer=customer))


@require_POST
def activity_create_view(request: AuthenticatedRequest, customer_id: int) -> HttpResponse:
    """Anyone who may see the customer logs their exchanges with it (integration principle)."""
    customer = customer_access(request.user, customer_id)
    form = ActivityForm(request.POST, customer=customer)
    if (
        submit(
            form, lambda: activity_create(customer=customer, data=form.to_data(), by=request.user)
        )
        is not None
    ):
        messages.success(request, _("The activity has been logged."))
        return redirect("activities:customer-activities", customer_id=customer.pk)
    return _page(request, customer, form, status=400)


@require_POST
def follow_up_done_view(request: AuthenticatedRequest, activity_id: int) -> HttpResponse:
    activity = get_object_or_404(Activity.objects.select_related("customer"), pk=activity_id)
    customer_access(request.user, activity.customer_id)
    follow_up_access(request.user, activity)
    follow_up_done(activity=activity)
    messages.success(request, _("The follow-up is done."))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "home"
    return redirect(target)
