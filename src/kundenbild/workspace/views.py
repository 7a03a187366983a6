"""The start page with the worklist and the coming follow-ups; dismissing, snoozing and
restoring items."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from kundenbild.accounts.requests import AuthenticatedRequest
from kundenbild.activities.selectors import follow_ups_open
from kundenbild.core.errors import ApplicationError
from kundenbild.finance.permissions import finance_can_view
from kundenbild.workspace.selectors import dismissal_list, worklist
from kundenbild.workspace.services import (
    MAX_SNOOZE_DAYS,
    work_item_dismiss,
    work_item_restore,
    work_item_snooze,
)
from kundenbild.workspace.work_items import NO_STAKE

START_ITEMS = 20  # the first screen: what can be done today; the rest behind "more"


def start_view(request: AuthenticatedRequest) -> HttpResponse:
    """The start page: the worklist of what needs attention, then the coming follow-ups."""
    today = timezone.localdate()
    work = worklist(request.user, today=today)
    kind = request.GET.get("kind", "")
    items = [i for i in work.items if i.kind == kind] if kind else work.items
    show_all = request.GET.get("all") == "1"
    _due, upcoming = follow_ups_open(user=request.user, today=today)
    shown = items if show_all else items[:START_ITEMS]
    context = {
        "work": work,
        "kind": kind,
        "rows": [(item, work.stakes.get(item.customer_id, NO_STAKE)) for item in shown],
        "more": 0 if show_all else max(0, len(items) - START_ITEMS),
        "upcoming": upcoming,
        "dismissals": dismissal_list(request.user, limit=10),
        "show_finance": finance_can_view(request.user),
        "today": today,
        "snooze_min": today + timedelta(days=1),
        "snooze_max": today + timedelta(days=MAX_SNOOZE_DAYS),
    }
    return render(request, "workspace/start.html", context)


def _back(request: AuthenticatedRequest) -> HttpResponse:
    """Back to the page the form was sent from (the start page if it names another host)."""
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("home")
    return redirect(target)


@require_POST
def work_item_dismiss_view(request: AuthenticatedRequest) -> HttpResponse:
    try:
        work_item_dismiss(
            user=request.user,
            key=request.POST.get("key", ""),
            reason=request.POST.get("reason", ""),
        )
    except ApplicationError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(
            request, _("The item is dismissed; it stays with your reason under “Dismissed by you”.")
        )
    return _back(request)


def _snooze_until(request: AuthenticatedRequest, today: date) -> date:
    """The day chosen on the form: a number of days from today, or a date."""
    days = request.POST.get("days", "")
    if days.isdigit():
        return today + timedelta(days=int(days))
    try:
        return date.fromisoformat(request.POST.get("until", ""))
    except ValueError:
        raise ApplicationError(
            _("Please choose the day on which the item should come back."), code="snooze_day"
        ) from None


@require_POST
def work_item_snooze_view(request: AuthenticatedRequest) -> HttpResponse:
    today = timezone.localdate()
    try:
        until = _snooze_until(request, today)
        work_item_snooze(
            user=request.user,
            key=request.POST.get("key", ""),
            until=until,
            reason=request.POST.get("reason", ""),
            today=today,
        )
    except ApplicationError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(
            request,
            _("The item is snoozed; it comes back on %(day)s.")
            % {"day": formats.date_format(until, "SHORT_DATE_FORMAT")},
        )
    return _back(request)


@require_POST
def work_item_restore_view(request: AuthenticatedRequest, dismissal_id: int) -> HttpResponse:
    work_item_restore(user=request.user, dismissal_id=dismissal_id)
    messages.success(request, _("The item is back on your worklist."))
    return _back(request)
