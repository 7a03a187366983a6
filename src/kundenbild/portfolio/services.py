"""Putting customers into the coaching focus and closing it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kundenbild.accounts.models import User
from kundenbild.core.errors import ConflictError, PermissionDeniedError
from kundenbild.customers.models import Customer
from kundenbild.customers.permissions import customer_can_edit
from kundenbild.portfolio.models import CoachingFocus
from kundenbild.portfolio.scope import Scope


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
    scope: Scope | None = None,
) -> CoachingFocus:
    """Put a customer into the coaching focus for a goal; once per goal while open. The
    scope of the selection it was chosen from is kept with it."""
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
                scope=scope.as_json() if scope is not None else {},
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
