"""The chokepoint for finance data: revenue, margins, credit, conditions."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kundenbild.accounts.capabilities import Capability, has_capability
from kundenbild.accounts.models import User
from kundenbild.core.errors import PermissionDeniedError
from kundenbild.customers.models import Customer
from kundenbild.customers.permissions import customer_can_edit


def finance_can_view(user: User) -> bool:
    return has_capability(user, Capability.VIEW_FINANCE)


def finance_can_edit(user: User, customer: Customer) -> bool:
    """Finance data of a customer: who may see it and edits the customer, or the controller."""
    if not finance_can_view(user):
        return False
    return has_capability(user, Capability.EDIT_FINANCE) or customer_can_edit(user, customer)


def finance_edit_access(user: User, customer: Customer) -> None:
    if not finance_can_edit(user, customer):
        raise PermissionDeniedError(_("You may not change the finance data of this customer."))


def finance_access(user: User) -> None:
    """Raise unless the user may see finance data."""
    if not finance_can_view(user):
        raise PermissionDeniedError(_("You may not see finance data."))


def overhead_rates_access(user: User) -> None:
    """The rates for attributing overheads are set by whoever edits all finance data."""
    if not has_capability(user, Capability.EDIT_FINANCE):
        raise PermissionDeniedError(_("You may not change the overhead rates."))
