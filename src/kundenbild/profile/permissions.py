"""Who may confirm that an area of a customer's profile has been reviewed.

Confirming an area vouches for its content, so it takes the right to change that content:
the customer's edit rule for the company, buying center, fascination and potential, the
finance edit rule for finance. Reading the picture follows the customer's rule and the
finance rule of each figure, decided where the figures are read.
"""

from __future__ import annotations

from kundenbild.accounts.models import User
from kundenbild.customers.models import Customer
from kundenbild.customers.permissions import customer_access
from kundenbild.finance.permissions import finance_edit_access
from kundenbild.profile.models import ProfileArea


def area_review_access(user: User, customer_id: int, area: str) -> Customer:
    """The customer if the user may confirm `area` of its profile; refuse otherwise."""
    is_finance = area == ProfileArea.FINANCE
    customer = customer_access(user, customer_id, for_edit=not is_finance)
    if is_finance:
        finance_edit_access(user, customer)
    return customer
