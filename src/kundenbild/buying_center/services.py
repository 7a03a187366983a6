"""Writes on the people of a customer's buying center."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from kundenbild.accounts.models import User
from kundenbild.buying_center.models import BuyingRole, Contact
from kundenbild.customers.models import Customer


@dataclass(frozen=True)
class ContactData:
    first_name: str
    last_name: str
    function: str = ""
    department: str = ""
    email: str = ""
    phone: str = ""
    role_codes: tuple[str, ...] = ()
    influence: str = ""
    attitude: str = ""
    known_by_ids: tuple[int, ...] = ()
    last_contact_on: date | None = None


@transaction.atomic
def contact_save(
    *, customer: Customer, data: ContactData, contact: Contact | None = None
) -> Contact:
    """Add a person to the customer's buying center, or change one."""
    contact = contact or Contact(customer=customer)
    for name in ("first_name", "last_name", "function", "department", "email", "phone"):
        setattr(contact, name, getattr(data, name).strip())
    contact.influence = data.influence
    contact.attitude = data.attitude
    contact.last_contact_on = data.last_contact_on
    contact.full_clean()
    contact.save()
    contact.buying_roles.set(BuyingRole.objects.filter(code__in=data.role_codes))
    contact.known_by.set(User.objects.filter(pk__in=data.known_by_ids, is_active=True))
    return contact
