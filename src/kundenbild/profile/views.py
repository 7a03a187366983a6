"""Confirming that an area of a customer's profile has been reviewed and is true."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kundenbild.accounts.requests import AuthenticatedRequest
from kundenbild.customers.permissions import customer_access
from kundenbild.finance.permissions import finance_edit_access
from kundenbild.profile.models import ProfileArea
from kundenbild.profile.services import area_review_mark


@require_POST
def area_review_view(request: AuthenticatedRequest, customer_id: int, area: str) -> HttpResponse:
    if area not in ProfileArea.values:
        raise Http404
    customer = customer_access(request.user, customer_id, for_edit=area != ProfileArea.FINANCE)
    if area == ProfileArea.FINANCE:
        finance_edit_access(request.user, customer)
    area_review_mark(customer=customer, area=area, by=request.user, today=timezone.localdate())
    messages.success(
        request,
        _("%(area)s marked as reviewed today.") % {"area": ProfileArea(area).label},
    )
    anchor = area.replace("_", "-")
    return redirect(reverse("customers:customer-detail", args=[customer.pk]) + f"#{anchor}")
