"""Reads on the people of a customer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import QuerySet

from kundenbild.buying_center.models import BuyingRoleCode, Contact, Influence
from kundenbild.customers.models import Customer


def contact_list(*, customer: Customer) -> QuerySet[Contact]:
    return (
        Contact.objects.filter(customer=customer)
        .prefetch_related("buying_roles", "known_by")
        .order_by("last_name", "first_name")
    )


STALE_AFTER_DAYS = 180


@dataclass(frozen=True)
class Coverage:
    """How well we know a customer's buying center."""

    roles_filled: list[str]
    roles_missing: list[str]
    unknown_key_people: list[Contact]  # deciders or high influence whom none of us knows
    single_threaded: list[Contact]  # deciders or high influence known by only one of us
    stale: list[Contact]  # not contacted for half a year or more


def buying_center_coverage(*, customer: Customer, today: date) -> Coverage:
    contacts = list(contact_list(customer=customer))
    filled = {role.code for c in contacts for role in c.buying_roles.all()}
    key_people = [
        c
        for c in contacts
        if c.influence == Influence.HIGH
        or any(r.code == BuyingRoleCode.DECIDER for r in c.buying_roles.all())
    ]
    stale_before = today - timedelta(days=STALE_AFTER_DAYS)
    return Coverage(
        roles_filled=[str(label) for code, label in BuyingRoleCode.choices if code in filled],
        roles_missing=[str(label) for code, label in BuyingRoleCode.choices if code not in filled],
        unknown_key_people=[c for c in key_people if not c.known_by.all()],
        single_threaded=[c for c in key_people if len(c.known_by.all()) == 1],
        stale=[c for c in contacts if c.last_contact_on and c.last_contact_on < stale_before],
    )
