"""The one chokepoint for reading and editing customers, used by pages, API and CLI."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kundenbild.accounts.capabilities import Capability, capabilities_of
from kundenbild.accounts.models import User
from kundenbild.core.errors import NotFoundError, PermissionDeniedError
from kundenbild.customers.models import Customer


def customer_can_edit(user: User, customer: Customer) -> bool:
    """Editing needs the capability for all customers, or for own ones and being on the team."""
    caps = capabilities_of(user)
    if Capability.EDIT_ALL_CUSTOMERS in caps:
        return True
    if Capability.EDIT_OWN_CUSTOMERS not in caps:
        return False
    if customer.owner_id == user.pk:
        return True
    return customer.account_team.filter(pk=user.pk).exists()


def customer_can_create(user: User) -> bool:
    caps = capabilities_of(user)
    return Capability.EDIT_ALL_CUSTOMERS in caps or Capability.EDIT_OWN_CUSTOMERS in caps


def customer_access(user: User, customer_id: int, *, for_edit: bool = False) -> Customer:
    """The customer if the user may see it (and edit it, when asked); refuse otherwise.

    Every active user may read every customer: service staff read the profile before a
    call. Finance data inside the profile has its own chokepoint in `finance`.
    """
    if not (user.is_authenticated and user.is_active):
        raise PermissionDeniedError(_("Please log in."))
    try:
        customer = Customer.objects.select_related("owner", "parent").get(pk=customer_id)
    except Customer.DoesNotExist:
        raise NotFoundError(_("This customer does not exist.")) from None
    if for_edit and not customer_can_edit(user, customer):
        raise PermissionDeniedError(_("You may not edit this customer."))
    return customer


def customer_create_access(user: User) -> None:
    if not customer_can_create(user):
        raise PermissionDeniedError(_("You may not create customers."))


def customer_merge_access(user: User, survivor: Customer, duplicate: Customer) -> None:
    """Merging changes the customer that remains and deletes the duplicate: it needs the
    right to edit both."""
    if not customer_can_edit(user, duplicate):
        raise PermissionDeniedError(_("You may not edit this customer."))
    if not customer_can_edit(user, survivor):
        raise PermissionDeniedError(
            _("You may not edit %(name)s, so you cannot merge into it.") % {"name": survivor.name}
        )
