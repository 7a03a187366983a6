"""Who may see and change a customer's needs, demands and potentials: whoever may see, or
edit, the customer. Our own revenue beside a potential is finance data and follows the
finance rule. Here, so the rule has one place to change."""

from __future__ import annotations

from kundenbild.accounts.models import User
from kundenbild.customers.models import Customer
from kundenbild.customers.permissions import customer_access, customer_can_edit
from kundenbild.finance.permissions import finance_can_view


def potential_access(user: User, customer_id: int, *, for_edit: bool = False) -> Customer:
    """The customer whose needs and potentials the user may see (or change)."""
    return customer_access(user, customer_id, for_edit=for_edit)


def potential_can_edit(user: User, customer: Customer) -> bool:
    return customer_can_edit(user, customer)


def potential_can_see_our_revenue(user: User) -> bool:
    """Our revenue and share of wallet: finance figures."""
    return finance_can_view(user)
