"""The contact log of a customer: logging, changing and deleting activities, and closing
follow-ups."""

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
from kundenbild.activities.permissions import (
    activities_editable,
    activity_access,
    follow_up_access,
)
from kundenbild.activities.selectors import activity_list
from kundenbild.activities.services import (
    activity_create,
    activity_delete,
    activity_update,
    follow_up_done,
)
from kundenbild.core.forms import submit
from kundenbild.customers.models import Customer
from kundenbild.customers.permissions import customer_access


def _page(
    request: AuthenticatedRequest, customer: Customer, form: ActivityForm, status: int = 200
) -> HttpResponse:
    activities = list(activity_list(customer=customer))
    context = {
        "customer": customer,
        "activities": activities,
        "editable_activities": activities_editable(request.user, customer, activities),
        "form": form,
    }
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


def activity_update_view(request: AuthenticatedRequest, activity_id: int) -> HttpResponse:
    """Correct a logged activity: its author, or whoever may edit the customer."""
    activity = activity_access(request.user, activity_id, for_edit=True)
    customer = activity.customer
    status = 200
    if request.method == "POST":
        form = ActivityForm(request.POST, customer=customer)
        if (
            submit(
                form,
                lambda: activity_update(activity=activity, data=form.to_data(), by=request.user),
            )
            is not None
        ):
            messages.success(request, _("The activity has been changed."))
            return redirect("activities:customer-activities", customer_id=customer.pk)
        status = 400
    else:
        form = ActivityForm(initial=ActivityForm.initial_for(activity), customer=customer)
    context = {"customer": customer, "activity": activity, "form": form}
    return render(request, "activities/activity_edit.html", context, status=status)


@require_POST
def activity_delete_view(request: AuthenticatedRequest, activity_id: int) -> HttpResponse:
    activity = activity_access(request.user, activity_id, for_edit=True)
    customer_id = activity.customer_id
    activity_delete(activity=activity)
    messages.success(request, _("The activity has been deleted."))
    return redirect("activities:customer-activities", customer_id=customer_id)


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
