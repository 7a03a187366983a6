"""Dismissing an item of one's own worklist, with the reason, snoozing it until a day,
and putting it back.

A dismissal names the occurrence (the item's key), so the same matter comes back when it
happens anew; a snooze ends on its day by itself. Restoring keeps the row, so who put what
aside, when, until when and why stays on record.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kundenbild.accounts.models import User
from kundenbild.core.errors import (
    ApplicationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
)
from kundenbild.workspace.models import WorkItemDismissal
from kundenbild.workspace.selectors import worklist
from kundenbild.workspace.work_items import WorkItem

MAX_SUMMARY = 300
MAX_SNOOZE_DAYS = 366  # a snooze is for later, not for never: that is a dismissal


def work_item_dismiss(*, user: User, key: str, reason: str) -> WorkItemDismissal:
    """Hide one item of the user's own worklist, with the reason; refused for an item the
    worklist does not hold (so a forged key cannot name another user's customer)."""
    reason = reason.strip()
    if not reason:
        raise ApplicationError(
            _("Please say why this item needs no attention."), code="reason_missing"
        )
    item = _own_item(user, key)
    try:
        with transaction.atomic():
            _close_ended_snoozes(user, key)
            return _put_aside(user, item, reason=reason, until=None)
    except IntegrityError:
        raise ConflictError(_("This item has already been dismissed."), code="dismissed") from None


def work_item_snooze(
    *, user: User, key: str, until: date, reason: str = "", today: date | None = None
) -> WorkItemDismissal:
    """Hide one item of the user's own worklist until a day (tomorrow at the earliest, a
    year at the latest); it comes back on that day by itself."""
    today = today or timezone.localdate()
    if until <= today:
        raise ApplicationError(
            _("Please choose a day after today to bring the item back."), code="snooze_past"
        )
    if until > today + timedelta(days=MAX_SNOOZE_DAYS):
        raise ApplicationError(
            _("Please choose a day within a year; to hide an item for good, dismiss it."),
            code="snooze_too_long",
        )
    item = _own_item(user, key)
    try:
        with transaction.atomic():
            _close_ended_snoozes(user, key, today=today)
            return _put_aside(user, item, reason=reason.strip(), until=until)
    except IntegrityError:
        raise ConflictError(
            _("This item is already dismissed or snoozed."), code="dismissed"
        ) from None


def _own_item(user: User, key: str) -> WorkItem:
    item = next((i for i in worklist(user).items if i.key == key), None)
    if item is None:
        raise NotFoundError(_("This item is no longer on your worklist."))
    return item


def _close_ended_snoozes(user: User, key: str, *, today: date | None = None) -> None:
    """An ended snooze leaves its row open; close it before the next decision on the item
    (saved one by one, so the history records the closing)."""
    ended = WorkItemDismissal.objects.filter(
        user=user,
        key=key,
        restored_at__isnull=True,
        snoozed_until__lte=today or timezone.localdate(),
    )
    for snooze in ended:
        snooze.restored_at = timezone.now()
        snooze.save(update_fields=["restored_at"])


def _put_aside(user: User, item: WorkItem, *, reason: str, until: date | None) -> WorkItemDismissal:
    return WorkItemDismissal.objects.create(
        user=user,
        customer_id=item.customer_id,
        kind=item.kind,
        key=item.key,
        summary=item.text[:MAX_SUMMARY],
        reason=reason[:MAX_SUMMARY],
        snoozed_until=until,
    )


def work_item_restore(*, user: User, dismissal_id: int) -> WorkItemDismissal:
    """Put a dismissed item back on the list; the dismissal stays in the history."""
    dismissal = WorkItemDismissal.objects.filter(pk=dismissal_id).first()
    if dismissal is None:
        raise NotFoundError(_("This dismissal does not exist."))
    if dismissal.user_id != user.pk:
        raise PermissionDeniedError(_("You can only restore items you dismissed yourself."))
    if dismissal.restored_at is None:
        dismissal.restored_at = timezone.now()
        dismissal.save(update_fields=["restored_at"])
    return dismissal
