"""The coaching focus: customers chosen to be developed actively, and their progress.

Progress is read from the latest analysis run: the revenue and margin of the last 12
months against the targets, and the forecast, so the list tells whether a customer is on
its way before the review date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kundenbild.accounts.models import User
from kundenbild.core.errors import ConflictError, PermissionDeniedError
from kundenbild.customers.models import Customer
from kundenbild.customers.permissions import customer_can_edit
from kundenbild.insights.models import CoachingFocus, CustomerValue
from kundenbild.insights.selectors import latest_run


def coaching_focus_start(
    *,
    customer: Customer,
    by: User,
    goal: str,
    owner: User,
    review_on: date,
    target_revenue: Decimal | None = None,
    target_margin: Decimal | None = None,
    note: str = "",
) -> CoachingFocus:
    """Put a customer into the coaching focus for a goal; once per goal while open."""
    if not customer_can_edit(by, customer):
        raise PermissionDeniedError(_("You may not edit this customer."))
    try:
        with transaction.atomic():
            return CoachingFocus.objects.create(
                customer=customer,
                goal=goal,
                owner=owner,
                review_on=review_on,
                target_revenue=target_revenue,
                target_margin=target_margin,
                note=note,
                started_on=timezone.localdate(),
                created_by=by,
            )
    except IntegrityError:
        raise ConflictError(
            _("This customer is already in the coaching focus for this goal."),
            code="focus_exists",
        ) from None


def coaching_focus_close(*, focus: CoachingFocus, by: User) -> CoachingFocus:
    if not customer_can_edit(by, focus.customer):
        raise PermissionDeniedError(_("You may not edit this customer."))
    if focus.closed_on is None:
        focus.closed_on = timezone.localdate()
        focus.save(update_fields=["closed_on"])
    return focus


@dataclass(frozen=True)
class FocusProgress:
    focus: CoachingFocus
    revenue_12m: Decimal | None
    forecast_revenue_12m: Decimal | None
    margin_12m: Decimal | None
    revenue_progress: float | None  # revenue of the last 12 months in % of the target
    forecast_progress: float | None  # forecast in % of the target
    margin_progress: float | None
    review_due: bool


def coaching_focus_progress(focus_list: list[CoachingFocus]) -> list[FocusProgress]:
    """Each focus with the figures of the latest analysis run against its targets."""
    run = latest_run()
    values = {}
    if run is not None:
        values = {
            value.customer_id: value
            for value in CustomerValue.objects.filter(
                run=run, customer_id__in=[f.customer_id for f in focus_list]
            )
        }
    today = timezone.localdate()
    result = []
    for focus in focus_list:
        value = values.get(focus.customer_id)
        revenue = value.revenue_12m if value else None
        forecast = value.forecast_revenue_12m if value else None
        margin = value.contribution_margin_12m if value else None
        result.append(
            FocusProgress(
                focus=focus,
                revenue_12m=revenue,
                forecast_revenue_12m=forecast,
                margin_12m=margin,
                revenue_progress=_percent(revenue, focus.target_revenue),
                forecast_progress=_percent(forecast, focus.target_revenue),
                margin_progress=_percent(margin, focus.target_margin),
                review_due=focus.closed_on is None and focus.review_on <= today,
            )
        )
    return result


def _percent(value: Decimal | None, target: Decimal | None) -> float | None:
    if value is None or not target:
        return None
    return float(100 * value / target)
