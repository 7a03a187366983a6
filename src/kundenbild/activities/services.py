"""Logging activities and closing follow-ups."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from kundenbild.accounts.models import User
from kundenbild.activities.models import Activity
from kundenbild.buying_center.models import Contact
from kundenbild.customers.models import Customer


@dataclass(frozen=True)
class ActivityData:
    kind: str
    occurred_on: date
    subject: str
    outcome: str = ""
    contact_ids: tuple[int, ...] = ()
    next_step: str = ""
    follow_up_on: date | None = None
    follow_up_by_id: int | None = None


@transaction.atomic
def activity_create(*, customer: Customer, data: ActivityData, by: User) -> Activity:
    """Log an exchange; a follow-up goes to the named colleague, else to the author."""
    activity = Activity(
        customer=customer,
        kind=data.kind,
        occurred_on=data.occurred_on,
        subject=data.subject.strip(),
        outcome=data.outcome.strip(),
        next_step=data.next_step.strip(),
        follow_up_on=data.follow_up_on,
        follow_up_by_id=(data.follow_up_by_id or by.pk) if data.follow_up_on else None,
        created_by=by,
    )
    activity.full_clean()
    activity.save()
    contacts = Contact.objects.filter(customer=customer, pk__in=data.contact_ids)
    activity.contacts.set(contacts)
    return activity


@transaction.atomic
def follow_up_done(*, activity: Activity) -> Activity:
    activity.follow_up_done = True
    activity.save(update_fields=["follow_up_done"])
    return activity
