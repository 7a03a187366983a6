"""Who may change an activity, and who may close a follow-up.

An activity belongs to whoever logged it; whoever may edit the customer may correct it
too. Everyone who may see the customer reads the log.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from kundenbild.accounts.models import User
from kundenbild.activities.models import Activity
from kundenbild.core.errors import NotFoundError, PermissionDeniedError
from kundenbild.customers.models import Customer
from kundenbild.customers.permissions import customer_access, customer_can_edit


def activity_can_edit(user: User, activity: Activity) -> bool:
    """Its author, or whoever may edit the customer."""
    if activity.created_by_id == user.pk:
        return True
    return customer_can_edit(user, activity.customer)


def activities_editable(user: User, customer: Customer, activities: Iterable[Activity]) -> set[int]:
    """The ids of those of the customer's activities the user may change (for a list)."""
    if customer_can_edit(user, customer):
        return {a.pk for a in activities}
    return {a.pk for a in activities if a.created_by_id == user.pk}


def activity_access(user: User, activity_id: int, *, for_edit: bool = False) -> Activity:
    """The activity if the user may see its customer (and change it, when asked)."""
    if not (user.is_authenticated and user.is_active):
        raise PermissionDeniedError(_("Please log in."))
    activity = Activity.objects.select_related("customer").filter(pk=activity_id).first()
    if activity is None:
        raise NotFoundError(_("This activity does not exist."))
    customer_access(user, activity.customer_id)
    if for_edit and not activity_can_edit(user, activity):
        raise PermissionDeniedError(
            _("Only whoever logged this activity, or may edit the customer, may change it.")
        )
    return activity


def follow_up_access(user: User, activity: Activity) -> None:
    if activity.follow_up_by_id == user.pk or customer_can_edit(user, activity.customer):
        return
    raise PermissionDeniedError(_("This follow-up belongs to a colleague."))
