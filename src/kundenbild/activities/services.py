"""Logging, changing and deleting activities, and closing follow-ups.

An activity with people is contact with them: each write here brings their last contact
(and whether one of us knows them) up to date at once (docs/decisions/0009).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from kundenbild.accounts.models import User
from kundenbild.activities.models import Activity, ActivityKind
from kundenbild.buying_center.models import Contact
from kundenbild.buying_center.services import acquaintances_add, contacts_last_contact_logged
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


def is_contact(kind: str) -> bool:
    """A visit, call, e-mail or meeting is an exchange with the people in it; a note is
    written about them, not with them."""
    return kind != ActivityKind.NOTE


@transaction.atomic
def activity_create(*, customer: Customer, data: ActivityData, by: User) -> Activity:
    """Log an exchange; a follow-up goes to the named colleague, else to the author."""
    activity = Activity(customer=customer, created_by=by)
    _apply(activity, data, by=by)
    activity.full_clean()
    activity.save()
    people = _set_people(activity, data.contact_ids)
    _last_contacts_refresh(people)
    _author_knows(activity, people)
    return activity


@transaction.atomic
def activity_update(*, activity: Activity, data: ActivityData, by: User) -> Activity:
    """Change a logged activity; the last contact of the people it had and has follows."""
    before = set(activity.contacts.values_list("pk", flat=True))
    was_contact = is_contact(activity.kind)
    _apply(activity, data, by=by)
    activity.full_clean()
    activity.save()
    people = _set_people(activity, data.contact_ids)
    _last_contacts_refresh(before | people)
    _author_knows(activity, people - before if was_contact else people)
    return activity


@transaction.atomic
def activity_delete(*, activity: Activity) -> None:
    """Delete a logged activity (its history stays); its people's last contact falls back
    to their other activities, or the date entered by hand."""
    people = set(activity.contacts.values_list("pk", flat=True))
    activity.delete()
    _last_contacts_refresh(people)


def _apply(activity: Activity, data: ActivityData, *, by: User) -> None:
    activity.kind = data.kind
    activity.occurred_on = data.occurred_on
    activity.subject = data.subject.strip()
    activity.outcome = data.outcome.strip()
    activity.next_step = data.next_step.strip()
    activity.follow_up_on = data.follow_up_on
    activity.follow_up_by_id = (data.follow_up_by_id or by.pk) if data.follow_up_on else None


def _set_people(activity: Activity, contact_ids: Iterable[int]) -> set[int]:
    """Only people of the activity's customer; the ids of those set."""
    contacts = list(Contact.objects.filter(customer_id=activity.customer_id, pk__in=contact_ids))
    activity.contacts.set(contacts)
    return {c.pk for c in contacts}


def _author_knows(activity: Activity, contact_ids: set[int]) -> None:
    """Whoever had the exchange now knows these people of it, at least slightly. Deleting
    the activity later leaves that: an acquaintance is kept by hand from then on."""
    if is_contact(activity.kind) and activity.created_by is not None and contact_ids:
        acquaintances_add(contact_ids=sorted(contact_ids), user=activity.created_by)


def _last_contacts_refresh(contact_ids: set[int]) -> None:
    """Each person's latest exchange logged up to today (a date in the future is a plan,
    not a contact; the model refuses it anyway)."""
    if not contact_ids:
        return
    links = Activity.contacts.through.objects.filter(
        contact_id__in=contact_ids, activity__occurred_on__lte=timezone.localdate()
    ).exclude(activity__kind=ActivityKind.NOTE)
    latest = {
        row["contact_id"]: row["latest"]
        for row in links.values("contact_id").annotate(latest=Max("activity__occurred_on"))
    }
    contacts_last_contact_logged({pk: latest.get(pk) for pk in contact_ids})


@transaction.atomic
def follow_up_done(*, activity: Activity) -> Activity:
    activity.follow_up_done = True
    activity.save(update_fields=["follow_up_done"])
    return activity
