"""Dismissing an item of one's own worklist, with the reason, and putting it back.

A dismissal names the occurrence (the item's key), so the same matter comes back when it
happens anew; restoring keeps the row, so who dismissed what, when and why stays on record.
"""

from __future__ import annotations

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

MAX_SUMMARY = 300


def work_item_dismiss(*, user: User, key: str, reason: str) -> WorkItemDismissal:
    """Hide one item of the user's own worklist, with the reason; refused for an item the
    worklist does not hold (so a forged key cannot name another user's customer)."""
    reason = reason.strip()
    if not reason:
        raise ApplicationError(
            _("Please say why this item needs no attention."), code="reason_missing"
        )
    item = next((i for i in worklist(user).items if i.key == key), None)
    if item is None:
        raise NotFoundError(_("This item is no longer on your worklist."))
    try:
        with transaction.atomic():
            return WorkItemDismissal.objects.create(
                user=user,
                customer_id=item.customer_id,
                kind=item.kind,
                key=key,
                summary=item.text[:MAX_SUMMARY],
                reason=reason[:MAX_SUMMARY],
            )
    except IntegrityError:
        raise ConflictError(_("This item has already been dismissed."), code="dismissed") from None


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
