"""Who may see and change a customer's buying center: whoever may see, or edit, the
customer. The people, their roles and our relationships are part of the profile that
service staff read before a call, so reading is open to every active user; changing it
follows the customer's edit rule. Here, so the rule has one place to change."""

from __future__ import annotations

from kundenbild.accounts.models import User
from kundenbild.customers.models import Customer
from kundenbild.customers.permissions import customer_access, customer_can_edit


def buying_center_access(user: User, customer_id: int, *, for_edit: bool = False) -> Customer:
    """The customer whose buying center the user may see (or change); refuse otherwise."""
    return customer_access(user, customer_id, for_edit=for_edit)


def buying_center_can_edit(user: User, customer: Customer) -> bool:
    return customer_can_edit(user, customer)
