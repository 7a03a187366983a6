"""Who may close a follow-up: the colleague it is for, or whoever may edit the customer."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kundenbild.accounts.models import User
from kundenbild.activities.models import Activity
from kundenbild.core.errors import PermissionDeniedError
from kundenbild.customers.permissions import customer_can_edit


def follow_up_access(user: User, activity: Activity) -> None:
    if activity.follow_up_by_id == user.pk or customer_can_edit(user, activity.customer):
        return
    raise PermissionDeniedError(_("This follow-up belongs to a colleague."))
