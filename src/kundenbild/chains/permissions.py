"""The one chokepoint for reading and editing problem-solving chains (pages, API, CLI).

Every active user reads every chain, as they read every customer. A chain drawn for one
customer is edited by whoever may edit that customer; chains for offerings and segments
by anyone who may edit customers at all, since they serve the whole sales team.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kundenbild.accounts.models import User
from kundenbild.chains.models import Chain
from kundenbild.core.errors import NotFoundError, PermissionDeniedError
from kundenbild.customers.models import Customer
from kundenbild.customers.permissions import customer_can_create, customer_can_edit


def chain_can_edit(user: User, chain: Chain) -> bool:
    if chain.customer_id is not None and chain.customer is not None:
        return customer_can_edit(user, chain.customer)
    return customer_can_create(user)


def chain_access(user: User, chain_id: int, *, for_edit: bool = False) -> Chain:
    """The chain if the user may see it (and edit it, when asked); refuse otherwise."""
    if not (user.is_authenticated and user.is_active):
        raise PermissionDeniedError(_("Please log in."))
    try:
        chain = Chain.objects.select_related(
            "customer", "offering", "offering_group", "industry"
        ).get(pk=chain_id)
    except Chain.DoesNotExist:
        raise NotFoundError(_("This chain does not exist.")) from None
    if for_edit and not chain_can_edit(user, chain):
        raise PermissionDeniedError(_("You may not edit this chain."))
    return chain


def chain_create_access(user: User, customer: Customer | None) -> None:
    """Refuse a new chain the user could not edit once it exists."""
    if customer is not None and not customer_can_edit(user, customer):
        raise PermissionDeniedError(
            _("Only those who may edit %(customer)s can draw a chain for it.")
            % {"customer": customer.name}
        )
    if customer is None and not customer_can_create(user):
        raise PermissionDeniedError(_("You may not create chains."))
