"""Reads on the people of a customer."""

from __future__ import annotations

from django.db.models import QuerySet

from kundenbild.buying_center.models import Contact
from kundenbild.customers.models import Customer


def contact_list(*, customer: Customer) -> QuerySet[Contact]:
    return Contact.objects.filter(customer=customer).order_by("last_name", "first_name")
